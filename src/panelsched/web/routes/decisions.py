"""The panel's decisions: the cases heard whose outcome is still to record, and recording one
(approve with a review date, decline, or defer with a reason).

An outcome is recorded with the same workflow function the command line uses
(:func:`~panelsched.forward.decide`), the form's fields read as a records file's row would be,
so the checks and the audit trail are the command line's; it books the follow-ups the rules
ask for at once, in the background (:mod:`panelsched.web.background`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from panelsched.forward import Report, decide
from panelsched.forward.store import Store
from panelsched.forward.views import awaiting_outcome
from panelsched.io.records import records_from_rows
from panelsched.web.background import in_background
from panelsched.web.deps import CheckedForm, MayOutcome, Web, current_session
from panelsched.web.errors import Changed, Refused
from panelsched.web.forms import form_values, optional_day, parse_day, text
from panelsched.web.pages import page_context, sitting_context
from panelsched.web.pages_data import sitting_version

router = APIRouter(dependencies=[Depends(current_session)])

OUTCOMES = ("approve", "decline", "defer")


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
    """Record approve (with a review date), decline or defer (with a reason) for a case
    heard at the sitting, and book the follow-ups the rules ask for at once."""
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
        # Read as the command line reads a records file: the same checks, the same messages.
        records = records_from_rows("outcome-form.csv", [row], store.model())
        return decide(store, web.actor(diary, session), records, settings=web.config.settings)

    words = {"approve": "approved", "decline": "declined", "defer": "deferred"}[outcome]
    title = f"{reference}: {words}"
    return in_background(request, web, session, "outcome", title, link, make, again)


__all__ = ["OUTCOMES", "router"]
