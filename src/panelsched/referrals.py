"""Referrals: one case asking one panel for a decision, and the dates that bound it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal

Priority = Literal["routine", "urgent", "emergency"]

# CBC 6: heard at least three weeks before the CLA or CP review.
REVIEW_LEAD_DAYS = 21
# CBC 2, 10: placements whose contract ends within 8 weeks are presented.
CONTRACT_NOTICE_DAYS = 56


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
    row: int = field(default=0, compare=False)

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone who must attend, presenting SW and TM first, without repeats."""
        return tuple(dict.fromkeys((self.social_worker, self.team_manager, *self.attendees)))

    def due(self) -> tuple[date | None, str]:
        """The last sitting date that is in time, and which rule sets it.

        The earliest of ``deadline``, ``cla_review`` and ``cp_review`` less 21 days (S6),
        ``review_by`` (S7) and the day before ``contract_end`` (S8).
        """
        candidates: list[tuple[date, str]] = []
        if self.deadline is not None:
            candidates.append((self.deadline, "its deadline"))
        if self.cla_review is not None:
            candidates.append(
                (
                    self.cla_review - timedelta(days=REVIEW_LEAD_DAYS),
                    f"3 weeks before the CLA review on {self.cla_review:%d/%m/%Y}",
                )
            )
        if self.cp_review is not None:
            candidates.append(
                (
                    self.cp_review - timedelta(days=REVIEW_LEAD_DAYS),
                    f"3 weeks before the CP review on {self.cp_review:%d/%m/%Y}",
                )
            )
        if self.review_by is not None:
            candidates.append((self.review_by, "the review-by date the panel set"))
        if self.contract_end is not None:
            candidates.append(
                (
                    self.contract_end - timedelta(days=1),
                    f"before the contract ends on {self.contract_end:%d/%m/%Y}",
                )
            )
        if not candidates:
            return None, ""
        return min(candidates)

    def earliest(self) -> date | None:
        """The first date it may be heard: ``not_before``, and 8 weeks before a contract end."""
        bounds = [d for d in (self.not_before,) if d is not None]
        if self.contract_end is not None:
            bounds.append(self.contract_end - timedelta(days=CONTRACT_NOTICE_DAYS))
        return max(bounds) if bounds else None

    @property
    def weight(self) -> int:
        """How much a day of waiting counts: urgent and emergency cases three times."""
        return 1 if self.priority == "routine" else 3
