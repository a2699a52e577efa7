"""Which deal an inbound message belongs to.

1. In-Reply-To, then References (newest first) → the deal of the referenced email;
2. else the seeker's address → their open deal (newest non-closed, else newest);
3. else a new `inquiry` deal flagged `needs_completion` for a broker to fill in.
"""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from echo_core.db.models import Deal, Email
from echo_core.mail.parse import ParsedMessage, is_real_message_id

# Placeholders for the NOT NULL columns of a deal created from an unknown sender.
PLACEHOLDER_TEAM_SIZE = 1
PLACEHOLDER_BUDGET = 0
FREE_MAIL_DOMAINS = frozenset(
    {"gmail.com", "googlemail.com", "yahoo.com", "outlook.com", "hotmail.com", "live.com", "icloud.com",
     "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de", "web.de", "mail.com"}
)  # fmt: skip


def seeker_address(parsed: ParsedMessage, *, agent_email: str) -> str:
    """The other party: the sender, unless the agent sent it (a copy of our own mail), then the recipient."""
    if parsed.from_addr == agent_email.lower() and parsed.to_addr:
        return parsed.to_addr
    return parsed.from_addr


def deal_by_references(session: Session, parsed: ParsedMessage) -> int | None:
    wanted = [i for i in (parsed.in_reply_to, *reversed(parsed.references)) if i and is_real_message_id(i)]
    if not wanted:
        return None
    rows = session.execute(select(Email.message_id, Email.deal_id).where(Email.message_id.in_(wanted))).all()
    deal_of: dict[str | None, int] = {row.message_id: row.deal_id for row in rows}
    return next((deal_of[i] for i in wanted if i in deal_of), None)


def deal_by_seeker(session: Session, address: str) -> int | None:
    closed_last = case((Deal.stage == "closed", 1), else_=0)
    return session.scalar(
        select(Deal.id)
        .where(func.lower(Deal.seeker_email) == address.lower())
        .order_by(closed_last, Deal.created_at.desc(), Deal.id.desc())
        .limit(1)
    )


def company_placeholder(address: str, name: str) -> str:
    domain = address.rsplit("@", 1)[-1]
    if domain in FREE_MAIL_DOMAINS:
        return f"{name or address} (company unknown)"[:255]
    labels = domain.split(".")
    # acme.com → Acme; mail.acme.co.uk → Acme.
    second_level = len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net", "ac", "gov")
    label = labels[-3] if second_level else labels[-2] if len(labels) >= 2 else domain
    return label.replace("-", " ").title()[:255] or domain[:255]


def new_inquiry(session: Session, parsed: ParsedMessage, address: str) -> Deal:
    name = parsed.from_name if address == parsed.from_addr and parsed.from_name else ""
    name = name or address.split("@", 1)[0].replace(".", " ").replace("_", " ").title()
    deal = Deal(
        seeker_name=name[:255],
        seeker_email=address,
        company_name=company_placeholder(address, name),
        team_size=PLACEHOLDER_TEAM_SIZE,
        monthly_budget=PLACEHOLDER_BUDGET,
        requirements={},
        stage="inquiry",
        needs_completion=True,
    )
    session.add(deal)
    session.flush()
    return deal


def thread(session: Session, parsed: ParsedMessage, *, agent_email: str) -> tuple[int, bool]:
    """(deal id, whether a new deal was created) for the message."""
    deal_id = deal_by_references(session, parsed)
    if deal_id is not None:
        return deal_id, False
    address = seeker_address(parsed, agent_email=agent_email)
    deal_id = deal_by_seeker(session, address)
    if deal_id is not None:
        return deal_id, False
    return new_inquiry(session, parsed, address).id, True
