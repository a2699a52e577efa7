"""Demo drafts: filled in once generation and the lifecycle rules exist."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from echo_core.demo.seed import SeedReport


def seed_drafts(session: Session, *, now: datetime, report: SeedReport) -> None:
    return None
