"""The bench at small scale: exact counts, valid shapes and rules, reproducible, and keyset pages that add up.

Correctness only — no timings. One database generated per module (about two seconds), dropped afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, text

from echo_core import schemas
from echo_core.bench.generate import generate
from echo_core.bench.plan import SCALES
from echo_core.bench.run import run
from echo_core.cli import main
from echo_core.config import reload_settings
from echo_core.db import migrate
from echo_core.db.engine import make_engine
from echo_core.errors import ConfirmationRequired
from echo_core.lifecycle import body_matches_version
from echo_core.queries import review
from tests import dbutil

SEED = 11
ANCHOR = datetime(2026, 6, 1, tzinfo=UTC)
PAGE = 7  # small pages so even the 50 spaces span several
TABLES = ("spaces", "deals", "deal_spaces", "emails", "email_drafts", "draft_events")


@pytest.fixture(scope="module")
def bench(server_url: str, template_db: str) -> Iterator[tuple[str, Engine]]:
    name = dbutil.unique_name("echo_bench_test")
    url = dbutil.create_database(server_url, name, template=template_db)
    engine = make_engine(url)
    try:
        generate(url, scale="small", seed=SEED, anchor=ANCHOR)
        yield url, engine
    finally:
        engine.dispose()
        dbutil.drop_database(server_url, name)


def rows(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def checksums(engine: Engine) -> dict[str, str]:
    return {t: rows(engine, f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {t} t")[0][0] for t in TABLES}


def test_small_scale_has_exactly_one_percent_of_the_full_counts(bench: tuple[str, Engine]) -> None:
    _, engine = bench
    small, full = SCALES["small"], SCALES["full"]
    counts = {t: rows(engine, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}
    assert (counts["spaces"], counts["deals"], counts["emails"], counts["email_drafts"]) == (
        small.spaces, small.deals, small.emails, small.drafts)
    assert (small.spaces * 100, small.deals * 100, small.emails * 100, small.drafts * 100) == (
        full.spaces, full.deals, full.emails, full.drafts)
    assert counts["deal_spaces"] > small.deals and counts["draft_events"] > small.drafts


def test_draft_statuses_and_versions_follow_the_planned_shares(bench: tuple[str, Engine]) -> None:
    _, engine = bench
    statuses = dict(rows(engine, "SELECT status, count(*) FROM email_drafts GROUP BY status"))
    assert statuses == {"sent": 1050, "archived": 600, "pending": 900, "approved": 450}
    versions = dict(rows(engine, "SELECT jsonb_array_length(draft_versions), count(*) FROM email_drafts GROUP BY 1"))
    assert set(versions) == {1, 2, 3, 4} and versions[1] > versions[2] > versions[3] > versions[4]
    archived_low, others = rows(engine, "SELECT avg(confidence_score) FILTER (WHERE status = 'archived'), avg("
                                        "confidence_score) FILTER (WHERE status <> 'archived') FROM email_drafts")[0]
    assert archived_low < others
    mean_thread = rows(engine, "SELECT avg(n) FROM (SELECT count(*) AS n FROM emails GROUP BY deal_id) t")[0][0]
    assert 9 <= mean_thread <= 11


def test_every_jsonb_value_parses_with_the_core_schemas(bench: tuple[str, Engine]) -> None:
    _, engine = bench
    for amenities, availability, detailed in rows(engine, "SELECT amenities, availability, detailed_amenities "
                                                          "FROM spaces"):
        schemas.parse(schemas.Amenities, amenities, what="amenities")
        schemas.parse(schemas.Availability, availability, what="availability")
        schemas.parse(schemas.DetailedAmenities, detailed, what="detailed amenities")
    for (requirements,) in rows(engine, "SELECT requirements FROM deals"):
        schemas.parse(schemas.Requirements, requirements, what="requirements")
    for (meta,) in rows(engine, "SELECT ai_metadata FROM emails WHERE ai_metadata IS NOT NULL"):
        schemas.parse(schemas.EmailAiMetadata, meta, what="email metadata")
    for reasoning, metadata, validation, versions in rows(
            engine, "SELECT reasoning, metadata, validation, draft_versions FROM email_drafts"):
        schemas.parse(schemas.Reasoning, reasoning, what="reasoning")
        schemas.parse(schemas.DraftMetadata, metadata, what="metadata")
        if validation is not None:
            schemas.parse(schemas.Validation, validation, what="validation")
        for version in versions:
            schemas.parse(schemas.DraftVersion, version, what="draft version")


def test_drafts_keep_the_lifecycle_rules(bench: tuple[str, Engine]) -> None:
    _, engine = bench
    drafts = rows(engine, """
        SELECT d.*, i."from" AS inbound_from, deals.seeker_email, s.body AS sent_body, s.deal_id AS sent_deal,
               s.sent_at AS email_sent_at, s.ai_generated AS sent_ai, i.sent_at AS inbound_at,
               (SELECT count(*) FROM draft_events e WHERE e.draft_id = d.id) AS events
        FROM email_drafts d JOIN emails i ON i.id = d.inbound_email_id JOIN deals ON deals.id = d.deal_id
        LEFT JOIN emails s ON s.id = d.sent_email_id""")
    for d in drafts:
        assert d.inbound_from == d.seeker_email and d.created_at >= d.inbound_at
        assert body_matches_version(final_body=d.final_body, edited_body=d.edited_body, versions=d.draft_versions,
                                    current=d.current_version)
        assert d.regeneration_count == len(d.draft_versions) - 1 <= 3
        assert d.lock_version == d.events
        assert (d.sent_email_id is not None) == (d.status == "sent" or d.archived_from_status == "sent")
        if d.sent_email_id is not None:
            assert (d.sent_body, d.sent_deal, d.sent_ai) == (d.final_body, d.deal_id, True)
            assert d.reviewed_at <= d.email_sent_at == d.sent_at
        if d.status == "archived":
            assert d.archive_category and d.archived_at >= d.created_at and d.archived_from_status
        assert (d.reviewed_at is None) == (d.status == "pending")


def test_the_load_leaves_the_schema_exactly_as_migrated(bench: tuple[str, Engine], template_db: str,
                                                       server_url: str) -> None:
    _, engine = bench
    assert migrate.drift(engine) == []
    assert rows(engine, "SELECT conname FROM pg_constraint WHERE NOT convalidated") == []
    index_sql = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
    template = make_engine(dbutil.url_for_database(server_url, template_db))
    try:
        assert rows(engine, index_sql) == rows(template, index_sql)
    finally:
        template.dispose()
    next_id = rows(engine, "SELECT nextval('emails_id_seq')")[0][0]
    assert next_id == SCALES["small"].emails + 1


def test_the_same_seed_gives_the_same_rows(bench: tuple[str, Engine]) -> None:
    url, engine = bench
    before = checksums(engine)
    generate(url, scale="small", seed=SEED, anchor=ANCHOR, replace=True)
    assert checksums(engine) == before


def test_every_email_and_draft_is_searchable_and_most_deals_have_an_owner(bench: tuple[str, Engine]) -> None:
    _, engine = bench
    documents = dict(rows(engine, "SELECT kind, count(*) FROM search_documents GROUP BY kind"))
    assert documents == {"email": SCALES["small"].emails, "draft": SCALES["small"].drafts}
    stale = rows(engine, """SELECT count(*) FROM search_documents s
                            JOIN emails e ON s.kind = 'email' AND e.id = s.ref_id JOIN deals d ON d.id = e.deal_id
                            WHERE s.vector IS DISTINCT FROM search_vector(d.company_name, d.seeker_name, e.subject,
                                                                          e.body)""")
    assert stale == [(0,)]
    owned, total = rows(engine, "SELECT count(owner_id), count(*) FROM deals")[0]
    assert 0.7 < owned / total < 0.9
    assert rows(engine, "SELECT count(DISTINCT owner_id) FROM deals")[0][0] > 5


def test_generate_refuses_a_database_that_has_data(bench: tuple[str, Engine], server_url: str,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    url, engine = bench
    with pytest.raises(ConfirmationRequired, match="--replace"):
        generate(url, scale="small", seed=SEED + 1, anchor=ANCHOR)
    monkeypatch.setenv("DATABASE_URL", server_url)
    reload_settings()
    try:
        code = main(["bench", "generate", "--scale", "small", "--database", str(engine.url.database)])
    finally:
        monkeypatch.delenv("DATABASE_URL")
        reload_settings()
    err = capsys.readouterr().err.strip().splitlines()
    assert code == ConfirmationRequired.exit_code and err[-1].startswith("error: ") and "--replace" in err[-1]


QUEUE_FILTERS = [
    review.QueueFilters(),
    review.QueueFilters(statuses=("pending", "approved", "sent", "archived")),
    review.QueueFilters(statuses=(), validation=("failed", "warnings"), min_confidence=60),
    review.QueueFilters(statuses=("archived",), max_confidence=70),
]


@pytest.mark.parametrize("filters", QUEUE_FILTERS)
def test_walking_every_queue_page_yields_exactly_the_unpaginated_rows(bench: tuple[str, Engine],
                                                                      filters: review.QueueFilters) -> None:
    _, engine = bench
    everything = review.queue(engine, filters, limit=1_000_000)
    assert everything.next_after_id is None and len(everything.rows) > 50
    walked: list[int] = []
    after = None
    while True:
        page = review.queue(engine, filters, after_id=after, limit=50)
        walked += page.rows["draft_id"].tolist()
        if page.next_after_id is None:
            break
        after = page.next_after_id
    assert walked == everything.rows["draft_id"].tolist()


def _walk_cursor_pages(list_fn: Any, engine: Engine, filters: Any) -> tuple[list[int], list[int]]:
    everything = list_fn(engine, filters, limit=1_000_000)
    walked: list[int] = []
    after = None
    while True:
        page = list_fn(engine, filters, after=after, limit=PAGE)
        walked += page.rows["id"].tolist()
        if page.next_cursor is None:
            return walked, everything.rows["id"].tolist()
        after = page.next_cursor


@pytest.mark.parametrize(("module", "function", "filters_class", "filters"), [
    ("deals", "list_deals", "DealFilters", {}),
    ("deals", "list_deals", "DealFilters", {"stages": ("touring", "negotiating")}),
    ("spaces", "list_spaces", "SpaceFilters", {}),
    ("spaces", "list_spaces", "SpaceFilters", {"flags": ("parking",)}),
])
def test_walking_every_keyset_page_of_deals_and_spaces_yields_the_unpaginated_rows(
        bench: tuple[str, Engine], module: str, function: str, filters_class: str, filters: dict[str, Any]) -> None:
    queries = pytest.importorskip(f"echo_core.queries.{module}")
    if not hasattr(queries, function):
        pytest.skip(f"queries.{module}.{function} does not exist yet")
    _, engine = bench
    walked, everything = _walk_cursor_pages(getattr(queries, function), engine,
                                            getattr(queries, filters_class)(**filters))
    assert walked == everything and len(everything) > PAGE


def test_bench_run_times_every_page_and_the_export_without_errors(bench: tuple[str, Engine]) -> None:
    url, engine = bench
    report = run(engine, url, runs=1)
    assert [p.error for p in report.pages if p.error] == []
    assert {p.page for p in report.pages} >= {"review queue: first page", "open a draft", "analytics: all time",
                                              "search: a company's name", "search: two common words, page 2"}
    timed = [p for p in report.pages if not p.missing]
    assert timed and all(p.median_ms is not None and p.statements for p in timed)
    assert all(s.plan is not None for p in timed for s in p.statements)
    assert report.export is not None and report.export.exit_code == 0
    assert report.export.rows == report.export.copy.rows == SCALES["small"].emails
