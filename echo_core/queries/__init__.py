"""The read side: DataFrames and small dataclasses, aggregated in SQL."""
