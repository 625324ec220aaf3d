"""A change's progress page: while the planner books it, then what it did (the change itself
is made by the router of its form, through :func:`panelsched.web.changes.start_change`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from panelsched.web.background import DOING, change_job, finished
from panelsched.web.deps import SignedIn, Web, current_session
from panelsched.web.pages import page_context

router = APIRouter(dependencies=[Depends(current_session)])


@router.get("/changes/{job_id}")
def change_page(request: Request, web: Web, job_id: str, session: SignedIn) -> Response:
    """A change's progress while it plans, then what it did."""
    job = change_job(web, job_id, session)
    if job.over:
        return finished(request, web, job)
    diary = web.diary()
    return web.render(
        request,
        "change_job.html",
        {**page_context(diary), "title": DOING[job.kind], "job": job, "problems": []},
    )


@router.get("/changes/{job_id}/status")
def change_status(request: Request, web: Web, job_id: str, session: SignedIn) -> Response:
    """The progress line the page polls (htmx); a finished change reloads the page."""
    job = change_job(web, job_id, session)
    if job.over:
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    return web.render(request, "upload_progress.html", {"diary": web.diary(), "job": job})


__all__ = ["router"]
