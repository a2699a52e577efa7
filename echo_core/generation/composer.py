"""The offline provider: a deterministic rules engine that answers every ask from the data.

Asks of the same kind about the same space share one answer (built with everything those asks
need); each side of a comparison is answered, then the comparison itself; an ask no kind knows is
deferred by name. Nothing is stated that the record does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from echo_core.generation import confidence, injection, instructions
from echo_core.generation.answers import CONFIRM, Answer
from echo_core.generation.context import ReplyContext, SpaceFacts
from echo_core.generation.kinds import KINDS, LABELS, OTHER
from echo_core.generation.phrasing import deferral
from echo_core.generation.questions import Question, SeekerFacts, merge, seeker_facts
from echo_core.generation.seeker_text import new_text
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
    kinds: tuple[tuple[str, bool], ...] = ()  # (ask kind, deferred) per ask, for the eval harness
    asks: tuple[Question, ...] = ()


@dataclass
class Unit:
    """One paragraph of the reply: the answer to every ask of one kind about one space (or one deferral)."""

    answer: Answer
    asks: list[int] = field(default_factory=list)  # indexes into the ask list


def _answer(kind: str, question: Question, space: SpaceFacts | None, seeker: SeekerFacts,
            context: ReplyContext) -> Answer:
    a = Answer(kind, question, space)
    entry = KINDS[kind]
    if entry.answer is None:
        a.defer(deferral(question.text))
    elif space is None:
        a.defer(f"About {LABELS[kind]}: {CONFIRM} once we've settled on a space to look at.")
    else:
        entry.answer(a, seeker, context.deal)
    return a


def _targets(ask: Question, context: ReplyContext, body: str, focus: SpaceFacts | None) -> list[SpaceFacts | None]:
    if focus is not None:
        return [focus]
    named = [s for s in (context.space(i) for i in ask.spaces) if s is not None]
    if ask.kind == OTHER:  # deferred once, in the seeker's words (which name any spaces it is about)
        return list[SpaceFacts | None](named[:1]) or [None]
    return list(named or target_spaces(ask.sentence or ask.text, body, context)) or [None]


def _merged(group: list[Question]) -> Question:
    first = group[0]
    for more in group[1:]:
        first = merge(first, more)
    if first.kind == "inclusions" and any(not q.inclusion_items for q in group):
        first = replace(first, inclusion_items=())  # "what's included?" asks for everything
    return first


def _units(asks: list[Question], seeker: SeekerFacts, context: ReplyContext, style: instructions.Style
           ) -> tuple[list[Unit], dict[int, list[int]]]:
    """The answer units in reply order, and for each ask the units that carry it."""
    body = new_text(context.inbound.body)
    groups: dict[tuple[str, int | None, int], list[int]] = {}
    spaces_of: dict[tuple[str, int | None, int], SpaceFacts | None] = {}
    for i, ask in enumerate(asks):
        for space in _targets(ask, context, body, style.focus):
            # asks no kind knows are never merged: each is deferred by its own words
            key = (ask.kind, space.id if space else None, i if ask.kind == OTHER else -1)
            groups.setdefault(key, []).append(i)
            spaces_of[key] = space
    units: list[Unit] = []
    carried: dict[int, list[int]] = {}
    for key, members in groups.items():
        question = _merged([asks[i] for i in members])
        units.append(Unit(_answer(key[0], question, spaces_of[key], seeker, context), members))
        for i in members:
            carried.setdefault(i, []).append(len(units) - 1)
    for i, ask in enumerate(asks):
        spaces = [s for s in (context.space(x) for x in ask.spaces) if s is not None]
        if ask.comparison and len(spaces) >= 2 and style.focus is None:
            units.append(Unit(_comparison(ask, spaces, seeker, context), [i]))
            carried.setdefault(i, []).append(len(units) - 1)
    order = sorted(range(len(units)), key=lambda u: (units[u].answer.kind == OTHER, units[u].answer.kind == "tour",
                                                     min(units[u].asks)))
    position = {old: new for new, old in enumerate(order)}
    return [units[u] for u in order], {i: sorted(position[u] for u in us) for i, us in carried.items()}


def _comparison(ask: Question, spaces: list[SpaceFacts], seeker: SeekerFacts, context: ReplyContext) -> Answer:
    a = Answer(ask.kind, ask, None)
    entry = KINDS[ask.kind]
    if entry.compare_deal is not None:
        sentence: str | None = entry.compare_deal(spaces, context.deal, seeker)
    else:
        sentence = entry.compare(spaces, ask) if entry.compare else None
    names = " and ".join(s.name for s in spaces)
    if sentence:
        a.say(sentence, caveat=True)
    else:
        a.defer(f"{CONFIRM}s how {names} compare on {LABELS[ask.kind]}.")
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
        if not {"price", "total_cost", "recommend"} & asked and context.deal.monthly_budget:
            checks.append("price")
        for kind in checks:
            a = _answer(kind, Question(kind, f"(requirement: {LABELS[kind]})"), space, seeker, context)
            if a.mismatches:
                out.append(a)
    return out


def compose(context: ReplyContext, *, instruction: str | None = None) -> Composed:
    from echo_core.generation.layout import body_of, reasoning_of  # the text and its record, kept apart for size

    inbound = context.inbound
    seeker = seeker_facts(context)
    style = instructions.parse(instruction, context)
    email = inbound.body + "\n" + inbound.subject
    steering = injection.flags(email, seeker_email=context.deal.seeker_email)
    asks = [q for q in seeker.questions if q.kind not in style.remove]
    asked = {q.kind for q in asks}
    for kind in style.add:
        if kind not in asked:
            asks.append(Question(kind, f"(broker asked to mention {LABELS[kind]})"))
            asked.add(kind)
    units, carried = _units(asks, seeker, context, style)
    named = mentioned(new_text(inbound.body), context)
    answered_about = [u.answer.space for u in units if u.answer.space is not None and u.answer.kind != OTHER]
    primary = ([style.focus] if style.focus else named[:2]) or answered_about[:1]
    extra = [a for a in _unasked_mismatches(seeker, primary, context, asked) if a.kind not in style.remove]
    body = body_of(context, units, extra, style, named)
    reasoning = reasoning_of(context, asks, units, carried, extra, style,
                             steering + injection.notes(email, seeker_email=context.deal.seeker_email), body)
    real = [i for i, q in enumerate(asks) if not q.text.startswith("(")]
    # An ask counts as deferred when any part of its answer waits on the host (the broker must follow up).
    deferred = [i for i in real if any(units[u].answer.deferred for u in carried.get(i, []))]
    conf = confidence.score(questions=len(real), answered=len(real) - len(deferred), deferred=len(deferred),
                            mismatches=len(reasoning.requirement_mismatches), injections=len(steering))
    return Composed(body, reasoning, conf, len(real), len(real) - len(deferred), len(deferred),
                    tuple((asks[i].kind, i in deferred) for i in real), tuple(asks[i] for i in real))
