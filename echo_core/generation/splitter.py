"""Read the seeker's sentences one by one into asks (the clause-level rules of questions.py)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from echo_core.generation import questions as q
from echo_core.generation.kinds import KINDS, OTHER
from echo_core.generation.phrasing import content_words, is_meta
from echo_core.generation.slots import Slot, find_slots_at
from echo_core.generation.spaces import mask, mentioned, mentioned_at

if TYPE_CHECKING:
    from echo_core.generation.context import ReplyContext, SpaceFacts

_F = re.IGNORECASE
_PEOPLE = re.compile(r"\b(\d{1,4})\s*(people|persons|person|employees|staff|heads|seats|desks|ppl)\b", _F)
_PREFERENCE = re.compile(r"\b(ideal|ideally|prefer\w*|best|works?|work for|good|great|suits?|if possible|better|"
                         r"free|available|open)\b", re.IGNORECASE)
_BACK = re.compile(r"\b(it|that|this|them|they)\b", _F)
# "A few things we need before we can decide:" introduces a list of asks, even without a question word.
_LIST_INTRO = re.compile(r"\b(things|questions|items|points|details|info|information|following|below|list|couple|few|"
                         r"need|needs|want|know|check|clarify|confirm|queries|asks)\b", _F)
_WEEKDAY_NAME = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", _F)


class _Reader:
    def __init__(self, facts: q.SeekerFacts, now: datetime | None, context: ReplyContext | None) -> None:
        self.facts = facts
        self.now = now
        self.context = context
        self.previous: list[str] = []  # the kinds of the last clause that had one
        self.previous_text = ""  # … and that clause ("We'd need 10 desks and a meeting room for 8.")
        self.last_asks: list[int] = []  # the asks the previous sentence made
        self.dogs_before = False  # a dog was mentioned in an earlier sentence (its weight may follow alone)
        self.noun_phrase = ""  # a bare noun phrase just before ("the AC, does it run on weekends?")
        self.list_header = False  # "Here's what we need to know:" makes the following list lines asks
        self.named_so_far: list[SpaceFacts] = []

    def _named(self, text: str) -> list[SpaceFacts]:
        return mentioned(text, self.context) if self.context else []

    def sentence(self, sentence: str) -> None:
        self._seeker_facts(sentence)
        self.named_so_far += [s for s in self._named(sentence) if s not in self.named_so_far]
        whole = q.strip_lead(q.normalised(mask(sentence, self.context)))
        asking = q.asks_at_all(whole) or (self.list_header and len(sentence.split()) <= 10)
        in_sentence: list[int] = []  # indexes of the asks this sentence made, for follow-ups
        parts = q.joined_clauses(sentence)
        self.noun_phrase = ""
        for i, (alternative, clause) in enumerate(parts):
            if i == len(parts) - 1 and sentence.rstrip().endswith(":"):
                continue  # "Here's what we need to know:" introduces the asks below it
            self._clause(clause, sentence, asking, in_sentence, alternative=alternative)
        self.last_asks = in_sentence
        if sentence.rstrip().endswith(":") and (asking or _LIST_INTRO.search(whole)):
            self.list_header = True
        elif re.search(r"[.!?]$", sentence.strip()) and len(sentence.split()) > 10:
            self.list_header = False

    def _seeker_facts(self, sentence: str) -> None:
        if q.has_dog(sentence):
            self.facts.has_dog = True
        pets = q.other_pets(sentence)
        if pets:
            self.facts.other_pets = tuple(dict.fromkeys(self.facts.other_pets + tuple(pets)))
        weight = q.dog_weight(sentence, dogs_before=self.dogs_before)
        self.dogs_before = self.dogs_before or bool(KINDS["dogs"].topic.search(sentence))
        if weight is not None:
            self.facts.dog_weight_lbs, self.facts.has_dog = weight, True
        people = _PEOPLE.search(sentence)
        if people:
            self.facts.team_size = int(people.group(1))

    def _clause(self, clause: str, sentence: str, asking: bool, in_sentence: list[int], *,
                alternative: bool = False) -> None:
        norm = q.normalised(mask(clause, self.context))
        if q.retracts(norm):
            return  # "Please ignore my earlier question about parking"
        asking = asking and not q.declarative(norm)
        kinds = q.kinds_of(norm)
        slots = find_slots_at(clause, self.now)
        asks = self.facts.questions
        if not kinds and asking and any(s.minutes is not None for _, s in slots):
            kinds = ["tour"]  # "Tuesday 2pm?"
        if not kinds and asking and in_sentence and (alternative or q.refers_back(norm)):
            last = in_sentence[-1]
            if alternative or q.fragment(norm):  # "Is HVAC included or do we pay for that separately?"
                asks[last] = q.merge(asks[last], q.make_ask(asks[last].kind, clause, norm, sentence))
            else:  # "Does it have meeting rooms, and can we book them for a full day?": a second ask
                in_sentence.append(len(asks))
                asks.append(replace(q.make_ask(asks[last].kind, clause, norm, sentence), spaces=asks[last].spaces,
                                    comparison=asks[last].comparison and q.compares(norm)))
            return
        same_sentence = [asks[i].kind for i in in_sentence]
        if same_sentence or _BACK.search(norm):
            kinds = q.cost_of_previous(norm, kinds, same_sentence or self.previous)
        if not kinds and asking and (q.is_follow_up(norm) or q.short_follow_up(norm)) and self.previous:
            kinds = self.previous
            same = [i for i in in_sentence + self.last_asks if asks[i].kind in kinds]
            if same:  # "Is it dog friendly? Would he be allowed?" adds to the ask already made
                for i in same:
                    asks[i] = q.merge(asks[i], q.make_ask(asks[i].kind, clause, norm, sentence))
                return
            if self.previous_text:  # "We'd need 10 desks and a meeting room for 8. Does it work?" asks those
                norm = q.normalised(mask(self.previous_text, self.context)) + " " + norm
        if kinds == ["price"] and q.is_bare_cost(norm) and any(asks[i].kind != "price" for i in in_sentence):
            for i in in_sentence:  # "is there parking near the office, and the price?"
                if asks[i].kind != "price":
                    asks[i] = q.merge(asks[i], q.make_ask(asks[i].kind, clause, "how much does it cost", sentence))
            return
        if not kinds:
            if asking and q.asks_strongly(norm) and not is_meta(norm) and content_words(norm):
                if self.noun_phrase and _BACK.search(clause):  # "the AC, does it run on weekends?"
                    clause = _BACK.sub(self.noun_phrase, clause, count=1)
                in_sentence.append(len(asks))
                asks.append(q.make_ask(OTHER, clause, norm, sentence, spaces=self._ids(self._named(clause))))
            elif slots and not asking:
                self._attach_slots(clause, slots)
            elif not q.asks_at_all(norm) and len(clause.split()) <= 4:
                self.noun_phrase = clause  # a topic named before its question
            return
        self.previous, self.previous_text = kinds, clause
        if not asking and not ("tour" in kinds and slots):
            return
        for kind in kinds:
            for ask in self._asks_of(kind, clause, norm, sentence, slots):
                in_sentence.append(len(asks))
                asks.append(ask)

    def _asks_of(self, kind: str, clause: str, norm: str, sentence: str,
                 slots: list[tuple[int, Slot]]) -> list[q.Question]:
        named = self._named(clause)
        in_sentence = self._named(sentence)
        if named:
            spaces = named
        elif q.groups(norm) or (q.compares(norm) and len(in_sentence) >= 2):
            spaces = in_sentence if len(in_sentence) >= 2 else self._group()
        else:
            spaces = in_sentence
        either = re.search(r"the space,? or the space", mask(sentence, self.context), _F)
        comparison = len(spaces) >= 2 and (q.compares(norm) or bool(either)
                                           or bool(re.search(r"\bor\b", mask(clause, self.context), _F)))
        if kind == "tour" and len(named) >= 2 and len(slots) >= 2 and not comparison:
            # "Mission Loft on Tuesday at 2pm and Dogpatch Works on Monday at 9am": one tour ask per space.
            pairs = self._slot_spaces(clause, slots)
            return [replace(q.make_ask(kind, clause, norm, sentence, spaces=(space.id,)),
                            slots=tuple(s for s, sid in pairs if sid == space.id) or tuple(s for s, _ in pairs),
                            slot_spaces=tuple(sid for _, sid in pairs if sid == space.id))
                    for space in named]
        ask = q.make_ask(kind, clause, norm, sentence, spaces=self._ids(spaces), comparison=comparison)
        if kind == "tour" and slots:
            pairs = self._slot_spaces(clause, slots)
            ask = replace(ask, slots=tuple(s for s, _ in pairs), slot_spaces=tuple(sid for _, sid in pairs))
        return [ask]

    def _group(self) -> list[SpaceFacts]:
        """What "both", "which one" or "each" mean: the spaces the email names, else the live shortlist."""
        if len(self.named_so_far) >= 2:
            return self.named_so_far
        if self.context is None:
            return []
        live = [s for s in self.context.shortlist if s.status != "rejected"]
        return live[:3] if len(live) >= 2 else []

    def _slot_spaces(self, clause: str, slots: list[tuple[int, Slot]]) -> list[tuple[Slot, int | None]]:
        """Each requested slot with the space named nearest to it (None when the clause names none)."""
        names = mentioned_at(clause, self.context) if self.context else []
        out: list[tuple[Slot, int | None]] = []
        for position, slot in slots:
            nearest = min(names, key=lambda n: abs(n[0] - position), default=None)
            out.append((slot, nearest[1].id if nearest else None))
        return out

    def _attach_slots(self, clause: str, slots: list[tuple[int, Slot]]) -> None:
        """"Tuesday at 10am at FiDi Suite 1200 would be ideal" after a tour ask gives that ask its times."""
        asks = self.facts.questions
        tours = [i for i, a in enumerate(asks) if a.kind == "tour" and not a.slots]
        # a bare day counts when it is stated as a preference ("Tuesday would be ideal")
        preferred = bool(_PREFERENCE.search(clause))
        timed = [(p, s) for p, s in slots if s.minutes is not None or preferred]
        if tours and timed:
            pairs = self._slot_spaces(clause, timed)
            i = tours[-1]
            asks[i] = replace(asks[i], slots=tuple(s for s, _ in pairs), slot_spaces=tuple(sid for _, sid in pairs))

    @staticmethod
    def _ids(spaces: list[SpaceFacts]) -> tuple[int, ...]:
        return tuple(s.id for s in spaces)

    def tour_without_tour_words(self, sentences: list[str]) -> None:
        """"Tuesday at 2pm works for us" with no tour word is still a tour request (a weekday and a time)."""
        if any(a.kind == "tour" for a in self.facts.questions):
            return
        for sentence in sentences:
            slots = [(p, s) for p, s in find_slots_at(sentence, self.now)
                     if s.minutes is not None and _WEEKDAY_NAME.match(sentence[p:])]
            if slots:
                norm = q.normalised(mask(sentence, self.context))
                pairs = self._slot_spaces(sentence, slots)
                ask = q.make_ask("tour", sentence, norm, sentence, spaces=self._ids(self._named(sentence)))
                self.facts.questions.append(replace(ask, slots=tuple(s for s, _ in pairs),
                                                    slot_spaces=tuple(sid for _, sid in pairs)))
                return


def read_sentences(facts: q.SeekerFacts, sentences: list[str], *, now: datetime | None,
                   context: ReplyContext | None) -> None:
    reader = _Reader(facts, now, context)
    for sentence in sentences:
        reader.sentence(sentence)
    reader.tour_without_tour_words(sentences)
    assert all(a.kind in KINDS for a in facts.questions)


_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg|tr)\s*(\[\d+\])?\s*:\s*)+", _F)


def subject_asks(facts: q.SeekerFacts, context: ReplyContext, now: datetime | None) -> None:
    """'Subject: Parking at FiDi?' with 'See subject' in the body: a question asked only in the subject counts,
    unless the body asks the same kind of thing (then the body's words are the ask)."""
    subject = _REPLY_PREFIX.sub("", context.inbound.subject or "").strip()
    if not subject.endswith("?"):
        return
    found = q.SeekerFacts()
    read_sentences(found, [subject], now=now, context=context)
    kinds = {ask.kind for ask in facts.questions}
    facts.questions[:0] = [ask for ask in found.questions
                           if ask.kind not in kinds and (ask.kind != OTHER or not facts.questions)]
