"""The coverage check: which of the seeker's asks does a text no longer answer or defer?

Works on any text (the composer's, a broker's edit, a model's): an ask is covered when some
sentence talks about its kind (the registry's `reply_topic`) and answers each part it asked (each
facet's `answered` pattern: a figure, a yes/no statement, an item named) or defers it ("I'll
confirm with the host …"). An ask about several spaces needs each space answered, and a
comparison needs the comparison itself. An ask outside the known kinds is covered by a sentence
that shares its meaning-carrying words. Meaning, not the composer's exact sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from echo_core.generation.context import ReplyContext
from echo_core.generation.kinds import KINDS, OTHER, Facet
from echo_core.generation.phrasing import content_words
from echo_core.generation.questions import Question, seeker_facts
from echo_core.generation.seeker_text import new_text, sentences
from echo_core.generation.spaces import mask, mentioned
from echo_core.schemas import Coverage

_F = re.IGNORECASE
_PLEASANTRY = re.compile(r"^(thanks|thank you|hope|hi|hello|hey|dear|let me know|please let me know|happy to|"
                         r"feel free|looking forward|best|cheers|kind regards|if it's easier|here's what i found|"
                         r"please find)\b", _F)
_GREETING = re.compile(r"^(hi|hello|hey|dear|good (morning|afternoon|evening))\b[^,!.:;]{0,40}[,!:;]\s*", _F)
_DEFERRAL = re.compile(r"\b(confirm|check (with|on)|checking|find out|get back to you|follow up|ask the host|"
                       r"look into|verify|circle back|double-check)\b", _F)
_FIGURE = re.compile(r"\$\s?\d|\b\d+\s*(am|pm)\b|\b\d+\b")
_COMPARATIVE = re.compile(r"\b(cheaper|cheapest|less expensive|least expensive|more|most|less|fewer|faster|slower|"
                          r"bigger|biggest|larger|largest|smaller|sooner|earlier|later|same|both|neither|only|"
                          r"whereas|while|than|vs\.?|versus|compared?|depends|differ\w*|either)\b", _F)
_GROUP = re.compile(r"\b(both|neither|either|each|of the (two|three|\d)|all (of them|three)|only)\b", _F)


@dataclass(frozen=True)
class Sentence:
    text: str  # as written, with space names masked ("the space") so a name never reads as a topic
    original: str  # as written
    paragraph: int
    spaces: tuple[int, ...]  # named in it, else named earlier in its paragraph (empty: not said)
    previous: str  # the sentence before it in the paragraph ("…garage. I'll confirm the cost.")

    @property
    def answering(self) -> bool:
        return not _PLEASANTRY.search(self.text) and (not self.text.rstrip().endswith("?")
                                                      or bool(_FIGURE.search(self.text)))

    @property
    def defers(self) -> bool:
        return bool(_DEFERRAL.search(self.text))


@dataclass(frozen=True)
class AskCoverage:
    ask: Question
    covered: bool
    sentence: str | None  # the sentence of the text that carries the ask
    missing: tuple[str, ...] = ()  # the parts not answered (facet names, space names, "comparison")


def reply_sentences(body: str, context: ReplyContext) -> list[Sentence]:
    """The text's sentences with the spaces each one talks about; quotes, greeting and sign-off dropped."""
    out: list[Sentence] = []
    for number, paragraph in enumerate(re.split(r"\n\s*\n", new_text(body))):
        current: tuple[int, ...] = ()
        previous = ""
        for text in sentences(paragraph):
            text = _GREETING.sub("", text) or text  # "Hi Sarah, parking is $300 per month." still answers
            named = tuple(s.id for s in mentioned(text, context))
            current = named or current
            out.append(Sentence(mask(text, context) if named else text, text, number, current, previous))
            previous = text
    return out


def _topic(kind: str, s: Sentence) -> bool:
    """The sentence talks about the kind, or follows one that does in its paragraph ("Key cards are $25 each.")."""
    topic = KINDS[kind].reply_topic
    return bool(topic.search(s.text)) or bool(topic.search(s.previous))


def _facet_covered(kind: str, facet: Facet | None, s: Sentence) -> bool:
    if not s.answering or not _topic(kind, s):
        return False
    if kind == "price" and (facet is None or facet.name == "amount"):
        extra = KINDS["price"].extra
        rent = bool(extra["rent_word"].search(s.text))
        return (bool(re.search(r"\$\s?\d", s.text)) and (rent or not extra["not_rent"].search(s.text))) or \
            (s.defers and (rent or bool(re.search(r"\b(price|pricing|per month)\b", s.text, _F))))
    if facet is None:
        return True
    return bool(facet.answered.search(s.text)) or (s.defers and bool(facet.asked.search(s.text)))


def _facets(ask: Question) -> list[Facet | None]:
    entry = KINDS[ask.kind]
    by_name = {f.name: f for f in entry.facets}
    facets: list[Facet | None] = [by_name[n] for n in ask.facets if n in by_name]
    for item in ask.inclusion_items:
        if item not in by_name:  # an item the record has no field for ("is coffee included?")
            word = re.compile(re.escape(item.split()[-1][:6]), _F)
            facets.append(Facet(item, word, word))
    return facets or [None]


def _other_covered(ask: Question, s: Sentence, context: ReplyContext) -> bool:
    wanted = content_words(mask(ask.text, context))  # a space's name is not what the ask is about
    if not wanted or not s.answering:
        return False
    shared = wanted & content_words(s.text)
    return len(shared) >= (1 if len(wanted) <= 2 else 2)


def _on(space: int | None, s: Sentence, *, several: bool = False) -> bool:
    """Is `s` about `space`? With several spaces asked, only a sentence about that one space answers it
    (a comparison sentence naming both answers the comparison, not each side)."""
    if space is None:
        return True
    if several:
        return s.spaces == (space,)
    return not s.spaces or space in s.spaces


def assess_one(ask: Question, said: list[Sentence], context: ReplyContext) -> AskCoverage:
    # An ask no kind knows is deferred once in its own words, whichever spaces it names.
    targets: list[int | None] = [None] if ask.kind == OTHER else list(ask.spaces) or [None]
    several = len(targets) > 1
    carrier: str | None = None
    missing: list[str] = []
    for space in targets:
        if ask.kind == OTHER:
            hit = next((s for s in said if _on(space, s, several=several) and _other_covered(ask, s, context)), None)
            if hit is None:
                missing.append("answer")
            carrier = carrier or (hit.original if hit else None)
            continue
        for facet in _facets(ask):
            hit = next((s for s in said if _on(space, s, several=several) and _facet_covered(ask.kind, facet, s)),
                       None)
            if hit is None:
                missing.append(facet.name if facet else f"space {space}" if space else "answer")
            carrier = carrier or (hit.original if hit else None)
    if ask.comparison and len(ask.spaces) >= 2:
        compared = next((s for s in said if s.answering and _COMPARATIVE.search(s.text)
                         and (len(set(s.spaces) & set(ask.spaces)) >= 2 or _GROUP.search(s.text)
                              or (s.defers and "compare" in s.text.lower()))), None)
        if compared is None:
            missing.append("comparison")
    return AskCoverage(ask, not missing, carrier, tuple(dict.fromkeys(missing)))


def assess(body: str, context: ReplyContext, *, asks: list[Question] | None = None) -> list[AskCoverage]:
    """Coverage of every ask (the inbound email's own, unless given) by `body`."""
    asks = seeker_facts(context).questions if asks is None else asks
    said = reply_sentences(body, context)
    return [assess_one(ask, said, context) for ask in asks]


def check(body: str, context: ReplyContext) -> Coverage:
    """The verdict in the `validation.coverage` shape."""
    results = assess(body, context)
    unanswered = [r.ask.text for r in results if not r.covered]
    return Coverage.model_validate({"status": "incomplete" if unanswered else "complete", "asks": len(results),
                                    "unanswered": unanswered})


def issue(ask_text: str) -> str:
    """The warning a missing ask becomes in `validation.issues`."""
    return f"The reply no longer answers: '{ask_text}'"
