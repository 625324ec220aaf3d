"""What happens between sittings: late papers the chair agreed to take (S2), and decisions
taken in an emergency that the next sitting must ratify (S9).

Both are recorded as the command line records them, through the same workflow functions: a
late paper is a referral with ``late_permission`` set, added with
:func:`~panelsched.forward.add` (``planner add``); an emergency decision is a records row
with ``emergency_decision`` set and no booking, recorded with
:func:`~panelsched.forward.decide` (``planner decide``), which books its ratification at the
panel's next sitting. The form's fields are read as that file's one row would be, so the
checks and the audit trail are the command line's; the planning runs in the background like
every change.

Dates and times are asked for in day, month and year boxes and hour and minute boxes
(:mod:`panelsched.web.forms`). A form that worked sends the browser to its result page
(Post/Redirect/Get); one with problems comes back at once with the error summary at the top
(:mod:`panelsched.web.changes`), and a GET of a form's address goes to the forms' page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from panelsched.forward import Report, add, decide
from panelsched.forward.store import Store
from panelsched.io.inputs import referrals_from_rows
from panelsched.io.records import records_from_rows
from panelsched.web.changes import FORM_PROBLEMS, start_change
from panelsched.web.deps import CheckedForm, MayLate, MayOutcome, Web, current_session
from panelsched.web.forms import form_date, form_time, form_values, text
from panelsched.web.pages import page_context
from panelsched.web.security import Session

router = APIRouter(dependencies=[Depends(current_session)])

EMERGENCY_OUTCOMES = ("approve", "decline")


def _page(
    request: Request,
    web: Web,
    session: Session,
    form: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
) -> Response:
    """The page with both forms; ``form`` names the one that came back with problems."""
    diary = web.diary()
    failed = bool(errors or problems)
    context: dict[str, Any] = {
        **page_context(diary),
        "title": ("Error: " if failed else "") + "Late papers and emergency decisions",
        "form": form,
        "values": values or {},
        "errors": errors or {},
        "problems": problems or [],
        "may_late": session.may("late"),
        "may_emergency": session.may("outcome"),
        "no_late": [p for p in diary.base.panels if not p.late_applications],
    }
    return web.render(request, "between.html", context, FORM_PROBLEMS if failed else 200)


@router.get("/between")
def between_page(request: Request, web: Web, session: MayOutcome, panel: str = "") -> Response:
    """The forms for late papers and emergency decisions (``panel`` chosen in the first,
    when a sitting's page sent the browser here)."""
    return _page(request, web, session, "late" if panel else "", {"panel": panel} if panel else {})


@router.get("/between/late")
@router.get("/between/emergency")
def back_to_forms(request: Request, session: MayOutcome) -> Response:
    """A form's address opened again (refresh, back, a bookmark): the forms' page."""
    return RedirectResponse(f"/between#{request.url.path.rsplit('/', 1)[-1]}", 303)


def _moment(
    form: FormData, day_field: str, time_field: str, errors: dict[str, str], what: str
) -> datetime | None:
    """The form's date and time of ``what`` ("the papers came"), local like the diary."""
    day = form_date(form, day_field, errors, f"the date {what}", required=True)
    at = form_time(form, time_field, errors, f"the time {what}")
    if day is None or at is None:
        return None
    return datetime.combine(day, at)


def _people(form: FormData, errors: dict[str, str], needed: bool) -> tuple[str, str]:
    worker, manager = text(form, "social_worker", 100), text(form, "team_manager", 100)
    if needed and not worker:
        errors["social_worker"] = "Enter the social worker who presents the case"
    if needed and not manager:
        errors["team_manager"] = "Enter the team manager who presents the case"
    return worker, manager


def _case(web: Web, form: FormData, errors: dict[str, str]) -> tuple[str, str]:
    """The form's case reference and panel."""
    reference = text(form, "referral_id", 100)
    if not reference:
        errors["referral_id"] = "Enter the case reference"
    panel = text(form, "panel", 100)
    if panel not in web.diary().base.panel_ids:
        errors["panel"] = "Choose the panel"
    return reference, panel


@router.post("/between/late")
def late_papers(request: Request, web: Web, form: CheckedForm, session: MayLate) -> Response:
    """Add a referral whose papers came after the cut-off, with the chair's permission, and
    book it (it may then be heard at a sitting whose cut-off has passed, S2)."""
    errors: dict[str, str] = {}
    reference, panel = _case(web, form, errors)
    submitted = _moment(form, "submitted_date", "submitted_time", errors, "the papers came")
    worker, manager = _people(form, errors, needed=True)
    agreed_by = text(form, "agreed_by", 100)
    if not agreed_by:
        errors["agreed_by"] = "Enter who agreed to take the late papers (the chair or vice-chair)"
    diary = web.diary()
    if panel in diary.base.panel_ids and not diary.base.panel(panel).late_applications:
        errors["panel"] = (
            f"{diary.base.panel(panel).name} takes no late papers; the case goes to the first "
            "sitting whose cut-off it met (upload it with the week's referrals)."
        )

    def again(problems: list[str]) -> Response:
        return _page(request, web, session, "late", form_values(form), errors, problems)

    if errors or submitted is None:
        return again([])
    row = {
        "referral_id": reference,
        "panel": panel,
        "submitted": f"{submitted:%Y-%m-%d %H:%M}",
        "social_worker": worker,
        "team_manager": manager,
        "complex": "yes" if text(form, "complex") == "yes" else "no",
        "late_permission": "yes",
    }

    def make(store: Store) -> Report:
        actor = web.actor(store.diary(), session)
        referrals = referrals_from_rows("late-papers.csv", [row], store.model())
        report = add(
            store, actor, referrals, referrals_file="late-papers.csv", settings=web.config.settings
        )
        # Who agreed, in the audit trail (the referrals file has no column for it): a command
        # of its own just after, under the same write lock.
        with store.transaction(actor, "late papers", reference):
            store.audit("late papers agreed", reference, f"agreed by {agreed_by}")
        return report

    title = f"{reference}: late papers booked"
    return start_change(request, web, session, "late", title, "/between", make, again)


@router.post("/between/emergency")
def emergency_decision(
    request: Request, web: Web, form: CheckedForm, session: MayOutcome
) -> Response:
    """Record a decision taken in an emergency between sittings and book its ratification at
    the panel's next sitting (S9)."""
    errors: dict[str, str] = {}
    reference, panel = _case(web, form, errors)
    taken = _moment(form, "taken_date", "taken_time", errors, "the decision was taken")
    outcome = text(form, "outcome")
    if outcome not in EMERGENCY_OUTCOMES:
        errors["outcome"] = "Choose whether the decision was to approve or to decline"
    diary = web.diary()
    known = {h.referral_id for h in diary.hearings}
    # A case already in the diary is presented by the people of its latest hearing.
    worker, manager = _people(form, errors, needed=reference not in known)
    if taken is not None and any(
        diary.by_id[h].referral_id == reference and b.panel == panel and b.date == taken.date()
        for h, b in diary.in_force.items()
    ):
        # The workflow would read the row as that hearing's outcome, not an emergency.
        errors["taken_date"] = (
            f"{reference} is booked at {panel} on {taken:%d/%m/%Y}: record its outcome on "
            "that sitting's page."
        )

    def again(problems: list[str]) -> Response:
        return _page(request, web, session, "emergency", form_values(form), errors, problems)

    if errors or taken is None:
        return again([])
    row = {
        "referral_id": reference,
        "panel": panel,
        "date": taken.date().isoformat(),
        "outcome": outcome,
        "emergency_decision": f"{taken:%Y-%m-%d %H:%M}",
    }
    if worker:
        row["social_worker"] = worker
    if manager:
        row["team_manager"] = manager

    def make(store: Store) -> Report:
        actor = web.actor(store.diary(), session)
        records = records_from_rows("emergency-decision.csv", [row], store.model())
        return decide(store, actor, records, settings=web.config.settings)

    title = f"{reference}: emergency decision recorded"
    return start_change(request, web, session, "emergency", title, "/between", make, again)


__all__ = ["EMERGENCY_OUTCOMES", "router"]
