"""What the plan checks share: the plan's input (:class:`PlanInput`), the indexes over it and
the plan (:class:`PlanContext`), and a booking with its referral and sitting resolved
(:class:`Booked`). The checks themselves are in :mod:`panelsched.validator.plan_checks`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority, Panel
from panelsched.core.plan import Booking, PinnedBooking, Plan
from panelsched.core.quorum import shortfall
from panelsched.core.referrals import Referral
from panelsched.core.sittings import Sitting
from panelsched.io.records import Record, Records
from panelsched.planner.problem import ProblemData
from panelsched.validator.catalogue import Evidence
from panelsched.validator.findings import Finding, Severity, Tally
from panelsched.validator.rulebook import source_of

# The rules a plan is checked against, each with its tally.
PLAN_RULES = (
    "PLAN",
    "S1",
    "S2",
    "S3",
    "S4",
    "S5",
    "S6",
    "S7",
    "S8",
    "S9",
    "S10",
    "S11",
    "S12",
    "S14",
    "P3",
)


# What a booking and its referral tell the records units (every other column is absent).
_RECORD_COLUMNS = frozenset(
    {
        "referral_id",
        "panel",
        "date",
        "start",
        "end",
        "submitted",
        "late_permission",
        "cla_review",
        "cp_review",
        "review_by",
        "contract_end",
        "emergency_decision",
        "deadline",
    }
)


@dataclass(frozen=True)
class PlanInput:
    """What a plan was made for, as the validator reads it: the model, the referrals, who
    is away, the planning range and the pinned bookings. Nothing the planner derives (due
    dates, candidate sittings) is taken from it.

    Parameters
    ----------
    authority
        The model.
    referrals
        The referrals the plan books or lists unplaced.
    unavailability
        When people are away.
    start, end
        The planning range: new bookings fall within it.
    pinned
        Earlier bookings the plan had to keep.
    """

    authority: Authority
    referrals: tuple[Referral, ...]
    unavailability: tuple[Unavailability, ...] = ()
    start: date = date.min
    end: date = date.max
    pinned: tuple[PinnedBooking, ...] = ()

    @classmethod
    def of(cls, problem: ProblemData) -> PlanInput:
        """The planner's input data (its given facts only)."""
        return cls(
            problem.authority,
            problem.referrals,
            problem.unavailability,
            problem.start,
            problem.end,
            problem.pinned,
        )


@dataclass
class PlanContext:
    """The input, the plan and the indexes every plan check shares; each check reports its
    findings and counts here."""

    given: PlanInput
    plan: Plan
    slot_lengths_known: bool
    tallies: dict[str, Tally] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.tallies = {rule: Tally(rule) for rule in PLAN_RULES}

    @cached_property
    def position(self) -> dict[str, int]:
        return {r.referral_id: i for i, r in enumerate(self.given.referrals)}

    @cached_property
    def pins(self) -> dict[str, PinnedBooking]:
        return {p.referral_id: p for p in self.given.pinned}

    @cached_property
    def records(self) -> dict[Booking, Record]:
        """Each booking of a known referral as a record of its hearing."""
        made = {}
        for number, booking in enumerate(self.plan.bookings, start=2):
            index = self.position.get(booking.referral_id)
            if index is not None:
                made[booking] = _as_record(self.given.referrals[index], booking, number)
        return made

    @cached_property
    def evidence(self) -> Evidence:
        """The records units' view: the model's own calendar around the bookings."""
        rows = tuple(self.records.values())
        return Evidence(
            self.given.authority,
            Records("the plan", rows, _RECORD_COLUMNS),
            self.given.unavailability,
        )

    @cached_property
    def _away(self) -> dict[str, tuple[Unavailability, ...]]:
        grouped: dict[str, list[Unavailability]] = defaultdict(list)
        for period in self.given.unavailability:
            grouped[period.person].append(period)
        return {person: tuple(periods) for person, periods in grouped.items()}

    def away(self, person: str) -> tuple[Unavailability, ...]:
        return self._away.get(person, ())

    def short_of_quorum(self, panel: Panel, sitting: Sitting) -> str | None:
        """Why ``sitting`` cannot be quorate on the given availability, or ``None``."""
        return shortfall(panel, sitting, self._away)

    def panel(self, panel_id: str) -> Panel | None:
        try:
            return self.given.authority.panel(panel_id)
        except KeyError:
            return None

    def sitting(self, booking: Booking) -> Sitting | None:
        """The sitting a booking names, by the model's calendar."""
        return self.evidence.sitting(booking.panel, booking.date)

    def pinned(self, referral_id: str) -> bool:
        return referral_id in self.pins

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
            Finding(
                rule,
                severity,
                panel,
                referral_id,
                sitting,
                message,
                self.evidence.citation(rule, panel) if panel else source_of(rule),
            ),
        )

    def checked(self, rule: str, count: int = 1) -> None:
        self.tallies[rule].checked += count

    def not_checked(self, rule: str, count: int = 1) -> None:
        self.tallies[rule].not_checked += count


def _as_record(referral: Referral, booking: Booking, row: int) -> Record:
    """A booking and its referral as the record of a hearing, for the records units.

    An emergency's submission is its decision (S2 treats it as having late permission). A
    deadline or review-by date that a follow-up rule set (S10, S11, S12) is left to the plan
    check of that rule (:mod:`panelsched.validator.plan_checks`), which cites it.
    """
    return Record(
        referral_id=booking.referral_id,
        panel=booking.panel,
        date=booking.date,
        row=row,
        start=booking.start,
        end=booking.end,
        submitted=referral.submitted,
        late_permission=referral.late_permission,
        cla_review=referral.cla_review,
        cp_review=referral.cp_review,
        review_by=referral.review_by if referral.review_by_rule == "S7" else None,
        contract_end=referral.contract_end,
        emergency_decision=referral.submitted if referral.priority == "emergency" else None,
        deadline=referral.deadline if referral.deadline_rule == "S14" else None,
    )


@dataclass(frozen=True, slots=True)
class Booked:
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


__all__ = ["PLAN_RULES", "Booked", "PlanContext", "PlanInput"]
