"""Accounts: sign-in with the per-account lock, and account management.

Management needs `Action.MANAGE_ACCOUNTS` (leads). The CLI (`python -m echo_core users …`)
is an operator tool: whoever holds the database credentials could change the rows anyway,
so it acts as OPERATOR, a lead that is not an account.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from echo_core import accounts as rules
from echo_core import web_sessions
from echo_core.db.models import User
from echo_core.errors import (
    AccountNotFound,
    InvalidInput,
    NoActiveAccount,
    StaleRecord,
)
from echo_core.permissions import INTERNAL_ACTORS, Action, Actor, Role
from echo_core.permissions import OPERATOR as OPERATOR
from echo_core.services.actors import acting
from echo_core.services.audit import record_change

log = logging.getLogger(__name__)
ADD_HINT = "add it with `python -m echo_core users add EMAIL --role broker|lead|analyst`"


def normalize_email(email: str) -> str:
    """The stored form of an address: trimmed, lower-case, and shaped like an email."""
    cleaned = (email or "").strip().lower()
    if len(cleaned) > 255:
        raise InvalidInput("The email address is longer than 255 characters — use a shorter one.")
    Actor(cleaned)  # the one email rule of the codebase (InvalidInput otherwise)
    return cleaned


def _view(user: User) -> rules.Account:
    return rules.Account(id=user.id, email=user.email, role=Role(user.role), active=user.active,
                         has_password=user.password_hash is not None, locked_until=user.locked_until,
                         last_login_at=user.last_login_at, created_at=user.created_at,
                         lock_version=user.lock_version)


def _load(session: Session, email: str, *, lock: bool = False) -> User:
    query = select(User).where(User.email == normalize_email(email)).execution_options(populate_existing=True)
    user = session.scalar(query.with_for_update() if lock else query)
    if user is None:
        raise AccountNotFound(f"No account for {email.strip().lower()[:255]} — {ADD_HINT}.")
    return user


def _manage(session: Session, actor: Actor, email: str, expected_lock_version: int | None) -> tuple[Actor, User]:
    """Lock every active lead (in id order), re-read the acting account, then lock the target account.

    One lock order for every management action: two leads demoting or disabling each other at the
    same moment run one after the other, and the second sees the first's change (the last-lead rule
    and the actor's own role hold under concurrency; no deadlock, as nobody takes them in another order).
    """
    session.execute(select(User.id).where(User.role == Role.LEAD.value, User.active).order_by(User.id)
                    .with_for_update())
    acting_now = acting(session, actor, Action.MANAGE_ACCOUNTS)
    user = _load(session, email, lock=True)
    if expected_lock_version is not None and user.lock_version != expected_lock_version:
        raise StaleRecord("the account", user.email)
    return acting_now, user


def _keep_a_lead(session: Session, user: User, *, role: Role, active: bool) -> None:
    """Refuse to demote or disable the last active lead: nobody could manage accounts after."""
    if user.role != Role.LEAD or not user.active or (role == Role.LEAD and active):
        return
    leads = session.scalar(select(func.count()).select_from(User).where(User.role == Role.LEAD, User.active))
    if (leads or 0) <= 1:
        raise InvalidInput(f"{user.email} is the last active lead — make another account a lead first.")


def _done(session: Session, user: User, what: str, actor: Actor, *, action: str, before: dict[str, object],
          after: dict[str, object]) -> rules.Account:
    if record_change(session, actor=actor, action=action, entity="account", entity_id=user.id,
                     before=before, after=after) is not None:
        user.lock_version += 1
    session.commit()
    log.info("account %s: %s (by %s)", user.email, what, actor.email)
    return _view(user)


def create_account(*, session: Session, actor: Actor, email: str, role: str | Role,
                   password: str | None = None, password_hash: str | None = None) -> rules.Account:
    """Add an account; without a password it can only sign in through OIDC."""
    actor = acting(session, actor, Action.MANAGE_ACCOUNTS)
    address, parsed = normalize_email(email), rules.parse_role(role)
    if address in {internal.email for internal in INTERNAL_ACTORS}:
        raise InvalidInput(f"{address} is reserved for the system — use a person's address.")
    if password is not None:
        password_hash = rules.hash_password(password)
    if session.scalar(select(User.id).where(User.email == address)) is not None:
        raise InvalidInput(f"{address} already has an account — change its role or password instead.")
    user = User(email=address, role=parsed.value, password_hash=password_hash)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # a concurrent add of the same address won
        session.rollback()
        raise InvalidInput(f"{address} already has an account — change its role or password instead.") from None
    user.lock_version = 0  # _done's bump makes it the column's default, 1
    return _done(session, user, f"created as {parsed.value}", actor, action="created", before={},
                 after={"email": address, "role": parsed.value, "active": True,
                        "password": "set" if password_hash else None})


def list_accounts(*, session: Session, actor: Actor) -> list[rules.Account]:
    acting(session, actor, Action.MANAGE_ACCOUNTS)
    return [_view(u) for u in session.scalars(select(User).order_by(User.email))]


def set_role(*, session: Session, actor: Actor, email: str, role: str | Role,
             expected_lock_version: int | None = None) -> rules.Account:
    parsed = rules.parse_role(role)
    actor, user = _manage(session, actor, email, expected_lock_version)
    _keep_a_lead(session, user, role=parsed, active=user.active)
    before = user.role
    if user.role != parsed.value:  # open sessions end at their next click: the role was granted to a sign-in
        web_sessions.revoke_all(session, user_id=user.id, reason="role_changed")
    user.role = parsed.value
    return _done(session, user, f"role set to {parsed.value}", actor, action="role_set", before={"role": before},
                 after={"role": parsed.value})


def set_active(*, session: Session, actor: Actor, email: str, active: bool,
               expected_lock_version: int | None = None) -> rules.Account:
    """Disable (or enable again) an account; a disabled account's sessions end at their next click."""
    actor, user = _manage(session, actor, email, expected_lock_version)
    _keep_a_lead(session, user, role=Role(user.role), active=active)
    before = user.active
    user.active = active
    if active:
        user.failed_attempts, user.locked_until = 0, None
    else:
        web_sessions.revoke_all(session, user_id=user.id, reason="disabled")
    return _done(session, user, "enabled" if active else "disabled", actor,
                 action="enabled" if active else "disabled", before={"active": before},
                 after={"active": active})


def set_password(*, session: Session, actor: Actor, email: str, password: str,
                 expected_lock_version: int | None = None) -> rules.Account:
    """A new password; it also lifts a sign-in lock and ends the account's open sessions."""
    new_hash = rules.hash_password(password)  # rules checked before the row is locked
    actor, user = _manage(session, actor, email, expected_lock_version)
    user.password_hash, user.failed_attempts, user.locked_until = new_hash, 0, None
    web_sessions.revoke_all(session, user_id=user.id, reason="password_changed")
    # The audit row says that it changed, never the hash.
    return _done(session, user, "password changed", actor, action="password_set",
                 before={"password": "old"}, after={"password": "new"})


def authenticate(*, session: Session, email: str, password: str, source: str | None = None,
                 now: datetime | None = None) -> rules.Account:
    """Sign-in (issue 15: the same answer and work for known and unknown addresses): see echo_core.sign_in."""
    from echo_core.sign_in import authenticate as sign_in

    return sign_in(session=session, email=email, password=password, source=source, now=now)


def active_actor(session: Session, email: str) -> Actor:
    """The Actor of an active account, or NoActiveAccount naming the fix."""
    address = normalize_email(email)
    row = session.execute(select(User.role, User.active).where(User.email == address)).first()
    if row is None:
        raise NoActiveAccount(f"No active account for {address} — {ADD_HINT}.")
    if not row.active:
        raise NoActiveAccount(f"No active account for {address}: it is disabled — a lead can enable it again.")
    return Actor(address, Role(row.role))


def actor_for_user(session: Session, user_id: int) -> Actor | None:
    """The signed-in user's Actor, re-read on every page run; None once disabled or deleted."""
    row = session.execute(select(User.email, User.role, User.active).where(User.id == user_id)).first()
    if row is None or not row.active:
        return None
    return Actor(row.email, Role(row.role))


def account_id(session: Session, email: str) -> int | None:
    return session.scalar(select(User.id).where(User.email == normalize_email(email)))
