"""The draft review rules, pure: statuses, transitions, versions, refinement cooldown, reply subject.

No database and no UI here, so the rules are tested in microseconds and every surface
(dashboard, CLI, tests) goes through the same ones via `echo_core.services.drafts`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from echo_core.errors import (
    AlreadySent,
    EmptyBody,
    InvalidInput,
    InvalidTransition,
    RefinementLimitReached,
    VersionNotFound,
)

PENDING, APPROVED, SENT, ARCHIVED = "pending", "approved", "sent", "archived"
DRAFT_STATUSES = (PENDING, APPROVED, SENT, ARCHIVED)
UNDER_REVIEW = (PENDING, APPROVED)  # a reviewer may still edit, approve, send or archive it

ARCHIVE_REASONS: dict[str, str] = {
    "wrong_facts": "Wrong facts",
    "wrong_tone": "Wrong tone",
    "duplicate": "Duplicate",
    "deal_closed": "Deal closed",
    "handled_by_phone": "Handled by phone",
    "other": "Other",
}
ARCHIVE_CATEGORIES = tuple(ARCHIVE_REASONS)
ARCHIVE_NOTE_MAX = 2000
INSTRUCTION_MAX = 2000
BODY_MAX = 20_000  # a reply, not a document: longer text also slows the fact check to a crawl


class DraftAction(StrEnum):
    APPROVE = "approve"
    EDIT = "edit"
    REFINE = "refine"
    USE_VERSION = "use_version"
    SEND = "send"
    ARCHIVE = "archive"
    RESTORE = "restore"


_RESTORED = "<status it was archived from>"

# action -> {allowed from-status: to-status}. Anything missing is refused.
# Every action that changes the text sends an approved draft back to pending:
# changed text needs a fresh approval.
TRANSITIONS: dict[DraftAction, dict[str, str]] = {
    DraftAction.APPROVE: {PENDING: APPROVED},
    DraftAction.EDIT: {PENDING: PENDING, APPROVED: PENDING},
    DraftAction.REFINE: {PENDING: PENDING, APPROVED: PENDING},
    DraftAction.USE_VERSION: {PENDING: PENDING, APPROVED: PENDING},
    DraftAction.SEND: {APPROVED: SENT},
    DraftAction.ARCHIVE: {PENDING: ARCHIVED, APPROVED: ARCHIVED, SENT: ARCHIVED},
    DraftAction.RESTORE: {ARCHIVED: _RESTORED},
}

_VERB = {
    DraftAction.APPROVE: "approved",
    DraftAction.EDIT: "edited",
    DraftAction.REFINE: "refined",
    DraftAction.USE_VERSION: "switched to another version",
    DraftAction.SEND: "sent",
    DraftAction.ARCHIVE: "archived",
    DraftAction.RESTORE: "restored",
}


def was_sent(status: str, *, archived_from: str | None = None, sent_email_id: int | None = None) -> bool:
    """A draft that went out stays sent: archiving it does not make it sendable or editable again."""
    return status == SENT or sent_email_id is not None or (status == ARCHIVED and archived_from == SENT)


def next_status(
    status: str, action: DraftAction, *, archived_from: str | None = None, sent_email_id: int | None = None
) -> str:
    """The status after `action`, or the named refusal (AlreadySent, InvalidTransition)."""
    sent = was_sent(status, archived_from=archived_from, sent_email_id=sent_email_id)
    allowed = TRANSITIONS[action]
    if status not in allowed:
        raise _refusal(status, action, sent=sent)
    if action is DraftAction.RESTORE:
        return SENT if sent else archived_from if archived_from in UNDER_REVIEW else PENDING
    if sent and action is not DraftAction.ARCHIVE:  # a sent draft that somehow lost its status
        raise AlreadySent("This draft has already been sent — it cannot be sent or changed again.")
    return allowed[status]


def _refusal(status: str, action: DraftAction, *, sent: bool) -> InvalidTransition:
    if action is DraftAction.RESTORE:
        return InvalidTransition(f"This draft is {status}, not archived — only archived drafts can be restored.")
    if action is DraftAction.ARCHIVE:
        return InvalidTransition("This draft is already archived — restore it first if you need it back.")
    if sent:
        what = "sent again" if action is DraftAction.SEND else _VERB[action]
        return AlreadySent(f"This draft has already been sent — it cannot be {what}.")
    if status == ARCHIVED:
        return InvalidTransition(f"This draft is archived — restore it before it can be {_VERB[action]}.")
    if action is DraftAction.SEND:
        return InvalidTransition(f"This draft is {status} — approve it before sending.")
    return InvalidTransition(f"This draft is {status} and cannot be {_VERB[action]}.")


def clean_body(body: str | None) -> str:
    """The body to store, surrounding whitespace trimmed; blank → EmptyBody."""
    text = (body or "").strip()
    if not text:
        raise EmptyBody()
    if "\x00" in text:
        raise InvalidInput("The draft text contains a NUL character — remove control characters before saving.")
    if len(text) > BODY_MAX:
        raise InvalidInput(f"The draft is {len(text):,} characters long — keep a reply under {BODY_MAX:,}.")
    return text


def clean_instruction(prompt: str | None) -> str:
    """A refinement instruction: required, and short enough to be an instruction."""
    text = (prompt or "").strip()
    if not text:
        raise InvalidInput("Say how the draft should change — the refinement instruction is empty.")
    if len(text) > INSTRUCTION_MAX:
        raise InvalidInput(f"The instruction is {len(text)} characters — keep it under {INSTRUCTION_MAX}.")
    if "\x00" in text:
        raise InvalidInput("The instruction contains a NUL character — remove control characters.")
    return text


# --- archive reasons --------------------------------------------------------------


@dataclass(frozen=True)
class ArchiveReason:
    category: str  # one of ARCHIVE_CATEGORIES
    note: str | None = None  # the broker's free text

    @property
    def label(self) -> str:
        return ARCHIVE_REASONS[self.category]

    @property
    def text(self) -> str:
        """What archive_reason stores: the note, or the category's label when there is none."""
        return self.note or self.label


def archive_reason(reason: str, note: str | None = None) -> ArchiveReason:
    """Accept a code or its label in any case ("wrong_tone", "Wrong tone", "wrong-tone")."""
    code = re.sub(r"[\s\-]+", "_", (reason or "").strip().lower())
    if code not in ARCHIVE_REASONS:
        choices = ", ".join(ARCHIVE_CATEGORIES)
        raise InvalidInput(f"'{(reason or '')[:60]}' is not an archive reason — use one of: {choices}.")
    note = (note or "").strip() or None
    if note is not None and len(note) > ARCHIVE_NOTE_MAX:
        raise InvalidInput(f"The archive note is {len(note)} characters — keep it under {ARCHIVE_NOTE_MAX}.")
    if note is not None and "\x00" in note:
        raise InvalidInput("The archive note contains a NUL character — remove control characters.")
    return ArchiveReason(category=code, note=note)


# --- refinement allowance -------------------------------------------------------------


@dataclass(frozen=True)
class Allowance:
    used: int  # refinements counted in the current window
    left: int
    available_at: datetime | None  # when the next refinement becomes possible, if not now


def refinement_allowance(
    *, count: int, last_at: datetime | None, now: datetime, limit: int, cooldown: timedelta
) -> Allowance:
    """`limit` refinements per window; a window ends `cooldown` after its last refinement.

    Once the cooldown has passed since the last refinement the allowance renews, so the
    stored count is the window's count and never passes `limit` inside one window.
    """
    if last_at is None or now >= last_at + cooldown:
        count = 0
    left = max(limit - count, 0)
    available_at = None if left or last_at is None else last_at + cooldown
    return Allowance(used=count, left=left, available_at=available_at)


def next_regeneration_count(
    *, count: int, last_at: datetime | None, now: datetime, limit: int, cooldown: timedelta
) -> int:
    """The count after one more refinement, or RefinementLimitReached saying when it lifts."""
    if limit <= 0:
        raise InvalidTransition("Refinement is turned off (ECHO_REFINE_LIMIT=0) — edit the text by hand.")
    allowance = refinement_allowance(count=count, last_at=last_at, now=now, limit=limit, cooldown=cooldown)
    if allowance.left == 0:
        assert allowance.available_at is not None  # only a recent window can be used up
        raise RefinementLimitReached(allowance.available_at, limit)
    return allowance.used + 1


# --- versions -----------------------------------------------------------------------

HAND_EDIT = "hand_edit"  # draft_versions[].kind of a broker's saved edit; model-written versions have no kind


def find_version(versions: Sequence[dict[str, Any]] | None, number: int) -> dict[str, Any]:
    for entry in versions or ():
        if entry.get("version") == number:
            return entry
    have = ", ".join(str(v.get("version")) for v in versions or ()) or "none"
    raise VersionNotFound(f"This draft has no version {number} — its versions are: {have}.")


def next_version_number(versions: Sequence[dict[str, Any]] | None, current: int = 0) -> int:
    return max((int(v.get("version", 0)) for v in versions or ()), default=current) + 1


def body_matches_version(
    *, final_body: str | None, edited_body: str | None, versions: Sequence[dict[str, Any]] | None, current: int
) -> bool:
    """final_body is the current version's text, or the hand edit made after it."""
    if edited_body is not None:
        return final_body == edited_body
    return final_body == find_version(versions, current).get("body")


# --- outgoing email ---------------------------------------------------------------

_REPLY_PREFIX = re.compile(r"^\s*(?:re(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)


def reply_subject(subject: str | None) -> str:
    """`Re: <subject>`, never `Re: Re:`; `RE:`, `re:` and `Re[2]:` prefixes collapse into one."""
    rest = _REPLY_PREFIX.sub("", subject or "").strip()
    rest = re.sub(r"\s+", " ", rest)
    return f"Re: {rest}" if rest else "Re: (no subject)"
