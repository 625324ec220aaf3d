"""The forms that change the diary: record an outcome, cancel a sitting, add an extra one.

Each reads its form, checks it, and calls the same workflow function the command line does
(:func:`~panelsched.forward.decide`, :func:`~panelsched.forward.cancel`,
:func:`~panelsched.forward.extra`) as the signed-in user, so the audit trail names them. A form
carries the version of the sitting it was opened on; if the sitting changed since, nothing is
saved and the page says so. The workflow's own checks (an outcome already recorded, a sitting
already cancelled) still hold if the command line changed the diary in between.

The workflow books follow-ups and moved cases with the planner, which can take seconds, so it
runs on the background worker (:mod:`.jobs`, one at a time with uploads' planning). A change
done within :attr:`~panelsched.web.app.WebConfig.wait_seconds` is answered at once; a longer
one sends the browser to its progress page, which shows the result when it is ready.
"""

from __future__ import annotations

import csv
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from panelsched.errors import InputError, Problem
from panelsched.forward import Report, cancel, decide, extra
from panelsched.forward.store import Store, is_busy
from panelsched.web.app import (
    CheckedForm,
    MayCancel,
    MayExtra,
    MayOutcome,
    Refused,
    SignedIn,
    current_session,
    diary_busy,
    state,
)
from panelsched.web.jobs import Job
from panelsched.web.pages_data import sitting_version
from panelsched.web.reading import common, parse_day, sitting_context
from panelsched.web.security import Session

router = APIRouter(dependencies=[Depends(current_session)])

OUTCOMES = ("approve", "decline", "defer")


class Changed(Refused):
    """The sitting changed after the form was opened."""

    def __init__(self, link: str) -> None:
        super().__init__(
            409,
            "Changed since you opened it",
            "Someone changed this sitting after you opened the page (an outcome recorded, a "
            "case booked or moved, or the sitting cancelled). Nothing was saved. Open the "
            "sitting again to see the change, then resubmit if it is still needed.",
        )
        self.link = link


def text(form: FormData, name: str, limit: int = 500) -> str:
    """A form field's text, trimmed (an absent field or a file is empty)."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def form_values(form: FormData) -> dict[str, str]:
    """The form's text fields, to fill the form in again when it comes back with problems."""
    return {key: value for key, value in form.items() if isinstance(value, str)}


def optional_day(value: str, field: str, errors: dict[str, str], words: str) -> date | None:
    """A form's ISO date, or ``None`` when blank; a bad one is put in ``errors[field]``."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[field] = f"'{value}' is not a date; give {words} like 2027-06-30."
        return None


def _problem_words(problems: tuple[Problem, ...]) -> list[str]:
    # The form's own file name and row mean nothing to the person who filled it in.
    return [p.message for p in problems]


def report_page(request: Request, title: str, report: Report, back: str) -> Response:
    """What a change did: its summary, the follow-ups booked and who must be told."""
    web = state(request)
    diary = web.diary()
    return web.render(
        request,
        "done.html",
        {**common(diary), "title": title, "report": report, "back": back},
    )


# What the progress page of each kind of change says while it plans.
DOING = {
    "outcome": "Recording the outcome",
    "cancel": "Cancelling the sitting",
    "extra": "Adding the extra sitting",
    "late": "Booking the late papers",
    "emergency": "Recording the emergency decision",
}


def in_background(
    request: Request,
    session: Session,
    kind: str,
    title: str,
    back: str,
    make: Callable[[Store], Report],
    again: Callable[[list[str]], Response],
) -> Response:
    """Make a change on the planning worker, as the signed-in user.

    Parameters
    ----------
    kind
        What the change is (a key of :data:`DOING`).
    title
        The heading of the page that shows what it did.
    back
        The page it was made from.
    make
        The change, run in one transaction of the store (it may raise :class:`Changed` or
        :class:`~panelsched.errors.InputError`: nothing is saved).
    again
        The form again with the workflow's problems, when they are known while the browser
        still waits.

    Returns
    -------
    Response
        What the change did, or its problems, when it ends within the wait; else a redirect
        to its progress page.
    """
    web = state(request)
    job = web.jobs.new(session.user.name, kind, web.workdir, {})
    job.title, job.back = title, back

    def work(running: Job) -> None:
        try:
            running.result = web.change(make)
        except Changed:
            running.failure = "changed"
        except InputError as exc:
            running.problems = exc.problems
        except sqlite3.OperationalError as exc:
            # Another change (the command line's) held the diary past the wait: the page
            # says so, as a request refused for it does, not "an unexpected error".
            if not is_busy(exc):
                raise
            running.failure = "busy"

    web.jobs.start(job, work)
    if not web.jobs.wait(job, web.config.wait_seconds):
        return RedirectResponse(f"/changes/{job.id}", 303)
    if job.problems:
        return again(_problem_words(job.problems))
    return _finished(request, job)


def _change_job(request: Request, job_id: str, session: Session) -> Job:
    job = state(request).jobs.get(job_id, session.user.name)
    if job is None or job.kind not in DOING:
        raise Refused(
            404,
            "No such change",
            "This change is no longer here (the server restarted, or it was a while ago). "
            "Open the sitting to see whether it was saved.",
        )
    return job


def _finished(request: Request, job: Job) -> Response:
    """A finished change's page: what it did, or why nothing was saved."""
    web = state(request)
    if job.failure == "changed":
        raise Changed(job.back)
    if job.failure == "busy":
        raise diary_busy()
    if job.failure:
        raise Refused(
            500,
            "The change was not saved",
            f"The planning failed: {job.failure}. Nothing was saved. Try again; if it fails "
            "again, tell your administrator.",
        )
    if job.problems:
        diary = web.diary()
        return web.render(
            request,
            "change_job.html",
            {
                **common(diary),
                "title": "Nothing was saved",
                "job": job,
                "problems": _problem_words(job.problems),
            },
            400,
        )
    assert isinstance(job.result, Report)
    return report_page(request, job.title, job.result, job.back)


@router.get("/changes/{job_id}")
def change_page(request: Request, job_id: str, session: SignedIn) -> Response:
    """A change's progress while it plans, then what it did."""
    web = state(request)
    job = _change_job(request, job_id, session)
    if job.over:
        return _finished(request, job)
    diary = web.diary()
    return web.render(
        request,
        "change_job.html",
        {**common(diary), "title": DOING[job.kind], "job": job, "problems": []},
    )


@router.get("/changes/{job_id}/status")
def change_status(request: Request, job_id: str, session: SignedIn) -> Response:
    """The progress line the page polls (htmx); a finished change reloads the page."""
    web = state(request)
    job = _change_job(request, job_id, session)
    if job.over:
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    return web.render(request, "upload_progress.html", {"diary": web.diary(), "job": job})


@contextmanager
def form_file(workdir: Path, name: str, row: dict[str, str]) -> Iterator[Path]:
    """A form's fields as the one-row CSV file the command line would be given, for the
    workflow to read; in a private folder under ``workdir``, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="panelsched-form-", dir=workdir) as folder:
        path = Path(folder) / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(row))
            writer.writeheader()
            writer.writerow(row)
        yield path


@router.post("/sittings/{panel}/{day}/outcome")
def record_outcome(
    request: Request,
    panel: str,
    day: str,
    form: CheckedForm,
    session: MayOutcome,
) -> Response:
    """Record approve (with a review date), decline or defer (with a reason) for a case
    heard at the sitting, and book the follow-ups the rules ask for at once."""
    web = state(request)
    when = parse_day(day)
    link = f"/sittings/{panel}/{when.isoformat()}"
    reference = text(form, "referral_id", 100)
    outcome = text(form, "outcome")
    errors: dict[str, str] = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = "Choose approve, decline or defer."
    review = optional_day(text(form, "review_date"), "review_date", errors, "the review date")
    if outcome == "approve" and review is None and "review_date" not in errors:
        errors["review_date"] = "Give the review date the panel set for this approval."
    if outcome == "approve" and review is not None and review <= when:
        errors["review_date"] = "The review date must be after the sitting."
    reason = text(form, "deferral_reason")
    if outcome == "defer" and not reason:
        errors["deferral_reason"] = "Give the reason the panel deferred the case."
    first_cla = optional_day(
        text(form, "first_cla_review"), "first_cla_review", errors, "the first CLA review"
    )
    still_neet = text(form, "still_neet")

    def again(problems: list[str], status: int = 400) -> Response:
        diary = web.diary()
        context = sitting_context(web, session, diary, panel, when)
        context.update(
            errors={reference: errors}, problems={reference: problems}, values=form_values(form)
        )
        if reference not in {slot.hearing.referral_id for slot in context["awaiting"]}:
            # No form for that case on the page: say it at the top.
            context["page_problems"] = [*errors.values(), *problems]
        return web.render(request, "sitting.html", context, status)

    if not reference:
        raise Refused(400, "Cannot do that", "The form did not say which case it is for.")
    if errors:
        return again([])

    def make(store: Store) -> Report:
        diary = store.diary()
        if sitting_version(diary, panel, when) != text(form, "version"):
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
        with form_file(web.workdir, "outcome-form.csv", row) as records:
            return decide(store, web.actor(diary, session), records, settings=web.config.settings)

    words = {"approve": "approved", "decline": "declined", "defer": "deferred"}[outcome]
    return in_background(request, session, "outcome", f"{reference}: {words}", link, make, again)


@router.post("/sittings/{panel}/{day}/cancel")
def cancel_sitting(
    request: Request,
    panel: str,
    day: str,
    form: CheckedForm,
    session: MayCancel,
) -> Response:
    """Cancel a sitting still ahead (reason, agreed by); its cases are booked elsewhere and
    the people to tell are listed."""
    web = state(request)
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
    return in_background(request, session, "cancel", title, link, make, again)


def _extra_form(
    request: Request, values: dict[str, Any], errors: dict[str, str], problems: list[str]
) -> Response:
    web = state(request)
    diary = web.diary()
    return web.render(
        request,
        "extra.html",
        {
            **common(diary),
            "title": "Add an extra sitting",
            "values": values,
            "errors": errors,
            "problems": problems,
        },
        400 if errors or problems else 200,
    )


@router.get("/extra")
def extra_page(request: Request, session: MayExtra) -> Response:
    """The form to add an extra sitting."""
    return _extra_form(request, {}, {}, [])


@router.post("/extra")
def add_extra(
    request: Request,
    form: CheckedForm,
    session: MayExtra,
) -> Response:
    """Add an extra sitting and book waiting cases into it."""
    web = state(request)
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
        return _extra_form(request, form_values(form), errors, [])
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
        return _extra_form(request, form_values(form), {}, problems)

    title = f"Extra {panel} sitting on {day:%a %d/%m/%Y}"
    link = f"/sittings/{panel}/{day.isoformat()}"
    return in_background(request, session, "extra", title, link, make, again)


__all__ = [
    "DOING",
    "OUTCOMES",
    "Changed",
    "form_file",
    "form_values",
    "in_background",
    "optional_day",
    "report_page",
    "router",
    "text",
]
