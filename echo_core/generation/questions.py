"""Find the seeker's questions in an email, and the facts they state about themselves.

Pure text rules: sentences are split, each is matched against topic patterns,
and a sentence counts as a question when it asks (a '?', an interrogative or a
request such as "let me know"). Statements still feed the mismatch check
("my dog is a 70 lb lab").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

KINDS = ("dogs", "parking", "access", "meeting_rooms", "inclusions", "price", "tour", "team_fit", "move_in")

KIND_LABELS = {
    "dogs": "dogs", "parking": "parking", "access": "after-hours access", "meeting_rooms": "meeting rooms",
    "inclusions": "what the rent includes", "price": "the price", "tour": "a tour", "team_fit": "team size fit",
    "move_in": "move-in timing",
}

_F = re.IGNORECASE
TOPIC_PATTERNS: dict[str, re.Pattern[str]] = {
    "dogs": re.compile(r"\b(dogs?|pups?|pupp(y|ies)|pets?|canines?|pooch|doggos?|corgis?|labs?|labrador|retrievers?"
                       r"|terriers?|poodles?|dachshunds?|spaniels?|beagles?|cats?|kittens?|animals?|pet[- ]friendly"
                       r"|dog[- ]friendly)\b",
                       _F),
    "parking": re.compile(r"\b(park(ing)?|garages?|cars?|vehicles?|parking spots?|drive in)\b", _F),
    "access": re.compile(r"(after[- ]hours|24/7|24x7|24 hours|around the clock|key ?cards?|fobs?|badges?|"
                         r"\baccess\b|work(s|ing)? late|late (at night|nights?|hours)|evenings?|weekends?|"
                         r"nights?\b|\bkeys?\b|building hours|open hours|smart lock|saturdays|sundays|"
                         r"\bopen (on )?(weekends?|holidays|nights?|evenings?|late))", _F),
    "meeting_rooms": re.compile(r"\b(meeting|conference|board|huddle)[- ]?rooms?\b|\bphone booths?\b"
                                r"|\bmeeting space\b|\b(board|client|team) meetings?\b|\bhold meetings\b"
                                r"|\bmeet with clients\b", _F),
    "inclusions": re.compile(r"(utilit(y|ies)|internet|wi-?fi|broadband|janitor(ial)?|cleaning|cleaners|kitchen|"
                             r"coffee|hvac|heating|\binclud(e|es|ed|ing)\b.{0,25}\b(rent|price|rate|lease)\b|"
                             r"\b(rent|price|rate|lease)\b.{0,25}\binclud|what'?s included|all[- ]in\b)", _F),
    "price": re.compile(r"\b(price|pricing|rent|rate|how much|costs?|lease terms?|per month|monthly|asking|"
                        r"expensive|afford|budget|negotiable)\b", _F),
    "tour": re.compile(r"\b(tour|visit|viewing|walk-?through|swing by|come by|stop by|drop by|pop by|pop over|"
                       r"come see|see (it|the space|the office|them|both|the place)|check (it|the space|them) out|"
                       r"show us|look around|come (over|in)|in person)\b", _F),
    "team_fit": re.compile(r"(\bfit\b|accommodat|\bseats?\b|\bdesks?\b|big enough|enough (room|space|desks)|"
                           r"room for (\d+|a team|our team|us|all)|(\d+)[- ](people|person|employees|staff|heads)|"
                           r"\bcapacity\b|\bheadcount\b|how many people)", _F),
    "move_in": re.compile(r"(move[- ]?in|moving in|start date|available from|when (is|would) it (be )?available|"
                          r"when can we (start|get in|occupy)|occupancy|lease start|\bget in by\b|ready by|"
                          r"earliest (we|date|move|start|possible)|how soon)", _F),
}
_ASKS = re.compile(r"(\?|^\s*(can|could|is|are|do|does|did|what|what's|whats|how|when|where|which|would|will|any|"
                   r"has|have|should|may|might)\b|\b(let me know|wondering|wonder|curious|tell me|please (confirm|"
                   r"share|send|advise)|i'?d like to know|need to know|want to know|would love to know|"
                   r"any (info|details|chance)|is it possible|possible to|we'?d (love|like) to|we would (love|like) to|"
                   r"i'?d (love|like) to|hoping to|hope to|keen to|(we|i) want to|interested in)\b)", _F)
# "Would he be allowed?" after "My dog is an 80 lb retriever." asks about the previous sentence's topic.
_FOLLOW_UP = re.compile(r"\b(it|he|she|they|that|this|him|her|them|one)\b.{0,40}\b(allowed|allow|cost|costs|"
                        r"price|available|included|free|welcome|ok|okay|fine|work)\b", _F)
_SENTENCE = re.compile(r"(?<=[.?!])\s+|\n+")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY = re.compile(r"\b(mon(day)?|tue(s(day)?)?|wed(nesday)?|thu(r(s(day)?)?)?|fri(day)?|sat(urday)?|sun(day)?|"
                  r"tomorrow|today)\b\.?", _F)
_TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?(?=\W|$)|\b(noon|midday)\b", _F)
_DOG_WEIGHT = re.compile(r"(\d{1,3})\s*-?\s*(lbs?|pounds?|kg|kilos?)\b", _F)
_HAS_DOG = re.compile(r"\b(my|our|a|two|three|\d+)\s+(\w+\s+){0,3}(dogs?|pups?|puppy|corgi|lab|labrador|retriever|"
                      r"terrier|poodle|dachshund|spaniel|beagle|pooch)\b|\bhave (a )?dogs?\b|\bdog owners?\b|"
                      r"\bbring (my|our|a) (dog|pup)", _F)


@dataclass(frozen=True)
class Slot:
    """A weekday with an optional time in minutes after midnight."""

    weekday: str
    minutes: int | None = None

    def label(self) -> str:
        return self.weekday.capitalize() + (f" at {format_minutes(self.minutes)}" if self.minutes is not None else "")


@dataclass(frozen=True)
class Question:
    kind: str
    text: str
    asks_deposit: bool = False
    asks_cost: bool = False
    asks_count: bool = False
    slots: tuple[Slot, ...] = ()
    inclusion_items: tuple[str, ...] = ()


@dataclass
class SeekerFacts:
    """What the seeker says about themselves, used for the mismatch check."""

    has_dog: bool = False
    dog_weight_lbs: int | None = None
    team_size: int | None = None
    questions: list[Question] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return list(dict.fromkeys(q.kind for q in self.questions))


def format_minutes(minutes: int) -> str:
    hour, minute = divmod(minutes, 60)
    suffix = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12}:{minute:02d}{suffix}" if minute else f"{hour12}{suffix}"


def parse_slot_time(text: str) -> int | None:
    """'2pm', '10:30am' -> minutes after midnight."""
    match = re.fullmatch(r"\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm)\s*", text, _F)
    if not match:
        return None
    hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "pm" else 0)
    return hour * 60 + int(match.group(2) or 0)


def _weekday(token: str, now: datetime | None) -> str | None:
    token = token.lower().rstrip(".")
    if token in ("today", "tomorrow"):
        if now is None:
            return None
        return WEEKDAYS[(now.weekday() + (1 if token == "tomorrow" else 0)) % 7]
    return next((d for d in WEEKDAYS if d.startswith(token[:3])), None)


def find_slots(text: str, now: datetime | None = None) -> list[Slot]:
    """Weekday/time requests such as 'Tuesday at 2pm', 'Wed 10:30am', 'Thu around 3', 'tomorrow'."""
    slots: list[Slot] = []
    for day in _DAY.finditer(text):
        token = day.group(1)
        if token.lower() in ("sat", "sun", "wed", "mon") and not token[0].isupper() and len(token) == 3:
            continue  # 'sun', 'wed' in running prose are rarely weekdays
        weekday = _weekday(token, now)
        if weekday is None:
            continue
        tail = text[day.end(): day.end() + 24]
        time = _TIME.search(tail)
        minutes = None
        if time and re.match(r"^[\s,]*(at|around|@|about|~|from|,)?\s*(\d|noon|midday)", tail, _F):
            minutes = _to_minutes(time)
        slots.append(Slot(weekday, minutes))
    return slots


def _to_minutes(time: re.Match[str]) -> int | None:
    if time.group(4):
        return 12 * 60
    hour = int(time.group(1))
    if hour > 23:
        return None
    minute = int(time.group(2) or 0)
    meridiem = (time.group(3) or "").lower().replace(".", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    elif not meridiem and 1 <= hour <= 6:
        hour += 12  # "around 3" means the afternoon in a tour request
    return hour * 60 + minute


def sentences(text: str) -> list[str]:
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith(">")]  # skip quoted replies
    return [s.strip() for s in _SENTENCE.split("\n".join(lines)) if s and s.strip()]


def _kinds_of(sentence: str) -> list[str]:
    found = [k for k, p in TOPIC_PATTERNS.items() if p.search(sentence)]
    specific = [k for k in found if k not in ("price", "team_fit")]
    if "price" in found and (specific and not re.search(r"\b(rent|price|pricing|rate|monthly)\b", sentence, _F)):
        found.remove("price")  # "what does parking cost" is a parking question
    if "price" in found and "inclusions" in found and not re.search(r"\b(price|how much|rate)\b", sentence, _F):
        found.remove("price")  # "what does the rent include"
    if "team_fit" in found and ({"meeting_rooms", "parking", "dogs"} & set(found)) and \
            not re.search(r"\b(team|people|employees|staff|desks)\b", sentence, _F):
        found.remove("team_fit")  # "how many seats in the meeting room"
    if "move_in" in found and not re.search(r"\b(when|date|earliest|how soon|available|start|ready|by|asap)\b",
                                            sentence, _F):
        found.remove("move_in")  # "key cards for move-in" is not a timing question
    if "tour" in found and "move_in" in found and not re.search(r"\b(tour|visit|see)\b", sentence, _F):
        found.remove("tour")
    return found


def detect(body: str, now: datetime | None = None) -> SeekerFacts:
    """Every question kind the email asks, in order, plus the seeker's own facts."""
    facts = SeekerFacts()
    seen: dict[str, int] = {}
    previous: list[str] = []
    for sentence in sentences(body):
        if _HAS_DOG.search(sentence) and not re.search(r"\b(no|don't have|without) (a )?dogs?\b", sentence, _F):
            facts.has_dog = True
        weight = _DOG_WEIGHT.search(sentence)
        if weight and TOPIC_PATTERNS["dogs"].search(sentence):
            value = int(weight.group(1))
            facts.dog_weight_lbs = round(value * 2.2) if weight.group(2).lower().startswith("k") else value
            facts.has_dog = True
        people = re.search(r"\b(\d{1,4})\s*(people|persons|person|employees|staff|heads|seats|desks)\b", sentence, _F)
        if people:
            facts.team_size = int(people.group(1))
        asking = bool(_ASKS.search(sentence))
        slots = tuple(find_slots(sentence, now))
        kinds = _kinds_of(sentence)
        if not kinds and asking and _FOLLOW_UP.search(sentence):
            kinds = previous
        previous = kinds
        for kind in kinds:
            if not (asking or (kind == "tour" and slots)):
                continue
            if kind in seen:  # a follow-up on the same topic adds its details to the first question
                facts.questions[seen[kind]] = _merge(facts.questions[seen[kind]], _question(kind, sentence, slots))
                continue
            seen[kind] = len(facts.questions)
            facts.questions.append(_question(kind, sentence, slots))
    if "tour" not in seen:
        # "Tuesday at 2pm works for us" with no tour word is still a tour request.
        for sentence in sentences(body):
            slots = tuple(s for s in find_slots(sentence, now) if s.minutes is not None)
            if slots:
                facts.questions.append(_question("tour", sentence, slots))
                break
    return facts


def _question(kind: str, sentence: str, slots: tuple[Slot, ...]) -> Question:
    items = tuple(
        item for item, pattern in (("utilities", r"utilit"), ("internet", r"internet|wi-?fi|broadband"),
                                   ("janitorial", r"janitor|cleaning|cleaners"), ("kitchen", r"kitchen|coffee"),
                                   ("hvac", r"hvac|heating|air con"))
        if re.search(pattern, sentence, _F)
    )
    return Question(
        kind=kind,
        text=sentence[:300],
        asks_deposit=bool(re.search(r"\b(deposit|fee|charge)\b", sentence, _F)),
        asks_cost=bool(re.search(r"\b(cost|price|how much|fee|charge|\$|pay|rate|free)\b", sentence, _F)),
        asks_count=bool(re.search(r"\b(how many|number of|spots?|spaces)\b", sentence, _F)),
        slots=slots if kind == "tour" else (),
        inclusion_items=items if kind == "inclusions" else (),
    )


def _merge(first: Question, more: Question) -> Question:
    return Question(
        kind=first.kind,
        text=first.text,
        asks_deposit=first.asks_deposit or more.asks_deposit,
        asks_cost=first.asks_cost or more.asks_cost,
        asks_count=first.asks_count or more.asks_count,
        slots=first.slots or more.slots,
        inclusion_items=tuple(dict.fromkeys(first.inclusion_items + more.inclusion_items)),
    )
