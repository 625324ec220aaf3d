"""Due dates: the last sitting date a referral is in time for, and the rule that sets it.

A due date is one concept with its rule, not a date beside a sentence: :class:`Due` holds the
date, the rule of DOMAIN.md that sets it (``S6`` reviews, ``S7`` review-by dates, ``S8``
contract ends, ``S9`` emergencies, ``S10`` deferrals, ``S11`` Permanency Tracking, ``S12``
NEET reviews, ``S14`` a deadline set for the case, or the id of a statutory clock the model
declares, :mod:`panelsched.core.clocks`), what it counts from, and how far ahead.
The sentence an officer reads (:attr:`Due.reason`) is rendered from it here and nowhere
else, so rewording it can never change which rule a finding cites.

The lead times are the model's: a panel's ``rules:`` may set ``cla_review_lead_days``,
``cp_review_lead_days`` and ``contract_end_weeks`` (:class:`LeadTimes`); the sources' values
(CBC 6: 21 days; CBC 2, 10: 8 weeks) are the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol

# The field ``Due.date`` shadows the type inside the class body.
Day = date

DueRule = Literal["S6", "S7", "S8", "S9", "S10", "S11", "S12", "S14"]

# CBC 6: heard at least three weeks before the CLA or CP review.
REVIEW_LEAD_DAYS = 21
# CBC 2, 10: placements whose contract ends within 8 weeks are presented.
CONTRACT_NOTICE_WEEKS = 8

# The model keys (under a panel's ``rules:``) that set the lead times, with the sources' values.
LEAD_KEYS = {
    "cla_review_lead_days": REVIEW_LEAD_DAYS,
    "cp_review_lead_days": REVIEW_LEAD_DAYS,
    "contract_end_weeks": CONTRACT_NOTICE_WEEKS,
}


@dataclass(frozen=True, slots=True)
class LeadTimes:
    """How far ahead of a review or a contract end a case must be heard.

    Parameters
    ----------
    cla_review_days, cp_review_days
        Days before the CLA / CP review by which the case is heard (S6).
    contract_end_weeks
        A placement is presented within this many weeks before its contract ends (S8).
    """

    cla_review_days: int = REVIEW_LEAD_DAYS
    cp_review_days: int = REVIEW_LEAD_DAYS
    contract_end_weeks: int = CONTRACT_NOTICE_WEEKS

    @classmethod
    def of(cls, rules: Mapping[str, Any]) -> LeadTimes:
        """The lead times a panel's ``rules:`` set, the sources' values elsewhere.

        The values are checked when the model is read (a whole number, not negative).
        """
        return cls(
            cla_review_days=int(rules.get("cla_review_lead_days", REVIEW_LEAD_DAYS)),
            cp_review_days=int(rules.get("cp_review_lead_days", REVIEW_LEAD_DAYS)),
            contract_end_weeks=int(rules.get("contract_end_weeks", CONTRACT_NOTICE_WEEKS)),
        )

    @property
    def contract_notice_days(self) -> int:
        """The S8 notice in days."""
        return self.contract_end_weeks * 7


DEFAULT_LEAD_TIMES = LeadTimes()


def _ahead(days: int) -> str:
    """``3 weeks`` for 21 days, ``10 days`` for 10, ``1 week`` for 7."""
    if days and days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


@dataclass(frozen=True, slots=True)
class Due:
    """The last sitting date a referral is in time for, and the rule that sets it.

    Parameters
    ----------
    date
        The last date in time.
    rule
        The rule that sets it (``"S6"``), or a statutory clock's id
        (``"ehc-assessment-decision"``).
    basis
        What the rule counts from: ``"CLA review"``, ``"CP review"``, ``"review-by"``,
        ``"contract end"``, ``"emergency"``, ``"deadline"``, or ``"clock"`` for a clock.
    from_date
        The date it counts from (the review, the contract end), when there is one; for a
        clock, the day the clock ends.
    lead_days
        How many days before ``from_date`` the case must be heard.
    name, source, after
        For a clock: its name in words (``6-week assessment decision``), its citation
        (``SEND Regulations 2014, reg. 5``) and the time the decision needs after the sitting
        (``2 working days``, or empty).
    """

    date: Day
    rule: str
    basis: str
    from_date: Day | None = None
    lead_days: int = 0
    name: str = ""
    source: str = ""
    after: str = ""

    @property
    def is_clock(self) -> bool:
        """True when a statutory clock the model declares sets it."""
        return self.basis == "clock"

    @property
    def reason(self) -> str:
        """The rule in words: ``3 weeks before the CLA review on 12/03/2027``."""
        on = f"{self.from_date:%d/%m/%Y}" if self.from_date is not None else ""
        if self.is_clock:
            # No brackets: explanations already put the reason in brackets.
            if self.after:
                return f"{self.after} before its {self.name} ends on {on}, under {self.source}"
            return f"the day its {self.name} ends, under {self.source}"
        if self.basis in ("CLA review", "CP review"):
            return f"{_ahead(self.lead_days)} before the {self.basis} on {on}"
        if self.basis == "review-by":
            return "the review-by date the panel set"
        if self.basis == "contract end":
            return f"before the contract ends on {on}"
        if self.basis == "emergency":
            return f"ratification at the next sitting after the emergency decision of {on}"
        return "its deadline"

    def sort_key(self) -> tuple[Day, str]:
        """Earliest first; among equal dates, by the words (as the planner has always done)."""
        return self.date, self.reason


class DueCase(Protocol):
    """What a panel's lead times are applied to: a case with its panel and its own dates.

    :class:`~panelsched.core.referrals.Referral` is one; :class:`~panelsched.core.panels.Authority`
    takes any, so the panels need not know the referral's other fields.
    """

    @property
    def panel(self) -> str:
        """The panel the case was referred to."""
        ...

    def due(self, lead: LeadTimes = ...) -> Due | None:
        """The case's last date in time under ``lead``."""
        ...

    def earliest(self, lead: LeadTimes = ...) -> date | None:
        """The first date the case may be heard under ``lead``."""
        ...


def earliest_due(candidates: list[Due]) -> Due | None:
    """The first of ``candidates`` to fall due, or ``None`` when there are none."""
    return min(candidates, key=Due.sort_key) if candidates else None


__all__ = [
    "CONTRACT_NOTICE_WEEKS",
    "DEFAULT_LEAD_TIMES",
    "LEAD_KEYS",
    "REVIEW_LEAD_DAYS",
    "Due",
    "DueCase",
    "DueRule",
    "LeadTimes",
    "earliest_due",
]
