"""The OpenAI provider: structured outputs with one pydantic schema, checked by code afterwards.

Works with any OpenAI-compatible server (OPENAI_BASE_URL: Ollama, vLLM,
llama.cpp). Email text and database facts enter the prompt only inside
delimited data blocks; the model's answer is parsed, normalised into the
seed's shapes and fact-checked by the deterministic validator. Every failure
becomes one GenerationFailed with a readable message; nothing is stored here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal

import openai
from pydantic import BaseModel, ConfigDict, ValidationError

from echo_core.config import Settings, get_settings
from echo_core.errors import GenerationFailed
from echo_core.generation import PIPELINE_VERSION, confidence, injection
from echo_core.generation.checks import check_body
from echo_core.generation.context import ReplyContext
from echo_core.generation.prompt import critique_messages, reply_messages
from echo_core.generation.questions import detect
from echo_core.generation.types import GeneratedReply
from echo_core.schemas import DraftMetadata, Reasoning, Validation


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LlmQuestion(_Strict):
    question: str
    answer: str
    sourceText: str  # noqa: N815 - the seed's camelCase shape


class LlmData(_Strict):
    dataPoint: str  # noqa: N815
    sourceType: Literal["space", "deal", "email"]  # noqa: N815
    sourceId: int  # noqa: N815
    fieldPath: str  # noqa: N815
    value: str


class LlmReasoning(_Strict):
    questionsAddressed: list[LlmQuestion]  # noqa: N815
    dataUsed: list[LlmData]  # noqa: N815
    schedulingLogic: list[str]  # noqa: N815
    needsHumanReview: list[str]  # noqa: N815
    requirementMismatches: list[str]  # noqa: N815


class LlmReply(_Strict):
    """The one schema the model must fill: body, confidence and reasoning."""

    body: str
    confidence: int
    reasoning: LlmReasoning


class LlmCritique(_Strict):
    issues: list[str]


def _client(settings: Settings) -> openai.OpenAI:
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if not key and not settings.openai_base_url:
        raise GenerationFailed("OPENAI_API_KEY is not set — set it (or OPENAI_BASE_URL for a local server), or use "
                               "the offline provider.")
    return openai.OpenAI(
        api_key=key or "not-needed-for-local-servers",
        base_url=settings.openai_base_url,
        timeout=settings.openai_timeout_seconds,
        max_retries=settings.openai_max_retries,
    )


def _call(client: openai.OpenAI, settings: Settings, schema: type[BaseModel], messages: list[dict[str, str]],
          max_tokens: int | None = None) -> tuple[Any, int]:
    """One structured-output call; returns (parsed, total tokens) or raises GenerationFailed."""
    where = settings.openai_base_url or "api.openai.com"
    try:
        kwargs: dict[str, Any] = {"max_tokens": max_tokens} if max_tokens else {}
        completion = client.chat.completions.parse(
            model=settings.openai_model, messages=messages,  # type: ignore[arg-type]
            response_format=schema, temperature=0.2, **kwargs,
        )
    except openai.APITimeoutError as error:
        raise GenerationFailed(f"The language model did not answer within {settings.openai_timeout_seconds:g}s — "
                               "try again, raise OPENAI_TIMEOUT, or use the offline provider.") from error
    except openai.RateLimitError as error:
        raise GenerationFailed(f"The language model is rate-limited (HTTP 429) after {settings.openai_max_retries} "
                               "retries — wait a minute and try again, or use the offline provider.") from error
    except openai.AuthenticationError as error:
        raise GenerationFailed("The language model rejected the API key (HTTP 401) — check OPENAI_API_KEY.") from error
    except openai.APIStatusError as error:
        raise GenerationFailed(f"The language model service failed (HTTP {error.status_code}) — try again later, "
                               "or use the offline provider.") from error
    except openai.APIConnectionError as error:
        raise GenerationFailed(f"Cannot reach the language model at {where} — check OPENAI_BASE_URL and the "
                               "network, or use the offline provider.") from error
    except (openai.LengthFinishReasonError, openai.ContentFilterFinishReasonError) as error:
        raise GenerationFailed("The language model stopped before finishing its answer (length or content filter) "
                               "— try again, or use the offline provider.") from error
    except (ValidationError, json.JSONDecodeError, ValueError) as error:
        raise GenerationFailed("The language model returned malformed JSON that does not fit the reply schema — "
                               "try again, or use the offline provider.") from error
    if not completion.choices:
        raise GenerationFailed("The language model returned no answer — try again, or use the offline provider.")
    message = completion.choices[0].message
    if message.refusal:
        raise GenerationFailed(f"The language model refused to draft this reply (\"{message.refusal[:120]}\") — "
                               "write it by hand or use the offline provider.")
    if message.parsed is None:
        raise GenerationFailed("The language model returned an empty answer — try again, or use the offline "
                               "provider.")
    tokens = completion.usage.total_tokens if completion.usage else 0
    return message.parsed, tokens


def generate_openai(context: ReplyContext, *, instruction: str | None = None,
                    previous_body: str | None = None, settings: Settings | None = None) -> GeneratedReply:
    settings = settings or get_settings()
    client = _client(settings)
    seeker = detect(context.inbound.body, now=context.inbound.sent_at)
    reply, tokens = _call(client, settings, LlmReply,
                          reply_messages(context, seeker, instruction=instruction, previous_body=previous_body))
    assert isinstance(reply, LlmReply)
    body = reply.body.strip()
    if not body:
        raise GenerationFailed("The language model returned an empty body — try again, or use the offline provider.")
    now = datetime.now(UTC)
    reasoning = _reasoning(reply, context)
    check = check_body(body, context, now=now)
    issues = list(check.issues)
    critique_tokens: int | None = None
    if settings.openai_self_critique:
        try:
            critique, critique_tokens = _call(client, settings, LlmCritique, critique_messages(context, body),
                                              max_tokens=300)
            issues += [f"Self-critique: {i.strip()[:300]}" for i in critique.issues[:5] if i.strip()]
        except GenerationFailed as error:
            # The draft itself is good; a failed second opinion is reported, not fatal.
            issues.append(f"Self-critique unavailable: {error}")
    status = "failed" if check.status == "failed" else ("warnings" if issues else "passed")
    validation = Validation.model_validate({"status": status, "issues": issues, "checkedAt": now,
                                            "coverage": check.coverage}).dump()
    unanswered = sum(1 for i in check.issues if i.startswith("Unanswered"))
    steering = len(injection.flags(context.inbound.body))
    cap = confidence.score(questions=len(seeker.questions), answered=len(seeker.questions) - unanswered,
                           deferred=sum(1 for q in reasoning.questions_addressed if "confirm" in q.answer.lower()),
                           mismatches=len(reasoning.requirement_mismatches), injections=steering)
    metadata = DraftMetadata.model_validate({
        "model": settings.openai_model, "tokensUsed": tokens, "generatedAt": now,
        "validationTokensUsed": critique_tokens, "pipelineVersion": PIPELINE_VERSION, "provider": "openai",
    })
    return GeneratedReply(
        body=body,
        confidence=confidence.with_validation(max(0, min(reply.confidence, cap, 100)), status, len(issues)),
        reasoning=reasoning.dump(),
        metadata=metadata.dump(),
        validation=validation,
    )


def _reasoning(reply: LlmReply, context: ReplyContext) -> Reasoning:
    """The model's reasoning in the seed's shape, plus what code found on its own."""
    raw = reply.reasoning.model_dump()
    for q in raw["questionsAddressed"]:
        q["sourceEmailId"] = context.inbound.id
    known_ids = {("space", s.id) for s in context.spaces} | {("deal", context.deal.id),
                                                             ("email", context.inbound.id)}
    raw["dataUsed"] = [d for d in raw["dataUsed"] if (d["sourceType"], d["sourceId"]) in known_ids]
    # Steering attempts are flagged by code, whatever the model said.
    raw["needsHumanReview"] = list(dict.fromkeys(raw["needsHumanReview"] + injection.flags(context.inbound.body)))
    return Reasoning.model_validate(raw)
