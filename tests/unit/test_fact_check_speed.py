"""Benchmark (slow, out of `make test`): the fact check's time grows about linearly with the text, and a
20,000-character reply (the cap) stays well under a second. Prints its figures; run with `-m slow -s`."""

from __future__ import annotations

import time

import pytest

from echo_core.demo.spaces import DEMO_SPACES
from echo_core.evaluation.mutations.generate import samples
from echo_core.generation.context import context_from_dict
from echo_core.generation.validator import validate

CONTEXT = context_from_dict({"deal": {"monthly_budget": 15000}, "email": {"body": "Hi"},
                             "spaces": [dict(DEMO_SPACES[0], id=1), dict(DEMO_SPACES[2], id=2)]})
REPLIES = " ".join(s.body for s, _ in zip(samples(3), range(400), strict=False) if not s.wrong)
SHAPES = {
    "replies": REPLIES,
    "one sentence": "Mission Loft has parking, dogs, 24/7 access, key cards at $25 each and weekly cleaning and " * 300,
    "one word": "supercalifragilisticexpialidocious" * 700,
    "commas": "a, " * 8000,
    "figures": "$25, " * 5000,
    "slots": "Tuesday at 2pm, " * 1500,
}


def _seconds(body: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        validate(body, CONTEXT)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_check_grows_about_linearly_with_the_text(shape: str, request: pytest.FixtureRequest) -> None:
    if "slow" not in str(request.config.getoption("markexpr", "")):
        pytest.skip("a benchmark: run with -m slow -s")
    small, large = SHAPES[shape][:2_000], SHAPES[shape][:20_000]
    t_small, t_large = _seconds(small), _seconds(large)
    print(f"\nfact check, {shape}: 2k chars {t_small * 1000:.0f} ms, 20k chars {t_large * 1000:.0f} ms "
          f"(x{t_large / max(t_small, 1e-6):.1f} for x10 text)")
    assert t_large / max(t_small, 1e-4) < 30
