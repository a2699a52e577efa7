"""A failed connection is one line naming the cause; TLS failures say which setting to fix."""

from __future__ import annotations

import pytest

from echo_core.db.connect_errors import describe

WHERE = "postgresql://u:***@db.example:5432/echo"


@pytest.mark.parametrize(("libpq", "says"), [
    ('connection to server at "10.0.0.5", port 5432 failed: SSL error: certificate verify failed',
     "not signed by the CA in sslrootcert"),
    ('connection to server at "10.0.0.5", port 5432 failed: server certificate for "db.example" does not match '
     'host name "10.0.0.5"', "not for this host name"),
    ('connection to server at "h", port 5432 failed: root certificate file "/nope.pem" does not exist\n'
     "Either provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode",
     "names a file that does not exist"),
    ('connection to server at "h", port 5432 failed: FATAL:  no pg_hba.conf entry for host "1.2.3.4", user "u", '
     'database "echo", no encryption', "only over TLS"),
    ("server does not support SSL, but SSL was required", "does not offer TLS"),
])
def test_tls_failures_name_the_setting_to_fix(libpq: str, says: str) -> None:
    line = describe(libpq, WHERE)
    assert line.startswith(f"TLS to PostgreSQL at {WHERE} failed:") and says in line and "\n" not in line


def test_other_failures_keep_the_cause_and_the_usual_advice() -> None:
    line = describe('connection failed: connection to server at "127.0.0.1", port 1 failed: Connection refused\n'
                    "\tIs the server running on that host and accepting TCP/IP connections?", WHERE)
    assert line.startswith(f"Cannot reach PostgreSQL at {WHERE} (connection to server")
    assert "Connection refused" in line and "\n" not in line and "DATABASE_URL" in line
