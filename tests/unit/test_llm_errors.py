"""How a failed model call is read: a rejected response format, a retryable hiccup, the server's own words."""

from __future__ import annotations

from typing import Any

import httpx2
import openai
import pytest

from echo_core.config import Settings
from echo_core.generation import llm_errors

SETTINGS = Settings.model_validate({"OPENAI_API_KEY": "sk-live-SECRET-1234567890",
                                    "OPENAI_BASE_URL": "https://proxy-user:proxy-PASS-42@llm.internal/v1"})


def status_error(status: int, body: Any, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx2.Response(status, request=request, headers=headers or {})
    return openai.APIStatusError(f"Error code: {status}", response=response, body=body)


@pytest.mark.parametrize(("status", "message", "rejects"), [
    (500, "1 validation error: {'loc': ('body', 'response_format', 'type'), 'msg': \"Input should be 'text' or "
          "'json_object'\"}", True),  # llama-cpp-python
    (500, 'response_format type must be one of "text" or "json_object", but got: json_schema', True),  # llama forks
    (400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", True),
    (400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
     True),
    (422, "Failed to parse grammar from the JSON schema", True),
    (500, "CUDA out of memory", False),
    (400, "This model's maximum context length is 4096 tokens", False),
    (429, "response_format requests are rate limited", False),
    (401, "Incorrect API key provided", False),
])
def test_a_rejected_response_format_is_told_apart_from_other_failures(status: int, message: str,
                                                                       rejects: bool) -> None:
    assert llm_errors.rejects_structured_output(status_error(status, {"message": message})) is rejects


@pytest.mark.parametrize(("status", "retryable"), [(400, False), (401, False), (404, False), (408, True),
                                                   (409, True), (422, False), (429, True), (500, True), (503, True)])
def test_only_overload_and_server_hiccups_are_retryable(status: int, retryable: bool) -> None:
    assert llm_errors.retryable(status_error(status, {"message": "x"})) is retryable


@pytest.mark.parametrize(("headers", "seconds"), [({"retry-after-ms": "1500"}, 1.5), ({"retry-after": "7"}, 7.0),
                                                  ({}, None), ({"retry-after": "soon"}, None)])
def test_the_servers_wait_is_read_from_its_headers(headers: dict[str, str], seconds: float | None) -> None:
    assert llm_errors.retry_after(status_error(429, {}, headers)) == seconds


@pytest.mark.parametrize("body", [
    {"message": "bad key sk-live-SECRET-1234567890 for proxy-PASS-42"},
    "upstream said: Bearer sk-live-SECRET-1234567890",
    {"detail": "key sk-otherKEY99999 rejected"},
])
def test_the_servers_reason_is_quoted_without_secrets(body: Any) -> None:
    said = llm_errors.reason(status_error(400, body), SETTINGS)
    assert "SECRET" not in said and "PASS" not in said and "otherKEY" not in said and "***" in said


def test_a_long_reason_is_one_bounded_line() -> None:
    said = llm_errors.reason(status_error(500, {"message": "line\n" * 200}), SETTINGS)
    assert "\n" not in said and len(said) <= 300


def test_a_4xx_message_says_retrying_will_not_help_and_a_5xx_that_it_may() -> None:
    four = str(llm_errors.describe(status_error(400, {"message": "bad temperature"}), SETTINGS))
    five = str(llm_errors.describe(status_error(502, {"message": "bad gateway"}), SETTINGS, attempts=3))
    assert "retrying will not help" in four and '"bad temperature"' in four
    assert "try again later" in five and "after 3 attempts" in five and '"bad gateway"' in five
