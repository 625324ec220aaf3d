"""Check a plan against the scheduling rules a plan can speak to (S1-S9), and its integrity.

One function per rule, each reading one booking (or one group of bookings) and the problem
data, listed in :data:`_PER_BOOKING` in DOMAIN.md's order. Nothing here imports the solver:
this module is the independent re-check of every plan the planner writes.

Eligibility (S2, S5 leave, S8 not-too-early) of a *pinned* booking is reported as a warning:
the plan only kept an earlier decision it was told not to change.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import cached_property

from panelsched.calendar import Sitting, generate_sittings
from panelsched.model import Panel, minutes_of
from panelsched.plan import Booking, Plan
from panelsched.problem import ProblemData, first_late_sitting, may_be_late
from panelsched.referrals import CONTRACT_NOTICE_DAYS, REVIEW_LEAD_DAYS, Referral
from panelsched.validator.findings import Finding, Severity, Tally, sort_findings
from panelsched.validator.rulebook import source_of

# The rules whose findings say a case was heard after its last date in time. The planner
# marks exactly these bookings late; every other finding on a plan is a defect.
LATENESS_RULES = frozenset({"S6", "S7", "S8", "S9", "S14"})

PLAN_RULES = ("PLAN", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S14")


def _hm(moment: time) -> str:
    return moment.strftime("%H:%M")


def _span(booking: Booking) -> str:
    return f"{_hm(booking.start)}-{_hm(booking.end)}"


@dataclass
class _Context:
    """The problem, the plan and the indexes every rule shares."""

    problem: ProblemData
    plan: Plan
    slot_lengths_known: bool
    tallies: dict[str, Tally] = field(default_factory=dict)
    _extra_sittings: dict[str, Sitting | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.tallies = {rule: Tally(rule) for rule in PLAN_RULES}

    @cached_property
    def position(self) -> dict[str, int]:
        return self.problem.referral_index()

    @cached_property
    def sitting_at(self) -> dict[str, Sitting]:
        return {s.id: s for s in self.problem.sittings}

    @cached_property
    def own_sittings(self) -> dict[str, tuple[Sitting, ...]]:
        grouped: dict[str, list[Sitting]] = defaultdict(list)
        for sitting in self.problem.sittings:
            grouped[sitting.panel].append(sitting)
        return {panel: tuple(found) for panel, found in grouped.items()}

    def panel(self, panel_id: str) -> Panel | None:
        try:
            return self.problem.authority.panel(panel_id)
        except KeyError:
            return None

    def sitting(self, booking: Booking) -> Sitting | None:
        """The sitting a booking names, generated from the model when outside the range."""
        found = self.sitting_at.get(booking.sitting_id)
        if found is not None:
            return found
        if booking.sitting_id not in self._extra_sittings:
            panel = self.panel(booking.panel)
            made = (
                generate_sittings(self.problem.authority, booking.date, booking.date, [panel.id])
                if panel is not None
                else ()
            )
            self._extra_sittings[booking.sitting_id] = made[0] if made else None
        return self._extra_sittings[booking.sitting_id]

    def pinned(self, index: int) -> bool:
        return self.problem.pinned_start[index] is not None

    def report(
        self,
        rule: str,
        item: str,
        message: str,
        *,
        panel: str = "",
        referral_id: str = "",
        sitting: str = "",
        severity: Severity = "error",
    ) -> None:
        self.tallies[rule].add(
            item,
            Finding(rule, severity, panel, referral_id, sitting, message, source_of(rule)),
        )

    def checked(self, rule: str, count: int = 1) -> None:
        self.tallies[rule].checked += count

    def not_checked(self, rule: str, count: int = 1) -> None:
        self.tallies[rule].not_checked += count


@dataclass(frozen=True, slots=True)
class _Booked:
    """A booking with its referral and sitting resolved."""

    booking: Booking
    index: int
    referral: Referral
    sitting: Sitting
    panel: Panel

    @property
    def item(self) -> str:
        return self.booking.referral_id

    @property
    def eligibility_severity(self) -> Severity:
        return "warning" if self.booking.pinned else "error"


# --- plan integrity --------------------------------------------------------------------------


def _check_integrity(ctx: _Context) -> None:
    """Each referral booked once or listed unplaced, exactly one of the two; pins kept."""
    problem, plan = ctx.problem, ctx.plan
    booked = Counter(b.referral_id for b in plan.bookings)
    unplaced = Counter(plan.unplaced)
    for rid in sorted((set(booked) | set(unplaced)) - set(ctx.position)):
        where = "booked" if rid in booked else "listed unplaced"
        ctx.report("PLAN", rid, f"{where} but not in the referrals", referral_id=rid)
    dates: dict[str, list[str]] = defaultdict(list)
    for b in plan.bookings:
        dates[b.referral_id].append(f"{b.sitting_id} {_hm(b.start)}")
    for index, referral in enumerate(problem.referrals):
        rid = referral.referral_id
        ctx.checked("PLAN")
        times, left = booked[rid], unplaced[rid]
        message = ""
        if times > 1:
            message = f"booked {times} times ({', '.join(sorted(dates[rid]))}); at most once"
        elif times and left:
            message = "both booked and listed unplaced; it must be exactly one of the two"
        elif not times and not left:
            message = "neither booked nor listed unplaced"
        elif left > 1:
            message = f"listed unplaced {left} times"
        if message:
            ctx.report("PLAN", rid, message, panel=referral.panel, referral_id=rid)
        pin = problem.pinned_start[index]
        if pin is None:
            continue
        pinned_at = problem.sittings[problem.candidates[index][0]]
        wanted = f"{pinned_at.date.isoformat()} {pin // 60:02d}:{pin % 60:02d}"
        kept = [
            b
            for b in plan.bookings
            if b.referral_id == rid
            and b.date == pinned_at.date
            and b.panel == pinned_at.panel
            and minutes_of(b.start) == pin
        ]
        if not kept:
            now = ", ".join(sorted(dates[rid])) or "not booked"
            ctx.report(
                "PLAN",
                rid,
                f"pinned at {pinned_at.panel} {wanted} but the plan has {now}",
                panel=referral.panel,
                referral_id=rid,
                sitting=pinned_at.id,
            )
    for b in plan.bookings:
        at = ctx.position.get(b.referral_id)
        if at is None or ctx.pinned(at):
            continue
        if not problem.start <= b.date <= problem.end:
            ctx.report(
                "PLAN",
                b.referral_id,
                f"booked on {b.date.isoformat()}, outside the planning range "
                f"{problem.start.isoformat()} to {problem.end.isoformat()}",
                panel=b.panel,
                referral_id=b.referral_id,
                sitting=b.sitting_id,
            )


# --- S1: own panel ---------------------------------------------------------------------------


def _resolve(ctx: _Context, booking: Booking) -> _Booked | None:
    """S1: the booking is at a sitting of its referral's own panel (and locality)."""
    index = ctx.position.get(booking.referral_id)
    if index is None:
        return None
    referral = ctx.problem.referrals[index]
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
        fail(f"{panel.id} does not sit on {booking.date.isoformat()}")
        return None
    return _Booked(booking, index, referral, sitting, panel)


# --- S2: cut-off -----------------------------------------------------------------------------


def _check_cutoff(ctx: _Context, b: _Booked) -> None:
    """S2: submitted by the cut-off, or the one late sitting the chair may open to it."""
    ctx.checked("S2")
    referral, sitting = b.referral, b.sitting
    submitted = f"submitted {referral.submitted:%Y-%m-%d %H:%M}"
    message = ""
    if sitting.opens <= referral.submitted:
        message = f"{submitted}, after the sitting on {sitting.date.isoformat()} had begun"
    elif sitting.cutoff is not None and referral.submitted > sitting.cutoff:
        own = ctx.own_sittings.get(referral.panel, ())
        permitted = may_be_late(ctx.problem.authority, referral)
        late_ok = first_late_sitting(referral, own) if permitted else None
        if late_ok != sitting:
            if not b.panel.late_applications:
                why = "this panel accepts no late applications"
            elif not (referral.late_permission or referral.priority == "emergency"):
                why = "no late permission was recorded"
            else:
                why = "a late paper may only go to the first sitting after its submission"
            message = (
                f"{submitted}, after the cut-off {sitting.cutoff:%Y-%m-%d %H:%M} for the sitting "
                f"on {sitting.date.isoformat()}; {why}"
            )
    if message:
        ctx.report(
            "S2",
            b.item,
            message,
            panel=b.panel.id,
            referral_id=b.item,
            sitting=sitting.id,
            severity=b.eligibility_severity,
        )


# --- S3 and S4: slots ------------------------------------------------------------------------


def _check_slot(ctx: _Context, b: _Booked) -> None:
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
    needed = ctx.problem.slot_minutes[b.index]
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


def _check_overlaps_in_sittings(ctx: _Context, booked: Iterable[_Booked]) -> None:
    """S3: slots of one sitting do not overlap."""
    by_sitting: dict[str, list[_Booked]] = defaultdict(list)
    for b in booked:
        by_sitting[b.sitting.id].append(b)
    for sitting_id, group in sorted(by_sitting.items()):
        for earlier, later in _overlapping(group):
            ctx.report(
                "S3",
                later.item,
                f"slot {_span(later.booking)} overlaps {earlier.item}'s slot "
                f"{_span(earlier.booking)}",
                panel=later.panel.id,
                referral_id=later.item,
                sitting=sitting_id,
            )


def _overlapping(group: list[_Booked]) -> list[tuple[_Booked, _Booked]]:
    """Pairs (earlier, later) of bookings whose times overlap, by a sweep over start times."""
    ordered = sorted(group, key=lambda b: (b.booking.start, b.booking.end, b.item))
    pairs: list[tuple[_Booked, _Booked]] = []
    active: list[_Booked] = []
    for b in ordered:
        active = [a for a in active if a.booking.end > b.booking.start]
        pairs.extend((a, b) for a in active if a.booking.start < b.booking.end)
        active.append(b)
    return pairs


# --- S5: people ------------------------------------------------------------------------------


def _check_people(ctx: _Context, booked: list[_Booked]) -> None:
    """S5: nobody in two overlapping slots on one date, in any panels; nobody booked away."""
    by_person_day: dict[tuple[str, date], list[_Booked]] = defaultdict(list)
    for b in booked:
        ctx.checked("S5")
        for person in b.referral.people:
            by_person_day[(person, b.booking.date)].append(b)
            for away in ctx.problem.away(person):
                if away.clashes(b.booking.date, b.booking.start, b.booking.end):
                    when = (
                        "all day"
                        if away.whole_days
                        else f"{away.start:%Y-%m-%d %H:%M} to {away.end:%Y-%m-%d %H:%M}"
                    )
                    ctx.report(
                        "S5",
                        b.item,
                        f"{person} is unavailable ({when}) but booked "
                        f"{b.booking.date.isoformat()} {_span(b.booking)}",
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


# --- S6, S7, S8, S9, S14: in time ------------------------------------------------------------


def _due_rule(referral: Referral, due: date, reason: str) -> tuple[str, str]:
    """Which rule sets ``due`` and the words that explain it, from the referral's dates."""
    if (
        referral.cla_review is not None
        and due == referral.cla_review - timedelta(days=REVIEW_LEAD_DAYS)
        and "CLA" in reason
    ):
        return "S6", "CLA review"
    if (
        referral.cp_review is not None
        and due == referral.cp_review - timedelta(days=REVIEW_LEAD_DAYS)
        and "CP review" in reason
    ):
        return "S6", "CP review"
    if referral.review_by is not None and due == referral.review_by and "review-by" in reason:
        return "S7", "review-by"
    if referral.contract_end is not None and due == referral.contract_end - timedelta(days=1):
        return "S8", "contract"
    if referral.deadline is not None and due == referral.deadline and reason == "its deadline":
        return "S14", "deadline"
    return "S9", "emergency"


def _check_in_time(ctx: _Context, b: _Booked) -> None:
    """S6-S9, S14: heard on or before the last date in time (the planner's ``due``)."""
    due = ctx.problem.due[b.index]
    if due is None:
        return
    reason = ctx.problem.due_reason[b.index]
    rule, kind = _due_rule(b.referral, due, reason)
    ctx.checked(rule)
    heard = b.booking.date
    if heard <= due:
        return
    r = b.referral
    said = f"heard {heard.isoformat()}"
    if kind in ("CLA review", "CP review"):
        review = r.cla_review if kind == "CLA review" else r.cp_review
        assert review is not None
        gap = (review - heard).days
        if gap >= 0:
            message = f"{said}, {gap} days before the {kind} on {review.isoformat()}; "
        else:
            message = f"{said}, {-gap} days after the {kind} on {review.isoformat()}; "
        message += f"needs {REVIEW_LEAD_DAYS}"
    elif kind == "review-by":
        message = f"{said}, {(heard - due).days} days after the review-by date {due.isoformat()}"
    elif kind == "contract":
        assert r.contract_end is not None
        message = (
            f"{said}, on or after the contract end {r.contract_end.isoformat()}; must be heard "
            "before it"
        )
    elif kind == "deadline":
        message = f"{said}, {(heard - due).days} days after its deadline {due.isoformat()}"
    else:
        message = (
            f"{said}; the emergency decision must be ratified at the first sitting it could "
            f"attend, {due.isoformat()}"
        )
    ctx.report(rule, b.item, message, panel=b.panel.id, referral_id=b.item, sitting=b.sitting.id)


def _check_not_too_early(ctx: _Context, b: _Booked) -> None:
    """S8: not before 8 weeks before the contract ends (and not before ``not_before``)."""
    earliest = b.referral.earliest()
    if earliest is None:
        return
    contract = b.referral.contract_end
    binding = contract is not None and earliest == contract - timedelta(days=CONTRACT_NOTICE_DAYS)
    rule = "S8" if binding else "PLAN"
    if rule == "S8":
        ctx.checked("S8")
    heard = b.booking.date
    if heard >= earliest:
        return
    if binding:
        assert contract is not None
        message = (
            f"heard {heard.isoformat()}, {(contract - heard).days} days before the contract ends "
            f"on {contract.isoformat()}; not more than {CONTRACT_NOTICE_DAYS} (8 weeks) ahead"
        )
    else:
        message = f"heard {heard.isoformat()}, before its not-before date {earliest.isoformat()}"
    ctx.report(
        rule,
        b.item,
        message,
        panel=b.panel.id,
        referral_id=b.item,
        sitting=b.sitting.id,
        severity=b.eligibility_severity,
    )


_PER_BOOKING: tuple[Callable[[_Context, _Booked], None], ...] = (
    _check_cutoff,
    _check_slot,
    _check_not_too_early,
    _check_in_time,
)


def audit_plan(
    problem: ProblemData, plan: Plan, *, slot_lengths_known: bool = True
) -> dict[str, Tally]:
    """Check ``plan`` and tally each rule's verdicts (see :func:`check_plan`).

    Parameters
    ----------
    problem, plan
        What was planned and the plan.
    slot_lengths_known
        False when the referrals' complexity is not known (a bookings file read without a
        referrals file): slot lengths are then reported as not checked.

    Returns
    -------
    dict of str to Tally
        One tally per rule in :data:`PLAN_RULES`, findings sorted.
    """
    ctx = _Context(problem, plan, slot_lengths_known)
    _check_integrity(ctx)
    booked = []
    for booking in plan.bookings:
        resolved = _resolve(ctx, booking)
        if resolved is None:
            continue
        booked.append(resolved)
        for check in _PER_BOOKING:
            check(ctx, resolved)
    _check_overlaps_in_sittings(ctx, booked)
    _check_people(ctx, booked)
    for tally in ctx.tallies.values():
        tally.findings = sort_findings(tally.findings)
    return ctx.tallies


def check_plan(problem: ProblemData, plan: Plan) -> list[Finding]:
    """Every way ``plan`` breaks the scheduling rules S1-S9, S14 or its own integrity.

    Checks: each referral booked at most once or listed unplaced (exactly one); pinned
    bookings keep their date and time; nothing outside the planning range but pins (PLAN);
    booked at a sitting of its own panel and locality (S1); submitted by the cut-off, or at
    the first sitting after a late submission with permission (S2); a whole slot inside the
    window, clear of breaks, not overlapping, of exactly the panel's length (S3, S4); nobody
    in two overlapping slots or booked while away, including part days (S5); heard by its
    last date in time (S6 reviews, S7 review-by, S8 contract end, S9 emergencies, S14 a set
    deadline) and not more than 8 weeks before a contract ends (S8).

    Parameters
    ----------
    problem
        The planner's input (:func:`panelsched.problem.build_problem`).
    plan
        The bookings and unplaced referrals to check.

    Returns
    -------
    list of Finding
        Sorted by rule, sitting and case; empty when the plan keeps every rule. Lateness
        findings (rules in :data:`LATENESS_RULES`) name exactly the referrals booked after
        ``problem.due``.
    """
    tallies = audit_plan(problem, plan)
    return sort_findings(f for tally in tallies.values() for f in tally.findings)


__all__ = ["LATENESS_RULES", "PLAN_RULES", "audit_plan", "check_plan"]
