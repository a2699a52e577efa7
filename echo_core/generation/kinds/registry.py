"""The question kinds, one entry each. A new kind is one entry here plus its tests.

Everything else derives from these entries: the ask splitter (questions.py) reads `topic`, the
composer calls `answer` and `compare`, the coverage check reads `reply_topic` and `facets`, and the
fact check may read `attributes` (names from facts/attributes.py).
"""

from __future__ import annotations

from echo_core.generation import answers, compare, recommend, terms, totals
from echo_core.generation.kinds.base import Facet, QuestionKind, rx

_MONEY = r"\$\s?\d"
# What a meeting room is equipped with: the record has no field for it, so an ask is deferred by name.
EQUIPMENT = (r"\b(tvs?|televisions?|screens?|displays?|monitors?|projectors?|video ?conferenc\w*|video ?calls?|zoom|"
             r"teams rooms?|\bav\b|a/v|audio[- ]visual|whiteboards?|speakerphones?|cameras?|equipment|equipped|"
             r"hdmi|conferencing)\b")
# Dogs named by breed ("we have a greyhound"): the dogs kind and the seeker's own facts both read these.
BREEDS = (r"greyhounds?|huskies|husky|bulldogs?|pugs?|collies?|schnauzers?|chihuahuas?|"
          r"(golden|labra|cava|cock[ae]?)?doodles?|cockapoos?|cavapoos?|rottweilers?|pit ?bulls?|pitties|great danes?|"
          r"mutts?|whippets?|vizslas?|weimaraners?|dalmatians?|sheepdogs?|pomeranians?|akitas?|shiba( inus?)?|"
          r"shih tzus?|maltese|malinois|yorkies?|bernese|newfies?")
_ANY_COST = r"cost|price|how much|fee|charge|\$|pay|rate|free|extra|cheap|expensive|run us"


def _needs_rent_words(clause: str, found: list[str]) -> bool:
    """'What does parking cost' is a parking question; 'rent' keeps the price question beside it."""
    specific = [k for k in found if k not in ("price", "team_fit", "other")]
    return not specific or bool(rx(r"\b(rent|rental|lease rate|monthly rate|price of the (office|space|suite))\b")
                                .search(clause))


def _alone(clause: str, found: list[str]) -> bool:
    """'Can you suggest a time to tour?' is a tour question; 'which would you recommend for us?' stands alone."""
    return not [k for k in found if k not in ("recommend", "price", "team_fit", "other")]


def _timing(clause: str, found: list[str]) -> bool:
    """'key cards for move-in' is not a timing question."""
    return bool(rx(r"\b(when|date|earliest|how soon|available|start|ready|by|asap|sooner|from)\b").search(clause))


def _team(clause: str, found: list[str]) -> bool:
    """'how many seats in the meeting room' is about the room, not the team."""
    if {"meeting_rooms", "parking", "dogs"} & set(found):
        return bool(rx(r"\b(team|people|employees|staff|desks|persons)\b").search(clause))
    return True


_ACCESS_STRONG = rx(r"24/7|24x7|after[- ]?hours|\blate\b|key ?cards?|keycards?|fobs?|badges?|\baccess|get in|let us in|"
                    r"around the clock|smart lock|\bopen\b|\bopens\b|\block(s|ed)? up\b|\bclos(e|es|ing) (up|for)\b")


def _building_hours(clause: str, found: list[str]) -> bool:
    """'book them for a full day' is about the meeting room; 'the neighborhood at night' is not about access."""
    if "meeting_rooms" in found:
        return bool(rx(r"24/7|after[- ]hours|late|night|weekend|key ?cards?|fobs?|access|get in").search(clause))
    if _ACCESS_STRONG.search(clause) or rx(r"\bhours\b").search(clause):
        return True
    # 'nights', 'weekends', 'evenings' alone: only when the seeker wants to be in the office then.
    return bool(rx(r"\b(work|working|works|stay|use|come in|enter|be in|in the (office|building|space)|"
                   r"building|office)\b").search(clause))


_INCLUDED_GENERIC = rx(r"\b(is|are)\s+(the\s+)?(?!it\b|that\b|this\b|everything\b|anything\b)[a-z][\w-]*"
                       r"(\s+[a-z][\w-]*)?\s+included\b")


_INCLUSION_ITEMS = rx(r"utilit|electric|\bwater\b|internet|wi-?fi|broadband|\bfib(er|re)\b|janitor|clean|kitchen|"
                     r"hvac|heating|air[- ]?con")
_WHATS_INCLUDED = rx(r"what'?s included|what (does|do|is|would) (the |it |that )?(rent|price|rate|lease|it)\b.{0,10}"
                     r"\b(include|cover)|what (else )?(is|comes) included|all[- ]in\b|\beverything\b.{0,15}\bincluded")


def _inclusion(clause: str, found: list[str]) -> bool:
    """'Is parking included in the rent?' is a parking question; 'Is coffee included?' asks what the rent
    includes; 'Does the rent cover utilities and parking?' asks both."""
    specific = [k for k in found if k not in ("inclusions", "price", "other")]
    return not specific or bool(_INCLUSION_ITEMS.search(clause) or _WHATS_INCLUDED.search(clause))


ENTRIES = (
    QuestionKind(
        name="dogs", label="dogs",
        topic=rx(r"\b(dogs?|pups?|pupp(y|ies)|pets?|canines?|pooch|doggos?|corgis?|labs?|labrador|retrievers?|"
                 r"terriers?|poodles?|dachshunds?|spaniels?|beagles?|shepherds?|cats?|kittens?|animals?|"
                 + BREEDS + r")\b|"
                 r"(pet|dog)[- ]?friend(ly|lier)"),
        reply_topic=rx(r"\b(dogs?|pets?|pups?|puppy|canines?|animals?)\b|dog[- ]friendly|pet[- ]friendly"),
        attributes=("dogPolicy.allowed", "dogPolicy.sizeLimit", "dogPolicy.deposit", "amenities.dogFriendly"),
        answer=answers.dogs, compare=compare.dogs,
        facets=(Facet("deposit", rx(r"\b(deposit|fee|charge)"), rx(r"deposit|\bfee\b")),
                Facet("size", rx(r"\d+\s*(lbs?|pounds?|kg|kilos?)\b|\bsize|\bbig(ger)?\b|\blarge(r)?\b|\bsmall\b|"
                                 r"weigh|breed"),
                      rx(r"\blbs?\b|pounds|\bsize|\blimit|\bsmall\b|\blarger?\b|\bbigger\b|any size"))),
        vocabulary=("friendly", "animals", "puppy", "deposit"),
    ),
    QuestionKind(
        name="parking", label="parking",
        topic=rx(r"\b(park(ing)?|garages?|cars?|vehicles?|parking spots?|spots?|drive in)\b"),
        reply_topic=rx(r"\bpark(ing)?\b|\bgarage\b|\bspots?\b|\blot\b"),
        attributes=("parking.type", "parking.location", "parking.costMonthly", "parking.costPerDay",
                    "parking.spotsAvailable", "parking.provider", "parking.sharedSpots", "amenities.parking"),
        answer=answers.parking, compare=compare.parking,
        facets=(Facet("cost", rx(rf"\b({_ANY_COST})"),
                      rx(rf"{_MONEY}|\bfree\b|no charge|\bincluded\b|no cost|street parking only|metered|"
                         r"(n't|not|no) (come with |have |offer )?(any )?parking")),
                Facet("spots", rx(r"how many|spots? (left|open|available|free)|any (parking )?spots|availab|waitlist"),
                      rx(r"\b(\d+|no|one|two|three|four|five|six|seven|eight|nine|ten)\s+(parking\s+)?spots?\b|"
                         r"waitlist|\bfull\b|spots? (is|are) (available|open)")),
                Facet("where", rx(r"\bwhere\b|in the building|off-?site|on-?site|nearby|\blocation"),
                      rx(r"garage|off-site|on-site|\blot\b|street|in the building|\bat the\b"))),
        vocabulary=("parking", "garage", "vehicle"),
    ),
    QuestionKind(
        name="access", label="after-hours access",
        topic=rx(r"after[- ]?hours|24/7|24x7|24 hours|around the clock|key ?cards?|keycards?|fobs?|badges?|"
                 r"\baccess\b|work(s|ing)? late|late (at night|nights?|hours)|evenings?|weekends?|\bnights?\b|"
                 r"(?<!\d )(?<!\d)\bhours\b|smart lock|saturdays|sundays|let us in|get in(to)?\b|"
                 r"after \d{1,2}\s*(pm|am)?\b|"
                 r"\bopen (on )?(weekends?|holidays|nights?|evenings?|late|24)|"
                 r"\b(what time|when|how early|how late)\s+(does|do|is|are|will|can|would)\s+(the\s+)?(building|"
                 r"office|space|suite|it|doors?|front desk|lobby|you|we|they|place|premises)\b.{0,15}"
                 r"\b(open|opens|close|closes|lock|locks|unlock|shut)\b|"
                 r"\bopening (hours|times)\b"),
        reply_topic=rx(r"access|24/7|around the clock|after[- ]hours|key ?cards?|fobs?|badges?|smart lock|"
                       r"front desk|\bentry\b|\bopen\b|\bhours\b|credentials"),
        attributes=("access.system", "access.costPerCard", "access.cost", "access.hours", "access.afterHours",
                    "access.advanceNotice", "access.process", "amenities.afterHours"),
        answer=answers.access, refine=_building_hours,
        compare=compare.access,
        facets=(Facet("cost", rx(r"\b(cost|how much|price|pay|fee|charge|free)"),
                      rx(rf"{_MONEY}|\bfree\b|no charge|no cost")),
                Facet("hours", rx(r"\bhours\b|24/7|24x7|\blate\b|night|weekend|evening|\bopen\b|around the clock|"
                                  r"after \d|after[- ]?hours"),
                      rx(r"24/7|around the clock|after-hours|\d\s*(am|pm)|\bhours\b|weekdays|\bopen\b")),
                Facet("process", rx(r"how long|\btake\b|process|set ?up|\bget (them|the cards|cards|keys|fobs)|"
                                    r"for everyone|how (does|do)\b|how\b.{0,30}\bworks\b"),
                      rx(r"request|process|portal|\bapp\b|notice|\bform\b|set up|invite|business days?|same day")),
                Facet("system", rx(r"\bsystem\b|what kind|\bapp\b|\bor\b.{0,20}(fob|card|app)"),
                      rx(r"key ?card|fob|smart lock|front desk|\bapp\b|badge|keypad"))),
        vocabulary=("access", "keycards", "weekends", "evenings"),
    ),
    QuestionKind(
        name="meeting_rooms", label="meeting rooms",
        topic=rx(r"\b(meeting|conference|board|huddle)[- ]?rooms?\b|\bphone booths?\b|\bmeeting space\b|"
                 r"\b(board|client|team) meetings?\b|\bhold meetings\b|\bmeet with clients\b|\bboardroom\b"),
        reply_topic=rx(r"meeting|conference|board ?room|phone booth"),
        attributes=("meetingRooms.count", "meetingRooms.sizes", "meetingRooms.bookingSystem",
                    "meetingRooms.maxHoursPerBooking", "amenities.meetingRooms"),
        answer=answers.meeting_rooms, compare=compare.meeting_rooms,
        facets=(Facet("count", rx(r"how many|number of"),
                      rx(r"\b(\d+|a|an|one|two|three|four|five|six|no)\s+(dedicated\s+)?(meeting|conference)[- ]?"
                         r"rooms?\b|n't have a dedicated")),
                Facet("size", rx(r"biggest|largest|how big|\bseat|\bsize|capacity|\bfit\b"),
                      rx(r"\bseat|\bpeople\b")),
                Facet("booking", rx(r"\bbook|reserve|full day|all day|half[- ]day|how long|\bhours?\b|system"),
                      rx(r"\bbook|capped|\bhours?\b|system|through|reserv")),
                Facet("equipment", rx(EQUIPMENT), rx(EQUIPMENT))),
        vocabulary=("meeting", "conference", "booths"),
    ),
    QuestionKind(
        name="inclusions", label="what the rent includes",
        topic=rx(r"utilit(y|ies)|electric(ity)?|\bwater\b|internet|wi-?fi|broadband|\bfib(er|re)\b|janitor(ial)?|"
                 r"\b(upload |download |internet )?speeds?\b|bandwidth|connectivity|\bconnection\b|"
                 r"\bac\b|\ba/c\b|"
                 r"\bclean(ed|ing|ers?)?\b|\bkitchen(ette)?s?\b|hvac|heating|air[- ]?con(ditioning)?|"
                 r"\binclud(e|es|ed|ing)\b.{0,25}\b(rent|price|rate|lease)\b|\b(rent|price|rate|lease|it)\b.{0,25}"
                 r"\binclud|what'?s included|all[- ]in\b|\b(rent|price) covers?\b|\bcovers? (utilities|internet)|"
                 r"\bwhat (it|that|the rent|the price|the lease) covers\b|"
                 + _INCLUDED_GENERIC.pattern),
        reply_topic=rx(r"includ|utilit|internet|wi-?fi|janitor|clean|kitchen|hvac|mbps|gbps|fiber|covers?"),
        attributes=("rentInclusions.utilities", "rentInclusions.internet", "rentInclusions.janitorial",
                    "rentInclusions.hvac", "rentInclusions.kitchen", "amenities.kitchen"),
        answer=terms.inclusions, compare=compare.inclusions, refine=_inclusion,
        facets=(Facet("utilities", rx(r"utilit|electric|\bpower\b|\bwater\b|\bgas\b"), rx(r"utilit|electric")),
                Facet("internet", rx(r"internet|wi-?fi|broadband|\bfib(er|re)\b|connection|mbps|gbps"),
                      rx(r"internet|wi-?fi|mbps|gbps|fiber|broadband")),
                Facet("janitorial", rx(r"janitor|clean"), rx(r"janitor|clean")),
                Facet("kitchen", rx(r"kitchen"), rx(r"kitchen")),
                Facet("hvac", rx(r"hvac|heating|air[- ]?con|cooling|\bac\b|\ba/c\b"),
                      rx(r"hvac|heating|\bair\b|\bac\b"))),
        vocabulary=("utilities", "internet", "janitorial", "cleaning", "kitchen", "included", "electricity"),
    ),
    QuestionKind(
        name="price", label="the price",
        topic=rx(r"\b(price|pricing|rent|rate|how much(?!\s+(people|persons|space|room|time|notice))|costs?|"
                 r"per month|monthly|asking|expensive|cheaper|cheapest|pricier|priciest|afford(able)?|budget|"
                 r"negotiable)\b"),
        reply_topic=rx(r"\brent\b|per month|a month|/month|/mo\b|monthly|\bprice|\brate\b|\bcosts?\b|\bruns\b"),
        attributes=("monthlyRate", "deal.monthlyBudget"),
        answer=terms.price, refine=_needs_rent_words, compare=compare.price,
        facets=(Facet("amount", rx(r"."), rx(_MONEY)),
                Facet("negotiable", rx(r"negotia|wiggle room|flexib\w*\s+(on|about|with)\s+(the\s+)?(rent|price|rate)|"
                                       r"come down|best (price|rate|offer)|any discounts?|lower (the )?(rent|price)|"
                                       r"better (price|rate|deal)|room (on|in) (the )?(rent|price)"),
                      rx(r"negotia|room to move|come down|flexib"))),
        # A figure beside a parking, deposit or key-card word is that cost, not the rent.
        extra={"not_rent": rx(r"(parking|garage|spots?|deposit|key ?cards?|fobs?|badges?|credentials)\b[^.;]{0,40}\$|"
                              r"\$[^.;]{0,40}\b(deposit|parking|garage|spots?|each|per (day|card|spot))\b"),
               "rent_word": rx(r"\b(rent|rate|price|pricing)\b")},
    ),
    QuestionKind(
        name="total_cost", label="the total monthly cost",
        topic=rx(totals.TOPIC),
        reply_topic=rx(r"\ball in\b|\ball-in\b|\btotal\b|comes? to|altogether|monthly figure|\brent\b"),
        attributes=("monthlyRate", "parking.costMonthly", "parking.costPerDay", "parking.spotsAvailable",
                    "deal.monthlyBudget"),
        answer=totals.total_cost, compare=totals.compare,
        facets=(Facet("amount", rx(r"."), rx(_MONEY)),),
    ),
    QuestionKind(
        name="recommend", label="which space fits best",
        topic=rx(recommend.TOPIC), refine=_alone,
        reply_topic=rx(r"budget|\bfits?\b|recommend|requirements|dog friendly|parking|after-hours|per month"),
        attributes=("monthlyRate", "deal.monthlyBudget", "dogPolicy.allowed", "amenities.parking",
                    "access.afterHours"),
        answer=recommend.recommend, compare_deal=recommend.compare,
    ),
    QuestionKind(
        name="tour", label="a tour",
        topic=rx(r"\b(tour|visit|viewing|walk-?through|swing by|come by|stop by|drop by|pop by|pop over|come see|"
                 r"see (it|the space|the office|them|both|the place|both spaces)|check (it|the space|them) out|"
                 r"show us|look around|come (over|in)|in person)\b"),
        reply_topic=rx(r"\btour|visit|\bslots?\b|walk-?through|come by|\bopen\b|\bfree\b|"
                       r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|see you|\bbooked\b|confirmed|schedul"),
        attributes=("availability",),
        answer=answers.tour,
        facets=(),
    ),
    QuestionKind(
        name="team_fit", label="team size fit",
        topic=rx(r"(\bfit\b|accommodat|\bseats?\b|\d+\s*desks|how many desks|enough desks|desks? for|big enough|"
                 r"enough (room|space|desks)|"
                 r"room for (\d+|a team|our team|us|all)|\b(\d+)[- ](people|person|persons|employees|staff|heads)\b|"
                 r"\bcapacity\b|\bheadcount\b|how (many|much) people|\bholds?\b)"),
        reply_topic=rx(r"\bfits?\b|\bholds?\b|capacity|\bpeople\b|\bdesks?\b|\bseats?\b|team of|room for|big enough"),
        attributes=("capacity", "deal.teamSize"),
        answer=terms.team_fit, refine=_team, compare=compare.team_fit,
    ),
    QuestionKind(
        name="move_in", label="move-in timing",
        topic=rx(r"(move[- ]?in|moving in|start date|available from|available (in|by|from) (january|february|march|"
                 r"april|may|june|july|august|september|october|november|december|next|this|the|early|mid|late|"
                 r"\d)|availab.{0,30}\bfrom\b|"
                 r"when (is|would|will|could) (it|the \w+|this|that)( \w+)?( be)? (available|ready|free)|"
                 r"when can we (start|get in|occupy)|occupancy|lease start|"
                 r"\bget in by\b|ready by|earliest (we|date|move|start|possible)|how soon|from when|"
                 r"(from|by|on|as of) (which|what) (date|day|month)|(which|what) date)"),
        reply_topic=rx(r"move[- ]?in|moving in|available (from|to move|starting|on|in|as of|by)|start date|earliest|"
                       r"sooner|ready (by|on|from|in)|occupancy|lease start"),
        attributes=("availableFrom",),
        answer=terms.move_in, refine=_timing, compare=compare.move_in,
    ),
    QuestionKind(
        name="other", label="another question",
        # Anything asked that no kind above recognises: recognised by grammar, deferred by name.
        topic=rx(r"(?!)"),
        reply_topic=rx(r"(?!)"),
        attributes=(),
    ),
)
