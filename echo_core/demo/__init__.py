"""Demo data for the embedded default: a small San Francisco brokerage."""
