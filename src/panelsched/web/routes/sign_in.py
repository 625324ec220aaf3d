"""Signing in and out.

The sign-in form has no session to hold its CSRF token, so the token is a signed value in a
SameSite=Strict cookie that the form must repeat (a form posted from another site carries
neither). A session's cookie is HttpOnly and SameSite=Strict, and Secure whenever the page
came over HTTPS (uvicorn reads ``X-Forwarded-Proto`` from a proxy on the same machine).

Every failed sign-in gets the same page and status. Passwords are checked one at a time
(``WebConfig.sign_ins_at_once``) in worker threads of their own
(:class:`~panelsched.web.throttle.SignIns`), so a burst of sign-ins waits its turn while pages
are served; an address held after too many wrong passwords
is answered at once, with the same page, without checking anything (the answer it gets is the
same whatever the name, so its speed tells nothing about who exists).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from panelsched.web.accounts import Accounts
from panelsched.web.deps import CheckedForm, SignedIn, SignInGuard, Web
from panelsched.web.errors import Refused, safe_next
from panelsched.web.security import REFUSAL, SESSION_FOR, Sessions, SignInResult, sign_in

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
async def sign_in_post(request: Request, web: Web, guard: SignInGuard) -> Response:
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
    # The address uvicorn gives: a proxy's X-Forwarded-For only from a proxy it trusts.
    address = request.client.host if request.client else ""
    if guard.throttle.address_held(address, now):
        return _form(request, web, next_path, REFUSAL, name, 401)

    def check() -> tuple[SignInResult, str | None]:
        with web.store() as store:
            result = sign_in(store, web.passwords, name, password, now, address, guard.throttle)
            return result, web.sessions.start(store, result.user, now) if result.user else None

    result, cookie = await guard.check(check)
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
