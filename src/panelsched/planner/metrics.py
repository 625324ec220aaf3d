"""Figures of a plan: waiting, lateness, utilisation. Plain data in, numbers out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np

from panelsched.core.plan import PinnedBooking, Plan
from panelsched.planner.problem import ProblemData


def lateness(problem: ProblemData, plan: Plan) -> dict[str, int]:
    """Days after its due date for each booking heard late."""
    index = problem.referral_index()
    late = {}
    for booking in plan.bookings:
        due = problem.due_date(index[booking.referral_id])
        if due is not None and booking.date > due:
            late[booking.referral_id] = (booking.date - due).days
    return late


def wait_days(problem: ProblemData, plan: Plan) -> dict[str, int]:
    """Days from submission to sitting for each booking."""
    index = problem.referral_index()
    return {
        b.referral_id: (b.date - problem.referrals[index[b.referral_id]].submitted.date()).days
        for b in plan.bookings
    }


def weighted_wait(problem: ProblemData, plan: Plan) -> int:
    """Total waiting days, urgent and emergency cases counting three times (level 3)."""
    index = problem.referral_index()
    return sum(
        problem.referrals[index[r]].weight * days for r, days in wait_days(problem, plan).items()
    )


def over_ceiling(problem: ProblemData, plan: Plan) -> dict[str, int]:
    """Days beyond its panel's ``max_wait_days`` (S14) for each booking that waits longer."""
    index = problem.referral_index()
    over = {}
    for referral_id, days in wait_days(problem, plan).items():
        ceiling = problem.authority.panel(problem.referrals[index[referral_id]].panel).max_wait_days
        if ceiling is not None and days > ceiling:
            over[referral_id] = days - ceiling
    return over


def moves(plan: Plan, told: Iterable[PinnedBooking]) -> dict[str, int]:
    """For each booking told before that this plan changes, the days it moved by.

    A booking moves when its date or start changes, or it is no longer booked; one left
    unbooked, or at another time on the same day, moved 0 days.
    """
    booked = plan.by_referral()
    moved = {}
    for before in told:
        now = booked.get(before.referral_id)
        if now is None:
            moved[before.referral_id] = 0
        elif (now.date, now.start) != (before.date, before.start):
            moved[before.referral_id] = abs((now.date - before.date).days)
    return moved


def utilisation(problem: ProblemData, plan: Plan) -> dict[str, float]:
    """Booked minutes over capacity minutes, for each sitting in the planning range."""
    used: dict[str, int] = defaultdict(int)
    for booking in plan.bookings:
        start, end = booking.minutes
        used[booking.sitting_id] += end - start
    return {
        s.id: used[s.id] / s.capacity_minutes
        for s in problem.sittings
        if problem.start <= s.date <= problem.end
    }


def summarise(problem: ProblemData, plan: Plan) -> dict[str, Any]:
    """The plan's headline figures, as written to ``summary.json``."""
    waits = list(wait_days(problem, plan).values())
    used = utilisation(problem, plan)
    booked_minutes = sum(
        b.minutes[1] - b.minutes[0] for b in plan.bookings if problem.start <= b.date <= problem.end
    )
    capacity = sum(
        s.capacity_minutes for s in problem.sittings if problem.start <= s.date <= problem.end
    )
    by_panel: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in problem.sittings:
        if problem.start <= s.date <= problem.end:
            by_panel[s.panel][1] += s.capacity_minutes
    for booking in plan.bookings:
        if booking.panel in by_panel and problem.start <= booking.date <= problem.end:
            by_panel[booking.panel][0] += booking.minutes[1] - booking.minutes[0]
    return {
        "referrals": len(problem.referrals),
        "placed": len(plan.bookings),
        "unplaced": len(plan.unplaced),
        "late": len(lateness(problem, plan)),
        "weighted_wait_days": weighted_wait(problem, plan),
        "mean_wait_days": round(float(np.mean(waits)), 2) if waits else 0.0,
        "p95_wait_days": round(float(np.percentile(waits, 95)), 2) if waits else 0.0,
        "utilisation": round(booked_minutes / capacity, 4) if capacity else 0.0,
        "sittings_used": sum(1 for v in used.values() if v > 0),
        "utilisation_by_panel": {
            panel: round(booked / capacity, 4) if capacity else 0.0
            for panel, (booked, capacity) in sorted(by_panel.items())
        },
    }
