"""Correct replies in several broker styles, their paraphrases, and wrong variants with exactly one
wrong claim each. Seeded and reproducible; imports neither the validator nor `facts/`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from echo_core.evaluation.mutations import world
from echo_core.evaluation.mutations.facts import Fact, facts_of, invented, wrongs
from echo_core.evaluation.mutations.phrasing import money, period, say

STYLES = ("plain", "bullets", "formal", "casual", "terse", "narrative")
_CONNECT = ("Also, ", "On top of that, ", "As for the rest, ", "And ", "Separately, ", "")
_COMMON_OPENERS = {"The", "There", "There's", "Parking", "Rent", "Dogs", "Key", "Each", "Access", "Janitorial",
                   "Cleaning", "Cleaners", "Internet", "Utilities", "HVAC", "Entry", "You", "You'd", "You're",
                   "Tenants",
                   "Please", "Setup", "Doors", "Meeting", "Right", "If", "A", "Unfortunately", "No", "How", "I", "We"}


@dataclass(frozen=True)
class Sample:
    """One reply to check: `wrong` says whether it holds exactly one wrong claim (and which family)."""

    case: dict[str, Any]  # the context as plain JSON (deal, spaces, email)
    body: str
    wrong: bool
    family: str
    operator: str
    source: str  # "demo" or "random"
    style: str


def _context(spaces: list[dict[str, Any]], rng: random.Random, names: list[str]) -> dict[str, Any]:
    mention = " and ".join(names)
    email = rng.choice((f"Hi, could you send me the details on {mention}?", f"Tell me more about {mention} please",
                        f"We're looking at {mention} — what can you share?", f"Quick q's about {mention}."))
    return {"deal": {"seeker_name": "Sam Rivera", "seeker_email": "sam@seeker.example.com", "company_name": "Quill",
                     "team_size": rng.randrange(4, 40), "monthly_budget": rng.randrange(8000, 40000, 500)},
            "spaces": [dict(s, status="touring" if i == 0 else "shown") for i, s in enumerate(spaces)],
            "email": {"body": email, "sent_at": "2026-11-23T09:00:00+00:00"}}


def _frame(style: str, lines: list[str], rng: random.Random) -> str:
    if style == "bullets":
        return "Hi Sam,\n\nHere's the rundown:\n" + "\n".join(f"- {line}" for line in lines) + \
            "\n\nBest,\nThe Tandem team"
    if style == "formal":
        return "Dear Sam Rivera,\n\nThank you for your enquiry. " + " ".join(lines) + \
            "\n\nPlease let me know if I can provide anything further.\n\nKind regards,\nThe Tandem team"
    if style == "casual":
        return "Hey Sam!\n\nQuick answers: " + " ".join(lines) + "\n\nCheers,\nThe Tandem team"
    if style == "terse":
        return "\n".join(lines) + "\n\n— Tandem"
    if style == "narrative":
        joined = [lines[0]]
        for line in lines[1:]:
            connector = rng.choice(_CONNECT)
            lowered = line[0].lower() + line[1:] if connector and line.split()[0] in _COMMON_OPENERS else line
            joined.append(connector + lowered)
        return "Hi Sam,\n\nThanks for your email! " + " ".join(joined) + "\n\nBest,\nThe Tandem team"
    return "Hi Sam,\n\nThanks for reaching out! " + " ".join(lines) + "\n\nLet me know if you have other questions." \
        "\n\nBest,\nThe Tandem team"


def _pair(a: dict[str, Any], fa: Fact, b: dict[str, Any], fb: Fact, k: int) -> str:
    """One sentence stating the same fact for two spaces."""
    x, y = a["name"], b["name"]
    if fa.family == "dogs_allowed":
        word = {True: ("is dog friendly", "allows dogs"), False: ("doesn't allow dogs", "doesn't allow dogs")}
        return f"{x} {word[fa.values['allowed']][k % 2]}, while {y} {word[fb.values['allowed']][(k + 1) % 2]}."
    pa, pb = fa.values.get("period", "month"), fb.values.get("period", "month")
    ma, mb = f"{money(fa.values['amount'], k)} {period(pa, k)}", f"{money(fb.values['amount'], k + 1)} {period(pb, k)}"
    if fa.family == "rent":
        return [f"{x} is {ma} and {y} is {mb}.", f"{x} rents for {ma}; {y} is {mb}.",
                f"Rent is {ma} at {x} versus {mb} at {y}."][k % 3]
    if fa.family == "parking_cost":
        return [f"{x}'s parking is {ma}; {y}'s garage is {mb}.", f"Parking runs {ma} at {x} and {mb} at {y}.",
                f"At {x} parking is {ma}, while {y} charges {mb}."][k % 3]
    return [f"{x} has a {money(fa.values['amount'], k)} pet deposit and {y} has a {money(fb.values['amount'], k)} "
            "one.", f"The pet deposit is {money(fa.values['amount'], k)} at {x} and {money(fb.values['amount'], k)} "
            f"at {y}."][k % 2]


def samples(seed: int, *, random_spaces: int = 140) -> Iterator[Sample]:
    rng = random.Random(seed)
    demo = world.demo_spaces()
    taken = {s["name"] for s in demo}
    pool = [("demo", s) for s in demo] + [("random", world.random_space(rng, 100 + i, taken))
                                          for i in range(random_spaces)]
    for source, space in pool:
        for round_ in range(3):
            yield from _single(rng, source, space, [s for src, s in pool if src == source and s is not space],
                               round_)
    by_source = {src: [s for s2, s in pool if s2 == src] for src in ("demo", "random")}
    for source, spaces in by_source.items():
        for _ in range(150 if source == "demo" else 300):
            a, b = rng.sample(spaces, 2)
            yield from _double(rng, source, a, b)


def _single(rng: random.Random, source: str, space: dict[str, Any], others: list[dict[str, Any]], round_: int
            ) -> Iterator[Sample]:
    facts = facts_of(space)
    families = list(dict.fromkeys(f.family for f in facts))
    rng.shuffle(families)
    chosen = [rng.choice([f for f in facts if f.family == fam]) for fam in families[: rng.randrange(3, 7)]]
    style = STYLES[(round_ + rng.randrange(6)) % len(STYLES)]
    ks = [rng.randrange(60) for _ in chosen]
    named = [i == 0 or rng.random() < 0.4 for i in range(len(chosen))]
    lines = [say(f.family, f.values, space["name"], k, named=n) for f, k, n in zip(chosen, ks, named, strict=True)]
    case = _context([space] + rng.sample(others, rng.randrange(0, 2)), rng, [space["name"]])
    families_ = "+".join(sorted({f.family for f in chosen}))
    framing = rng.randrange(1 << 30)  # a wrong variant keeps its correct reply's framing word for word
    yield Sample(case, _frame(style, lines, random.Random(framing)), False, families_, "paraphrase", source, style)
    # the same facts again in other words, another style and other units
    again = [say(f.family, f.values, space["name"], k + 7, named=not n) for f, k, n in zip(chosen, ks, named,
                                                                                          strict=True)]
    again[0] = say(chosen[0].family, chosen[0].values, space["name"], ks[0] + 7, named=True)
    yield Sample(case, _frame(STYLES[(STYLES.index(style) + 3) % len(STYLES)], again, rng), False, families_,
                 "paraphrase", source, style)
    for i, fact in enumerate(chosen):
        options = wrongs(fact, space, others, rng)
        picked = [rng.choice(options)] if options else []
        if fact.family == "amenities" or i == len(chosen) - 1:
            picked.append(_invention(space, rng))
        for wrong in picked:
            bad = lines.copy()
            bad[i] = say(wrong.fact.family, wrong.fact.values, space["name"], ks[i], named=named[i])
            if wrong.operator == "invent amenity":
                bad = lines + [bad[i]]
            yield Sample(case, _frame(style, bad, random.Random(framing)), True, wrong.fact.family, wrong.operator,
                         source, style)


def _invention(space: dict[str, Any], rng: random.Random) -> Any:
    from echo_core.evaluation.mutations.facts import Wrong

    return Wrong("invent amenity", invented(space, rng))


def _double(rng: random.Random, source: str, a: dict[str, Any], b: dict[str, Any]) -> Iterator[Sample]:
    fa_all, fb_all = facts_of(a), facts_of(b)
    family = rng.choice(("rent", "parking_cost", "dogs_allowed", "dog_deposit"))
    pairs = [(x, y) for x in fa_all if x.family == family for y in fb_all if y.family == family and
             x.values.get("period", "month") == y.values.get("period", "month")]
    if not pairs:
        return
    fa, fb = rng.choice(pairs)
    k = rng.randrange(60)
    style = rng.choice(STYLES)
    case = _context([a, b], rng, [a["name"], b["name"]])
    intro = say("rent", {"amount": a["monthly_rate"], "period": "month"}, a["name"], k, named=True)
    framing = rng.randrange(1 << 30)
    yield Sample(case, _frame(style, [intro, _pair(a, fa, b, fb, k)], random.Random(framing)), False, family,
                 "two-space paraphrase",
                 source, style)
    if fa.values != fb.values and (family != "dogs_allowed" or fa.values["allowed"] != fb.values["allowed"]):
        yield Sample(case, _frame(style, [intro, _pair(a, fb, b, fa, k)], random.Random(framing)), True, family,
                     "swap two spaces in one sentence", source, style)
