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
        ``None`` for the greedy baseline, which proves nothing, and for a plan that does not
        reach :attr:`unplaced_bound` (it bounds only plans that do).
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
        A proven lower bound on :attr:`late` for plans that reach :attr:`unplaced_bound` (the
        relaxation's, over every sitting); ``None`` when none was proven, or when this plan
        does not reach it (the bound says nothing about such a plan).
    unplaced_bound
        The first level's proven bound: no plan leaves fewer referrals unplaced (the
        relaxation's, panel by panel, over every sitting; it may be out of reach, as the
        relaxation does not see a presenter's other panels), or ``None``.
    panels_below_bound
        Each panel where this plan places fewer referrals than no plan can exceed: (panel
        id, placed, that limit).
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
    unplaced_bound: int | None = None
    panels_below_bound: tuple[tuple[str, int, int], ...] = ()

    @property
    def first_level_met(self) -> bool | None:
        """Whether the plan reaches the first level's proven bound (``None``: no bound)."""
        if self.unplaced_bound is None:
            return None
        return self.unplaced == self.unplaced_bound

    @property
    def gap(self) -> float | None:
        """Relative distance between objective and bound (0.0 when proven optimal)."""
        if self.bound is None:
            return None
        if self.objective <= 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / self.objective)
