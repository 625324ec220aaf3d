"""Signing in and out.

The sign-in form has no session to hold its CSRF token, so the token is a signed value in a
SameSite=Strict cookie that the form must repeat (a form posted from another site carries
neither). A session's cookie is HttpOnly and SameSite=Strict, and Secure whenever the page
came over HTTPS (uvicorn reads ``X-Forwarded-Proto`` from a proxy on the same machine).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from panelsched.web.accounts import Accounts
from panelsched.web.deps import CheckedForm, SignedIn, Web
from panelsched.web.errors import Refused, safe_next
from panelsched.web.security import SESSION_FOR, Sessions, SignInResult, sign_in

router = APIRouter()


def _cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def _form(
    request: Request,
    web: Web,
    next_path: str,
    refusal: str = "",
    name: str = "",
    status: int = 200,
) -> Response:
    # Keep a token the browser already holds: a second sign-in page (another tab, a request
    # the browser makes on its own) must not spoil the form already open.
    held = request.cookies.get(Sessions.SIGN_IN_COOKIE)
    token = held if held and web.sessions.sign_in_token_ok(held, held) else None
    token = token or web.sessions.sign_in_token()
    response = web.render(
        request,
        "sign_in.html",
        {
            "title": "Sign in",
            "sign_in_token": token,
            "next": safe_next(next_path),
            "refusal": refusal,
            "name": name,
        },
        status,
    )
    _cookie(request, response, Sessions.SIGN_IN_COOKIE, token, 3600)
    return response


@router.get("/sign-in")
def sign_in_page(request: Request, web: Web, next: str = "/calendar") -> Response:
    """The sign-in form."""
    return _form(request, web, next)


@router.post("/sign-in")
async def sign_in_post(request: Request, web: Web) -> Response:
    """Check the name and password; start a session and go to the page asked for."""
    form = await request.form(max_files=0, max_fields=10)
    field = form.get("sign_in_token")
    if not web.sessions.sign_in_token_ok(
        request.cookies.get(Sessions.SIGN_IN_COOKIE), field if isinstance(field, str) else None
    ):
        raise Refused(
            403,
            "The form has expired",
            "The sign-in form's security token is missing or out of date. Open the sign-in "
            "page again.",
        )
    name = str(form.get("name") or "").strip()
    password = str(form.get("password") or "")
    next_path = safe_next(str(form.get("next") or "/calendar"))
    now = web.config.clock()

    def check() -> tuple[SignInResult, str | None]:
        # Hashing takes a good part of a second's CPU: off the event loop.
        with web.store() as store:
            result = sign_in(store, web.passwords, name, password, now)
            return result, web.sessions.start(store, result.user, now) if result.user else None

    result, cookie = await run_in_threadpool(check)
    if cookie is None:
        return _form(request, web, next_path, result.refusal, name, 401)
    response = RedirectResponse(next_path, 303)
    _cookie(request, response, Sessions.COOKIE, cookie, int(SESSION_FOR.total_seconds()))
    response.delete_cookie(Sessions.SIGN_IN_COOKIE, path="/", httponly=True, samesite="strict")
    return response


@router.get("/favicon.ico")
def favicon() -> Response:
    """No icon: answered here so that browsers asking for one are not sent to sign in."""
    return Response(status_code=204)


@router.post("/sign-out")
def sign_out(request: Request, web: Web, session: SignedIn, form: CheckedForm) -> Response:
    """End the session."""
    with web.store() as store:
        Accounts(store).end_session(session.token_hash)
    response = RedirectResponse("/sign-in", 303)
    response.delete_cookie(Sessions.COOKIE, path="/", httponly=True, samesite="strict")
    return response


__all__ = ["router"]
