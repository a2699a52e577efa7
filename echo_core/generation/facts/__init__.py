"""The fact check's parts: the attribute catalogue, claim extraction and comparison with the record.

`echo_core.generation.validator.validate` stays the entry point; this package holds its pieces.
"""
