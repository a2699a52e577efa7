"""What each page asks of echo_core when a broker opens it, as the page itself calls it.

Each scenario calls the real functions by module and name (see `measure.Recorder`), with the
page's default filters, plus the work that turns rows into what the page shows. Ids come
from `Context`: a typical draft, its deal, a space, and cursors deep in the keyset order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, text

from echo_core.bench.drafts import BROKERS
from echo_core.bench.measure import Recorder, Scenario

PAGE_TARGET_MS = 20.0
ANALYTICS_ALL_TIME_TARGET_MS = 150.0
SEARCH_TARGET_MS = 50.0  # issue 12: the search box over drafts and emails at 1M emails
COMMON_WORDS = "parking tour"  # in a large share of the synthetic mail: the newest-first order must stop early
WEBSEARCH = '"monthly rate" or dogs -tuesday'
DEEP = 0.9  # how far into the keyset order the deep page starts
TWO_FLAGS = ("parking", "dogFriendly")
BENCH_BROKER = BROKERS[0]  # owns about 1/15 of the owned deals (bench generate)


@dataclass(frozen=True)
class Context:
    engine: Engine
    draft_id: int
    deal_id: int
    space_id: int
    queue_deep_after_id: int
    deals_deep: tuple[datetime, int]
    spaces_deep: tuple[datetime, int]
    today: date
    first_day: date
    company: str  # the typical draft's deal: its company and seeker, as a broker would type them
    seeker: str


def _deep(engine: Engine, sql: str) -> tuple[datetime, int]:
    with engine.connect() as conn:
        n = int(conn.scalar(text(f"SELECT count(*) FROM ({sql}) q")) or 0)
        row = conn.execute(text(f"{sql} OFFSET :n LIMIT 1"), {"n": max(0, int(n * DEEP))}).one()
    return row[0], int(row[1])


def context(engine: Engine) -> Context:
    """Pick the ids the pages open: set-up SQL, not timed."""
    with engine.connect() as conn:
        draft = conn.execute(text(
            "SELECT id, deal_id FROM email_drafts WHERE status = 'pending' ORDER BY id "
            "OFFSET (SELECT count(*) / 2 FROM email_drafts WHERE status = 'pending') LIMIT 1")).one()
        space_id = int(conn.scalar(text("SELECT space_id FROM deal_spaces GROUP BY space_id ORDER BY count(*) DESC, "
                                        "space_id LIMIT 1")) or 1)
        first = conn.scalar(text("SELECT min(created_at) FROM email_drafts"))
        names = conn.execute(text("SELECT company_name, seeker_name FROM deals WHERE id = :d"),
                             {"d": draft.deal_id}).one()
    queue = _deep(engine, "SELECT created_at, id FROM email_drafts WHERE status IN ('pending', 'approved') "
                          "ORDER BY created_at, id")
    return Context(
        engine=engine, draft_id=int(draft.id), deal_id=int(draft.deal_id), space_id=space_id,
        queue_deep_after_id=queue[1],
        deals_deep=_deep(engine, "SELECT created_at, id FROM deals ORDER BY created_at DESC, id DESC"),
        spaces_deep=_deep(engine, "SELECT created_at, id FROM spaces WHERE amenities @> "
                                  "'{\"parking\": true, \"dogFriendly\": true}' ORDER BY created_at DESC, id DESC"),
        today=date.today(), first_day=first.date() if first else date.today(),
        company=str(names.company_name), seeker=str(names.seeker_name),
    )


def scenarios(ctx: Context) -> list[tuple[str, float, Scenario]]:
    """(page, target ms, scenario) in the order the table prints them."""
    e = ctx.engine

    def home(r: Recorder) -> None:
        r.call("queries.home", "draft_status_counts", e)
        r.call("queries.home", "table_counts", e)
        r.call("queries.home", "waiting_for_review", e)

    def review_first(r: Recorder) -> None:
        filters = r.get("queries.review", "QueueFilters")()
        r.call("queries.review", "queue", e, filters)
        r.call("queries.review", "status_counts", e, filters)
        r.call("queries.review", "deal_options", e)

    def review_deep(r: Recorder) -> None:
        filters = r.get("queries.review", "QueueFilters")()
        r.call("queries.review", "queue", e, filters, after_id=ctx.queue_deep_after_id)

    def open_draft(r: Recorder) -> None:
        detail = r.call("queries.drafts", "draft_detail", e, ctx.draft_id)
        r.call("queries.review", "thread", e, detail.deal_id)
        r.call("queries.drafts", "draft_history", e, ctx.draft_id)
        r.call("queries.outbox", "delivery_state", e, draft_id=ctx.draft_id)
        filters = r.get("queries.review", "QueueFilters")()
        r.call("queries.review", "neighbour", e, filters, ctx.draft_id)  # where Send / Archive go next

    def review_owner_view(r: Recorder, view: str) -> None:
        filters = r.get("queries.review", "QueueFilters")(owner_view=view, viewer_email=BENCH_BROKER)
        r.call("queries.review", "queue", e, filters)
        r.call("queries.review", "status_counts", e, filters)

    def deals_table(r: Recorder, deep: bool) -> None:
        filters = r.get("queries.deals", "DealFilters")()
        after = r.get("queries.reading", "Cursor")(*ctx.deals_deep) if deep else None
        r.call("queries.deals", "list_deals", e, filters, after=after)
        if not deep:
            r.call("queries.deals", "count_deals", e, filters)

    def open_deal(r: Recorder) -> None:
        r.call("queries.deals", "get_deal", e, ctx.deal_id)
        r.call("queries.deals", "thread", e, ctx.deal_id)
        r.call("queries.deals", "deal_spaces", e, ctx.deal_id)
        r.call("queries.deals", "fitting_spaces", e, ctx.deal_id)

    def spaces_two_flags(r: Recorder, deep: bool) -> None:
        filters = r.get("queries.spaces", "SpaceFilters")(flags=TWO_FLAGS)
        after = r.get("queries.reading", "Cursor")(*ctx.spaces_deep) if deep else None
        r.call("queries.spaces", "list_spaces", e, filters, after=after)
        if not deep:
            r.call("queries.spaces", "count_spaces", e, filters)
            r.call("queries.spaces", "neighborhoods", e)
            r.call("queries.spaces", "amenity_flags", e)

    def spaces_first(r: Recorder) -> None:
        filters = r.get("queries.spaces", "SpaceFilters")()
        r.call("queries.spaces", "list_spaces", e, filters)
        r.call("queries.spaces", "count_spaces", e, filters)
        r.call("queries.spaces", "neighborhoods", e)
        r.call("queries.spaces", "amenity_flags", e)

    def open_space(r: Recorder) -> None:
        r.call("queries.spaces", "get_space", e, ctx.space_id)
        r.call("queries.spaces", "space_deals", e, ctx.space_id)

    def analytics(r: Recorder, start: date) -> None:
        kpis = r.call("queries.analytics", "kpis", e, start=start, end=ctx.today)
        r.call("queries.analytics", "status_funnel", kpis)
        r.call("queries.analytics", "breakdowns", e, start=start, end=ctx.today)
        r.call("queries.analytics", "broker_activity", e, start=start, end=ctx.today)

    def search(r: Recorder, query: str, pages: int = 1) -> None:
        after = None
        for _ in range(pages):  # page 2: the broker pressed "more" (keyset, so no deeper scan)
            page = r.call("queries.search", "search", e, query, after=after)
            after = page.next
        page.frame()  # what the page shows

    return [
        ("home", PAGE_TARGET_MS, home),
        ("review queue: first page", PAGE_TARGET_MS, review_first),
        ("review queue: deep page (90%)", PAGE_TARGET_MS, review_deep),
        ("review queue: mine", PAGE_TARGET_MS, lambda r: review_owner_view(r, "mine")),
        ("review queue: unassigned", PAGE_TARGET_MS, lambda r: review_owner_view(r, "unassigned")),
        ("open a draft", PAGE_TARGET_MS, open_draft),
        ("deals: first page", PAGE_TARGET_MS, lambda r: deals_table(r, False)),
        ("deals: deep page (90%)", PAGE_TARGET_MS, lambda r: deals_table(r, True)),
        ("open a deal (thread, spaces, fits)", PAGE_TARGET_MS, open_deal),
        ("spaces: first page", PAGE_TARGET_MS, spaces_first),
        ("spaces: parking + dogFriendly", PAGE_TARGET_MS, lambda r: spaces_two_flags(r, False)),
        ("spaces: two flags, deep page", PAGE_TARGET_MS, lambda r: spaces_two_flags(r, True)),
        ("open a space", PAGE_TARGET_MS, open_space),
        ("analytics: 90 days", PAGE_TARGET_MS, lambda r: analytics(r, ctx.today - timedelta(days=90))),
        ("analytics: all time", ANALYTICS_ALL_TIME_TARGET_MS, lambda r: analytics(r, ctx.first_day)),
        ("search: a company's name", SEARCH_TARGET_MS, lambda r: search(r, ctx.company)),
        ("search: a seeker's full name", SEARCH_TARGET_MS, lambda r: search(r, ctx.seeker)),
        ("search: two common words", SEARCH_TARGET_MS, lambda r: search(r, COMMON_WORDS)),
        ("search: two common words, page 2", SEARCH_TARGET_MS, lambda r: search(r, COMMON_WORDS, pages=2)),
        ("search: phrase, or, minus", SEARCH_TARGET_MS, lambda r: search(r, WEBSEARCH)),
    ]
