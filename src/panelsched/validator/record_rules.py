"""The rule catalogue for a panel's records, in DOMAIN.md's order: one unit per rule.

Each unit names its rule id (citation in :mod:`.rulebook`), the record columns it reads and
its parameters: a parameter with a default applies to every panel (the source's value, which
the model may change); one without switches the rule on only for panels whose ``rules:`` set
it. Each returns ``None`` when the record keeps the rule, a message with the numbers when it
breaks it (a :class:`~.catalogue.Warn` for advice), ``NOT_CHECKED`` when a cell it needs is
blank, and ``NOT_APPLICABLE`` when the rule does not speak to the record.

A blank cell in a column that records a condition (``cla_review``, ``contract_end``,
``emergency_decision``) means the condition does not apply. A blank cell in a column that
records a task done after the sitting (``minutes_on_record``) counts as not done once the task
is overdue by the last date in the records, and as not checked before then.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

from panelsched.core.panels import CHAIRING_ROLES, minutes_of
from panelsched.core.sittings import Sitting, ratification_sitting
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
    end_of,
)
from panelsched.validator.records import Record


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


def _hm(moment: time) -> str:
    return moment.strftime("%H:%M")


def _is_one_of(record: Record, kinds: tuple[str, ...]) -> bool:
    """True when the request type names one of ``kinds`` as whole words (case aside):
    ``s17`` matches ``s17 package``, not ``ss17``."""
    return bool(record.request_type) and _names(record.request_type, kinds)


@lru_cache(maxsize=4096)
def _names(request_type: str, kinds: tuple[str, ...]) -> bool:
    text = " ".join(request_type.lower().split())
    return any(re.search(rf"(?<!\w){re.escape(k)}(?!\w)", text) for k in kinds)


def _slot(record: Record) -> str:
    return f"{_hm(record.start or time(0))}-{_hm(record.end or time(0))}"


@lru_cache(maxsize=1024)
def _normalised(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(" ".join(name.lower().split()) for name in names)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _overdue(ev: Evidence, due: date) -> bool:
    """True when ``due`` has passed by the last date in the records."""
    return ev.as_of is not None and ev.as_of > due


def _by_key(records: Iterable[Record], key: str) -> dict[str, list[Record]]:
    grouped: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        grouped[getattr(record, key) or record.referral_id].append(record)
    for rows in grouped.values():
        rows.sort(key=lambda r: (r.date, r.row))
    return grouped


# --- scheduling rules on records --------------------------------------------------------------


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
            elif _overdue(ev, limit):
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


# --- process rules ---------------------------------------------------------------------------


@each_record("P1", needs=("submission_approved",))
def approved_for_submission(r: Record, p: Params, ev: Evidence) -> Verdict:
    """The request was approved for submission by the service manager (LAM) / agreed by SW
    and supervising manager (CBC) / agreed by the service manager (SWI)."""
    if r.submission_approved is None:
        return NOT_CHECKED
    return None if r.submission_approved else "not approved for submission by a manager"


@each_record("P2", needs=("documents",), params=(Param("required_documents", "words"),))
def paperwork(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Every paper in the panel's ``required_documents`` was attached (LAM CRP: request
    form, case summary, genogram and chronology, assessment, child's plan)."""
    attached = _normalised(r.documents or ())
    missing = [d for d in p["required_documents"] if d not in attached]
    return f"missing papers: {', '.join(missing)}" if missing else None


@each_record("P3", any_of=("chair_present", "chaired_by"))
def chaired(r: Record, p: Params, ev: Evidence) -> Verdict:
    """A chair or vice-chair chaired the sitting: `chair_present` says so, or `chaired_by`
    names a member the model's `members` list as chair or vice-chair (and who was not away
    by the availability file)."""
    panel = ev.authority.panel(r.panel)
    if r.chaired_by and panel.members:
        role = {m.id: m.role for m in panel.members}.get(r.chaired_by)
        if role is None:
            return f"chaired by {r.chaired_by}, who is not among the panel's members"
        if role not in CHAIRING_ROLES:
            return f"chaired by {r.chaired_by}, a {role}, not the chair or a vice-chair"
        away = [u for u in ev.unavailability or () if u.person == r.chaired_by]
        if any(u.covers_day(r.date) for u in away):
            return Warn(f"chaired by {r.chaired_by}, who the availability file has away that day")
        return None
    if r.chair_present is None:
        return NOT_CHECKED
    return None if r.chair_present else "no chair or vice-chair chaired the sitting"


@each_record("P4", needs=("minutes_on_record",), params=(Param("minutes_on_record_days", "count"),))
def minutes_on_record(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Minutes were on the child's record within ``minutes_on_record_days`` (LAM: 3) days
    of the sitting."""
    days = p["minutes_on_record_days"]
    due = r.date + timedelta(days=days)
    if r.minutes_on_record is None:
        if _overdue(ev, due):
            return f"no date the minutes reached the child's record; due by {due:%d/%m/%Y}"
        return NOT_CHECKED
    took = (r.minutes_on_record.date() - r.date).days
    if took > days:
        return (
            f"minutes on the record {r.minutes_on_record.date():%d/%m/%Y}, {took} days after "
            f"the sitting; within {days}"
        )
    return None


@each_record(
    "P5",
    any_of=("notice_approved", "notice_circulated"),
    params=(
        Param("decision_notice_approved_working_days", "count"),
        Param("decision_notice_circulated_working_days", "count"),
    ),
)
def decision_notice(r: Record, p: Params, ev: Evidence) -> Verdict:
    """The decision notice was approved by the chair within
    ``decision_notice_approved_working_days`` (PBO: 6) and circulated within
    ``decision_notice_circulated_working_days`` (PBO: 10) working days."""
    problems = []
    judged = False
    for done, key, what in (
        (r.notice_approved, "decision_notice_approved_working_days", "approved"),
        (r.notice_circulated, "decision_notice_circulated_working_days", "circulated"),
    ):
        limit = p.get(key)
        if limit is None or not ev.records.has(f"notice_{what}"):
            continue
        if done is None:
            due = r.date
            for _ in range(limit):
                due = ev.workdays.next_working_day(due)
            if _overdue(ev, due):
                judged = True
                problems.append(f"no date the decision notice was {what}; due by {due:%d/%m/%Y}")
            continue
        judged = True
        took = ev.workdays.working_days_between(r.date, done)
        if took > limit:
            problems.append(
                f"decision notice {what} {done:%d/%m/%Y}, {took} working days after the "
                f"sitting; within {limit}"
            )
    if problems:
        return "; ".join(problems)
    return None if judged else NOT_CHECKED


@each_record(
    "P6",
    needs=("family_told",),
    params=(Param("family_told_within_hours", "count"),),
    severity="warning",
)
def family_told(r: Record, p: Params, ev: Evidence) -> Verdict:
    """The family was told the decision within ``family_told_within_hours`` (PBO SEN: 48)
    hours of the sitting "where possible": a warning, never an error."""
    if r.family_told is None:
        return NOT_CHECKED
    hours = p["family_told_within_hours"]
    ended = end_of(r, ev.sitting(r.panel, r.date))
    took = (r.family_told - ended).total_seconds() / 3600
    if took > hours:
        return Warn(
            f"family told {clock(r.family_told)}, {took:.0f} hours after the sitting; aim "
            f"within {hours} where possible"
        )
    return None


@each_record(
    "P7",
    any_of=("draft_to_chair", "chair_returned", "record_uploaded"),
    params=(
        Param("draft_record_to_chair_hours", "count"),
        Param("chair_returns_record_hours", "count", 48),
        Param("records_uploaded_hours", "count", 24),
        Param("records_before_next_sitting", "flag", False),
    ),
)
def record_timings(r: Record, p: Params, ev: Evidence) -> Verdict:
    """The draft record reached the chair within ``draft_record_to_chair_hours`` (CPR: 48)
    of the sitting, the chair returned it within ``chair_returns_record_hours`` (48), the
    child's record was uploaded within ``records_uploaded_hours`` (24) of that and, where
    ``records_before_next_sitting``, before the next sitting."""
    sitting = ev.sitting(r.panel, r.date)
    steps = (
        (
            "draft record to the chair",
            r.draft_to_chair,
            end_of(r, sitting),
            p["draft_record_to_chair_hours"],
            "the sitting",
        ),
        (
            "chair's return",
            r.chair_returned,
            r.draft_to_chair,
            p["chair_returns_record_hours"],
            "the draft",
        ),
        (
            "upload to the child's record",
            r.record_uploaded,
            r.chair_returned,
            p["records_uploaded_hours"],
            "the chair's return",
        ),
    )
    problems = []
    judged = False
    for what, done, since, hours, since_what in steps:
        if done is None or since is None:
            continue
        judged = True
        took = (done - since).total_seconds() / 3600
        if took > hours:
            problems.append(
                f"{what} {clock(done)}, {took:.0f} hours after {since_what}; within {hours}"
            )
    following = ev.next_sitting(r.panel, end_of(r, sitting))
    if (
        p["records_before_next_sitting"]
        and r.record_uploaded is not None
        and following is not None
        and r.record_uploaded > following.opens
    ):
        problems.append(
            f"uploaded {clock(r.record_uploaded)}, after the next sitting on "
            f"{following.date:%d/%m/%Y}"
        )
    if problems:
        return "; ".join(problems)
    return None if judged else NOT_CHECKED


@each_record(
    "P8", needs=("minutes_on_record",), params=(Param("decision_recorded_by_weekday", "weekday"),)
)
def decision_recorded(r: Record, p: Params, ev: Evidence) -> Verdict:
    """The decision was on the child's record no later than the ``decision_recorded_by_weekday``
    (SWI: WE) after the sitting."""
    weekday = p["decision_recorded_by_weekday"]
    due = r.date + timedelta(days=(weekday - r.date.weekday() - 1) % 7 + 1)
    if r.minutes_on_record is None:
        if _overdue(ev, due):
            return f"no date the decision reached the child's record; due by {due:%d/%m/%Y}"
        return NOT_CHECKED
    done = r.minutes_on_record.date()
    if done > due:
        return (
            f"decision on the record {done:%d/%m/%Y}, after {due:%A} {due:%d/%m/%Y} "
            "following the sitting"
        )
    return None


@each_record(
    "P9",
    needs=("outcome",),
    any_of=("review_date", "approval_end"),
    params=(Param("review_date_required", "flag"),),
)
def approval_review_date(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Where ``review_date_required`` (CBC, CPR, SWI), an approval carries a review date
    (``review_date`` or ``approval_end``)."""
    if r.outcome != "approve":
        return NOT_APPLICABLE
    if r.review_date is None and r.approval_end is None:
        return "approved without a review date"
    return None


@each_record(
    "P10",
    any_of=("cost", "request_type"),
    params=(
        Param("threshold_pounds", "pounds"),
        Param("excluded_request_types", "words", ("holiday", "holidays", "low-level home support")),
    ),
)
def swi_thresholds(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Only requests of ``threshold_pounds`` (SWI: £500) or more came to panel, and none of
    the ``excluded_request_types`` the panel does not fund (SWI 6: holidays, low-level home
    support)."""
    problems = []
    judged = False
    threshold = p.get("threshold_pounds")
    if threshold is not None and r.cost is not None:
        judged = True
        if r.cost < threshold:
            problems.append(
                f"a {_pounds(r.cost)} request; the panel hears requests of {_pounds(threshold)} "
                "or more"
            )
    excluded = p.get("excluded_request_types")
    if excluded is not None and r.request_type:
        judged = True
        if _is_one_of(r, excluded):
            problems.append(f"'{r.request_type}' is a kind of request the panel does not fund")
    if problems:
        return "; ".join(problems)
    return None if judged else NOT_CHECKED


@across_records(
    "P11",
    needs=("request_type", "cost"),
    params=(
        Param("s17_threshold_pounds", "pounds"),
        Param("s17_request_types", "words", ("section 17", "s17")),
    ),
    scope="authority",
)
def section_17_agreement(
    records: Sequence[Record], ev: Evidence, rule: RecordRule
) -> Iterable[tuple[Record, Verdict]]:
    """A section 17 package above ``s17_threshold_pounds`` (LAM: £2,000) was decided at a
    panel that sets that threshold (LAM CRP)."""
    deciders = [p for p in ev.authority.panels if rule.applies_to(p)]
    rules = {p.id: ev.params(rule, p.id) for p in deciders}
    first = rules[deciders[0].id]
    threshold, kinds = first["s17_threshold_pounds"], first["s17_request_types"]
    names = ", ".join(p.id for p in deciders)
    for r in records:
        if not _is_one_of(r, kinds):
            yield r, NOT_APPLICABLE
        elif r.cost is None:
            yield r, NOT_CHECKED
        elif r.cost <= threshold or r.panel in rules:
            yield r, None
        else:
            yield (
                r,
                (
                    f"a section 17 package of {_pounds(r.cost)} (over {_pounds(threshold)}) "
                    f"decided at {r.panel}; it needs {names}'s agreement"
                ),
            )


@each_record(
    "P12",
    any_of=("distance_miles", "out_of_area"),
    params=(
        Param("director_permission_over_miles", "number"),
        Param("out_of_area_needs_director", "flag"),
    ),
)
def director_agreement(r: Record, p: Params, ev: Evidence) -> Verdict:
    """A placement more than ``director_permission_over_miles`` (SWI: 20) from home, or out of area
    where ``out_of_area_needs_director``, had the Director's agreement
    (``director_agreed``)."""
    reasons = []
    miles = p.get("director_permission_over_miles")
    if miles is not None and r.distance_miles is not None and r.distance_miles > miles:
        reasons.append(f"{r.distance_miles} miles from home (over {miles})")
    if p.get("out_of_area_needs_director") and r.out_of_area:
        reasons.append("out of area")
    if not reasons:
        known = r.distance_miles is not None or r.out_of_area is not None
        return None if known else NOT_APPLICABLE
    if r.director_agreed is None and not ev.records.has("director_agreed"):
        return NOT_CHECKED
    if r.director_agreed:
        return None
    return f"a placement {' and '.join(reasons)} without the Director's agreement"


@each_record("P13", needs=("age",), params=(Param("min_age", "count"), Param("max_age", "count")))
def age_range(r: Record, p: Params, ev: Evidence) -> Verdict:
    """The child's age is in the panel's range (``min_age``, ``max_age``: Early Support
    0-5, Transitions 14+, 16+ Panel 16+, NEET 16-25)."""
    if r.age is None:
        return NOT_CHECKED
    low, high = p.get("min_age"), p.get("max_age")
    if (low is not None and r.age < low) or (high is not None and r.age > high):
        hears = (
            f"ages {low} to {high}"
            if low is not None and high is not None
            else f"ages {low} and over"
            if low is not None
            else f"ages up to {high}"
        )
        return f"aged {r.age}; {p.panel.id} hears {hears}"
    return None


@each_record(
    "P14",
    any_of=("cancellation_agreed_by", "members_notified"),
    params=(
        Param("change_notice_hours", "count"),
        Param("cancellation_agreed_by", "words", ("chair", "vice-chair", "head of service")),
    ),
    rows="cancelled",
)
def cancellation(r: Record, p: Params, ev: Evidence) -> Verdict:
    """A cancelled sitting was cancelled with the agreement of someone in
    ``cancellation_agreed_by`` (chair, vice-chair, Head of Service) and members were told at
    least ``change_notice_hours`` (SWI: 24) hours before."""
    problems = []
    judged = False
    if ev.records.has("cancellation_agreed_by") and r.cancellation_agreed_by:
        judged = True
        who = " ".join(r.cancellation_agreed_by.lower().split())
        if who not in p["cancellation_agreed_by"]:
            problems.append(
                f"cancelled with the agreement of '{r.cancellation_agreed_by}', not of the "
                "chair or Head of Service"
            )
    sitting = ev.sitting(r.panel, r.date)
    if r.members_notified is not None and sitting is not None:
        judged = True
        hours = p["change_notice_hours"]
        notice = (sitting.opens - r.members_notified).total_seconds() / 3600
        if notice < hours:
            problems.append(
                f"members told {clock(r.members_notified)}, {notice:.0f} hours before the "
                f"sitting; needs {hours}"
            )
    if problems:
        return "; ".join(problems)
    return None if judged else NOT_CHECKED


@each_record("P15", needs=("papers_sent",), params=(Param("papers_days_before", "count"),))
def papers_in_time(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Papers reached members by the panel's papers-out moment in the model, or
    ``papers_days_before`` days before the sitting when the model gives none (CBC 2,
    LAM NEET 3)."""
    sitting = ev.sitting(r.panel, r.date)
    if r.papers_sent is None or sitting is None:
        return NOT_CHECKED
    due = sitting.papers_out or sitting.opens - timedelta(days=p["papers_days_before"])
    if r.papers_sent > due:
        return f"papers sent {clock(r.papers_sent)}, after the papers-out time {clock(due)}"
    return None


@each_record(
    "P16",
    needs=("outcome", "deferral_reason"),
    params=(Param("deferral_reason_required", "flag"),),
)
def deferral_reason(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Where ``deferral_reason_required`` (SWI), a deferral records its reason."""
    if r.outcome != "defer":
        return NOT_APPLICABLE
    return None if r.deferral_reason else "deferred without a recorded reason"


@each_record(
    "P17",
    needs=("request_type", "court_date"),
    params=(Param("before_court_request_types", "words"),),
)
def before_court(r: Record, p: Params, ev: Evidence) -> Verdict:
    """An SGO, child arrangements or adoption support package (``before_court_request_types``)
    came to panel before the plan went to court."""
    if not _is_one_of(r, p["before_court_request_types"]):
        return NOT_APPLICABLE
    if r.court_date is None:
        return NOT_CHECKED
    if r.date >= r.court_date:
        return (
            f"a {r.request_type} package heard {r.date:%d/%m/%Y}, not before the plan went "
            f"to court on {r.court_date:%d/%m/%Y}"
        )
    return None


@each_record(
    "P18",
    needs=("request_type", "year_11_ends"),
    params=(Param("staying_put_request_types", "words"),),
)
def staying_put(r: Record, p: Params, ev: Evidence) -> Verdict:
    """Staying Put (``staying_put_request_types``) was presented by the time the young
    person finished year 11."""
    if not _is_one_of(r, p["staying_put_request_types"]):
        return NOT_APPLICABLE
    if r.year_11_ends is None:
        return NOT_CHECKED
    if r.date > r.year_11_ends:
        late = (r.date - r.year_11_ends).days
        return (
            f"Staying Put heard {r.date:%d/%m/%Y}, {late} days after year 11 ended on "
            f"{r.year_11_ends:%d/%m/%Y}"
        )
    return None


@each_record(
    "P19",
    needs=("significant_change", "iro_notified"),
    params=(Param("iro_copied_on_change", "flag"),),
)
def iro_copied(r: Record, p: Params, ev: Evidence) -> Verdict:
    """At a transition or significant change the IRO was notified and copied into the
    referral."""
    if not p["iro_copied_on_change"] or not r.significant_change:
        return NOT_APPLICABLE if r.significant_change is not None else NOT_CHECKED
    if r.iro_notified is None:
        return NOT_CHECKED
    return None if r.iro_notified else "a significant change without the IRO notified"


__all__ = ["Evidence"]
