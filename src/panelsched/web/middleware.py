"""The guard around every request: security headers, the access log and the error page.

:class:`Guard` adds the security headers (a Content-Security-Policy that allows no inline
script or style and nothing from another origin), writes the access log with the method, the
route's template (``/sittings/{panel}/{day}``, never the path itself, which can hold a case
reference), the status and the time taken, and turns any unexpected error into a plain page
with a reference number, logging only the reference, the exception's type and where it was
raised.
"""

from __future__ import annotations

import logging
import secrets
import time as clock
import traceback
from html import escape
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    if isinstance(route, Mount):
        return f"{route.path}/{{path}}"
    path = getattr(route, "path", None)
    return str(path) if path else "(no route)"


def where(exc: BaseException) -> str:
    """Where ``exc`` was raised: the last frames' file, line and function, innermost first
    (what the error log says instead of the exception's words, which can quote a case)."""
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
                where(exc),
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


__all__ = ["CSP", "ERROR_PAGE", "Guard", "access_log", "error_log", "where"]
