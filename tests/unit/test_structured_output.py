"""The structured-output ladder's pieces: the strict schema, the prompt's shape, the parser, the memory."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from echo_core.generation.llm_schema import LlmCritique, LlmReply, normalise_confidence
from echo_core.generation.structured import (
    LADDER,
    MEMORY_FILE,
    ModeMemory,
    parse,
    response_format,
    shape,
    strict_schema,
)

REPLY = {"body": "Hi", "confidence": 80, "reasoning": {"questionsAddressed": [], "dataUsed": [],
                                                       "schedulingLogic": [], "needsHumanReview": [],
                                                       "requirementMismatches": []}}


def _objects(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [o for item in node for o in _objects(item)]
    if not isinstance(node, dict):
        return []
    found = [node] if node.get("type") == "object" else []
    return found + [o for value in node.values() for o in _objects(value)]


def test_the_strict_schema_has_no_refs_and_every_object_is_closed_and_fully_required() -> None:
    schema = strict_schema(LlmReply)
    assert "$ref" not in json.dumps(schema) and "$defs" not in schema
    objects = _objects(schema)
    assert len(objects) == 4  # reply, reasoning, question, data point
    for obj in objects:
        assert obj["additionalProperties"] is False and obj["required"] == list(obj["properties"])
    assert schema["properties"]["confidence"]["type"] == "number"


def test_each_rung_sends_its_own_response_format() -> None:
    first = response_format("json_schema", "reply", LlmReply)
    assert first and first["type"] == "json_schema" and first["json_schema"]["strict"] is True
    assert first["json_schema"]["schema"] == strict_schema(LlmReply)
    second = response_format("json_object", "reply", LlmReply)
    assert second == {"type": "json_object", "schema": strict_schema(LlmReply, bounded=True)}
    assert response_format("prompt", "reply", LlmReply) is None
    assert LADDER == ("json_schema", "json_object", "prompt")


@pytest.mark.parametrize("model", [LlmReply, LlmCritique])
def test_the_prompt_shape_names_every_field_of_the_schema(model: type[LlmReply] | type[LlmCritique]) -> None:
    text = shape(model)
    for obj in _objects(strict_schema(model)):
        for name in obj["properties"]:
            assert f'"{name}":' in text
    assert '"sourceType": "space|deal|email"' in shape(LlmReply)


@pytest.mark.parametrize("wrapped", [
    "{body}",
    "```json\n{body}\n```",
    "```\n{body}\n```",
    "Here is the reply you asked for:\n{body}\nLet me know!",
])
def test_the_parser_finds_the_json_object_in_chatter_and_fences(wrapped: str) -> None:
    parsed = parse(LlmReply, wrapped.replace("{body}", json.dumps(REPLY)))
    assert parsed.body == "Hi" and parsed.confidence == 80


@pytest.mark.parametrize("content", ["", "no json here", '{"body": "Hi", "confid', '{"text": "Hi"}', "[1, 2]"])
def test_the_parser_refuses_what_does_not_fit(content: str) -> None:
    with pytest.raises((ValidationError, ValueError)):
        parse(LlmReply, content)


def test_a_small_models_slips_are_forgiven_where_they_cost_nothing() -> None:
    parsed = parse(LlmReply, json.dumps({"body": "Hi", "extra": 1, "reasoning": {"needsHumanReview": ["x"]}}))
    assert parsed.confidence is None and parsed.reasoning.dataUsed == [] and parsed.reasoning.needsHumanReview == ["x"]


@pytest.mark.parametrize(("said", "expected"), [
    (85, 85), (0.85, 85), (1, 1), (1.0, 100), (0, 0), (0.0, 0), (-3, 0), (-0.5, 0), (101, 100), (1e300, 100),
    ("77", 77), ("0.5", 50), (" 64 % ", 64), ("high", None), (True, None), (None, None), ([90], None),
    (float("nan"), None), (float("inf"), None),
])
def test_model_confidence_is_normalised_to_0_100(said: Any, expected: int | None) -> None:
    assert normalise_confidence(said) == expected


@given(st.one_of(st.integers(), st.floats(), st.text(max_size=8), st.none(), st.booleans()))
def test_no_confidence_a_model_can_send_leaves_0_100(said: Any) -> None:
    value = normalise_confidence(said)
    assert value is None or 0 <= value <= 100


def test_the_memory_is_per_server_survives_a_restart_and_reprobes_after_a_week(tmp_path: Path) -> None:
    now = datetime(2026, 11, 30, tzinfo=UTC)
    first = ModeMemory()
    assert first.recall(tmp_path, "http://127.0.0.1:8080/v1") is None
    first.remember(tmp_path, "http://127.0.0.1:8080/v1/", "json_object", now=now)
    first.remember(tmp_path, "http://127.0.0.1:9090/v1", "prompt", now=now)
    assert first.recall(tmp_path, "http://127.0.0.1:8080/v1", now=now) == "json_object"

    restarted = ModeMemory()
    assert restarted.recall(tmp_path, "http://127.0.0.1:8080/v1", now=now + timedelta(days=1)) == "json_object"
    assert restarted.recall(tmp_path, "http://127.0.0.1:9090/v1", now=now) == "prompt"
    assert restarted.recall(tmp_path, None, now=now) is None, "OpenAI itself is another server"
    assert restarted.recall(tmp_path, "http://127.0.0.1:8080/v1", now=now + timedelta(days=8)) is None


@pytest.mark.parametrize("content", ["not json", "[]", '{"http://x/v1": "json_object"}',
                                     '{"http://x/v1": {"mode": "yaml", "detectedAt": "2026-11-30T00:00:00+00:00"}}'])
def test_a_damaged_memory_file_means_detecting_again(tmp_path: Path, content: str) -> None:
    (tmp_path / MEMORY_FILE).write_text(content)
    assert ModeMemory().recall(tmp_path, "http://x/v1") is None


def test_an_unwritable_data_dir_costs_only_the_memory_across_restarts(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where a directory should be")
    memory = ModeMemory()
    memory.remember(blocked, "http://x/v1", "prompt")
    assert memory.recall(blocked, "http://x/v1") == "prompt"


def test_list_bounds_reach_grammar_servers_only_and_longer_lists_are_cut() -> None:
    strict, bounded = json.dumps(strict_schema(LlmReply)), strict_schema(LlmReply, bounded=True)
    assert "maxItems" not in strict, "OpenAI-strict servers get the plain common subset"
    assert bounded["properties"]["reasoning"]["properties"]["needsHumanReview"]["maxItems"] == 5
    parsed = parse(LlmCritique, json.dumps({"issues": [f"issue {n}" for n in range(9)]}))
    assert parsed.issues == [f"issue {n}" for n in range(5)]


def test_a_raw_newline_inside_a_string_is_accepted() -> None:
    assert parse(LlmReply, '{"body": "Hi Sarah,\n\nYes.", "confidence": 50}').body == "Hi Sarah,\n\nYes."
