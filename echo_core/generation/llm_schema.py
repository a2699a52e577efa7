"""The JSON shapes a language model must fill: the reply and the self-critique.

One pydantic model per shape serves every structured-output rung: its JSON schema is
sent to servers that enforce it, described in the prompt for those that do not, and
validates the answer whichever rung produced it. Parsing is forgiving where a small
model's slip costs nothing (a missing list is empty, an extra key is dropped, a 0-1
confidence is a fraction) and strict where the value matters (a body is required).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


def normalise_confidence(value: Any) -> int | None:
    """The model's confidence on the 0-100 scale, or None when it gave no usable number.

    A float between 0 and 1 is a fraction (0.9 means 90); anything else is clamped to
    0-100, so no model answer can push a stored confidence out of range.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        text = value.strip().rstrip("%").strip()
        try:
            value = float(text) if "." in text else int(text)
        except ValueError:
            return None
    if not isinstance(value, int | float) or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, float) and 0 < value <= 1:
        value *= 100
    return int(round(max(0.0, min(100.0, float(value)))))


Confidence = Annotated[
    int | None,
    BeforeValidator(normalise_confidence),
    WithJsonSchema({"type": "number", "description": "0-100; low when anything is unconfirmed"}),
]


def at_most(count: int) -> Any:
    """A list bound: `maxItems` in the schema for grammar-enforcing servers (a small model otherwise repeats an
    item until its token limit), and extra items dropped when a server did not enforce it."""
    return (Field(json_schema_extra={"maxItems": count}),
            BeforeValidator(lambda value: value[:count] if isinstance(value, list) else value))


class LlmQuestion(_Answer):
    question: str
    answer: str
    sourceText: str = ""  # noqa: N815 - the seed's camelCase shape


class LlmData(_Answer):
    dataPoint: str  # noqa: N815
    sourceType: Literal["space", "deal", "email"]  # noqa: N815
    sourceId: int  # noqa: N815
    fieldPath: str  # noqa: N815
    value: str


class LlmReasoning(_Answer):
    questionsAddressed: Annotated[list[LlmQuestion], *at_most(8)] = Field(default_factory=list)  # noqa: N815
    dataUsed: Annotated[list[LlmData], *at_most(12)] = Field(default_factory=list)  # noqa: N815
    schedulingLogic: Annotated[list[str], *at_most(3)] = Field(default_factory=list)  # noqa: N815
    needsHumanReview: Annotated[list[str], *at_most(5)] = Field(default_factory=list)  # noqa: N815
    requirementMismatches: Annotated[list[str], *at_most(5)] = Field(default_factory=list)  # noqa: N815


class LlmReply(_Answer):
    """The one shape the model must fill for a reply: body, confidence and reasoning."""

    body: str = Field(description="the reply email, plain text")
    confidence: Confidence = None
    reasoning: LlmReasoning = Field(default_factory=LlmReasoning)


class LlmCritique(_Answer):
    """The self-critique: the draft's problems, an empty list when it is accurate."""

    issues: Annotated[list[str], *at_most(5)] = Field(default_factory=list)
