"""Follow-ups: the hearings the rules ask for after a decision, one small unit per rule.

Each unit reads one decision (a hearing, what the panel decided and the record's cells) and
returns the follow-up hearings it asks for, each with the last date in time and a note saying
which rule set it. ``decide`` creates them and books them at once (CBC 9: "the panel
administrator will book the date in the forward planner").

=====  ==========================================================  =====================
rule   follow-up                                                   unit
=====  ==========================================================  =====================
S10    a deferred case is heard again at the next sitting          :func:`deferred`
S7     an approval's review, by its review date / approval end     :func:`approval_review`
S11    permanency tracking within 14 days of the first CLA review  :func:`permanency`
S12    a young person still NEET is reviewed within 3 months       :func:`neet_review`
S9     an emergency decision is ratified at the next sitting       :func:`ratification`
S13    each safeguarding TM's monthly court-tracking slot          :func:`court_tracking`
=====  ==========================================================  =====================

Assumptions (booking practice, not any council's rule): a review (S7, S12) is booked in the
:data:`REVIEW_WINDOW_DAYS` before it falls due, so the panel hears it near its date rather
than weeks early; a follow-up the panel asked for itself may take the first sitting whose
cut-off has passed (as a late paper with the chair's permission, S2), since its papers are
the panel's own.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from panelsched.core.panels import Authority, Panel
from panelsched.core.referrals import Referral
from panelsched.core.sittings import Sitting, decision_moment, ratification_sitting
from panelsched.errors import InputError, Problem
from panelsched.forward.diary import Diary, Hearing
from panelsched.io.records import Record

# A review is booked no earlier than this many days before it falls due.
REVIEW_WINDOW_DAYS = 28
# Court-tracking slots are allocated for the current month and this many more.
COURT_TRACKING_MONTHS_AHEAD = 2
# The model keys (under a panel's ``rules:``) the follow-ups read.
SAFEGUARDING_TMS = "safeguarding_team_managers"
TM_SLOTS = "tm_slots_per_month"
PTP_DAYS = "invite_within_days_of_first_cla_review"
NEET_MONTHS = "neet_review_within_months"


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A hearing a rule asks for.

    Attributes
    ----------
    rule, kind
        The rule (``"S10"``) and the kind of hearing (``"deferred"``).
    referral_id
        The case it belongs to.
    referral
        What to book: panel, people, submission, ``not_before``, ``deadline`` / ``review_by``.
    origin_id
        The hearing whose decision asked for it (``None`` for S9 and S13).
    due
        The last date in time by the rule, if any (S9's is the first sitting after the
        decision).
    due_note
        Which rule sets the date, in words.
    """

    rule: str
    kind: str
    referral_id: str
    referral: Referral
    origin_id: int | None
    due: date | None
    due_note: str
    first_cla_review: date | None = None
    emergency_decision: datetime | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """One hearing's outcome as recorded by ``decide``."""

    hearing: Hearing
    outcome: str
    record: Record


@dataclass(frozen=True)
class Context:
    """What the units read besides the decision: the store and the moment of the command."""

    diary: Diary
    now: datetime

    @property
    def authority(self) -> Authority:
        """The model with the store's sitting changes."""
        return self.diary.authority

    def next_sitting(self, panel: str, after: datetime) -> Sitting | None:
        """``panel``'s first sitting that opens after ``after``."""
        return self.diary.next_sitting(panel, after)


Unit = Callable[[Decision, Context], Iterator[FollowUp]]
UNITS: list[tuple[str, Unit]] = []


def unit(rule: str) -> Callable[[Unit], Unit]:
    """Register a per-decision follow-up unit under its rule id, in order."""

    def register(function: Unit) -> Unit:
        UNITS.append((rule, function))
        return function

    return register


def _uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _presenters(decision: Decision) -> dict[str, Any]:
    """The record's SW and TM when it names them (they may have changed), else the hearing's."""
    record, referral = decision.record, decision.hearing.referral
    return {
        "social_worker": record.social_worker or referral.social_worker,
        "team_manager": record.team_manager or referral.team_manager,
    }


def _fresh(decision: Decision, ctx: Context, panel: str, **fields: Any) -> Referral:
    """A new application about the same case: its people and what it is, no old dates.

    Nor the old ``requested`` date or ``clock_pauses``: a review or a tracking hearing is not
    the request a statutory clock ran from (a deferral, which is, keeps them: ``S10``).
    """
    referral = decision.hearing.referral
    return Referral(
        referral_id=decision.hearing.referral_id,
        panel=panel,
        submitted=ctx.now,
        child_id=decision.record.child_id or referral.child_id,
        request_type=referral.request_type,
        complex=referral.complex,
        locality=referral.locality if panel == referral.panel else "",
        attendees=referral.attendees,
        late_permission=True,
        **_presenters(decision),
        **fields,
    )


def _rule_panels(authority: Authority, key: str) -> list[Panel]:
    return [p for p in authority.panels if key in p.rules]


def _count(authority: Authority, panel: Panel, key: str) -> int:
    value = panel.rules[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(
            [
                Problem(
                    authority.source_file or "model",
                    f"{value!r} is not a whole number of 1 or more",
                    panel=panel.id,
                    key=f"rules.{key}",
                )
            ]
        )
    return value


# --------------------------------------------------------------------------- the units


@unit("S10")
def deferred(decision: Decision, ctx: Context) -> Iterator[FollowUp]:
    """S10 (CBC 9): a deferred case goes to the next available sitting of its panel.

    The case keeps its dates (a CLA review still needs it heard 21 days before); its papers
    are in, so it counts as submitted when the deferring sitting closed.
    """
    if decision.outcome != "defer":
        return
    referral = decision.hearing.referral
    at = ctx.diary.sitting(referral.panel, decision.record.date)
    closed = datetime.combine(decision.record.date, at.end if at else time(23, 59))
    following = ctx.next_sitting(referral.panel, closed)
    if following is None:
        due, note = None, "the next sitting (none in the calendar)"
        deadline = referral.deadline
    else:
        due = following.date
        note = f"the next sitting after the deferral, {_uk(due)}"
        deadline = min(d for d in (referral.deadline, due) if d is not None)
    yield FollowUp(
        rule="S10",
        kind="deferred",
        referral_id=decision.hearing.referral_id,
        referral=replace(
            referral,
            submitted=closed,
            deadline=deadline,
            deadline_rule="S10" if due is not None and deadline == due else referral.deadline_rule,
            late_permission=True,
            **_presenters(decision),
        ),
        origin_id=decision.hearing.id,
        due=due,
        due_note=note,
    )


@unit("S7")
def approval_review(decision: Decision, ctx: Context) -> Iterator[FollowUp]:
    """S7 (CBC 9, CPR 4.6, SWI 8): an approval is reviewed by the review date it set, and
    before it runs out (``approval_end``); booked in the weeks before that date."""
    record = decision.record
    ends = [d for d in (record.review_date, record.approval_end) if d is not None]
    if decision.outcome != "approve" or not ends:
        return
    due = min(ends)
    which = "review date" if due == record.review_date else "approval end"
    not_before = max(due - timedelta(days=REVIEW_WINDOW_DAYS), record.date + timedelta(days=1))
    yield FollowUp(
        rule="S7",
        kind="review",
        referral_id=decision.hearing.referral_id,
        referral=_fresh(
            decision, ctx, decision.hearing.panel, review_by=due, not_before=not_before
        ),
        origin_id=decision.hearing.id,
        due=due,
        due_note=f"the {which} {_uk(due)} set on {_uk(record.date)}",
    )


@unit("S11")
def permanency(decision: Decision, ctx: Context) -> Iterator[FollowUp]:
    """S11 (LAM PTP): a child whose first CLA review is known is invited to Permanency
    Tracking within ``invite_within_days_of_first_cla_review`` days of it, once."""
    record = decision.record
    first = record.first_cla_review or decision.hearing.first_cla_review
    if first is None:
        return
    for panel in _rule_panels(ctx.authority, PTP_DAYS):
        if panel.id == decision.hearing.panel:
            continue
        child = record.child_id or decision.hearing.referral.child_id
        if _invited(ctx.diary, panel.id, decision.hearing.referral_id, child):
            continue
        days = _count(ctx.authority, panel, PTP_DAYS)
        due = first + timedelta(days=days)
        yield FollowUp(
            rule="S11",
            kind="permanency",
            referral_id=decision.hearing.referral_id,
            referral=_fresh(
                decision, ctx, panel.id, deadline=due, deadline_rule="S11", not_before=first
            ),
            origin_id=decision.hearing.id,
            due=due,
            due_note=f"{days} days after the first CLA review on {_uk(first)}",
            first_cla_review=first,
        )


def _invited(diary: Diary, panel: str, referral_id: str, child: str) -> bool:
    for hearing in diary.hearings:
        if hearing.rule != "S11" or hearing.panel != panel:
            continue
        if hearing.referral_id == referral_id or (child and hearing.referral.child_id == child):
            return True
    return False


@unit("S12")
def neet_review(decision: Decision, ctx: Context) -> Iterator[FollowUp]:
    """S12 (LAM NEET): a young person still NEET comes back within
    ``neet_review_within_months`` months (sooner if the panel set an earlier review date)."""
    record = decision.record
    if not record.still_neet or decision.outcome == "defer":
        return  # a deferral comes back anyway (S10)
    panel = ctx.authority.panel(decision.hearing.panel)
    if NEET_MONTHS not in panel.rules:
        return
    months = _count(ctx.authority, panel, NEET_MONTHS)
    due = add_months(record.date, months)
    note = f"{months} months after {_uk(record.date)}, still NEET"
    if record.review_date is not None and record.review_date < due:
        due, note = record.review_date, f"the review date {_uk(record.review_date)}, still NEET"
    not_before = max(due - timedelta(days=REVIEW_WINDOW_DAYS), record.date + timedelta(days=1))
    yield FollowUp(
        rule="S12",
        kind="neet review",
        referral_id=decision.hearing.referral_id,
        referral=_fresh(
            decision, ctx, panel.id, review_by=due, review_by_rule="S12", not_before=not_before
        ),
        origin_id=decision.hearing.id,
        due=due,
        due_note=note,
    )


def _open_due(diary: Diary, referral_id: str, panel: str) -> list[date | None]:
    """Due dates of the case's hearings at ``panel`` not yet decided."""
    return [
        diary.due_date(h)
        for h in diary.hearings
        if h.referral_id == referral_id and h.panel == panel and h.id not in diary.outcomes
    ]


def decision_follow_ups(decisions: Sequence[Decision], ctx: Context) -> list[FollowUp]:
    """Every follow-up the decisions ask for, unit by unit, in the decisions' order.

    A case comes back to a panel once at a time: when two rules ask for the same case at the
    same panel (an approval's review, S7, and a NEET review, S12), the one due first is kept
    and serves both; none is made when a hearing of the case at that panel, due no later, is
    already waiting. S11 is asked for once per child.
    """
    found: list[FollowUp] = []
    invited: set[tuple[str, str]] = set()
    for decision in decisions:
        asked: dict[tuple[str, str], list[FollowUp]] = {}
        for rule, function in UNITS:
            for follow_up in function(decision, ctx):
                child = follow_up.referral.child_id or follow_up.referral_id
                if rule == "S11":
                    if (follow_up.referral.panel, child) in invited:
                        continue
                    invited.add((follow_up.referral.panel, child))
                key = (follow_up.referral_id, follow_up.referral.panel)
                asked.setdefault(key, []).append(follow_up)
        for (referral_id, panel), options in asked.items():
            options.sort(key=lambda f: f.due or date.max)
            kept = options[0]
            waiting = _open_due(ctx.diary, referral_id, panel)
            if any(d is not None and kept.due is not None and d <= kept.due for d in waiting):
                continue
            if len(options) > 1:
                others = "; ".join(f"{f.rule}: {f.due_note}" for f in options[1:])
                kept = replace(kept, due_note=f"{kept.due_note} (also serves {others})")
            found.append(kept)
    return found


# --------------------------------------------------------------------------- S9 and S13


# Far enough for the next sitting of the sparsest cadence (monthly), cancellations and all.
_RATIFICATION_HORIZON = timedelta(weeks=26)


def ratification(record: Record, referral: Referral, ctx: Context) -> FollowUp:
    """S9 (CBC 5, LAM 16+, SWI 5, 9): a decision taken in an emergency between sittings is
    ratified at the panel's next sitting.

    ``referral`` carries the case's people; the hearing is an emergency submitted at the
    moment of the decision, so the planner's due date is the same sitting
    (:func:`panelsched.core.sittings.ratification_sitting`).
    """
    assert record.emergency_decision is not None
    taken = decision_moment(record.emergency_decision)
    ahead = ctx.diary.sittings(taken.date(), taken.date() + _RATIFICATION_HORIZON)
    following = ratification_sitting(
        (s for s in ahead if s.panel == record.panel),
        taken,
        ctx.authority.panel(record.panel).late_applications,
    )
    due = following.date if following is not None else None
    return FollowUp(
        rule="S9",
        kind="ratification",
        referral_id=record.referral_id,
        referral=replace(
            referral,
            panel=record.panel,
            submitted=taken,
            priority="emergency",
            late_permission=True,
            not_before=None,
            deadline=None,
        ),
        origin_id=None,
        due=due,
        due_note=(
            f"ratification at the next sitting after the emergency decision of "
            f"{taken:%d/%m/%Y %H:%M}"
        ),
        emergency_decision=record.emergency_decision,
    )


def safeguarding_team_managers(authority: Authority) -> dict[str, tuple[str, ...]]:
    """Each court-tracking panel's safeguarding team managers, from the model.

    A panel takes part when its ``rules:`` list them under ``safeguarding_team_managers``
    (by role or pseudonym, as the referrals name team managers).

    Raises
    ------
    InputError
        When the value is not a list of names, naming the panel and key.
    """
    found: dict[str, tuple[str, ...]] = {}
    for panel in _rule_panels(authority, SAFEGUARDING_TMS):
        value: Any = panel.rules[SAFEGUARDING_TMS]
        names = value if isinstance(value, list | tuple) else None
        if names is None or not all(isinstance(n, str) and n.strip() for n in names):
            raise InputError(
                [
                    Problem(
                        authority.source_file or "model",
                        f"{value!r} is not a list of team managers like [TM-01, TM-02]",
                        panel=panel.id,
                        key=f"rules.{SAFEGUARDING_TMS}",
                    )
                ]
            )
        found[panel.id] = tuple(dict.fromkeys(n.strip() for n in names))
    return found


def _months(first: date, count: int) -> Iterable[tuple[date, date]]:
    year, month = first.year, first.month
    for _ in range(count):
        last = calendar.monthrange(year, month)[1]
        yield date(year, month, 1), date(year, month, last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def court_tracking(ctx: Context, taken: Mapping[str, object]) -> list[FollowUp]:
    """S13 (LAM CTP): one court-tracking slot a month (``tm_slots_per_month``) for each
    safeguarding team manager, for this month and the next two, where a sitting is still
    ahead in the month.

    Parameters
    ----------
    ctx
        The store and the moment.
    taken
        Case references already in use (the new slots' references avoid them).
    """
    found: list[FollowUp] = []
    used = set(taken)
    for panel_id, managers in safeguarding_team_managers(ctx.authority).items():
        panel = ctx.authority.panel(panel_id)
        slots = _count(ctx.authority, panel, TM_SLOTS) if TM_SLOTS in panel.rules else 1
        for first, last in _months(ctx.now.date(), 1 + COURT_TRACKING_MONTHS_AHEAD):
            ahead = [
                s
                for s in ctx.diary.sittings(max(first, ctx.now.date()), last)
                if s.panel == panel_id and s.opens > ctx.now
            ]
            if not ahead:
                continue
            for manager in managers:
                have = sum(
                    1
                    for h in ctx.diary.hearings
                    if h.rule == "S13"
                    and h.panel == panel_id
                    and h.referral.team_manager == manager
                    and h.referral.deadline == last
                )
                for number in range(have + 1, slots + 1):
                    base = f"CT-{manager}-{first:%Y-%m}" + (f"-{number}" if number > 1 else "")
                    reference, extra = base, 1
                    while reference in used:
                        extra += 1
                        reference = f"{base}~{extra}"
                    used.add(reference)
                    found.append(
                        FollowUp(
                            rule="S13",
                            kind="court tracking",
                            referral_id=reference,
                            referral=Referral(
                                referral_id=reference,
                                panel=panel_id,
                                submitted=ctx.now,
                                social_worker=manager,
                                team_manager=manager,
                                request_type="court tracking update",
                                not_before=max(first, ctx.now.date()),
                                deadline=last,
                            ),
                            origin_id=None,
                            due=last,
                            due_note=f"{manager}'s court tracking slot for {first:%B %Y}",
                        )
                    )
    return found


__all__ = [
    "COURT_TRACKING_MONTHS_AHEAD",
    "REVIEW_WINDOW_DAYS",
    "SAFEGUARDING_TMS",
    "UNITS",
    "Context",
    "Decision",
    "FollowUp",
    "add_months",
    "approval_review",
    "court_tracking",
    "decision_follow_ups",
    "deferred",
    "neet_review",
    "permanency",
    "ratification",
    "safeguarding_team_managers",
    "unit",
]
