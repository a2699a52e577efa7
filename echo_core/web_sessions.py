"""Dashboard sessions like a real web app: a signed, expiring token in an HttpOnly cookie, checked on
every run against `web_sessions` and the account behind it.

The flow:
1. Sign-in (password checked by `services.accounts.authenticate`) → `start()` stores a session row and
   returns a one-time handoff code (valid for a minute). The page keeps only the row's id.
2. The browser posts the code to the app's own HTTP route (`ui.session_routes`), which calls
   `redeem_handoff()`: the code is spent, a fresh token secret is born and only its hash is stored;
   the route sets the cookie (HttpOnly, SameSite=Lax). So the token never reaches the page's script.
3. Every run calls `resolve()` with the row id (same browser tab) or the cookie's token (a reload, a
   new tab): a bad signature, an expired or idle session, a revoked one, a disabled account or a
   changed role all end in `SessionEnded` with a reason the sign-in page can say.
4. Sign-out (`end`) and the account services (`revoke_all`: disable, role change, password reset)
   revoke rows; the next click of any tab holding them is refused.

Tokens are `itsdangerous`-signed `[session id, secret, expiry]` with the key from configuration
(ECHO_SESSION_SECRET, else a random key generated once into ECHO_DATA_DIR/session-secret).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from echo_core.config import Settings, get_settings
from echo_core.db.models import User, WebSession
from echo_core.errors import InvalidInput, NoActiveAccount, PermissionDenied
from echo_core.permissions import Actor, Role

COOKIE_NAME = "echo_session"
HANDOFF_TTL = timedelta(seconds=60)
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most once a minute per session
SECRET_MIN_CHARS = 32
KEY_FILE = "session-secret"
_SALT = "echo-alpha.web-session.v1"
USER_AGENT_MAX = 255

REASONS = {
    "signed_out": "You signed out — sign in again to continue.",
    "disabled": "Your account has been disabled — ask a lead if that is a mistake.",
    "role_changed": "Your role was changed — sign in again to continue with the new role.",
    "password_changed": "Your password was changed — sign in again with the new one.",
    "expired": "Your session has expired — sign in again.",
    "idle": "You were signed out after a while without activity — sign in again.",
    "invalid": "Your sign-in is no longer valid — sign in again.",
}


class SessionEnded(PermissionDenied):
    """The session may not be used any more; `reason` is a key of REASONS."""

    def __init__(self, reason: str) -> None:
        super().__init__(REASONS.get(reason, REASONS["invalid"]))
        self.reason = reason


@dataclass(frozen=True)
class Started:
    session_id: int
    handoff_code: str  # one-time, short-lived: what the browser exchanges for the cookie


@dataclass(frozen=True)
class Cookie:
    value: str
    max_age: int  # seconds
    session_id: int


@dataclass(frozen=True)
class Current:
    session_id: int
    user_id: int
    actor: Actor
    expires_at: datetime


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def session_key(settings: Settings | None = None) -> str:
    """The signing key: ECHO_SESSION_SECRET, else ECHO_DATA_DIR/session-secret (created once, mode 0600)."""
    settings = settings or get_settings()
    if settings.session_secret is not None:
        key = settings.session_secret.get_secret_value()
        if len(key) < SECRET_MIN_CHARS:
            raise InvalidInput(f"ECHO_SESSION_SECRET is shorter than {SECRET_MIN_CHARS} characters — use e.g. "
                               "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`.")
        return key
    return _key_file(Path(settings.data_dir) / KEY_FILE)


def _key_file(path: Path) -> str:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: of two processes starting at once, one writes and the other reads its key
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = path.read_text(encoding="ascii").strip()
        else:
            key = secrets.token_urlsafe(48)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(key + "\n")
    except OSError as error:
        raise InvalidInput(f"The session key file {path} cannot be used ({error.strerror}) — set "
                           "ECHO_SESSION_SECRET or make ECHO_DATA_DIR writable.") from None
    if len(key) < SECRET_MIN_CHARS:
        raise InvalidInput(f"The session key file {path} holds fewer than {SECRET_MIN_CHARS} characters — "
                           "delete it to have a new one generated (everyone signs in again).")
    return key


def _serializer(settings: Settings | None = None) -> URLSafeSerializer:
    return URLSafeSerializer(session_key(settings), salt=_SALT)


def sign(session_id: int, secret: str, expires_at: datetime, *, settings: Settings | None = None) -> str:
    return str(_serializer(settings).dumps([session_id, secret, int(expires_at.timestamp())]))


def unsign(token: str, *, now: datetime | None = None, settings: Settings | None = None) -> tuple[int, str]:
    """(session id, secret) of a well-signed, unexpired token; SessionEnded otherwise."""
    if not isinstance(token, str) or not token or len(token) > 512:
        raise SessionEnded("invalid")
    try:
        payload = _serializer(settings).loads(token)
    except BadData:
        raise SessionEnded("invalid") from None
    if not (isinstance(payload, list) and len(payload) == 3 and isinstance(payload[0], int)
            and isinstance(payload[1], str) and isinstance(payload[2], int)):
        raise SessionEnded("invalid")
    if payload[2] <= int(_now(now).timestamp()):
        raise SessionEnded("expired")
    return payload[0], payload[1]


def start(*, session: Session, user_id: int, user_agent: str | None = None, now: datetime | None = None,
          settings: Settings | None = None) -> Started:
    """A new session for an active account (just authenticated); commits."""
    now, settings = _now(now), settings or get_settings()
    user = session.get(User, user_id)
    if user is None or not user.active:
        session.rollback()
        raise NoActiveAccount("This account is disabled or gone — ask a lead.")
    code = secrets.token_urlsafe(32)
    row = WebSession(user_id=user.id, token_hash=_hash(secrets.token_urlsafe(32)), handoff_hash=_hash(code),
                     handoff_expires_at=now + HANDOFF_TTL, role=user.role, created_at=now, last_seen_at=now,
                     expires_at=now + timedelta(hours=settings.session_hours),
                     user_agent=(user_agent or "")[:USER_AGENT_MAX] or None)
    session.add(row)
    session.commit()
    return Started(session_id=row.id, handoff_code=code)


def redeem_handoff(*, session: Session, code: str, now: datetime | None = None,
                   settings: Settings | None = None) -> Cookie:
    """Spend a handoff code once: a fresh token (only its hash stored) for the cookie; commits."""
    now = _now(now)
    if not isinstance(code, str) or not 20 <= len(code) <= 128:
        raise SessionEnded("invalid")
    secret = secrets.token_urlsafe(32)
    row = session.execute(
        update(WebSession)
        .where(WebSession.handoff_hash == _hash(code), WebSession.handoff_expires_at > now,
               WebSession.revoked_at.is_(None), WebSession.expires_at > now)
        .values(token_hash=_hash(secret), handoff_hash=None, handoff_expires_at=None)
        .returning(WebSession.id, WebSession.expires_at)
    ).first()
    session.commit()
    if row is None:
        raise SessionEnded("invalid")
    max_age = max(1, int((row.expires_at - now).total_seconds()))
    return Cookie(value=sign(row.id, secret, row.expires_at, settings=settings), max_age=max_age,
                  session_id=row.id)


def resolve(*, session: Session, session_id: int | None = None, token: str | None = None,
            now: datetime | None = None, settings: Settings | None = None) -> Current:
    """The signed-in account of a session (by row id, or by the cookie's token); SessionEnded otherwise.

    Re-reads the account every time: disabled or a changed role revokes the session here and now.
    """
    now, settings = _now(now), settings or get_settings()
    secret = None
    if token is not None:
        session_id, secret = unsign(token, now=now, settings=settings)
    if session_id is None:
        raise SessionEnded("invalid")
    found = session.execute(
        select(WebSession, User.email, User.role, User.active).join(User, User.id == WebSession.user_id)
        .where(WebSession.id == session_id)
    ).first()
    if found is None or (secret is not None and not hmac.compare_digest(found[0].token_hash, _hash(secret))):
        session.rollback()
        raise SessionEnded("invalid")
    row, email, role, active = found
    reason = _ended(row, role=role, active=active, now=now, settings=settings)
    if reason in ("disabled", "role_changed"):
        revoke_all(session, user_id=row.user_id, reason=reason, now=now)
    if reason is not None:
        session.commit()
        raise SessionEnded(reason)
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    session.commit()
    return Current(session_id=row.id, user_id=row.user_id, actor=Actor(email, Role(role)), expires_at=row.expires_at)


def _ended(row: WebSession, *, role: str, active: bool, now: datetime, settings: Settings) -> str | None:
    if row.revoked_at is not None:
        return row.revoked_reason or "invalid"
    if not active:
        return "disabled"
    if role != row.role:
        return "role_changed"
    if now >= row.expires_at:
        return "expired"
    if now - row.last_seen_at > timedelta(minutes=settings.session_idle_minutes):
        return "idle"
    return None


def end(*, session: Session, session_id: int, now: datetime | None = None) -> None:
    """Sign out: revoke this session (every tab holding it is refused at its next click); commits."""
    session.execute(update(WebSession).where(WebSession.id == session_id, WebSession.revoked_at.is_(None))
                    .values(revoked_at=_now(now), revoked_reason="signed_out", handoff_hash=None))
    session.commit()


def revoke_all(session: Session, *, user_id: int, reason: str, now: datetime | None = None) -> int:
    """Revoke every live session of an account in the caller's transaction (no commit); returns how many."""
    result = session.execute(
        update(WebSession).where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
        .values(revoked_at=_now(now), revoked_reason=reason, handoff_hash=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)
