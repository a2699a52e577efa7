"""Sign-in throttling (revision 0016): failure counters for what `users` cannot hold.

`users.failed_attempts` / `locked_until` lock a known account. The same policy must apply to an address
that has no account (or an answer would tell the two apart), and to the client address many guesses
come from: both are rows here, keyed by a SHA-256 of the address (a mistyped password typed into the
email field is never stored in clear).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from echo_core.db.models import Base


class SignInThrottle(Base):
    __tablename__ = "sign_in_throttle"
    __table_args__ = (
        CheckConstraint("failures >= 0", name="failures_not_negative"),
        CheckConstraint("kind IN ('address', 'source')", name="kind_valid"),
    )

    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # kind:sha256-hex
    kind: Mapped[str] = mapped_column(String(10))
    failures: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))
