"""Referrals drawn for a range of dates, calibrated to the panels' capacity.

Each panel expects a number of referrals (:func:`expected_counts`), spread over working days by
season and school holidays, submitted by a generated workforce of social workers and team
managers, with the dates, priorities and costs of :class:`.DemandProfile`.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate

from panelsched.core.panels import Authority, Panel
from panelsched.core.referrals import Priority, Referral
from panelsched.core.sittings import Sitting, generate_sittings
from panelsched.core.workdays import WorkingCalendar, working_calendar
from panelsched.synthetic.draws import below, between, normal, pick, poisson, seeded, working_days
from panelsched.synthetic.profiles import DemandProfile

# Submissions arrive in office hours.
_DAY_OPENS = 9 * 60
_DAY_CLOSES = 17 * 60
_EARLIEST = 8 * 60
_LATEST = 18 * 60


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
    weight_total = sum(profile.day_weight(d) for d in working_days(start, end, workdays))
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
    sizes = [between(rng, *size) for _ in range(teams)]
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
    ordinary = _clock(day, between(rng, _DAY_OPENS, _DAY_CLOSES - 1))
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
        moment = cutoff + timedelta(minutes=between(rng, 15, 240))
        if moment.hour * 60 + moment.minute > _LATEST:
            moment = _clock(workdays.next_working_day(cutoff.date()), _DAY_OPENS)
            moment += timedelta(minutes=between(rng, 0, 180))
        if moment >= opens or moment.date() > end:
            return ordinary, False
        return moment, True
    moment = cutoff + timedelta(minutes=between(rng, -240, 60))
    minutes = moment.hour * 60 + moment.minute
    moment = _clock(moment.date(), min(max(minutes, _EARLIEST), _LATEST))
    if moment.date() > end or not workdays.is_working_day(moment.date()):
        return ordinary, False
    return moment, False


def _after(rng: random.Random, day: date, lead: tuple[int, int], workdays: WorkingCalendar) -> date:
    """A working day about ``lead`` days after ``day`` (moved back off a weekend)."""
    return workdays.on_or_before(day + timedelta(days=between(rng, *lead)))


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
    days = working_days(start, end, workdays)
    if not days:
        raise ValueError(f"there is no working day from {start} to {end}")
    weights = [profile.day_weight(d) for d in days]
    if sum(weights) <= 0:
        weights = [1.0] * len(days)
    cumulative = list(accumulate(weights))
    total_weight = cumulative[-1]
    expected = expected_counts(authority, start, end, load, profile, chosen)

    rng = seeded(seed, "referrals")
    per_panel: dict[str, list[date]] = {}
    if count is not None:
        for panel_id, n in _apportion(count, expected).items():
            per_panel[panel_id] = sorted(days[pick(rng, cumulative)] for _ in range(n))
    else:
        for panel_id, mean in expected.items():
            per_panel[panel_id] = [
                day
                for day, weight in zip(days, weights, strict=True)
                for _ in range(poisson(rng, mean * weight / total_weight))
            ]

    n_referrals = sum(len(v) for v in per_panel.values())
    span_years = ((end - start).days + 1) / 365.25
    size = sum(profile.team_size) / 2
    teams = profile.teams or max(
        1, math.ceil(n_referrals / span_years / profile.cases_per_worker_per_year / size)
    )
    staff = _workforce(seeded(seed, "workforce"), teams, profile.team_size)
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
                team = free[below(rng, len(free))]
                tm_month[(panel_id, team.manager, *month)] += 1
                worker = team.workers[below(rng, len(team.workers))]
            else:
                worker, team = workers[below(rng, len(workers))]
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
                attendees = (f"IRO-{between(rng, 1, iro_count):0{iro_width}d}",)
            cost = None
            if plan.costed and rng.random() < profile.cost_share:
                # Log-normal, median about £2,500: many small packages, a few placements.
                pounds = math.exp(math.log(2500) + 1.2 * normal(rng))
                cost = Decimal(max(100, round(pounds / 10) * 10))
            drafts.append(
                _Draft(
                    panel=panel_id,
                    submitted=submitted,
                    social_worker=worker,
                    team_manager=team.manager,
                    request_type=plan.requests[below(rng, len(plan.requests))],
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
    children = _child_ids(seeded(seed, "children"), len(drafts))
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


def _child_ids(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct references like ``C-10234`` in a random order."""
    digits = max(5, len(str(4 * n)) + 1)
    low, high = 10 ** (digits - 1), 10**digits - 1
    seen: set[int] = set()
    result: list[str] = []
    while len(result) < n:
        number = between(rng, low, high)
        if number not in seen:
            seen.add(number)
            result.append(f"C-{number}")
    return result


__all__ = ["expected_counts", "generate_referrals", "mean_slot_minutes"]
