"""Who may do what. Pure: no database, no UI.

Services call `require(actor, Action.X)` before they change anything, so the rule
holds for the dashboard, the CLI and the tests alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from echo_core.errors import InvalidInput, PermissionDenied

_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,255}\.[A-Za-z]{2,63}$")


class Role(StrEnum):
    BROKER = "broker"
    LEAD = "lead"
    ANALYST = "analyst"


class Action(StrEnum):
    READ = "read"
    REVIEW_DRAFTS = "review drafts"  # generate, edit, refine, approve, send, archive, restore
    EDIT_DEALS = "edit deals and spaces"
    VIEW_ANALYTICS = "view analytics"
    VIEW_ALL_BROKERS = "view analytics across brokers"
    EXPORT = "export data"
    MANAGE_ACCOUNTS = "manage accounts"
    VIEW_MONITORING = "view monitoring"  # the Monitoring page: leads only
    VIEW_AUDIT = "view the audit trail"  # the Audit page and `audit list`: leads only


ALLOWED: dict[Role, frozenset[Action]] = {
    Role.BROKER: frozenset(
        {Action.READ, Action.REVIEW_DRAFTS, Action.EDIT_DEALS, Action.VIEW_ANALYTICS, Action.EXPORT}
    ),
    Role.LEAD: frozenset(Action),
    Role.ANALYST: frozenset({Action.READ, Action.VIEW_ANALYTICS, Action.VIEW_ALL_BROKERS, Action.EXPORT}),
}


@dataclass(frozen=True)
class Actor:
    """The signed-in person: their email goes into reviewed_by, archived_by and audit events."""

    email: str
    role: Role = Role.BROKER

    def __post_init__(self) -> None:
        if not _EMAIL.match(self.email or ""):
            raise InvalidInput(f"'{self.email[:80]}' is not an email address — actors are named by their email.")

    def may(self, action: Action) -> bool:
        return action in ALLOWED[self.role]


SYSTEM_ACTOR = Actor("system@echo-alpha.local", Role.LEAD)  # the worker and mail ingest: no account
OPERATOR = Actor("operator@echo-alpha.local", Role.LEAD)  # the `users` CLI: whoever holds the DB credentials
# Actors that are not accounts: no row to re-read; these addresses may not be given to an account.
INTERNAL_ACTORS = frozenset({SYSTEM_ACTOR, OPERATOR})


def require(actor: Actor, action: Action) -> None:
    if not actor.may(action):
        raise PermissionDenied(f"{actor.email} is signed in as {actor.role.value} and may not {action.value}.")
