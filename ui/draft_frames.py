"""How the dashboard frames one draft (echo_core.queries.drafts.DraftDetail): tables, badges, version choices.

Pure functions of the read model: no database, no widgets, so they are tested directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import pandas as pd

from echo_core.errors import VersionNotFound
from echo_core.lifecycle import HAND_EDIT
from echo_core.queries.drafts import DraftDetail
from echo_core.textdiff import WordDiff, word_diff
from ui.formatting import ACTION_LABELS, MISSING, label
from ui.text import clean

Color = Literal["red", "orange", "green", "gray", "blue", "violet"]  # Streamlit's badge colours used here


@dataclass(frozen=True)
class Badge:
    text: str
    color: Color
    help: str


FACT_CHECK: dict[str, tuple[str, Color]] = {
    "passed": ("Facts ✓", "green"), "warnings": ("Facts: warnings", "orange"), "failed": ("Facts ✗", "red"),
    "not checked": ("Facts unchecked", "gray"),
}
COVERAGE: dict[str, tuple[str, Color]] = {
    "complete": ("Covers every ask", "green"), "incomplete": ("Misses an ask", "orange"),
    "unknown": ("Coverage unknown", "gray"),
}


def fact_check_badge(status: str) -> Badge:
    text, color = FACT_CHECK.get(status, (f"Facts: {status}", "gray"))
    return Badge(text, color, f"Fact check: {status} — every figure and amenity compared with the deal's records.")


def coverage_badge(status: str, asks: int = 0) -> Badge:
    text, color = COVERAGE.get(status, COVERAGE["unknown"])
    what = f" ({asks} asks)" if asks else ""
    return Badge(text, color, f"Coverage{what}: does the reply answer or defer each of the seeker's questions? "
                 "Unknown: drafted before the coverage check existed.")


def confidence_color(confidence: int) -> Color:
    return "green" if confidence >= 80 else "orange" if confidence >= 50 else "red"


def _cell(value: Any) -> str:
    """One table cell: JSON values become text, missing is '—', bidi controls visible."""
    if value is None or value == "":
        return MISSING
    return clean(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def questions_frame(reasoning: dict[str, Any] | None) -> pd.DataFrame:
    """Each seeker question with its answer and where in the thread it was asked."""
    rows = [{"Question": _cell(q.get("question")), "Answer": _cell(q.get("answer")),
             "Asked in email": _cell(q.get("sourceEmailId")), "Asked as": _cell(q.get("sourceText"))}
            for q in (reasoning or {}).get("questionsAddressed", []) or [] if isinstance(q, dict)]
    return pd.DataFrame(rows, columns=["Question", "Answer", "Asked in email", "Asked as"])


def facts_frame(reasoning: dict[str, Any] | None) -> pd.DataFrame:
    """Each record the draft relies on: what, where from (type, id, field) and the value."""
    rows = [{"Fact": _cell(d.get("dataPoint")), "From": _cell(d.get("sourceType")), "Record": _cell(d.get("sourceId")),
             "Field": _cell(d.get("fieldPath")), "Value": _cell(d.get("value"))}
            for d in (reasoning or {}).get("dataUsed", []) or [] if isinstance(d, dict)]
    return pd.DataFrame(rows, columns=["Fact", "From", "Record", "Field", "Value"])


def version_label(entry: dict[str, Any]) -> str:
    """'v2 · hand edit by ann@…' / 'v1 · refined: "shorter"' / 'v0 · AI draft'."""
    number = int(entry.get("version", 0))
    if entry.get("kind") == HAND_EDIT:
        return f"v{number} · hand edit by {clean(entry.get('editedBy') or 'someone')}"
    if entry.get("prompt"):
        prompt = clean(entry["prompt"])
        return f"v{number} · refined: “{prompt[:40]}{'…' if len(prompt) > 40 else ''}”"
    return f"v{number} · AI draft"


def _when(entry: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(str(entry.get("createdAt")))
    except ValueError:
        return None


def versions_frame(detail: DraftDetail) -> pd.DataFrame:
    rows = [{"Version": version_label(v), "Current": int(v.get("version", -1)) == detail.current_version,
             "By": clean(v.get("editedBy")) if v.get("kind") == HAND_EDIT else "AI",
             "When": _when(v), "Words": len(str(v.get("body", "")).split())}
            for v in detail.versions]
    return pd.DataFrame(rows, columns=["Version", "Current", "By", "When", "Words"])


def default_comparison(detail: DraftDetail) -> tuple[int, int]:
    """The AI text against the current text: (newest AI version ≤ current, current) — or the two latest."""
    numbers = sorted(int(v.get("version", 0)) for v in detail.versions)
    if not numbers:
        return detail.current_version, detail.current_version
    current = detail.current_version if detail.current_version in numbers else numbers[-1]
    base = detail.ai_version
    if base == current:
        earlier = [n for n in numbers if n < current]
        base = earlier[-1] if earlier else current
    return base, current


def diff_versions(detail: DraftDetail, older: int, newer: int) -> WordDiff:
    bodies = {int(v.get("version", -1)): str(v.get("body", "")) for v in detail.versions}
    for number in (older, newer):
        if number not in bodies:
            raise VersionNotFound(f"This draft has no version {number} — pick one from the version history.")
    return word_diff(bodies[older], bodies[newer])


def history_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The audit trail in words: when, who, what happened, and the status change if any."""
    if events.empty:
        return pd.DataFrame(columns=["When", "Who", "What", "Status"])

    def moved(row: Any) -> str:
        before, after = row.from_status, row.to_status
        return MISSING if not before or before == after else f"{before} → {after}"

    return pd.DataFrame({
        "When": events["at"], "Who": events["actor"].map(clean),
        "What": events["action"].map(lambda a: ACTION_LABELS.get(str(a), label(str(a)))),
        "Status": [moved(r) for r in events.itertuples()],
    })
