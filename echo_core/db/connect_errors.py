"""One readable line for a failed connection: TLS problems named as such, with the fix.

Light on purpose (no SQLAlchemy, no settings): `db ping` uses it and must answer in under a second.
"""

from __future__ import annotations

import re

# (pattern in libpq's message, what it means and what to do)
_TLS_CAUSES: list[tuple[str, str]] = [
    (r"certificate verify failed",
     "the server's TLS certificate is not signed by the CA in sslrootcert — point sslrootcert at the CA that "
     "signed the server's certificate"),
    (r"does not match host name",
     "the server's TLS certificate is not for this host name (sslmode=verify-full checks it) — connect by the "
     "name in the certificate, or fix the certificate"),
    (r"root certificate file .* does not exist",
     "sslrootcert names a file that does not exist — give the path of the CA certificate (PEM)"),
    (r"could not read root certificate file|could not load root certificate",
     "sslrootcert is not a readable PEM certificate — give the path of the CA certificate"),
    (r"server does not support SSL",
     "the server does not offer TLS but sslmode requires it — enable ssl on the server"),
    (r"no encryption",
     "the server accepts this connection only over TLS — add sslmode=verify-full (and sslrootcert) to the URL"),
    (r"certificate has expired",
     "the server's TLS certificate has expired — renew it"),
    (r"SSL error|SSL SYSCALL error|tlsv1 alert|ssl/tls alert",
     "the TLS handshake failed — check sslmode, sslrootcert and the server's certificate"),
]


def first_line(error: BaseException | str) -> str:
    text = str(error).strip()
    # libpq prefixes "connection failed: connection to server at …, port … failed: " — keep the cause.
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def tls_cause(error: BaseException | str) -> str | None:
    """What a TLS failure means and how to fix it, or None when the error is not about TLS."""
    text = str(error)
    for pattern, meaning in _TLS_CAUSES:
        if re.search(pattern, text, re.IGNORECASE):
            return meaning
    return None


def describe(error: BaseException | str, where: str) -> str:
    """One line naming the server (`where`, password already hidden) and the fix."""
    cause = tls_cause(error)
    if cause is not None:
        return f"TLS to PostgreSQL at {where} failed: {cause}."
    detail = first_line(error)
    detail = re.sub(r"^connection failed: ", "", detail)[:240]
    return (f"Cannot reach PostgreSQL at {where} ({detail}) — start the server (`docker compose up -d db`), "
            "fix DATABASE_URL, or unset it to use the embedded server.")


def public_cause(error: BaseException | str) -> str:
    """The failure's cause without the server's host, port, database or user names (quoted by libpq)."""
    if tls_cause(error) is not None:
        return "the TLS handshake failed"
    cause = first_line(error).rsplit("failed: ", 1)[-1]
    cause = re.sub(r"^(FATAL|ERROR):\s*", "", cause)
    cause = re.sub(r"""\b(database|role)\s*["'][^"']*["']""", r"the \1", cause)
    cause = re.sub(r"""\s*(?:for user|to address|host name|host|at)\s*["'][^"']*["']""", "", cause)
    cause = re.sub(r"""["'][^"']*["']""", "…", cause)
    cause = re.sub(r"\bport \d+\b", "the port", cause)
    return cause.strip(" :,")[:160] or "no answer"


def describe_public(error: BaseException | str) -> str:
    """One line for anyone, signed in or not: the database is not reachable and where to look, no user or host."""
    return (f"the database at DATABASE_URL is not reachable ({public_cause(error)}) — check that PostgreSQL is "
            "running and that DATABASE_URL names the right host, port, user and password.")
