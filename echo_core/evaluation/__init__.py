"""Evaluations that measure the product on generated data (kept apart from the code they measure)."""
