"""Deal owners on the read side: the queue's Mine / Unassigned / All views and the owner picker.

`owner_clause` returns a SQL predicate over a deals alias plus its bind parameters, so the queue's
own query (echo_core.queries.review) stays one statement; `deals.owner_id` is indexed (0012).
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from sqlalchemy import text

from echo_core.errors import InvalidInput
from echo_core.queries.reading import Bind, reading

OwnerView = Literal["mine", "unassigned", "all"]
OWNER_VIEWS: tuple[str, ...] = get_args(OwnerView)
OWNER_VIEW_LABELS: dict[str, str] = {"mine": "Mine", "unassigned": "Unassigned", "all": "All"}
# The owner's email for a row of a query over `deals` (NULL = unassigned); select it AS owner_email.
OWNER_EMAIL_SQL = "(SELECT u.email FROM users u WHERE u.id = deals.owner_id)"


def owner_clause(view: str, *, actor_email: str, deal_alias: str = "deals") -> tuple[str, dict[str, Any]]:
    """The predicate of one view over `deal_alias`, and its parameters (named owner_view_*)."""
    if not deal_alias.isidentifier():
        raise InvalidInput(f"'{deal_alias[:40]}' is not a table alias.")
    if view == "all":
        return "TRUE", {}
    if view == "unassigned":
        return f"{deal_alias}.owner_id IS NULL", {}
    if view == "mine":
        return (f"{deal_alias}.owner_id = (SELECT u.id FROM users u WHERE u.email = :owner_view_email)",
                {"owner_view_email": actor_email})
    raise InvalidInput(f"'{str(view)[:40]}' is not a queue view — use one of: {', '.join(OWNER_VIEWS)}.")


def assignable_owners(bind: Bind) -> list[str]:
    """Active brokers and leads, by email: whom a lead may assign a deal to."""
    with reading(bind) as conn:
        rows = conn.execute(text("SELECT email FROM users WHERE active AND role IN ('broker', 'lead') ORDER BY email"))
        return [str(r[0]) for r in rows]


def deal_owner(bind: Bind, deal_id: int) -> str | None:
    """The email of the deal's owner; None when unassigned (or no such deal)."""
    with reading(bind) as conn:
        value = conn.scalar(text("SELECT u.email FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.id = :id"),
                            {"id": deal_id})
        return None if value is None else str(value)
