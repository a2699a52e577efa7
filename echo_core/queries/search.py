"""One search box over drafts and emails: any words of the subject, the body, the company or the seeker.

PostgreSQL full-text search: `search_documents` (revision 0012) holds one tsvector per email and per
draft, GIN-indexed and kept by triggers; the box takes web-search syntax (`websearch_to_tsquery`:
words, "a phrase", `or`, `-word`). Results come newest first, in keyset pages over
(at, kind, ref_id), so a deep page costs what the first one does. The text comes back as plain,
untrusted strings: show them with st.text / dataframes only.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import text

from echo_core.errors import InvalidInput
from echo_core.queries.reading import Bind, reading

if TYPE_CHECKING:
    import pandas as pd

Kind = Literal["draft", "email"]
KINDS: tuple[str, ...] = ("draft", "email")
QUERY_MAX_CHARS = 300
LIMIT_MAX = 200
SNIPPET_CHARS = 200
CONFIG = "english"  # the same configuration the documents' vectors were built with (0012's search_vector)
_SPACES = re.compile(r"\s+")
# ts_headline without markers: a plain excerpt around the first matching words.
_HEADLINE = 'StartSel="", StopSel="", MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=1'


@dataclass(frozen=True)
class SearchCursor:
    """Where a page ends: the last hit's (at, kind, ref_id) in the newest-first order."""

    at: datetime
    kind: str
    ref_id: int


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "draft" or "email"
    id: int  # the draft's or the email's id
    draft_id: int | None  # the draft to open: itself, or the draft answering / sending this email
    email_id: int | None  # the email itself, or the draft's inbound email
    deal_id: int
    company: str
    seeker: str
    subject: str
    snippet: str
    at: datetime
    status: str | None  # the draft's status (None for an email)
    owner_email: str | None


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit] = field(default_factory=list)
    next: SearchCursor | None = None

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        columns = [f.name for f in SearchHit.__dataclass_fields__.values()]
        return pd.DataFrame([asdict(h) for h in self.hits], columns=columns)


def clean_query(query: str | None) -> str:
    """The text as it goes to websearch_to_tsquery, or InvalidInput naming the fix."""
    cleaned = _SPACES.sub(" ", (query or "").replace("\x00", "")).strip()
    if not cleaned:
        raise InvalidInput("The search is empty — type a word of the subject, body, company or seeker.")
    if len(cleaned) > QUERY_MAX_CHARS:
        raise InvalidInput(f"The search is {len(cleaned)} characters long — use at most {QUERY_MAX_CHARS}.")
    return cleaned


_CHECK = text(f"""
    SELECT numnode(q) AS nodes, querytree(q) AS tree
    FROM websearch_to_tsquery('{CONFIG}', :q) AS q""")

_HITS = f"""
WITH hits AS (
    SELECT s.kind, s.ref_id, s.deal_id, s.at
    FROM search_documents s
    WHERE s.vector @@ websearch_to_tsquery('{CONFIG}', :q) AND s.kind = ANY(:kinds) {{after}}
    ORDER BY s.at DESC, s.kind DESC, s.ref_id DESC
    LIMIT :page_limit
)
SELECT h.kind, h.ref_id, h.at, h.deal_id, dl.company_name AS company, dl.seeker_name AS seeker,
       (SELECT u.email FROM users u WHERE u.id = dl.owner_id) AS owner_email,
       x.status,
       CASE h.kind WHEN 'draft' THEN x.id
            ELSE coalesce((SELECT d2.id FROM email_drafts d2 WHERE d2.sent_email_id = h.ref_id),
                          (SELECT max(d3.id) FROM email_drafts d3 WHERE d3.inbound_email_id = h.ref_id))
       END AS draft_id,
       CASE h.kind WHEN 'draft' THEN x.inbound_email_id ELSE h.ref_id END AS email_id,
       coalesce(e.subject, '') AS subject,
       ts_headline('{CONFIG}', left(CASE h.kind WHEN 'draft' THEN coalesce(x.final_body, x.ai_generated_body)
                                         ELSE e.body END, 20000),
                   websearch_to_tsquery('{CONFIG}', :q), '{_HEADLINE}') AS snippet
FROM hits h
JOIN deals dl ON dl.id = h.deal_id
LEFT JOIN email_drafts x ON h.kind = 'draft' AND x.id = h.ref_id
LEFT JOIN emails e ON e.id = CASE h.kind WHEN 'draft' THEN x.inbound_email_id ELSE h.ref_id END
ORDER BY h.at DESC, h.kind DESC, h.ref_id DESC
"""


def _snippet(value: Any) -> str:
    flat = _SPACES.sub(" ", str(value or "")).strip()
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1].rstrip() + "…"


def search(bind: Bind, query: str, *, after: SearchCursor | None = None, limit: int = 25,
           kinds: tuple[str, ...] = KINDS) -> SearchPage:
    """Drafts and emails matching `query` (web-search syntax), newest first, one keyset page."""
    q = clean_query(query)
    if not 1 <= limit <= LIMIT_MAX:
        raise InvalidInput(f"The page size must be between 1 and {LIMIT_MAX} (got {limit}).")
    chosen = [k for k in KINDS if k in kinds]
    if not chosen:
        raise InvalidInput(f"Search needs at least one of: {', '.join(KINDS)}.")
    params: dict[str, Any] = {"q": q, "kinds": chosen, "page_limit": limit + 1}
    after_sql = ""
    if after is not None:
        after_sql = "AND (s.at, s.kind, s.ref_id) < (:after_at, :after_kind, :after_ref_id)"
        params.update(after_at=after.at, after_kind=after.kind, after_ref_id=after.ref_id)
    with reading(bind) as conn:
        check = conn.execute(_CHECK, {"q": q}).one()
        if not check.nodes:
            raise InvalidInput(f"'{q[:60]}' has only very common words — add a more specific word.")
        if check.tree == "T":  # only -words: no index can answer "everything but", so refuse it
            raise InvalidInput("The search only excludes words — add at least one word to look for.")
        rows = conn.execute(text(_HITS.format(after=after_sql)), params).all()
    hits = [SearchHit(kind=r.kind, id=r.ref_id, draft_id=r.draft_id, email_id=r.email_id, deal_id=r.deal_id,
                      company=r.company, seeker=r.seeker, subject=r.subject, snippet=_snippet(r.snippet),
                      at=r.at, status=r.status, owner_email=r.owner_email) for r in rows[:limit]]
    more = len(rows) > limit
    last = hits[-1] if hits else None
    cursor = SearchCursor(at=last.at, kind=last.kind, ref_id=last.id) if more and last else None
    return SearchPage(hits=hits, next=cursor)
