"""Why a referral could not be placed in time, in a sentence a manager understands.

Reason codes:

- ``no_sitting``: no sitting of its panel between its cut-off and its due date (or the end of
  the planning range);
- ``person_unavailable``: there were sittings in time, but someone who must attend was away on
  every one of them;
- ``sittings_full``: the sittings in time had no room; the sentence says how many of the cases
  booked there had earlier due dates;
- ``sitting_cancelled``: the sitting in time whose cut-off it met was cancelled, and no other
  sitting in time was left (the sentence names the sitting);
- ``sitting_inquorate``: the sittings in time it could make cannot be quorate (the sentence
  names each: "the sitting of 04/03/2027 has no chair: chair CH-01 and vice-chair VC-01 on
  leave"), and no other sitting in time was left;
- ``presenter_busy``: a sitting in time had room, but someone the case needs was presenting
  at another panel's sitting that overlaps it (named, with the times).

A due date before the plan's first date (an emergency that reached the planner after the
sitting that had to ratify it) is said to be so, naming the date, rather than that no cut-off
was met; so is a sitting in time that had already begun when the plan was made.

A case heard in time but after more days than its panel's ``max_wait_days`` (S14) is
explained too, with status ``over_ceiling``: ``sittings_full`` when earlier sittings were open
to it, else ``no_sitting``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Literal

from panelsched.core.due import Due
from panelsched.core.plan import Booking, Plan
from panelsched.core.sittings import Sitting
from panelsched.planner.problem import (
    INQUORATE,
    OUTSIDE_RANGE,
    PERSON_AWAY,
    ProblemData,
    first_late_sitting,
    may_be_late,
)

NO_SITTING = "no_sitting"
PERSON_UNAVAILABLE = "person_unavailable"
SITTINGS_FULL = "sittings_full"
PRESENTER_BUSY = "presenter_busy"
SITTING_CANCELLED = "sitting_cancelled"
SITTING_INQUORATE = "sitting_inquorate"


@dataclass(frozen=True, slots=True)
class Explanation:
    """One referral that is unplaced or late, and why."""

    referral_id: str
    status: Literal["unplaced", "late", "over_ceiling"]
    code: str
    reason: str


def _uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _dates(days: list[date], most: int = 6) -> str:
    shown = ", ".join(_uk(d) for d in days[:most])
    return shown + (f" and {len(days) - most} more" if len(days) > most else "")


def explain(problem: ProblemData, plan: Plan) -> tuple[Explanation, ...]:
    """Explain every referral in ``plan`` that is unplaced, booked after its due date, or
    waits longer than its panel's ceiling.

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
    indexed = _Booked.of(problem, plan)
    found = []
    for referral_id in sorted(unplaced | set(booked)):
        r = index[referral_id]
        due = problem.due[r]
        found_booking = booked.get(referral_id)
        if found_booking is not None and (due is None or found_booking.date <= due.date):
            over = _over_ceiling(problem, r, due, found_booking.date, at_sitting)
            if over is not None:
                found.append(Explanation(referral_id, "over_ceiling", *over))
            continue
        status: Literal["unplaced", "late"] = "late" if found_booking else "unplaced"
        code, reason = _why(problem, r, due, at_sitting, indexed)
        if found_booking is not None and due is not None:
            heard = found_booking.date
            reason = (
                f"Heard {_uk(heard)}, {(heard - due.date).days} days after {_uk(due.date)} "
                f"({due.reason}). {reason}"
            )
        found.append(Explanation(referral_id, status, code, reason))
    return tuple(found)


def _why(
    problem: ProblemData,
    r: int,
    due: Due | None,
    at_sitting: dict[str, list[str]],
    plan: _Booked,
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
    # A sitting the rules leave open but the plan could not offer (a pinned case aside) had
    # begun before the plan was made: the forward planner books nothing into the past.
    offered = set(problem.candidates[r])
    pinned = problem.pinned_start[r] is not None
    open_ = []
    begun: list[date] = []
    away_people: set[str] = set()
    away_days: list[date] = []
    short: list[str] = []
    for i in in_time:
        exclusion = problem.exclusion(r, i)
        if exclusion is None and (pinned or i in offered):
            open_.append(i)
        elif exclusion is None:
            begun.append(problem.sittings[i].date)
        elif exclusion.code == PERSON_AWAY:
            away_days.append(problem.sittings[i].date)
            away_people.add(exclusion.person)
        elif exclusion.code == INQUORATE:
            short.append(
                f"The {panel.name} sitting of {_uk(problem.sittings[i].date)} {exclusion.detail}."
            )
        elif exclusion.code == OUTSIDE_RANGE:
            continue
    cancelled = _cancelled_in_time(problem, r, limit)
    gone = (
        f" Its {panel.name} sitting on {_dates([s.date for s in cancelled])} was cancelled."
        if cancelled
        else ""
    ) + "".join(f" {words}" for words in short)
    if not open_ and not away_days:
        later = [problem.sittings[i].date for i in problem.candidates[r]]
        first = f" The first sitting it could make is {_uk(later[0])}." if later else ""
        if short and not cancelled:
            return SITTING_INQUORATE, (
                " ".join(short) + f" No other sitting it could attend falls on or before "
                f"{limit_text}.{first}"
            )
        if cancelled:
            plural, verb = ("s", "were") if len(cancelled) > 1 else ("", "was")
            return SITTING_CANCELLED, (
                f"Its {panel.name} sitting{plural} on {_dates([s.date for s in cancelled])}, "
                f"whose cut-off it met, {verb} cancelled, and no other sitting it could attend "
                f"falls on or before {limit_text}.{first}"
            )
        if referral.submitted.date() <= limit < problem.start:
            return NO_SITTING, (
                f"{limit_text[0].upper()}{limit_text[1:]} is before {_uk(problem.start)}, the "
                f"first date it could be booked.{first}"
            )
        if begun:
            return NO_SITTING, (
                f"The {panel.name} sitting on {_dates(begun)} had begun before it could be "
                f"booked, and no other sitting falls on or before {limit_text}.{first}"
            )
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
            f"{panel.name} sitting before {limit_text}: {_dates(sorted(away_days))}.{gone}"
        )
    busy = _busy_elsewhere(problem, r, open_, plan)
    if busy:
        return PRESENTER_BUSY, busy + gone
    return SITTINGS_FULL, _full(problem, open_, due, f"before {limit_text}", at_sitting) + gone


def _busy_elsewhere(problem: ProblemData, r: int, open_: list[int], plan: _Booked) -> str:
    """The sentence for sittings in time that had room for the case while someone it needs was
    booked at another panel's overlapping sitting; empty when there were none.

    A sitting "had room" when its minutes less those booked are at least the case's slot.
    """
    referral = problem.referrals[r]
    slot = problem.slot_minutes[r]
    people = set(referral.people)
    index = plan.index
    roomy, clashes = [], []
    for i in open_:
        sitting = problem.sittings[i]
        if sitting.capacity_minutes - plan.used[sitting.id] < slot:
            continue
        opens, closes = sitting.window_minutes
        elsewhere = [
            (person, b)
            for b in plan.by_day.get(sitting.date, ())
            if b.panel != sitting.panel and b.minutes[0] < closes and opens < b.minutes[1]
            for person in sorted(people & set(problem.referrals[index[b.referral_id]].people))
        ]
        if elsewhere:
            roomy.append(sitting.date)
            clashes.extend(elsewhere)
    if not roomy:
        return ""
    panel = problem.authority.panel(referral.panel)
    # Each clash shown as the person's whole run of cases at that panel that day.
    keys = {(person, b.panel, b.date) for person, b in clashes}
    spans: dict[tuple[str, str, date], list[int]] = {}
    for b in (b for day in sorted({d for _, _, d in keys}) for b in plan.by_day[day]):
        for person in problem.referrals[index[b.referral_id]].people:
            if (person, b.panel, b.date) in keys:
                key = (person, problem.authority.panel(b.panel).name, b.date)
                first, last = spans.get(key, [b.minutes[0], b.minutes[1]])
                spans[key] = [min(first, b.minutes[0]), max(last, b.minutes[1])]
    shown = [
        f"{person} at the {name} {_clock(first)}-{_clock(last)} on {_uk(day)}"
        for (person, name, day), (first, last) in sorted(spans.items(), key=lambda kv: kv[0][2])
    ]
    plural = "s" if len(roomy) != 1 else ""
    return (
        f"The {panel.name} sitting{plural} on {_dates(roomy)} had room, but someone it needs "
        f"was presenting at another panel then: {'; '.join(shown[:3])}"
        + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
        + "."
    )


@dataclass(frozen=True)
class _Booked:
    """A plan's bookings indexed for explaining: by day, minutes used per sitting."""

    index: dict[str, int]
    by_day: dict[date, list[Booking]]
    used: dict[str, int]

    @classmethod
    def of(cls, problem: ProblemData, plan: Plan) -> _Booked:
        by_day: dict[date, list[Booking]] = defaultdict(list)
        used: dict[str, int] = defaultdict(int)
        for b in plan.bookings:
            by_day[b.date].append(b)
            used[b.sitting_id] += b.minutes[1] - b.minutes[0]
        return cls(problem.referral_index(), by_day, used)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _cancelled_in_time(problem: ProblemData, r: int, limit: date) -> list[Sitting]:
    """The cancelled sittings of the referral's panel, on or before ``limit``, that it could
    have attended: after its submission, its cut-off met (or the one late sitting S2 allows),
    not before its first allowed date."""
    referral = problem.referrals[r]
    panel = problem.authority.panel(referral.panel)
    mine = [s for s in problem.cancelled if s.panel == referral.panel and s.date <= limit]
    if not mine:
        return []
    earliest = referral.earliest(panel.lead_times)
    held = [problem.sittings[i] for i in problem.panel_sittings(referral.panel)]
    late_ok = (
        first_late_sitting(referral, sorted([*held, *mine]))
        if may_be_late(problem.authority, referral)
        else None
    )
    return [
        s
        for s in mine
        if s.opens > referral.submitted
        and (s.cutoff is None or referral.submitted <= s.cutoff or s == late_ok)
        and (earliest is None or s.date >= earliest)
    ]


def _over_ceiling(
    problem: ProblemData,
    r: int,
    due: Due | None,
    heard: date,
    at_sitting: dict[str, list[str]],
) -> tuple[str, str] | None:
    """Code and sentence for a case heard in time but beyond its panel's wait ceiling."""
    referral = problem.referrals[r]
    panel = problem.authority.panel(referral.panel)
    waited = (heard - referral.submitted.date()).days
    if panel.max_wait_days is None or waited <= panel.max_wait_days:
        return None
    head = (
        f"Waits {waited} days, {waited - panel.max_wait_days} beyond the {panel.name}'s "
        f"ceiling of {panel.max_wait_days} days: "
    )
    earlier = [i for i in problem.candidates[r] if problem.sittings[i].date < heard]
    if not earlier:
        return NO_SITTING, head + f"no sitting it could attend fell before {_uk(heard)}."
    full = _full(problem, earlier, due, f"before {_uk(heard)}", at_sitting)
    return SITTINGS_FULL, head + full[0].lower() + full[1:]


def _full(
    problem: ProblemData,
    open_: list[int],
    due: Due | None,
    before: str,
    at_sitting: dict[str, list[str]],
) -> str:
    """The sentence that the sittings ``open_`` were full, and of what: cases due sooner."""
    panel = problem.authority.panel(problem.sittings[open_[0]].panel)
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
    # The dates after a comma, not in brackets: ``before`` may end in a bracket of its own
    # ("its due date 18/03/2027 (its deadline)").
    which = (
        f"The {len(open_)} {panel.name} sittings it could attend {before}, on {_dates(days)}, were"
        if len(open_) != 1
        else f"The only {panel.name} sitting it could attend {before}, on {_dates(days)}, was"
    )
    return (
        f"{which} full: {earlier} of the {len(cases)} cases booked there had earlier due "
        f"dates{pinned_text}."
    )
