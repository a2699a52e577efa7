"""Row-level security for ECHO_BROKER_SCOPE=own: who is acting, set per transaction in one place.

The policies (revision 0016) read three transaction-local settings: echo.broker_scope, echo.actor_role and
echo.actor_id. `install(engine)` hooks the engine's "begin" event, so every transaction any code opens on
it — a service's Session, a page's read, a CSV export — starts with `set_config(…, true)` for the actor
bound to the current thread/context (`acting_as`, `bind`). No actor bound (migrations, the worker, CLI
administration) sets nothing, and the policies let everything through, as with `team`.

The policies only filter a role that is subject to them: row-level security is switched on by
`db grant-app-role` when ECHO_BROKER_SCOPE=own, and a superuser, a BYPASSRLS role or the tables' owner is
never filtered. `require_enforced` refuses (one line, the fix named) to serve a broker in `own` scope
through a connection that would not be filtered — fail closed rather than show the team's deals.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, event, text

from echo_core.errors import PermissionDenied

# The tables revisions 0016 and 0019 give a broker_scope policy (grant-app-role switches their row-level security).
SCOPED_TABLES = ("deals", "emails", "email_drafts", "deal_spaces", "deal_events", "search_documents",
                 "draft_events", "outbox", "draft_owner_counts")
_checked: weakref.WeakSet[Engine] = weakref.WeakSet()  # engines whose role was found filtered


@dataclass(frozen=True)
class Acting:
    user_id: int
    role: str


_acting: ContextVar[Acting | None] = ContextVar("echo_acting", default=None)
# Where a context that was not bound finds its actor: the dashboard registers one reading the browser session
# (a fragment's rerun runs in a thread of its own, after the run that bound the actor has ended).
_fallback: Callable[[], Acting | None] | None = None


def bind(user_id: int | None, role: str | None) -> None:
    """Who acts for the rest of this context (a dashboard run); None: nobody (every row, as with `team`)."""
    _acting.set(Acting(int(user_id), str(role)) if user_id is not None and role else None)


def set_fallback(find: Callable[[], Acting | None] | None) -> None:
    global _fallback
    _fallback = find


def current() -> Acting | None:
    acting = _acting.get()
    if acting is None and _fallback is not None:
        acting = _fallback()
    return acting


@contextmanager
def acting_as(user_id: int, role: str) -> Iterator[None]:
    token = _acting.set(Acting(user_id, role))
    try:
        yield
    finally:
        _acting.reset(token)


def filters_by_owner() -> bool:
    """True when this context's reads are a broker's own slice (cached reads must not be shared)."""
    from echo_core.config import get_settings

    acting = current()
    return get_settings().broker_scope == "own" and acting is not None and acting.role == "broker"


def require_enforced(conn: Connection) -> None:
    """PermissionDenied unless the connection's role is filtered by the broker_scope policies."""
    row = conn.execute(text(
        "SELECT r.rolname, r.rolsuper OR r.rolbypassrls AS bypass, pg_has_role(c.relowner, 'MEMBER') AS owner, "
        "c.relrowsecurity AS enabled FROM pg_roles r, pg_class c "
        "WHERE r.rolname = current_user AND c.oid = 'public.deals'::regclass")).one()
    why = ("is a superuser or BYPASSRLS" if row.bypass else "owns the tables" if row.owner
           else "is not filtered: row-level security is off" if not row.enabled else None)
    if why is not None:
        raise PermissionDenied(
            f"ECHO_BROKER_SCOPE=own, but the database role {row.rolname} {why} — connect the dashboard as the "
            "app role (`python -m echo_core db grant-app-role ROLE` run with ECHO_BROKER_SCOPE=own, then "
            "DATABASE_URL naming ROLE), or set ECHO_BROKER_SCOPE=team.")


def _on_begin(conn: Connection) -> None:
    acting = current()
    if acting is None:
        return
    if conn.engine not in _checked:
        require_enforced(conn)
        _checked.add(conn.engine)  # once per engine: its role and the tables' RLS do not change under it
    conn.exec_driver_sql(
        "SELECT set_config('echo.broker_scope', 'own', true), set_config('echo.actor_role', %(role)s, true), "
        "set_config('echo.actor_id', %(id)s, true)", {"role": acting.role, "id": str(acting.user_id)})


def install(engine: Engine) -> Engine:
    """Hook `engine` so every transaction carries the bound actor (ECHO_BROKER_SCOPE=own only)."""
    if not event.contains(engine, "begin", _on_begin):
        event.listen(engine, "begin", _on_begin)
    return engine
