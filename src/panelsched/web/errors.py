"""The pages a request gets instead of the one it asked for: sign in first, a refusal with its
reason (403, 404, 409, 503...), a page that does not exist, a request no route takes.

Routes raise :class:`SignInNeeded` or :class:`Refused`; :func:`add_error_pages` turns them into
pages, in the same layout as every other page: a signed-in person keeps the navigation and the
council's name. An unexpected error becomes the plain page of :mod:`.middleware`, with a
reference.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from panelsched.forward.month_grid import FIRST_YEAR, LAST_YEAR
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
    ``link`` is set, a link back to the page it came from, worded ``link_words``)."""

    def __init__(
        self,
        status: int,
        title: str,
        message: str,
        link: str = "",
        link_words: str = "Open the sitting again",
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.message = message
        self.link = link
        self.link_words = link_words


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


def no_calendar(what: str, link: str = "/calendar") -> Refused:
    """The 404 page for a month, week or day outside the years the calendar covers
    (:data:`~panelsched.forward.month_grid.FIRST_YEAR` to ``LAST_YEAR``)."""
    return Refused(
        404,
        f"There is no calendar for that {what}",
        f"The calendar covers the years {FIRST_YEAR} to {LAST_YEAR}.",
        link,
        "Back to this month's calendar",
    )


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


def _diary_context(request: Request) -> dict[str, Any]:
    """The diary for the page's header (the council's name) and footer, when someone is
    signed in and the diary can be read; a refusal must still show when it cannot."""
    if getattr(request.state, "session", None) is None:
        return {}
    try:
        return {"diary": web_state(request).diary()}
    except sqlite3.Error:
        return {}


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    return web_state(request).render(
        request,
        "message.html",
        {
            **_diary_context(request),
            "title": exc.title,
            "message": exc.message,
            "link": exc.link,
            "link_words": exc.link_words,
        },
        exc.status,
    )


async def _busy(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, sqlite3.OperationalError)
    if not is_busy(exc):
        raise exc
    return await _refused(request, diary_busy())


async def _out_of_range(request: Request, exc: Exception) -> Response:
    # Python's dates end at year 9999 (and begin at 1): a calendar worked out near either end
    # overflows. Any other overflow is a fault, shown as one.
    assert isinstance(exc, OverflowError)
    if "date" not in str(exc):
        raise exc
    return await _refused(request, no_calendar("date"))


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
        {
            **_diary_context(request),
            "title": title,
            "message": "There is no such page. Use the links above.",
        },
        exc.status_code,
    )


async def _invalid(request: Request, exc: Exception) -> Response:
    return web_state(request).render(
        request,
        "message.html",
        {
            **_diary_context(request),
            "title": "Cannot do that",
            "message": "The request was not one this page takes.",
        },
        400,
    )


def add_error_pages(app: FastAPI) -> None:
    """Answer the exceptions above, a busy diary, a date beyond the calendar, an unknown page
    and a malformed request with a page of their own."""
    app.add_exception_handler(SignInNeeded, _to_sign_in)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(sqlite3.OperationalError, _busy)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(StarletteHTTPException, _not_found)
    app.add_exception_handler(RequestValidationError, _invalid)


__all__ = [
    "Changed",
    "Refused",
    "SignInNeeded",
    "add_error_pages",
    "bad_request",
    "diary_busy",
    "no_calendar",
    "safe_next",
]
