"""Which linked space a question (or a sentence of a draft) is about."""

from __future__ import annotations

import re

from echo_core.generation.context import ReplyContext, SpaceFacts


def _aliases(space: SpaceFacts) -> list[str]:
    names = [space.name]
    street = space.address.split(",")[0].strip()
    if street and re.match(r"^\d+\s+\w+", street):
        names.append(street)
        # "2120 Mission" without the street suffix
        names.append(" ".join(street.split()[:2]))
    return [n for n in names if len(n) >= 4]


def mentioned(text: str, context: ReplyContext) -> list[SpaceFacts]:
    """Linked spaces named in `text` (by name or street address), in order of first mention."""
    hits: list[tuple[int, SpaceFacts]] = []
    lowered = text.lower()
    for space in context.spaces:
        positions = [m.start() for alias in _aliases(space)
                     for m in re.finditer(r"(?<!\w)" + re.escape(alias.lower()) + r"(?!\w)", lowered)]
        if positions:
            hits.append((min(positions), space))
    return [space for _, space in sorted(hits, key=lambda h: h[0])]


def default_space(context: ReplyContext) -> SpaceFacts | None:
    shortlist = context.shortlist
    return shortlist[0] if shortlist else None


def target_spaces(sentence: str, email_body: str, context: ReplyContext, *, focus: SpaceFacts | None = None
                  ) -> list[SpaceFacts]:
    """The space(s) a question is about: named in the sentence, else in the email, else the shortlist's first."""
    if focus is not None:
        return [focus]
    in_sentence = mentioned(sentence, context)
    if in_sentence:
        return in_sentence
    in_email = mentioned(email_body, context)
    if in_email:
        return in_email[:1] if not re.search(r"\b(both|each|either|all (of )?(them|three|the spaces))\b",
                                             sentence, re.IGNORECASE) else in_email
    if re.search(r"\b(both|each|either|all (of )?(them|the spaces))\b", sentence, re.IGNORECASE):
        return [s for s in context.shortlist if s.status != "rejected"][:3] or context.shortlist[:1]
    first = default_space(context)
    return [first] if first else []
