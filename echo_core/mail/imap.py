"""Poll a mailbox over IMAP: fetch unseen messages, store them, then mark them seen.

Messages are fetched with BODY.PEEK (fetching does not mark them) and flagged \\Seen only
after their outcome is committed, so a crash between the two re-fetches them next time
and the Message-ID dedup stores them once. Unreadable messages are flagged too, so they
are reported once and a broker finds them in the mail client.
"""

from __future__ import annotations

import imaplib
import re
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from sqlalchemy.orm import Session

from echo_core.config import get_settings
from echo_core.errors import MailConfigInvalid, MailServerUnavailable
from echo_core.mail.ingest import IngestReport, ingest
from echo_core.mail.sources import RawMessage
from echo_core.permissions import Actor
from echo_core.redact import redact

IMAP_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class ImapTarget:
    host: str
    port: int
    tls: bool
    user: str
    password: str
    folder: str

    @property
    def display(self) -> str:
        return f"{'imaps' if self.tls else 'imap'}://{self.host}:{self.port}/{self.folder}"


def imap_target(url: str, *, folder: str | None = None) -> ImapTarget:
    """imaps://[user[:password]@]host[:port][/FOLDER]; ECHO_IMAP_USER/ECHO_IMAP_PASSWORD take precedence."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise MailConfigInvalid(
            f"'{parts.scheme}://{parts.hostname or ''}' is not an IMAP URL — use imaps://host[:993] "
            "(or imap://127.0.0.1:PORT for a local test server)."
        )
    settings = get_settings()
    user = settings.imap_user or unquote(parts.username or "")
    password = settings.imap_password.get_secret_value() if settings.imap_password else unquote(parts.password or "")
    if not user or not password:
        raise MailConfigInvalid("No IMAP credentials — set ECHO_IMAP_USER and ECHO_IMAP_PASSWORD.")
    tls = parts.scheme == "imaps"
    try:
        port = parts.port or (993 if tls else 143)
    except ValueError as error:
        raise MailConfigInvalid(f"The IMAP URL has an invalid port ({error}).") from error
    return ImapTarget(parts.hostname, port, tls, user, password, folder or unquote(parts.path.strip("/")) or "INBOX")


def _connect(target: ImapTarget) -> imaplib.IMAP4:
    try:
        if target.tls:
            context = ssl.create_default_context()
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                target.host, target.port, ssl_context=context, timeout=IMAP_TIMEOUT_SECONDS
            )
        else:
            conn = imaplib.IMAP4(target.host, target.port, timeout=IMAP_TIMEOUT_SECONDS)
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailServerUnavailable(f"Cannot reach the IMAP server {target.display} ({error}).") from error
    try:
        conn.login(target.user, target.password)
        status, _ = conn.select(_quote(target.folder))
    except (OSError, imaplib.IMAP4.error) as error:
        _logout(conn)
        reason = redact(str(error), [target.password])
        raise MailServerUnavailable(f"The IMAP server {target.display} refused the login ({reason}).") from error
    if status != "OK":
        _logout(conn)
        raise MailConfigInvalid(f"The folder '{target.folder}' does not exist on {target.display}.")
    return conn


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _logout(conn: imaplib.IMAP4) -> None:
    try:
        conn.logout()
    except (OSError, imaplib.IMAP4.error):
        pass


def _fetch(conn: imaplib.IMAP4, uid: bytes) -> bytes | None:
    status, data = conn.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def poll(*, session: Session, url: str, folder: str | None, actor: Actor) -> IngestReport:
    """Store every unseen message of the folder once and mark it seen; returns the ingest report."""
    target = imap_target(url, folder=folder)
    conn = _connect(target)
    try:
        status, data = conn.uid("SEARCH", "UNSEEN")
        if status != "OK":
            raise MailServerUnavailable(f"The IMAP server {target.display} refused the search for unseen mail.")
        uids = data[0].split() if data and data[0] else []
        report = IngestReport()
        for uid in uids:
            label = f"{target.display} uid {uid.decode()}"
            raw = _fetch(conn, uid)
            one = ingest(session=session, messages=[RawMessage(label, raw or b"")], actor=actor)
            report.outcomes.extend(one.outcomes)
            report.new_deals += one.new_deals
            report.drafted += one.drafted
            report.draft_errors.extend(one.draft_errors)
            flags = r"(\Seen)" if one.failed == 0 else r"(\Seen \Flagged)"
            conn.uid("STORE", uid.decode(), "+FLAGS", flags)
        return report
    except (OSError, imaplib.IMAP4.error) as error:
        reason = re.sub(r"\s+", " ", redact(str(error), [target.password]))
        raise MailServerUnavailable(f"The IMAP connection to {target.display} failed mid-poll ({reason}).") from error
    finally:
        _logout(conn)
