"""Readable messages for constraint violations, keyed by constraint name."""

from __future__ import annotations

from sqlalchemy import exc

from echo_core.errors import InvalidInput

MESSAGES = {
    "ck_deals_team_size_positive": "Team size must be at least 1.",
    "ck_deals_monthly_budget_not_negative": "Monthly budget cannot be negative.",
    "ck_deals_stage_valid": "Stage must be one of inquiry, touring, negotiating, closed.",
    "ck_spaces_monthly_rate_not_negative": "Monthly rate cannot be negative.",
    "ck_deal_spaces_status_valid": "Space status must be one of shown, interested, touring, rejected, selected.",
    "uq_deal_spaces_deal_id_space_id": "That space is already linked to this deal.",
    "ck_email_drafts_status_valid": "Draft status must be one of pending, approved, sent, archived.",
    "ck_email_drafts_confidence_score_range": "Confidence must be between 0 and 100.",
    "ck_email_drafts_regeneration_count_not_negative": "Regeneration count cannot be negative.",
    "ck_email_drafts_current_version_not_negative": "Current version cannot be negative.",
    "ck_email_drafts_archive_category_valid": "Unknown archive reason.",
    "uq_email_drafts_sent_email_id": "That email is already recorded as another draft's sent reply.",
}


def constraint_name(error: exc.IntegrityError) -> str | None:
    diag = getattr(error.orig, "diag", None)
    return getattr(diag, "constraint_name", None)


def explain(error: exc.IntegrityError) -> InvalidInput:
    """One readable line for a constraint violation, naming what to fix."""
    name = constraint_name(error)
    if name in MESSAGES:
        return InvalidInput(MESSAGES[name])
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate == "23503":
        return InvalidInput(f"That refers to a record that does not exist ({name or 'foreign key'}).")
    if sqlstate == "23502":
        column = getattr(getattr(error.orig, "diag", None), "column_name", None)
        return InvalidInput(f"'{column or 'a required field'}' is required.")
    if sqlstate == "23505":
        return InvalidInput(f"That would create a duplicate ({name or 'unique constraint'}).")
    return InvalidInput(f"The database rejected the change ({name or sqlstate}).")
