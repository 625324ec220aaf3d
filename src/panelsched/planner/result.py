"""The planner's answer: a frozen result that never depends on the solver library."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from panelsched.core.plan import Plan

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
Method = Literal["cpsat", "greedy"]


@dataclass(frozen=True)
class Result:
    """What :func:`panelsched.planner.solve` returns.

    Attributes
    ----------
    method
        ``"cpsat"`` or ``"greedy"``.
    status
        ``"optimal"`` when every objective level was proven optimal (see :attr:`notes` for the
        scope of the proof), ``"feasible"`` when a plan was found but not proven, ``"unknown"``
        when nothing better than an empty plan was found in the time allowed.
    objective
        Weighted waiting days of the plan (the third level; urgent cases count three times).
    bound
        A lower bound on :attr:`objective` given the first two levels; equal to it when proven;
        ``None`` for the greedy baseline, which proves nothing.
    runtime
        Wall-clock seconds.
    plan
        The bookings and unplaced referrals.
    unplaced, late
        The first two objective levels: referrals not booked, and booked after their due date.
    notes
        What the solver did, for the summary ("3 rounds of sequencing", ...).
    capped
        True when the wall-clock cap of a time limit in seconds stopped a search: the plan
        may then differ from run to run (see :mod:`panelsched.planner.budget`).
    budget_units
        The deterministic work a time limit in seconds was turned into, or ``None``.
    late_bound
        A proven lower bound on :attr:`late` for plans placing as many as can be placed (the
        relaxation's, over every sitting), or ``None``.
    """

    method: Method
    status: Status
    objective: int
    bound: int | None
    runtime: float
    plan: Plan
    unplaced: int
    late: int
    notes: tuple[str, ...] = field(default=())
    capped: bool = False
    budget_units: float | None = None
    late_bound: int | None = None

    @property
    def gap(self) -> float | None:
        """Relative distance between objective and bound (0.0 when proven optimal)."""
        if self.bound is None:
            return None
        if self.objective <= 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / self.objective)
