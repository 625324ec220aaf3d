"""What a route asks for, as annotated types: the shared state, the signed-in session, a
posted form whose CSRF token is the session's own, a role allowed to make a change, and what
sign-ins share (the counts of wrong passwords and the turn to check one).

A route names these in its parameters (``web: Web, session: MayOutcome, form: CheckedForm``)
and FastAPI supplies them; this is the one module routers import for them, so no router
depends on the application or on another router.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from panelsched.web.errors import Refused, SignInNeeded
from panelsched.web.security import Session, Sessions, same
from panelsched.web.state import WebState, web_state
from panelsched.web.throttle import SignIns

Web = Annotated[WebState, Depends(web_state)]


def sign_in_guard(request: Request) -> SignIns:
    """What every sign-in shares (made by :func:`~panelsched.web.main.create_app`)."""
    guard: SignIns = request.app.state.sign_ins
    return guard


SignInGuard = Annotated[SignIns, Depends(sign_in_guard)]


def current_session(request: Request, web: Web) -> Session:
    """The request's session, or a redirect to sign in (every page but sign-in needs one)."""
    with web.store() as store:
        found = web.sessions.find(store, request.cookies.get(Sessions.COOKIE), web.config.clock())
    if found is None:
        query = f"?{request.url.query}" if request.url.query else ""
        raise SignInNeeded(request.url.path + query if request.method == "GET" else "/")
    request.state.session = found
    return found


SignedIn = Annotated[Session, Depends(current_session)]


async def checked_form(request: Request, session: SignedIn) -> FormData:
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


CheckedForm = Annotated[FormData, Depends(checked_form)]


def allowed(action: str) -> Callable[..., Session]:
    """A dependency that lets through only a role that may ``action`` (else 403)."""

    def check(session: SignedIn) -> Session:
        if not session.may(action):
            raise Refused(
                403,
                "Not allowed",
                f"Your role ({session.user.role}) cannot change the diary this way; nothing "
                "was changed.",
            )
        return session

    return check


MayOutcome = Annotated[Session, Depends(allowed("outcome"))]
MayCancel = Annotated[Session, Depends(allowed("cancel"))]
MayExtra = Annotated[Session, Depends(allowed("extra"))]
MayUpload = Annotated[Session, Depends(allowed("upload"))]
MayLate = Annotated[Session, Depends(allowed("late"))]

__all__ = [
    "CheckedForm",
    "MayCancel",
    "MayExtra",
    "MayLate",
    "MayOutcome",
    "MayUpload",
    "SignInGuard",
    "SignedIn",
    "Web",
    "allowed",
    "checked_form",
    "current_session",
    "sign_in_guard",
]
