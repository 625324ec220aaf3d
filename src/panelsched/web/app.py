"""The web application: configuration, shared state, the guard around every request, and the
dependencies routes use to demand a session, a CSRF token and a role.

The guard (:class:`Guard`) sits outside every route. It adds the security headers (a
Content-Security-Policy that allows no inline script or style and nothing from another
origin), writes the access log with the method, the route's template
(``/sittings/{panel}/{day}``, never the path itself, which can hold a case reference), the
status and the time taken, and turns any unexpected error into a plain page with a reference
number, logging only the reference, the exception's type and where it was raised.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import sqlite3
import tempfile
import threading
import time as clock
import traceback
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from html import escape
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader
from starlette.datastructures import FormData, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from panelsched.forward import Actor, Diary, Settings, Store, local_now
from panelsched.forward.store import is_busy
from panelsched.web.security import Passwords, Session, Sessions, same

T = TypeVar("T")
HERE = Path(__file__).resolve().parent
access_log = logging.getLogger("panelsched.web.access")
error_log = logging.getLogger("panelsched.web.error")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
)


@dataclass(frozen=True)
class WebConfig:
    """How the application runs.

    Parameters
    ----------
    db
        The planner's database (made with ``planner init``).
    settings
        The planner's solver budget and seed for every booking the web makes.
    now
        Act as of this fixed moment (the authority's wall clock), for demonstrations and
        replays; ``None`` reads the clock.
    secret
        The key session cookies are signed with; ``None`` makes a new one at each start (so a
        restart signs everyone out).
    clock
        The real time, aware, for sessions and lockouts; tests pass their own.
    passwords
        The password hasher; tests pass a cheap one.
    upload_limit
        The largest referrals file accepted, in bytes.
    wait_seconds
        How long a form that changes the diary waits for its planning before the browser is
        shown the change's progress page instead (the planning goes on in the background).
    """

    db: Path
    settings: Settings = field(default_factory=Settings)
    now: datetime | None = None
    secret: str | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    passwords: Passwords | None = None
    upload_limit: int = 5 * 1024 * 1024
    wait_seconds: float = 0.5


class SignInNeeded(Exception):
    """No session: the browser is sent to sign in, then back to ``next``."""

    def __init__(self, next_path: str) -> None:
        super().__init__("sign in needed")
        self.next_path = next_path


class Refused(Exception):
    """A request that cannot be served, shown as a plain page with ``status``."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.message = message


def diary_busy() -> Refused:
    """The page for a change SQLite refused because another change (the command line's, say)
    held the diary for longer than the wait: nothing of the user's was saved."""
    return Refused(
        503,
        "The diary is busy",
        "Another change is being saved. Nothing of yours was changed; try again in a minute.",
    )


def _uk_day(value: date | None) -> str:
    return value.strftime("%a %d/%m/%Y") if value is not None else ""


def _uk_moment(value: datetime | None) -> str:
    return value.strftime("%a %d/%m/%Y %H:%M") if value is not None else ""


def _hm(value: time | None) -> str:
    return value.strftime("%H:%M") if value is not None else ""


class WebState:
    """What every request shares: the configuration, the diary last read, the lock that
    serialises the web's own changes, the background jobs and the templates."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.passwords = config.passwords or Passwords()
        self.sessions = Sessions(config.secret or secrets.token_urlsafe(32))
        self.write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._cached: tuple[int, Diary] | None = None
        self.workdir = Path(tempfile.mkdtemp(prefix="panelsched-web-"))
        self.templates = Environment(
            loader=PackageLoader("panelsched.web", "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.filters.update(day=_uk_day, moment=_uk_moment, hm=_hm)
        from panelsched.web.jobs import Jobs

        self.jobs = Jobs()
        with self.store():
            pass  # fail at start, not at the first request, when the file is no planner

    def close(self) -> None:
        """Stop background work and remove the uploads kept for previews."""
        self.jobs.close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The store, opened for one request (SQLite connections stay in their thread)."""
        store = Store.open(self.config.db)
        try:
            store.share()
            yield store
        finally:
            store.close()

    def diary(self) -> Diary:
        """The diary as it is now, read again only when a command has changed it.

        One request reads it; the others that find it out of date meanwhile wait for that
        reading rather than each reading it again (twenty viewers after a booking would
        otherwise read it twenty times at once, and all wait the longer).
        """
        with self.store() as store:
            latest = store.last_command()
        cached = self._cached
        if cached is not None and cached[0] == latest:
            return cached[1]
        with self._read_lock:
            cached = self._cached
            # Command ids only grow: a diary read after ``latest`` is at least as new.
            if cached is not None and cached[0] >= latest:
                return cached[1]
            with self.store() as store:
                # The id first: a command in between only makes the next request read again.
                latest = store.last_command()
                diary = store.diary()
            self._cached = (latest, diary)
        return diary

    def warm(self) -> None:
        """Read the diary ahead of the first request (a failure shows at that request)."""
        try:
            self.diary()
        except Exception:  # the request that needs the diary reports it
            return

    def now(self, diary: Diary) -> datetime:
        """The diary's moment: ``--now`` when given, else the authority's clock."""
        return self.config.now or local_now(diary.authority)

    def actor(self, diary: Diary, session: Session) -> Actor:
        """The signed-in user, acting now: every audit row of their change names them."""
        return Actor(self.now(diary), session.user.name)

    def change(self, make: Callable[[Store], T]) -> T:
        """Run one change to the store, one at a time across the server's requests."""
        with self.write_lock, self.store() as store:
            return make(store)

    def render(
        self,
        request: Request,
        template: str,
        context: dict[str, Any],
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        """A page from ``template`` with the session and the diary's moment in its context."""
        session: Session | None = getattr(request.state, "session", None)
        diary: Diary | None = context.get("diary")
        values = {
            "session": session,
            "csrf": session.csrf if session else "",
            "authority": diary.authority.authority if diary else "",
            "now": self.now(diary) if diary else None,
            "path": request.url.path,
            **context,
        }
        html = self.templates.get_template(template).render(values)
        return HTMLResponse(html, status_code=status, headers=headers)


def state(request: Request) -> WebState:
    """The application's shared state."""
    web: WebState = request.app.state.web
    return web


def current_session(request: Request) -> Session:
    """The request's session, or a redirect to sign in (every page but sign-in needs one)."""
    web = state(request)
    with web.store() as store:
        found = web.sessions.find(store, request.cookies.get(Sessions.COOKIE), web.config.clock())
    if found is None:
        query = f"?{request.url.query}" if request.url.query else ""
        raise SignInNeeded(request.url.path + query if request.method == "GET" else "/")
    request.state.session = found
    return found


async def checked_form(
    request: Request, session: Annotated[Session, Depends(current_session)]
) -> FormData:
    """The posted form, once its CSRF token is the session's own (else 403)."""
    form = await request.form(max_files=2, max_fields=40)
    token = form.get("csrf_token")
    if not isinstance(token, str) or not same(token, session.csrf):
        raise Refused(
            403,
            "The form has expired",
            "The form's security token is missing or out of date, so nothing was changed. "
            "Open the page again and resubmit.",
        )
    return form


def allowed(action: str) -> Callable[..., Session]:
    """A dependency that lets through only a role that may ``action`` (else 403)."""

    def check(session: Annotated[Session, Depends(current_session)]) -> Session:
        if not session.may(action):
            raise Refused(
                403,
                "Not allowed",
                f"Your role ({session.user.role}) cannot change the diary this way; nothing "
                "was changed.",
            )
        return session

    return check


SignedIn = Annotated[Session, Depends(current_session)]
CheckedForm = Annotated[FormData, Depends(checked_form)]
MayOutcome = Annotated[Session, Depends(allowed("outcome"))]
MayCancel = Annotated[Session, Depends(allowed("cancel"))]
MayExtra = Annotated[Session, Depends(allowed("extra"))]
MayUpload = Annotated[Session, Depends(allowed("upload"))]


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    if isinstance(route, Mount):
        return f"{route.path}/{{path}}"
    path = getattr(route, "path", None)
    return str(path) if path else "(no route)"


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)[-6:]
    return " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))


ERROR_PAGE = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Something went wrong</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body><main id="main" class="narrow"><h1>Something went wrong</h1>
<p>The page could not be shown because of an error in panelsched. Nothing you sent was
half-saved: each change is all or nothing.</p>
<p>If it happens again, tell your administrator the reference
<strong class="reference">{reference}</strong>.</p>
<p><a href="/calendar">Back to the calendar</a></p></main></body></html>
"""


class Guard:
    """Security headers, the access log and the error page, around the whole application."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = clock.perf_counter()
        status = 500
        responded = False

        async def guarded(message: Message) -> None:
            nonlocal status, responded
            if message["type"] == "http.response.start":
                status = int(message["status"])
                responded = True
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS:
                    headers[name] = value
                if scope.get("scheme") == "https":
                    headers["strict-transport-security"] = "max-age=31536000"
                if not scope.get("path", "").startswith("/static/"):
                    headers["cache-control"] = "no-store"
            await send(message)

        try:
            await self.app(scope, receive, guarded)
        except Exception as exc:
            reference = f"E-{secrets.token_hex(4).upper()}"
            # The exception's own words can quote a case reference: only its type and place.
            error_log.error(
                "unexpected error %s at %s %s: %s at %s",
                reference,
                scope.get("method", ""),
                _route_template(scope),
                type(exc).__name__,
                _where(exc),
            )
            if not responded:
                body = ERROR_PAGE.format(reference=escape(reference)).encode("utf-8")
                await guarded(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [
                            (b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await guarded({"type": "http.response.body", "body": body})
        finally:
            access_log.info(
                "%s %s %d %.1fms",
                scope.get("method", ""),
                _route_template(scope),
                status,
                (clock.perf_counter() - started) * 1000,
            )


def safe_next(value: str) -> str:
    """A path on this site to go back to after signing in (never another site)."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/calendar"


def create_app(config: WebConfig) -> FastAPI:
    """The application over the planner at ``config.db``.

    Raises
    ------
    InputError
        When the file is not a planner (made with ``planner init``).
    """
    from panelsched.web import between, changes, messages, reading, signin, uploads

    web = WebState(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Read the diary while the server starts, not at the first person's first page.
        threading.Thread(target=web.warm, name="panelsched-warm", daemon=True).start()
        yield
        web.close()

    app = FastAPI(
        title="panelsched", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.web = web
    app.add_middleware(Guard)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(signin.router)
    app.include_router(reading.router)
    app.include_router(changes.router)
    app.include_router(uploads.router)
    app.include_router(between.router)
    app.include_router(messages.router)

    @app.exception_handler(SignInNeeded)
    async def to_sign_in(request: Request, exc: SignInNeeded) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/sign-in"})
        from urllib.parse import quote

        return RedirectResponse(f"/sign-in?next={quote(safe_next(exc.next_path))}", 303)

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        return web.render(
            request,
            "message.html",
            {"title": exc.title, "message": exc.message, "link": getattr(exc, "link", "")},
            exc.status,
        )

    @app.exception_handler(sqlite3.OperationalError)
    async def busy(request: Request, exc: sqlite3.OperationalError) -> Response:
        if not is_busy(exc):
            raise exc
        return await refused(request, diary_busy())

    @app.exception_handler(StarletteHTTPException)
    async def not_found(request: Request, exc: StarletteHTTPException) -> Response:
        with web.store() as store:
            found = web.sessions.find(
                store, request.cookies.get(Sessions.COOKIE), web.config.clock()
            )
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

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return web.render(
            request,
            "message.html",
            {"title": "Cannot do that", "message": "The request was not one this page takes."},
            400,
        )

    return app


__all__ = [
    "CSP",
    "CheckedForm",
    "Guard",
    "MayCancel",
    "MayExtra",
    "MayOutcome",
    "MayUpload",
    "Refused",
    "SignInNeeded",
    "SignedIn",
    "WebConfig",
    "WebState",
    "allowed",
    "checked_form",
    "create_app",
    "current_session",
    "safe_next",
    "state",
]
