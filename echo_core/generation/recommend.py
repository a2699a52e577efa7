"""'Which would you recommend for us?': each space against the deal's budget and requirements, then the closer fit.

The draft does not pick for the broker on taste; it lays out what the record says against what the seeker
told us (budget, dogs, parking, after-hours, team size) and names the space that meets more of it, so the
broker can send it as is or add their judgement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from echo_core.generation.answers import Answer, money

if TYPE_CHECKING:
    from echo_core.generation.context import DealFacts, SpaceFacts
    from echo_core.generation.questions import SeekerFacts

# Asking the broker to choose among the spaces, not for any recommendation ("can you recommend a caterer?").
TOPIC = (r"\bwhich\b.{0,40}\b(recommend|suggest|pick|choose|go with|prefer)\b|"
         r"\bwhat (would|do|should) (you|we) (recommend|suggest)\b"
         r"(?!\s+(for|as)\s+(a|an|the)\s+(?!space|office|place))|"
         r"\b(recommend|suggest)\w*\b.{0,30}\b(for (us|our (team|company|needs|budget))|between)\b|"
         r"\byour (pick|take|recommendation|advice)\b.{0,20}(\bwhich\b|\bbetween\b|\bspaces?\b|\boffices?\b|"
         r"\boptions?\b|\?|$)|"
         r"\b(better|best|closer|right|stronger) (fit|option|choice|match|bet) for (us|our)\b|"
         r"\bwhich\b.{0,40}\b(better|best|closer|stronger) (fit|option|choice|match|bet)\b")


def _checks(space: SpaceFacts, deal: DealFacts, seeker: SeekerFacts) -> list[tuple[str, bool]]:
    """(what the record says, whether it meets the seeker's need) for each need the deal records."""
    out: list[tuple[str, bool]] = []
    if deal.monthly_budget:
        gap = space.monthly_rate - deal.monthly_budget
        out.append((f"{money(space.monthly_rate)} per month, " +
                    (f"{money(gap)} over your {money(deal.monthly_budget)} budget" if gap > 0 else
                     f"within your {money(deal.monthly_budget)} budget"), gap <= 0))
    team = seeker.team_size or deal.team_size
    capacity = next((space.extras[k] for k in ("capacity", "desks", "seats", "maxOccupancy") if k in space.extras),
                    None)
    if isinstance(capacity, int | float) and team:
        out.append((f"holds up to {capacity:g} people" if team <= capacity else
                    f"holds {capacity:g} people, too few for {team}", team <= capacity))
    needs = deal.requirements
    d = space.detailed
    if needs.get("dogFriendly") or seeker.has_dog:
        allowed = d.dog_policy.allowed if d.dog_policy else space.amenities.get("dogFriendly")
        if allowed is not None:
            out.append(("dog friendly" if allowed else "no dogs", bool(allowed)))
    if needs.get("parking"):
        has = bool(d.parking and d.parking.type and d.parking.type != "street-only") if d.parking else \
            space.amenities.get("parking")
        if has is not None:
            out.append(("parking to rent" if has else "no parking to rent", bool(has)))
    if needs.get("afterHours"):
        after = d.access.after_hours if d.access and d.access.after_hours is not None else \
            space.amenities.get("afterHours")
        if after is not None:
            out.append(("after-hours access" if after else "no after-hours access", bool(after)))
    return out


def recommend(a: Answer, seeker: SeekerFacts, deal: DealFacts) -> None:
    s = a.space
    assert s is not None
    checks = _checks(s, deal, seeker)
    a.use("monthly rate", "monthly_rate", s.monthly_rate)
    if deal.monthly_budget:
        a.use("monthly budget", "monthly_budget", deal.monthly_budget, deal=deal)
    if not checks:
        a.say(f"{s.name} is {money(s.monthly_rate)} per month.")
        return
    a.say(f"{s.name}: " + "; ".join(text for text, _ in checks) + ".")


def compare(spaces: list[SpaceFacts], deal: DealFacts, seeker: SeekerFacts) -> str:
    """Which spaces meet every need the seeker gave; never a pick the record can't support."""
    short = {s.name: [text for text, ok in _checks(s, deal, seeker) if not ok] for s in spaces}
    meeting = [s.name for s in spaces if not short[s.name]]
    talk = "happy to talk through the trade-offs on a call"
    if len(meeting) == 1:
        return f"On what you've told us, only {meeting[0]} meets every need (budget and requirements) — {talk}."
    if meeting and len(meeting) == len(spaces):
        return (f"{'Both' if len(spaces) == 2 else 'All of them'} meet your budget and requirements, so it comes down "
                f"to feel and location — {talk}.")
    if meeting:
        return f"Compared side by side, {' and '.join(meeting)} meet every need you've listed — {talk}."
    return (f"Compared side by side, {'neither' if len(spaces) == 2 else 'none of them'} meets every need you've "
            f"listed — {talk}, or I can look for more options.")
