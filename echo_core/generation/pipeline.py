"""The two entry points the rest of the core calls: generate a reply, check a body.

`generate_reply` loads the context, runs the chosen provider (offline rules by
default, OpenAI when configured) and checks the result (checks.check_body: the
fact check plus the coverage check); nothing is written here, so a failure leaves
the database untouched. `validate_body` is what every service re-runs at edit,
refinement, version switch and approval.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from echo_core.config import get_settings
from echo_core.errors import InvalidInput
from echo_core.generation import PIPELINE_VERSION, composer, confidence, injection
from echo_core.generation.checks import check_body
from echo_core.generation.context import ReplyContext, load_context
from echo_core.generation.types import GeneratedReply
from echo_core.schemas import DraftMetadata

OFFLINE_MODEL = "offline-rules"
PROVIDERS = ("offline", "openai")


def generate_offline(context: ReplyContext, *, instruction: str | None = None) -> GeneratedReply:
    """The rules composer plus the fact check: pure, deterministic, milliseconds."""
    now = datetime.now(UTC)
    composed = composer.compose(context, instruction=instruction)
    check = check_body(composed.body, context, now=now)
    flags = injection.flags(context.inbound.body + "\n" + context.inbound.subject,
                            seeker_email=context.deal.seeker_email)
    verdict = confidence.final(composed.confidence, validation=check, flags=flags)
    metadata = DraftMetadata.model_validate({
        "model": OFFLINE_MODEL, "tokensUsed": 0, "generatedAt": now, "pipelineVersion": PIPELINE_VERSION,
        "provider": "offline", **verdict.metadata(),
    })
    return GeneratedReply(
        body=composed.body,
        confidence=verdict.shown,
        reasoning=composed.reasoning.dump(),
        metadata=metadata.dump(),
        validation=check.dump(),
    )


def generate_reply(
    session: Session,
    *,
    inbound_email_id: int,
    provider: str | None = None,
    instruction: str | None = None,
    previous_body: str | None = None,
) -> GeneratedReply:
    """Draft a reply to one inbound email. Raises GenerationFailed (openai), NotFound or InvalidInput."""
    chosen = provider or get_settings().default_provider
    if chosen not in PROVIDERS:
        raise InvalidInput(f"Unknown provider '{chosen}' — use one of: {', '.join(PROVIDERS)}.")
    context = load_context(session, inbound_email_id=inbound_email_id)
    if chosen == "openai":
        from echo_core.generation.openai_provider import generate_openai

        return generate_openai(context, instruction=instruction, previous_body=previous_body)
    return generate_offline(context, instruction=instruction)


def validate_body(session: Session, *, deal_id: int, inbound_email_id: int, body: str) -> dict[str, Any]:
    """The seed's validation shape (plus `coverage`) for `body`, checked against today's data and the seeker's asks."""
    context = load_context(session, inbound_email_id=inbound_email_id)
    if context.deal.id != deal_id:
        raise InvalidInput(f"Email {inbound_email_id} belongs to deal {context.deal.id}, not deal {deal_id}.")
    return check_body(body, context).dump()
