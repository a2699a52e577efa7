"""What generation hands to the rest of the core."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class GeneratedReply:
    """One generated reply, every JSON value already in the seed's shapes (camelCase keys).

    - `reasoning`: echo_core.schemas.Reasoning dumped
    - `metadata`: echo_core.schemas.DraftMetadata dumped
    - `validation`: echo_core.schemas.Validation dumped (the fact check of `body`)
    """

    body: str
    confidence: int
    reasoning: dict[str, Any]
    metadata: dict[str, Any]
    validation: dict[str, Any]
