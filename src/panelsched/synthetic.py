"""Synthetic but realistic planner inputs: referrals, people and their leave.

Used by the benchmarks (a year, several panels, demand near capacity, hundreds of people with
leave) and by capacity scenarios that generate demand. Everything here is an assumption about
how referrals typically arrive, not a council's fact; the defaults are documented on
:class:`DemandProfile` and :class:`LeaveProfile` so a scenario can change them.

Determinism: every random draw comes from a :class:`random.Random` seeded with a text made of
the seed and a purpose (``"7:referrals"``); seeding with text is stable across Python versions
and only ``Random.random()`` is used, whose output for a seed Python keeps stable. There is no
global state, and outputs are sorted.
"""

from __future__ import annotations

import csv
import math
import random
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from pathlib import Path

from dateutil.easter import easter

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority, Panel
from panelsched.core.referrals import Priority, Referral
from panelsched.core.sittings import Sitting, generate_sittings
from panelsched.core.workdays import WorkingCalendar, working_calendar
from panelsched.exports.atomic import replacing
from panelsched.exports.safety import neutralise
from panelsched.io.inputs import AVAILABILITY_COLUMNS, REFERRAL_COLUMNS

# Jan..Dec. Fewer referrals in August and December (leave, school holidays, Christmas), a little
# more in the autumn term and before the summer: an assumption, adjustable per scenario.
DEFAULT_SEASONALITY = (1.0, 1.0, 1.05, 0.95, 1.0, 1.05, 1.0, 0.85, 1.05, 1.05, 1.05, 0.8)

# Submissions arrive in office hours.
_DAY_OPENS = 9 * 60
_DAY_CLOSES = 17 * 60
_EARLIEST = 8 * 60
_LATEST = 18 * 60


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
        _check_share("two_week_share", self.two_week_share)
        _check_share("school_holiday_preference", self.school_holiday_preference)
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
            _check_share(name, getattr(self, name))
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


def _check_share(name: str, value: float) -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be between 0 and 1")


def _last_monday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1) if month < 12 else date(year, 12, 31)
    return day - timedelta(days=day.weekday())


def is_school_holiday(day: date) -> bool:
    """True when ``day`` falls in a typical English state-school holiday.

    Dates differ by local authority; this uses a common pattern: Christmas 20 December to
    3 January, the week holding 15 February, the Monday before Easter to the Friday after, the
    week of the late-May bank holiday, 22 July to 2 September and the last full week of October.
    """
    year = day.year
    if (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 3):
        return True
    feb = date(year, 2, 15)
    feb_monday = feb - timedelta(days=feb.weekday())
    if feb_monday <= day <= feb_monday + timedelta(days=6):
        return True
    sunday = easter(year)
    if sunday - timedelta(days=6) <= day <= sunday + timedelta(days=5):
        return True
    may = _last_monday(year, 5)
    if may <= day <= may + timedelta(days=6):
        return True
    if date(year, 7, 22) <= day <= date(year, 9, 2):
        return True
    october = _last_monday(year, 10)
    if october.day > 27:
        # Fewer than five October weekdays after it: the half term is the week before.
        october -= timedelta(days=7)
    return october <= day <= october + timedelta(days=6)


def _rng(seed: int, purpose: str) -> random.Random:
    return random.Random(f"{seed}:{purpose}")


def _below(rng: random.Random, n: int) -> int:
    """A uniform integer in ``[0, n)`` from ``random()`` alone."""
    return min(int(rng.random() * n), n - 1)


def _between(rng: random.Random, low: int, high: int) -> int:
    """A uniform integer in ``[low, high]``."""
    return low + _below(rng, high - low + 1)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by inversion; split large means so ``exp(-mean)`` never underflows."""
    if mean <= 0:
        return 0
    total = 0
    while mean > 0:
        part = min(mean, 50.0)
        mean -= part
        threshold, count, product = math.exp(-part), 0, rng.random()
        while product > threshold:
            count += 1
            product *= rng.random()
        total += count
    return total


def _pick(rng: random.Random, cumulative: Sequence[float]) -> int:
    """An index drawn with weights given as a running total."""
    point = rng.random() * cumulative[-1]
    return min(bisect_right(cumulative, point), len(cumulative) - 1)


def _working_days(start: date, end: date, workdays: WorkingCalendar) -> list[date]:
    days = [start + timedelta(n) for n in range((end - start).days + 1)]
    return [d for d in days if workdays.is_working_day(d)]


def mean_slot_minutes(panel: Panel, profile: DemandProfile) -> float:
    """The expected slot length of a referral to ``panel`` (S3, S4)."""
    share = profile.complex_share
    return (1 - share) * panel.slot_for(False) + share * panel.slot_for(True)


def expected_counts(
    authority: Authority,
    start: date,
    end: date,
    load: float = 0.9,
    profile: DemandProfile | None = None,
    panels: Sequence[str] | None = None,
) -> dict[str, float]:
    """How many referrals each panel expects from ``start`` to ``end``.

    A panel named in ``profile.arrivals_per_week`` expects that rate on every working day
    (a fifth a day), weighted by :meth:`DemandProfile.day_weight`. Any other panel expects
    enough referrals that their slots fill ``load`` of the capacity minutes of its sittings
    in the range. Both are multiplied by ``profile.scale``.

    Parameters
    ----------
    authority
        The panel model.
    start, end
        The range, inclusive.
    load
        Booked minutes as a share of capacity minutes.
    profile
        The demand profile; the defaults when ``None``.
    panels
        Panel ids; all panels when ``None``.

    Returns
    -------
    dict
        Panel id to the expected number of referrals, in the order of ``panels``.
    """
    profile = profile or DemandProfile()
    if load < 0:
        raise ValueError("load must be >= 0")
    chosen = tuple(panels) if panels is not None else authority.panel_ids
    capacity: Counter[str] = Counter()
    for sitting in generate_sittings(authority, start, end, chosen):
        capacity[sitting.panel] += sitting.capacity_minutes
    rates = dict(profile.arrivals_per_week)
    unknown = sorted(set(rates) - set(authority.panel_ids))
    if unknown:
        known = ", ".join(authority.panel_ids)
        raise ValueError(f"arrivals_per_week names unknown panels {unknown}; known: {known}")
    workdays = working_calendar(authority.holidays)
    weight_total = sum(profile.day_weight(d) for d in _working_days(start, end, workdays))
    expected: dict[str, float] = {}
    for panel_id in chosen:
        panel = authority.panel(panel_id)
        if panel_id in rates:
            base = rates[panel_id] / 5 * weight_total
        else:
            base = load * capacity[panel_id] / mean_slot_minutes(panel, profile)
        expected[panel_id] = base * profile.scale
    return expected


def _apportion(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``total`` by ``weights`` with the largest-remainder method (ties by key order)."""
    keys = list(weights)
    mass = sum(weights.values())
    if mass <= 0:
        shares = {k: total / len(keys) for k in keys}
    else:
        shares = {k: total * weights[k] / mass for k in keys}
    counts = {k: math.floor(shares[k]) for k in keys}
    order = sorted(keys, key=lambda k: (-(shares[k] - counts[k]), keys.index(k)))
    for key in order[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


@dataclass(frozen=True, slots=True)
class _Team:
    manager: str
    workers: tuple[str, ...]


def _workforce(rng: random.Random, teams: int, size: tuple[int, int]) -> tuple[_Team, ...]:
    sizes = [_between(rng, *size) for _ in range(teams)]
    worker_width = max(3, len(str(sum(sizes))))
    manager_width = max(2, len(str(teams)))
    result, number = [], 0
    for index, team_size in enumerate(sizes, start=1):
        workers = tuple(f"SW-{number + k:0{worker_width}d}" for k in range(1, team_size + 1))
        number += team_size
        result.append(_Team(f"TM-{index:0{manager_width}d}", workers))
    return tuple(result)


# What each kind of panel is asked for, and whether requests carry a cost; matched on the
# panel's id and name.
_KINDS: tuple[tuple[tuple[str, ...], tuple[str, ...], bool], ...] = (
    (("court",), ("court update",), False),
    (("legal",), ("pre-proceedings", "care proceedings", "PLO review"), False),
    (("permanen",), ("permanence plan", "adoption plan", "SGO plan"), False),
    (("neet",), ("NEET review", "education offer", "training placement"), False),
    (
        ("16+", "16plus", "leaving care"),
        ("semi-independent placement", "staying put", "supported lodgings", "setting-up grant"),
        True,
    ),
    (
        ("resource", "care", "access", "cost", "placement", "short breaks"),
        (
            "foster placement",
            "residential placement",
            "s17 package",
            "respite",
            "transport",
            "therapy",
            "placement extension",
        ),
        True,
    ),
)


def _kind(panel: Panel) -> tuple[tuple[str, ...], bool]:
    text = f"{panel.id} {panel.name}".lower()
    for words, requests, costed in _KINDS:
        if any(word in text for word in words):
            return requests, costed
    return ("request", "review"), False


@dataclass(frozen=True, slots=True)
class _PanelPlan:
    """Per-panel facts the referral loop needs."""

    panel: Panel
    requests: tuple[str, ...]
    costed: bool
    cutoffs: tuple[datetime, ...]
    opens: tuple[datetime, ...]
    tm_per_month: int | None


def _panel_plan(panel: Panel, sittings: Iterable[Sitting]) -> _PanelPlan:
    own = [s for s in sittings if s.panel == panel.id and s.cutoff is not None]
    requests, costed = _kind(panel)
    limit = panel.rules.get("tm_slots_per_month")
    return _PanelPlan(
        panel=panel,
        requests=requests,
        costed=costed,
        cutoffs=tuple(s.cutoff for s in own if s.cutoff is not None),
        opens=tuple(s.opens for s in own),
        tm_per_month=int(limit) if isinstance(limit, int | float) else None,
    )


def _clock(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time()) + timedelta(minutes=minutes)


def _submission(
    rng: random.Random,
    day: date,
    plan: _PanelPlan,
    late: bool,
    profile: DemandProfile,
    workdays: WorkingCalendar,
    end: date,
) -> tuple[datetime, bool]:
    """When a referral drawn for ``day`` is submitted, and whether it is late with permission.

    A late one is submitted up to four working hours after the first cut-off on or after
    ``day``, and before that sitting opens; a rushed one in the four hours before to one hour
    after a cut-off. Either falls back to office hours on ``day`` when no cut-off fits the range.
    """
    rush = rng.random() < profile.cutoff_rush_share
    ordinary = _clock(day, _between(rng, _DAY_OPENS, _DAY_CLOSES - 1))
    if not (late or rush) or not plan.cutoffs:
        return ordinary, False
    at = bisect_left(plan.cutoffs, datetime.combine(day, time()))
    if at == len(plan.cutoffs):
        return ordinary, False
    cutoff, opens = plan.cutoffs[at], plan.opens[at]
    if (cutoff.date() - day).days > (14 if late else 7):
        # A panel that sits monthly: do not move the referral weeks away from its day.
        return ordinary, False
    if late:
        moment = cutoff + timedelta(minutes=_between(rng, 15, 240))
        if moment.hour * 60 + moment.minute > _LATEST:
            moment = _clock(workdays.next_working_day(cutoff.date()), _DAY_OPENS)
            moment += timedelta(minutes=_between(rng, 0, 180))
        if moment >= opens or moment.date() > end:
            return ordinary, False
        return moment, True
    moment = cutoff + timedelta(minutes=_between(rng, -240, 60))
    minutes = moment.hour * 60 + moment.minute
    moment = _clock(moment.date(), min(max(minutes, _EARLIEST), _LATEST))
    if moment.date() > end or not workdays.is_working_day(moment.date()):
        return ordinary, False
    return moment, False


def _after(rng: random.Random, day: date, lead: tuple[int, int], workdays: WorkingCalendar) -> date:
    """A working day about ``lead`` days after ``day`` (moved back off a weekend)."""
    return workdays.on_or_before(day + timedelta(days=_between(rng, *lead)))


@dataclass(slots=True)
class _Draft:
    panel: str
    submitted: datetime
    social_worker: str
    team_manager: str
    request_type: str
    complex: bool
    priority: Priority
    cla_review: date | None
    cp_review: date | None
    contract_end: date | None
    review_by: date | None
    not_before: date | None
    deadline: date | None
    locality: str
    late_permission: bool
    attendees: tuple[str, ...]
    cost: Decimal | None


def _maybe_date(
    rng: random.Random,
    share: float,
    day: date,
    lead: tuple[int, int],
    workdays: WorkingCalendar,
) -> date | None:
    return _after(rng, day, lead, workdays) if rng.random() < share else None


def generate_referrals(
    authority: Authority,
    start: date,
    end: date,
    count: int | None = None,
    load: float = 0.9,
    profile: DemandProfile | None = None,
    seed: int = 0,
    panels: Sequence[str] | None = None,
) -> tuple[Referral, ...]:
    """Referrals submitted from ``start`` to ``end``, calibrated to the panels' capacity.

    Parameters
    ----------
    authority
        The panel model.
    start, end
        Submission dates, inclusive; submissions fall on working days in office hours
        (or in the hours around a cut-off).
    count
        Exactly this many referrals, split over panels in proportion to
        :func:`expected_counts`. When ``None``, each panel gets a Poisson number of
        arrivals with that mean, so booked minutes are about ``load`` of its capacity.
    load
        Booked minutes as a share of the capacity minutes of the sittings in range.
    profile
        Shares, lead times, seasonality and workforce; :class:`DemandProfile` defaults when
        ``None``.
    seed
        Same seed, same referrals.
    panels
        Panel ids to refer to; all panels when ``None``.

    Returns
    -------
    tuple of Referral
        Sorted by ``referral_id`` (``R-000001`` is the first submitted), with pseudonymous
        children (``C-10234``), social workers (``SW-017``) and team managers (``TM-04``).

    Raises
    ------
    ValueError
        When the range is empty or has no working day, or ``count`` or ``load`` is negative.
    KeyError
        When ``panels`` names an unknown panel.
    """
    profile = profile or DemandProfile()
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    if count is not None and count < 0:
        raise ValueError("count must be >= 0")
    chosen = tuple(panels) if panels is not None else authority.panel_ids
    workdays = working_calendar(authority.holidays)
    days = _working_days(start, end, workdays)
    if not days:
        raise ValueError(f"there is no working day from {start} to {end}")
    weights = [profile.day_weight(d) for d in days]
    if sum(weights) <= 0:
        weights = [1.0] * len(days)
    cumulative = list(accumulate(weights))
    total_weight = cumulative[-1]
    expected = expected_counts(authority, start, end, load, profile, chosen)

    rng = _rng(seed, "referrals")
    per_panel: dict[str, list[date]] = {}
    if count is not None:
        for panel_id, n in _apportion(count, expected).items():
            per_panel[panel_id] = sorted(days[_pick(rng, cumulative)] for _ in range(n))
    else:
        for panel_id, mean in expected.items():
            per_panel[panel_id] = [
                day
                for day, weight in zip(days, weights, strict=True)
                for _ in range(_poisson(rng, mean * weight / total_weight))
            ]

    n_referrals = sum(len(v) for v in per_panel.values())
    span_years = ((end - start).days + 1) / 365.25
    size = sum(profile.team_size) / 2
    teams = profile.teams or max(
        1, math.ceil(n_referrals / span_years / profile.cases_per_worker_per_year / size)
    )
    staff = _workforce(_rng(seed, "workforce"), teams, profile.team_size)
    workers = [(w, team) for team in staff for w in team.workers]
    iro_count = max(2, math.ceil(teams / 4))
    iro_width = max(2, len(str(iro_count)))
    sittings = generate_sittings(authority, start, end + timedelta(days=60), chosen)

    drafts: list[_Draft] = []
    tm_month: Counter[tuple[str, str, int, int]] = Counter()
    for panel_id in chosen:
        plan = _panel_plan(authority.panel(panel_id), sittings)
        panel = plan.panel
        for day in per_panel[panel_id]:
            late = panel.late_applications and rng.random() < profile.late_permission_share
            submitted, late = _submission(rng, day, plan, late, profile, workdays, end)
            if plan.tm_per_month is not None:
                # S13: each manager has a monthly slot; rotate so no manager is overbooked
                # while another has none.
                month = (submitted.year, submitted.month)
                least = min(tm_month[(panel_id, t.manager, *month)] for t in staff)
                free = [t for t in staff if tm_month[(panel_id, t.manager, *month)] == least]
                team = free[_below(rng, len(free))]
                tm_month[(panel_id, team.manager, *month)] += 1
                worker = team.workers[_below(rng, len(team.workers))]
            else:
                worker, team = workers[_below(rng, len(workers))]
            draw = rng.random()
            priority: Priority = (
                "emergency"
                if draw < profile.emergency_share
                else "urgent"
                if draw < profile.emergency_share + profile.urgent_share
                else "routine"
            )
            base = submitted.date()
            cla: date | None = None
            cp: date | None = None
            if rng.random() < profile.cla_share:
                close = rng.random() < profile.cla_close_share
                lead = profile.cla_close_lead_days if close else profile.cla_lead_days
                cla = _after(rng, base, lead, workdays)
            else:
                cp = _maybe_date(rng, profile.cp_share, base, profile.cp_lead_days, workdays)
            attendees: tuple[str, ...] = ()
            if rng.random() < profile.attendee_share:
                attendees = (f"IRO-{_between(rng, 1, iro_count):0{iro_width}d}",)
            cost = None
            if plan.costed and rng.random() < profile.cost_share:
                # Log-normal, median about £2,500: many small packages, a few placements.
                pounds = math.exp(math.log(2500) + 1.2 * _normal(rng))
                cost = Decimal(max(100, round(pounds / 10) * 10))
            drafts.append(
                _Draft(
                    panel=panel_id,
                    submitted=submitted,
                    social_worker=worker,
                    team_manager=team.manager,
                    request_type=plan.requests[_below(rng, len(plan.requests))],
                    complex=rng.random() < profile.complex_share,
                    priority=priority,
                    cla_review=cla,
                    cp_review=cp,
                    contract_end=_maybe_date(
                        rng, profile.contract_end_share, base, profile.contract_lead_days, workdays
                    ),
                    review_by=_maybe_date(
                        rng, profile.review_share, base, profile.review_lead_days, workdays
                    ),
                    not_before=_maybe_date(
                        rng, profile.not_before_share, base, profile.not_before_lead_days, workdays
                    ),
                    deadline=_maybe_date(
                        rng, profile.deadline_share, base, profile.deadline_lead_days, workdays
                    ),
                    locality=panel.locality or "",
                    late_permission=late,
                    attendees=attendees,
                    cost=cost,
                )
            )

    drafts.sort(key=lambda d: (d.submitted, d.panel, d.social_worker, d.team_manager))
    children = _child_ids(_rng(seed, "children"), len(drafts))
    id_width = max(6, len(str(len(drafts))))
    return tuple(
        Referral(
            referral_id=f"R-{number:0{id_width}d}",
            panel=d.panel,
            submitted=d.submitted,
            social_worker=d.social_worker,
            team_manager=d.team_manager,
            child_id=child,
            request_type=d.request_type,
            complex=d.complex,
            priority=d.priority,
            cla_review=d.cla_review,
            cp_review=d.cp_review,
            contract_end=d.contract_end,
            review_by=d.review_by,
            not_before=d.not_before,
            deadline=d.deadline,
            locality=d.locality,
            late_permission=d.late_permission,
            attendees=d.attendees,
            cost=d.cost,
        )
        for number, (d, child) in enumerate(zip(drafts, children, strict=True), start=1)
    )


def _normal(rng: random.Random) -> float:
    """A standard normal draw (Box-Muller) from ``random()`` alone."""
    u = 1.0 - rng.random()
    return math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * rng.random())


def _child_ids(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct references like ``C-10234`` in a random order."""
    digits = max(5, len(str(4 * n)) + 1)
    low, high = 10 ** (digits - 1), 10**digits - 1
    seen: set[int] = set()
    result: list[str] = []
    while len(result) < n:
        number = _between(rng, low, high)
        if number not in seen:
            seen.add(number)
            result.append(f"C-{number}")
    return result


def people_of(referrals: Iterable[Referral]) -> tuple[str, ...]:
    """Everyone who must attend some referral, sorted."""
    return tuple(sorted({person for r in referrals for person in r.people}))


def _leave_for(
    person: str,
    rng: random.Random,
    days: Sequence[date],
    profile: LeaveProfile,
    fraction: float,
) -> list[Unavailability]:
    taken: set[date] = set()
    periods: list[Unavailability] = []
    index = {d: i for i, d in enumerate(days)}

    def whole(first: date, last: date, reason: str) -> None:
        opens, closes = datetime.combine(first, time()), datetime.combine(last, time())
        periods.append(Unavailability(person, opens, closes, True, reason))

    budget = round(profile.annual_leave_days * fraction * (0.85 + 0.3 * rng.random()))
    singles = min(budget, _poisson(rng, profile.single_days * fraction))
    rest = budget - singles
    mondays = [d for d in days if d.weekday() == 0]
    while rest >= 5 and mondays:
        weeks = 2 if rest >= 10 and rng.random() < profile.two_week_share else 1
        placed = False
        for _ in range(30):
            holiday = rng.random() < profile.school_holiday_preference
            pool = [m for m in mondays if is_school_holiday(m)] if holiday else mondays
            monday = (pool or mondays)[_below(rng, len(pool or mondays))]
            last = monday + timedelta(days=7 * (weeks - 1) + 4)
            block = [monday + timedelta(n) for n in range((last - monday).days + 1)]
            work = [d for d in block if d in index]
            if last > days[-1] or not work or taken.intersection(block):
                continue
            taken.update(block)
            whole(monday, last, "annual leave")
            rest -= len(work)
            placed = True
            break
        if not placed:
            break
    singles += max(rest, 0)

    def free_day() -> date | None:
        for _ in range(30):
            day = days[_below(rng, len(days))]
            if day not in taken:
                taken.add(day)
                return day
        return None

    for _ in range(singles):
        day = free_day()
        if day is not None:
            whole(day, day, "annual leave")
    if person.startswith(profile.court_prefixes):
        for _ in range(_poisson(rng, profile.court_days_per_year * fraction)):
            day = free_day()
            if day is not None:
                whole(day, day, "court")
    for _ in range(_poisson(rng, profile.training_per_year * fraction)):
        day = free_day()
        if day is not None:
            begin, finish = profile.training_times[_below(rng, len(profile.training_times))]
            periods.append(
                Unavailability(
                    person,
                    datetime.combine(day, begin),
                    datetime.combine(day, finish),
                    False,
                    "training",
                )
            )
    return periods


def generate_availability(
    people: Iterable[str],
    start: date,
    end: date,
    seed: int = 0,
    profile: LeaveProfile | None = None,
    holidays: str = "ENG",
) -> tuple[Unavailability, ...]:
    """Leave, court days and part-day training for each person, inside ``start`` to ``end``.

    Each person's periods depend only on the seed and their id, so adding a person leaves
    everyone else's leave unchanged. A person's periods never overlap.

    Parameters
    ----------
    people
        Person ids as written in the referrals file.
    start, end
        The range, inclusive; every period lies inside it.
    seed
        Same seed, same periods.
    profile
        How much people are away; :class:`LeaveProfile` defaults when ``None``.
    holidays
        The UK subdivision whose bank holidays are not working days.

    Returns
    -------
    tuple of Unavailability
        Sorted by person, start and end. Whole-day periods run from midnight of the first
        day to midnight of the last day.
    """
    profile = profile or LeaveProfile()
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    days = _working_days(start, end, working_calendar(holidays))
    if not days:
        return ()
    fraction = ((end - start).days + 1) / 365.25
    periods = [
        period
        for person in sorted(set(people))
        for period in _leave_for(person, _rng(seed, f"leave:{person}"), days, profile, fraction)
    ]
    return tuple(sorted(periods, key=lambda p: (p.person, p.start, p.end, p.reason)))


def generate_leave_blocks(
    people: Iterable[str],
    start: date,
    end: date,
    seed: int = 0,
    share: float = 0.4,
    weeks: tuple[int, int] = (1, 2),
) -> tuple[Unavailability, ...]:
    """A week or two of leave for ``share`` of ``people``; everyone else always available.

    Each person is drawn on their own (a draw seeded by ``seed`` and their id): with chance
    ``share`` they take one block of whole weeks, Monday to Friday, ``weeks`` long (each
    length equally likely), starting on a Monday drawn uniformly among those whose block ends
    by ``end``. Simpler than :func:`generate_availability`, and so a benchmark family says
    exactly who is away.

    Parameters
    ----------
    people
        Person ids as written in the referrals file.
    start, end
        The range, inclusive; every block lies inside it.
    seed
        Same seed, same blocks; a person's block does not depend on who else is listed.
    share
        The chance each person is away at all (0.4: 40% of people).
    weeks
        ``(low, high)`` whole weeks a block lasts.

    Returns
    -------
    tuple of Unavailability
        Sorted by person; whole-day periods from the Monday to the Friday.
    """
    _check_share("share", share)
    if not 1 <= weeks[0] <= weeks[1]:
        raise ValueError("weeks must be (low, high) with 1 <= low <= high")
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    first_monday = start + timedelta(days=-start.weekday() % 7)
    periods = []
    for person in sorted(set(people)):
        rng = _rng(seed, f"leave-block:{person}")
        if rng.random() >= share:
            continue
        length = _between(rng, *weeks)
        last_monday = end - timedelta(days=7 * (length - 1) + 4)
        mondays = (last_monday - first_monday).days // 7 + 1
        if mondays < 1:
            continue
        monday = first_monday + timedelta(weeks=_below(rng, mondays))
        friday = monday + timedelta(days=7 * (length - 1) + 4)
        periods.append(
            Unavailability(
                person,
                datetime.combine(monday, time()),
                datetime.combine(friday, time()),
                True,
                "annual leave",
            )
        )
    return tuple(periods)


def generate_instance(
    authority: Authority,
    start: date,
    end: date,
    count: int | None = None,
    load: float = 0.9,
    seed: int = 0,
    profile: DemandProfile | None = None,
    panels: Sequence[str] | None = None,
) -> tuple[tuple[Referral, ...], tuple[Unavailability, ...]]:
    """Referrals (see :func:`generate_referrals`) and the leave of everyone they name.

    Returns
    -------
    tuple
        ``(referrals, availability)``.
    """
    profile = profile or DemandProfile()
    referrals = generate_referrals(authority, start, end, count, load, profile, seed, panels)
    availability = generate_availability(
        people_of(referrals), start, end, seed, profile.leave, authority.holidays
    )
    return referrals, availability


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def referral_row(referral: Referral) -> dict[str, str]:
    """One referral as the text cells of the referrals file (issue 3 input format)."""
    return {
        "referral_id": referral.referral_id,
        "panel": referral.panel,
        "submitted": referral.submitted.strftime("%Y-%m-%d %H:%M"),
        "social_worker": referral.social_worker,
        "team_manager": referral.team_manager,
        "child_id": referral.child_id,
        "request_type": referral.request_type,
        "complex": _yes(referral.complex),
        "priority": referral.priority,
        "cla_review": _day(referral.cla_review),
        "cp_review": _day(referral.cp_review),
        "contract_end": _day(referral.contract_end),
        "review_by": _day(referral.review_by),
        "not_before": _day(referral.not_before),
        "deadline": _day(referral.deadline),
        "locality": referral.locality,
        "late_permission": _yes(referral.late_permission),
        "attendees": ";".join(referral.attendees),
        "cost": format(referral.cost, "f") if referral.cost is not None else "",
    }


def availability_row(period: Unavailability) -> dict[str, str]:
    """One period as the text cells of the availability file; times only for part days."""
    part = not period.whole_days
    return {
        "person": period.person,
        "from": period.start.date().isoformat(),
        "to": period.end.date().isoformat(),
        "start": period.start.strftime("%H:%M") if part else "",
        "end": period.end.strftime("%H:%M") if part else "",
        "reason": period.reason,
    }


def _write(path: str | Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(row[column]) for column in columns])


def write_referrals_csv(referrals: Iterable[Referral], path: str | Path) -> None:
    """Write referrals in the referrals-file format: UTF-8, ``\\n`` line ends, ISO dates.

    Text that a spreadsheet would run as a formula is prefixed with ``'``.
    """
    _write(path, REFERRAL_COLUMNS, (referral_row(r) for r in referrals))


def write_availability_csv(periods: Iterable[Unavailability], path: str | Path) -> None:
    """Write periods in the availability-file format (``person, from, to, start, end, reason``)."""
    _write(path, AVAILABILITY_COLUMNS, (availability_row(p) for p in periods))


__all__ = [
    "AVAILABILITY_COLUMNS",
    "DEFAULT_SEASONALITY",
    "REFERRAL_COLUMNS",
    "DemandProfile",
    "LeaveProfile",
    "availability_row",
    "expected_counts",
    "generate_availability",
    "generate_instance",
    "generate_leave_blocks",
    "generate_referrals",
    "is_school_holiday",
    "mean_slot_minutes",
    "people_of",
    "referral_row",
    "write_availability_csv",
    "write_referrals_csv",
]
