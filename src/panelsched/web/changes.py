"""A change made from a form, and a change tried first on a copy of the diary.

:func:`start_change` runs a change on the planning worker and answers a change that worked
with a redirect to its result page (``/changes/{id}``): Post/Redirect/Get, so refreshing the
result or going back to it never makes the change twice, and the address bar shows the
result's address, not the form's. A form with problems is shown again at once, at the address
it was posted to, with the error summary focused (the GOV.UK way, status 422): nothing was
saved, so sending it again is harmless, and each form's route also answers a GET at that
address by sending the browser to the form's page (a bookmark or "back" then lands somewhere
real).

:func:`preview_on_copy` runs a change on a copy of the diary (as an upload's preview does,
:meth:`~panelsched.forward.Store.copy_to`), so a page can show what it would do; the
confirmation checks the diary is still the one the preview was made on
(:meth:`~panelsched.forward.Store.last_command`) and then makes the same change for real (the
planner is deterministic, so an unchanged diary gets what the preview showed).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from panelsched.errors import InputError
from panelsched.forward import Report
from panelsched.forward.store import Store, is_busy
from panelsched.web.background import problem_words
from panelsched.web.errors import Changed, Refused
from panelsched.web.jobs import Job
from panelsched.web.security import Session
from panelsched.web.state import WebState

# The status of a form sent back with its problems (GOV.UK answers them 200; 422 tells a
# script or a test that nothing was saved, and every browser shows the page the same).
FORM_PROBLEMS = 422


def _work(web: WebState, make: Callable[[Store], Report]) -> Callable[[Job], None]:
    def work(running: Job) -> None:
        try:
            running.result = web.change(make)
        except Changed:
            running.failure = "changed"
        except InputError as exc:
            running.refuse(exc.problems)
        except sqlite3.OperationalError as exc:
            # Another change (the command line's) held the diary past the wait: the page
            # says so, as a request refused for it does, not "an unexpected error".
            if not is_busy(exc):
                raise
            running.failure = "busy"

    return work


def start_change(
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
        What the change is (a key of :data:`~panelsched.web.background.DOING`, for its
        progress page).
    title, back
        The heading of its result page, and the page it was made from.
    make
        The change, in one transaction (it may raise :class:`Changed` or
        :class:`~panelsched.errors.InputError`: nothing is saved).
    again
        The form again with the workflow's problems, when they are known while the browser
        still waits.

    Returns
    -------
    Response
        The form with its problems, or a redirect to the change's result page (which shows
        its progress while it still plans).
    """
    job = web.jobs.new(session.user.name, kind, web.workdir, {})
    job.title, job.back = title, back
    web.jobs.start(job, _work(web, make))
    if web.jobs.wait(job, web.config.wait_seconds) and job.problems:
        return again(problem_words(job.problems, job.more_problems))
    return RedirectResponse(f"/changes/{job.id}", 303)


def preview_on_copy(
    web: WebState, session: Session, kind: str, make: Callable[[Store], Report]
) -> Job:
    """Start ``make`` on a copy of the diary, on the planning worker; the job's
    ``base_command`` is the diary's latest command when copied, its ``result`` the report."""
    job = web.jobs.new(session.user.name, kind, web.workdir, {})

    def work(running: Job) -> None:
        copy = web.workdir / f"preview-{running.id}.db"
        try:
            with web.store() as diary_store:
                diary_store.copy_to(copy)
            with Store.open(copy) as store:
                running.base_command = store.last_command()
                running.result = make(store)
        except Changed:
            running.failure = "changed"
        except InputError as exc:
            running.refuse(exc.problems)
        finally:
            for leftover in web.workdir.glob(f"preview-{running.id}.db*"):
                leftover.unlink(missing_ok=True)

    web.jobs.start(job, work)
    web.jobs.wait(job, web.config.wait_seconds)
    return job


def preview_status(request: Request, web: WebState, job: Job) -> Response:
    """The progress line a preview page polls (htmx); a finished preview reloads the page."""
    if job.over:
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    return web.render(request, "upload_progress.html", {"diary": web.diary(), "job": job})


def confirm_preview(
    request: Request,
    web: WebState,
    session: Session,
    job: Job,
    kind: str,
    title: str,
    make: Callable[[Store], Report],
    again: Callable[[list[str]], Response],
) -> Response:
    """Make for real the change the preview ``job`` showed, as :func:`start_change` does,
    unless the diary changed since it was copied (then nothing is done and the page says so,
    linking back to ``job.back``); a preview confirmed already answers with that change's
    result page, so a second click makes nothing twice.

    Raises
    ------
    Refused
        409 for a preview not finished or with problems.
    """
    if job.state != "done" or not isinstance(job.result, Report):
        raise Refused(
            409, "Cannot confirm this", "Only a finished, clean preview can be confirmed."
        )
    if job.confirmed_by is not None:
        return RedirectResponse(f"/changes/{job.confirmed_by}", 303)
    base = job.base_command

    def checked(store: Store) -> Report:
        # Under the write lock: what the preview saw is still the diary, or nothing is done.
        if store.last_command() != base:
            raise Changed(job.back)
        return make(store)

    response = start_change(request, web, session, kind, title, job.back, checked, again)
    location = response.headers.get("location", "")
    if location.startswith("/changes/"):
        job.confirmed_by = location.removeprefix("/changes/")
    return response


def preview_job(web: WebState, job_id: str, session: Session, kind: str) -> Job:
    """The user's preview ``job_id`` of ``kind``.

    Raises
    ------
    Refused
        404 when there is no such preview of theirs (any more).
    """
    job = web.jobs.get(job_id, session.user.name)
    if job is None or job.kind != kind:
        raise Refused(
            404,
            "No such preview",
            "This preview is no longer here (the server restarted, or it was a while ago). "
            "Nothing was changed; start again from the sitting's page.",
        )
    return job


def unchanged_since(web: WebState, job: Job) -> bool:
    """True when nothing changed the diary since the preview ``job`` copied it."""
    with web.store() as store:
        return store.last_command() == job.base_command


def cases(count: int, one: str = "case", many: str = "cases") -> str:
    """``1 case``, ``3 cases``, ``No cases``."""
    if count == 0:
        return f"No {many}"
    return f"{count} {one if count == 1 else many}"


__all__ = [
    "FORM_PROBLEMS",
    "cases",
    "confirm_preview",
    "preview_job",
    "preview_on_copy",
    "preview_status",
    "start_change",
    "unchanged_since",
]
