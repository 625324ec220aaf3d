"""The statutory clocks at risk (issue 26, "warned of ahead"): every open case whose clock's
last sitting in time falls within the weeks asked for, or has passed, with where it stands and
why. Read only; every page needs a session."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from panelsched.forward.clock_risks import clock_risks
from panelsched.web.deps import Web, current_session
from panelsched.web.pages import page_context

router = APIRouter(dependencies=[Depends(current_session)])

DEFAULT_WEEKS = 6
# Two years: far enough for the 20-week plan clock and any council's own, and a bound on work.
MOST_WEEKS = 104
WEEKS_ERROR = f"Enter the weeks ahead as a whole number from 1 to {MOST_WEEKS}, like 6"


def _weeks(text: str) -> int | None:
    """The weeks typed into the filter box, or ``None`` when they are not a whole number in
    range."""
    value = text.strip()
    if not value:
        return DEFAULT_WEEKS
    if not value.isdigit() or len(value) > 3:
        return None
    weeks = int(value)
    return weeks if 1 <= weeks <= MOST_WEEKS else None


@router.get("/risks")
def risks_page(request: Request, web: Web, weeks: str = "") -> Response:
    """The cases that will miss (or are close to) their statutory clock, fewest days left
    first; a weeks box that is not a number is shown as the form's error, nothing else."""
    diary = web.diary()
    now = web.now(diary)
    chosen = _weeks(weeks)
    context = {
        **page_context(diary),
        "title": "Clocks at risk",
        "weeks": weeks.strip() if chosen is None else str(chosen),
        "errors": {} if chosen is not None else {"weeks": WEEKS_ERROR},
        "has_clocks": any(diary.authority.clocks_of(p) for p in diary.authority.panel_ids),
        "rows": clock_risks(diary, now, chosen) if chosen is not None else (),
        "today": now.date(),
    }
    return web.render(request, "risks.html", context, status=200 if chosen is not None else 400)


__all__ = ["DEFAULT_WEEKS", "MOST_WEEKS", "router"]
