"""A sitting: its page, cancelling it (previewed first), reinstating a cancelled one, and
adding an extra one.

A form carries the version of the sitting it was opened on; if the sitting changed since,
nothing is saved and the page says so. The workflow's own checks (a sitting already
cancelled) still hold if the command line changed the diary in between. The workflow books
moved cases with the planner, so the change runs in the background
(:mod:`panelsched.web.changes`).

Cancelling moves every case booked at the sitting, so it is tried first on a copy of the
diary, as an upload is: the preview lists where each case would go, which would then be heard
after their due date (and by how many days), who would be told, and offers an extra sitting
before the due dates instead. Confirming re-checks that nothing changed the diary since the
preview, then cancels for real; the planner is deterministic, so the cases go where the
preview showed.

A form that worked sends the browser to its result page (Post/Redirect/Get); one with
problems comes back at once with the GOV.UK error summary (see :mod:`panelsched.web.changes`),
and a GET of a form's address (refresh, back, a bookmark) goes to the sitting's page.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from panelsched.forward import Report, cancel, extra
from panelsched.forward.commands import reinstate
from panelsched.forward.commands.sittings import NonWorkingDay
from panelsched.forward.store import Store
from panelsched.web.changes import (
    FORM_PROBLEMS,
    cases,
    confirm_preview,
    preview_job,
    preview_on_copy,
    preview_status,
    start_change,
    unchanged_since,
)
from panelsched.web.deps import CheckedForm, MayCancel, MayExtra, SignedIn, Web, current_session
from panelsched.web.errors import Changed, Refused
from panelsched.web.forms import form_date, form_values, parse_day, text
from panelsched.web.pages import page_context, sitting_context
from panelsched.web.pages_data import find_view, opened, sitting_version
from panelsched.web.security import Session

router = APIRouter(dependencies=[Depends(current_session)])

PREVIEW = "cancel preview"


@router.get("/sittings/{panel}/{day}")
def sitting_page(request: Request, web: Web, panel: str, day: str, session: SignedIn) -> Response:
    """A sitting: its agenda slot by slot, who presents and attends, cut-off, papers-out,
    free time; forms to record outcomes, cancel or reinstate it, by role."""
    diary = web.diary()
    return web.render(
        request, "sitting.html", sitting_context(web, session, diary, panel, parse_day(day))
    )


@router.get("/sittings/{panel}/{day}/cancel")
@router.get("/sittings/{panel}/{day}/reinstate")
@router.get("/sittings/{panel}/{day}/outcome")
def back_to_sitting(panel: str, day: str, session: SignedIn) -> Response:
    """A form's address opened again (refresh, back, a bookmark): the sitting's page."""
    return RedirectResponse(f"/sittings/{panel}/{parse_day(day).isoformat()}", 303)


def _sitting_form(
    request: Request,
    web: Web,
    session: Session,
    panel: str,
    when: date,
    form_name: str,
    values: dict[str, str],
    errors: dict[str, str],
    problems: list[str],
) -> Response:
    """The sitting's page with ``form_name``'s problems at the top and beside its fields."""
    context = sitting_context(web, session, web.diary(), panel, when)
    context.update(form=form_name, values=values, errors=errors, problems=problems)
    if not context[f"may_{form_name}"]:
        # No form of that kind on the page any more (cancelled meanwhile): say it at the top.
        context["form"] = ""
        context["page_problems"] = [*errors.values(), *problems]
    context["title"] = f"Error: {context['title']}"
    return web.render(request, "sitting.html", context, FORM_PROBLEMS)


def _late_days(store: Store, report: Report) -> Report:
    """The report with, in ``extra["late"]``, each case it booked late: its due date, where
    it went and how many days late (read from the store the change was made in)."""
    diary = store.diary()
    by_key = {key: hearing_id for hearing_id, key in diary.keys.items()}
    late: list[dict[str, Any]] = []
    for key, _ in report.late:
        hearing_id = by_key.get(key)
        booking = diary.in_force.get(hearing_id) if hearing_id is not None else None
        due = diary.due_date(diary.by_id[hearing_id]) if hearing_id is not None else None
        if booking is None or due is None:
            continue
        late.append({"key": key, "due": due, "at": booking, "days": (booking.date - due).days})
    return replace(report, extra={**report.extra, "late": late})


@router.post("/sittings/{panel}/{day}/cancel")
def cancel_sitting(
    request: Request,
    web: Web,
    panel: str,
    day: str,
    form: CheckedForm,
    session: MayCancel,
) -> Response:
    """Preview cancelling a sitting still ahead (reason, agreed by): where its cases would
    go, on a copy of the diary; nothing is changed until the preview is confirmed."""
    when = parse_day(day)
    link = f"/sittings/{panel}/{when.isoformat()}"
    reason = text(form, "reason")
    agreed_by = text(form, "agreed_by", 100)
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "Enter the reason the sitting is cancelled"
    if not agreed_by:
        errors["agreed_by"] = "Enter who agreed the cancellation (the chair, vice-chair, ...)"
    version = text(form, "version")
    diary = web.diary()
    view = find_view(diary, panel, when)
    problems: list[str] = []
    if view is not None and opened(view, web.now(diary)):
        problems.append(
            f"The sitting of {when:%d/%m/%Y} has begun; only a sitting still ahead can be cancelled"
        )
    if errors or problems:
        return _sitting_form(
            request, web, session, panel, when, "cancel", form_values(form), errors, problems
        )

    def make(store: Store) -> Report:
        if sitting_version(store.diary(), panel, when) != version:
            raise Changed(link)
        report = cancel(
            store,
            web.actor(store.diary(), session),
            f"{panel}@{when.isoformat()}",
            reason,
            agreed_by=agreed_by,
            settings=web.config.settings,
        )
        report = _late_days(store, report)
        return replace(report, extra={**report.extra, "reason": reason, "agreed_by": agreed_by})

    job = preview_on_copy(web, session, PREVIEW, make)
    job.back = link
    return RedirectResponse(f"{link}/cancel/{job.id}", 303)


def _moves(report: Report) -> list[dict[str, Any]]:
    """Each case the change books, once (the report lists it once per person to tell)."""
    seen: dict[str, dict[str, Any]] = {}
    for notice in report.notices:
        entry = seen.setdefault(notice.key, {"notice": notice, "people": []})
        entry["people"].append(notice.person)
    return sorted(
        seen.values(), key=lambda e: (e["notice"].date, e["notice"].start, e["notice"].key)
    )


def _extra_before(diary_now: date, cancelled: date, late: list[dict[str, Any]]) -> date | None:
    """A weekday after today, other than the cancelled date, on or before every late case's
    due date: the latest such day (the most time to arrange it), or ``None``."""
    if not late:
        return None
    day: date = min(entry["due"] for entry in late)
    while day > diary_now:
        if day.weekday() < 5 and day != cancelled:
            return day
        day -= timedelta(days=1)
    return None


@router.get("/sittings/{panel}/{day}/cancel/{job_id}")
def cancel_preview(
    request: Request, web: Web, panel: str, day: str, job_id: str, session: MayCancel
) -> Response:
    """The cancellation's preview: while it plans, then where each case would go."""
    when = parse_day(day)
    job = preview_job(web, job_id, session, PREVIEW)
    diary = web.diary()
    view = find_view(diary, panel, when)
    if view is None:
        raise Refused(404, "No such sitting", f"{panel} does not sit on {when:%a %d/%m/%Y}.")
    report = job.result if isinstance(job.result, Report) else None
    late = report.extra.get("late", []) if report else []
    suggest = _extra_before(web.now(diary).date(), when, late)
    title = f"Cancel {view.panel_name}, {when:%a %d/%m/%Y}?"
    return web.render(
        request,
        "cancel_preview.html",
        {
            **page_context(diary),
            "title": title,
            "view": view,
            "job": job,
            "report": report,
            "moves": _moves(report) if report else [],
            "late": late,
            "changed": job.over and not unchanged_since(web, job),
            "problems": [p.message for p in job.problems],
            "suggest": suggest,
            "count_words": cases,
            "link": f"/sittings/{panel}/{when.isoformat()}",
        },
        409 if job.failure == "changed" else 200,
    )


@router.get("/sittings/{panel}/{day}/cancel/{job_id}/status")
def cancel_preview_status(
    request: Request, web: Web, panel: str, day: str, job_id: str, session: MayCancel
) -> Response:
    """The progress line the preview page polls (htmx); a finished preview reloads it."""
    return preview_status(request, web, preview_job(web, job_id, session, PREVIEW))


@router.post("/sittings/{panel}/{day}/cancel/{job_id}/confirm")
def confirm_cancel(
    request: Request,
    web: Web,
    panel: str,
    day: str,
    job_id: str,
    form: CheckedForm,
    session: MayCancel,
) -> Response:
    """Cancel the sitting as the preview showed, unless the diary changed since."""
    when = parse_day(day)
    job = preview_job(web, job_id, session, PREVIEW)
    if not isinstance(job.result, Report):
        raise Refused(
            409, "Cannot confirm this", "Only a finished, clean preview can be confirmed."
        )
    reason = str(job.result.extra["reason"])
    agreed_by = str(job.result.extra["agreed_by"])

    def make(store: Store) -> Report:
        return cancel(
            store,
            web.actor(store.diary(), session),
            f"{panel}@{when.isoformat()}",
            reason,
            agreed_by=agreed_by,
            settings=web.config.settings,
        )

    def again(problems: list[str]) -> Response:
        return _sitting_form(request, web, session, panel, when, "cancel", {}, {}, problems)

    view = find_view(web.diary(), panel, when)
    name = view.panel_name if view else panel
    title = f"Cancelled the {name} sitting of {when:%a %d/%m/%Y}"
    return confirm_preview(request, web, session, job, "cancel", title, make, again)


@router.post("/sittings/{panel}/{day}/reinstate")
def reinstate_sitting(
    request: Request,
    web: Web,
    panel: str,
    day: str,
    form: CheckedForm,
    session: MayCancel,
) -> Response:
    """Hold a cancelled sitting after all (reason, agreed by); cases waiting and cases booked
    late are offered its time."""
    when = parse_day(day)
    link = f"/sittings/{panel}/{when.isoformat()}"
    reason = text(form, "reason")
    agreed_by = text(form, "agreed_by", 100)
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "Enter why the sitting is held after all"
    values = form_values(form)
    if errors:
        return _sitting_form(request, web, session, panel, when, "reinstate", values, errors, [])
    version = text(form, "version")

    def make(store: Store) -> Report:
        if sitting_version(store.diary(), panel, when) != version:
            raise Changed(link)
        return reinstate(
            store,
            web.actor(store.diary(), session),
            panel,
            when,
            reason=reason,
            agreed_by=agreed_by,
            settings=web.config.settings,
        )

    def again(problems: list[str]) -> Response:
        return _sitting_form(request, web, session, panel, when, "reinstate", values, {}, problems)

    view = find_view(web.diary(), panel, when)
    name = view.panel_name if view else panel
    title = f"Reinstated the {name} sitting of {when:%a %d/%m/%Y}"
    return start_change(request, web, session, "reinstate", title, link, make, again)


def _extra_form(
    request: Request,
    web: Web,
    values: dict[str, Any],
    errors: dict[str, str],
    problems: list[str],
    *,
    non_working: str = "",
    cancelled_link: str = "",
) -> Response:
    diary = web.diary()
    failed = bool(errors or problems)
    return web.render(
        request,
        "extra.html",
        {
            **page_context(diary),
            "title": ("Error: " if failed else "") + "Add an extra sitting",
            "values": values,
            "errors": errors,
            "problems": problems,
            "non_working": non_working,
            "cancelled_link": cancelled_link,
        },
        FORM_PROBLEMS if failed else 200,
    )


@router.get("/extra")
def extra_page(
    request: Request, web: Web, session: MayExtra, panel: str = "", date: str = ""
) -> Response:
    """The form to add an extra sitting (``panel`` and ``date`` filled in when a page, such
    as a cancellation's preview, suggests one)."""
    values: dict[str, str] = {}
    if panel:
        values["panel"] = panel
    try:
        chosen = parse_day(date) if date else None
    except Refused:
        chosen = None
    if chosen is not None:
        values.update(
            {
                "date-day": str(chosen.day),
                "date-month": str(chosen.month),
                "date-year": str(chosen.year),
            }
        )
    return _extra_form(request, web, values, {}, [])


@router.post("/extra")
def add_extra(request: Request, web: Web, form: CheckedForm, session: MayExtra) -> Response:
    """Add an extra sitting and book waiting cases into it."""
    panel = text(form, "panel", 100)
    errors: dict[str, str] = {}
    diary = web.diary()
    if panel not in diary.base.panel_ids:
        errors["panel"] = "Choose the panel"
    when = form_date(form, "date", errors, "the date of the extra sitting", required=True)
    reason = text(form, "reason")
    anyway = text(form, "allow_non_working_day") == "yes"
    values = form_values(form)
    if errors or when is None:
        return _extra_form(request, web, values, errors, [])
    day = when
    link = f"/sittings/{panel}/{day.isoformat()}"
    refused: dict[str, str] = {}

    def make(store: Store) -> Report:
        try:
            return extra(
                store,
                web.actor(store.diary(), session),
                panel,
                day,
                reason=reason,
                allow_non_working_day=anyway,
                settings=web.config.settings,
            )
        except NonWorkingDay as exc:
            refused["non_working"] = exc.sentence
            raise

    def again(problems: list[str]) -> Response:
        if "non_working" in refused:
            # The form asks, in words, instead of the command line's flag.
            message = (
                f'{refused["non_working"]}. Choose another date, or tick "Sit on this '
                'non-working day anyway".'
            )
            return _extra_form(request, web, values, {"date": message}, [], non_working=message)
        view = find_view(web.diary(), panel, day)
        gone = link if view is not None and view.cancelled else ""
        return _extra_form(request, web, values, {}, problems, cancelled_link=gone)

    name = diary.base.panel(panel).name
    title = f"Added an extra {name} sitting on {day:%a %d/%m/%Y}"
    return start_change(request, web, session, "extra", title, link, make, again)


__all__ = ["router"]
