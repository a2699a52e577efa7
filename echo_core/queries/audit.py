"""The audit trail on the read side: audit_log (deals, spaces, deal links, accounts, outbox) and the
ownership trail (deal_events), newest first, for `audit list` and the lead's Audit page.

Leads only (Action.VIEW_AUDIT): the trail names who did what to which account.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from echo_core.db.models_audit import AUDIT_ENTITIES
from echo_core.errors import InvalidInput
from echo_core.permissions import Action, Actor, require
from echo_core.queries.reading import Bind, bindable, reading

if TYPE_CHECKING:
    import pandas as pd

LIMIT_MAX = 10_000
COLUMNS = ("at", "actor", "action", "entity", "entity_id", "change", "trail", "changes")

# One row shape for both trails; deal_events' details {"from": owner, "to": owner} become an owner change.
_UNION = """
    SELECT a.created_at AS at, a.actor, a.action, a.entity, a.entity_id, a.changes, 'audit_log' AS trail, a.id
    FROM audit_log a
    UNION ALL
    SELECT e.created_at, e.actor, e.action, 'deal', e.deal_id,
           jsonb_build_object('owner', jsonb_build_object('from', e.details -> 'from', 'to', e.details -> 'to')),
           'deal_events', e.id
    FROM deal_events e
"""


@dataclass(frozen=True)
class AuditFilters:
    entity: str | None = None
    entity_id: int | None = None
    actor: str | None = None  # an exact account email
    limit: int = 200

    def __post_init__(self) -> None:
        if self.entity is not None and self.entity not in AUDIT_ENTITIES:
            raise InvalidInput(f"'{str(self.entity)[:40]}' is not an audited entity — use one of: "
                               f"{', '.join(AUDIT_ENTITIES)}.")
        if self.entity_id is not None and not 0 < self.entity_id < 2**63:
            raise InvalidInput(f"'{self.entity_id}' is not a record id — use the number shown on its page.")
        if not 0 < self.limit <= LIMIT_MAX:
            raise InvalidInput(f"The limit {self.limit} is out of range — use 1 to {LIMIT_MAX:,}.")


def describe(changes: dict[str, Any] | None) -> str:
    """`stage: inquiry → touring; monthly_rate: 9000 → 9500`, one line (values as JSON, long ones cut)."""
    parts = []
    for field, change in (changes or {}).items():
        before, after = (change.get("from"), change.get("to")) if isinstance(change, dict) else (None, change)
        parts.append(f"{field}: {_short(before)} → {_short(after)}")
    return "; ".join(parts)


def _short(value: Any) -> str:
    shown = "—" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 120 else shown[:119] + "…"


def entries(bind: Bind, *, actor: Actor, filters: AuditFilters | None = None) -> list[dict[str, Any]]:
    """The newest `filters.limit` entries matching the filters, each a dict of COLUMNS."""
    require(actor, Action.VIEW_AUDIT)
    f = filters or AuditFilters()
    where: list[str] = ["TRUE"]
    params: dict[str, Any] = {"limit": f.limit}
    if f.entity is not None:
        where.append("t.entity = :entity")
        params["entity"] = f.entity
    if f.entity_id is not None:
        where.append("t.entity_id = :entity_id")
        params["entity_id"] = f.entity_id
    if f.actor:
        where.append("t.actor = :actor")
        params["actor"] = bindable([f.actor.strip().lower()])[0]
    sql = text(f"SELECT t.* FROM ({_UNION}) t WHERE {' AND '.join(where)} "  # noqa: S608 - fixed fragments only
               "ORDER BY t.at DESC, t.id DESC LIMIT :limit")
    with reading(bind) as conn:
        rows = conn.execute(sql, params).mappings().all()
    return [{"at": r["at"], "actor": r["actor"], "action": r["action"], "entity": r["entity"],
             "entity_id": int(r["entity_id"]), "change": describe(r["changes"]), "trail": r["trail"],
             "changes": r["changes"]} for r in rows]


def entries_frame(bind: Bind, *, actor: Actor, filters: AuditFilters | None = None) -> pd.DataFrame:
    """The entries as a DataFrame for the page and its CSV (the raw `changes` JSON left out: `change` says it)."""
    import pandas as pd

    rows = entries(bind, actor=actor, filters=filters)
    return pd.DataFrame(rows, columns=list(COLUMNS)).drop(columns=["changes"])


def actors(bind: Bind, *, actor: Actor) -> list[str]:
    """Everyone who appears in either trail, for the page's filter."""
    require(actor, Action.VIEW_AUDIT)
    with reading(bind) as conn:
        rows = conn.execute(text("SELECT actor FROM audit_log UNION SELECT actor FROM deal_events ORDER BY 1"))
        return [str(r[0]) for r in rows]
