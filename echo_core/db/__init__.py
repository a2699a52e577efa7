"""Database access: models, engine, embedded server and migrations."""
