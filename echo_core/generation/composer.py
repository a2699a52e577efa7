"""The offline provider: a deterministic rules engine that answers each question from the data."""

from __future__ import annotations

import re
from dataclasses import dataclass

from echo_core.generation import confidence, injection, instructions, terms
from echo_core.generation.answers import Answer
from echo_core.generation.context import ReplyContext, SpaceFacts
from echo_core.generation.questions import KIND_LABELS, Question, SeekerFacts, detect
from echo_core.generation.spaces import mentioned, target_spaces
from echo_core.schemas import Reasoning

# Requirements checked even when the seeker did not ask, so a mismatch is never silent.
_REQUIREMENT_KINDS = (("dogFriendly", "dogs"), ("parking", "parking"), ("afterHours", "access"))


@dataclass(frozen=True)
class Composed:
    body: str
    reasoning: Reasoning
    confidence: int
    questions: int
    answered: int
    deferred: int
    kinds: tuple[tuple[str, bool], ...] = ()  # (question kind, deferred) per answer, for the eval harness


def _answer(kind: str, question: Question, space: SpaceFacts | None, seeker: SeekerFacts,
            context: ReplyContext) -> Answer:
    a = Answer(kind, question, space)
    if space is None:
        a.text = f"About {KIND_LABELS[kind]}: I'll confirm with the host once we've settled on a space to look at."
        a.deferred = True
        return a
    terms.HANDLERS[kind](a, seeker, context.deal)
    return a


def _unasked_mismatches(seeker: SeekerFacts, spaces: list[SpaceFacts], context: ReplyContext,
                        asked: set[str]) -> list[Answer]:
    """Answers for requirements the seeker did not ask about but the space fails."""
    out: list[Answer] = []
    needs = context.deal.requirements
    for space in spaces:
        checks = [kind for key, kind in _REQUIREMENT_KINDS if needs.get(key) and kind not in asked]
        if seeker.has_dog and "dogs" not in asked and "dogs" not in checks:
            checks.append("dogs")
        if "price" not in asked and context.deal.monthly_budget:
            checks.append("price")
        for kind in checks:
            a = _answer(kind, Question(kind, f"(requirement: {KIND_LABELS[kind]})"), space, seeker, context)
            if a.mismatches:
                out.append(a)
    return out


def _trim(text: str) -> str:
    """Shorter: the first sentence plus any sentence that defers or flags a problem."""
    parts = re.split(r"(?<=[.?!])\s+", text)
    keep = [parts[0]] + [p for p in parts[1:] if "confirm" in p or "not included" in p or "no spots" in p]
    return " ".join(keep)


def compose(context: ReplyContext, *, instruction: str | None = None) -> Composed:
    inbound = context.inbound
    seeker = detect(inbound.body, now=inbound.sent_at)
    style = instructions.parse(instruction, context)
    steering = injection.flags(inbound.body + "\n" + inbound.subject)
    questions = [q for q in seeker.questions if q.kind not in style.remove]
    asked = {q.kind for q in questions}
    for kind in style.add:
        if kind not in asked:
            questions.append(Question(kind, f"(broker asked to mention {KIND_LABELS[kind]})"))
            asked.add(kind)
    found: list[Answer] = []
    for q in questions:
        targets: list[SpaceFacts | None] = list(target_spaces(q.text, inbound.body, context, focus=style.focus))
        for space in targets or [None]:
            found.append(_answer(q.kind, q, space, seeker, context))
    primary = ([style.focus] if style.focus else mentioned(inbound.body, context)[:2]) or context.shortlist[:1]
    extra = [a for a in _unasked_mismatches(seeker, primary, context, asked) if a.kind not in style.remove]

    body = _body(context, found, extra, style, seeker)
    reasoning = _reasoning(context, found, extra, style, steering)
    deferred = sum(1 for a in found if a.deferred)
    answered = sum(1 for a in found if a.text and not a.deferred)
    conf = confidence.score(questions=len(found), answered=answered, deferred=deferred,
                            mismatches=len(reasoning.requirement_mismatches), injections=len(steering))
    return Composed(body, reasoning, conf, len(found), answered, deferred,
                    tuple((a.kind, a.deferred) for a in found if not a.question.text.startswith("(")))


def _body(context: ReplyContext, found: list[Answer], extra: list[Answer], style: instructions.Style,
          seeker: SeekerFacts) -> str:
    deal = context.deal
    names = list(dict.fromkeys(a.space.name for a in found if a.space))
    about = f" about {names[0]}" if len(names) == 1 else ""
    if style.tone == "formal":
        lines = [f"Dear {deal.seeker_name},", ""]
        opening = f"Thank you for your message{about}. Please find the details below."
    elif style.tone == "casual":
        lines = [f"Hi {deal.first_name}!", ""]
        opening = f"Thanks for the note{about} — here's the scoop."
    else:
        lines = [f"Hi {deal.first_name},", ""]
        opening = f"Thanks for your email{about}!" + (" Here's what I found." if found else "")
    if style.length != "short":
        lines += [opening, ""]
    tour = [a for a in found if a.kind == "tour"]
    for a in [a for a in found if a.kind != "tour"] + tour:
        lines += [_trim(a.text) if style.length == "short" else a.text, ""]
    if not found:
        target = context.shortlist[0].name if context.shortlist else "the spaces we discussed"
        lines += [f"I'm pulling together the details on {target} and will follow up shortly.", ""]
    for a in extra:
        lines += [f"One more thing to flag: {a.text}", ""]
    if style.length == "long":
        for space_id in dict.fromkeys(a.space.id for a in found if a.space):
            space = context.space(space_id)
            context_line = _background(space) if space else ""
            if context_line:
                lines += [context_line, ""]
        lines += ["If it's easier, I'm happy to walk through everything on a quick call.", ""]
    if style.length != "short":
        lines += ["Let me know if you have any other questions." if style.tone != "formal"
                  else "Please let me know if I can provide anything further.", ""]
    sign = {"formal": "Kind regards,", "casual": "Cheers,"}.get(style.tone or "", "Best,")
    lines += [sign, f"The {context.brokerage} team", context.agent_email]
    return "\n".join(lines)


def _background(space: SpaceFacts) -> str:
    parts = []
    if space.neighborhood:
        parts.append(f"{space.name} is in {space.neighborhood}, at {space.address}")
    if space.host_context:
        parts.append(f"a bit of background on the host: {space.host_context.rstrip('.')}")
    return ("; ".join(parts) + ".") if parts else ""


def _reasoning(context: ReplyContext, found: list[Answer], extra: list[Answer], style: instructions.Style,
               steering: list[str]) -> Reasoning:
    data: list[dict[str, object]] = []
    seen: set[tuple[object, ...]] = set()
    for a in found + extra:
        for d in a.data:
            key = (d["sourceType"], d["sourceId"], d["fieldPath"])
            if key not in seen:
                seen.add(key)
                data.append(d)
    review = list(steering) + list(style.not_applied)
    review += [f"{KIND_LABELS[a.kind].capitalize()} ({a.space.name if a.space else 'no space'}): not in the data — "
               "confirm with the host." for a in found if a.deferred]
    mismatches = list(dict.fromkeys(m for a in found + extra for m in a.mismatches))
    return Reasoning.model_validate({
        "questionsAddressed": [{"question": a.question.text, "answer": a.text,
                                "sourceEmailId": context.inbound.id, "sourceText": a.question.text}
                               for a in found if not a.question.text.startswith("(")],
        "dataUsed": data,
        "schedulingLogic": [s for a in found for s in a.scheduling] + style.applied,
        "needsHumanReview": review,
        "requirementMismatches": mismatches,
    })
