"""The coverage check runs wherever the fact check does: at generation, edit, refinement and approval."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from echo_core.config import reload_settings
from echo_core.db.models import EmailDraft
from echo_core.permissions import Actor
from echo_core.services import drafts
from echo_core.services.generation import generate_draft
from tests.factories import make_deal, make_deal_space, make_email, make_space

BROKER = Actor("broker@tandem.space")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
EMAIL = "Can I bring my dog, and is there a deposit for dogs? What does parking cost? Is there bike storage?"


@pytest.fixture(autouse=True)
def _refine_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ECHO_REFINE_LIMIT", "10")
    reload_settings()
    yield
    monkeypatch.undo()
    reload_settings()


def _draft(session: Session) -> EmailDraft:
    deal = make_deal(session, seeker_name="Ana Silva", monthly_budget=20000)
    make_deal_space(session, deal=deal, space=make_space(session, name="Harbor Loft"), status="touring")
    inbound = make_email(session, deal=deal, body=EMAIL)
    draft = session.get(EmailDraft, generate_draft(session=session, inbound_email_id=inbound.id, actor=BROKER))
    assert draft is not None
    return draft


def test_a_generated_draft_answers_every_ask_and_says_which_sentence_carries_each(session: Session) -> None:
    draft = _draft(session)
    assert draft.validation is not None
    assert draft.validation["coverage"] == {"status": "complete", "asks": 4, "unanswered": []}
    addressed = (draft.reasoning or {})["questionsAddressed"]
    assert [q["kind"] for q in addressed] == ["dogs", "dogs", "parking", "other"]
    assert all(q["sentence"] in (draft.final_body or "") for q in addressed)
    assert addressed[-1]["status"] == "deferred" and "bike storage" in addressed[-1]["sentence"]


def test_an_edit_that_drops_an_answer_is_named_as_a_warning(session: Session) -> None:
    draft = _draft(session)
    body = (draft.final_body or "").replace(" There's a $500 pet deposit.", "")
    edited = drafts.edit(session=session, draft_id=draft.id, actor=BROKER, body=body, now=T0)
    assert edited.validation is not None and edited.validation["status"] == "warnings"
    assert edited.validation["coverage"]["unanswered"] == ["Is there a deposit for dogs?"]
    assert "The reply no longer answers: 'Is there a deposit for dogs?'" in edited.validation["issues"]


def test_refining_to_much_shorter_keeps_the_coverage_complete(session: Session) -> None:
    draft = _draft(session)
    refined = drafts.refine(session=session, draft_id=draft.id, actor=BROKER, prompt="make it much shorter", now=T0)
    assert refined.validation is not None and refined.validation["coverage"]["status"] == "complete"
    assert len(refined.final_body or "") < len(draft.ai_generated_body or "")
    assert "$500 pet deposit" in (refined.final_body or "")


def test_approval_rechecks_the_coverage_of_the_current_text(session: Session) -> None:
    draft = _draft(session)
    body = "\n".join(line for line in (draft.final_body or "").splitlines() if "parking" not in line.lower())
    drafts.edit(session=session, draft_id=draft.id, actor=BROKER, body=body, now=T0)
    approved = drafts.approve(session=session, draft_id=draft.id, actor=BROKER, now=T0)
    assert approved.status == "approved" and approved.validation is not None
    assert approved.validation["coverage"]["unanswered"] == ["What does parking cost?"]


def test_switching_versions_rechecks_the_coverage_of_that_version(session: Session) -> None:
    draft = _draft(session)
    body = (draft.final_body or "").replace(" There's a $500 pet deposit.", "")
    drafts.edit(session=session, draft_id=draft.id, actor=BROKER, body=body, now=T0)
    back = drafts.use_version(session=session, draft_id=draft.id, actor=BROKER, version=0)
    assert back.validation is not None and back.validation["coverage"]["status"] == "complete"
    again = drafts.use_version(session=session, draft_id=draft.id, actor=BROKER, version=1)
    assert again.validation is not None
    assert again.validation["coverage"]["unanswered"] == ["Is there a deposit for dogs?"]
