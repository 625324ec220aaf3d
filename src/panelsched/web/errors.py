"""The pages a request gets instead of the one it asked for: sign in first, a refusal with its
reason (403, 404, 409, 503...), a page that does not exist, a request no route takes.

Routes raise :class:`SignInNeeded` or :class:`Refused`; :func:`add_error_pages` turns them into
pages. An unexpected error becomes the plain page of :mod:`.middleware`, with a reference.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from panelsched.forward.store import is_busy
from panelsched.web.security import Sessions
from panelsched.web.state import web_state


class SignInNeeded(Exception):
    """No session: the browser is sent to sign in, then back to ``next``."""

    def __init__(self, next_path: str) -> None:
        super().__init__("sign in needed")
        self.next_path = next_path


class Refused(Exception):
    """A request that cannot be served, shown as a plain page with ``status`` (and, when
    ``link`` is set, a link back to the page it came from)."""

    def __init__(self, status: int, title: str, message: str, link: str = "") -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.message = message
        self.link = link


class Changed(Refused):
    """The sitting changed after the form was opened."""

    def __init__(self, link: str) -> None:
        super().__init__(
            409,
            "Changed since you opened it",
            "Someone changed this sitting after you opened the page (an outcome recorded, a "
            "case booked or moved, or the sitting cancelled). Nothing was saved. Open the "
            "sitting again to see the change, then resubmit if it is still needed.",
            link,
        )


def diary_busy() -> Refused:
    """The page for a change SQLite refused because another change (the command line's, say)
    held the diary for longer than the wait: nothing of the user's was saved."""
    return Refused(
        503,
        "The diary is busy",
        "Another change is being saved. Nothing of yours was changed; try again in a minute.",
    )


def bad_request(message: str) -> Refused:
    """A 400 page saying what was wrong with the address."""
    return Refused(400, "Cannot show that", message)


def safe_next(value: str) -> str:
    """A path on this site to go back to after signing in (never another site)."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/calendar"


async def _to_sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInNeeded)
    if request.headers.get("hx-request"):
        return Response(status_code=401, headers={"HX-Redirect": "/sign-in"})
    return RedirectResponse(f"/sign-in?next={quote(safe_next(exc.next_path))}", 303)


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    return web_state(request).render(
        request,
        "message.html",
        {"title": exc.title, "message": exc.message, "link": exc.link},
        exc.status,
    )


async def _busy(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, sqlite3.OperationalError)
    if not is_busy(exc):
        raise exc
    return await _refused(request, diary_busy())


async def _not_found(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    web = web_state(request)
    with web.store() as store:
        found = web.sessions.find(store, request.cookies.get(Sessions.COOKIE), web.config.clock())
    if found is None:
        return RedirectResponse("/sign-in", 303)
    request.state.session = found
    title = "Page not found" if exc.status_code == 404 else "Cannot do that"
    return web.render(
        request,
        "message.html",
        {"title": title, "message": "There is no such page. Use the links above."},
        exc.status_code,
    )


async def _invalid(request: Request, exc: Exception) -> Response:
    return web_state(request).render(
        request,
        "message.html",
        {"title": "Cannot do that", "message": "The request was not one this page takes."},
        400,
    )


def add_error_pages(app: FastAPI) -> None:
    """Answer the exceptions above, a busy diary, an unknown page and a malformed request with
    a page of their own."""
    app.add_exception_handler(SignInNeeded, _to_sign_in)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(sqlite3.OperationalError, _busy)
    app.add_exception_handler(StarletteHTTPException, _not_found)
    app.add_exception_handler(RequestValidationError, _invalid)


__all__ = [
    "Changed",
    "Refused",
    "SignInNeeded",
    "add_error_pages",
    "bad_request",
    "diary_busy",
    "safe_next",
]
