"""Issue 17 against a real model server: llama-cpp-python's OpenAI-compatible server with Gemma 3 270M.

Driven through the product's CLI (`drafts generate`, `drafts refine`, with the self-critique
on), this proves on real model output: the server's json_schema rejection is detected once
and json_object is remembered; every call stays inside its token limit (a tiny limit ends in
one readable line, nothing stored, and the server is free right after); drafts are stored
with `tokensUsed`; and an answer this small model cannot get right is caught by the fact
check (and the coverage check where it exists) with its confidence capped. The model is far
too small to write good replies: the point is the protocol, the limits and the safety net.

Run by `make test-llm` (marker `llm`); prints each call's mode, tokens, time and the verdict.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from echo_core.config import reload_settings
from echo_core.db.models import EmailDraft
from echo_core.generation.structured import MEMORY_FILE
from tests.factories import make_deal, make_deal_space, make_email, make_space, make_user
from tests.integration.conftest import Run
from tests.llmserver import ModelServer, assemble_model, check_build, llama_cpp_server

pytestmark = [pytest.mark.llm, pytest.mark.timeout(2400)]  # one CPU thread, a shared machine
BY = ["--by", "broker@tandem.space"]
REPLY_LIMIT, CRITIQUE_LIMIT = 1000, 160
CAP = {"failed": 30, "warnings": 75, "passed": 100}  # the highest each status allows (confidence.final)
_CALL = re.compile(r"llm call (\w+): model=\S+ mode=(\w+) finish=(\w+) prompt_tokens=(\d+) completion_tokens=(\d+) "
                   r"max_tokens=(\d+) seconds=([\d.]+)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModelServer]:
    features = check_build()
    directory = tmp_path_factory.mktemp("model")
    started = time.monotonic()
    model = assemble_model(directory)
    assembled = time.monotonic()
    with llama_cpp_server(model, directory / "server.log") as running:
        _out(f"\nmodel assembled in {assembled - started:.1f}s ({model.stat().st_size / 1e6:.0f} MB); "
              f"server ready in {time.monotonic() - assembled:.1f}s; {features}")
        yield running


@pytest.fixture
def llm_env(server: ModelServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name, value in {"OPENAI_BASE_URL": server.url, "OPENAI_MODEL": server.model, "ECHO_PROVIDER": "openai",
                        "OPENAI_TIMEOUT": "600", "OPENAI_MAX_RETRIES": "1", "OPENAI_TEMPERATURE": "0",
                        "OPENAI_MAX_TOKENS": str(REPLY_LIMIT), "OPENAI_CRITIQUE_MAX_TOKENS": str(CRITIQUE_LIMIT),
                        "ECHO_SELF_CRITIQUE": "true", "ECHO_DATA_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_STRUCTURED", raising=False)
    reload_settings()
    return tmp_path


def _inbound(engine: Engine) -> int:
    with Session(engine) as session:
        make_user(session, email="broker@tandem.space", role="broker")
        deal = make_deal(session, seeker_name="Sarah Chen", company_name="Acme Robotics", team_size=8,
                         requirements={"dogFriendly": True, "parking": True})
        space = make_space(session, name="Harbor Loft", monthly_rate=12000)
        make_deal_space(session, deal=deal, space=space, status="touring")
        email = make_email(session, deal=deal, subject="Harbor Loft questions",
                           body="Hi! Is Harbor Loft dog friendly? How much is parking per month? How many meeting "
                                "rooms are there? Could we tour on Thursday at 9am?\n\nThanks, Sarah")
        session.commit()
        return email.id


def _draft(engine: Engine, draft_id: int) -> EmailDraft:
    with Session(engine) as session:
        draft = session.get(EmailDraft, draft_id)
        assert draft is not None
        return draft


def _calls(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    found = []
    for record in caplog.records:
        match = _CALL.search(record.getMessage())
        if match:
            name, mode, finish, prompt, completion, limit, seconds = match.groups()
            found.append({"call": name, "mode": mode, "finish": finish, "prompt": int(prompt),
                          "completion": int(completion), "limit": int(limit), "seconds": float(seconds)})
    return found


def _out(line: str) -> None:
    """Straight to the terminal: the CLI fixture's capsys would swallow a print between two commands."""
    sys.__stdout__.write(line + "\n")
    sys.__stdout__.flush()


def _print(step: str, calls: list[dict[str, Any]], draft: EmailDraft | None, wall: float) -> None:
    for c in calls:
        _out(f"{step:<9} {c['call']:<9} mode={c['mode']:<11} finish={c['finish']:<6} prompt={c['prompt']:>5} "
              f"completion={c['completion']:>4}/{c['limit']:<4} {c['seconds']:6.1f}s")
    if draft is not None:
        meta, validation = draft.metadata_ or {}, draft.validation or {}
        coverage = (validation.get("coverage") or {}).get("status", "-")
        _out(f"{step:<9} verdict: fact check {validation.get('status')} ({len(validation.get('issues', []))} "
              f"issues), coverage {coverage}, model confidence {meta.get('modelConfidence')} -> shown "
              f"{draft.confidence_score}, tokensUsed {meta.get('tokensUsed')} + critique "
              f"{meta.get('validationTokensUsed')}; wall {wall:.1f}s")


def _assert_stored_and_capped(draft: EmailDraft) -> None:
    meta, validation = draft.metadata_ or {}, draft.validation or {}
    assert meta["provider"] == "openai" and meta["tokensUsed"] > 0 and meta["structuredOutput"] == "json_object"
    assert draft.final_body and draft.final_body.strip()
    said = meta.get("modelConfidence")
    assert 0 <= draft.confidence_score <= CAP[validation["status"]]
    assert said is None or draft.confidence_score <= said


def test_generate_refine_and_critique_on_a_real_server(
        cli: Run, fresh_engine: Engine, server: ModelServer, llm_env: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="echo_core.generation")
    email_id = _inbound(fresh_engine)

    started = time.monotonic()
    code, out, err = cli("drafts", "generate", "--email-id", str(email_id), *BY, "--json")
    wall = time.monotonic() - started
    assert code == 0, err
    first = _draft(fresh_engine, json.loads(out)["id"])
    generate_calls = _calls(caplog)
    _print("generate", generate_calls, first, wall)
    _assert_stored_and_capped(first)
    # The server said no to json_schema once; json_object was used and remembered for this base URL.
    rejections = [r for r in caplog.records if "rejected structured output json_schema" in r.getMessage()]
    assert len(rejections) == 1 and "'text' or 'json_object'" in rejections[0].getMessage()
    assert json.loads((llm_env / MEMORY_FILE).read_text())[server.url]["mode"] == "json_object"

    caplog.clear()
    started = time.monotonic()
    code, out, err = cli("drafts", "refine", str(first.id), *BY, "--prompt", "Reply with just the word OK.")
    wall = time.monotonic() - started
    assert code == 0, err
    refined = _draft(fresh_engine, first.id)
    refine_calls = _calls(caplog)
    _print("refine", refine_calls, refined, wall)
    assert refined.current_version == 1
    _assert_stored_and_capped(refined)
    assert not any("rejected structured output" in r.getMessage() for r in caplog.records), "remembered"

    calls = generate_calls + refine_calls
    assert {c["call"] for c in calls} == {"reply", "critique"}, "the self-critique ran on the real server"
    assert all(c["mode"] == "json_object" for c in calls)
    assert all(c["completion"] <= c["limit"] for c in calls), "no call generated past its limit"
    # This model cannot answer all four questions from the facts: the checks catch it and cap its confidence.
    verdicts = [first.validation or {}, refined.validation or {}]
    assert any(v["status"] != "passed" or (v.get("coverage") or {}).get("status") == "incomplete"
               for v in verdicts)


def test_a_tiny_token_limit_ends_in_one_line_and_leaves_the_server_free(
        cli: Run, fresh_engine: Engine, llm_env: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="echo_core.generation")
    email_id = _inbound(fresh_engine)
    monkeypatch.setenv("OPENAI_MAX_TOKENS", "64")
    reload_settings()
    started = time.monotonic()
    code, out, err = cli("drafts", "generate", "--email-id", str(email_id), *BY)
    wall = time.monotonic() - started
    calls = _calls(caplog)
    _print("limit 64", calls, None, wall)
    assert code == 20 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "64-token limit" in err and "OPENAI_MAX_TOKENS" in err
    assert calls and calls[-1]["finish"] == "length" and calls[-1]["completion"] <= 64
    with Session(fresh_engine) as session:
        assert session.scalar(select(func.count()).where(EmailDraft.inbound_email_id == email_id)) == 0

    # The server stopped at the limit, so it is free: the next request is answered straight away.
    caplog.clear()
    started = time.monotonic()
    code, _, err = cli("drafts", "generate", "--email-id", str(email_id), *BY)
    follow = _calls(caplog)
    _print("again 64", follow, None, time.monotonic() - started)
    assert code == 20 and follow and follow[-1]["completion"] <= 64
