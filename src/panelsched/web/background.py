"""Changing the diary on the planning worker, so a form is answered while the planner books.

A change (an outcome, a cancellation, an extra sitting, late papers, an emergency decision)
calls the same workflow function the command line does, as the signed-in user, on the
background worker (:mod:`.jobs`, one at a time with uploads' planning). A change done within
:attr:`~panelsched.web.config.WebConfig.wait_seconds` is answered at once; a longer one sends
the browser to its progress page, which shows the result when it is ready.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from panelsched.errors import InputError, Problem
from panelsched.forward import Report
from panelsched.forward.store import Store, is_busy
from panelsched.web.errors import Changed, Refused, diary_busy
from panelsched.web.jobs import Job
from panelsched.web.pages import page_context, report_page
from panelsched.web.security import Session
from panelsched.web.state import WebState

# What the progress page of each kind of change says while it plans.
DOING = {
    "outcome": "Recording the outcome",
    "cancel": "Cancelling the sitting",
    "extra": "Adding the extra sitting",
    "late": "Booking the late papers",
    "emergency": "Recording the emergency decision",
}


def problem_words(problems: tuple[Problem, ...]) -> list[str]:
    """The problems' sentences alone: the form's own file name and row mean nothing to the
    person who filled it in."""
    return [p.message for p in problems]


def in_background(
    request: Request,
    web: WebState,
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
        The change, run in one transaction of the store (it may raise
        :class:`~panelsched.web.errors.Changed` or :class:`~panelsched.errors.InputError`:
        nothing is saved).
    again
        The form again with the workflow's problems, when they are known while the browser
        still waits.

    Returns
    -------
    Response
        What the change did, or its problems, when it ends within the wait; else a redirect
        to its progress page.
    """
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
        return again(problem_words(job.problems))
    return finished(request, web, job)


def change_job(web: WebState, job_id: str, session: Session) -> Job:
    """The user's change ``job_id``.

    Raises
    ------
    Refused
        404 when there is no such change of theirs (any more).
    """
    job = web.jobs.get(job_id, session.user.name)
    if job is None or job.kind not in DOING:
        raise Refused(
            404,
            "No such change",
            "This change is no longer here (the server restarted, or it was a while ago). "
            "Open the sitting to see whether it was saved.",
        )
    return job


def finished(request: Request, web: WebState, job: Job) -> Response:
    """A finished change's page: what it did, or why nothing was saved."""
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
                **page_context(diary),
                "title": "Nothing was saved",
                "job": job,
                "problems": problem_words(job.problems),
            },
            400,
        )
    assert isinstance(job.result, Report)
    return report_page(request, web, job.title, job.result, job.back)


__all__ = ["DOING", "change_job", "finished", "in_background", "problem_words"]
