"""How a message leaves: SMTP (plain, STARTTLS or SSL) or, by default, .eml files in the data directory.

Errors are classified: `PermanentFailure` (the server said 5xx: retrying cannot help) or
`TransientFailure` (anything else: connection refused, timeouts, 4xx) — the worker retries only these.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import unquote, urlsplit

from pydantic import SecretStr

from echo_core.config import Settings, get_settings
from echo_core.errors import MailConfigInvalid
from echo_core.mail.oauth2 import access_token, xoauth2_string
from echo_core.redact import redact

Security = Literal["plain", "starttls", "ssl"]
_SCHEMES: dict[str, tuple[Security, int]] = {
    "smtp": ("plain", 25),
    "smtp+starttls": ("starttls", 587),
    "smtps": ("ssl", 465),
}


class DeliveryFailure(Exception):
    """A delivery attempt failed; `str()` is a one-line, secret-free reason."""


class TransientFailure(DeliveryFailure):
    """Worth retrying later."""


class PermanentFailure(DeliveryFailure):
    """The server refused the message for good (5xx)."""


class Transport(Protocol):
    description: str

    def send(self, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


def _safe_name(message_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", message_id.strip("<>"))[:180] or "message"


class FileTransport:
    """The embedded demo default: nothing leaves the machine. Re-delivery overwrites the same file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.description = f"file:{directory}"

    def send(self, message: EmailMessage) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            target = self.directory / f"{_safe_name(str(message['Message-ID']))}.eml"
            # Write then rename: a crash never leaves half a message behind.
            fd, temp = tempfile.mkstemp(dir=self.directory, suffix=".part")
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.as_bytes())
            os.replace(temp, target)
        except OSError as error:
            raise TransientFailure(f"cannot write to {self.directory} ({error.strerror or error})") from error

    def close(self) -> None:
        return None


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    security: Security
    user: str | None
    password: str | None
    timeout: float
    oauth2_token: SecretStr | None = None  # XOAUTH2 instead of a password (Gmail, Microsoft 365) …
    oauth2_command: str | None = None  # … or a command printing a fresh token, run at each connection

    @property
    def description(self) -> str:
        scheme = {"plain": "smtp", "starttls": "smtp+starttls", "ssl": "smtps"}[self.security]
        return f"{scheme}://{self.host}:{self.port}"


def smtp_target(url: str, settings: Settings) -> SmtpTarget:
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise MailConfigInvalid(
            "ECHO_SMTP_URL must look like smtp://host:port, smtp+starttls://host:587 or smtps://host:465."
        )
    security, default_port = _SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError as error:
        raise MailConfigInvalid(f"ECHO_SMTP_URL has an invalid port ({error}).") from error
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else unquote(parts.password or "")
    return SmtpTarget(
        host=parts.hostname,
        port=port,
        security=security,
        user=settings.smtp_user or unquote(parts.username or "") or None,
        password=password or None,
        timeout=settings.smtp_timeout_seconds,
        oauth2_token=settings.smtp_oauth2_token,
        oauth2_command=settings.smtp_oauth2_token_cmd,
    )


class SmtpTransport:
    """One connection reused across a batch; dropped on any error so the next send reconnects."""

    def __init__(self, target: SmtpTarget) -> None:
        self.target = target
        self.description = target.description
        self._conn: smtplib.SMTP | None = None
        self._token: str | None = None

    def _connect(self) -> smtplib.SMTP:
        t = self.target
        context = ssl.create_default_context()
        conn: smtplib.SMTP
        if t.security == "ssl":
            conn = smtplib.SMTP_SSL(t.host, t.port, timeout=t.timeout, context=context)
        else:
            conn = smtplib.SMTP(t.host, t.port, timeout=t.timeout)
            if t.security == "starttls":
                conn.starttls(context=context)
                conn.ehlo()
        try:
            self._sign_in(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _sign_in(self, conn: smtplib.SMTP) -> None:
        t = self.target
        self._token = access_token(token=t.oauth2_token, command=t.oauth2_command, variable="ECHO_SMTP_OAUTH2_TOKEN")
        if self._token:
            if not t.user:
                raise MailConfigInvalid("SMTP OAuth2 needs the account: set ECHO_SMTP_USER (or user@ in the URL).")
            conn.ehlo_or_helo_if_needed()
            auth_string = xoauth2_string(t.user, self._token)
            # After a refusal the server sends a 334 challenge with its reason; an empty answer ends the exchange.
            conn.auth("XOAUTH2", lambda challenge=None: auth_string if challenge is None else "",
                      initial_response_ok=True)
        elif t.user and t.password:
            conn.login(t.user, t.password)

    def send(self, message: EmailMessage) -> None:
        try:
            if self._conn is None:
                self._conn = self._connect()
            refused = self._conn.send_message(message)
        except MailConfigInvalid as error:  # a token command failed: retried, so fixing it delivers the queue
            self.close()
            raise TransientFailure(f"{self.description}: {error}") from error
        except smtplib.SMTPRecipientsRefused as error:
            self.close()
            codes = [code for code, _ in error.recipients.values()]
            reason = self._reason(error)
            raise (PermanentFailure if codes and min(codes) >= 500 else TransientFailure)(reason) from error
        except smtplib.SMTPAuthenticationError as error:
            self.close()  # a configuration problem: retried, so fixing the password delivers the queue
            raise TransientFailure(self._reason(error)) from error
        except smtplib.SMTPResponseException as error:
            self.close()
            raise (PermanentFailure if error.smtp_code >= 500 else TransientFailure)(self._reason(error)) from error
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise TransientFailure(self._reason(error)) from error
        if refused:  # one recipient only, so this means the server refused it
            raise PermanentFailure(f"{self.description} refused {', '.join(refused)}")

    def _reason(self, error: BaseException) -> str:
        text = re.sub(r"\s+", " ", str(error) or type(error).__name__)
        secrets = [s for s in (self.target.password, self._token, *get_settings().secrets()) if s]
        return f"{self.description}: {type(error).__name__}: {redact(text, secrets)}"[:500]

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (smtplib.SMTPException, OSError):
                conn.close()


def transport_from_settings(settings: Settings | None = None) -> Transport:
    """SMTP when ECHO_SMTP_URL is set, else .eml files in ECHO_DATA_DIR/outbox/."""
    settings = settings or get_settings()
    url = settings.smtp_url.get_secret_value().strip() if settings.smtp_url else ""
    if not url:
        return FileTransport(settings.data_dir / "outbox")
    return SmtpTransport(smtp_target(url, settings))
