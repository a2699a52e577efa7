"""Random review sessions against the real database keep the draft invariants (hypothesis, stateful).

Each example is a fresh draft; each step is one broker action through the services, in
its own session, on a controllable clock. After every step the invariants are checked
from what is actually stored.

The broker's editor is modelled too: typing changes only what the broker sees; approve and
send act on that text (as the dashboard does); a successful action reloads the editor with
the stored text and a refusal leaves it as typed. The body that is sent is always the last
text the broker saw.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from echo_core.config import reload_settings
from echo_core.errors import (
    EchoError,
    EmptyBody,
    InvalidTransition,
    RefinementLimitReached,
    StaleDraft,
    UnchangedText,
    ValidationFailed,
    VersionNotFound,
)
from echo_core.lifecycle import ARCHIVE_CATEGORIES
from echo_core.permissions import Actor
from echo_core.services import drafts
from tests.factories import make_deal, make_deal_space, make_draft, make_email, make_space

LIMIT, COOLDOWN = 3, timedelta(hours=24)
T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
BROKER = Actor("broker@tandem.space")
BODIES = [
    "Thanks, Sam! Happy to set up a tour. Which day next week suits your team?",  # no facts: passes
    "Hi! Harbor Loft is dog friendly and parking is $250/month. Tuesday at 2pm works.",
    "Hi! Harbor Loft rent is $1,000 per month.",  # fails the fact check
    "   ",  # empty
]
EXPECTED_REFUSALS = (InvalidTransition, StaleDraft, RefinementLimitReached, ValidationFailed, EmptyBody,
                     VersionNotFound, UnchangedText)


@pytest.fixture
def refine_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ECHO_REFINE_LIMIT", str(LIMIT))
    monkeypatch.setenv("ECHO_REFINE_COOLDOWN_HOURS", "24")
    reload_settings()
    yield
    monkeypatch.undo()
    reload_settings()


def test_random_review_sessions_keep_the_draft_invariants(fresh_engine: Engine, refine_settings: None) -> None:
    engine = fresh_engine

    class DraftLifecycle(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.clock = T0
            self.successes = 0
            self.sent = False
            self.sent_text: str | None = None  # what the editor showed when the send went through
            self.editor = ""  # the text in the broker's editor: typed, or reloaded after an action
            self.events = 0  # audit events expected: one per step (edit, approve, send) of each action
            self.seen_event_ids: set[int] = set()

        @initialize()
        def create_draft(self) -> None:
            with Session(engine) as session:
                deal = make_deal(session)
                make_deal_space(session, deal=deal, space=make_space(session, name="Harbor Loft", monthly_rate=12000))
                draft = make_draft(session, deal=deal, inbound=make_email(session, deal=deal))
                session.commit()
                self.draft_id, self.deal_id = draft.id, deal.id
                self.editor = draft.final_body or ""

        # --- actions -----------------------------------------------------------------

        def act(self, action: Callable[[Session], Any], steps: int = 1) -> bool:
            """Run one action; a refusal must be a named rule and must change nothing (the editor keeps its text)."""
            before = self.stored()
            typed = self.editor
            try:
                with Session(engine) as session:
                    action(session)
            except EchoError as error:
                assert isinstance(error, EXPECTED_REFUSALS), error
                assert self.stored() == before, f"{type(error).__name__} left a change behind"
                assert self.editor == typed
                return False
            self.successes += 1
            self.events += steps
            self.editor = self.stored()["final_body"] or ""  # the page reloads the fresh text
            return True

        def changed(self) -> bool:
            return self.editor.strip() != (self.stored()["final_body"] or "").strip()

        @rule(body=st.sampled_from(BODIES))
        def broker_types(self, body: str) -> None:
            self.editor = body

        @rule()
        def broker_reloads(self) -> None:
            self.editor = self.stored()["final_body"] or ""

        @rule(override=st.booleans())
        def approve(self, override: bool) -> None:
            steps = 1 + self.changed()
            self.act(lambda s: drafts.approve(session=s, draft_id=self.draft_id, actor=BROKER, now=self.clock,
                                              override_failed_validation=override, body=self.editor), steps)

        @rule()
        def save(self) -> None:
            self.act(lambda s: drafts.edit(session=s, draft_id=self.draft_id, actor=BROKER, body=self.editor))

        @rule(prompt=st.sampled_from(["Shorter, please.", "Warmer tone", "More formal, please."]))
        def refine(self, prompt: str) -> None:
            self.act(lambda s: drafts.refine(session=s, draft_id=self.draft_id, actor=BROKER, prompt=prompt,
                                             now=self.clock))

        @rule(version=st.integers(min_value=0, max_value=5))
        def use_version(self, version: int) -> None:
            self.act(lambda s: drafts.use_version(session=s, draft_id=self.draft_id, actor=BROKER, version=version))

        @rule()
        def send_as_stored(self) -> None:
            """The CLI's send: the stored, approved text (what `drafts show` printed)."""
            shown = self.stored()["final_body"]
            self.record_send(lambda s: drafts.send(session=s, draft_id=self.draft_id, actor=BROKER, now=self.clock),
                             shown, steps=1)

        @rule(override=st.booleans())
        def approve_and_send(self, override: bool) -> None:
            """The page's Send / Approve & send: whatever the editor shows."""
            changed, status = self.changed(), self.stored()["status"]
            steps = changed + (changed or status == "pending") + 1
            shown = self.editor
            self.record_send(lambda s: drafts.approve_and_send(
                session=s, draft_id=self.draft_id, actor=BROKER, body=shown, now=self.clock,
                override_failed_validation=override), shown, steps=steps)

        @rule(body=st.sampled_from(BODIES), override=st.booleans())
        def types_then_sends(self, body: str, override: bool) -> None:
            """Edit → Approve & send without pressing Save: the most common way to lose an edit."""
            self.editor = body
            self.approve_and_send(override)

        def record_send(self, action: Callable[[Session], Any], shown: str | None, *, steps: int) -> None:
            was_sent = self.sent
            ok = self.act(action, steps)
            assert not (was_sent and ok), "a sent draft was sent again"
            if ok:
                self.sent, self.sent_text = True, (shown or "").strip()

        @rule(reason=st.sampled_from(ARCHIVE_CATEGORIES), note=st.sampled_from([None, "", "Called them instead."]))
        def archive(self, reason: str, note: str | None) -> None:
            self.act(lambda s: drafts.archive(session=s, draft_id=self.draft_id, actor=BROKER, reason=reason,
                                              note=note, now=self.clock))

        @rule()
        def restore(self) -> None:
            self.act(lambda s: drafts.restore(session=s, draft_id=self.draft_id, actor=BROKER))

        @rule()
        def write_from_a_stale_read(self) -> None:
            stale = self.stored()["lock_version"] - 1
            ok = self.act(lambda s: drafts.archive(session=s, draft_id=self.draft_id, actor=BROKER,
                                                   reason="duplicate", expected_lock_version=stale))
            assert not ok, "a stale write went through"

        @rule()
        def approve_from_a_stale_read(self) -> None:
            stale = self.stored()["lock_version"] - 1
            ok = self.act(lambda s: drafts.approve_and_send(session=s, draft_id=self.draft_id, actor=BROKER,
                                                            body=self.editor, expected_lock_version=stale))
            assert not ok, "a stale approval went through"

        @rule(hours=st.sampled_from([1, 6, 23, 25]))
        def time_passes(self, hours: int) -> None:
            self.clock += timedelta(hours=hours)

        # --- invariants ----------------------------------------------------------------

        def stored(self) -> dict[str, Any]:
            sql = text(
                """
                SELECT d.status, d.final_body, d.edited_body, d.current_version, d.draft_versions,
                       d.regeneration_count, d.sent_email_id, d.lock_version, d.validation,
                       (SELECT count(*) FROM emails e WHERE e.deal_id = d.deal_id AND e.ai_generated) AS replies,
                       (SELECT e.body FROM emails e WHERE e.id = d.sent_email_id) AS sent_body,
                       (SELECT array_agg(ev.id ORDER BY ev.id) FROM draft_events ev WHERE ev.draft_id = d.id)
                           AS event_ids
                FROM email_drafts d WHERE d.id = :id
                """
            )
            with engine.connect() as conn:
                row = conn.execute(sql, {"id": self.draft_id}).mappings().one_or_none()
            assert row is not None, "the draft row was deleted"
            return dict(row)

        @invariant()
        def invariants_hold(self) -> None:
            if not hasattr(self, "draft_id"):
                return
            row = self.stored()
            # sent ⇒ sent_email_id set and exactly one email row for the draft
            if self.sent:
                assert row["sent_email_id"] is not None and row["replies"] == 1
                # the body that went out is the last text the broker saw, never an older stored one
                assert row["sent_body"] == self.sent_text
            else:
                assert row["sent_email_id"] is None and row["replies"] == 0
            if row["status"] == "sent":
                assert self.sent
            # regeneration_count never passes the limit; no cooldown window holds more than LIMIT refinements
            assert 0 <= row["regeneration_count"] <= LIMIT
            refined_at = [datetime.fromisoformat(v["createdAt"]) for v in row["draft_versions"] if v["prompt"]]
            for moment in refined_at:
                assert sum(moment - COOLDOWN < other <= moment for other in refined_at) <= LIMIT
            # current_version names an existing version and final_body is its body; a hand edit is a
            # version marked with its editor (and only then is edited_body set)
            by_number = {v["version"]: v for v in row["draft_versions"]}
            assert row["current_version"] in by_number
            current = by_number[row["current_version"]]
            assert row["final_body"] == current["body"]
            assert row["edited_body"] == (current["body"] if current.get("kind") == "hand_edit" else None)
            for version in row["draft_versions"]:
                if version.get("kind") == "hand_edit":
                    assert version["editedBy"] == BROKER.email and version["prompt"] is None
            # every step of every successful action left one audit event, and events are never removed
            event_ids = set(row["event_ids"] or [])
            assert len(event_ids) == self.events
            assert self.seen_event_ids <= event_ids
            self.seen_event_ids = event_ids
            assert row["lock_version"] == 1 + self.successes

    run_state_machine_as_test(
        DraftLifecycle,
        settings=settings(max_examples=40, stateful_step_count=20, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow]),
    )
