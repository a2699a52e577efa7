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


def _mentions(text: str, context: ReplyContext) -> list[tuple[int, int, SpaceFacts]]:
    """(start, end, space) of every mention of a linked space's name or street address."""
    lowered = text.lower()
    found = [(m.start(), m.end(), space) for space in context.spaces for alias in _aliases(space)
             for m in re.finditer(r"(?<!\w)" + re.escape(alias.lower()) + r"(?!\w)", lowered)]
    return sorted(found, key=lambda hit: (hit[0], -hit[1]))


def mentioned_at(text: str, context: ReplyContext) -> list[tuple[int, SpaceFacts]]:
    """Each mention's position and space, in order."""
    return [(start, space) for start, _, space in _mentions(text, context)]


def mentioned(text: str, context: ReplyContext) -> list[SpaceFacts]:
    """Linked spaces named in `text` (by name or street address), in order of first mention."""
    first: dict[int, tuple[int, SpaceFacts]] = {}
    for start, _, space in _mentions(text, context):
        first.setdefault(space.id, (start, space))
    return [space for _, space in sorted(first.values(), key=lambda h: h[0])]


def mask(text: str, context: ReplyContext | None) -> str:
    """`text` with every space name replaced by "the space", so a name ("Dogpatch Works") never reads as a topic."""
    if context is None:
        return text
    out, last = [], 0
    for start, end, _ in _mentions(text, context):
        if start < last:
            continue
        out.append(text[last:start] + "the space")
        last = end
    return "".join(out) + text[last:]


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
