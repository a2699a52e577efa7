"""The composer's reply text and its reasoning record, from the answer units.

"Shorter" keeps each answer's key parts (every part that answers an ask, every caveat and
deferral) and drops the pleasantries; "drop the pleasantries" keeps every answer whole.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from echo_core.generation import coverage
from echo_core.generation.kinds import LABELS, OTHER
from echo_core.schemas import Reasoning

if TYPE_CHECKING:
    from echo_core.generation.answers import Answer
    from echo_core.generation.composer import Unit
    from echo_core.generation.context import ReplyContext, SpaceFacts
    from echo_core.generation.instructions import Style
    from echo_core.generation.questions import Question


def body_of(context: ReplyContext, units: list[Unit], extra: list[Answer], style: Style,
            named: list[SpaceFacts]) -> str:
    deal = context.deal
    short = style.length == "short"
    chatty = style.pleasantries and not short
    names = list(dict.fromkeys(u.answer.space.name for u in units if u.answer.space and u.answer.space in named))
    about = f" about {names[0]}" if len(names) == 1 else ""
    if style.tone == "formal":
        lines = [f"Dear {deal.seeker_name},", ""]
        opening = f"Thank you for your message{about}. Please find the details below."
    elif style.tone == "casual":
        lines = [f"Hi {deal.first_name}!", ""]
        opening = f"Thanks for the note{about} — here's the scoop."
    else:
        lines = [f"Hi {deal.first_name},", ""]
        opening = f"Thanks for your email{about}!" + (" Here's what I found." if units else "")
    if chatty:
        lines += [opening, ""]
    for unit in units:
        text = unit.answer.key_text if short else unit.answer.text
        if text:
            lines += [f"- {text}" if style.bullets else text, ""]
    if not units:
        lines += ["Thanks for the update — just let me know whenever there's anything you'd like to know about the "
                  "spaces." if chatty else "Thanks for the update.", ""]
    for a in extra:
        lines += [f"One more thing to flag: {a.key_text if short else a.text}", ""]
    if style.length == "long":
        spaces = {u.answer.space.id: u.answer.space for u in units if u.answer.space}
        for space in spaces.values():
            line = _background(space)
            if line:
                lines += [line, ""]
        lines += ["If it's easier, I'm happy to walk through everything on a quick call.", ""]
    if style.offer_call:
        lines += ["Happy to hop on a call if that's easier — just let me know a time that suits you.", ""]
    if chatty:
        lines += ["Let me know if you have any other questions." if style.tone != "formal"
                  else "Please let me know if I can provide anything further.", ""]
    sign = {"formal": "Kind regards,", "casual": "Cheers,"}.get(style.tone or "", "Best,")
    lines += [sign] + ([style.signature] if style.signature else []) + [f"The {context.brokerage} team",
                                                                          context.agent_email]
    return "\n".join(lines)


def _background(space: SpaceFacts) -> str:
    parts = []
    if space.neighborhood:
        parts.append(f"{space.name} is in {space.neighborhood}, at {space.address}")
    if space.host_context:
        parts.append(f"a bit of background on the host: {space.host_context.rstrip('.')}")
    return ("; ".join(parts) + ".") if parts else ""


def _review_line(answer: Answer) -> str | None:
    if not answer.deferred:
        return None
    if answer.kind == OTHER:
        return f"Asked about something the record doesn't hold (\"{answer.question.text[:120]}\") — deferred to " \
               "the host; confirm before sending."
    where = answer.space.name if answer.space else "no space"
    return f"{LABELS[answer.kind].capitalize()} ({where}): not in the data — confirm with the host."


def reasoning_of(context: ReplyContext, asks: list[Question], units: list[Unit], carried: dict[int, list[int]],
                 extra: list[Answer], style: Style, review: list[str], body: str) -> Reasoning:
    data: list[dict[str, object]] = []
    seen: set[tuple[object, ...]] = set()
    for a in [u.answer for u in units] + extra:
        for d in a.data:
            key = (d["sourceType"], d["sourceId"], d["fieldPath"])
            if key not in seen:
                seen.add(key)
                data.append(d)
    review = list(review) + list(style.not_applied)
    review += [line for line in (_review_line(u.answer) for u in units) if line]
    mismatches = list(dict.fromkeys(m for a in [u.answer for u in units] + extra for m in a.mismatches))
    located = coverage.assess(body, context, asks=asks)
    addressed = []
    for i, ask in enumerate(asks):
        if ask.text.startswith("("):
            continue  # a broker-requested topic, not the seeker's ask
        answers = [units[u].answer for u in carried.get(i, [])]
        text = " ".join(a.text for a in answers)
        deferred = any(a.deferred for a in answers)  # some part waits on the host
        states_facts = any(k and "confirm" not in t.lower() for a in answers for t, k in a.parts)
        sentence = located[i].sentence if i < len(located) and located[i].sentence else _first_sentence(text)
        addressed.append({
            "question": ask.text, "answer": text, "sourceEmailId": context.inbound.id, "sourceText": ask.sentence,
            "kind": ask.kind, "status": "deferred" if deferred else "answered", "partial": deferred and states_facts,
            "sentence": sentence,
            "spaces": [s.name for s in (context.space(x) for x in ask.spaces) if s is not None],
            "comparison": ask.comparison,
        })
    return Reasoning.model_validate({
        "questionsAddressed": addressed,
        "dataUsed": data,
        "schedulingLogic": [s for u in units for s in u.answer.scheduling] + style.applied,
        "needsHumanReview": list(dict.fromkeys(review)),
        "requirementMismatches": mismatches,
    })


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.?!])\s+", text.strip())[0] if text.strip() else ""
