"""Check a plan against the scheduling rules a plan can speak to (S1-S12, S14), and its
integrity.

Independent of the planner: it reads the model, the referrals, who is away, the planning
range and the pins (:class:`PlanInput`), never the planner's due dates or candidate
sittings. The cut-off and in-time rules (S2, S6, S7, S8, S14) are the records check's own
units, run on each booking as a record of the hearing, so both checks use the same model
parameters; S9 (the next sitting after an emergency decision) and the follow-ups' limits
(S10, S11, S12) are worked out here. The plan-only rules are one function each: integrity and
pins, S1, slots (S3, S4), people (S5).

Eligibility (S2, S5 leave, S8 too early) of a *pinned* booking is reported as a warning:
the plan only kept an earlier decision it was told not to change.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, time

from panelsched.core.panels import Authority, minutes_of
from panelsched.core.plan import Booking, Plan
from panelsched.core.sittings import ratification_sitting, sitting_id
from panelsched.planner.problem import ProblemData, decision_moment
from panelsched.validator import record_rules  # noqa: F401  (declares the catalogue's units)
from panelsched.validator.catalogue import (
    CATALOGUE,
    NOT_APPLICABLE,
    NOT_CHECKED,
    RecordRule,
    Warn,
)
from panelsched.validator.clock_checks import check_clocks, clock_rules
from panelsched.validator.findings import Finding, Severity, Tally, sort_findings
from panelsched.validator.plan_context import Booked, PlanContext, PlanInput
from panelsched.validator.record_rules import ratification_verdict

# The rules whose findings say a case was heard after its last date in time. The planner
# marks exactly these bookings late; every other finding on a plan is a defect.
LATENESS_RULES = frozenset({"S6", "S7", "S8", "S9", "S10", "S11", "S12", "S14"})


def lateness_rules(authority: Authority) -> frozenset[str]:
    """The rules whose findings say a case was heard after its last date in time:
    :data:`LATENESS_RULES` and the statutory clocks ``authority`` declares (by their ids)."""
    return LATENESS_RULES | frozenset(clock_rules(authority))


# The records units a booking is judged by, as if it were a record of the hearing: the same
# code, and the same model parameters (lead times), as the records check.
_RECORD_RULES = ("S2", "S6", "S7", "S8", "S14")


def _hm(moment: time) -> str:
    return moment.strftime("%H:%M")


def _span(booking: Booking) -> str:
    return f"{_hm(booking.start)}-{_hm(booking.end)}"


# --- plan integrity --------------------------------------------------------------------------


def _check_integrity(ctx: PlanContext) -> None:
    """Each referral booked once or listed unplaced, exactly one of the two; pins kept."""
    given, plan = ctx.given, ctx.plan
    booked = Counter(b.referral_id for b in plan.bookings)
    unplaced = Counter(plan.unplaced)
    for rid in sorted((set(booked) | set(unplaced)) - set(ctx.position)):
        where = "booked" if rid in booked else "listed unplaced"
        ctx.report("PLAN", rid, f"{where} but not in the referrals", referral_id=rid)
    dates: dict[str, list[str]] = defaultdict(list)
    # In time order, each as people read it: "crp 11/03/2027 13:00".
    for b in sorted(plan.bookings, key=lambda b: (b.date, b.start, b.panel)):
        dates[b.referral_id].append(f"{b.panel} {b.date:%d/%m/%Y} {_hm(b.start)}")
    for referral in given.referrals:
        rid = referral.referral_id
        ctx.checked("PLAN")
        times, left = booked[rid], unplaced[rid]
        message = ""
        if times > 1:
            message = f"booked {times} times ({', '.join(dates[rid])}); at most once"
        elif times and left:
            message = "both booked and listed unplaced; it must be exactly one of the two"
        elif not times and not left:
            message = "neither booked nor listed unplaced"
        elif left > 1:
            message = f"listed unplaced {left} times"
        if message:
            ctx.report("PLAN", rid, message, panel=referral.panel, referral_id=rid)
        pin = ctx.pins.get(rid)
        if pin is None:
            continue
        wanted = f"{pin.date:%d/%m/%Y} {_hm(pin.start)}"
        kept = [
            b
            for b in plan.bookings
            if b.referral_id == rid
            and b.date == pin.date
            and b.panel == referral.panel
            and minutes_of(b.start) == minutes_of(pin.start)
        ]
        if not kept:
            now = ", ".join(dates[rid]) or "not booked"
            ctx.report(
                "PLAN",
                rid,
                f"pinned at {referral.panel} {wanted} but the plan has {now}",
                panel=referral.panel,
                referral_id=rid,
                sitting=sitting_id(referral.panel, pin.date),
            )
    for b in plan.bookings:
        if b.referral_id not in ctx.position or ctx.pinned(b.referral_id):
            continue
        if not given.start <= b.date <= given.end:
            ctx.report(
                "PLAN",
                b.referral_id,
                f"booked on {b.date:%d/%m/%Y}, outside the planning range "
                f"{given.start:%d/%m/%Y} to {given.end:%d/%m/%Y}",
                panel=b.panel,
                referral_id=b.referral_id,
                sitting=b.sitting_id,
            )


# --- S1: own panel ---------------------------------------------------------------------------


def _resolve(ctx: PlanContext, booking: Booking) -> Booked | None:
    """S1: the booking is at a sitting of its referral's own panel (and locality)."""
    index = ctx.position.get(booking.referral_id)
    if index is None:
        return None
    referral = ctx.given.referrals[index]
    rid = booking.referral_id
    ctx.checked("S1")

    def fail(message: str) -> None:
        ctx.report(
            "S1", rid, message, panel=booking.panel, referral_id=rid, sitting=booking.sitting_id
        )

    panel = ctx.panel(booking.panel)
    if panel is None:
        fail(f"booked at '{booking.panel}', a panel the model does not have")
        return None
    if booking.panel != referral.panel:
        fail(f"referred to {referral.panel} but booked at {booking.panel}")
        return None
    if panel.locality and referral.locality and panel.locality != referral.locality:
        fail(f"from locality {referral.locality} but booked at the {panel.locality} panel")
        return None
    sitting = ctx.sitting(booking)
    if sitting is None:
        fail(f"{panel.id} does not sit on {booking.date:%d/%m/%Y}")
        return None
    return Booked(booking, index, referral, sitting, panel)


# --- S3 and S4: slots ------------------------------------------------------------------------


def _check_slot(ctx: PlanContext, b: Booked) -> None:
    """S3: inside the window and clear of breaks; S3/S4: exactly the slot the case needs."""
    booking, sitting, panel = b.booking, b.sitting, b.panel
    start, end = booking.minutes
    open_, close = sitting.window_minutes
    ctx.checked("S3")
    problems = []
    if end <= start:
        problems.append(f"slot {_span(booking)} ends before it starts")
    elif start < open_ or end > close:
        problems.append(
            f"slot {_span(booking)} runs outside the {_hm(sitting.start)}-{_hm(sitting.end)} window"
        )
    for b_start, b_end in panel.breaks:
        if start < minutes_of(b_end) and minutes_of(b_start) < end:
            problems.append(
                f"slot {_span(booking)} runs into the {_hm(b_start)}-{_hm(b_end)} break"
            )
    for message in problems:
        ctx.report("S3", b.item, message, panel=panel.id, referral_id=b.item, sitting=sitting.id)
    complex_rule = b.referral.complex and panel.complex_slot_minutes is not None
    rule = "S4" if complex_rule else "S3"
    if not ctx.slot_lengths_known:
        if complex_rule or panel.complex_slot_minutes is not None:
            ctx.not_checked("S4")
        return
    if complex_rule:
        ctx.checked("S4")
    needed = panel.slot_for(b.referral.complex)
    if end > start and end - start != needed:
        kind = "a complex case" if b.referral.complex else "a case"
        ctx.report(
            rule,
            b.item,
            f"slot {_span(booking)} is {end - start} minutes; {kind} at {panel.id} needs {needed}",
            panel=panel.id,
            referral_id=b.item,
            sitting=sitting.id,
        )


def _check_overlaps_in_sittings(ctx: PlanContext, booked: Iterable[Booked]) -> None:
    """S3: slots of one sitting do not overlap."""
    by_sitting: dict[str, list[Booked]] = defaultdict(list)
    for b in booked:
        by_sitting[b.sitting.id].append(b)
    for sitting, group in sorted(by_sitting.items()):
        for earlier, later in _overlapping(group):
            ctx.report(
                "S3",
                later.item,
                f"slot {_span(later.booking)} overlaps {earlier.item}'s slot "
                f"{_span(earlier.booking)}",
                panel=later.panel.id,
                referral_id=later.item,
                sitting=sitting,
            )


def _overlapping(group: list[Booked]) -> list[tuple[Booked, Booked]]:
    """Pairs (earlier, later) of bookings whose times overlap, by a sweep over start times."""
    ordered = sorted(group, key=lambda b: (b.booking.start, b.booking.end, b.item))
    pairs: list[tuple[Booked, Booked]] = []
    active: list[Booked] = []
    for b in ordered:
        active = [a for a in active if a.booking.end > b.booking.start]
        pairs.extend((a, b) for a in active if a.booking.start < b.booking.end)
        active.append(b)
    return pairs


# --- S5: people ------------------------------------------------------------------------------


def _check_people(ctx: PlanContext, booked: list[Booked]) -> None:
    """S5: nobody in two overlapping slots on one date, in any panels; nobody booked away."""
    by_person_day: dict[tuple[str, date], list[Booked]] = defaultdict(list)
    for b in booked:
        ctx.checked("S5")
        for person in b.referral.people:
            by_person_day[(person, b.booking.date)].append(b)
            for away in ctx.away(person):
                if away.clashes(b.booking.date, b.booking.start, b.booking.end):
                    when = (
                        "all day"
                        if away.whole_days
                        else f"{away.start:%d/%m/%Y %H:%M} to {away.end:%d/%m/%Y %H:%M}"
                    )
                    ctx.report(
                        "S5",
                        b.item,
                        f"{person} is unavailable ({when}) but booked "
                        f"{b.booking.date:%d/%m/%Y} {_span(b.booking)}",
                        panel=b.panel.id,
                        referral_id=b.item,
                        sitting=b.sitting.id,
                        severity=b.eligibility_severity,
                    )
    for (person, _day), group in sorted(by_person_day.items()):
        for earlier, later in _overlapping(group):
            both_pinned = earlier.booking.pinned and later.booking.pinned
            ctx.report(
                "S5",
                later.item,
                f"{person} is booked in two places at once: {earlier.item} at "
                f"{earlier.panel.id} {_span(earlier.booking)} and {later.item} at "
                f"{later.panel.id} {_span(later.booking)}",
                panel=later.panel.id,
                referral_id=later.item,
                sitting=later.sitting.id,
                severity="warning" if both_pinned else "error",
            )


# --- S2, S6, S7, S8, S14: the records units ------------------------------------------------


def _check_as_records(ctx: PlanContext, booked: list[Booked]) -> None:
    """S2 cut-offs, S6 reviews, S7 review-by dates, S8 contract ends, S14 deadlines: each
    booking judged by the records check's own unit, as a record of the hearing.

    On a pinned booking, a cut-off missed (S2) or a hearing too far ahead of a contract end
    (S8) is a warning: the plan only kept an earlier decision it was told not to change.
    """
    by_record = {ctx.records[b.booking]: b for b in booked}
    rows = list(by_record)
    units: list[RecordRule] = [rule for rule in CATALOGUE if rule.id in _RECORD_RULES]
    ev = ctx.evidence
    for unit in units:
        for record, verdict in unit.judge(rows, ev, unit):
            if verdict is NOT_APPLICABLE:
                continue
            if verdict is NOT_CHECKED:
                ctx.not_checked(unit.id)
                continue
            ctx.checked(unit.id)
            if not isinstance(verdict, str):
                continue
            b = by_record[record]
            severity: Severity = "warning" if isinstance(verdict, Warn) else "error"
            early = (
                unit.id == "S8"
                and b.referral.contract_end is not None
                and b.booking.date < b.referral.contract_end
            )
            if unit.id == "S2" or early:
                severity = b.eligibility_severity
            ctx.report(
                unit.id,
                b.item,
                str(verdict),
                panel=b.panel.id,
                referral_id=b.item,
                sitting=b.sitting.id,
                severity=severity,
            )


# --- S9: ratified at the next sitting after the decision -------------------------------------


def _check_ratified(ctx: PlanContext, b: Booked) -> None:
    """S9: an emergency decision is ratified at the panel's next sitting after it (an
    emergency's submission is its decision, a date alone after that day's sittings), by the
    model's calendar; the planner's due date is the same sitting
    (:func:`panelsched.core.sittings.ratification_sitting`)."""
    referral = b.referral
    if referral.priority != "emergency":
        return
    decided = decision_moment(referral)
    after = ctx.evidence.sittings_from(b.panel.id, decided.date())
    first = ratification_sitting(after, decided, b.panel.late_applications)
    verdict = ratification_verdict(b.booking.date, decided, first)
    if verdict is NOT_CHECKED:
        ctx.not_checked("S9")
        return
    ctx.checked("S9")
    if isinstance(verdict, str):
        ctx.report(
            "S9",
            b.item,
            verdict,
            panel=b.panel.id,
            referral_id=b.item,
            sitting=b.sitting.id,
        )


# --- S10, S11, S12: limits a follow-up set ---------------------------------------------------

_SET_LIMITS = {
    "S10": "the next sitting after the deferral",
    "S11": "the Permanency Tracking limit",
    "S12": "the NEET review date",
}


def _check_set_limit(ctx: PlanContext, b: Booked) -> None:
    """S10, S11, S12: a hearing the forward planner made is heard by the limit its rule set
    (the deferred case's next sitting, two weeks after the first CLA review, the NEET
    review date)."""
    referral = b.referral
    limits = []
    if referral.deadline is not None and referral.deadline_rule in _SET_LIMITS:
        limits.append((referral.deadline, referral.deadline_rule))
    if referral.review_by is not None and referral.review_by_rule in _SET_LIMITS:
        limits.append((referral.review_by, referral.review_by_rule))
    heard = b.booking.date
    for limit, rule in limits:
        ctx.checked(rule)
        if heard > limit:
            ctx.report(
                rule,
                b.item,
                f"heard {heard:%d/%m/%Y}, {(heard - limit).days} days after "
                f"{_SET_LIMITS[rule]} {limit:%d/%m/%Y}",
                panel=b.panel.id,
                referral_id=b.item,
                sitting=b.sitting.id,
            )


# --- P3: a sitting that can be quorate ------------------------------------------------------


def _check_quorum(ctx: PlanContext, b: Booked) -> None:
    """P3: a case is booked only at a sitting whose chair (or a vice-chair) and quorum of
    members are not away; a warning where the panel says ``inquorate: warn``, or the booking
    was pinned."""
    if b.panel.quorum is None:
        return
    ctx.checked("P3")
    short = ctx.short_of_quorum(b.panel, b.sitting)
    if short is None:
        return
    warned = b.panel.inquorate == "warn" or b.booking.pinned
    ctx.report(
        "P3",
        b.item,
        f"booked at the sitting of {b.sitting.date:%d/%m/%Y}, which {short}",
        panel=b.panel.id,
        referral_id=b.item,
        sitting=b.sitting.id,
        severity="warning" if warned else "error",
    )


# --- PLAN: not before the date the referral gives ---------------------------------------------


def _check_not_before(ctx: PlanContext, b: Booked) -> None:
    """A referral's ``not_before`` date is kept (the planner's own input, not a rule)."""
    first = b.referral.not_before
    heard = b.booking.date
    if first is None or heard >= first:
        return
    ctx.report(
        "PLAN",
        b.item,
        f"heard {heard:%d/%m/%Y}, before its not-before date {first:%d/%m/%Y}",
        panel=b.panel.id,
        referral_id=b.item,
        sitting=b.sitting.id,
        severity=b.eligibility_severity,
    )


_PER_BOOKING: tuple[Callable[[PlanContext, Booked], None], ...] = (
    _check_slot,
    _check_not_before,
    _check_ratified,
    _check_set_limit,
    _check_quorum,
    check_clocks,
)


def audit_plan(
    given: PlanInput | ProblemData, plan: Plan, *, slot_lengths_known: bool = True
) -> dict[str, Tally]:
    """Check ``plan`` and tally each rule's verdicts (see :func:`check_plan`).

    Parameters
    ----------
    given, plan
        What was planned (the planner's input is read for its given facts only) and the
        plan.
    slot_lengths_known
        False when the referrals' complexity is not known (a bookings file read without a
        referrals file): slot lengths are then reported as not checked.

    Returns
    -------
    dict of str to Tally
        One tally per rule in :data:`PLAN_RULES`, and one per statutory clock a booking was
        judged by (by the clock's id), findings sorted.
    """
    if isinstance(given, ProblemData):
        given = PlanInput.of(given)
    ctx = PlanContext(given, plan, slot_lengths_known)
    _check_integrity(ctx)
    booked = []
    for booking in plan.bookings:
        resolved = _resolve(ctx, booking)
        if resolved is None:
            continue
        booked.append(resolved)
        for check in _PER_BOOKING:
            check(ctx, resolved)
    _check_as_records(ctx, booked)
    _check_overlaps_in_sittings(ctx, booked)
    _check_people(ctx, booked)
    for tally in ctx.tallies.values():
        tally.findings = sort_findings(tally.findings)
    return ctx.tallies


def check_plan(given: PlanInput | ProblemData, plan: Plan) -> list[Finding]:
    """Every way ``plan`` breaks the scheduling rules S1-S12, S14 or its own integrity.

    Checks: each referral booked at most once or listed unplaced (exactly one); pinned
    bookings keep their date and time; nothing outside the planning range but pins, nor
    before a referral's not-before date (PLAN); booked at a sitting of its own panel and
    locality (S1); submitted by the cut-off, or at the first sitting after a late submission
    with permission (S2); a whole slot inside the window, clear of breaks, not overlapping,
    of exactly the panel's length (S3, S4); nobody in two overlapping slots or booked while
    away, including part days (S5); heard in time (S6 reviews, S7 review-by, S8 contract
    end, S9 emergencies, S10-S12 limits a follow-up set, S14 a set deadline) and not more
    than the S8 notice before a contract ends; and by the last viable sitting of each
    statutory clock the model declares (:mod:`panelsched.validator.clock_checks`).

    The due dates are worked out here from the referral, the model's calendar and its
    parameters (``cla_review_lead_days``, ``contract_end_weeks``...), by the records check's
    own units: nothing the planner derived is read, so the check is independent of it.

    Parameters
    ----------
    given
        What was planned: a :class:`PlanInput`, or the planner's input, of which only the
        given facts (model, referrals, who is away, range, pins) are read.
    plan
        The bookings and unplaced referrals to check.

    Returns
    -------
    list of Finding
        Sorted by rule, sitting and case; empty when the plan keeps every rule. Lateness
        findings (rules in :func:`lateness_rules`: :data:`LATENESS_RULES` and the model's
        clock ids) name the referrals heard after their last date in time.
    """
    tallies = audit_plan(given, plan)
    return sort_findings(f for tally in tallies.values() for f in tally.findings)


__all__ = ["LATENESS_RULES", "audit_plan", "check_plan", "lateness_rules"]
