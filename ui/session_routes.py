"""The HTTP side of dashboard sessions: the one route that sets and clears the HttpOnly cookie.

A Streamlit script cannot set cookies (it talks to the browser over a websocket), and a cookie set
by JavaScript cannot be HttpOnly. So right after a sign-in the page has the browser POST a one-time
handoff code here; this route spends it (`web_sessions.redeem_handoff`) and answers with
`Set-Cookie: echo_session=…; HttpOnly; SameSite=Lax` (plus `Secure` over https). DELETE revokes the
cookie's session and clears the cookie (sign-out). Only same-origin requests are served.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from echo_core import web_sessions
from echo_core.config import get_settings
from echo_core.db.engine import make_engine, session_factory
from echo_core.errors import EchoError

SESSION_PATH = "/_echo/session"
CODE_MAX_BYTES = 256


@lru_cache(maxsize=1)
def _engine() -> Engine:
    return make_engine(pool_size=1, max_overflow=2)  # a sign-in or sign-out now and then


def _same_origin(request: Request) -> bool:
    """Refuse cross-site requests (login CSRF).

    Browsers send Sec-Fetch-Site with fetch() and no page can forge it: "same-origin" suffices (behind a
    proxy that rewrites Host, Origin and Host differ). Older browsers: Origin must name this host.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    return origin is not None and origin.split("://", 1)[-1] == request.headers.get("host", "")


def _secure(request: Request) -> bool:
    configured = get_settings().session_cookie_secure
    if configured is not None:
        return configured
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _redeem(code: str) -> web_sessions.Cookie:
    with session_factory(_engine())() as session:
        return web_sessions.redeem_handoff(session=session, code=code)


def _end(token: str) -> None:
    with session_factory(_engine())() as session:
        current = web_sessions.resolve(session=session, token=token)
        web_sessions.end(session=session, session_id=current.session_id)


async def session_endpoint(request: Request) -> Response:
    if not _same_origin(request):
        return PlainTextResponse("Cross-site request refused — sign in from the dashboard itself.", 403)
    secure = _secure(request)
    if request.method == "POST":
        body = await request.body()
        code = body[:CODE_MAX_BYTES].decode("ascii", "replace").strip()
        try:
            cookie = await run_in_threadpool(_redeem, code)
        except web_sessions.SessionEnded:
            return PlainTextResponse("This sign-in has expired or was used already — sign in again.", 403)
        except EchoError as error:
            return PlainTextResponse(str(error), 503)
        response: Response = Response(status_code=204)
        response.set_cookie(web_sessions.COOKIE_NAME, cookie.value, max_age=cookie.max_age, path="/",
                            httponly=True, samesite="lax", secure=secure)
        return response
    token = request.cookies.get(web_sessions.COOKIE_NAME)
    if token:
        try:
            await run_in_threadpool(_end, token)
        except EchoError:  # ended already, expired, or the database is away: the cookie goes either way
            pass
    response = Response(status_code=204)
    response.delete_cookie(web_sessions.COOKIE_NAME, path="/", httponly=True, samesite="lax", secure=secure)
    return response


def routes() -> list[Route]:
    return [Route(SESSION_PATH, session_endpoint, methods=["POST", "DELETE"])]
