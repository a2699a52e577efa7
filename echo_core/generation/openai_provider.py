"""The OpenAI provider: one pydantic schema for the answer, checked by code afterwards.

Works with OpenAI and any OpenAI-compatible server (OPENAI_BASE_URL: Ollama, vLLM,
llama.cpp, llama-cpp-python): `llm_client.ask` finds the structured-output rung the
server accepts and keeps every call inside its token limit and timeout. Email text and
database facts enter the prompt only inside delimited data blocks; the model's answer
is normalised into the seed's shapes and fact-checked by the deterministic validator.
Its confidence is clamped at this boundary and can only be lowered by the checks.
Every failure becomes one GenerationFailed with a readable message; nothing is stored here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from echo_core.config import Settings, get_settings
from echo_core.errors import GenerationFailed
from echo_core.generation import PIPELINE_VERSION, confidence, injection
from echo_core.generation.checks import check_body
from echo_core.generation.context import ReplyContext
from echo_core.generation.llm_client import ask, make_client
from echo_core.generation.llm_schema import LlmCritique, LlmReply
from echo_core.generation.prompt import critique_messages, reply_messages
from echo_core.generation.questions import detect
from echo_core.generation.types import GeneratedReply
from echo_core.schemas import DraftMetadata, Reasoning, Validation


def generate_openai(context: ReplyContext, *, instruction: str | None = None,
                    previous_body: str | None = None, settings: Settings | None = None) -> GeneratedReply:
    settings = settings or get_settings()
    client = make_client(settings)
    seeker = detect(context.inbound.body, now=context.inbound.sent_at)
    answer = ask(client, settings, LlmReply,
                 reply_messages(context, seeker, instruction=instruction, previous_body=previous_body),
                 name="reply", max_tokens=settings.openai_max_tokens, limit_setting="OPENAI_MAX_TOKENS")
    reply = answer.parsed
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
            critique = ask(client, settings, LlmCritique, critique_messages(context, body), name="critique",
                           max_tokens=settings.openai_critique_max_tokens, limit_setting="OPENAI_CRITIQUE_MAX_TOKENS")
            critique_tokens = critique.total_tokens
            issues += [f"Self-critique: {i.strip()[:300]}" for i in critique.parsed.issues[:5] if i.strip()]
        except GenerationFailed as error:
            # The draft itself is good; a failed second opinion is reported, not fatal.
            issues.append(f"Self-critique unavailable: {error}")
    status = "failed" if check.status == "failed" else ("warnings" if issues else "passed")
    # The fact check's own result (coverage included, when it has one) with the critique's issues added.
    validation = Validation.model_validate({**check.dump(), "status": status, "issues": issues,
                                            "checkedAt": now}).dump()
    unanswered = sum(1 for i in check.issues if i.startswith("Unanswered"))
    flags = injection.flags(context.inbound.body + "\n" + context.inbound.subject,
                            seeker_email=context.deal.seeker_email)
    allowed = confidence.score(questions=len(seeker.questions), answered=len(seeker.questions) - unanswered,
                               deferred=sum(1 for q in reasoning.questions_addressed if "confirm" in q.answer.lower()),
                               mismatches=len(reasoning.requirement_mismatches), injections=len(flags))
    said = reply.confidence  # already on 0-100 (llm_schema.normalise_confidence), or None
    # The same rule as every provider: the model's figure, capped by the checks (fact check, coverage, flags).
    verdict = confidence.final(allowed if said is None else min(said, allowed), validation=validation, flags=flags)
    shown = verdict.shown
    metadata = DraftMetadata.model_validate({
        "model": settings.openai_model, "tokensUsed": answer.total_tokens, "generatedAt": now,
        "validationTokensUsed": critique_tokens, "pipelineVersion": PIPELINE_VERSION, "provider": "openai",
        "modelConfidence": said, "checksAllowConfidence": verdict.allowed, "structuredOutput": answer.mode,
    })
    return GeneratedReply(
        body=body,
        confidence=max(0, min(100, shown)),  # whatever a policy computes, the stored value stays in range
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
