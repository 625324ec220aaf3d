"""Why a referral could not be placed in time, in a sentence a manager understands.

Reason codes:

- ``no_sitting``: no sitting of its panel between its cut-off and its due date (or the end of
  the planning range);
- ``person_unavailable``: there were sittings in time, but someone who must attend was away on
  every one of them;
- ``sittings_full``: the sittings in time had no room; the sentence says how many of the cases
  booked there had earlier due dates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Literal

from panelsched.due import Due
from panelsched.plan import Plan
from panelsched.problem import OUTSIDE_RANGE, PERSON_AWAY, ProblemData

NO_SITTING = "no_sitting"
PERSON_UNAVAILABLE = "person_unavailable"
SITTINGS_FULL = "sittings_full"


@dataclass(frozen=True, slots=True)
class Explanation:
    """One referral that is unplaced or late, and why."""

    referral_id: str
    status: Literal["unplaced", "late"]
    code: str
    reason: str


def _uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _dates(days: list[date], most: int = 6) -> str:
    shown = ", ".join(_uk(d) for d in days[:most])
    return shown + (f" and {len(days) - most} more" if len(days) > most else "")


def explain(problem: ProblemData, plan: Plan) -> tuple[Explanation, ...]:
    """Explain every referral in ``plan`` that is unplaced or booked after its due date.

    Parameters
    ----------
    problem
        The planner's input.
    plan
        A plan for it, from any method.

    Returns
    -------
    tuple of Explanation
        In referral id order.
    """
    index = problem.referral_index()
    booked = plan.by_referral()
    at_sitting: dict[str, list[str]] = defaultdict(list)
    for each in plan.bookings:
        at_sitting[each.sitting_id].append(each.referral_id)
    unplaced = set(plan.unplaced)
    found = []
    for referral_id in sorted(unplaced | set(booked)):
        r = index[referral_id]
        due = problem.due[r]
        found_booking = booked.get(referral_id)
        if found_booking is not None and (due is None or found_booking.date <= due.date):
            continue
        status: Literal["unplaced", "late"] = "late" if found_booking else "unplaced"
        code, reason = _why(problem, r, due, at_sitting)
        if found_booking is not None and due is not None:
            heard = found_booking.date
            reason = (
                f"Heard {_uk(heard)}, {(heard - due.date).days} days after {_uk(due.date)} "
                f"({due.reason}). {reason}"
            )
        found.append(Explanation(referral_id, status, code, reason))
    return tuple(found)


def _why(
    problem: ProblemData, r: int, due: Due | None, at_sitting: dict[str, list[str]]
) -> tuple[str, str]:
    referral = problem.referrals[r]
    panel = problem.authority.panel(referral.panel)
    limit = due.date if due is not None else problem.end
    limit_text = (
        f"its due date {_uk(due.date)} ({due.reason})"
        if due is not None
        else f"the end of the planning range ({_uk(problem.end)})"
    )
    in_time = [
        i for i in problem.panel_sittings(referral.panel) if problem.sittings[i].date <= limit
    ]
    open_ = []
    away_people: set[str] = set()
    away_days: list[date] = []
    for i in in_time:
        exclusion = problem.exclusion(r, i)
        if exclusion is None:
            open_.append(i)
        elif exclusion.code == PERSON_AWAY:
            away_days.append(problem.sittings[i].date)
            away_people.add(exclusion.person)
        elif exclusion.code == OUTSIDE_RANGE:
            continue
    if not open_ and not away_days:
        later = [problem.sittings[i].date for i in problem.candidates[r]]
        first = f" The first sitting it could make is {_uk(later[0])}." if later else ""
        earliest = referral.earliest(panel.lead_times)
        if earliest is not None and earliest > limit:
            return NO_SITTING, (
                f"It may not be heard before {_uk(earliest)}, which is after {limit_text}.{first}"
            )
        return NO_SITTING, (
            f"Submitted {_uk(referral.submitted.date())}: no {panel.name} sitting whose "
            f"cut-off it met falls on or before {limit_text}.{first}"
        )
    if not open_:
        who = " and ".join(sorted(away_people))
        return PERSON_UNAVAILABLE, (
            f"{who} {'is' if len(away_people) == 1 else 'are'} unavailable on every "
            f"{panel.name} sitting before {limit_text}: {_dates(sorted(away_days))}."
        )
    days = [problem.sittings[i].date for i in open_]
    cases = [c for i in open_ for c in at_sitting.get(problem.sittings[i].id, [])]
    index = problem.referral_index()
    earlier = 0
    for case in cases:
        other_due = problem.due_date(index[case])
        if other_due is not None and (due is None or other_due < due.date):
            earlier += 1
    pinned = sum(1 for case in cases if problem.pinned_start[index[case]] is not None)
    pinned_text = f", and {pinned} were booked before this plan" if pinned else ""
    plural, verb = ("s", "were") if len(open_) != 1 else ("", "was")
    return SITTINGS_FULL, (
        f"The {len(open_)} {panel.name} sitting{plural} it could "
        f"attend before {limit_text} ({_dates(days)}) {verb} full: {earlier} of the "
        f"{len(cases)} cases booked there had earlier due dates{pinned_text}."
    )
