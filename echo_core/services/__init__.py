"""Thin write services: load, apply the rule, write the audit event, commit."""
