"""The pure draft rules: every (state, action) pair, refinement cooldown, versions, reply subject."""

from __future__ import annotations

import ast
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from echo_core import lifecycle
from echo_core.errors import (
    AlreadySent,
    EmptyBody,
    InvalidInput,
    InvalidTransition,
    RefinementLimitReached,
    VersionNotFound,
)
from echo_core.lifecycle import (
    APPROVED,
    ARCHIVED,
    PENDING,
    SENT,
    DraftAction,
    archive_reason,
    body_matches_version,
    clean_body,
    find_version,
    next_regeneration_count,
    next_status,
    next_version_number,
    refinement_allowance,
    reply_subject,
)

A = DraftAction
# A state is the status plus, for archived drafts, the status it was archived from.
STATES = {
    "pending": (PENDING, None),
    "approved": (APPROVED, None),
    "sent": (SENT, None),
    "archived pending": (ARCHIVED, PENDING),
    "archived approved": (ARCHIVED, APPROVED),
    "archived sent": (ARCHIVED, SENT),
}

# (from_state, action, expected status or refusal)
TABLE: list[tuple[str, DraftAction, str | type[Exception]]] = [
    ("pending", A.APPROVE, APPROVED),
    ("pending", A.EDIT, PENDING),
    ("pending", A.REFINE, PENDING),
    ("pending", A.USE_VERSION, PENDING),
    ("pending", A.SEND, InvalidTransition),
    ("pending", A.ARCHIVE, ARCHIVED),
    ("pending", A.RESTORE, InvalidTransition),
    ("approved", A.APPROVE, InvalidTransition),
    ("approved", A.EDIT, PENDING),
    ("approved", A.REFINE, PENDING),
    ("approved", A.USE_VERSION, PENDING),
    ("approved", A.SEND, SENT),
    ("approved", A.ARCHIVE, ARCHIVED),
    ("approved", A.RESTORE, InvalidTransition),
    ("sent", A.APPROVE, AlreadySent),
    ("sent", A.EDIT, AlreadySent),
    ("sent", A.REFINE, AlreadySent),
    ("sent", A.USE_VERSION, AlreadySent),
    ("sent", A.SEND, AlreadySent),
    ("sent", A.ARCHIVE, ARCHIVED),
    ("sent", A.RESTORE, InvalidTransition),
    ("archived pending", A.APPROVE, InvalidTransition),
    ("archived pending", A.EDIT, InvalidTransition),
    ("archived pending", A.REFINE, InvalidTransition),
    ("archived pending", A.USE_VERSION, InvalidTransition),
    ("archived pending", A.SEND, InvalidTransition),
    ("archived pending", A.ARCHIVE, InvalidTransition),
    ("archived pending", A.RESTORE, PENDING),
    ("archived approved", A.APPROVE, InvalidTransition),
    ("archived approved", A.EDIT, InvalidTransition),
    ("archived approved", A.REFINE, InvalidTransition),
    ("archived approved", A.USE_VERSION, InvalidTransition),
    ("archived approved", A.SEND, InvalidTransition),
    ("archived approved", A.ARCHIVE, InvalidTransition),
    ("archived approved", A.RESTORE, APPROVED),
    ("archived sent", A.APPROVE, AlreadySent),
    ("archived sent", A.EDIT, AlreadySent),
    ("archived sent", A.REFINE, AlreadySent),
    ("archived sent", A.USE_VERSION, AlreadySent),
    ("archived sent", A.SEND, AlreadySent),
    ("archived sent", A.ARCHIVE, InvalidTransition),
    ("archived sent", A.RESTORE, SENT),
]


def _sentence(state: str, action: DraftAction, expected: str | type[Exception]) -> str:
    verb = action.value.replace("_", " ")
    article = "an" if state.startswith(("a", "e")) else "a"
    if isinstance(expected, str):
        return f"can {verb} {article} {state} draft and it becomes {expected}"
    return f"cannot {verb} {article} {state} draft ({expected.__name__})"


@pytest.mark.parametrize(
    ("from_state", "action", "expected"), TABLE, ids=[_sentence(*row) for row in TABLE]
)
def test_transition_table(from_state: str, action: DraftAction, expected: str | type[Exception]) -> None:
    status, archived_from = STATES[from_state]
    if isinstance(expected, str):
        assert next_status(status, action, archived_from=archived_from) == expected
    else:
        with pytest.raises(expected) as info:
            next_status(status, action, archived_from=archived_from)
        assert type(info.value) is expected
        assert str(info.value)  # a broker-readable sentence, never empty


def test_the_table_covers_every_state_and_action_pair() -> None:
    pairs = [(state, action) for state, action, _ in TABLE]
    assert sorted(pairs) == sorted(itertools.product(STATES, DraftAction))


def test_cannot_send_a_pending_draft() -> None:
    with pytest.raises(InvalidTransition, match="approve it before sending"):
        next_status(PENDING, A.SEND)


def test_cannot_send_a_draft_that_has_a_sent_email_even_if_its_status_says_otherwise() -> None:
    with pytest.raises(AlreadySent):
        next_status(APPROVED, A.SEND, sent_email_id=42)


def test_restoring_a_sent_draft_keeps_it_sent_and_it_can_never_be_sent_again() -> None:
    restored = next_status(ARCHIVED, A.RESTORE, archived_from=SENT)
    assert restored == SENT
    with pytest.raises(AlreadySent, match="cannot be sent again"):
        next_status(restored, A.SEND)


def test_restoring_a_draft_archived_before_the_from_status_was_recorded_makes_it_pending() -> None:
    assert next_status(ARCHIVED, A.RESTORE, archived_from=None) == PENDING
    assert next_status(ARCHIVED, A.RESTORE, archived_from=None, sent_email_id=7) == SENT


def test_editing_an_approved_draft_needs_a_fresh_approval() -> None:
    assert next_status(APPROVED, A.EDIT) == PENDING


@pytest.mark.parametrize("body", ["", "   ", "\n\t\n", None])
def test_an_empty_body_is_refused(body: str | None) -> None:
    with pytest.raises(EmptyBody, match="empty"):
        clean_body(body)


def test_a_body_keeps_its_text_without_surrounding_whitespace() -> None:
    assert clean_body("\n  Hi Sam,\n\nYes.\n\n") == "Hi Sam,\n\nYes."


# --- archive reasons ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "code"),
    [("wrong_tone", "wrong_tone"), ("Wrong tone", "wrong_tone"), ("handled-by-phone", "handled_by_phone"),
     (" OTHER ", "other")],
)
def test_an_archive_reason_is_accepted_as_its_code_or_its_label(given: str, code: str) -> None:
    reason = archive_reason(given)
    assert reason.category == code
    assert reason.text == lifecycle.ARCHIVE_REASONS[code]


def test_an_archive_note_is_stored_instead_of_the_label() -> None:
    reason = archive_reason("deal_closed", "  They signed with another broker. ")
    assert (reason.category, reason.text, reason.label) == ("deal_closed", "They signed with another broker.",
                                                            "Deal closed")


def test_an_unknown_archive_reason_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidInput, match="wrong_facts, wrong_tone, duplicate"):
        archive_reason("bored")


def test_an_overlong_archive_note_is_refused() -> None:
    with pytest.raises(InvalidInput, match="under 2000"):
        archive_reason("other", "x" * 2001)


def test_the_database_check_uses_the_lifecycle_lists() -> None:
    from echo_core.db import models

    assert models.DRAFT_STATUSES is lifecycle.DRAFT_STATUSES
    assert models.ARCHIVE_CATEGORIES == ("wrong_facts", "wrong_tone", "duplicate", "deal_closed",
                                         "handled_by_phone", "other")


def test_the_lifecycle_module_imports_neither_streamlit_nor_sqlalchemy() -> None:
    tree = ast.parse(Path(lifecycle.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in {"streamlit", "sqlalchemy"}}


# --- refinement allowance -------------------------------------------------------------

T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


def _next(count: int, last_at: datetime | None, now: datetime, limit: int = 3) -> int:
    return next_regeneration_count(count=count, last_at=last_at, now=now, limit=limit, cooldown=DAY)


def test_the_first_three_refinements_are_allowed() -> None:
    assert _next(0, None, T0) == 1
    assert _next(1, T0, T0 + timedelta(minutes=1)) == 2
    assert _next(2, T0, T0 + timedelta(minutes=2)) == 3


def test_a_fourth_refinement_inside_the_cooldown_says_when_it_becomes_possible() -> None:
    last = T0 + timedelta(hours=2)
    with pytest.raises(RefinementLimitReached, match="2025-03-05 11:00 UTC") as info:
        _next(3, last, last + timedelta(hours=23, minutes=59))
    assert info.value.available_at == last + DAY


def test_the_allowance_renews_when_the_cooldown_has_passed() -> None:
    assert _next(3, T0, T0 + DAY) == 1


def test_a_quiet_period_as_long_as_the_cooldown_starts_a_new_window() -> None:
    assert _next(2, T0, T0 + DAY + timedelta(seconds=1)) == 1


def test_the_limit_is_configurable() -> None:
    assert _next(4, T0, T0 + timedelta(hours=1), limit=5) == 5
    with pytest.raises(RefinementLimitReached):
        _next(1, T0, T0 + timedelta(hours=1), limit=1)


def test_a_limit_of_zero_turns_refinement_off() -> None:
    with pytest.raises(InvalidTransition, match="turned off"):
        _next(0, None, T0, limit=0)


def test_the_allowance_reports_what_is_left_for_the_dashboard() -> None:
    allowance = refinement_allowance(count=2, last_at=T0, now=T0 + timedelta(hours=1), limit=3, cooldown=DAY)
    assert (allowance.used, allowance.left, allowance.available_at) == (2, 1, None)
    spent = refinement_allowance(count=3, last_at=T0, now=T0 + timedelta(hours=1), limit=3, cooldown=DAY)
    assert (spent.left, spent.available_at) == (0, T0 + DAY)


# --- versions -----------------------------------------------------------------------

VERSIONS = [{"version": 0, "body": "first"}, {"version": 1, "body": "second"}]


def test_a_version_is_found_by_its_number() -> None:
    assert find_version(VERSIONS, 1)["body"] == "second"


def test_a_missing_version_names_the_ones_that_exist() -> None:
    with pytest.raises(VersionNotFound, match="no version 5 — its versions are: 0, 1"):
        find_version(VERSIONS, 5)


def test_a_draft_without_versions_has_none_to_switch_to() -> None:
    with pytest.raises(VersionNotFound, match="none"):
        find_version(None, 0)


def test_the_next_version_number_follows_the_highest() -> None:
    assert next_version_number(VERSIONS) == 2
    assert next_version_number([], current=0) == 1


def test_final_body_matches_the_current_version_unless_edited_after() -> None:
    assert body_matches_version(final_body="second", edited_body=None, versions=VERSIONS, current=1)
    assert not body_matches_version(final_body="first", edited_body=None, versions=VERSIONS, current=1)
    assert body_matches_version(final_body="by hand", edited_body="by hand", versions=VERSIONS, current=1)


# --- reply subject ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inbound", "expected"),
    [
        ("Office space questions", "Re: Office space questions"),
        ("Re: Office space questions", "Re: Office space questions"),
        ("Re: Re: Office space questions", "Re: Office space questions"),
        ("RE: re:Office space questions", "Re: Office space questions"),
        ("  re :  Tour   Tuesday  ", "Re: Tour Tuesday"),
        ("Re[2]: Parking", "Re: Parking"),
        ("Regarding parking", "Re: Regarding parking"),
        ("", "Re: (no subject)"),
    ],
)
def test_the_reply_subject_is_re_once(inbound: str, expected: str) -> None:
    assert reply_subject(inbound) == expected


def test_a_refinement_needs_an_instruction() -> None:
    with pytest.raises(InvalidInput, match="instruction is empty"):
        lifecycle.clean_instruction("  ")
    assert lifecycle.clean_instruction(" Shorter, please. ") == "Shorter, please."
