"""What verify-backup calls a good restore: the manifest's revision and exactly its rows, table by table."""

from __future__ import annotations

from echo_core.db import migrate
from echo_core.ops.manifest import Manifest
from echo_core.ops.verify import compare

HEAD = migrate.head_revision()


def manifest(revision: str | None = HEAD, **rows: int) -> Manifest:
    return Manifest(database="echo", revision=revision, taken_at="2026-01-01T00:00:00+00:00", server_version="18",
                    row_counts=rows or {"deals": 9, "emails": 20})


def known(revision: str) -> bool:
    return revision in {HEAD, "0011"}


def test_the_same_revision_and_rows_is_good() -> None:
    assert compare(manifest(), HEAD, {"deals": 9, "emails": 20}, known) == ([], [])


def test_a_row_count_that_differs_is_named_with_both_figures() -> None:
    problems, _ = compare(manifest(), HEAD, {"deals": 9, "emails": 19}, known)
    assert problems == ["table emails has 19 rows, the manifest says 20"]


def test_a_missing_or_extra_table_is_a_problem() -> None:
    problems, _ = compare(manifest(), HEAD, {"deals": 9, "spies": 1}, known)
    assert problems == ["table emails is missing from the restored database",
                        "table spies was restored but is not in the manifest"]


def test_a_revision_other_than_the_manifests_is_a_problem() -> None:
    problems, _ = compare(manifest(revision="0011"), HEAD, {"deals": 9, "emails": 20}, known)
    assert problems and "manifest says 0011" in problems[0]


def test_a_revision_this_code_does_not_know_is_a_problem() -> None:
    problems, _ = compare(manifest(revision="9999"), "9999", {"deals": 9, "emails": 20}, known)
    assert problems and "not in this code's migrations" in problems[0]


def test_an_older_known_revision_is_good_with_a_note_to_upgrade() -> None:
    problems, notes = compare(manifest(revision="0011"), "0011", {"deals": 9, "emails": 20}, known)
    assert problems == [] and "db upgrade" in notes[0]
