"""Demo deal owners: who looks after which demo deal (two stay unassigned for "assign to me").

Assigned through the real service by the demo lead, so each assignment is in deal_events.
Idempotent and respectful: a deal whose ownership anyone has ever changed (it has deal_events)
is left alone, so a second seed run changes nothing and never undoes a broker's choice.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from echo_core.db.models import Deal, DealEvent
from echo_core.permissions import Actor, Role
from echo_core.services.ownership import assign_deal

ASSIGNER = Actor("jordan@tandem.space", Role.LEAD)

# seeker email of a demo deal -> its owner (the broker who works its drafts in demo/drafts.py)
DEMO_OWNERS: dict[str, str] = {
    "sarah@brightpath.example.com": "maya@tandem.space",
    "hannah@quillstudio.example.com": "maya@tandem.space",
    "aisha@northstarhealth.example.com": "maya@tandem.space",
    "tom@gridwise.example.com": "leo@tandem.space",
    "diego@polarfreight.example.com": "leo@tandem.space",
    "marcus@ledgerly.example.com": "broker@tandem.space",
    "grace@tidepool.example.com": "jordan@tandem.space",
    # priya@fernbio and ben@cobaltlabs: unassigned, waiting for someone to take them
}


def seed_owners(session: Session) -> int:
    """Assign each demo deal that never had an owner decision; returns how many were assigned."""
    assigned = 0
    for seeker, owner in DEMO_OWNERS.items():
        deal = session.execute(
            select(Deal.id).where(Deal.seeker_email == seeker, Deal.owner_id.is_(None),
                                  ~exists().where(DealEvent.deal_id == Deal.id))
        ).scalar_one_or_none()
        if deal is not None:
            assign_deal(session=session, deal_id=deal, actor=ASSIGNER, owner_email=owner)
            assigned += 1
    return assigned
