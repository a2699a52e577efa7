"""Pydantic models of the seed's JSONB shapes.

Every JSONB value written by the app passes through one of these, so a wrong
shape is rejected with a field-level message before it reaches the database.
Unknown keys are kept where the seed calls the shape flexible.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, RootModel, StrictBool, ValidationError, field_validator

from echo_core.errors import InvalidInput

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
M = TypeVar("M", bound=BaseModel)
_SLOT = re.compile(r"^(1[0-2]|0?[1-9])(:[0-5]\d)?\s?(am|pm)$", re.IGNORECASE)


class _Shape(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow", str_max_length=20_000)

    def dump(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, mode="json", exclude_none=True)


class Requirements(_Shape):
    # Strict: "yes" or 1 is a wrong shape, not a flag (the seed stores true/false).
    dog_friendly: StrictBool | None = Field(default=None, alias="dogFriendly")
    parking: StrictBool | None = None
    after_hours: StrictBool | None = Field(default=None, alias="afterHours")
    location: str | None = Field(default=None, max_length=255)


class Amenities(RootModel[dict[str, StrictBool]]):
    def dump(self) -> dict[str, bool]:
        return dict(self.root)


class Availability(RootModel[dict[str, list[str]]]):
    """Weekday name -> bookable tour start times such as "2pm" or "10:30am"."""

    @field_validator("root")
    @classmethod
    def _weekdays_and_times(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        cleaned: dict[str, list[str]] = {}
        for day, slots in value.items():
            key = day.strip().lower()
            if key not in WEEKDAYS:
                raise ValueError(f"'{day}' is not a weekday name (use monday … sunday)")
            for slot in slots:
                if not _SLOT.match(slot.strip()):
                    raise ValueError(f"'{slot}' on {key} is not a time like 2pm or 10:30am")
            cleaned[key] = [s.strip().lower().replace(" ", "") for s in slots]
        return cleaned

    def dump(self) -> dict[str, list[str]]:
        return dict(self.root)


class ParkingDetails(_Shape):
    type: str | None = None
    location: str | None = None
    cost_monthly: float | None = Field(default=None, alias="costMonthly", ge=0)
    cost_per_day: float | None = Field(default=None, alias="costPerDay", ge=0)
    spots_available: int | None = Field(default=None, alias="spotsAvailable", ge=0)
    provider: str | None = None
    shared_spots: bool | None = Field(default=None, alias="sharedSpots")
    note: str | None = None


class DogPolicy(_Shape):
    allowed: bool
    reason: str | None = None
    flexibility: str | None = None
    alternative: str | None = None
    size_limit: str | None = Field(default=None, alias="sizeLimit")
    deposit: float | None = Field(default=None, ge=0)
    note: str | None = None


class AccessDetails(_Shape):
    system: str | None = None
    cost_per_card: float | None = Field(default=None, alias="costPerCard", ge=0)
    cost: float | None = Field(default=None, ge=0)
    process: str | None = None
    hours: str | None = None
    after_hours: bool | None = Field(default=None, alias="afterHours")
    advance_notice: str | None = Field(default=None, alias="advanceNotice")
    security_contact: str | None = Field(default=None, alias="securityContact")


class MeetingRooms(_Shape):
    count: int = Field(ge=0)
    sizes: list[int] = Field(default_factory=list)
    booking_system: str | None = Field(default=None, alias="bookingSystem")
    max_hours_per_booking: float | None = Field(default=None, alias="maxHoursPerBooking", ge=0)
    note: str | None = None


class RentInclusions(_Shape):
    utilities: bool | None = None
    internet: str | None = None
    janitorial: str | None = None
    hvac: bool | None = None
    kitchen: str | None = None


class DetailedAmenities(_Shape):
    parking: ParkingDetails | None = None
    dog_policy: DogPolicy | None = Field(default=None, alias="dogPolicy")
    access: AccessDetails | None = None
    meeting_rooms: MeetingRooms | None = Field(default=None, alias="meetingRooms")
    rent_inclusions: RentInclusions | None = Field(default=None, alias="rentInclusions")
    host_status: str | None = Field(default=None, alias="hostStatus")
    last_contact: str | None = Field(default=None, alias="lastContact")


class QuestionAddressed(_Shape):
    question: str
    answer: str
    source_email_id: int | None = Field(default=None, alias="sourceEmailId")
    source_text: str | None = Field(default=None, alias="sourceText")


class DataUsed(_Shape):
    data_point: str = Field(alias="dataPoint")
    source_type: Literal["space", "deal", "email"] | None = Field(default=None, alias="sourceType")
    source_id: int | None = Field(default=None, alias="sourceId")
    field_path: str | None = Field(default=None, alias="fieldPath")
    value: Any = None


class Reasoning(_Shape):
    questions_addressed: list[QuestionAddressed] = Field(default_factory=list, alias="questionsAddressed")
    data_used: list[DataUsed] = Field(default_factory=list, alias="dataUsed")
    scheduling_logic: list[str] = Field(default_factory=list, alias="schedulingLogic")
    needs_human_review: list[str] = Field(default_factory=list, alias="needsHumanReview")
    requirement_mismatches: list[str] = Field(default_factory=list, alias="requirementMismatches")


class DraftMetadata(_Shape):
    model: str
    tokens_used: int = Field(default=0, alias="tokensUsed", ge=0)
    generated_at: datetime = Field(alias="generatedAt")
    validation_tokens_used: int | None = Field(default=None, alias="validationTokensUsed", ge=0)
    pipeline_version: str | None = Field(default=None, alias="pipelineVersion")
    provider: str | None = None
    # The model's own confidence (0-100) before the checks capped it, and the structured-output rung used.
    model_confidence: int | None = Field(default=None, alias="modelConfidence", ge=0, le=100)
    structured_output: Literal["json_schema", "json_object", "prompt"] | None = Field(
        default=None, alias="structuredOutput")


class Coverage(_Shape):
    """The coverage check: does the current text still answer or defer each of the seeker's asks?

    Stored inside `validation` so that every place that re-validates a draft refreshes it too.
    """

    status: Literal["complete", "incomplete"]
    asks: int = Field(default=0, ge=0)
    unanswered: list[str] = Field(default_factory=list)


class Validation(_Shape):
    status: Literal["passed", "warnings", "failed"]
    issues: list[str] = Field(default_factory=list)
    checked_at: datetime = Field(alias="checkedAt")
    coverage: Coverage | None = None


class DraftVersion(_Shape):
    version: int = Field(ge=0)
    body: str
    prompt: str | None = None
    confidence: int = Field(ge=0, le=100)
    reasoning: Reasoning = Field(default_factory=Reasoning)
    metadata: DraftMetadata | None = None
    created_at: datetime = Field(alias="createdAt")


class TimeSaved(_Shape):
    traditional: float = Field(ge=0)
    with_ai: float = Field(alias="withAI", ge=0)


class EmailAiMetadata(_Shape):
    confidence: int | None = Field(default=None, ge=0, le=100)
    reasoning: dict[str, Any] | None = None
    suggested_actions: list[str] | None = Field(default=None, alias="suggestedActions")
    time_saved: TimeSaved | None = Field(default=None, alias="timeSaved")


def parse(model: type[M], value: Any, *, what: str) -> M:
    """Validate `value` as `model`, turning pydantic's report into one readable line."""
    try:
        parsed = model.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "value"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise InvalidInput(f"Invalid {what}: {where}: {first['msg']}{more}.") from None
    if "\\u0000" in parsed.model_dump_json():  # PostgreSQL's jsonb cannot store a NUL character
        raise InvalidInput(f"Invalid {what}: a text contains a NUL character — remove control characters.")
    return parsed
