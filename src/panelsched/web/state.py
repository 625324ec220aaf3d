"""What every request shares: the configuration, the diary last read, the lock that serialises
the web's own changes, the background jobs and the page templates.

One :class:`WebState` per application, made by :func:`~panelsched.web.main.create_app`; routes
reach it through :data:`panelsched.web.deps.Web`, never through the application object.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader

from panelsched.forward import Actor, Diary, Store, local_now
from panelsched.web.config import WebConfig
from panelsched.web.jobs import Jobs
from panelsched.web.security import Passwords, Session, Sessions

T = TypeVar("T")


def _uk_day(value: date | None) -> str:
    return value.strftime("%a %d/%m/%Y") if value is not None else ""


def _uk_moment(value: datetime | None) -> str:
    return value.strftime("%a %d/%m/%Y %H:%M") if value is not None else ""


def _hm(value: time | None) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def page_templates() -> Environment:
    """The pages' Jinja templates, with the UK date filters (``day``, ``moment``, ``hm``)."""
    templates = Environment(
        loader=PackageLoader("panelsched.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates.filters.update(day=_uk_day, moment=_uk_moment, hm=_hm)
    return templates


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
        self.templates = page_templates()
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


def web_state(request: Request) -> WebState:
    """The application's shared state (what :func:`~panelsched.web.main.create_app` made)."""
    web: WebState = request.app.state.web
    return web


__all__ = ["WebState", "page_templates", "web_state"]
