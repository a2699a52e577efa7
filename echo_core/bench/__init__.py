"""Synthetic data at a large brokerage's scale, and timings of the pages' queries against it."""
