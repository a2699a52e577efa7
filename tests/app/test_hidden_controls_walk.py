"""Defect 5 of issue 15: a name, subject or address holding a bidi override or an invisible control reaches no
page as the raw character — every element each page renders (text, markdown, tables, labels, options) is
checked byte for byte — and the stored text stays as it arrived."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from echo_core.db.models import Deal, User
from tests.app.conftest import APP, TIMEOUT_SECONDS, signed_in_state
from tests.factories import make_deal, make_deal_space, make_draft, make_email, make_space
from tests.hostile import corpus

CONTROLS = [chr(c) for c in [0x061C, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A),
                              0xFEFF, 0x2028, 0x2029]]
SPOOF = "Mallory \u202egpj.exe"


def _names() -> Iterator[str]:
    while True:
        yield from corpus.SPOOFED_NAMES


def seed_hostile(engine: Engine, broker_email: str) -> dict[str, int]:
    names = _names()
    with Session(engine, expire_on_commit=False) as s:
        owner = s.scalar(select(User).where(User.email == broker_email))
        space = make_space(s, name=SPOOF, address=next(names), neighborhood=next(names), host_company=next(names),
                           host_context=next(names))
        deal = make_deal(s, seeker_name=SPOOF, company_name=next(names), owner_id=owner.id if owner else None,
                         requirements={"dogFriendly": True, "location": next(names)})
        make_deal_space(s, deal=deal, space=space)
        inbound = make_email(s, deal=deal, subject=next(names) + " tour?", body="Can we tour? " + next(names))
        draft = make_draft(s, deal=deal, inbound=inbound, body="Hi " + next(names) + ", yes.")
        s.commit()
        return {"deal": deal.id, "space": space.id, "draft": draft.id}


def rendered_bytes(at: AppTest) -> list[tuple[str, bytes]]:
    """Every element of the page as its serialised protobuf (dataframes included, as Arrow bytes)."""
    found: list[tuple[str, bytes]] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString"):
            found.append((type(node).__name__, proto.SerializeToString()))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


# The reply editor holds the text that will be sent: it is edited as stored, never rewritten (its read-only
# views — the thread, the diff, the versions — are neutralised like every other display).
EDITABLE = {"TextArea", "TextInput"}


def assert_no_raw_control(at: AppTest, where: str) -> None:
    assert not at.exception, (where, at.exception)
    for kind, raw in rendered_bytes(at):
        if kind in EDITABLE:
            continue
        for control in CONTROLS:
            at_byte = raw.find(control.encode("utf-8"))
            assert at_byte < 0, (f"{where}: U+{ord(control):04X} reached a {kind}: "
                                 f"{raw[max(0, at_byte - 60):at_byte + 20].decode('utf-8', 'replace')!r}")


def open_as(url: str, role: str, page: str, state: dict[str, Any] | None = None,
            params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    for key, value in signed_in_state(url, f"{role}@tandem.space", role).items():
        at.session_state[key] = value
    at.run()
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.switch_page(page)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture
def hostile(app_db_url: str, app_engine: Engine) -> dict[str, int]:
    signed_in_state(app_db_url, "broker@tandem.space", "broker")  # the account exists before the deal names it
    return seed_hostile(app_engine, "broker@tandem.space")


PAGES = [
    ("broker", "pages/home.py", {}),
    ("broker", "pages/drafts.py", {}),
    ("broker", "pages/deals.py", {}),
    ("broker", "pages/spaces.py", {}),
    ("broker", "pages/mail.py", {}),
    ("lead", "pages/analytics.py", {}),
    ("lead", "pages/accounts.py", {}),
    ("lead", "pages/monitoring.py", {}),
]


@pytest.mark.parametrize(("role", "page", "state"), PAGES, ids=[p[1] for p in PAGES])
def test_no_page_renders_a_raw_bidi_or_invisible_control(
    app_db_url: str, hostile: dict[str, int], role: str, page: str, state: dict[str, Any]
) -> None:
    assert_no_raw_control(open_as(app_db_url, role, page, state), page)


def test_the_draft_deal_and_space_views_render_no_raw_control(app_db_url: str, hostile: dict[str, int]) -> None:
    at = open_as(app_db_url, "broker", "pages/drafts.py", params={"draft": str(hostile["draft"])})
    assert_no_raw_control(at, "draft view")
    assert any("[U+202E]" in m.value for m in at.markdown) or any("[U+202E]" in t.value for t in at.text)
    for view in ("thread", "spaces", "fits"):  # an opened deal draws one view at a time
        assert_no_raw_control(open_as(app_db_url, "broker", "pages/deals.py",
                                      {"deals_open": hostile["deal"], "deal_view": view}), f"deal view: {view}")
    for view in ("details", "availability", "deals", "edit"):
        assert_no_raw_control(open_as(app_db_url, "broker", "pages/spaces.py",
                                      {"spaces_open": hostile["space"], "space_view": view}), f"space view: {view}")


def test_the_stored_name_stays_as_it_arrived(app_db_url: str, app_engine: Engine, hostile: dict[str, int]) -> None:
    open_as(app_db_url, "broker", "pages/deals.py", {"deals_open": hostile["deal"]})
    with Session(app_engine) as s:
        assert s.get(Deal, hostile["deal"]).seeker_name == SPOOF  # type: ignore[union-attr]


def test_a_right_to_left_override_in_a_display_name_leaves_the_address_and_date_in_order(
    app_db_url: str, app_engine: Engine
) -> None:
    """The reported spoof: U+202E in the sender's name reversed the address and date shown after it."""
    signed_in_state(app_db_url, "broker@tandem.space", "broker")
    with Session(app_engine, expire_on_commit=False) as s:
        deal = make_deal(s, seeker_name="Mallory \u202eevil")
        inbound = make_email(s, deal=deal, from_addr="Mallory \u202eevil <mallory@example.com>")
        draft = make_draft(s, deal=deal, inbound=inbound)
        s.commit()
    at = open_as(app_db_url, "broker", "pages/drafts.py", params={"draft": str(draft.id)})
    assert_no_raw_control(at, "draft view")
    [line] = [c.value.replace("\\", "") for c in at.caption if c.value.startswith("From ")]
    assert "\u202e" not in line
    assert line.index("[U+202E]") < line.index("mallory@example.com") < line.index("received")
