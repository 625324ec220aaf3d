"""Booking the week's referrals from an uploaded CSV or XLSX file.

1. The administrator uploads the file (and, if they have one, who is away). It is kept in the
   server's private folder, never in the diary.
2. In the background, the planner runs :func:`~panelsched.forward.add` on a copy of the diary:
   a bad file gives its problems row by row and nothing is stored anywhere; a clean one gives
   the proposed bookings and who must be told.
3. The administrator confirms, and the same :func:`~panelsched.forward.add` runs on the diary
   itself. If the diary changed after the preview (another administrator, the command line),
   nothing is stored and the preview can be run again; the planner is deterministic, so an
   unchanged diary gets the bookings the preview showed.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from panelsched.errors import InputError, Problem
from panelsched.forward import Actor, Report, Store, add, refuse_known
from panelsched.io.cells import more_problems
from panelsched.io.inputs import load_new_referrals
from panelsched.web.deps import CheckedForm, MayUpload, Web, checked_form, current_session
from panelsched.web.errors import Refused
from panelsched.web.forms import text
from panelsched.web.jobs import Job
from panelsched.web.pages import page_context
from panelsched.web.security import Session

router = APIRouter(dependencies=[Depends(current_session)])

SUFFIXES = (".csv", ".xlsx", ".xlsm")


def safe_name(name: str, default: str) -> str:
    """The file's own name, kept to letters, digits, ``. _ -`` (it names the file in the
    audit trail), with its extension."""
    base = Path(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip(".-")[:80]
    return cleaned or default


def _upload_page(
    request: Request, web: Web, errors: dict[str, str], values: dict[str, str], status: int = 200
) -> Response:
    diary = web.diary()
    return web.render(
        request,
        "upload.html",
        {
            **page_context(diary),
            "title": "Book new referrals",
            "errors": errors,
            "values": values,
            "limit_mb": web.config.upload_limit // (1024 * 1024),
        },
        status,
    )


@router.get("/upload")
def upload_page(request: Request, web: Web, session: MayUpload) -> Response:
    """The upload form."""
    return _upload_page(request, web, {}, {})


async def upload_form(request: Request, web: Web, session: MayUpload) -> FormData:
    """The upload's form, refused before it is read when the request is far too big."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > 2 * web.config.upload_limit + 65536:
        raise Refused(
            413,
            "The file is too large",
            f"A referrals file may be at most {web.config.upload_limit // (1024 * 1024)} MB. "
            "Nothing was stored. Split the file, or save it as CSV, and upload it again.",
        )
    return await checked_form(request, session)


async def _read(
    upload: object, field: str, required: bool, limit: int, errors: dict[str, str]
) -> tuple[str, bytes] | None:
    if not isinstance(upload, UploadFile) or not upload.filename:
        if required:
            errors[field] = "Choose the file to upload."
        return None
    name = safe_name(upload.filename, f"{field}.csv")
    if Path(name).suffix.lower() not in SUFFIXES:
        errors[field] = (
            f"'{name}' is not a CSV or Excel (.xlsx) file; save it as one of those and upload "
            "it again."
        )
        return None
    content = await upload.read(limit + 1)
    if len(content) > limit:
        errors[field] = (
            f"The file is larger than {limit // (1024 * 1024)} MB. Nothing was stored. Split it "
            "into smaller files and upload them one at a time."
        )
        return None
    if not content.strip():
        errors[field] = "The file is empty."
        return None
    return name, content


def _plan(web: Web, job: Job, by: str, replan: bool, real: bool) -> None:
    referrals = job.files["referrals"]
    availability = job.files.get("availability")

    def run(store: Store) -> Report:
        diary = store.diary()
        # Every problem at once: the planner's case references with the file's rows, and the
        # availability file's problems with the referrals file's.
        loaded, periods = load_new_referrals(
            referrals, availability, store.model(), store.known_referrals()
        )
        refuse_known(store, loaded, str(referrals))
        return add(
            store,
            Actor(web.now(diary), by),
            loaded,
            periods,
            referrals_file=str(referrals),
            availability_file=str(availability) if availability else "",
            settings=web.config.settings,
            replan=replan,
        )

    try:
        if real:
            with web.write_lock, web.store() as store:
                if store.last_command() != job.base_command:
                    job.failure = "changed"
                    return
                job.result = run(store)
            for path in job.files.values():
                path.unlink(missing_ok=True)
        else:
            copy = job.folder / f"preview-{job.id}.db"
            try:
                with web.store() as diary_store:
                    diary_store.copy_to(copy)
                with Store.open(copy) as store:
                    job.base_command = store.last_command()
                    job.result = run(store)
            finally:
                for leftover in job.folder.glob(f"preview-{job.id}.db*"):
                    leftover.unlink(missing_ok=True)
    except InputError as exc:
        # Only what the page lists is kept: the job stays for hours after it ends.
        job.refuse(exc.problems)


def _start_preview(web: Web, owner: str, folder: Path, files: dict[str, Path], replan: bool) -> Job:
    job = web.jobs.new(owner, "preview", folder, files)
    job.replan = replan
    web.jobs.start(job, lambda j: _plan(web, j, owner, replan, real=False))
    return job


@router.post("/upload")
async def upload(
    request: Request,
    web: Web,
    form: Annotated[FormData, Depends(upload_form)],
    session: MayUpload,
) -> Response:
    """Keep the files and start planning them on a copy of the diary."""
    limit = web.config.upload_limit
    errors: dict[str, str] = {}
    referrals = await _read(form.get("referrals"), "referrals", True, limit, errors)
    availability = await _read(form.get("availability"), "availability", False, limit, errors)
    replan = text(form, "replan") == "yes"
    if errors or referrals is None:
        return _upload_page(request, web, errors, {"replan": "yes" if replan else ""}, 400)
    folder = web.workdir / "uploads" / secrets.token_hex(8)
    folder.mkdir(parents=True, mode=0o700)
    files: dict[str, Path] = {}
    for field, found in (("referrals", referrals), ("availability", availability)):
        if found is not None:
            path = folder / field / found[0]
            path.parent.mkdir(mode=0o700)
            path.write_bytes(found[1])
            files[field] = path
    job = _start_preview(web, session.user.name, folder, files, replan)
    return RedirectResponse(f"/upload/{job.id}", 303)


def _job(web: Web, job_id: str, session: Session) -> Job:
    job = web.jobs.get(job_id, session.user.name)
    if job is None:
        raise Refused(
            404,
            "No such upload",
            "This upload is no longer here (the server restarted, or it was a while ago). "
            "Nothing from it was stored unless you confirmed it; upload the file again.",
        )
    return job


def _bookings(report: Report) -> list[dict[str, Any]]:
    """The proposed bookings, one per case (the report lists them once per person)."""
    seen: dict[str, dict[str, Any]] = {}
    for notice in report.notices:
        seen.setdefault(
            notice.key,
            {
                "key": notice.key,
                "kind": notice.kind,
                "panel": notice.panel,
                "panel_name": notice.panel_name,
                "date": notice.date,
                "start": notice.start,
                "end": notice.end,
                "change": notice.change,
            },
        )
    return sorted(seen.values(), key=lambda b: (b["date"], b["start"], b["panel"], b["key"]))


# Past this many rows the "who to tell" table is folded away, so the page's end (and what
# it says about the bookings) is not pushed out of sight.
FOLD_ROWS = 10


def _rows(problems: tuple[Problem, ...], names: dict[str, str]) -> list[dict[str, Any]]:
    """Problems (or warnings) as the page's table rows, naming the file as uploaded: the
    server's own folders mean nothing to the person reading."""
    return [
        {
            "file": names.get(p.file, p.file if not p.file.startswith("/") else "the file"),
            "row": p.row,
            "column": p.column,
            "message": p.message,
        }
        for p in problems
    ]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _summary(report: Report, preview: bool) -> list[str]:
    """What the upload does, in the future tense before it is confirmed and the past after:
    nothing is added until then."""
    referrals = _plural(int(report.extra.get("referrals", 0)), "referral")
    away = int(report.extra.get("away", 0))
    also = f" and {_plural(away, 'period')} away" if away else ""
    waiting = len(report.unplaced)
    if preview:
        lines = [f"Will add {referrals}{also}."]
        if report.booked or report.moved:
            lines.append(
                f"Will book {_plural(report.booked, 'hearing')}"
                + (f" and move {_plural(report.moved, 'booking')}" if report.moved else "")
                + "."
            )
        if waiting:
            lines.append(f"{_plural(waiting, 'hearing')} would wait for a sitting (see below).")
    else:
        lines = [f"Added {referrals}{also}."]
        if report.booked or report.moved:
            lines.append(
                f"Booked {_plural(report.booked, 'hearing')}"
                + (f" and moved {_plural(report.moved, 'booking')}" if report.moved else "")
                + "."
            )
        if waiting:
            lines.append(f"{_plural(waiting, 'hearing')} waiting for a sitting (see below).")
    return lines


@router.get("/upload/{job_id}")
def job_page(request: Request, web: Web, job_id: str, session: MayUpload) -> Response:
    """The upload's progress, then its problems, its preview or what was booked.

    A preview puts first what the person must weigh before confirming (cases that would be
    late or not booked, unusual rows) and the Confirm button after them; the bookings and
    who to tell follow.
    """
    job = _job(web, job_id, session)
    diary = web.diary()
    names = {str(path): path.name for path in job.files.values()}
    report: Report | None = job.result if isinstance(job.result, Report) else None
    preview = job.kind == "preview"
    warnings = report.extra.get("warnings", ()) if report else ()
    return web.render(
        request,
        "upload_job.html",
        {
            **page_context(diary),
            "title": "Booking preview" if preview else "Booking new referrals",
            "job": job,
            "problems": _rows(job.problems, names),
            "problem_count": len(job.problems) + job.more_problems,
            "more_problems": more_problems(job.more_problems) if job.more_problems else "",
            "report": report,
            "preview": preview,
            "summary": _summary(report, preview) if report else [],
            "warnings": _rows(tuple(warnings), names),
            "at_risk": [line for line in report.lines if line.startswith("At risk")]
            if report
            else [],
            "bookings": _bookings(report) if report else [],
            "fold_notices": bool(report and len(report.notices) > FOLD_ROWS),
            "file_name": job.files["referrals"].name,
        },
        200,
    )


@router.get("/upload/{job_id}/status")
def job_status(request: Request, web: Web, job_id: str, session: MayUpload) -> Response:
    """The progress line the page polls (htmx); a finished job reloads the page."""
    job = _job(web, job_id, session)
    if job.over:
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    diary = web.diary()
    return web.render(request, "upload_progress.html", {"diary": diary, "job": job})


def _changed(request: Request, web: Web, job: Job) -> Response:
    diary = web.diary()
    return web.render(
        request,
        "upload_changed.html",
        {**page_context(diary), "title": "Changed since the preview", "job": job},
        409,
    )


@router.post("/upload/{job_id}/confirm")
def confirm(
    request: Request, web: Web, job_id: str, form: CheckedForm, session: MayUpload
) -> Response:
    """Book the previewed referrals for real, unless the diary changed since the preview."""
    job = _job(web, job_id, session)
    if job.kind != "preview" or job.state != "done":
        raise Refused(409, "Cannot confirm this", "Only a finished, clean preview can be booked.")
    if job.confirmed_by is not None:
        # A second click, or a second tab: the booking already under way.
        booked = web.jobs.get(job.confirmed_by, session.user.name)
        if booked is not None:
            return RedirectResponse(f"/upload/{booked.id}", 303)
    with web.store() as store:
        latest = store.last_command()
    if latest != job.base_command:
        return _changed(request, web, job)
    booking, first = web.jobs.claim(job, "booking")
    if first:
        owner = session.user.name
        web.jobs.start(booking, lambda j: _plan(web, j, owner, job.replan, real=True))
    return RedirectResponse(f"/upload/{booking.id}", 303)


@router.post("/upload/{job_id}/again")
def preview_again(web: Web, job_id: str, form: CheckedForm, session: MayUpload) -> Response:
    """Run the preview again on the diary as it is now."""
    job = _job(web, job_id, session)
    if any(not path.exists() for path in job.files.values()):
        raise Refused(410, "The file is gone", "Upload the file again.")
    again = _start_preview(web, session.user.name, job.folder, job.files, job.replan)
    return RedirectResponse(f"/upload/{again.id}", 303)


__all__ = ["router", "safe_name"]
