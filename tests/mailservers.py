"""Real mail servers on 127.0.0.1 for the mail tests: aiosmtpd (SMTP) and Dovecot (IMAP).

Dovecot runs from its Debian package with a config of its own in a temp dir (plaintext
auth on loopback, one passwd-file user, maildir in the temp dir, an unprivileged port).
Where it is missing or cannot start, the IMAP tests skip with the reason — unless the
`CI` environment variable is set, where they fail instead.
"""

from __future__ import annotations

import asyncio
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class RecordingHandler:
    """Accepts and records every message — or refuses with `reply`, or stalls until `release` is set."""

    received: list[Received] = field(default_factory=list)
    reply: str | None = None
    stall: bool = False
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.stall:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 aborted by the test"  # never accepted: the client was killed meanwhile
        if self.reply:
            return self.reply
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 OK"

    def message_ids(self) -> list[str]:
        return [str(r.message["Message-ID"]) for r in self.received]


class SmtpServer:
    """aiosmtpd on 127.0.0.1:`port`; start/stop at will (stopped = connection refused)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpServer:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self.handler.release.set()
            self._controller.stop()
            self._controller = None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"IMAP tests must run in CI: {reason}")
    pytest.skip(reason)


class Dovecot:
    """A private Dovecot instance; `user`/`password` log in, `port` is the plain IMAP listener."""

    user = "seekers"
    password = "imap-test-secret"

    def __init__(self) -> None:
        binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
        if binary is None:
            _unavailable("dovecot is not installed (Debian package dovecot-imapd; `make test` installs it)")
        self.binary = str(binary)
        # A short path: Dovecot's unix sockets live under base_dir and paths are length-limited.
        self.root = Path(tempfile.mkdtemp(prefix="echo-dv-"))
        self.root.chmod(0o755)  # Dovecot's auth and mail processes run as other users and must reach it
        self.port = free_port()
        self.config = self.root / "dovecot.conf"
        self.log = self.root / "dovecot.log"

    def _write_config(self) -> None:
        mail = self.root / "mail"
        (self.root / "run").mkdir()
        mail.mkdir()
        if os.geteuid() == 0:  # mail processes may not run as root: use nobody and let it own the maildir
            owner = pwd.getpwnam("nobody")
            os.chown(mail, owner.pw_uid, owner.pw_gid)
            extra = ""
        else:  # unprivileged: every Dovecot process runs as the current user
            owner = pwd.getpwuid(os.getuid())
            extra = (f"default_internal_user = {owner.pw_name}\ndefault_login_user = {owner.pw_name}\n"
                     f"default_internal_group = {os.getgid()}\n")
        (self.root / "users").write_text(
            f"{self.user}:{{PLAIN}}{self.password}:{owner.pw_uid}:{owner.pw_gid}::{mail}/{self.user}\n"
        )
        self.config.write_text(
            f"""protocols = imap
listen = 127.0.0.1
base_dir = {self.root}/run
state_dir = {self.root}/run
instance_name = echo-test-{self.port}
log_path = {self.log}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
mail_location = maildir:{mail}/%u
{extra}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {self.root}/users
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""
        )

    def start(self) -> Dovecot:
        self._write_config()
        # The daemon forks and keeps its stdio: send it to a file, not to a pipe we would wait on.
        errors = self.root / "start.err"
        with errors.open("wb") as err:
            code = subprocess.run([self.binary, "-c", str(self.config)], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=err, timeout=20).returncode
        if code != 0:
            reason = errors.read_text(errors="replace").strip()[:400]
            self.cleanup()
            _unavailable(f"dovecot could not start: {reason}")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                imaplib.IMAP4("127.0.0.1", self.port, timeout=2).logout()
                return self
            except OSError:
                time.sleep(0.1)
        log = self.log.read_text(errors="replace")[-400:] if self.log.exists() else ""
        self.stop()
        _unavailable(f"dovecot did not listen on 127.0.0.1:{self.port}: {log}")
        return self

    def connect(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(self.user, self.password)
        conn.select("INBOX")
        return conn

    def append(self, *messages: bytes) -> None:
        conn = self.connect()
        try:
            for raw in messages:
                status, data = conn.append("INBOX", None, None, raw)
                assert status == "OK", data
        finally:
            conn.logout()

    def flags(self) -> dict[str, str]:
        """Message-ID header → FLAGS of every message in INBOX."""
        conn = self.connect()
        try:
            _, data = conn.uid("FETCH", "1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        finally:
            conn.logout()
        found: dict[str, str] = {}
        for item in data:
            if isinstance(item, tuple):
                header = item[1].decode().split(":", 1)[-1].strip()
                found[header] = item[0].decode()
        return found

    def stop(self) -> None:
        subprocess.run([self.binary, "-c", str(self.config), "stop"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=20)
        pid_file = self.root / "run" / "master.pid"
        deadline = time.monotonic() + 10
        while pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        if pid_file.exists():  # our own master process only, by its pid
            try:
                os.kill(int(pid_file.read_text().strip()), signal.SIGKILL)
            except (OSError, ValueError):
                pass
        self.cleanup()

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
