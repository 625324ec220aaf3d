"""The panel's decisions: the cases heard whose outcome is still to record, recording one
(approved with a review date, declined, or deferred with a reason), and making room for a
follow-up the booking round put after its due date.

An outcome is recorded with the same workflow function the command line uses
(:func:`~panelsched.forward.decide`), the form's fields read as a records file's row would be,
so the checks and the audit trail are the command line's; it books the follow-ups the rules
ask for at once, in the background (:mod:`panelsched.web.changes`). A form that worked sends
the browser to its result page (Post/Redirect/Get); one with problems comes back at once with
the error summary at the top.

When a follow-up (a deferral, S10; a ratification, S9) is booked late because the sittings
before its due date are full of routine cases, the result page offers to make room
(:mod:`panelsched.forward.commands.room`): the move is tried on a copy of the diary and shown
(which cases move, who is told) before it is confirmed, as a cancellation is.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from panelsched.forward import Report, decide
from panelsched.forward.commands import make_room
from panelsched.forward.store import Store
from panelsched.forward.views import awaiting_outcome
from panelsched.io.records import records_from_rows
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
from panelsched.web.deps import CheckedForm, MayOutcome, Web, current_session
from panelsched.web.errors import Changed, Refused
from panelsched.web.forms import form_date, form_values, parse_day, text
from panelsched.web.pages import page_context, sitting_context
from panelsched.web.pages_data import late_follow_ups, sitting_version

router = APIRouter(dependencies=[Depends(current_session)])

OUTCOMES = ("approve", "decline", "defer")
ROOM = "room preview"
# The page a change was made from: only this site's own pages.
_BACKS = ("/sittings/", "/between")


@router.get("/outcomes")
def outcomes_page(request: Request, web: Web) -> Response:
    """Cases heard whose outcome is not recorded yet, by sitting."""
    diary = web.diary()
    waiting = awaiting_outcome(diary, web.now(diary))
    sittings: dict[str, list[Any]] = {}
    for slot in waiting:
        sittings.setdefault(slot.booking.sitting_id, []).append(slot)
    return web.render(
        request,
        "outcomes.html",
        {**page_context(diary), "title": "Outcomes to record", "sittings": sittings},
    )


@router.post("/sittings/{panel}/{day}/outcome")
def record_outcome(
    request: Request,
    web: Web,
    panel: str,
    day: str,
    form: CheckedForm,
    session: MayOutcome,
) -> Response:
    """Record approved (with a review date), declined or deferred (with a reason) for a case
    heard at the sitting, and book the follow-ups the rules ask for at once."""
    when = parse_day(day)
    link = f"/sittings/{panel}/{when.isoformat()}"
    reference = text(form, "referral_id", 100)
    outcome = text(form, "outcome")
    errors: dict[str, str] = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = "Choose whether the panel approved, declined or deferred the case"
    review = form_date(form, "review_date", errors, "the review date")
    if outcome == "approve" and review is None and "review_date" not in errors:
        errors["review_date"] = "Enter the review date the panel set for this approval"
    if outcome == "approve" and review is not None and review <= when:
        errors["review_date"] = f"The review date must be after the sitting ({when:%d/%m/%Y})"
    reason = text(form, "deferral_reason")
    if outcome == "defer" and not reason:
        errors["deferral_reason"] = "Enter the reason the panel deferred the case"
    first_cla = form_date(form, "first_cla_review", errors, "the first CLA review")
    still_neet = text(form, "still_neet")

    def again(problems: list[str]) -> Response:
        diary = web.diary()
        context = sitting_context(web, session, diary, panel, when)
        context.update(form="outcome", errors=errors, problems=problems, values=form_values(form))
        context["title"] = f"Error: {context['title']}"
        if reference not in {slot.hearing.referral_id for slot in context["awaiting"]}:
            # No form for that case on the page: say it at the top.
            context["form"] = ""
            context["page_problems"] = [*errors.values(), *problems]
        return web.render(request, "sitting.html", context, FORM_PROBLEMS)

    if not reference:
        raise Refused(400, "Cannot do that", "The form did not say which case it is for.")
    if errors:
        return again([])
    version = text(form, "version")

    def make(store: Store) -> Report:
        diary = store.diary()
        if sitting_version(diary, panel, when) != version:
            raise Changed(link)
        row = {
            "referral_id": reference,
            "panel": panel,
            "date": when.isoformat(),
            "outcome": outcome,
        }
        if outcome == "approve" and review is not None:
            row["review_date"] = review.isoformat()
        if outcome == "defer":
            row["deferral_reason"] = reason
        if first_cla is not None:
            row["first_cla_review"] = first_cla.isoformat()
        if still_neet in ("yes", "no"):
            row["still_neet"] = still_neet
        # Read as the command line reads a records file: the same checks, the same messages.
        records = records_from_rows("outcome-form.csv", [row], store.model())
        return decide(store, web.actor(diary, session), records, settings=web.config.settings)

    words = {"approve": "approved", "decline": "declined", "defer": "deferred"}[outcome]
    title = f"{reference}: {words}"
    return start_change(request, web, session, "outcome", title, link, make, again)


def _back(form_back: str) -> str:
    return form_back if form_back.startswith(_BACKS) and "//" not in form_back else "/calendar"


@router.post("/make-room")
def room_preview(request: Request, web: Web, form: CheckedForm, session: MayOutcome) -> Response:
    """Try making room for the follow-ups booked late (``key``, one per follow-up) on a copy
    of the diary; the preview page shows what would move."""
    keys = sorted({k.strip() for k in form.getlist("key") if isinstance(k, str) and k.strip()})
    back = _back(text(form, "back", 300))
    if not keys:
        raise Refused(400, "Cannot do that", "The form did not say which follow-up needs room.")

    def make(store: Store) -> Report:
        return make_room(
            store, web.actor(store.diary(), session), keys, settings=web.config.settings
        )

    job = preview_on_copy(web, session, ROOM, make)
    job.back = back
    job.title = ",".join(keys)
    return RedirectResponse(f"/make-room/{job.id}", 303)


@router.get("/make-room/{job_id}")
def room_page(request: Request, web: Web, job_id: str, session: MayOutcome) -> Response:
    """What making room would do: which routine cases move where, who is told, and where the
    follow-ups would then be heard; a button to do it."""
    job = preview_job(web, job_id, session, ROOM)
    diary = web.diary()
    report = job.result if isinstance(job.result, Report) else None
    moved: dict[str, dict[str, Any]] = {}
    for notice in report.notices if report else ():
        entry = moved.setdefault(notice.key, {"notice": notice, "people": []})
        entry["people"].append(notice.person)
    follow_keys = {f.key for f in report.follow_ups} if report else set()
    return web.render(
        request,
        "room_preview.html",
        {
            **page_context(diary),
            "title": "Make room for a follow-up",
            "job": job,
            "report": report,
            "routine": [m for k, m in sorted(moved.items()) if k not in follow_keys],
            "told": {k: m["people"] for k, m in moved.items()},
            "still_late": late_follow_ups(report) if report else [],
            "changed": job.over and not unchanged_since(web, job),
            "problems": [p.message for p in job.problems],
            "count_words": cases,
        },
    )


@router.get("/make-room/{job_id}/status")
def room_status(request: Request, web: Web, job_id: str, session: MayOutcome) -> Response:
    """The progress line the preview page polls (htmx); a finished preview reloads it."""
    return preview_status(request, web, preview_job(web, job_id, session, ROOM))


@router.post("/make-room/{job_id}/confirm")
def room_confirm(
    request: Request, web: Web, job_id: str, form: CheckedForm, session: MayOutcome
) -> Response:
    """Make room as the preview showed, unless the diary changed since."""
    job = preview_job(web, job_id, session, ROOM)
    keys = job.title.split(",")

    def make(store: Store) -> Report:
        actor = web.actor(store.diary(), session)
        return make_room(store, actor, keys, settings=web.config.settings)

    def again(problems: list[str]) -> Response:
        raise Refused(409, "Nothing was moved", " ".join(problems), job.back)

    title = "Made room for " + ", ".join(keys)
    return confirm_preview(request, web, session, job, "room", title, make, again)


__all__ = ["OUTCOMES", "router"]
