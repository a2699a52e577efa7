"""When the review page writes a presence beat: on a new draft, and again only once the last beat is seconds old."""

from __future__ import annotations

import pytest

from echo_core.presence import FRESH_BEAT, HEARTBEAT_EVERY, beat_due

FRESH = FRESH_BEAT.total_seconds()


@pytest.mark.parametrize(("last", "draft_id", "now", "due"), [
    (None, 7, 100.0, True),  # the tab's first beat
    ((6, 100.0), 7, 100.5, True),  # another draft opened
    ((7, 100.0), 7, 100.5, False),  # approve, then send: seconds apart
    ((7, 100.0), 7, 100.0 + FRESH - 0.01, False),
    ((7, 100.0), 7, 100.0 + FRESH, True),
    ((7, 100.0), 7, 100.0 + HEARTBEAT_EVERY.total_seconds(), True),  # the fragment's own timer
    ((7, 100.0), 7, 99.0, True),  # a clock that went back: write rather than trust it
])
def test_a_beat_is_due_for_a_new_draft_or_once_the_last_one_is_seconds_old(
        last: tuple[int, float] | None, draft_id: int, now: float, due: bool) -> None:
    assert beat_due(last, draft_id, now) is due


def test_a_skipped_beat_cannot_let_the_row_go_stale() -> None:
    from echo_core.presence import TTL

    assert FRESH_BEAT + HEARTBEAT_EVERY < TTL  # the timer's next beat comes long before readers drop the row
