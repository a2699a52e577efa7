"""The COPY export gives, cell for cell, what the Python cell rules give for the same rows."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from echo_core.export import DATASETS, ByIds, cell, flatten, stream_rows, write_csv
from echo_core.permissions import Actor, Role
from tests.factories import make_deal, make_draft, make_user

ANALYST = Actor("analyst@tandem.space", Role.ANALYST)
ROOT = Path(__file__).resolve().parents[2]

HOSTILE_JSON: dict[str, Any] = {
    "location": "=cmd|'/C calc'!A0",
    "note": "-2",
    "negative": -5,
    "ratio": 0.25,
    "flag": False,
    "nothing": None,
    "empty": {},
    "list": ["2pm", 4, None, True, "@x"],
    "leadingMinusList": [-1, 2],
    "nested": {"deeper": {"tab": "\tx", "cr": "\rx"}, "objects": [{"a": 1}, [2, "b"]]},
    "dot.key": "kept apart",
    'quote",comma{brace}': "odd key",
    "unicode": "Café — 東京",
}


def _python_rows(session: Session, name: str, ids: list[int]) -> list[list[str]]:
    """The reference: the row's values through `flatten` and `cell`, as the Python export wrote them."""
    dataset = DATASETS[name]
    exprs = ", ".join(expr for _, expr in dataset.columns + tuple((c, c) for c in dataset.json_columns))
    rows = session.execute(text(f"SELECT {exprs} FROM {dataset.table} WHERE id = ANY(:ids) ORDER BY id"),
                           {"ids": ids}).all()
    width = len(dataset.columns)
    flats = []
    for row in rows:
        flat: dict[str, Any] = {}
        for i, column in enumerate(dataset.json_columns):
            if isinstance(row[width + i], dict):
                flat.update(flatten(row[width + i], column))
        flats.append(flat)
    paths = sorted({p for flat in flats for p in flat if not isinstance(flat[p], dict)},
                   key=lambda p: (dataset.json_columns.index(p.split(".")[0]), p))
    header = [cell(h) for h, _ in dataset.columns] + [cell(p) for p in paths]
    body = [[cell(v) for v in row[:width]] + [cell(flat.get(p)) for p in paths]
            for row, flat in zip(rows, flats, strict=True)]
    return [header, *body]


def _without_times(rows: list[list[str]], name: str) -> list[list[str]]:
    """Without timestamp columns (they differ only in how the fraction is written: checked separately)."""
    times = {i for i, (h, _) in enumerate(DATASETS[name].columns) if h.endswith("_at")}
    header, *body = [[c for i, c in enumerate(r) if i not in times] for r in rows]
    return [header, *sorted(body, key=lambda r: int(r[0]))]  # by id: the export's own order is by time


def _exported(session: Session, name: str, ids: list[int]) -> list[list[str]]:
    out = io.StringIO()
    count = write_csv(session.connection(), name, out, actor=ANALYST, filters=ByIds(tuple(ids)))
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert count == len(rows) - 1
    return rows


def test_copy_export_matches_the_python_cell_rules_for_hostile_json_and_text(session: Session) -> None:
    tag = f"X{uuid.uuid4().hex[:6]}"
    deals = [make_deal(session, company_name=f"+{tag}", seeker_name="@me", requirements=HOSTILE_JSON),
             make_deal(session, company_name=tag, seeker_name="", requirements={"dogFriendly": True})]
    ids = [d.id for d in deals]
    exported = _exported(session, "deals", ids)
    assert _without_times(exported, "deals") == _without_times(_python_rows(session, "deals", ids), "deals")
    [hostile] = [r for r in exported[1:] if r[0] == str(deals[0].id)]
    by_header = dict(zip(exported[0], hostile, strict=True))
    assert by_header["requirements.location"] == "'=cmd|'/C calc'!A0"
    assert by_header["requirements.negative"] == "-5"
    assert by_header["requirements.leadingMinusList"] == "'-1; 2"
    assert by_header["requirements.nested.objects"] == '[{"a": 1}, [2, "b"]]'
    assert by_header["requirements.dot.key"] == "kept apart"


def test_copy_export_of_drafts_matches_the_python_rules_including_version_lists(session: Session) -> None:
    draft = make_draft(session, validation={"status": "failed", "issues": ["=bad", "+worse"]},
                       reasoning={"needsHumanReview": ["-check"], "dataUsed": [{"value": 1}]})
    exported = _exported(session, "drafts", [draft.id])
    assert _without_times(exported, "drafts") == _without_times(_python_rows(session, "drafts", [draft.id]), "drafts")


def test_timestamps_are_iso_8601_of_the_same_instant(session: Session) -> None:
    at = datetime(2026, 1, 31, 9, 0, 0, 250000, tzinfo=UTC)
    deal = make_deal(session, created_at=at)
    [header, row] = _exported(session, "deals", [deal.id])
    assert datetime.fromisoformat(row[header.index("created_at")]) == at


def test_stream_rows_yields_the_same_cells_as_the_copy(session: Session) -> None:
    deal = make_deal(session, requirements=HOSTILE_JSON)
    streamed = list(stream_rows(session.connection(), "deals", filters=ByIds((deal.id,))))
    assert streamed == _exported(session, "deals", [deal.id])


def test_cli_export_writes_straight_into_a_device_that_cannot_be_renamed_over(fresh_engine: Engine,
                                                                              fresh_db_url: str) -> None:
    with Session(fresh_engine) as session:
        make_user(session, email="analyst@tandem.space", role="analyst")
        make_deal(session)
        session.commit()
    env = {**os.environ, "DATABASE_URL": fresh_db_url, "ECHO_AUTO_MIGRATE": "false", "ECHO_SEED_DEMO": "false"}
    result = subprocess.run([sys.executable, "-m", "echo_core", "export", "deals", "--out", "/dev/null",
                             "--by", "analyst@tandem.space"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "exported 1 deals rows to /dev/null" in result.stderr


def test_exports_show_hidden_controls_as_markers_and_both_paths_agree(session: Session) -> None:
    """Issue 15, defect 5: names and JSON text with bidi/invisible controls; the stored text is unchanged."""
    from tests.hostile import corpus

    deals = [make_deal(session, company_name=name, seeker_name="=" + name,
                       requirements={"location": name, "list": [name, "🐕\u200d🦺"]})
             for name in corpus.SPOOFED_NAMES]
    ids = [d.id for d in deals]
    exported = _exported(session, "deals", ids)
    assert _without_times(exported, "deals") == _without_times(_python_rows(session, "deals", ids), "deals")
    text = "\n".join(",".join(r) for r in exported)
    from echo_core.redact import HIDDEN_CONTROLS, LINE_SEPARATORS

    for control in HIDDEN_CONTROLS + LINE_SEPARATORS:
        assert control not in text, f"U+{ord(control):04X}"
    assert "[U+202E]" in text and "'=Mallory [U+202E]gpj.exe" in text and "🐕\u200d🦺" in text
    assert "zero[U+200B]width[U+200C]join[U+200D]non" in text
    session.expire_all()
    assert session.get(type(deals[0]), ids[0]).company_name == corpus.SPOOFED_NAMES[0]  # type: ignore[union-attr]
