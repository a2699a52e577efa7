"""Operations: backups and their verification, singleton locks for the worker's duties."""
