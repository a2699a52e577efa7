"""Real mail servers on 127.0.0.1 for the mail tests: aiosmtpd (SMTP) and Dovecot (IMAP).

For OAuth2, a token-introspection HTTP server (`TokenServer`) answers Dovecot's `oauth2` passdb and
aiosmtpd checks XOAUTH2 against the same tokens; `TcpProxy` sits between a client and Dovecot so a
test can drop every connection at once (or hide the IDLE capability).

Dovecot runs from its Debian package with a config of its own in a temp dir (plaintext
auth on loopback, one passwd-file user, maildir in the temp dir, an unprivileged port).
Where it is missing or cannot start, the IMAP tests skip with the reason — unless the
`CI` environment variable is set, where they fail instead.
"""

from __future__ import annotations

import asyncio
import base64
import imaplib
import json
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


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


@dataclass
class XOAuth2Handler(RecordingHandler):
    """Also offers AUTH XOAUTH2 and accepts the bearer tokens in `tokens`; records (user, token) per attempt."""

    tokens: set[str] = field(default_factory=set)
    attempts: list[tuple[str, str]] = field(default_factory=list)

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> AuthResult:
        decoded = base64.b64decode(args[1]).decode() if len(args) > 1 else ""
        fields = dict(item.split("=", 1) for item in decoded.split("\x01") if "=" in item)
        user, token = fields.get("user", ""), fields.get("auth", "").removeprefix("Bearer ")
        self.attempts.append((user, token))
        return AuthResult(success=token in self.tokens, handled=False, auth_data=user)


class SmtpServer:
    """aiosmtpd on 127.0.0.1:`port`; start/stop at will (stopped = connection refused).

    With `xoauth2_tokens`, the server requires AUTH XOAUTH2 (offered without TLS: loopback only).
    """

    def __init__(self, port: int | None = None, *, xoauth2_tokens: set[str] | None = None) -> None:
        self.port = port or free_port()
        self.handler: RecordingHandler = (
            XOAuth2Handler(tokens=xoauth2_tokens) if xoauth2_tokens is not None else RecordingHandler()
        )
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpServer:
        if isinstance(self.handler, XOAuth2Handler):
            self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, auth_required=True,
                                          auth_require_tls=False, auth_exclude_mechanism=["LOGIN", "PLAIN"])
        else:
            self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self.handler.release.set()
            self._controller.stop()
            self._controller = None


class TokenServer:
    """OAuth2 token introspection (RFC 7662) on 127.0.0.1: `tokens` maps each valid token to its user.

    Every call is recorded in `calls` (the token presented), so a test sees what the mail server asked.
    """

    def __init__(self, tokens: dict[str, str]) -> None:
        self.tokens = tokens
        self.calls: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                token = (form.get("token") or [""])[0]
                outer.calls.append(token)
                user = outer.tokens.get(token)
                body = json.dumps({"active": True, "username": user} if user else {"active": False}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/introspect"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class TcpProxy:
    """Forwards 127.0.0.1:`port` to `target_port`; `drop()` cuts every open connection, as a network would.

    With `hide_idle`, 'IDLE' is removed from the server's capability lists, like a server without IDLE.
    """

    def __init__(self, target_port: int, *, hide_idle: bool = False) -> None:
        self.target_port = target_port
        self.hide_idle = hide_idle
        self.connections = 0
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            with self._lock:
                self.connections += 1
                self._sockets += [client, server]
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, self.hide_idle), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket, hide_idle: bool) -> None:
        try:
            while data := source.recv(65536):
                if hide_idle and b"CAPABILITY" in data:
                    data = data.replace(b" IDLE", b"")
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def drop(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def stop(self) -> None:
        self._listener.close()
        self.drop()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"IMAP tests must run in CI: {reason}")
    pytest.skip(reason)


class Dovecot:
    """A private Dovecot instance; `user`/`password` log in, `port` is the plain IMAP listener."""

    user = "seekers"
    password = "imap-test-secret"

    def __init__(self, *, oauth2_introspection_url: str | None = None) -> None:
        self.oauth2_introspection_url = oauth2_introspection_url
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
        oauth2 = ""
        mechanisms = "plain login"
        if self.oauth2_introspection_url:
            mechanisms += " xoauth2 oauthbearer"
            (self.root / "oauth2.conf.ext").write_text(
                f"introspection_mode = post\nintrospection_url = {self.oauth2_introspection_url}\n"
                "username_attribute = username\nactive_attribute = active\nactive_value = true\n"
            )
            oauth2 = (f"passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n"
                      f"  args = {self.root}/oauth2.conf.ext\n}}\n")
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
auth_mechanisms = {mechanisms}
auth_failure_delay = 0
first_valid_uid = 0
mail_location = maildir:{mail}/%u
{extra}{oauth2}passdb {{
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
