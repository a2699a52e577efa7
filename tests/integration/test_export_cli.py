"""`python -m echo_core export …` as a real subprocess on a database of its own."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.factories import make_deal, make_space, make_user

ROOT = Path(__file__).resolve().parents[2]


def _run(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": db_url, "ECHO_AUTO_MIGRATE": "false", "ECHO_SEED_DEMO": "false"}
    return subprocess.run([sys.executable, "-m", "echo_core", "export", *args, "--by", "analyst@tandem.space"],
                          cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def seeded(fresh_engine: Engine) -> dict[str, int]:
    now = datetime.now(UTC)
    with Session(fresh_engine) as session:
        make_user(session, email="analyst@tandem.space", role="analyst")  # --by names an active account
        old = make_deal(session, company_name="Old Co", created_at=now - timedelta(days=400))
        new = make_deal(session, company_name="=cmd|'/C calc'!A0", requirements={"dogFriendly": True},
                        created_at=now - timedelta(days=1))
        make_space(session)
        session.commit()
        return {"old": old.id, "new": new.id}


def test_export_to_a_file_with_since_writes_parseable_flattened_safe_csv(
    fresh_db_url: str, seeded: dict[str, int], tmp_path: Path
) -> None:
    since = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
    out = tmp_path / "deals.csv"
    result = _run(fresh_db_url, "deals", "--since", since, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "exported 1 deals rows" in result.stderr
    rows = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
    assert [r["id"] for r in rows] == [str(seeded["new"])]
    assert rows[0]["company_name"] == "'=cmd|'/C calc'!A0"
    assert rows[0]["requirements.dogFriendly"] == "true"
    assert not list(tmp_path.glob("*.partial"))


def test_export_to_stdout_streams_the_whole_table(fresh_db_url: str, seeded: dict[str, int]) -> None:
    result = _run(fresh_db_url, "spaces", "--out", "-")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1
    assert rows[0]["detailed_amenities.parking.costMonthly"] == "250"


def test_a_bad_since_is_one_clear_line_and_exit_code_2(fresh_db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = _run(fresh_db_url, "emails", "--since", "last tuesday", "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: --since must be a date like 2026-01-31 (or 2026-01-31T09:00), not 'last tuesday'."
    )
    assert "Traceback" not in result.stderr
    assert not out.exists()
