"""A sitting: its page, cancelling it, and adding an extra one.

A form carries the version of the sitting it was opened on; if the sitting changed since,
nothing is saved and the page says so. The workflow's own checks (a sitting already
cancelled) still hold if the command line changed the diary in between. The workflow books
moved cases with the planner, so the change runs in the background
(:mod:`panelsched.web.background`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from panelsched.forward import Report, cancel, extra
from panelsched.forward.store import Store
from panelsched.web.background import in_background
from panelsched.web.deps import CheckedForm, MayCancel, MayExtra, SignedIn, Web, current_session
from panelsched.web.errors import Changed
from panelsched.web.forms import form_values, optional_day, parse_day, text
from panelsched.web.pages import page_context, sitting_context
from panelsched.web.pages_data import sitting_version

router = APIRouter(dependencies=[Depends(current_session)])


@router.get("/sittings/{panel}/{day}")
def sitting_page(request: Request, web: Web, panel: str, day: str, session: SignedIn) -> Response:
    """A sitting: its agenda slot by slot, who presents and attends, cut-off, papers-out,
    free time; forms to record outcomes or cancel it, by role."""
    diary = web.diary()
    return web.render(
        request, "sitting.html", sitting_context(web, session, diary, panel, parse_day(day))
    )


@router.post("/sittings/{panel}/{day}/cancel")
def cancel_sitting(
    request: Request,
    web: Web,
    panel: str,
    day: str,
    form: CheckedForm,
    session: MayCancel,
) -> Response:
    """Cancel a sitting still ahead (reason, agreed by); its cases are booked elsewhere and
    the people to tell are listed."""
    when = parse_day(day)
    link = f"/sittings/{panel}/{when.isoformat()}"
    reason = text(form, "reason")
    agreed_by = text(form, "agreed_by", 100)
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "Give the reason the sitting is cancelled."
    if not agreed_by:
        errors["agreed_by"] = "Say who agreed the cancellation (the chair, vice-chair, ...)."

    def again(problems: list[str]) -> Response:
        diary = web.diary()
        context = sitting_context(web, session, diary, panel, when)
        context.update(cancel_errors=errors, cancel_problems=problems, values=form_values(form))
        if not context["may_cancel"]:
            context["page_problems"] = [*errors.values(), *problems]
        return web.render(request, "sitting.html", context, 400)

    if errors:
        return again([])

    def make(store: Store) -> Report:
        diary = store.diary()
        if sitting_version(diary, panel, when) != text(form, "version"):
            raise Changed(link)
        return cancel(
            store,
            web.actor(diary, session),
            f"{panel}@{when.isoformat()}",
            reason,
            agreed_by=agreed_by,
            settings=web.config.settings,
        )

    title = f"Cancelled {panel} on {when:%a %d/%m/%Y}"
    return in_background(request, web, session, "cancel", title, link, make, again)


def _extra_form(
    request: Request,
    web: Web,
    values: dict[str, Any],
    errors: dict[str, str],
    problems: list[str],
) -> Response:
    diary = web.diary()
    return web.render(
        request,
        "extra.html",
        {
            **page_context(diary),
            "title": "Add an extra sitting",
            "values": values,
            "errors": errors,
            "problems": problems,
        },
        400 if errors or problems else 200,
    )


@router.get("/extra")
def extra_page(request: Request, web: Web, session: MayExtra) -> Response:
    """The form to add an extra sitting."""
    return _extra_form(request, web, {}, {}, [])


@router.post("/extra")
def add_extra(request: Request, web: Web, form: CheckedForm, session: MayExtra) -> Response:
    """Add an extra sitting and book waiting cases into it."""
    panel = text(form, "panel", 100)
    errors: dict[str, str] = {}
    diary = web.diary()
    if panel not in diary.base.panel_ids:
        errors["panel"] = "Choose the panel."
    when = optional_day(text(form, "date"), "date", errors, "the date")
    if when is None and "date" not in errors:
        errors["date"] = "Give the date of the extra sitting."
    reason = text(form, "reason")
    if errors or when is None:
        return _extra_form(request, web, form_values(form), errors, [])
    day = when

    def make(store: Store) -> Report:
        return extra(
            store,
            web.actor(store.diary(), session),
            panel,
            day,
            reason=reason,
            settings=web.config.settings,
        )

    def again(problems: list[str]) -> Response:
        return _extra_form(request, web, form_values(form), {}, problems)

    title = f"Extra {panel} sitting on {day:%a %d/%m/%Y}"
    link = f"/sittings/{panel}/{day.isoformat()}"
    return in_background(request, web, session, "extra", title, link, make, again)


__all__ = ["router"]
