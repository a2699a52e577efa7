"""What a question kind is: how an ask of it is recognised, answered, and found again in any text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from echo_core.generation.answers import Answer
    from echo_core.generation.context import DealFacts, SpaceFacts
    from echo_core.generation.questions import Question, SeekerFacts

    Answerer = Callable[[Answer, SeekerFacts, DealFacts], None]
    Comparer = Callable[[list[SpaceFacts], Question], str | None]
    DealComparer = Callable[[list[SpaceFacts], DealFacts, SeekerFacts], str]

_F = re.IGNORECASE


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _F)


@dataclass(frozen=True)
class Facet:
    """One part of an ask that the reply must answer (e.g. parking's cost, or how many spots are free).

    `asked` finds the part in the seeker's ask; `answered` finds it in a sentence of any reply.
    """

    name: str
    asked: re.Pattern[str]
    answered: re.Pattern[str]


@dataclass(frozen=True)
class QuestionKind:
    """One registry entry: everything the product knows about one kind of question.

    - `topic`: recognises the kind in an ask (after typo and text-speak normalisation);
    - `answer`: builds the answer from one space's data (None: deferred by name, see `other`);
    - `reply_topic`: recognises that a sentence of a reply talks about the kind (coverage);
    - `facets`: the parts an ask may need answered, each recognised in any text (coverage);
    - `attributes`: the fact-check attributes its answers claim (names of facts/attributes.py);
    - `compare`: the comparison sentence across several spaces ("Which one has cheaper parking?");
    - `compare_deal`: a comparison against the deal's budget and requirements ("Which would you recommend?");
    - `vocabulary`: words a typo ("parkng") is corrected to before recognition.
    """

    name: str
    label: str
    topic: re.Pattern[str]
    reply_topic: re.Pattern[str]
    attributes: tuple[str, ...]
    answer: Answerer | None = None
    compare: Comparer | None = None
    facets: tuple[Facet, ...] = ()
    vocabulary: tuple[str, ...] = ()
    # Drops the kind from a clause where its words appear in another sense ("key cards for move-in").
    refine: Callable[[str, list[str]], bool] | None = None
    extra: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # A comparison that weighs the deal itself (budget, requirements): "which would you recommend?"
    compare_deal: DealComparer | None = None

    def asked_facets(self, text: str) -> tuple[Facet, ...]:
        return tuple(f for f in self.facets if f.asked.search(text))
