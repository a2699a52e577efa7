"""Poll a mailbox over IMAP (IMAPClient): fetch unseen messages, store them, then mark them seen.

Messages are fetched with BODY.PEEK (fetching does not mark them) and flagged \\Seen only
after their outcome is committed, so a crash between the two re-fetches them next time
and the Message-ID dedup stores them once. Unreadable messages are flagged too, so they
are reported once and a broker finds them in the mail client.

Sign-in is a password (ECHO_IMAP_PASSWORD) or OAuth2 XOAUTH2 with an access token
(ECHO_IMAP_OAUTH2_TOKEN, or ECHO_IMAP_OAUTH2_TOKEN_CMD run at each connection). `poll_loop`
keeps polling: IMAP IDLE, an interval where the server has none, reconnection after a drop.
"""

from __future__ import annotations

import re
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from echo_core.config import get_settings
from echo_core.db.engine import readable_db_errors, session_factory
from echo_core.errors import EchoError, MailConfigInvalid, MailServerUnavailable
from echo_core.mail.ingest import IngestReport, ingest
from echo_core.mail.oauth2 import access_token
from echo_core.mail.sources import RawMessage
from echo_core.permissions import Actor
from echo_core.redact import redact

IMAP_TIMEOUT_SECONDS = 30.0
IDLE_CHECK_SECONDS = 1.0  # how often an idling loop looks at `stop`
SEEN, FLAGGED = rb"\Seen", rb"\Flagged"


@dataclass(frozen=True)
class ImapTarget:
    host: str
    port: int
    tls: bool
    user: str
    password: str | None
    token: str | None  # an OAuth2 access token: XOAUTH2 instead of LOGIN
    folder: str

    @property
    def display(self) -> str:
        return f"{'imaps' if self.tls else 'imap'}://{self.host}:{self.port}/{self.folder}"

    @property
    def secrets(self) -> list[str]:
        return [s for s in (self.password, self.token, *get_settings().secrets()) if s]


def imap_target(url: str, *, folder: str | None = None) -> ImapTarget:
    """imaps://[user[:password]@]host[:port][/FOLDER]; the ECHO_IMAP_* settings take precedence.

    An OAuth2 token (ECHO_IMAP_OAUTH2_TOKEN or _CMD) is read here, so call this again for each connection.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise MailConfigInvalid(
            f"'{parts.scheme}://{parts.hostname or ''}' is not an IMAP URL — use imaps://host[:993] "
            "(or imap://127.0.0.1:PORT for a local test server)."
        )
    settings = get_settings()
    user = settings.imap_user or unquote(parts.username or "")
    token = access_token(token=settings.imap_oauth2_token, command=settings.imap_oauth2_token_cmd,
                         variable="ECHO_IMAP_OAUTH2_TOKEN")
    password = settings.imap_password.get_secret_value() if settings.imap_password else unquote(parts.password or "")
    if not user or not (password or token):
        raise MailConfigInvalid("No IMAP credentials — set ECHO_IMAP_USER and ECHO_IMAP_PASSWORD, "
                                "or ECHO_IMAP_OAUTH2_TOKEN / ECHO_IMAP_OAUTH2_TOKEN_CMD for OAuth2.")
    tls = parts.scheme == "imaps"
    try:
        port = parts.port or (993 if tls else 143)
    except ValueError as error:
        raise MailConfigInvalid(f"The IMAP URL has an invalid port ({error}).") from error
    return ImapTarget(parts.hostname, port, tls, user, password or None, token,
                      folder or unquote(parts.path.strip("/")) or "INBOX")


def _reason(error: BaseException, target: ImapTarget) -> str:
    return re.sub(r"\s+", " ", redact(str(error) or type(error).__name__, target.secrets)).strip()[:300]


def connect(target: ImapTarget) -> IMAPClient:
    """A signed-in client with the folder selected; MailServerUnavailable / MailConfigInvalid say why not."""
    try:
        context = ssl.create_default_context() if target.tls else None
        client = IMAPClient(target.host, port=target.port, ssl=target.tls, ssl_context=context,
                            timeout=IMAP_TIMEOUT_SECONDS)
    except (OSError, IMAPClientError) as error:
        raise MailServerUnavailable(f"Cannot reach the IMAP server {target.display} ({_reason(error, target)}).") \
            from error
    try:
        if target.token:
            client.oauth2_login(target.user, target.token)
        else:
            client.login(target.user, target.password or "")
    except (OSError, IMAPClientError) as error:
        logout(client)
        how = "the OAuth2 token (XOAUTH2)" if target.token else "the login"
        raise MailServerUnavailable(f"The IMAP server {target.display} refused {how} ({_reason(error, target)}).") \
            from error
    try:
        client.select_folder(target.folder)
    except (OSError, IMAPClientError) as error:
        logout(client)
        raise MailConfigInvalid(f"The folder '{target.folder}' does not exist on {target.display}.") from error
    return client


def logout(client: IMAPClient) -> None:
    try:
        client.logout()
    except (OSError, IMAPClientError, LoginError):
        try:
            client.shutdown()
        except (OSError, IMAPClientError):
            pass


def _fetch(client: IMAPClient, uid: int) -> bytes:
    data = client.fetch([uid], ["BODY.PEEK[]"]).get(uid, {})
    raw = data.get(b"BODY[]")
    return raw if isinstance(raw, bytes) else b""


def store_unseen(client: IMAPClient, target: ImapTarget, *, session: Session, actor: Actor) -> IngestReport:
    """Store every unseen message of the selected folder once and mark it seen (flagged too when unreadable)."""
    report = IngestReport()
    for uid in sorted(client.search(["UNSEEN"])):
        label = f"{target.display} uid {uid}"
        one = ingest(session=session, messages=[RawMessage(label, _fetch(client, uid))], actor=actor)
        report.outcomes.extend(one.outcomes)
        report.new_deals += one.new_deals
        report.drafted += one.drafted
        report.draft_errors.extend(one.draft_errors)
        client.add_flags([uid], [SEEN] if one.failed == 0 else [SEEN, FLAGGED], silent=True)
    return report


def poll(*, session: Session, url: str, folder: str | None, actor: Actor) -> IngestReport:
    """One pass: connect, store every unseen message of the folder once, mark it seen; the ingest report."""
    target = imap_target(url, folder=folder)
    client = connect(target)
    try:
        return store_unseen(client, target, session=session, actor=actor)
    except (OSError, IMAPClientError) as error:
        raise MailServerUnavailable(
            f"The IMAP connection to {target.display} failed mid-poll ({_reason(error, target)})."
        ) from error
    finally:
        logout(client)


@dataclass(frozen=True)
class LoopEvent:
    """What the loop did, for the caller to print or log: connected | stored | checked | error | stopped."""

    kind: str
    detail: str
    report: IngestReport | None = None


def _ignore(event: LoopEvent) -> None:
    return None


def _wait_for_news(client: IMAPClient, stop: threading.Event, idle_seconds: float) -> None:
    """IDLE until the server announces mail, `idle_seconds` pass (RFC 2177: renew before 29 min) or `stop` is set."""
    client.idle()
    try:
        deadline = time.monotonic() + idle_seconds
        while not stop.is_set() and time.monotonic() < deadline:
            started = time.monotonic()
            responses = client.idle_check(timeout=IDLE_CHECK_SECONDS)
            if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses):
                return
            if not responses and time.monotonic() - started < IDLE_CHECK_SECONDS / 2:
                return  # idle_check swallows EOF: leave IDLE, and DONE tells a dropped connection from a wake-up
    finally:
        client.idle_done()  # raises when the connection has dropped


def poll_loop(
    *, engine: Engine, url: str, folder: str | None, actor: Actor, stop: threading.Event,
    on_event: Callable[[LoopEvent], None] = _ignore, use_idle: bool = True, interval: float | None = None,
    idle_seconds: float | None = None, max_backoff: float = 300.0,
) -> None:
    """Until `stop` is set: store unseen mail, then wait with IMAP IDLE (or `interval` seconds where the server
    has no IDLE); after a dropped connection or a refused sign-in, reconnect with a doubling backoff.

    A configuration error on the first connection is raised (nothing could ever work); later ones are retried,
    as a token command may fail for a while. Each pass commits its messages, so stopping never loses one.
    """
    settings = get_settings()
    interval = interval or settings.imap_poll_interval_seconds
    idle_seconds = idle_seconds or settings.imap_idle_seconds
    backoff, connected_once = 1.0, False
    make_session = session_factory(engine)
    while not stop.is_set():
        try:
            target = imap_target(url, folder=folder)
            client = connect(target)
        except (MailConfigInvalid, MailServerUnavailable) as error:
            if isinstance(error, MailConfigInvalid) and not connected_once:
                raise
            on_event(LoopEvent("error", f"{error} Retrying in {backoff:g} s."))
            stop.wait(backoff)
            backoff = min(backoff * 2, max_backoff)
            continue
        connected_once, backoff = True, 1.0
        idle = use_idle and client.has_capability("IDLE")
        on_event(LoopEvent("connected", f"{target.display}: {'IDLE' if idle else f'polling every {interval:g} s'}"))
        try:
            while not stop.is_set():
                with readable_db_errors(engine), make_session() as session:
                    report = store_unseen(client, target, session=session, actor=actor)
                # "checked" after a pass that found nothing, so a caller can beat a heartbeat on every pass
                on_event(LoopEvent("stored" if report.outcomes else "checked", report.summary(), report))
                if idle:
                    _wait_for_news(client, stop, idle_seconds)
                else:
                    stop.wait(interval)
        except (OSError, IMAPClientError) as error:
            on_event(LoopEvent("error", f"The IMAP connection to {target.display} dropped "
                                        f"({_reason(error, target)}); reconnecting in {backoff:g} s."))
            stop.wait(backoff)
            backoff = min(backoff * 2, max_backoff)
        except EchoError as error:  # the database is away: keep the mail on the server, try again later
            on_event(LoopEvent("error", f"{error} Retrying in {backoff:g} s."))
            stop.wait(backoff)
            backoff = min(backoff * 2, max_backoff)
        finally:
            logout(client)
    on_event(LoopEvent("stopped", "stopped cleanly"))
