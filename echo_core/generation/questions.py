"""Split a seeker's email into its asks: every question or request, each with its kind and its parts.

Only the seeker's new words are read (seeker_text.new_text); hostile requests are left to the
injection flags (injection.mask). Each sentence is split into clauses where a new question starts
("…, and does it include utilities?"); each clause gives one ask per kind it talks about, or one
ask of kind `other` when it asks something no kind knows ("Is there bike storage?"). A clause is
asked by its grammar (a question mark, an interrogative, a request such as "let me know"), never
by a list of topics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from echo_core.generation import injection
from echo_core.generation.kinds import KINDS, KNOWN, LABELS, OTHER
from echo_core.generation.normalise import normalise
from echo_core.generation.pets import dog_weight, has_dog, other_pets
from echo_core.generation.phrasing import content_words, is_meta
from echo_core.generation.seeker_text import new_text, sentences
from echo_core.generation.slots import WEEKDAYS, Slot, find_slots, format_minutes, parse_slot_time

if TYPE_CHECKING:
    from echo_core.generation.context import ReplyContext

_F = re.IGNORECASE
KIND_LABELS = LABELS  # the names other modules import; derived from the registry
TOPIC_PATTERNS = {name: KINDS[name].topic for name in KNOWN}
_QWORD = (r"(?:is|are|was|were|do|does|did|can|could|will|would|should|may|might|has|have|what|what's|whats|how|"
          r"how's|hows|when|where|which|who|whether|if|any|wen|wat)")
# Where a new ask starts inside a sentence: after a comma/semicolon/colon/dash, or after and/or/also/plus.
_BOUNDARY = re.compile(rf"((?:\s*[,;:—–]\s*|\s+-\s+)(?:(?:and|or|also|plus|but)\s+)?(?={_QWORD}\b)|"
                       rf"\s+(?:and|or|also|plus)\s+(?={_QWORD}\b))", _F)
_LEAD = re.compile(r"^(?:(hey|hi|hello|ok|okay|so|also|and|oh|btw|plus|but|then|first|second|third|finally|lastly|"
                   r"quick question|one more|one more thing|one last thing|last thing|and also|p\.?s\.?)\b"
                   r"[\s,:;—–-]*)+",
                   _F)
_STRONG = re.compile(r"\?|^(can|could|is|are|do|does|did|what|what's|how|how's|when|where|which|who|why|would|"
                     r"will|has|have|should|may|might|whether|any)\b|\b(let (me|us) know|wondering|wonder|curious|"
                     r"tell (me|us)|say me|please (confirm|share|send|advise|let)|(i|we)'?d like to know|"
                     r"(need|want|like) to (know|understand|hear)|would love to know|any (info|details|chance|idea)|"
                     r"is it possible|possible to|could you|can you|would you|kindly|grateful if|appreciate if|"
                     r"keen to (hear|know)|do you know|confirm (whether|if)|asked (whether|if|about)|"
                     r"(wants?|wanted|needs?|needed) to know|(still )?need (an? )?(answer|reply|"
                     r"response|update) (on|about|to|regarding))\b", _F)
_WEAK = re.compile(r"\b(we'?d (love|like) (to|the|a|an)|we would (love|like) (to|the)|i'?d (love|like) (to|the)|"
                   r"hoping to|hope to|keen to|"
                   r"(we|i) (want|need) (to|the)|(need|want) (to )?know|interested in|looking to|"
                   r"need (the|info|details)|(we|i)('d| would) need|would appreciate|appreciate the|please|pls|"
                   r"send (over|me|us)|"
                   r"share (the|your)|provide)\b", _F)
# "Would he be allowed?" after "My dog is an 80 lb retriever." asks about the previous sentence's topic.
_FOLLOW_UP = re.compile(r"\b(it|he|she|they|that|this|him|her|them|one|the space)\b.{0,40}\b(allowed|allow|cost|costs|"
                        r"fit|suit|price|enough|that many|"
                        r"available|included|free|welcome|ok|okay|fine|work|come)\b", _F)
# A statement about the seeker ("We're 14 people right now"), unless it carries its own ask marker.
_DECLARATIVE = re.compile(r"^(we|we're|we've|we'd|we'll|i|i'm|i've|i'd|our|my|they|their|he|she|his|her|this is|"
                          r"that is|there's|it's|the team|the rest)\b", _F)
# "Please ignore my earlier question about parking": a retraction, not an ask.
_RETRACT = re.compile(r"\b(ignore|disregard|never ?mind|forget( about)?|scratch)\b.{0,30}\b(question|ask|request|"
                      r"e-?mail|message|that)\b|\bno (longer )?need (to know|an answer)\b|\b(we'?ve|we have) "
                      r"(sorted|figured|worked) (it|that)( out)?\b", _F)
_BACK_REFERENCE = re.compile(r"\b(it|that|this|them|they|those|these|one|ones|so)\b", _F)
_UNKNOWN_ITEM = re.compile(r"\b(?:is|are)\s+(?:the\s+)?([a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+included\b", _F)
_BARE_COST = re.compile(r"^\W*(and\s+)?(the\s+)?(price|cost|how much|what does (it|that) cost)\b", _F)
_COMPARE = re.compile(r"\b(which|compare[sd]?|comparing|vs\.?|versus|better|worse|cheaper|cheapest|pricier|more|less|"
                      r"faster|bigger|larger|smaller|sooner|earlier|difference|friendlier|between|easier|harder|"
                      r"closer|nearer|quieter|brighter|nicer|safer|newer|roomier)\b", _F)
_PREDICATE = re.compile(r"\b(permitted|allowed|possible|ok|okay|fine|available|included|free|welcome|extra|issues?|"
                        r"problems?|concerns?)\b", _F)
# A cost question with nothing of its own ("How much does it cost?") after a parking or key-card ask is about it.
_COSTED_KINDS = ("parking", "access")
_GROUP = re.compile(r"\b(both|either|each|all (of )?(them|three|four|the (spaces|options|places|offices))|"
                    r"(of )?the (two|three|four|\d) (places|spaces|options|offices|listings|buildings)?|two places|"
                    r"which one|which (space|office|place|option|building))\b", _F)
_VOCABULARY = tuple(word for entry in KINDS.values() for word in entry.vocabulary)


@dataclass(frozen=True)
class Question:
    """One ask: its kind, the seeker's words, and the parts a reply must answer."""

    kind: str
    text: str
    asks_deposit: bool = False
    asks_cost: bool = False
    asks_count: bool = False
    slots: tuple[Slot, ...] = ()
    inclusion_items: tuple[str, ...] = ()
    sentence: str = ""
    facets: tuple[str, ...] = ()
    spaces: tuple[int, ...] = ()  # the linked spaces the ask names (or means by "both", "which one")
    comparison: bool = False
    slot_spaces: tuple[int | None, ...] = ()  # the space each requested slot was named with

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


Ask = Question


@dataclass
class SeekerFacts:
    """What the seeker asks, and what they say about themselves (used for the mismatch check)."""

    has_dog: bool = False
    other_pets: tuple[str, ...] = ()  # animals besides dogs the seeker mentions ("our office cat")
    dog_weight_lbs: int | None = None
    team_size: int | None = None
    questions: list[Question] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return list(dict.fromkeys(q.kind for q in self.questions))


def detect(body: str, now: datetime | None = None, *, context: ReplyContext | None = None) -> SeekerFacts:
    """Every ask in the seeker's new text, in order, plus the seeker's own facts."""
    names: tuple[str, ...] = ()
    seeker_email = None
    if context is not None:
        deal = context.deal
        names = (deal.seeker_name, deal.first_name)
        seeker_email = deal.seeker_email
    text = injection.mask(new_text(body, names=names), seeker_email=seeker_email)
    facts = SeekerFacts()
    from echo_core.generation.splitter import read_sentences  # the clause reader (kept apart for size)

    read_sentences(facts, sentences(text), now=now, context=context)
    if context is not None:
        from echo_core.generation.splitter import subject_asks

        subject_asks(facts, context, now)
    return facts



def seeker_facts(context: ReplyContext) -> SeekerFacts:
    """The asks of the context's inbound email."""
    return detect(context.inbound.body, now=context.inbound.sent_at, context=context)


def clauses(sentence: str) -> list[str]:
    """The sentence cut where a new question starts; leading 'and', 'also', 'hi' and the like removed."""
    return [clause for _, clause in joined_clauses(sentence)]


def joined_clauses(sentence: str) -> list[tuple[bool, str]]:
    """Each clause with whether 'or' joins it to the one before ("Is HVAC included or do we pay for it?")."""
    parts = _BOUNDARY.split(sentence)
    out: list[tuple[bool, str]] = []
    alternative = False
    for i, part in enumerate(parts):
        if i % 2 == 1:  # a captured connector
            alternative = bool(re.search(r"\bor\b", part, _F))
            continue
        clause = _LEAD.sub("", part.strip(" ,;:—–-")).strip()
        if clause:
            out.append((alternative, clause))
        alternative = False
    return out


def strip_lead(text: str) -> str:
    return _LEAD.sub("", text.strip())


def asks_strongly(clause: str) -> bool:
    return bool(_STRONG.search(clause))


def asks_at_all(clause: str) -> bool:
    return bool(_STRONG.search(clause) or _WEAK.search(clause))


def declarative(clause: str) -> bool:
    return bool(_DECLARATIVE.search(clause.strip())) and not asks_at_all(clause)


def retracts(clause: str) -> bool:
    return bool(_RETRACT.search(clause))


def refers_back(clause: str) -> bool:
    """'can we book them for a full day', 'how often': a clause that leans on the ask before it."""
    return bool(_BACK_REFERENCE.search(clause)) or len(clause.split()) <= 3


def fragment(clause: str) -> bool:
    """'how often?', 'the price?': too short to be an ask of its own."""
    return len(re.findall(r"\w+", clause)) <= 2


_IN_THE_RENT = re.compile(r"includ\w*\s+(in\s+)?(the\s+)?(rent|price)|\b(rent|price)\s+(includ|cover)|"
                          r"\bpart of the (rent|price|lease)|\b(in|into) the (rent|price)\b", _F)
_RENT_ASKED = re.compile(r"how much|what'?s the rent|monthly rent|\brent\b.{0,20}\b(is|be|cost|run)\b", _F)


def kinds_of(clause: str) -> list[str]:
    """The known kinds a (normalised, space-names-masked) clause talks about, after each kind's refinement."""
    positions = {name: m.start() for name in KNOWN if (m := KINDS[name].topic.search(clause))}
    found = sorted(positions, key=lambda name: positions[name])  # in the order the seeker asked them
    for name in list(found):
        refine = KINDS[name].refine
        if refine is not None and not refine(clause, found):
            found.remove(name)
    if "price" in found and len(found) > 1 and _IN_THE_RENT.search(clause) and not _RENT_ASKED.search(clause):
        found.remove("price")  # "is parking included in the rent?": the rent is where, not what, is asked
    if "price" in found and "inclusions" in found and (
            re.search(r"includ\w*\s+(in\s+)?(the\s+)?(rent|price)|\b(rent|price)\s+(includ|cover)", clause, _F)
            or not re.search(r"\b(price|how much|rate)\b", clause, _F)) \
            and not re.search(r"\brent\b.{0,20}\b(is|be|cost|run)\b|monthly rent|\bwhat'?s the rent\b|how much", clause,
                              _F):
        found.remove("price")  # "what does the rent include", "is electricity included in the price"
    if "total_cost" in found:  # the total states the rent; "all-in" alone is not a question about inclusions
        found = [k for k in found if k != "price"]
        if "inclusions" in found and not KINDS["inclusions"].topic.search(re.sub(r"all[- ]in", " ", clause, flags=_F)):
            found.remove("inclusions")
    if "recommend" in found and "team_fit" in found and not re.search(
            r"\d|\b(people|persons|desks?|seats?|team of|headcount|employees|staff)\b", clause, _F):
        found.remove("team_fit")  # "which is the better fit for us?" asks for a recommendation
    if "tour" in found and "move_in" in found and not re.search(r"\b(tour|visit|see)\b", clause, _F):
        found.remove("tour")
    return found


def normalised(clause: str) -> str:
    return normalise(clause, _VOCABULARY)


def make_ask(kind: str, clause: str, norm: str, sentence: str, *, slots: tuple[Slot, ...] = (),
             spaces: tuple[int, ...] = (), comparison: bool = False) -> Question:
    entry = KINDS[kind]
    facets = tuple(f.name for f in entry.asked_facets(norm))
    items = facets if kind == "inclusions" else ()
    if kind == "inclusions" and not items:  # "is coffee included?": an item the record has no field for
        unknown = _UNKNOWN_ITEM.search(norm)
        if unknown and not _BACK_REFERENCE.fullmatch(unknown.group(1)) and unknown.group(1).lower() not in ("rent",):
            items = (unknown.group(1).lower(),)
    return Question(
        kind=kind,
        text=_display(clause),
        asks_deposit=bool(re.search(r"\b(deposit|fee|charge)\b", norm, _F)),
        asks_cost=bool(re.search(r"\b(cost|price|how much|fee|charge|\$|pay|rate|free|extra|cheap\w*)\b", norm, _F)),
        asks_count=bool(re.search(r"\b(how many|number of|spots?|spaces)\b", norm, _F)),
        slots=slots if kind == "tour" else (),
        inclusion_items=items,
        sentence=sentence[:300],
        facets=facets,
        spaces=spaces,
        comparison=comparison,
    )


def merge(first: Question, more: Question) -> Question:
    """A follow-up ("…and how much?") adds its parts to the ask it follows."""
    return replace(
        first,
        asks_deposit=first.asks_deposit or more.asks_deposit,
        asks_cost=first.asks_cost or more.asks_cost,
        asks_count=first.asks_count or more.asks_count,
        slots=first.slots or more.slots,
        slot_spaces=first.slot_spaces or more.slot_spaces,
        inclusion_items=tuple(dict.fromkeys(first.inclusion_items + more.inclusion_items)),
        facets=tuple(dict.fromkeys(first.facets + more.facets)),
    )


def _display(clause: str) -> str:
    text = clause.strip().rstrip(",;:—– ")
    return (text[:1].upper() + text[1:])[:300]


def is_follow_up(clause: str) -> bool:
    return bool(_FOLLOW_UP.search(clause))


def short_follow_up(clause: str) -> bool:
    """'Is permitted?' after 'we have one cat in the office': a short ask leaning on the sentence before."""
    return len(re.findall(r"\w+", clause)) <= 4 and bool(_PREDICATE.search(clause))


def cost_of_previous(clause: str, kinds: list[str], previous: list[str]) -> list[str]:
    """The kinds a rent-less cost question belongs to: 'what's the monthly fee?' after a parking ask."""
    if kinds != ["price"] or KINDS["price"].extra["rent_word"].search(clause):
        return kinds
    costed = [k for k in previous if k in _COSTED_KINDS]
    return costed or kinds


def is_bare_cost(clause: str) -> bool:
    return bool(_BARE_COST.search(clause)) and not KINDS["price"].extra["rent_word"].search(clause)


def compares(clause: str) -> bool:
    return bool(_COMPARE.search(clause))


def groups(clause: str) -> bool:
    """'both', 'of the three', 'which one', or a 'which … cheapest' that can only mean the spaces on the table."""
    return bool(_GROUP.search(clause)) or (bool(re.search(r"\bwhich\b", clause, _F)) and compares(clause))


__all__ = ["KIND_LABELS", "TOPIC_PATTERNS", "WEEKDAYS", "Ask", "Question", "SeekerFacts", "Slot", "content_words",
           "detect", "dog_weight", "find_slots", "format_minutes", "has_dog", "is_meta", "other_pets",
           "parse_slot_time", "seeker_facts", "OTHER"]
