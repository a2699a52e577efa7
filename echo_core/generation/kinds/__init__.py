"""The registry of question kinds: `KINDS[name]` holds everything about one kind (see base.QuestionKind)."""

from __future__ import annotations

from echo_core.generation.kinds.base import Facet, QuestionKind
from echo_core.generation.kinds.registry import ENTRIES

KINDS: dict[str, QuestionKind] = {entry.name: entry for entry in ENTRIES}
OTHER = "other"
# The kinds answered from a space's data (every kind but `other`, which is deferred by name).
KNOWN: tuple[str, ...] = tuple(name for name in KINDS if name != OTHER)
LABELS: dict[str, str] = {name: entry.label for name, entry in KINDS.items()}


def kind(name: str) -> QuestionKind:
    """The registry entry for `name` (KeyError names the unknown kind)."""
    return KINDS[name]


__all__ = ["KINDS", "KNOWN", "LABELS", "OTHER", "Facet", "QuestionKind", "kind"]
