"""The one check every caller runs on a reply body: the fact check plus the coverage check, merged.

`check_body` = `validator.validate` (is every claim right?) + `coverage.check` (is every ask still
answered or deferred?). Coverage goes into `validation.coverage`; each missing ask adds one warning
("The reply no longer answers: '…'"), so an incomplete reply is at least `warnings`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from echo_core.generation import coverage, validator
from echo_core.generation.context import ReplyContext
from echo_core.schemas import Validation

_RANK = {"passed": 0, "warnings": 1, "failed": 2}


def check_body(body: str, context: ReplyContext, *, now: datetime | None = None) -> Validation:
    now = now or datetime.now(UTC)
    facts = validator.validate(body, context, now=now)
    covered = coverage.check(body, context)
    # The fact check's own "Unanswered: …" warnings predate the coverage check, which replaces them.
    issues = [i for i in facts.issues if not i.startswith("Unanswered")]
    issues += [coverage.issue(ask) for ask in covered.unanswered]
    status = facts.status if facts.status == "failed" else ("warnings" if issues else "passed")
    if covered.status == "incomplete" and _RANK[status] < _RANK["warnings"]:
        status = "warnings"
    return Validation.model_validate({"status": status, "issues": list(dict.fromkeys(issues)), "checkedAt": now,
                                      "coverage": covered.dump()})
