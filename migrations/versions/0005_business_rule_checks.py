"""CHECK constraints for the seed's business rules, and one link per deal and space.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHECKS = [
    ("deals", "team_size_positive", "team_size > 0"),
    ("deals", "monthly_budget_not_negative", "monthly_budget >= 0"),
    ("deals", "stage_valid", "stage IN ('inquiry', 'touring', 'negotiating', 'closed')"),
    ("spaces", "monthly_rate_not_negative", "monthly_rate >= 0"),
    ("deal_spaces", "status_valid", "status IN ('shown', 'interested', 'touring', 'rejected', 'selected')"),
    ("email_drafts", "status_valid", "status IN ('pending', 'approved', 'sent', 'archived')"),
    ("email_drafts", "confidence_score_range", "confidence_score BETWEEN 0 AND 100"),
    ("email_drafts", "regeneration_count_not_negative", "regeneration_count >= 0"),
    ("email_drafts", "current_version_not_negative", "current_version >= 0"),
]


def upgrade() -> None:
    for table, name, condition in CHECKS:
        op.create_check_constraint(op.f(f"ck_{table}_{name}"), table, condition)
    op.create_unique_constraint(op.f("uq_deal_spaces_deal_id_space_id"), "deal_spaces", ["deal_id", "space_id"])


def downgrade() -> None:
    op.drop_constraint(op.f("uq_deal_spaces_deal_id_space_id"), "deal_spaces", type_="unique")
    for table, name, _ in reversed(CHECKS):
        op.drop_constraint(op.f(f"ck_{table}_{name}"), table, type_="check")
