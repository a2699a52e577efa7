"""The fact check: every claim read as (space, attribute, value); wrong → failed, unconfirmable → warnings."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from echo_core.generation.context import ReplyContext, context_from_dict
from echo_core.generation.validator import claims, validate

MISSION: dict[str, Any] = {
    "id": 1, "name": "Mission Loft", "address": "2120 Mission St, San Francisco", "status": "touring",
    "monthly_rate": 14500, "availability": {"tuesday": ["2pm", "4pm"], "thursday": ["10am", "3pm"]},
    "amenities": {"dogFriendly": True, "parking": True, "afterHours": True, "meetingRooms": True, "kitchen": True,
                  "showers": True, "gym": False},
    "detailed_amenities": {
        "parking": {"type": "building-garage", "costMonthly": 175, "spotsAvailable": 3},
        "dogPolicy": {"allowed": True, "sizeLimit": "under 60 lbs", "deposit": 500},
        "access": {"system": "Key card (Honeywell)", "costPerCard": 25, "hours": "24/7", "afterHours": True,
                   "advanceNotice": "2 business days"},
        "meetingRooms": {"count": 2, "sizes": [6, 10], "bookingSystem": "Robin", "maxHoursPerBooking": 4},
        "rentInclusions": {"utilities": True, "internet": "1 Gbps fiber", "janitorial": "weekly", "hvac": True,
                           "kitchen": "shared kitchen"},
        "capacity": 30, "availableFrom": "January 15, 2027",
    },
}
DOGPATCH: dict[str, Any] = {
    "id": 2, "name": "Dogpatch Works", "address": "900 Indiana St, San Francisco", "status": "shown",
    "monthly_rate": 9800, "availability": {"monday": ["11am"], "wednesday": ["10am", "2pm"]},
    "amenities": {"dogFriendly": True, "parking": True, "afterHours": False, "kitchen": False},
    "detailed_amenities": {
        "parking": {"type": "off-site", "location": "22nd St lot", "costPerDay": 15, "spotsAvailable": 0},
        "dogPolicy": {"allowed": True, "deposit": 0},
        "access": {"system": "Front desk check-in", "hours": "8am-7pm weekdays", "afterHours": False},
        "meetingRooms": {"count": 0, "sizes": []},
        "rentInclusions": {"utilities": False, "internet": "bring your own", "janitorial": "nightly"},
    },
}
HARBOR: dict[str, Any] = {
    "id": 3, "name": "Harbor Point", "address": "88 Spear St, San Francisco", "status": "shown",
    "monthly_rate": 21000, "availability": {"friday": ["1pm"]}, "amenities": {},
    "detailed_amenities": {"parking": {"type": "building-garage", "costMonthly": 160},
                           "dogPolicy": {"allowed": False, "reason": "Building rules"}},
}
BARE: dict[str, Any] = {"id": 4, "name": "Quarry House", "address": "5 Quarry Ln, San Francisco", "status": "shown",
                        "monthly_rate": 12000, "availability": {}, "amenities": {}, "detailed_amenities": {}}


def ctx(*spaces: dict[str, Any], email: str = "Hi there", budget: int = 15000) -> ReplyContext:
    return context_from_dict({"deal": {"seeker_name": "Maya Lin", "seeker_email": "maya@example.com",
                                       "monthly_budget": budget}, "spaces": list(spaces) or [MISSION],
                              "email": {"body": email}})


def status(body: str, *spaces: dict[str, Any], email: str = "Hi there") -> str:
    return validate(body, ctx(*spaces, email=email)).status


# (attribute family, a true claim, a wrong claim) — all about Mission Loft
FAMILIES = [
    ("rent", "Mission Loft is $14,500 per month.", "Mission Loft is $15,500 per month."),
    ("rent in k", "Mission Loft rents for $14.5k/mo.", "Mission Loft rents for $13.5k/mo."),
    ("parking per month", "Parking is $175 a month.", "Parking is $275 a month."),
    ("parking kind", "Parking is in the building's garage.", "Parking is off-site, a short walk away."),
    ("parking spots", "3 parking spots are open right now.", "5 parking spots are open right now."),
    ("card cost", "Key cards are $25 each.", "Key cards are $35 each."),
    ("card free", "Key cards cost $25 apiece.", "Key cards are free."),
    ("pet deposit", "There's a $500 pet deposit.", "There's a $250 pet deposit."),
    ("no deposit", "There's a one-time $500 deposit for dogs.", "There's no pet deposit."),
    ("dogs allowed", "Dogs are welcome at Mission Loft.", "Mission Loft doesn't allow dogs."),
    ("dog size", "Dogs under 60 lbs are welcome.", "Dogs under 40 lbs are welcome."),
    ("24/7", "Access is 24/7.", "The building closes at 6pm."),
    ("notice", "Allow 2 business days' notice to set up access.", "Access needs 5 business days of notice."),
    ("access system", "Entry is by key card.", "Entry is by smart lock via an app."),
    ("meeting count", "Mission Loft has two meeting rooms.", "Mission Loft has four meeting rooms."),
    ("meeting sizes", "The meeting rooms seat 6 and 10 people.", "The meeting rooms seat 6 and 12 people."),
    ("largest room", "The largest meeting room seats 10.", "The largest meeting room seats 14."),
    ("booking length", "Rooms can be booked for up to 4 hours.", "Rooms can be booked for up to 8 hours."),
    ("utilities", "Utilities are included in the rent.", "Utilities are billed separately."),
    ("internet speed", "Internet is 1 Gbps fiber.", "Internet is 500 Mbps."),
    ("janitorial frequency", "Cleaning happens weekly.", "Cleaners come every night."),
    ("kitchen kind", "There's a shared kitchen.", "There's a private kitchen."),
    ("tour slot", "Tuesday at 2pm is open for a tour.", "Tuesday at 3pm is open for a tour."),
    ("tour day", "I can show you the space on Thursday.", "I can show you the space on Friday."),
    ("amenity flag", "Mission Loft also has showers.", "Mission Loft also has a gym."),
    ("capacity", "It holds up to 30 people.", "It holds up to 45 people."),
    ("move-in", "The space is available from January 15, 2027.", "The space is available from March 1, 2027."),
]


@pytest.mark.parametrize(("family", "true", "wrong"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_a_true_claim_passes_and_a_wrong_one_fails_in_every_family(family: str, true: str, wrong: str) -> None:
    assert validate(true, ctx()).status == "passed", validate(true, ctx()).issues
    assert validate(wrong, ctx()).status == "failed", family


@pytest.mark.parametrize("body", [
    "Quarry House is dog friendly.", "Parking is $200 a month.", "Quarry House has 24/7 access.",
    "Key cards are $20 each.", "There are 2 meeting rooms.", "Utilities are included.", "Cleaning is nightly.",
    "There's a full kitchen.", "Internet is 1 Gbps.", "Quarry House has a rooftop deck.",
    "The building opens at 7am.", "Tuesday at 2pm works for a tour.", "We offer a 12-month lease.",
    "Quarry House is available from March 1.", "Dogs up to 30 lbs are fine.",
])
def test_a_claim_the_record_does_not_hold_warns_and_never_passes(body: str) -> None:
    assert status(body, BARE) == "warnings", validate(body, ctx(BARE)).issues


@pytest.mark.parametrize("body", [
    "Parking in the building garage is free for tenants.",
    "The rent includes daily janitorial and a private kitchen.",
    "Key cards are free.",
    "Parking is $175 a day.",
])
def test_the_qualitative_claims_the_issue_lists_fail(body: str) -> None:
    assert status(body) == "failed"


def test_a_monthly_parking_figure_written_per_day_fails_and_is_not_judged_as_rent() -> None:
    result = validate("Harbor Point's parking is $160 a day.", ctx(HARBOR))
    assert result.status == "failed"
    assert result.issues[0].startswith("Parking cost at Harbor Point")
    assert "$160 per day" in result.issues[0] and "$160 per month" in result.issues[0]
    assert "detailed_amenities.parking.costMonthly" in result.issues[0]


@pytest.mark.parametrize("body", [
    "Dogpatch Works' parking is $15 per day; Mission Loft's garage is $175 per month.",
    "Parking runs $175/month at Mission Loft and $15 a day at Dogpatch Works.",
    "At Mission Loft parking is $175 a month, while Dogpatch Works charges $15 per day.",
    "Mission Loft is $14,500 and Dogpatch Works is $9,800 per month.",
    "Both Mission Loft and Dogpatch Works are dog friendly.",
    "Mission Loft has 24/7 access, unlike Dogpatch Works.",
])
def test_each_value_in_a_two_space_sentence_is_checked_against_its_own_space(body: str) -> None:
    result = validate(body, ctx(MISSION, DOGPATCH))
    assert result.status == "passed", result.issues


@pytest.mark.parametrize("body", [
    "Dogpatch Works' parking is $175 per month; Mission Loft's garage is $15 per day.",
    "Mission Loft is $9,800 and Dogpatch Works is $14,500 per month.",
    "Both Mission Loft and Harbor Point are dog friendly.",
])
def test_values_swapped_between_two_spaces_in_one_sentence_fail(body: str) -> None:
    assert validate(body, ctx(MISSION, DOGPATCH, HARBOR)).status == "failed"


@pytest.mark.parametrize(("body", "expected"), [
    ("Key cards are $25 per month.", "failed"),  # per card ≠ per month
    ("Key cards are $25 per card.", "passed"),
    ("Rent is $174,000 a year.", "passed"),
    ("Rent is $14,500 a day.", "failed"),
    ("Parking is $175 per month per spot.", "passed"),
    ("The pet deposit is $500 per month.", "failed"),
])
def test_units_and_periods_matter(body: str, expected: str) -> None:
    assert status(body) == expected


@pytest.mark.parametrize(("body", "spaces", "expected"), [
    ("Dog friendly, with no pet deposit.", (DOGPATCH,), "passed"),
    ("Mission Loft never closes, so you can work around the clock.", (MISSION,), "passed"),
    ("Dogs are welcome, but parking isn't included.", (MISSION,), "passed"),
    ("Utilities and internet are not included at Dogpatch Works.", (DOGPATCH,), "passed"),
    ("The rent includes utilities and internet, but not janitorial.", (MISSION,), "failed"),
    ("There's no meeting room, no after-hours access and no kitchen.", (DOGPATCH,), "passed"),
    ("Dogpatch Works doesn't have tour slots on Friday, but Monday at 11am is open.", (DOGPATCH,), "passed"),
    ("Tuesday at 1pm isn't open, but Tuesday at 2pm or 4pm is.", (MISSION,), "passed"),
])
def test_a_negation_binds_to_its_own_phrase(body: str, spaces: tuple[dict[str, Any], ...], expected: str) -> None:
    assert validate(body, ctx(*spaces)).status == expected, validate(body, ctx(*spaces)).issues


@pytest.mark.parametrize("body", [
    "Mission Loft is $14,500 per month, $500 under your $15,000 budget.",
    "With parking, the total comes to $14,675 per month.",
    "Dogpatch Works is $4,700 cheaper than Mission Loft.",
    "You mentioned a $12,000 budget; Mission Loft is $14,500 a month.",
])
def test_derived_figures_and_the_seekers_own_figures_are_not_false_alarms(body: str) -> None:
    result = validate(body, ctx(MISSION, DOGPATCH, email="Our budget is $12,000. Mission Loft?"))
    assert result.status == "passed", result.issues


def test_an_invented_figure_next_to_a_budget_word_still_fails() -> None:
    assert status("Mission Loft is $3,210 over your budget.") == "failed"


def test_a_discount_or_free_months_fail() -> None:
    assert status("We can offer 2 months free at Mission Loft.") == "failed"
    assert status("I can get you a 10% discount.") == "failed"


def test_a_deferral_claims_nothing() -> None:
    assert status("I'll confirm with the host whether dogs are allowed and what parking costs.", BARE) == "passed"


def test_an_issue_names_the_claim_the_texts_value_and_the_records_value_with_its_field_path() -> None:
    [issue] = validate("Cleaners come daily at Mission Loft.", ctx()).issues
    assert issue == ('Janitorial at Mission Loft: the draft says daily janitorial ("Cleaners come daily at Mission '
                     'Loft."), but the record has "weekly" (detailed_amenities.rentInclusions.janitorial).')


def test_numbers_inside_a_space_name_are_not_claims() -> None:
    suite = MISSION | {"name": "FiDi Suite 1200", "address": "1 Market St, San Francisco"}
    assert status("FiDi Suite 1200 has 2 meeting rooms (seating 6 and 10).", suite) == "passed"


def test_an_email_address_that_is_not_the_deals_warns() -> None:
    assert status("I've forwarded this to ceo@rival.example.com.") == "warnings"


def test_claims_are_read_as_space_attribute_and_value() -> None:
    read = claims("Mission Loft's parking is $175 a month; Dogpatch Works charges $15 a day.", ctx(MISSION, DOGPATCH))
    assert [(c.spaces[0].name, c.attribute, c.value, c.period) for c in read] == [
        ("Mission Loft", "parking.cost", 175.0, "month"), ("Dogpatch Works", "parking.cost", 15.0, "day")]


def test_quoted_history_below_the_reply_is_not_checked() -> None:
    body = "Mission Loft is $14,500 per month.\n\nOn Mon, Maya wrote:\n> Is it $9,000?\n> Parking is free?"
    assert status(body) == "passed"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_the_check_never_raises_on_arbitrary_text(body: str) -> None:
    assert validate(body, ctx(MISSION, DOGPATCH)).status in ("passed", "warnings", "failed")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["Mission Loft", "$", "14,500", "per", "day", "no", "not", "dogs", "parking",
                                 "free", "Tuesday", "at", "2pm", ",", ";", "and", "but", "24/7", "seats", "6",
                                 "lbs", "under", "included", "utilities", "kitchen", "Dogpatch Works", "weekly",
                                 "rooms", "meeting", "k", ".", "\n", "-", "(", ")", "twenty", "one"]), max_size=60))
def test_the_check_never_raises_on_claim_shaped_word_salad(words: list[str]) -> None:
    assert validate(" ".join(words), ctx(MISSION, DOGPATCH)).status in ("passed", "warnings", "failed")


def test_the_shape_is_the_seeds() -> None:
    assert set(validate("Hi", ctx()).dump()) == {"status", "issues", "checkedAt"}


@pytest.mark.parametrize("names", [("Mission Loft",), ("Valencia Studio", "SoMa Works"), ("Bluxome Warehouse",),
                                   ("Hayes Valley Flats", "Dogpatch Yard")])
@pytest.mark.parametrize("instruction", [None, "make it much shorter", "more formal please"])
def test_the_composers_own_replies_pass_the_check_without_warnings(names: tuple[str, ...],
                                                                 instruction: str | None) -> None:
    from echo_core.demo.spaces import DEMO_SPACES
    from echo_core.generation.composer import compose

    linked = [dict(s, id=i + 1, status="touring" if i == 0 else "shown")
              for i, s in enumerate(s for s in DEMO_SPACES if s["name"] in names)]
    email = (f"Hi! About {' and '.join(names)}: can I bring my 30 lb dog, is there a pet deposit? What does parking "
             "cost and how many spots are left? 24/7 access, and what do key cards cost? How many meeting rooms "
             "and how big? What's the rent and what does it include (utilities, internet, cleaning, kitchen)? "
             "Could we tour Tuesday at 2pm? Which one has cheaper parking?")
    context = context_from_dict({"deal": {"seeker_name": "Maya Lin", "monthly_budget": 15000}, "spaces": linked,
                                 "email": {"body": email}})
    result = validate(compose(context, instruction=instruction).body, context)
    assert result.status == "passed", result.issues


def test_every_claim_the_reader_makes_has_a_judge() -> None:
    from echo_core.generation.facts.compare import JUDGES

    body = " ".join(true + " " + wrong for _, true, wrong in FAMILIES) + \
        " Mission Loft is cheaper than Dogpatch Works. We offer a 12-month lease and 2 months free. The space has" \
        " a yoga studio. Total with parking: $14,675. Dogs under 30 lbs. No spots left. Hours 9am-5pm."
    read = claims(body, ctx(MISSION, DOGPATCH))
    assert len(read) > 40
    for claim in read:
        head = claim.attribute.split(":", 1)[0]
        assert claim.attribute in JUDGES or head in JUDGES or head in ("term", "offer", "derived", "money",
                                                                       "compare"), claim.attribute


@pytest.mark.parametrize("body", [
    "The minimum lease is 12 months.", "Subleasing is allowed with the host's approval.",
    "You can put your logo on the building signage.", "There are showers on the 2nd floor.",
    "Bikes can be stored in the basement bike room.", "Mail is handled by the front desk.",
    "The space comes fully furnished.", "You could move in on January 1.", "The lease is month-to-month.",
])
def test_terms_outside_the_seeds_shapes_warn_when_claimed(body: str) -> None:
    assert status(body, BARE) == "warnings"


@pytest.mark.parametrize("body", [
    "I'll confirm with the host about signage, showers and bike storage.",
    "I'll check the lease length and sublease terms with the host and get back to you.",
])
def test_deferring_an_unknown_term_by_name_claims_nothing(body: str) -> None:
    assert status(body, BARE) == "passed"


MARKDOWN_REPLY = """Hi Maya,

Thanks for reaching out about Mission Loft! Here are the details you asked for:

- **Rent:** $14,500/month
- **Dogs:** Welcome! Dogs under 60 lbs are allowed, with a $500 pet deposit. Please keep them leashed in the halls.
- **Parking:** Off-site at the 18th & Valencia garage for $275/month per spot (3 spots currently available).
- **Access:** 24/7 via key card (Honeywell); cards are $25 each and take 2 business days to set up.
- **Meeting rooms:** 2 rooms (seating 6 and 10), bookable via Robin for up to 4 hours at a time.
- **What's included:** Utilities, 1 Gbps fiber internet, nightly janitorial, HVAC, and a full kitchen.

For a tour, I have openings on Tuesday at 2pm or 4pm, or Thursday at 10am or 3pm.

Your budget of $15,000 leaves about $500 of headroom each month, or $225 after one parking spot.
"""


def _demo(*names: str) -> ReplyContext:
    from echo_core.demo.spaces import DEMO_SPACES

    linked = [dict(s, id=i + 1, status="touring" if i == 0 else "shown")
              for i, s in enumerate(s for s in DEMO_SPACES if s["name"] in names)]
    return context_from_dict({"deal": {"seeker_name": "Maya Lin", "monthly_budget": 15000}, "spaces": linked,
                              "email": {"body": "Our budget is $15,000. Tell me about " + " and ".join(names)}})


def test_a_markdown_reply_with_labels_and_derived_figures_passes() -> None:
    result = validate(MARKDOWN_REPLY, _demo("Mission Loft"))
    assert result.status == "passed", result.issues


@pytest.mark.parametrize(("old", "new"), [
    ("$275/month per spot", "$175/month per spot"), ("cards are $25 each", "cards are $25 per month"),
    ("nightly janitorial", "weekly janitorial"), ("Tuesday at 2pm or 4pm", "Tuesday at 3pm or 4pm"),
    ("about $500 of headroom", "about $900 of headroom"), ("Dogs under 60 lbs", "Dogs under 80 lbs"),
    ("2 rooms (seating", "3 rooms (seating"), ("Off-site at the", "In the building's garage at the"),
    ("a full kitchen", "a private kitchenette"), ("24/7 via key card", "8am-6pm via key card"),
    ("1 Gbps fiber internet", "500 Mbps internet"), ("(3 spots", "(7 spots"),
    ("with a $500 pet deposit", "with no pet deposit"),
])
def test_one_planted_error_in_a_markdown_reply_fails(old: str, new: str) -> None:
    assert old in MARKDOWN_REPLY
    assert validate(MARKDOWN_REPLY.replace(old, new), _demo("Mission Loft")).status == "failed"
