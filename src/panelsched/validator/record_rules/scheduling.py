"""The scheduling rules on a panel's records (S1-S14): when and where each case was heard.

One unit per rule, in DOMAIN.md's order; :mod:`panelsched.validator.record_rules` says what a
unit returns.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

from panelsched.core.panels import minutes_of
from panelsched.core.sittings import Sitting, ratification_sitting
from panelsched.io.records import Record
from panelsched.validator.catalogue import (
    NOT_APPLICABLE,
    NOT_CHECKED,
    Evidence,
    Param,
    Params,
    RecordRule,
    Verdict,
    Warn,
    across_records,
    clock,
    each_record,
    overdue,
)


def _hm(moment: time) -> str:
    return moment.strftime("%H:%M")


def _slot(record: Record) -> str:
    return f"{_hm(record.start or time(0))}-{_hm(record.end or time(0))}"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _by_key(records: Iterable[Record], key: str) -> dict[str, list[Record]]:
    grouped: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        grouped[getattr(record, key) or record.referral_id].append(record)
    for rows in grouped.values():
        rows.sort(key=lambda r: (r.date, r.row))
    return grouped


@each_record("S1")
def own_panel_sitting(r: Record, p: Params, ev: Evidence) -> Verdict:
    """The case was heard on a date its panel sits, by the model's calendar (cadence, bank
    holidays, cancelled and extra sittings)."""
    if ev.sitting(r.panel, r.date) is not None:
        return None
    return f"{r.panel} does not sit on {r.date:%d/%m/%Y} ({r.date:%A})"


@each_record("S2", needs=("submitted",))
def submitted_by_cutoff(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Submitted by the sitting's cut-off, or, with the chair's late permission (or as an
    emergency), at the first sitting after submission; never late where the panel accepts no
    late applications."""
    sitting = ev.sitting(r.panel, r.date)
    if r.submitted is None or sitting is None:
        return NOT_CHECKED
    said = f"submitted {clock(r.submitted)}"
    if sitting.opens <= r.submitted:
        return f"{said}, after the sitting on {r.date:%d/%m/%Y} had begun"
    if sitting.cutoff is None or r.submitted <= sitting.cutoff:
        return None
    permitted = bool(r.late_permission) or r.emergency_decision is not None
    first = ev.next_sitting(r.panel, r.submitted)
    if p.panel.late_applications and permitted and first == sitting:
        return None
    if not p.panel.late_applications:
        why = "this panel accepts no late applications"
    elif not permitted:
        why = "no late permission was recorded"
    else:
        why = "a late paper may only go to the first sitting after its submission"
    return (
        f"{said}, after the cut-off {clock(sitting.cutoff)} for the sitting on "
        f"{r.date:%d/%m/%Y}; {why}"
    )


@across_records("S3", needs=("start", "end"))
def whole_slot(
    records: Sequence[Record], ev: Evidence, rule: RecordRule
) -> Iterable[tuple[Record, Verdict]]:
    """Each case had a whole slot inside the sitting's window, clear of its breaks, not
    overlapping another case's slot; a standard case's slot is the panel's slot length
    (a complex case's is S4)."""
    by_sitting: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_sitting[r.sitting_id].append(r)
    for group in by_sitting.values():
        group.sort(key=lambda r: (r.start or time(0), r.end or time(0), r.row))
        active: list[Record] = []
        for r in group:
            sitting = ev.sitting(r.panel, r.date)
            if r.start is None or r.end is None or sitting is None:
                yield r, NOT_CHECKED
                continue
            panel = ev.panel(r.panel)
            start, end = minutes_of(r.start), minutes_of(r.end)
            problems = []
            if end <= start:
                problems.append(f"slot {_slot(r)} ends before it starts")
            elif r.start < sitting.start or r.end > sitting.end:
                problems.append(
                    f"slot {_slot(r)} runs outside the "
                    f"{_hm(sitting.start)}-{_hm(sitting.end)} window"
                )
            for b_start, b_end in panel.breaks:
                if start < minutes_of(b_end) and minutes_of(b_start) < end:
                    problems.append(
                        f"slot {_slot(r)} runs into the {_hm(b_start)}-{_hm(b_end)} break"
                    )
            if end > start and not (r.complex and panel.complex_slot_minutes):
                allowed = {panel.slot_minutes}
                if r.complex is None and panel.complex_slot_minutes:
                    allowed.add(panel.complex_slot_minutes)
                if end - start not in allowed:
                    problems.append(
                        f"slot {_slot(r)} is {end - start} minutes; a case at {panel.id} needs "
                        f"{panel.slot_minutes}"
                    )
            active = [a for a in active if a.end is not None and a.end > r.start]
            problems.extend(
                f"slot {_slot(r)} overlaps {a.referral_id}'s slot {_hm(a.start)}-{_hm(a.end)}"
                for a in active
                if a.start is not None and a.end is not None
            )
            active.append(r)
            yield r, "; ".join(problems) or None


@each_record("S4", needs=("start", "end", "complex"))
def complex_slot(r: Record, p: Params, ev: Evidence) -> Verdict:
    """A complex case had the panel's longer slot."""
    longer = p.panel.complex_slot_minutes
    if not r.complex or longer is None:
        return NOT_APPLICABLE
    if r.start is None or r.end is None:
        return NOT_CHECKED
    minutes = minutes_of(r.end) - minutes_of(r.start)
    if minutes == longer:
        return None
    return (
        f"slot {_hm(r.start)}-{_hm(r.end)} is {minutes} minutes; a complex case at "
        f"{p.panel.id} needs {longer}"
    )


@across_records("S5", any_of=("attended", "start", "social_worker", "team_manager"))
def presenters_attend(
    records: Sequence[Record], ev: Evidence, rule: RecordRule
) -> Iterable[tuple[Record, Verdict]]:
    """The presenting SW and TM both attended (``attended``); nobody was in two overlapping
    slots on one date in any panels (``start``, ``end``); nobody was booked while away (the
    availability file)."""
    # One sort of every (person, date, start) and a sweep finds each overlap.
    timed = sorted(
        (person, r.date, r.start, r.end, at)
        for at, r in enumerate(records)
        if r.start is not None and r.end is not None
        for person in {r.social_worker, r.team_manager}
        if person
    )
    clashes: dict[int, list[str]] = defaultdict(list)
    active: list[tuple[str, date, time, time, int]] = []
    for entry in timed:
        person, day, start, end, at = entry
        active = [a for a in active if a[0] == person and a[1] == day and a[3] > start]
        for _, _, a_start, a_end, a_at in active:
            earlier, later = records[a_at], records[at]
            clashes[at].append(
                f"{person} is booked in two places at once: {earlier.referral_id} at "
                f"{earlier.panel} {_hm(a_start)}-{_hm(a_end)} and {later.referral_id} at "
                f"{later.panel} {_hm(start)}-{_hm(end)}"
            )
        active.append(entry)
    checking_leave = ev.unavailability is not None
    for at, r in enumerate(records):
        problems = clashes.get(at, [])
        people = [p for p in (r.social_worker, r.team_manager) if p]
        judged = bool(people) and r.start is not None and r.end is not None
        if r.attended is not None and people:
            judged = True
            present = {a.lower() for a in r.attended}
            problems.extend(
                f"{person} presents the case but is not recorded as attending"
                for person in people
                if person.lower() not in present
            )
        window = ev.slot_window(r) if checking_leave and people else None
        if window is not None:
            judged = True
            for person in people:
                for away in ev.away(person):
                    if away.clashes(r.date, window[0].time(), window[1].time()):
                        when = (
                            "all day"
                            if away.whole_days
                            else (f"{clock(away.start)} to {clock(away.end)}")
                        )
                        problems.append(
                            f"{person} was unavailable ({when}) but booked "
                            f"{r.date:%d/%m/%Y} {_hm(window[0].time())}-{_hm(window[1].time())}"
                        )
        yield r, "; ".join(problems) if problems else (None if judged else NOT_CHECKED)


@each_record(
    "S6",
    any_of=("cla_review", "cp_review"),
    params=(Param("cla_review_lead_days", "count", 21), Param("cp_review_lead_days", "count", 21)),
)
def before_review(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Heard at least ``cla_review_lead_days`` (21) days before the child's CLA review and
    ``cp_review_lead_days`` (21) before the CP review."""
    reviews = [
        (d, kind, p[f"{kind.lower()}_review_lead_days"])
        for d, kind in ((r.cla_review, "CLA"), (r.cp_review, "CP"))
        if d is not None
    ]
    if not reviews:
        return NOT_APPLICABLE
    for review, kind, lead in sorted(reviews):
        gap = (review - r.date).days
        if gap < lead:
            where = f"{gap} days before" if gap >= 0 else f"{-gap} days after"
            return (
                f"heard {r.date:%d/%m/%Y}, {where} the {kind} review on "
                f"{review:%d/%m/%Y}; needs {lead}"
            )
    return None


@across_records("S7", any_of=("review_by", "review_date", "approval_end"))
def review_in_time(
    records: Sequence[Record], ev: Evidence, rule: RecordRule
) -> Iterable[tuple[Record, Verdict]]:
    """A review was heard by its review-by date (``review_by``), and a case approved before
    came back by the review date or approval end that approval set."""
    for rows in _by_key(records, "referral_id").values():
        set_by: tuple[date, str] | None = None
        for r in rows:
            limits = []
            if r.review_by is not None:
                limits.append((r.review_by, f"the review-by date {r.review_by:%d/%m/%Y}"))
            if set_by is not None:
                limits.append(set_by)
            if not limits:
                verdict: Verdict = NOT_APPLICABLE
            else:
                limit, words = min(limits)
                late = (r.date - limit).days
                verdict = (
                    f"heard {r.date:%d/%m/%Y}, {late} days after {words}" if late > 0 else None
                )
            yield r, verdict
            if r.outcome == "approve":
                ends = [d for d in (r.review_date, r.approval_end) if d is not None]
                set_by = (
                    (
                        min(ends),
                        f"the review date {min(ends):%d/%m/%Y} set on {r.date:%d/%m/%Y}",
                    )
                    if ends
                    else None
                )


@each_record("S8", needs=("contract_end",), params=(Param("contract_end_weeks", "count", 8),))
def contract_end(r: Record, p: Params, ev: Evidence) -> Verdict:
    """A placement was heard before its contract ended, and not more than
    ``contract_end_weeks`` (8) weeks before."""
    if r.contract_end is None:
        return NOT_APPLICABLE
    weeks = p["contract_end_weeks"]
    notice = weeks * 7
    ahead = (r.contract_end - r.date).days
    if ahead <= 0:
        return (
            f"heard {r.date:%d/%m/%Y}, on or after the contract end "
            f"{r.contract_end:%d/%m/%Y}; must be heard before it"
        )
    if ahead > notice:
        return (
            f"heard {r.date:%d/%m/%Y}, {ahead} days before the contract ends on "
            f"{r.contract_end:%d/%m/%Y}; not more than {notice} ({weeks} weeks) ahead"
        )
    return None


def ratification_verdict(heard: date, decided: datetime, first: Sitting | None) -> Verdict:
    """S9 for a case heard on ``heard`` after an emergency decision taken at ``decided``,
    whose ratification sitting (:func:`panelsched.core.sittings.ratification_sitting`) is ``first``.

    The records check and the plan check both say it in these words, and the planner marks
    the same bookings late, so the three never disagree about an emergency.
    """
    if first is None:
        return NOT_CHECKED
    if heard < first.date:
        return f"heard {heard:%d/%m/%Y}, not after the emergency decision of {decided:%d/%m/%Y}"
    if heard > first.date:
        return (
            f"heard {heard:%d/%m/%Y}; the emergency decision of {decided:%d/%m/%Y} had to be "
            f"ratified at the next sitting, {first.date:%d/%m/%Y}"
        )
    return None


@each_record("S9", needs=("emergency_decision",))
def emergency_ratified(r: Record, p: Params, ev: Evidence) -> Verdict:
    """An emergency decision taken between sittings was ratified at the panel's next sitting
    (where the panel takes no late papers, the next whose cut-off it met); a decision with a
    date only counts as taken after that day's sitting."""
    if r.emergency_decision is None:
        return NOT_APPLICABLE
    taken = r.emergency_decision
    if taken.time() == time(0):
        taken = datetime.combine(taken.date(), time(23, 59))
    after = ev.sittings_from(r.panel, taken.date())
    first = ratification_sitting(after, taken, p.panel.late_applications)
    return ratification_verdict(r.date, r.emergency_decision, first)


@across_records("S10", needs=("outcome",), severity="warning")
def deferral_next_sitting(
    records: Sequence[Record], ev: Evidence, rule: RecordRule
) -> Iterable[tuple[Record, Verdict]]:
    """A deferred case was heard again at the panel's next sitting (a warning: the next
    *available* sitting may be later when the next is full)."""
    for rows in _by_key(records, "referral_id").values():
        for at, r in enumerate(rows):
            if r.outcome != "defer":
                yield r, NOT_APPLICABLE
                continue
            sitting = ev.sitting(r.panel, r.date)
            after = sitting.opens if sitting else datetime.combine(r.date, time(23, 59))
            following = ev.next_sitting(r.panel, after)
            if following is None:
                yield r, NOT_CHECKED
                continue
            later = rows[at + 1] if at + 1 < len(rows) else None
            deferred = f"deferred on {r.date:%d/%m/%Y}"
            if later is not None:
                if later.date <= following.date:
                    yield r, None
                else:
                    yield (
                        r,
                        Warn(
                            f"{deferred}; heard again on {later.date:%d/%m/%Y}, not at the next "
                            f"sitting on {following.date:%d/%m/%Y}"
                        ),
                    )
                continue
            last = ev.last_date(r.panel)
            if last is not None and last >= following.date:
                yield (
                    r,
                    Warn(
                        f"{deferred}; not heard again at the next sitting on "
                        f"{following.date:%d/%m/%Y} (the records run to {last:%d/%m/%Y})"
                    ),
                )
            else:
                yield r, NOT_CHECKED


@each_record(
    "S11",
    needs=("first_cla_review",),
    params=(Param("invite_within_days_of_first_cla_review", "count"),),
)
def permanency_in_time(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Permanency tracking: heard within ``invite_within_days_of_first_cla_review`` (LAM:
    14) days of the child's first CLA review."""
    if r.first_cla_review is None:
        return NOT_CHECKED
    within = p["invite_within_days_of_first_cla_review"]
    after = (r.date - r.first_cla_review).days
    if after > within:
        return (
            f"heard {r.date:%d/%m/%Y}, {after} days after the first CLA review on "
            f"{r.first_cla_review:%d/%m/%Y}; within {within}"
        )
    return None


@across_records("S12", needs=("still_neet",), params=(Param("neet_review_within_months", "count"),))
def neet_reviewed(
    records: Sequence[Record], ev: Evidence, rule: RecordRule
) -> Iterable[tuple[Record, Verdict]]:
    """A young person still NEET was heard again (or given a review date) within
    ``neet_review_within_months`` (LAM: 3) months."""
    for rows in _by_key(records, "child_id").values():
        for at, r in enumerate(rows):
            if r.still_neet is None:
                yield r, NOT_CHECKED
                continue
            if not r.still_neet:
                yield r, NOT_APPLICABLE
                continue
            months = ev.params(rule, r.panel)["neet_review_within_months"]
            limit = _add_months(r.date, months)
            later = rows[at + 1] if at + 1 < len(rows) else None
            said = f"still NEET on {r.date:%d/%m/%Y}"
            if later is not None:
                yield (
                    r,
                    None
                    if later.date <= limit
                    else (
                        f"{said}; next heard {later.date:%d/%m/%Y}, after {limit:%d/%m/%Y} "
                        f"({months} months)"
                    ),
                )
            elif r.review_date is not None:
                yield (
                    r,
                    None
                    if r.review_date <= limit
                    else (
                        f"{said}; review set for {r.review_date:%d/%m/%Y}, after "
                        f"{limit:%d/%m/%Y} ({months} months)"
                    ),
                )
            elif overdue(ev, limit):
                yield r, f"{said}; not reviewed again by {limit:%d/%m/%Y} ({months} months)"
            else:
                yield r, NOT_CHECKED


@across_records(
    "S13",
    needs=("team_manager",),
    params=(Param("tm_slots_per_month", "count"),),
    severity="warning",
)
def tm_monthly_slot(
    records: Sequence[Record], ev: Evidence, rule: RecordRule
) -> Iterable[tuple[Record, Verdict]]:
    """Court tracking: each team manager had no more than ``tm_slots_per_month`` (LAM: 1)
    slots at the panel in a calendar month."""
    counted: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in sorted(records, key=lambda r: (r.date, r.row)):
        if not r.team_manager:
            yield r, NOT_CHECKED
            continue
        allowed = ev.params(rule, r.panel)["tm_slots_per_month"]
        key = (r.panel, r.team_manager, f"{r.date:%Y-%m}")
        counted[key] += 1
        if counted[key] > allowed:
            yield (
                r,
                Warn(
                    f"{r.team_manager}'s slot number {counted[key]} at {r.panel} in "
                    f"{r.date:%B %Y}; allocated {allowed} a month"
                ),
            )
        else:
            yield r, None


@each_record("S14", any_of=("deadline", "submitted"), params=(Param("max_wait_days", "count", 0),))
def without_delay(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Heard by any deadline set for the case (an error) and, where the model sets
    ``max_wait_days``, within that many days of submission (a warning)."""
    if r.deadline is not None and r.date > r.deadline:
        late = (r.date - r.deadline).days
        return f"heard {r.date:%d/%m/%Y}, {late} days after its deadline {r.deadline:%d/%m/%Y}"
    most = p["max_wait_days"]
    if most and r.submitted is not None:
        waited = (r.date - r.submitted.date()).days
        if waited > most:
            return Warn(f"waited {waited} days from submission to panel; the aim is {most}")
        return None
    return None if r.deadline is not None else NOT_APPLICABLE
