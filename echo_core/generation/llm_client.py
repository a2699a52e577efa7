"""One structured call to an OpenAI-compatible server, with its limits, its retries and readable failures.

- Every call carries a token limit and the timeout; the SDK's own retries are off, so the
  only retries are ours: 429, 5xx and dropped connections, never a 4xx, a timeout (the
  server may still be generating; a retry would queue behind it) or a schema rejection.
- A server that rejects a structured-output rung is asked again one rung lower
  (see `structured`), and the rung it accepted is remembered for its base URL.
- Every failure is one GenerationFailed quoting the server's own reason, redacted of
  secrets, saying whether a retry can help or which setting to change.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from echo_core.config import Settings
from echo_core.errors import GenerationFailed
from echo_core.generation import llm_errors as errors
from echo_core.generation import structured
from echo_core.generation.structured import LADDER, Mode, parse, response_format

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
MAX_BACKOFF_SECONDS = 20.0
_TOKEN_PARAM: dict[str, str] = {}  # base URL -> "max_completion_tokens" once a server refused "max_tokens"


@dataclass(frozen=True)
class Answer(Generic[M]):
    """A validated answer and what it cost."""

    parsed: M
    mode: Mode
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    seconds: float


def make_client(settings: Settings) -> openai.OpenAI:
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if not key and not settings.openai_base_url:
        raise GenerationFailed("OPENAI_API_KEY is not set — set it (or OPENAI_BASE_URL for a local server), or use "
                               "the offline provider.")
    return openai.OpenAI(
        api_key=key or "not-needed-for-local-servers",
        base_url=settings.openai_base_url,
        timeout=settings.openai_timeout_seconds,
        max_retries=0,  # ours only: the SDK would also retry what cannot succeed
    )


def rungs(settings: Settings) -> tuple[Mode, ...]:
    """The rungs to try, in order: the configured one alone, or from the remembered one down."""
    if settings.openai_structured != "auto":
        return (settings.openai_structured,)
    known = structured.MEMORY.recall(settings.data_dir, settings.openai_base_url)
    return LADDER[LADDER.index(known):] if known else LADDER


def ask(client: openai.OpenAI, settings: Settings, model: type[M], messages: list[dict[str, str]], *,
        name: str, max_tokens: int, limit_setting: str) -> Answer[M]:
    """One answer shaped like `model`, down the structured-output ladder as far as the server needs."""
    ladder = rungs(settings)
    started = time.monotonic()
    for position, mode in enumerate(ladder):
        try:
            completion = _with_retries(settings, partial(_create, client, settings, mode, model, messages,
                                                         name=name, max_tokens=max_tokens))
        except openai.APIStatusError as error:
            if errors.rejects_structured_output(error) and position + 1 < len(ladder):
                log.info("The server at %s rejected structured output %s (%s); trying %s.",
                         settings.openai_base_url or "api.openai.com", mode, errors.reason(error, settings),
                         ladder[position + 1])
                continue
            raise errors.describe(error, settings, mode=mode) from error
        except ValueError as error:  # a 200 whose body is not JSON: a proxy's page, a wrong path
            raise GenerationFailed("The language model server's answer is not an OpenAI chat completion — check "
                                   "OPENAI_BASE_URL (it usually ends in /v1), or use the offline provider.") from error
        except openai.OpenAIError as error:  # anything else the SDK can raise: an answer it could not read
            raise GenerationFailed(f"The language model call failed ({type(error).__name__}: "
                                   f"{errors.redacted(str(error), settings)[:200]}) — try again, or use the offline "
                                   "provider.") from error
        if settings.openai_structured == "auto" and mode != LADDER[0]:  # the best rung needs no memory
            structured.MEMORY.remember(settings.data_dir, settings.openai_base_url, mode)
        seconds = time.monotonic() - started
        _log_call(name, settings, mode, completion, seconds, max_tokens)
        return _answer(completion, model, mode, seconds, max_tokens, limit_setting)
    raise AssertionError("the ladder always ends in a return or a raise")  # pragma: no cover


def _create(client: openai.OpenAI, settings: Settings, mode: Mode, model: type[BaseModel],
            messages: list[dict[str, str]], *, name: str, max_tokens: int, switched: bool = False) -> ChatCompletion:
    key = (settings.openai_base_url or "").rstrip("/")
    token_param = _TOKEN_PARAM.get(key) or ("max_tokens" if settings.openai_base_url else "max_completion_tokens")
    body: dict[str, Any] = {token_param: max_tokens}
    fmt = response_format(mode, name, model)
    if fmt is not None:
        body["response_format"] = fmt  # sent as-is: json_object's "schema" is not in the SDK's types
    try:
        return client.chat.completions.create(
            model=settings.openai_model, messages=messages,  # type: ignore[arg-type]
            temperature=settings.openai_temperature, extra_body=body,
        )
    except openai.BadRequestError as error:
        other = "max_completion_tokens" if token_param == "max_tokens" else "max_tokens"
        said = errors.reason(error, settings)
        if not switched and other in said and token_param in said:
            _TOKEN_PARAM[key] = other  # the server named the parameter it wants instead
            return _create(client, settings, mode, model, messages, name=name, max_tokens=max_tokens, switched=True)
        raise


def _with_retries(settings: Settings, call: Callable[[], ChatCompletion]) -> ChatCompletion:
    """Retry only what a retry can fix: 429, 5xx that are not a rejection, dropped connections.

    A status error no retry can fix is raised as it is, for `ask` to step down the ladder or describe it.
    """
    attempt = 0
    while True:
        try:
            return call()
        except openai.APITimeoutError as error:
            raise errors.timeout(settings) from error
        except openai.APIConnectionError as error:
            if attempt >= settings.openai_max_retries:
                raise errors.unreachable(error, settings, attempts=attempt + 1) from error
            wait = _backoff(attempt, None)
        except openai.APIStatusError as error:
            if errors.rejects_structured_output(error) or not errors.retryable(error):
                raise
            server_says = errors.retry_after(error)
            if attempt >= settings.openai_max_retries or (server_says or 0) > MAX_BACKOFF_SECONDS:
                raise errors.describe(error, settings, attempts=attempt + 1, wait=server_says) from error
            wait = _backoff(attempt, server_says)
        log.info("Language model call failed; retry %d of %d in %.1fs.", attempt + 1, settings.openai_max_retries,
                 wait)
        time.sleep(wait)
        attempt += 1


def _backoff(attempt: int, server_says: float | None) -> float:
    if server_says is not None:
        return max(0.0, server_says)
    return min(MAX_BACKOFF_SECONDS, 0.5 * 2.0 ** attempt) * random.uniform(0.8, 1.2)


def _log_call(name: str, settings: Settings, mode: Mode, completion: ChatCompletion, seconds: float,
              max_tokens: int) -> None:
    """One line per call, for operators (and the real-server test's figures)."""
    usage = completion.usage
    log.info("llm call %s: model=%s mode=%s finish=%s prompt_tokens=%s completion_tokens=%s max_tokens=%d "
             "seconds=%.2f", name, settings.openai_model, mode,
             completion.choices[0].finish_reason if completion.choices else None,
             usage.prompt_tokens if usage else None, usage.completion_tokens if usage else None, max_tokens, seconds)


def _answer(completion: ChatCompletion, model: type[M], mode: Mode, seconds: float, max_tokens: int,
            limit_setting: str) -> Answer[M]:
    if not completion.choices:
        raise GenerationFailed("The language model returned no answer — try again, or use the offline provider.")
    choice = completion.choices[0]
    usage = completion.usage
    if choice.finish_reason == "length":
        raise GenerationFailed(f"The language model reached the {max_tokens}-token limit before finishing its "
                               f"answer — raise {limit_setting} (now {max_tokens}), or try again; or use the "
                               "offline provider.")
    if choice.finish_reason == "content_filter":
        raise GenerationFailed("The language model's content filter stopped the answer — write this reply by hand, "
                               "or use the offline provider.")
    message = choice.message
    if message.refusal:
        raise GenerationFailed(f"The language model refused to draft this reply (\"{message.refusal[:120]}\") — "
                               "write it by hand or use the offline provider.")
    if not (message.content or "").strip():
        raise GenerationFailed("The language model returned an empty answer — try again, or use the offline "
                               "provider.")
    try:
        parsed = parse(model, message.content or "")
    except (ValidationError, ValueError) as error:
        raise GenerationFailed(f"The language model returned malformed JSON that does not fit the reply schema "
                               f"({errors.first_problem(error)}; structured output: {mode}) — try again, or use "
                               "the offline provider.") from error
    return Answer(parsed=parsed, mode=mode, seconds=seconds,
                  prompt_tokens=usage.prompt_tokens if usage else 0,
                  completion_tokens=usage.completion_tokens if usage else 0,
                  total_tokens=usage.total_tokens if usage else 0)
