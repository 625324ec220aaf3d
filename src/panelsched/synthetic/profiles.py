"""The assumptions of the generator: how referrals arrive and how much people are away.

Everything here is an assumption about how referrals typically arrive, not a council's fact;
the defaults are documented on :class:`DemandProfile` and :class:`LeaveProfile` so a scenario
can change them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from panelsched.synthetic.draws import check_share
from panelsched.synthetic.school_holidays import is_school_holiday

# Jan..Dec. Fewer referrals in August and December (leave, school holidays, Christmas), a little
# more in the autumn term and before the summer: an assumption, adjustable per scenario.
DEFAULT_SEASONALITY = (1.0, 1.0, 1.05, 0.95, 1.0, 1.05, 1.0, 0.85, 1.05, 1.05, 1.05, 0.8)


@dataclass(frozen=True, slots=True)
class LeaveProfile:
    """How much people are away, per year (scaled to the range).

    Parameters
    ----------
    annual_leave_days
        Working days of annual leave a year, besides bank holidays (25 is usual in councils).
    single_days
        How many of those are taken as single days; the rest in blocks of one or two weeks.
    two_week_share
        Chance a block is two weeks rather than one.
    school_holiday_preference
        Chance a block is placed in a school-holiday week.
    training_per_year
        Part-day training periods a year.
    training_times
        The part-day windows training takes.
    court_days_per_year
        Whole days in court a year, for people whose id starts with a ``court_prefixes`` entry.
    court_prefixes
        Which people go to court (social workers present evidence; managers rarely do).
    """

    annual_leave_days: float = 25.0
    single_days: float = 4.0
    two_week_share: float = 0.35
    school_holiday_preference: float = 0.5
    training_per_year: float = 4.0
    training_times: tuple[tuple[time, time], ...] = (
        (time(9, 0), time(12, 0)),
        (time(13, 30), time(16, 30)),
    )
    court_days_per_year: float = 2.0
    court_prefixes: tuple[str, ...] = ("SW-",)

    def __post_init__(self) -> None:
        check_share("two_week_share", self.two_week_share)
        check_share("school_holiday_preference", self.school_holiday_preference)
        for name in ("annual_leave_days", "single_days", "training_per_year"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if self.court_days_per_year < 0:
            raise ValueError("court_days_per_year must be >= 0")
        if self.training_per_year > 0 and not self.training_times:
            raise ValueError("training_times must name at least one window")
        for begin, finish in self.training_times:
            if finish <= begin:
                raise ValueError("each training window must end after it starts")


@dataclass(frozen=True, slots=True)
class DemandProfile:
    """How referrals arrive and what they carry.

    Shares are probabilities per referral. Lead times are ``(low, high)`` days after submission,
    drawn uniformly.

    Parameters
    ----------
    scale
        Multiplies the calibrated demand (1.2 for "demand rose 20%").
    arrivals_per_week
        ``(panel id, referrals a week)`` pairs: for these panels demand is this rate in an
        ordinary week (seasonal weight 1) instead of being calibrated to ``load``.
    complex_share
        Cases needing the longer slot (S4).
    cla_share, cla_lead_days
        Cases carrying a CLA review date, and how far after submission it typically is.
    cla_close_share, cla_close_lead_days
        Of the CLA cases, those whose review is closer; some of them cannot be heard 21 days
        before it (S6), as happens.
    cp_share, cp_lead_days
        Cases (without a CLA review) carrying a CP review date.
    review_share, review_lead_days
        Review applications with a review-by date (S7).
    contract_end_share, contract_lead_days
        Placements whose contract ends (S8).
    not_before_share, not_before_lead_days
        Cases that may not be heard before a date.
    deadline_share, deadline_lead_days
        Cases with an explicit deadline.
    urgent_share, emergency_share
        Priorities; an emergency is ratified at the next sitting after its decision (S9).
    late_permission_share
        Cases submitted after a cut-off with the chair's permission (S2); never for a panel
        that takes no late applications.
    cutoff_rush_share
        Cases submitted in the hours around a cut-off; about a fifth of those just miss it.
    attendee_share
        Cases needing one more person (an independent reviewing officer).
    cost_share
        Of resource requests, those that carry a cost.
    seasonality
        Twelve multipliers, January to December, on the daily arrival rate.
    school_holiday_factor
        A further multiplier on days in (approximate) English school holidays.
    teams
        Number of teams; ``None`` sizes the workforce from demand.
    team_size
        Social workers per team manager, drawn uniformly from the range.
    cases_per_worker_per_year
        Used when ``teams`` is ``None``: how many panel cases a social worker presents a year.
    leave
        How much people are away.
    """

    scale: float = 1.0
    arrivals_per_week: tuple[tuple[str, float], ...] = ()
    complex_share: float = 0.15
    cla_share: float = 1 / 3
    cla_lead_days: tuple[int, int] = (28, 84)
    cla_close_share: float = 0.1
    cla_close_lead_days: tuple[int, int] = (10, 27)
    cp_share: float = 0.05
    cp_lead_days: tuple[int, int] = (28, 84)
    review_share: float = 0.08
    review_lead_days: tuple[int, int] = (28, 91)
    contract_end_share: float = 0.04
    contract_lead_days: tuple[int, int] = (28, 84)
    not_before_share: float = 0.03
    not_before_lead_days: tuple[int, int] = (7, 42)
    deadline_share: float = 0.03
    deadline_lead_days: tuple[int, int] = (14, 56)
    urgent_share: float = 0.12
    emergency_share: float = 0.02
    late_permission_share: float = 0.03
    cutoff_rush_share: float = 0.25
    attendee_share: float = 0.05
    cost_share: float = 0.85
    seasonality: tuple[float, ...] = DEFAULT_SEASONALITY
    school_holiday_factor: float = 0.9
    teams: int | None = None
    team_size: tuple[int, int] = (6, 8)
    cases_per_worker_per_year: float = 12.0
    leave: LeaveProfile = field(default_factory=LeaveProfile)

    def __post_init__(self) -> None:
        if self.scale < 0:
            raise ValueError("scale must be >= 0")
        for name in (
            "complex_share",
            "cla_share",
            "cla_close_share",
            "cp_share",
            "review_share",
            "contract_end_share",
            "not_before_share",
            "deadline_share",
            "urgent_share",
            "emergency_share",
            "late_permission_share",
            "cutoff_rush_share",
            "attendee_share",
            "cost_share",
        ):
            check_share(name, getattr(self, name))
        if self.urgent_share + self.emergency_share > 1:
            raise ValueError("urgent_share + emergency_share must be <= 1")
        for name in (
            "cla_lead_days",
            "cla_close_lead_days",
            "cp_lead_days",
            "review_lead_days",
            "contract_lead_days",
            "not_before_lead_days",
            "deadline_lead_days",
        ):
            low, high = getattr(self, name)
            if not 0 <= low <= high:
                raise ValueError(f"{name} must be (low, high) with 0 <= low <= high")
        if len(self.seasonality) != 12 or any(m < 0 for m in self.seasonality):
            raise ValueError("seasonality needs twelve multipliers >= 0, January to December")
        if self.school_holiday_factor < 0:
            raise ValueError("school_holiday_factor must be >= 0")
        for panel_id, rate in self.arrivals_per_week:
            if rate < 0:
                raise ValueError(f"arrivals_per_week for {panel_id} must be >= 0")
        if self.teams is not None and self.teams < 1:
            raise ValueError("teams must be at least 1")
        if not 1 <= self.team_size[0] <= self.team_size[1]:
            raise ValueError("team_size must be (low, high) with 1 <= low <= high")
        if self.cases_per_worker_per_year <= 0:
            raise ValueError("cases_per_worker_per_year must be > 0")

    def day_weight(self, day: date) -> float:
        """The relative arrival rate on ``day`` (a working day): month and school holidays."""
        weight = self.seasonality[day.month - 1]
        if is_school_holiday(day):
            weight *= self.school_holiday_factor
        return weight


__all__ = ["DEFAULT_SEASONALITY", "DemandProfile", "LeaveProfile"]
