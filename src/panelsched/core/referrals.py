"""Referrals: one case asking one panel for a decision, and the dates that bound it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal

from panelsched.core.clocks import ClockPause
from panelsched.core.due import DEFAULT_LEAD_TIMES, Due, DueRule, LeadTimes, earliest_due

Priority = Literal["routine", "urgent", "emergency"]


@dataclass(frozen=True, slots=True)
class Referral:
    """One referral as read from the referrals file.

    Parameters
    ----------
    referral_id
        The pseudonymous case reference; unique in a file.
    panel
        The panel id it is referred to (for a panel split by locality, the group id is
        resolved to the locality's panel when the file is read).
    submitted
        When the paperwork reached the administrator. A date without a time counts as the
        start of that day.
    social_worker, team_manager
        Who presents the case (S5): both must attend.
    attendees
        Other people who must attend.
    deadline_rule
        The rule that set ``deadline``: ``S14`` for a deadline in the referrals file, the
        follow-up's rule (``S10`` a deferral, ``S11`` Permanency Tracking) for a hearing the
        forward planner made.
    review_by_rule
        The rule that set ``review_by``: ``S7`` (an approval's review), or ``S12`` for a NEET
        review the forward planner made.
    requested
        When the request was made (the SEND clocks count from it), if known.
    clock_pauses
        Periods its statutory clocks stand still, each with a reason a clock allows
        (:mod:`panelsched.core.clocks`).
    row
        The file row it came from, for messages (the header is row 1).
    """

    referral_id: str
    panel: str
    submitted: datetime
    social_worker: str
    team_manager: str
    child_id: str = ""
    request_type: str = ""
    complex: bool = False
    priority: Priority = "routine"
    cla_review: date | None = None
    cp_review: date | None = None
    contract_end: date | None = None
    review_by: date | None = None
    not_before: date | None = None
    deadline: date | None = None
    locality: str = ""
    late_permission: bool = False
    attendees: tuple[str, ...] = ()
    cost: Decimal | None = None
    deadline_rule: DueRule = "S14"
    review_by_rule: DueRule = "S7"
    requested: date | None = None
    clock_pauses: tuple[ClockPause, ...] = ()
    row: int = field(default=0, compare=False)

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone who must attend, presenting SW and TM first, without repeats."""
        return tuple(dict.fromkeys((self.social_worker, self.team_manager, *self.attendees)))

    def due(self, lead: LeadTimes = DEFAULT_LEAD_TIMES) -> Due | None:
        """The last sitting date that is in time, with the rule that sets it.

        Its own dates only: the statutory clocks the model declares join them in
        :meth:`panelsched.core.panels.Authority.due`, which everything that needs a due date
        reads. The earliest of ``deadline`` (S14, or the rule of a follow-up that set it, see
        :attr:`deadline_rule`), ``cla_review`` and ``cp_review`` less their lead (S6),
        ``review_by`` (S7, or S12) and the day before ``contract_end`` (S8).

        Parameters
        ----------
        lead
            The panel's lead times (:meth:`panelsched.core.panels.Panel.lead_times`).
        """
        candidates: list[Due] = []
        if self.deadline is not None:
            candidates.append(Due(self.deadline, self.deadline_rule, "deadline"))
        for review, basis, days in (
            (self.cla_review, "CLA review", lead.cla_review_days),
            (self.cp_review, "CP review", lead.cp_review_days),
        ):
            if review is not None:
                candidates.append(
                    Due(review - timedelta(days=days), "S6", basis, review, lead_days=days)
                )
        if self.review_by is not None:
            candidates.append(Due(self.review_by, self.review_by_rule, "review-by", self.review_by))
        if self.contract_end is not None:
            candidates.append(
                Due(
                    self.contract_end - timedelta(days=1),
                    "S8",
                    "contract end",
                    self.contract_end,
                    lead_days=1,
                )
            )
        return earliest_due(candidates)

    def earliest(self, lead: LeadTimes = DEFAULT_LEAD_TIMES) -> date | None:
        """The first date it may be heard: ``not_before``, and the S8 notice before a
        contract ends (8 weeks unless the panel's lead times say otherwise)."""
        bounds = [d for d in (self.not_before,) if d is not None]
        if self.contract_end is not None:
            bounds.append(self.contract_end - timedelta(days=lead.contract_notice_days))
        return max(bounds) if bounds else None

    @property
    def weight(self) -> int:
        """How much a day of waiting counts: urgent and emergency cases three times."""
        return 1 if self.priority == "routine" else 3
