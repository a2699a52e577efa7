"""What a backup holds, written beside it (`FILE.json`) and into backup_runs: what verify compares against.

The row counts and the Alembic revision are read in the very snapshot pg_dump dumps (an exported
snapshot), so they are exact even while the dashboard writes during the backup.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from echo_core.errors import BackupFailed

FORMAT = "echo-alpha-backup/1"


@dataclass(frozen=True)
class Manifest:
    database: str
    revision: str | None
    taken_at: str  # ISO 8601, UTC
    server_version: str
    row_counts: dict[str, int]
    bytes: int = 0
    sha256: str = ""
    format: str = FORMAT
    excluded: list[str] = field(default_factory=list)  # what the dump leaves out on purpose

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        if data.get("format") != FORMAT:
            raise BackupFailed(f"The manifest is not an Echo Alpha backup manifest (format {data.get('format')!r}).")
        try:
            return cls(
                database=str(data["database"]), revision=data.get("revision"), taken_at=str(data["taken_at"]),
                server_version=str(data.get("server_version", "")),
                row_counts={str(k): int(v) for k, v in dict(data["row_counts"]).items()},
                bytes=int(data.get("bytes", 0)), sha256=str(data.get("sha256", "")),
                excluded=[str(x) for x in data.get("excluded", [])],
            )
        except (KeyError, TypeError, ValueError) as error:
            raise BackupFailed(f"The manifest is damaged ({type(error).__name__}: {error}).") from None


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def write_manifest(backup: Path, manifest: Manifest) -> Path:
    path = manifest_path(backup)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(manifest.to_dict(), indent=2, sort_keys=True) + "\n")
    os.replace(partial, path)  # atomic: a reader sees the old manifest or the whole new one
    return path


def read_manifest(backup: Path) -> Manifest | None:
    """The manifest beside `backup`, or None if there is none."""
    path = manifest_path(backup)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise BackupFailed(f"The manifest {path.name} is unreadable ({error}).") from None
    if not isinstance(data, dict):
        raise BackupFailed(f"The manifest {path.name} is not a JSON object.")
    return Manifest.from_dict(data)


def file_digest(path: Path) -> tuple[int, str]:
    """(size in bytes, sha256 hex) of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()
