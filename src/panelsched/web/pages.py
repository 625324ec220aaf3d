"""What several pages show, for the routers that render them: the diary's panels and fill
bands on every diary page, everything on a sitting's page (also re-shown with a form's
problems), and the page that says what a change did (never styled as done when a follow-up
is booked after its due date: it then offers to make room)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from panelsched.core.sittings import sitting_id
from panelsched.forward import Diary, Report
from panelsched.forward.views import BANDS
from panelsched.web.errors import Refused
from panelsched.web.pages_data import (
    agenda_rows,
    extra_reason,
    fill_words,
    find_view,
    is_extra,
    late_follow_ups,
    opened,
    sitting_version,
)
from panelsched.web.security import Session
from panelsched.web.state import WebState


def page_context(diary: Diary) -> dict[str, Any]:
    """What every diary page shows: the diary, its panels and the fill bands."""
    return {
        "diary": diary,
        "panels": diary.base.panels,
        "bands": [(name, words) for name, words, _ in BANDS],
        "fill_words": fill_words,
        "is_extra": is_extra,
    }


def sitting_context(
    web: WebState, session: Session, diary: Diary, panel: str, day: date
) -> dict[str, Any]:
    """Everything a sitting's page shows (also re-shown with a form's problems).

    Raises
    ------
    Refused
        404 when the panel does not sit that day.
    """
    view = find_view(diary, panel, day)
    if view is None:
        raise Refused(404, "No such sitting", f"{panel} does not sit on {day:%a %d/%m/%Y}.")
    now = web.now(diary)
    model_panel = diary.authority.panel(panel)
    has_opened = opened(view, now)
    awaiting = [s for s in view.slots if not s.outcome] if has_opened else []
    return {
        **page_context(diary),
        "title": f"{view.panel_name}, {day:%a %d/%m/%Y}",
        "view": view,
        "rows": agenda_rows(diary, view),
        "opened": has_opened,
        "awaiting": awaiting,
        "version": sitting_version(diary, panel, day),
        "may_outcome": session.may("outcome"),
        "may_cancel": session.may("cancel") and not has_opened and not view.cancelled,
        # A cancelled sitting still ahead can be held after all (the day has not begun).
        "may_reinstate": session.may("cancel")
        and bool(view.cancelled)
        and not has_opened
        and day > now.date(),
        # Between the cut-off and the sitting, late papers need the chair's permission (S2).
        "takes_late_papers": session.may("late")
        and model_panel.late_applications
        and view.sitting.cutoff is not None
        and view.sitting.cutoff <= now
        and not has_opened
        and not view.cancelled,
        "asks_first_cla_review": "invite_within_days_of_first_cla_review" in model_panel.rules,
        "asks_still_neet": "neet_review_within_months" in model_panel.rules,
        "sitting_id": sitting_id(panel, day),
        "extra_reason": extra_reason(diary, view),
        "errors": {},
        "values": {},
        "form": "",
        "page_problems": [],
    }


def report_page(request: Request, web: WebState, title: str, report: Report, back: str) -> Response:
    """What a change did: its summary, the follow-ups booked and who must be told.

    A follow-up booked after its due date is not "done": the page says so first and offers
    to make room for it (moving the fewest routine cases), if it is still booked late.
    """
    diary = web.diary()
    late = late_follow_ups(report)
    return web.render(
        request,
        "done.html",
        {
            **page_context(diary),
            "title": title,
            "report": report,
            "back": back,
            "late_follow_ups": late,
            "room_keys": [f.key for f in late],
        },
    )


__all__ = ["page_context", "report_page", "sitting_context"]
