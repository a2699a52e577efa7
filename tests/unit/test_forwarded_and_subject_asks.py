"""Asks that are not in the seeker's own new lines: a forwarded colleague's questions the seeker hands to us
("can you answer her questions below?"), and a question asked only in the subject ("See subject")."""

from __future__ import annotations

from typing import Any

from echo_core.generation.composer import compose
from echo_core.generation.context import ReplyContext, context_from_dict
from echo_core.generation.seeker_text import new_text

HAVEN: dict[str, Any] = {
    "id": 81, "name": "Haven Studio", "address": "5 Haven Pl, Oakland", "status": "touring", "monthly_rate": 6100,
    "amenities": {"dogFriendly": False},
    "detailed_amenities": {"parking": {"type": "street-only"}, "meetingRooms": {"count": 1, "sizes": [8]}},
}


def ctx(body: str, subject: str = "Office") -> ReplyContext:
    return context_from_dict({"deal": {"seeker_name": "Iris Chan", "team_size": 6, "monthly_budget": 7000},
                              "spaces": [HAVEN], "email": {"id": 4, "body": body, "subject": subject}})


FORWARD = ("Hi Sam, could you take a look at Priya's questions below? Thanks!\n\n"
           "---------- Forwarded message ---------\nFrom: Priya <priya@northwind.example.com>\n"
           "Date: Tue, Nov 24, 2026 at 4:12 PM\nSubject: Haven\nTo: Iris <iris@northwind.example.com>\n\n"
           "Does Haven Studio have a meeting room? Can I bring my dog?\n\nPriya\n")


def test_a_forwarded_messages_questions_count_when_the_seeker_hands_them_over() -> None:
    composed = compose(ctx(FORWARD, "Fwd: Haven"))
    assert sorted(q.kind for q in composed.asks) == ["dogs", "meeting_rooms"]
    assert "1 meeting room" in composed.body and "not allowing dogs" in composed.body
    assert "Priya's questions below" not in composed.body  # the hand-over is not an ask of its own


def test_a_forward_with_the_seekers_own_question_keeps_the_forwarded_text_as_context_only() -> None:
    body = FORWARD.replace("could you take a look at Priya's questions below? Thanks!", "is parking available?")
    composed = compose(ctx(body, "Fwd: Haven"))
    assert [q.kind for q in composed.asks] == ["parking"]


def test_a_replys_quoted_original_is_never_read_as_asks() -> None:
    body = "Thanks, that helps!\n\nOn Tue, Nov 24, 2026 at 9:00 AM Sam <agent@tandem.space> wrote:\n> Any questions?"
    assert new_text(body) == "Thanks, that helps!"


def test_a_question_asked_only_in_the_subject_is_answered() -> None:
    composed = compose(ctx("See subject, thanks!", "RE: Is there a meeting room at Haven Studio?"))
    assert [q.kind for q in composed.asks] == ["meeting_rooms"]
    assert "1 meeting room" in composed.body


def test_a_subject_that_repeats_the_bodys_question_adds_no_second_ask() -> None:
    composed = compose(ctx("Do you know if there's parking nearby?", "Parking?"))
    assert [q.kind for q in composed.asks] == ["parking"]


def test_a_subject_without_a_question_mark_is_a_title_not_an_ask() -> None:
    assert not compose(ctx("Thanks for the list.", "Parking and dogs")).asks


def test_a_forward_marked_as_needing_no_action_is_context_only() -> None:
    body = FORWARD.replace("could you take a look at Priya's questions below? Thanks!",
                           "forwarding for context, no action needed on Priya's note.")
    assert not compose(ctx(body, "Fwd: Haven")).asks


def test_a_seeker_who_names_the_one_forwarded_question_to_answer_gets_only_that_one() -> None:
    body = FORWARD.replace("could you take a look at Priya's questions below? Thanks!",
                           "can you answer her question about the meeting room?")
    assert [q.kind for q in compose(ctx(body, "Fwd: Haven")).asks] == ["meeting_rooms"]
