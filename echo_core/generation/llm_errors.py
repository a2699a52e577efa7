"""What a failed language-model call means, in one line a broker (or their admin) can act on.

Each message quotes the server's own reason (secrets redacted, one line, bounded) and
says whether trying again can help or which setting to change.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import openai
from pydantic import ValidationError

from echo_core.config import Settings
from echo_core.errors import GenerationFailed
from echo_core.redact import redact

OFFLINE = "or use the offline provider"
_KEYISH = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{6,}|Bearer\s+\S+)", re.IGNORECASE)
# How servers phrase "I don't do that response_format": OpenAI, vLLM, llama-cpp-python, llama.cpp forks.
_FORMAT_WORDS = re.compile(r"response_format|json_schema|json_object|structured output|'text' or 'json|grammar|"
                           r"schema", re.IGNORECASE)


def reason(error: openai.APIError, settings: Settings, limit: int = 300) -> str:
    """The server's own words, secrets removed, on one line."""
    body = error.body
    if isinstance(body, dict):
        text = body.get("message") or body.get("detail") or body.get("error") or json.dumps(body, default=str)
        if not isinstance(text, str):
            text = json.dumps(text, default=str)
    elif isinstance(body, str) and body.strip():
        text = body
    else:
        text = error.message
    text = redacted(text, settings)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def redacted(text: str, settings: Settings) -> str:
    """One line with every configured secret, and anything shaped like an API key, replaced by ***."""
    return _KEYISH.sub("***", redact(" ".join(text.split()), settings.secrets()))


def rejects_structured_output(error: openai.APIStatusError) -> bool:
    """The server refuses the response_format we sent (a permanent incompatibility, not a hiccup)."""
    if error.status_code not in (400, 415, 422, 500, 501):
        return False
    body = error.body
    text = json.dumps(body, default=str) if not isinstance(body, str) else body
    return bool(_FORMAT_WORDS.search(text or error.message))


def retryable(error: openai.APIStatusError) -> bool:
    """Overload and server hiccups may pass; a 4xx will fail the same way again."""
    return error.status_code in (408, 409, 429) or error.status_code >= 500


def retry_after(error: openai.APIStatusError) -> float | None:
    """Seconds the server asks us to wait (retry-after-ms, retry-after as seconds or an HTTP date)."""
    headers = error.response.headers
    try:
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            return (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
    except (TypeError, ValueError):
        return None


def describe(error: openai.APIStatusError, settings: Settings, *, mode: str | None = None, attempts: int = 1,
             wait: float | None = None) -> GenerationFailed:
    """One line for a status error: what the server said and what to do."""
    code, said = error.status_code, reason(error, settings)
    tried = f" after {attempts} attempts" if attempts > 1 else ""
    if mode and rejects_structured_output(error):
        return GenerationFailed(
            f"The language model server rejected structured output '{mode}' (HTTP {code}: \"{said}\") — retrying "
            "will not help; set OPENAI_STRUCTURED=auto (or json_object, or prompt), " + OFFLINE + ".")
    if code == 429:
        later = f"the server asks to wait {wait:.0f}s" if wait and wait > 1 else "wait a minute"
        return GenerationFailed(f"The language model is rate-limited (HTTP 429: \"{said}\"){tried} — {later} and try "
                                f"again, {OFFLINE}.")
    if code >= 500:
        return GenerationFailed(f"The language model service failed (HTTP {code}: \"{said}\"){tried} — the fault is "
                                f"on the server's side; try again later, {OFFLINE}.")
    if code == 401:
        fix = "check OPENAI_API_KEY"
    elif code == 403:
        fix = "the key may not use this model: check OPENAI_API_KEY and OPENAI_MODEL"
    elif code == 404:
        fix = "check OPENAI_MODEL and OPENAI_BASE_URL (it usually ends in /v1)"
    elif code == 413 or re.search(r"context|too long|too many tokens|maximum.*length", said, re.IGNORECASE):
        fix = "the prompt is too long for this model: use a model with a longer context (or a lower OPENAI_MAX_TOKENS)"
    else:
        fix = "check OPENAI_MODEL and the server's settings against its reason"
    return GenerationFailed(f"The language model server refused the request (HTTP {code}: \"{said}\") — retrying "
                            f"will not help; {fix}, {OFFLINE}.")


def timeout(settings: Settings) -> GenerationFailed:
    return GenerationFailed(
        f"The language model did not answer within {settings.openai_timeout_seconds:g}s — not retried, as the server "
        "may still be working on it; raise OPENAI_TIMEOUT or lower OPENAI_MAX_TOKENS, try again later, " + OFFLINE
        + ".")


def unreachable(error: openai.APIConnectionError, settings: Settings, *, attempts: int) -> GenerationFailed:
    where = settings.openai_base_url or "api.openai.com"
    cause = error.__cause__ or error
    said = redacted(str(cause), settings)[:200] or "no answer"
    tried = f" after {attempts} attempts" if attempts > 1 else ""
    return GenerationFailed(f"Cannot reach the language model at {where} ({said}){tried} — check OPENAI_BASE_URL and "
                            f"that the server is running, {OFFLINE}.")


def first_problem(error: Exception) -> str:
    """The first thing wrong with a model's JSON, briefly."""
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the answer"
        return f"{where}: {first['msg']}"[:160]
    return str(error).split("\n")[0][:160]
