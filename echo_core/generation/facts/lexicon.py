"""Synonym families: the words a reply uses for each attribute, its values, units and polarity.

The fact check recognises a claim by grammar (attribute word + value + unit, with
negation bound to its own phrase), so these families name *words*, never whole
sentences. Each is a compiled, case-insensitive pattern.
"""

from __future__ import annotations

import re

_F = re.IGNORECASE


def words(*alternatives: str) -> re.Pattern[str]:
    """A pattern matching any alternative as whole words."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", _F)


# Which attribute a phrase talks about.
CUES: dict[str, re.Pattern[str]] = {
    "parking": words(r"parking", r"park", r"garages?", r"(?:parking )?lots?", r"(?:parking )?spots?", r"stalls?",
                     r"cars?", r"vehicles?", r"valet", r"parking spaces?"),
    "card": words(r"key[- ]?cards?", r"access cards?", r"cards?", r"(?:key )?fobs?", r"badges?", r"credentials?",
                  r"keys?"),
    "deposit": words(r"(?:pet |dog )?deposits?", r"pet fees?"),
    "dogs": words(r"dogs?", r"pups?", r"pupp(?:y|ies)", r"pets?", r"canines?", r"pooch(?:es)?", r"doggos?",
                  r"four-legged \w+", r"(?:dog|pet)-friendly", r"(?:dog|pet) friendly"),
    "rent": words(r"rent", r"rents", r"rate", r"rates", r"price[sd]?", r"pricing", r"asking", r"lease rate",
                  r"list price", r"priced", r"goes for", r"costs? per month"),
    "budget": words(r"budget(?:ed|s)?"),
    "gap": words(r"above", r"over", r"under", r"below", r"more than", r"less than", r"cheaper", r"pricier",
                 r"difference", r"gap", r"short of", r"within", r"beyond", r"higher", r"lower", r"more expensive",
                 r"less expensive", r"saves?", r"savings?", r"headroom", r"to spare", r"left ?over", r"leaves?",
                 r"remaining", r"buffer", r"cushion", r"margin", r"after", r"(?:more |less )?affordable",
                 r"by(?=\s*(?:about |roughly |around )?\$)"),
    "total": words(r"total(?:s|ling|ing)?", r"combined", r"altogether", r"in all", r"together",
                   r"comes? to", r"works? out to", r"sum", r"in total"),
    "meeting": words(r"meeting[- ]?rooms?", r"conference[- ]?rooms?", r"board[- ]?rooms?", r"huddle[- ]?rooms?",
                     r"meeting spaces?", r"rooms?"),
    "utilities": words(r"utilit(?:y|ies)", r"electricity", r"power", r"water", r"gas and electric"),
    "internet": words(r"internet", r"wi-?fi", r"broadband", r"fib(?:er|re)", r"connectivity", r"connection"),
    "janitorial": words(r"janitorial", r"janitors?", r"cleaning", r"cleaners?", r"cleaning crew", r"custodial",
                        r"housekeeping", r"cleaned"),
    "hvac": words(r"hvac", r"heating", r"air[- ]conditioning", r"a/?c", r"climate control", r"heat and air"),
    "kitchen": words(r"kitchens?", r"kitchenettes?", r"pantry", r"pantries", r"coffee (?:bar|station)"),
    "access": words(r"access", r"entry", r"get in", r"come and go", r"building hours", r"open", r"opens",
                    r"closes?", r"closed", r"hours"),
    "tour": words(r"tours?", r"visits?", r"viewings?", r"walk-?throughs?", r"showings?", r"slots?", r"swing by",
                  r"come by", r"stop by", r"drop by", r"see (?:it|the space|the office|the place)", r"show you",
                  r"available", r"availability", r"open", r"free", r"works?", r"book(?:ed)?", r"schedule[d]?",
                  r"calendar", r"lock (?:that|it) in", r"come (?:in|over)", r"times?"),
}

# A phrase that names its own polarity: these phrases hold a "no" that is not a negation.
FREE = words(r"free(?: of charge)?", r"complimentary", r"included", r"includes?", r"including", r"covered",
             r"comes with", r"come with", r"part of the (?:rent|lease|price)", r"in the (?:rent|price|lease)",
             r"at no (?:extra |additional )?(?:cost|charge)", r"no (?:extra |additional )?(?:cost|charge|fee)s?",
             r"on the house", r"no-cost", r"without (?:any )?(?:extra |additional )?(?:charge|cost|fee)",
             r"gratis", r"bundled", r"thrown in", r"covers?", r"all[- ]in")
CHARGED = words(r"extra", r"additional(?:ly)?", r"separate(?:ly)?", r"billed", r"charged?", r"charges", r"paid",
                r"fee", r"fees", r"costs?", r"pay", r"add-on", r"surcharge", r"pass[- ]through",
                r"bring your own", r"byo", r"not included", r"excluded", r"excludes?", r"tenant pays")
NEGATION = words(r"no", r"not", r"isn'?t", r"aren'?t", r"doesn'?t", r"don'?t", r"won'?t", r"can'?t", r"cannot",
                 r"without", r"never", r"nor", r"neither", r"none", r"lacks?", r"lacking", r"prohibit(?:s|ed)?",
                 r"ban(?:s|ned)?", r"forbid(?:s|den)?", r"excluding", r"except", r"wasn'?t", r"weren'?t",
                 r"didn'?t", r"unavailable", r"n't", r"nothing", r"zero")
# "never closes", "no closing time": a negated closing is an always-open claim, not a negation.
ALWAYS_OPEN = words(r"24/7", r"24 ?x ?7", r"24 hours(?: a day)?", r"24-hour", r"around[- ]the[- ]clock",
                    r"round[- ]the[- ]clock", r"any ?time", r"day or night", r"day and night", r"never clos(?:es|ed)",
                    r"always open", r"all hours", r"whenever you (?:like|want|need)", r"doesn'?t close",
                    r"no closing time", r"open all night", r"all night", r"7 days a week,? 24")
AFTER_HOURS = words(r"after[- ]hours?", r"late nights?", r"nights? and weekends?", r"evenings? and weekends?",
                    r"weekend access", r"work late", r"working late", r"late at night", r"off[- ]hours",
                    r"out[- ]of[- ]hours", r"early mornings?")
# Words that make a phrase claim nothing: a deferral, a question, a possibility.
HEDGE = words(r"confirm(?:ing)? (?:with|whether|if|on|about|the)", r"check(?:ing)? (?:with|whether|if|on|into)",
              r"ask(?:ing)? (?:the host|them|whether|if|about)", r"find out", r"look(?:ing)? into",
              r"get back to you", r"follow up", r"verify", r"double-check", r"not sure", r"unsure",
              r"don'?t know", r"unclear", r"tbc", r"tbd", r"whether", r"see if", r"may", r"might", r"could be",
              r"possibly", r"perhaps", r"case[- ]by[- ]case", r"hoping", r"wondering", r"did you", r"do you",
              r"would you", r"are you", r"can you", r"if you(?:'d| would)? (?:like|want|prefer)",
              r"you (?:mentioned|asked|said|wrote|noted|requested|were asking|wanted)", r"your (?:request|question)",
              r"requested", r"instead of", r"rather than", r"pulling together")
APPROX = words(r"about", r"around", r"roughly", r"approximately", r"approx\.?", r"~", r"circa", r"ish",
               r"in the ballpark of", r"just (?:under|over|below|above)", r"nearly", r"almost")
SEEKER = words(r"you", r"your", r"you'?ve", r"you'?d", r"you'?re", r"yours")

PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("month", re.compile(r"^\s*(?:/\s*(?:mo|mth|month)\b|(?:per|a|an|each|every|/)\s*(?:calendar )?month\b|"
                         r"monthly\b|(?:per|a) mo\b|pcm\b|p/?m\b(?!\w))", _F)),
    ("day", re.compile(r"^\s*(?:/\s*day\b|(?:per|a|each|every|for the|by the)\s*day\b|daily\b|per diem\b|/d\b)",
                       _F)),
    ("year", re.compile(r"^\s*(?:/\s*(?:yr|year)\b|(?:per|a|each|every)\s*year\b|annual(?:ly)?\b|yearly\b|"
                        r"per annum\b|/yr\b)", _F)),
    ("week", re.compile(r"^\s*(?:/\s*(?:wk|week)\b|(?:per|a|each|every)\s*week\b|weekly\b)", _F)),
    ("hour", re.compile(r"^\s*(?:/\s*(?:hr|hour)\b|(?:per|an|each)\s*hour\b|hourly\b)", _F)),
    ("card", re.compile(r"^\s*(?:each\b|apiece\b|(?:per|a|for each|for a)\s*(?:key ?card|card|fob|badge|key|"
                        r"credential)s?\b|/\s*(?:card|fob|badge)\b)", _F)),
    ("once", re.compile(r"^\s*(?:one[- ]time\b|once\b|upfront\b|up front\b|refundable\b|flat\b)", _F)),
)
PERIOD_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("month", words(r"monthly", r"per month", r"a month", r"each month", r"/month", r"/mo")),
    ("day", words(r"daily", r"per day", r"a day", r"day rate", r"day pass", r"by the day", r"each day")),
    ("year", words(r"annual(?:ly)?", r"yearly", r"per year", r"a year")),
    ("card", words(r"per (?:key ?)?card", r"each card", r"per fob", r"per badge")),
)

FREQUENCIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("daily", words(r"daily", r"nightly", r"every (?:day|night|evening|weekday|business day)",
                    r"each (?:day|night|evening|weekday)", r"(?:5|five|7|seven) (?:days|nights) a week",
                    r"every weeknight", r"each weeknight")),
    ("twice weekly", words(r"twice (?:a|per|each) week", r"2x (?:a|per) week", r"(?:two|2) times (?:a|per) week",
                           r"semi-?weekly", r"twice weekly")),
    ("weekly", words(r"weekly", r"once (?:a|per|each) week", r"every week", r"each week", r"1x (?:a|per) week")),
    ("biweekly", words(r"bi-?weekly", r"every (?:other|second) week", r"fortnightly", r"every two weeks",
                       r"every 2 weeks")),
    ("monthly", words(r"monthly", r"once (?:a|per) month", r"every month")),
    ("on request", words(r"on request", r"on demand", r"as needed")),
)
PARKING_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("street", words(r"street(?:[- ]only)?", r"metered", r"curbside", r"on the street", r"street parking")),
    ("off-site", words(r"off[- ]?site", r"nearby (?:garage|lot)", r"(?:a )?short walk", r"down the (?:street|block)",
                       r"around the corner", r"across the street", r"a block away", r"blocks? away",
                       r"neighbou?ring (?:garage|lot)", r"separate (?:garage|lot)")),
    ("building", words(r"on[- ]?site", r"in[- ]building", r"in the building", r"building'?s? (?:own )?garage",
                       r"(?:building|basement|underground) garage", r"downstairs", r"below the building",
                       r"under the building", r"attached garage")),
)
KITCHEN_PRIVACY: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("private", words(r"private", r"dedicated", r"in-suite", r"your own", r"exclusive")),
    ("shared", words(r"shared", r"communal", r"common", r"building'?s")),
)
KITCHEN_SIZE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("full", words(r"full", r"fully[- ]equipped", r"complete", r"chef'?s", r"commercial")),
    ("kitchenette", words(r"kitchenettes?", r"pantry", r"coffee (?:bar|station)", r"mini[- ]kitchen",
                          r"small kitchen")),
)
ACCESS_SYSTEMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("card", words(r"key[- ]?cards?", r"card (?:access|reader|entry)", r"access cards?", r"(?:key )?fobs?",
                   r"badges?", r"swipe cards?", r"rfid")),
    ("smart lock", words(r"smart ?locks?", r"latch", r"kisi", r"app(?:-based)? (?:entry|access|invite|unlock)",
                         r"(?:your |a )?phone app", r"unlock with (?:your|the) phone", r"via (?:an|the) app",
                         r"mobile (?:access|key|app)")),
    ("front desk", words(r"front desk", r"reception(?:ist)?", r"concierge", r"doorman", r"security desk",
                         r"lobby desk", r"sign in at", r"check[- ]in at")),
    ("keypad", words(r"keypads?", r"door codes?", r"pin codes?", r"code entry", r"keyless entry")),
    ("key", words(r"physical keys?", r"metal keys?", r"a key")),
)

MONEY = re.compile(r"(?:\$|usd\s?|us\$)\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?\s?(k|thousand|m|million)?(?![\w])"
                   r"|(?<![\w$.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?\s?(k|thousand)?\s?(?:dollars|bucks|usd)\b",
                   _F)
NUMBER = r"(\d+(?:\.\d+)?)"
TIME = re.compile(r"(?<![\w:$.])(\d{1,2})(?:[:.](\d{2}))?\s?(a\.?m\.?|p\.?m\.?)(?![\w])|(?<![\w:$])(\d{1,2}):(\d{2})"
                  r"(?![\w:])|\b(noon|midday|midnight)\b", _F)
WEEKDAY = re.compile(r"\b(mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|"
                     r"sat(?:urday)?|sun(?:day)?)s?\b\.?", _F)
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Amenities a reply may claim that the seed's shapes only hold as flags (`amenities.<key>`), if at all.
AMENITIES: dict[str, str] = {
    "showers": r"showers?", "bike storage": r"bike (?:storage|room|racks?|parking|cage)|bicycle (?:storage|parking)",
    "gym": r"gym|fitness (?:center|centre|room)", "rooftop": r"roof ?(?:top|deck|terrace)(?: deck| terrace)?",
    "terrace": r"terrace|patio|balcony|outdoor (?:space|area|deck)", "phone booths": r"phone (?:booths?|rooms?)",
    "lounge": r"lounge",
    "mail handling": r"mail (?:handling|service|room)|mailroom|package (?:handling|room)|mail (?:is |gets )?"
    r"(?:handled|received|accepted|sorted)|packages? (?:are |get )?(?:received|accepted|held|signed for)",
    "signage": r"signage", "furniture": r"furnished|furniture", "ev charging": r"ev charg(?:ing|ers?)|electric "
    r"vehicle charg(?:ing|ers?)", "elevator": r"elevators?|lifts?", "loading dock": r"loading docks?",
    "storage": r"storage (?:room|space|units?)|lockers?", "wellness room": r"wellness rooms?|mother'?s rooms?|"
    r"lactation rooms?|nap rooms?", "podcast studio": r"podcast (?:studio|room)", "event space": r"event spaces?",
    "cafe": r"caf[eé]s?", "printing": r"print(?:ing|ers?)|copiers?", "wheelchair access": r"wheelchair|ada[- ]",
    "security": r"24/7 security|security guards?|on-site security",
}
ASSERT = words(r"has", r"have", r"had", r"offers?", r"comes? with", r"features?", r"includes?", r"there'?s",
               r"there is", r"there are", r"boasts?", r"provides?", r"available", r"access to", r"you'?ll get",
               r"you get", r"with", r"plus", r"and", r"also", r"is", r"are", r"on[- ]site", r"equipped")
