"""TLS to the database: a second PostgreSQL with a certificate made here, reached with sslmode=verify-full by the
app, the migrations, pg_dump and `db ping`; a wrong CA, a wrong host name and a plain connection are each refused
in one clear line, with no traceback and no password."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from echo_core.config import PROJECT_ROOT
from echo_core.db.engine import make_engine, readable_db_errors
from echo_core.db.server import normalize_url
from echo_core.errors import DatabaseUnavailable
from tests.pgserver import PASSWORD, TlsPostgres, make_authority, require_system_postgres, server_certificate


@dataclass(frozen=True)
class Tls:
    server: TlsPostgres
    ca: Path
    wrong_ca: Path


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tls]:
    folder = tmp_path_factory.mktemp("tls")
    ca, stranger = make_authority("Echo test CA"), make_authority("Someone else's CA")
    (folder / "ca.pem").write_bytes(ca.pem())
    (folder / "wrong-ca.pem").write_bytes(stranger.pem())
    cert, key = server_certificate(ca, "localhost")  # the name verify-full checks; not 127.0.0.1
    server = TlsPostgres(require_system_postgres()).start(cert, key)
    try:
        yield Tls(server, folder / "ca.pem", folder / "wrong-ca.pem")
    finally:
        server.stop()


def cli(*args: str, url: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "DATABASE_URL": url, **env}
    return subprocess.run([sys.executable, "-m", "echo_core", *args], cwd=PROJECT_ROOT, env=environ,
                          capture_output=True, text=True, timeout=180)


def one_clear_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert PASSWORD not in result.stderr + result.stdout
    return result.stderr


def test_verify_full_works_for_the_app_the_migrations_pg_dump_and_ping(tls: Tls, tmp_path: Path) -> None:
    url = tls.server.url(ca=tls.ca)

    ping = cli("db", "ping", url=url)
    assert ping.returncode == 0 and ping.stdout.startswith("ok: PostgreSQL "), ping.stderr
    assert cli("db", "upgrade", url=url).returncode == 0
    status = cli("db", "status", "--json", url=url)
    assert status.returncode == 0, status.stderr
    monitoring = json.loads(status.stdout)["monitoring"]
    assert monitoring["connections"]["this_connection_tls"] is True
    backup = cli("db", "backup", str(tmp_path / "tls.dump"), url=url)  # pg_dump with TLS: the installed one
    assert backup.returncode == 0 and (tmp_path / "tls.dump").stat().st_size > 0, backup.stderr
    verify = cli("db", "verify-backup", str(tmp_path / "tls.dump"), url=url)
    assert verify.returncode == 0 and ": GOOD —" in verify.stdout, verify.stderr

    engine = make_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).one()
    finally:
        engine.dispose()
    assert row.ssl is True and row.version.startswith("TLS")


def test_a_wrong_ca_is_refused_in_one_clear_line(tls: Tls) -> None:
    url = tls.server.url(ca=tls.wrong_ca)

    for args in (("db", "ping"), ("db", "status")):
        line = one_clear_line(cli(*args, url=url), 3)
        assert line.startswith("error: TLS to PostgreSQL at postgresql")
        assert "not signed by the CA in sslrootcert" in line and "postgres:***@localhost" in line


def test_the_app_layer_names_the_wrong_ca_too(tls: Tls) -> None:
    engine = make_engine(normalize_url(tls.server.url(ca=tls.wrong_ca)))
    try:
        with pytest.raises(DatabaseUnavailable, match="not signed by the CA in sslrootcert") as caught:
            with readable_db_errors(engine), engine.connect():
                pass
    finally:
        engine.dispose()
    assert PASSWORD not in str(caught.value) and "\n" not in str(caught.value)


def test_verify_full_refuses_a_host_name_the_certificate_does_not_name(tls: Tls) -> None:
    line = one_clear_line(cli("db", "ping", url=tls.server.url("127.0.0.1", ca=tls.ca)), 3)
    assert "not for this host name" in line


def test_the_server_refuses_a_connection_without_tls(tls: Tls) -> None:
    line = one_clear_line(cli("db", "ping", url=tls.server.url(sslmode="disable")), 3)
    assert "only over TLS" in line


def test_require_tls_refuses_a_database_url_without_it() -> None:
    result = cli("db", "status", url="postgresql://echo:pw-not-shown@db.example/echo", ECHO_DATABASE_REQUIRE_TLS="true")
    line = one_clear_line(result, 3)
    assert "ECHO_DATABASE_REQUIRE_TLS is on" in line and "sslmode=verify-full" in line
