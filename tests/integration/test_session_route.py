"""The cookie route (/_echo/session): a one-time code becomes an HttpOnly, SameSite=Lax cookie, only for
same-origin requests; DELETE revokes the session and clears the cookie."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from echo_core import web_sessions
from echo_core.config import reload_settings
from tests.factories import make_user
from ui import session_routes

SAME_ORIGIN = {"sec-fetch-site": "same-origin", "origin": "http://127.0.0.1:8501", "host": "127.0.0.1:8501"}


@pytest.fixture
def route_db(fresh_db_url: str, fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("DATABASE_URL", fresh_db_url)
    reload_settings()
    session_routes._engine.cache_clear()
    yield fresh_engine
    session_routes._engine().dispose()
    session_routes._engine.cache_clear()
    monkeypatch.undo()
    reload_settings()


def call(method: str, headers: dict[str, str], body: bytes = b"", cookie: str | None = None) -> Response:
    raw = [(k.encode(), v.encode()) for k, v in headers.items()]
    if cookie:
        raw.append((b"cookie", f"{web_sessions.COOKIE_NAME}={cookie}".encode()))
    scope = {"type": "http", "method": method, "path": session_routes.SESSION_PATH, "headers": raw,
             "query_string": b"", "scheme": "http", "server": ("127.0.0.1", 8501), "client": ("127.0.0.1", 5000)}
    sent = False

    async def receive() -> dict[str, object]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return asyncio.run(session_routes.session_endpoint(Request(scope, receive)))


def handoff(engine: Engine, email: str = "route@tandem.space") -> tuple[int, str]:
    with Session(engine) as s:
        user = make_user(s, email=email)
        s.commit()
        started = web_sessions.start(session=s, user_id=user.id)
        return started.session_id, started.handoff_code


def set_cookie(response: Response) -> str:
    return response.headers.get("set-cookie", "")


def test_a_same_origin_post_of_the_code_sets_an_httponly_lax_cookie_once(route_db: Engine) -> None:
    session_id, code = handoff(route_db)
    response = call("POST", SAME_ORIGIN, code.encode())
    assert response.status_code == 204
    header = set_cookie(response)
    assert header.startswith(f"{web_sessions.COOKIE_NAME}=") and "HttpOnly" in header
    assert "SameSite=lax" in header and "Path=/" in header and "Max-Age=" in header and "Secure" not in header
    token = header.split(";")[0].split("=", 1)[1]
    with Session(route_db) as s:
        assert web_sessions.resolve(session=s, token=token).session_id == session_id
    again = call("POST", SAME_ORIGIN, code.encode())
    assert again.status_code == 403 and not set_cookie(again)


def test_over_https_behind_a_proxy_the_cookie_is_secure(route_db: Engine) -> None:
    _, code = handoff(route_db)
    response = call("POST", {**SAME_ORIGIN, "x-forwarded-proto": "https"}, code.encode())
    assert response.status_code == 204 and "Secure" in set_cookie(response)


@pytest.mark.parametrize("headers", [
    {"sec-fetch-site": "cross-site", "origin": "https://evil.example", "host": "127.0.0.1:8501"},
    {"sec-fetch-site": "same-site", "origin": "http://other.127.0.0.1:8501", "host": "127.0.0.1:8501"},
    {"origin": "https://evil.example", "host": "127.0.0.1:8501"},
    {"host": "127.0.0.1:8501"},
])
def test_cross_site_or_unlabelled_requests_are_refused_and_the_code_stays_unspent(
    route_db: Engine, headers: dict[str, str]
) -> None:
    _, code = handoff(route_db)
    refused = call("POST", headers, code.encode())
    assert refused.status_code == 403 and not set_cookie(refused)
    assert call("POST", SAME_ORIGIN, code.encode()).status_code == 204


@pytest.mark.parametrize("body", [b"", b"nonsense", b"x" * 10_000, "ü".encode() * 40, b"\x00\xff" * 20])
def test_a_bad_code_gets_a_readable_refusal(route_db: Engine, body: bytes) -> None:
    response = call("POST", SAME_ORIGIN, body)
    assert response.status_code == 403 and b"sign in again" in bytes(response.body)


def test_delete_revokes_the_cookies_session_and_clears_the_cookie(route_db: Engine) -> None:
    session_id, code = handoff(route_db)
    token = set_cookie(call("POST", SAME_ORIGIN, code.encode())).split(";")[0].split("=", 1)[1]
    response = call("DELETE", SAME_ORIGIN, cookie=token)
    assert response.status_code == 204 and 'Max-Age=0' in set_cookie(response)
    with route_db.connect() as conn:
        reason = conn.scalar(text("SELECT revoked_reason FROM web_sessions WHERE id = :i"), {"i": session_id})
    assert reason == "signed_out"
    assert call("DELETE", SAME_ORIGIN, cookie="garbage").status_code == 204  # nothing to revoke: still cleared
