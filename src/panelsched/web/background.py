"""Changing the diary on the planning worker, so a form is answered while the planner books.

A change (an outcome, a cancellation, an extra sitting, late papers, an emergency decision)
calls the same workflow function the command line does, as the signed-in user, on the
background worker (:mod:`.jobs`, one at a time with uploads' planning). A change done within
:attr:`~panelsched.web.config.WebConfig.wait_seconds` is answered at once; a longer one sends
the browser to its progress page, which shows the result when it is ready.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from panelsched.errors import Problem
from panelsched.forward import Report
from panelsched.io.cells import more_problems
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
    "room": "Making room for the follow-up",
    "reinstate": "Reinstating the sitting",
}


def problem_words(problems: tuple[Problem, ...], more: int = 0) -> list[str]:
    """The problems' sentences alone: the form's own file name and row mean nothing to the
    person who filled it in; ``more`` problems not kept are counted in a last line."""
    return [p.message for p in problems] + ([f"{more_problems(more)}."] if more else [])


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
                "problems": problem_words(job.problems, job.more_problems),
            },
            400,
        )
    assert isinstance(job.result, Report)
    return report_page(request, web, job.title, job.result, job.back)


__all__ = ["DOING", "change_job", "finished", "problem_words"]
