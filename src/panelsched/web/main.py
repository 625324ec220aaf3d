"""The web application: :func:`create_app` builds it from a :class:`~.config.WebConfig`.

It puts together what the other modules define: the shared state (:mod:`.state`), the guard
around every request (:mod:`.middleware`), the error pages (:mod:`.errors`), the static files
and the routers (:mod:`.routes`).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from panelsched.web.config import WebConfig
from panelsched.web.errors import add_error_pages
from panelsched.web.middleware import Guard
from panelsched.web.routes import (
    between_sittings,
    clocks,
    decisions,
    diary,
    downloads,
    outbox,
    progress,
    risks,
    sign_in,
    sittings,
    uploads,
)
from panelsched.web.state import WebState
from panelsched.web.throttle import SignIns

HERE = Path(__file__).resolve().parent


def create_app(config: WebConfig) -> FastAPI:
    """The application over the planner at ``config.db``.

    Raises
    ------
    InputError
        When the file is not a planner (made with ``planner init``).
    """
    web = WebState(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Read the diary while the server starts, not at the first person's first page; make
        # the hash unknown names are checked against before anyone signs in, so the first
        # unknown name costs no more than a known one.
        threading.Thread(target=web.warm, name="panelsched-warm", daemon=True).start()
        threading.Thread(target=web.passwords.warm, name="panelsched-hash", daemon=True).start()
        yield
        web.close()

    app = FastAPI(
        title="panelsched", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.web = web
    app.state.sign_ins = SignIns(config.sign_ins_at_once)
    app.add_middleware(Guard)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for routes in (
        sign_in,
        diary,
        sittings,
        decisions,
        downloads,
        progress,
        uploads,
        between_sittings,
        outbox,
        risks,
        clocks,
    ):
        app.include_router(routes.router)
    add_error_pages(app)
    return app


__all__ = ["create_app"]
