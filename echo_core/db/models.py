"""SQLAlchemy models of the seed's five tables plus the lifecycle additions.

Migrations own the schema; these models mirror it so `alembic check` stays
clean. Every addition to a seed table is nullable or has a server default.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from echo_core.lifecycle import ARCHIVE_CATEGORIES as ARCHIVE_CATEGORIES  # re-exported for older imports
from echo_core.lifecycle import DRAFT_STATUSES as DRAFT_STATUSES

NAMING_CONVENTION = {
    "ix": "idx_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    # The seed's own foreign key names, e.g. deal_spaces_deal_id_deals_id_fk.
    "fk": "%(table_name)s_%(column_0_name)s_%(referred_table_name)s_%(referred_column_0_name)s_fk",
    "pk": "%(table_name)s_pkey",
}

DEAL_STAGES = ("inquiry", "touring", "negotiating", "closed")
DEAL_SPACE_STATUSES = ("shown", "interested", "touring", "rejected", "selected")
OUTBOX_STATUSES = ("queued", "sending", "delivered", "failed")
USER_ROLES = ("broker", "lead", "analyst")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _created_at() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


class Deal(Base):
    __tablename__ = "deals"
    __table_args__ = (
        CheckConstraint("team_size > 0", name="team_size_positive"),
        CheckConstraint("monthly_budget >= 0", name="monthly_budget_not_negative"),
        CheckConstraint(_in("stage", DEAL_STAGES), name="stage_valid"),
        Index("idx_deals_requirements", "requirements", postgresql_using="gin"),
        # Page indexes (revision 0010): newest-first keyset pages, the deal picker's order, name search.
        Index("idx_deals_created_at_id", "created_at", "id"),
        Index("idx_deals_company_name_id", "company_name", "id"),
        Index("idx_deals_company_name_trgm", "company_name", postgresql_using="gin",
              postgresql_ops={"company_name": "gin_trgm_ops"}),
        Index("idx_deals_seeker_name_trgm", "seeker_name", postgresql_using="gin",
              postgresql_ops={"seeker_name": "gin_trgm_ops"}),
        Index("idx_deals_owner_id", "owner_id"),  # revision 0012: the queue's Mine / Unassigned views
        # Revision 0020: Mail's "new inquiries to complete", the few flagged deals only, newest first.
        Index("idx_deals_needs_completion_created_at_id", "created_at", "id",
              postgresql_where=text("needs_completion")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeker_name: Mapped[str] = mapped_column(String(255))
    seeker_email: Mapped[str] = mapped_column(String(255))
    company_name: Mapped[str] = mapped_column(String(255))
    team_size: Mapped[int] = mapped_column(Integer)
    monthly_budget: Mapped[int] = mapped_column(Integer)
    requirements: Mapped[dict[str, Any]] = mapped_column(JSONB)
    stage: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = _created_at()
    # Addition (revision 0008): created from an unknown sender's mail; a broker fills in the placeholders.
    needs_completion: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # Addition (revision 0012): the owning broker; NULL = unassigned.
    # Named here: User is defined below, so the naming convention cannot look the referred column up yet.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", name="deals_owner_id_users_id_fk"))
    # Addition (revision 0014): optimistic locking, like email_drafts.lock_version.
    lock_version: Mapped[int] = mapped_column(Integer, server_default=text("1"))


class Space(Base):
    __tablename__ = "spaces"
    __table_args__ = (
        CheckConstraint("monthly_rate >= 0", name="monthly_rate_not_negative"),
        Index("idx_spaces_amenities", "amenities", postgresql_using="gin"),
        Index("idx_spaces_created_at_id", "created_at", "id"),  # revision 0010: keyset pages
        Index("idx_spaces_monthly_rate_id", "monthly_rate", "id"),  # revision 0015: fitting spaces, cheapest first
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    address: Mapped[str] = mapped_column(Text)
    neighborhood: Mapped[str | None] = mapped_column(String(100))
    host_company: Mapped[str] = mapped_column(String(255))
    host_email: Mapped[str] = mapped_column(String(255))
    host_context: Mapped[str | None] = mapped_column(Text)
    amenities: Mapped[dict[str, Any]] = mapped_column(JSONB)
    availability: Mapped[dict[str, Any]] = mapped_column(JSONB)
    monthly_rate: Mapped[int] = mapped_column(Integer)
    detailed_amenities: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = _created_at()
    # Addition (revision 0014): optimistic locking, like email_drafts.lock_version.
    lock_version: Mapped[int] = mapped_column(Integer, server_default=text("1"))


class Email(Base):
    __tablename__ = "emails"
    __table_args__ = (
        Index("idx_emails_deal_id", "deal_id"),
        Index("idx_emails_sent_at", "sent_at"),
        Index("idx_emails_deal_sent", "deal_id", "sent_at"),
        # Dedup by Message-ID (revision 0008): the database refuses a second copy.
        Index("uq_emails_message_id", "message_id", unique=True, postgresql_where=text("message_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    from_addr: Mapped[str] = mapped_column("from", String(255))
    to_addr: Mapped[str] = mapped_column("to", String(255))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    ai_generated: Mapped[bool | None] = mapped_column(Boolean, server_default=text("false"))
    ai_metadata: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # Additions (revision 0008): real mail headers, the untrimmed body, attachments listed (not stored).
    message_id: Mapped[str | None] = mapped_column(String(998))
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references_header: Mapped[str | None] = mapped_column(Text)
    original_body: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)


class DealSpace(Base):
    __tablename__ = "deal_spaces"
    __table_args__ = (
        CheckConstraint(_in("status", DEAL_SPACE_STATUSES), name="status_valid"),
        UniqueConstraint("deal_id", "space_id"),
        Index("idx_deal_spaces_deal_id", "deal_id"),
        Index("idx_deal_spaces_space_id", "space_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id"))
    status: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = _created_at()


class EmailDraft(Base):
    __tablename__ = "email_drafts"
    __table_args__ = (
        CheckConstraint(_in("status", DRAFT_STATUSES), name="status_valid"),
        CheckConstraint("confidence_score BETWEEN 0 AND 100", name="confidence_score_range"),
        CheckConstraint("regeneration_count >= 0", name="regeneration_count_not_negative"),
        CheckConstraint("current_version >= 0", name="current_version_not_negative"),
        CheckConstraint(
            f"archive_category IS NULL OR {_in('archive_category', ARCHIVE_CATEGORIES)}",
            name="archive_category_valid",
        ),
        Index("idx_email_drafts_deal_id", "deal_id"),
        Index("idx_email_drafts_inbound_email_id", "inbound_email_id"),
        Index("idx_email_drafts_status", "status"),
        Index("idx_email_drafts_reasoning", "reasoning", postgresql_using="gin"),
        Index("idx_email_drafts_deal_status", "deal_id", "status"),
        # Page indexes (revision 0010): the review queue's default filter (same literal predicate as the
        # query), any other status set, no status filter.
        Index("idx_email_drafts_open_queue", "created_at", "id",
              postgresql_where=text("status::text IN ('pending', 'approved')")),
        Index("idx_email_drafts_status_created_at_id", "status", "created_at", "id"),
        Index("idx_email_drafts_created_at_id", "created_at", "id"),
        # One email row per draft, whatever races: the database backs exactly-once sends.
        Index(
            "uq_email_drafts_sent_email_id",
            "sent_email_id",
            unique=True,
            postgresql_where=text("sent_email_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    inbound_email_id: Mapped[int] = mapped_column(ForeignKey("emails.id"))
    ai_generated_body: Mapped[str] = mapped_column(Text)
    edited_body: Mapped[str | None] = mapped_column(Text)
    final_body: Mapped[str | None] = mapped_column(Text)
    confidence_score: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(50), server_default=text("'pending'"))
    reasoning: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    metadata_: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSONB)
    validation: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    regeneration_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_regeneration_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    current_version: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    draft_versions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = _created_at()
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_email_id: Mapped[int | None] = mapped_column(ForeignKey("emails.id"))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    archived_by: Mapped[str | None] = mapped_column(String(255))
    archive_reason: Mapped[str | None] = mapped_column(Text)
    # Additions (revision 0006): optimistic locking and restore bookkeeping.
    lock_version: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    archived_from_status: Mapped[str | None] = mapped_column(String(50))
    archive_category: Mapped[str | None] = mapped_column(String(50))


class DraftStatusCount(Base):
    """Drafts per status as delta rows (revision 0010): a trigger on email_drafts inserts them and
    folds them now and then; the count of a status is the sum of its rows."""

    __tablename__ = "draft_status_counts"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    status: Mapped[str] = mapped_column(String(50))
    drafts: Mapped[int] = mapped_column(BigInteger)


class DraftEvent(Base):
    """Append-only audit trail: one row per action on a draft."""

    __tablename__ = "draft_events"
    __table_args__ = (Index("idx_draft_events_draft_id_created_at", "draft_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("email_drafts.id"))
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(50))
    from_status: Mapped[str | None] = mapped_column(String(50))
    to_status: Mapped[str | None] = mapped_column(String(50))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    created_at: Mapped[datetime] = _created_at()


class Outbox(Base):
    """A sent reply waiting for (or done with) delivery; headers and text live on the email row."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(_in("status", OUTBOX_STATUSES), name="status_valid"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        UniqueConstraint("email_id"),
        # The worker's claim query: due queued rows, and sending rows whose lease ran out.
        Index("idx_outbox_next_attempt_at", "next_attempt_at", postgresql_where=text("status = 'queued'")),
        Index("idx_outbox_locked_until", "locked_until", postgresql_where=text("status = 'sending'")),
        Index("idx_outbox_draft_id", "draft_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("emails.id"))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("email_drafts.id"))
    status: Mapped[str] = mapped_column(String(20), server_default=text("'queued'"))
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_via: Mapped[str | None] = mapped_column(String(255))
    # Crash recovery: a claimed row whose lease has run out may be claimed again.
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = _created_at()


class User(Base):
    """An account (revision 0009): sign-in for the dashboard, and the role behind the CLI's --by."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_in("role", USER_ROLES), name="role_valid"),
        # Stored lower-case, so the unique constraint is case-insensitive.
        CheckConstraint("email = lower(btrim(email))", name="email_lower_case"),
        CheckConstraint("failed_attempts >= 0", name="failed_attempts_not_negative"),
        UniqueConstraint("email"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(Text)  # NULL: signs in through OIDC only
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    failed_attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created_at()
    # Addition (revision 0014): optimistic locking of role and active (sign-in bookkeeping does not bump it).
    lock_version: Mapped[int] = mapped_column(Integer, server_default=text("1"))


class SpaceAmenityFlag(Base):
    """How many spaces carry each amenity key (revision 0015): kept exact by a trigger on spaces."""

    __tablename__ = "space_amenity_flags"

    flag: Mapped[str] = mapped_column(Text, primary_key=True)
    spaces: Mapped[int] = mapped_column(Integer, server_default=text("0"))


# Analytics rollups (revisions 0011, 0021): kept by triggers on email_drafts, draft_events and emails, read by
# echo_core.queries.analytics. grain 'd' = a UTC day, 'w' = an ISO week (period = its Monday), 'm' = a calendar
# month (period = its first day); broker '' = the whole team. A key may have several delta rows (writers never
# wait on each other): readers sum them.


class AnalyticsDraftBroker(Base):
    """Who acted on which draft (from draft_events): a broker's analytics cover these drafts."""

    __tablename__ = "analytics_draft_brokers"

    draft_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broker: Mapped[str] = mapped_column(String(255), primary_key=True)


class _Rollup:
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    grain: Mapped[str] = mapped_column(String(1))
    period: Mapped[date] = mapped_column(Date)


class AnalyticsDraftRollup(_Rollup, Base):
    """Drafts created in a period per confidence bucket, outcome, fact-check status and archive category."""

    __tablename__ = "analytics_draft_rollup"
    __table_args__ = (
        CheckConstraint("grain IN ('d', 'w', 'm')", name="grain_valid"),
        Index("idx_analytics_draft_rollup_broker_grain_period", "broker", "grain", "period"),
    )

    broker: Mapped[str] = mapped_column(String(255))
    bucket: Mapped[int] = mapped_column(SmallInteger)
    outcome: Mapped[str] = mapped_column(String(10))  # 'sent', 'archived' or '' (still open)
    validation: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(50))  # '' unless archived
    drafts: Mapped[int] = mapped_column(BigInteger)
    approved: Mapped[int] = mapped_column(BigInteger)
    sent: Mapped[int] = mapped_column(BigInteger)
    archived: Mapped[int] = mapped_column(BigInteger)
    decided: Mapped[int] = mapped_column(BigInteger)
    sent_unedited: Mapped[int] = mapped_column(BigInteger)
    confidence_sum: Mapped[int] = mapped_column(BigInteger)
    refinements_sum: Mapped[int] = mapped_column(BigInteger)
    similarity_n: Mapped[int] = mapped_column(BigInteger)  # edited sends, each measured once
    similarity_sum: Mapped[float] = mapped_column(Float)


class AnalyticsDurationRollup(_Rollup, Base):
    """Draft→review and draft→send durations: a histogram of 8 log-spaced steps per doubling."""

    __tablename__ = "analytics_duration_rollup"
    __table_args__ = (
        CheckConstraint("grain IN ('d', 'w', 'm')", name="grain_valid"),
        Index("idx_analytics_duration_rollup_broker_grain_period", "broker", "grain", "period"),
    )

    broker: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))  # 'review' or 'send'
    step: Mapped[int] = mapped_column(SmallInteger)
    drafts: Mapped[int] = mapped_column(BigInteger)


class AnalyticsActivityRollup(_Rollup, Base):
    """Audit events per actor and action."""

    __tablename__ = "analytics_activity_rollup"
    __table_args__ = (
        CheckConstraint("grain IN ('d', 'w', 'm')", name="grain_valid"),
        Index("idx_analytics_activity_rollup_grain_period_actor", "grain", "period", "actor"),
    )

    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(50))
    actions: Mapped[int] = mapped_column(BigInteger)


class AnalyticsTimeSavedRollup(_Rollup, Base):
    """ai_metadata.timeSaved of emails by sent day; a broker's rows: the replies to drafts they acted on."""

    __tablename__ = "analytics_time_saved_rollup"
    __table_args__ = (
        CheckConstraint("grain IN ('d', 'w', 'm')", name="grain_valid"),
        Index("idx_analytics_time_saved_rollup_broker_grain_period", "broker", "grain", "period"),
    )

    broker: Mapped[str] = mapped_column(String(255))
    emails: Mapped[int] = mapped_column(BigInteger)
    measured: Mapped[int] = mapped_column(BigInteger)  # emails whose minutes are numbers
    minutes: Mapped[float] = mapped_column(Float)


# Revision 0012: ownership audit, web sessions, presence and full-text search.

DEAL_EVENT_ACTIONS = ("assigned", "unassigned")
SESSION_END_REASONS = ("signed_out", "disabled", "role_changed", "password_changed")


class DealEvent(Base):
    """Append-only audit trail of deal ownership (who assigned which deal to whom)."""

    __tablename__ = "deal_events"
    __table_args__ = (
        CheckConstraint(_in("action", DEAL_EVENT_ACTIONS), name="action_valid"),
        Index("idx_deal_events_deal_id_created_at", "deal_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(50))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    created_at: Mapped[datetime] = _created_at()


class WebSession(Base):
    """The server side of the dashboard's session cookie: only a hash of the token is stored.

    `handoff_hash` is a one-time code (seconds long) the browser exchanges for the HttpOnly cookie;
    `role` is the role at sign-in, so a role change by any route ends the session.
    """

    __tablename__ = "web_sessions"
    __table_args__ = (
        CheckConstraint(f"revoked_reason IS NULL OR {_in('revoked_reason', SESSION_END_REASONS)}",
                        name="revoked_reason_valid"),
        CheckConstraint("(revoked_at IS NULL) = (revoked_reason IS NULL)", name="revoked_with_reason"),
        UniqueConstraint("token_hash"),
        Index("uq_web_sessions_handoff_hash", "handoff_hash", unique=True,
              postgresql_where=text("handoff_hash IS NOT NULL")),
        Index("idx_web_sessions_user_id", "user_id", postgresql_where=text("revoked_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64))
    handoff_hash: Mapped[str | None] = mapped_column(String(64))
    handoff_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = _created_at()
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(30))
    user_agent: Mapped[str | None] = mapped_column(String(255))


class DraftPresence(Base):
    """Who has which draft open: a row per (draft, person), refreshed by a heartbeat; stale rows mean gone."""

    __tablename__ = "draft_presence"
    __table_args__ = (Index("idx_draft_presence_seen_at", "seen_at"),)

    draft_id: Mapped[int] = mapped_column(ForeignKey("email_drafts.id", ondelete="CASCADE"), primary_key=True)
    actor: Mapped[str] = mapped_column(String(255), primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SearchDocument(Base):
    """One searchable document per email and per draft, kept by triggers (revision 0012).

    `vector` holds the words of the document's subject and body and of its deal's company and seeker,
    so one `@@ websearch_to_tsquery(...)` over one GIN index answers the search box.
    """

    __tablename__ = "search_documents"
    __table_args__ = (
        CheckConstraint("kind IN ('email', 'draft')", name="kind_valid"),
        Index("idx_search_documents_vector", "vector", postgresql_using="gin"),
        Index("idx_search_documents_at_kind_ref_id", "at", "kind", "ref_id"),
    )

    kind: Mapped[str] = mapped_column(String(5), primary_key=True)
    ref_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    vector: Mapped[str] = mapped_column(TSVECTOR)


# The running system's tables (revision 0013) live in their own module; importing it here puts them in
# Base.metadata wherever the models are loaded (Alembic, drift checks, grants).
from echo_core.db import models_audit as models_audit  # noqa: E402 - revision 0014: the audit trail
from echo_core.db import models_counts as models_counts  # noqa: E402  (revision 0019: drafts per owner and status)
from echo_core.db import models_ops as models_ops  # noqa: E402
from echo_core.db import models_security as models_security  # noqa: E402  (revision 0016: sign-in throttle)
