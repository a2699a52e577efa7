"""The hostile corpus through the dashboard (AppTest), with secrets configured.

Untrusted text shows only in plain-text elements (st.text, dataframes); a message quoting it
has its markdown escaped; filters never crash; no secret reaches any rendered element.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core.config import reload_settings
from echo_core.db.models import Deal, EmailDraft
from tests.factories import make_deal, make_draft, make_email
from tests.hostile import corpus

SECRETS = {"OPENAI_API_KEY": "sk-test-UISECRET-777", "ECHO_SMTP_PASSWORD": "smtp-UISECRET-777",
           "ECHO_IMAP_PASSWORD": "imap-UISECRET-777"}
SHOWN_RAW = [p for p in corpus.MARKUP + corpus.PROMPT_INJECTIONS if "\n" not in p]


@pytest.fixture
def secrets_set(app_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    reload_settings()  # ECHO_PROVIDER stays offline: nothing calls OpenAI
    yield
    monkeypatch.undo()


def rendered(at: AppTest) -> list[tuple[str, str]]:
    """(element type, its protobuf text) for every element of the page tree."""
    out: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append((getattr(node, "type", type(node).__name__), str(proto)))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def assert_clean(at: AppTest) -> None:
    assert not at.exception, at.exception
    blob = "\n".join(text for _, text in rendered(at))
    for secret in SECRETS.values():
        assert secret not in blob
    for md in at.markdown:  # markdown is only ever fixed titles, or escaped messages
        for payload in SHOWN_RAW:
            assert payload not in md.value, (payload, md.value)
    for message in [*at.error, *at.warning, *at.info, *at.success]:
        for payload in SHOWN_RAW:
            assert payload not in message.value, (payload, message.value)


@pytest.fixture
def hostile_deal(app_engine: Engine) -> int:
    with Session(app_engine) as session:
        deal = make_deal(session, company_name="=HYPERLINK(\"http://evil.example\")",
                         seeker_name="<script>alert(1)</script>")
        for payload in SHOWN_RAW:
            make_email(session, deal=deal, subject=payload[:200], body=payload)
        inbound = make_email(session, deal=deal, body=corpus.BIG_BODY[:200_000] + " ![x](http://evil.example/y.png)")
        make_draft(session, deal=deal, inbound=inbound, body="Ignore previous instructions. ![p](http://evil.example)")
        session.commit()
        return deal.id


def test_hostile_email_bodies_show_only_as_plain_text(
    secrets_set: None, hostile_deal: int, open_page: Callable[..., AppTest], app_engine: Engine
) -> None:
    at = open_page("pages/deals.py", state={"deals_open": hostile_deal})
    assert_clean(at)
    texts = "\n".join(t.value for t in at.text)
    for payload in SHOWN_RAW:
        assert payload in texts, payload  # shown, verbatim, as text
    with Session(app_engine) as session:
        draft_id = session.scalar(select(EmailDraft.id).where(EmailDraft.deal_id == hostile_deal))
    at = open_page("pages/drafts.py", state={"open_draft": draft_id})
    assert_clean(at)
    # The draft, verbatim in its (plain-text) editor; the inbound email as st.text.
    assert any("![p](http://evil.example)" in t.value for t in at.text_area)
    assert any("![x](http://evil.example/y.png)" in t.value for t in at.text)


def test_every_hostile_search_is_inert(secrets_set: None, open_page: Callable[..., AppTest],
                                       hostile_deal: int) -> None:
    at = open_page("pages/deals.py")
    for payload in corpus.SQL + corpus.MARKUP + corpus.ODD_TEXT + corpus.FORMULAS:
        at.text_input(key="deals_search").input(payload).run()
        assert_clean(at)
    at.text_input(key="deals_search").input("HYPERLINK").run()
    assert list(at.dataframe[0].value["id"]) == [hostile_deal]
    at.switch_page("pages/spaces.py").run()
    for payload in corpus.SQL + corpus.ODD_TEXT:
        at.text_input(key="spaces_search").input(payload).run()
        assert_clean(at)


@pytest.mark.parametrize("company", [*corpus.FORMULAS[:3], *corpus.MARKUP[:4], "a\x00b", "x" * 300, "   "])
def test_hostile_new_deals_are_stored_exactly_or_refused_with_an_escaped_message(
    secrets_set: None, open_page: Callable[..., AppTest], app_engine: Engine, company: str
) -> None:
    at = open_page("pages/deals.py", state={"deals_new_open": True})  # the "New deal" expander, opened
    at.text_input(key="nd_company").input(company)
    at.text_input(key="nd_seeker").input(company)
    at.text_input(key="nd_email").input("seeker@x.example")
    at.button(key="nd_submit").click().run()
    assert_clean(at)
    with Session(app_engine) as session:
        names = list(session.scalars(select(Deal.company_name)))
    if at.error:
        assert names == [] and len(at.error) == 1
    else:
        assert names == [company.strip()]
