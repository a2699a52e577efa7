"""The live schema carries the seed appendix exactly: every table, column, type, nullability, default and FK."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text

# (column, type as information_schema reports it, nullable, default fragment or None)
TS = "timestamp with time zone"  # the seed's `timestamp`; timestamptz is allowed
SEED_APPENDIX: dict[str, list[tuple[str, str, bool, str | None]]] = {
    "deals": [
        ("id", "integer", False, "nextval"),
        ("seeker_name", "character varying(255)", False, None),
        ("seeker_email", "character varying(255)", False, None),
        ("company_name", "character varying(255)", False, None),
        ("team_size", "integer", False, None),
        ("monthly_budget", "integer", False, None),
        ("requirements", "jsonb", False, None),
        ("stage", "character varying(50)", False, None),
        ("created_at", TS, False, "now()"),
    ],
    "spaces": [
        ("id", "integer", False, "nextval"),
        ("name", "character varying(255)", False, None),
        ("address", "text", False, None),
        ("neighborhood", "character varying(100)", True, None),
        ("host_company", "character varying(255)", False, None),
        ("host_email", "character varying(255)", False, None),
        ("host_context", "text", True, None),
        ("amenities", "jsonb", False, None),
        ("availability", "jsonb", False, None),
        ("monthly_rate", "integer", False, None),
        ("detailed_amenities", "jsonb", True, None),
        ("created_at", TS, False, "now()"),
    ],
    "emails": [
        ("id", "integer", False, "nextval"),
        ("deal_id", "integer", False, None),
        ("from", "character varying(255)", False, None),
        ("to", "character varying(255)", False, None),
        ("subject", "text", False, None),
        ("body", "text", False, None),
        ("sent_at", TS, False, "now()"),
        ("ai_generated", "boolean", True, "false"),
        ("ai_metadata", "jsonb", True, None),
    ],
    "deal_spaces": [
        ("id", "integer", False, "nextval"),
        ("deal_id", "integer", False, None),
        ("space_id", "integer", False, None),
        ("status", "character varying(50)", False, None),
        ("created_at", TS, False, "now()"),
    ],
    "email_drafts": [
        ("id", "integer", False, "nextval"),
        ("deal_id", "integer", False, None),
        ("inbound_email_id", "integer", False, None),
        ("ai_generated_body", "text", False, None),
        ("edited_body", "text", True, None),
        ("final_body", "text", True, None),
        ("confidence_score", "integer", False, None),
        ("status", "character varying(50)", False, "'pending'"),
        ("reasoning", "jsonb", True, None),
        ("metadata", "jsonb", True, None),
        ("validation", "jsonb", True, None),
        ("regeneration_count", "integer", False, "0"),
        ("last_regeneration_at", TS, True, None),
        ("current_version", "integer", False, "0"),
        ("draft_versions", "jsonb", True, None),
        ("created_at", TS, False, "now()"),
        ("reviewed_at", TS, True, None),
        ("reviewed_by", "character varying(255)", True, None),
        ("sent_at", TS, True, None),
        ("sent_email_id", "integer", True, None),
        ("archived_at", TS, True, None),
        ("archived_by", "character varying(255)", True, None),
        ("archive_reason", "text", True, None),
    ],
}

SEED_FOREIGN_KEYS = {
    ("deal_spaces", "deal_spaces_deal_id_deals_id_fk", "deal_id", "deals"),
    ("deal_spaces", "deal_spaces_space_id_spaces_id_fk", "space_id", "spaces"),
    ("emails", "emails_deal_id_deals_id_fk", "deal_id", "deals"),
    ("email_drafts", "email_drafts_deal_id_deals_id_fk", "deal_id", "deals"),
    ("email_drafts", "email_drafts_inbound_email_id_emails_id_fk", "inbound_email_id", "emails"),
    ("email_drafts", "email_drafts_sent_email_id_emails_id_fk", "sent_email_id", "emails"),
}

COLUMNS_SQL = text(
    """
    SELECT column_name, nullable, default_value,
           format_type(a.atttypid, a.atttypmod) AS data_type
    FROM (
      SELECT a.attname AS column_name, NOT a.attnotnull AS nullable,
             pg_get_expr(d.adbin, d.adrelid) AS default_value, a.atttypid, a.atttypmod
      FROM pg_attribute a
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = CAST(:table AS regclass) AND a.attnum > 0 AND NOT a.attisdropped
    ) a
    """
)


@pytest.mark.parametrize("table", sorted(SEED_APPENDIX))
def test_every_seed_column_exists_with_its_type_nullability_and_default(engine: Engine, table: str) -> None:
    with engine.connect() as conn:
        live = {row.column_name: row for row in conn.execute(COLUMNS_SQL, {"table": table})}
    for name, data_type, nullable, default in SEED_APPENDIX[table]:
        assert name in live, f"{table}.{name} is missing"
        column = live[name]
        assert column.data_type == data_type, f"{table}.{name}: {column.data_type} != {data_type}"
        assert column.nullable == nullable, f"{table}.{name}: nullable is {column.nullable}"
        if default is None:
            assert column.default_value is None, f"{table}.{name} has unexpected default {column.default_value}"
        else:
            assert default in (column.default_value or ""), f"{table}.{name} default {column.default_value}"


@pytest.mark.parametrize("table", sorted(SEED_APPENDIX))
def test_columns_added_beyond_the_seed_are_nullable_or_defaulted(engine: Engine, table: str) -> None:
    seed_columns = {name for name, *_ in SEED_APPENDIX[table]}
    with engine.connect() as conn:
        extras = [row for row in conn.execute(COLUMNS_SQL, {"table": table}) if row.column_name not in seed_columns]
    for column in extras:
        assert column.nullable or column.default_value is not None, f"{table}.{column.column_name} needs a default"


def test_every_seed_foreign_key_exists_with_its_seed_name(engine: Engine) -> None:
    inspector = inspect(engine)
    found = set()
    for table in SEED_APPENDIX:
        for fk in inspector.get_foreign_keys(table):
            found.add((table, fk["name"], fk["constrained_columns"][0], fk["referred_table"]))
    assert SEED_FOREIGN_KEYS <= found


def test_the_seeds_recommended_indexes_exist(engine: Engine) -> None:
    expected = {
        "idx_emails_deal_id", "idx_deal_spaces_deal_id", "idx_deal_spaces_space_id", "idx_email_drafts_deal_id",
        "idx_email_drafts_inbound_email_id", "idx_email_drafts_status", "idx_emails_sent_at", "idx_spaces_amenities",
        "idx_deals_requirements", "idx_email_drafts_reasoning", "idx_email_drafts_deal_status", "idx_emails_deal_sent",
    }
    with engine.connect() as conn:
        names = set(conn.scalars(text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")))
        gin = set(conn.scalars(text("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%USING gin%'")))
    assert expected <= names
    assert {"idx_spaces_amenities", "idx_deals_requirements", "idx_email_drafts_reasoning"} <= gin
