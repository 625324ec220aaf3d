"""A time limit in seconds, turned into a fixed amount of solver work.

``panelsched plan --time-limit S`` promises the whole command in about ``S`` seconds of wall
clock on a 2-core machine, and the same plan from the same input, byte for byte. The two meet
here: the seconds are turned into CP-SAT *deterministic* time (work, counted the same on any
machine at any load) by a fixed formula of ``S`` and the problem's size only, calibrated on
this project's 2-core machine. A wall-clock cap stays behind it as a safety net: on a slower or
busier machine it stops the search at ``S``, and the run says so (``Result.capped``), since
its plan may then differ from run to run.

Calibration (``benchmarks/bench_time_limit.py --calibrate``, OR-Tools 9.15 and scipy's HiGHS,
on this project's 2-core machine; CPU seconds, which is what wall seconds are on an idle
machine, since the machine is shared): on family b's year of 3,000 referrals and 111,733
choices, start-up took 1.15 s, reading and building 0.46 s, the baseline, explanations and
files 0.3 s; a panel's search with its relaxation took about 2.2 s of CPU a unit of
deterministic time, so 1.1 s of wall clock with two panels side by side (1.27 s on family c's
40 smaller panels). The local search after each search (:mod:`.improve`) is not work CP-SAT
counts, and grows with the choices, not the units: 3.9e-6 CPU s a choice on family b and
4.9e-6 on family c, its calls after the weighted and the held search together. So a command
spends, besides stage 1's CP-SAT searches,

- :data:`STARTUP_SECONDS` starting Python and importing pandas, ortools and scipy;
- :data:`SECONDS_PER_CHOICE` for each (referral, sitting) pair open to a referral: building the
  problem and stage 1's rows, the relaxation's linear programmes and the local search (two
  panels at a time). Without the local search counted (1.4e-5 s a choice), family c's year of
  744,751 choices ran 55.9-62.7 s at ``--time-limit 60``, the cap cutting in on 4 of 10 seeds
  (2026-12-03); at 2.2e-5 it gets about 6 s less search (b 0.9 s) and ran 46.1-59.6 s, uncapped;
- :data:`SECONDS_PER_REFERRAL` for each referral: reading it, the first-come-first-served
  baseline, timing slots, explanations and the four files written;

and a unit of deterministic time is budgeted at :data:`SECONDS_PER_UNIT` of wall clock, more
than the 1.1 s measured: a year whose stage 2 sends bookings back spends the units held back
for a second round (:data:`FIRST_ROUND_SHARE`), and some years' panels are slower than
average. Measured on family b at ``--time-limit 10`` (quiet machine, 2026-12-03): with 1.3 s
a unit, seed 3 ended at 8.0 s and seed 7 at 8.5 s; with 1.0 s, 8.4 s and 10.2 s (the cap cut
in); with 0.9 s, 9.5 s and 10.1 s (capped). More units hardly changed the plans (the waiting
gap moved by 0.02-0.1 points), so the budget keeps the margin and the plans deterministic.

The budget is what is left of ``S`` after the fixed costs, in units; never less than
:data:`MIN_UNITS_PER_PANEL` a panel, so that a plan is always searched for (the cap then keeps
the promise).
"""

from __future__ import annotations

import time as clock
from dataclasses import dataclass

from panelsched.planner.problem import ProblemData

STARTUP_SECONDS = 1.1
SECONDS_PER_CHOICE = 2.2e-5
SECONDS_PER_REFERRAL = 1.0e-4
SECONDS_PER_UNIT = 1.3
MIN_UNITS_PER_PANEL = 0.1
# The share of the budget the first round may spend; later rounds (bookings stage 2 sent
# back) draw on the rest.
FIRST_ROUND_SHARE = 0.85
# Stage 2 and the files are written after the last search: the cap stops the search this
# much earlier than ``S``, per referral.
SECONDS_AFTER_SEARCH_PER_REFERRAL = 1.0e-4
# What the command spends before the search starts (start-up, reading, building the problem,
# the baseline), calibrated as above: how long it really took says how busy the machine is.
SECONDS_BEFORE_SEARCH_PER_CHOICE = 4.0e-6
SECONDS_BEFORE_SEARCH_PER_REFERRAL = 5.0e-5
# A busy machine is slower at everything left after the cap by the same factor, up to this.
MAX_PACE = 4.0
# Past the cap, a panel not yet searched still has its relaxation made whole (far better than
# the plan so far) until this share of ``S`` beyond it; after that it keeps the plan so far.
ROUNDING_GRACE = 0.25


@dataclass(frozen=True, slots=True)
class Budget:
    """How much stage 1 may search, and when the wall-clock cap stops it.

    Attributes
    ----------
    units
        CP-SAT deterministic time for all rounds of stage 1 together.
    first_round
        The part of ``units`` the first round shares among the panels.
    floor
        The least a panel's search is given in a round.
    deadline
        The ``time.perf_counter()`` moment at which any search still running is stopped, or
        ``None`` for no cap.
    end
        The moment after which a panel not yet searched gets no relaxation either (its plan so
        far stands), or ``None`` for no cap.
    """

    units: float
    first_round: float
    floor: float
    deadline: float | None = None
    end: float | None = None

    def seconds_left(self) -> float | None:
        """Wall-clock seconds until the cap, or ``None`` when there is none."""
        if self.deadline is None:
            return None
        return self.deadline - clock.perf_counter()

    def expired(self) -> bool:
        """True once the cap's moment has passed."""
        left = self.seconds_left()
        return left is not None and left <= 0


def _calibrated(problem: ProblemData, per_choice: float, per_referral: float) -> float:
    """Start-up, and so much a (referral, sitting) choice and a referral, for ``problem``."""
    choices = sum(len(c) for c in problem.candidates)
    return STARTUP_SECONDS + per_choice * choices + per_referral * len(problem.referrals)


def fixed_seconds(problem: ProblemData) -> float:
    """The calibrated wall-clock seconds a ``plan`` command spends outside stage 1's search."""
    return _calibrated(problem, SECONDS_PER_CHOICE, SECONDS_PER_REFERRAL)


def units_for(seconds: float, problem: ProblemData) -> float:
    """Deterministic units stage 1 may spend so the command takes ``seconds`` in all.

    A function of ``seconds`` and the problem's size only, so the same input gets the same
    budget (and plan) on any machine, however busy.
    """
    panels = len({r.panel for r in problem.referrals}) or 1
    spare = max(0.0, seconds - fixed_seconds(problem))
    return max(MIN_UNITS_PER_PANEL * panels, spare / SECONDS_PER_UNIT)


def expected_before_search(problem: ProblemData) -> float:
    """The calibrated wall-clock seconds a ``plan`` command spends before stage 1 starts."""
    return _calibrated(
        problem, SECONDS_BEFORE_SEARCH_PER_CHOICE, SECONDS_BEFORE_SEARCH_PER_REFERRAL
    )


def pace(problem: ProblemData, started: float | None) -> float:
    """How many times slower than calibrated the command has run so far (1 to MAX_PACE).

    Only the cap uses it, never the budget: on a busy machine the work after the last search
    takes longer too, so the cap must leave it more time for the command to end at ``S``.
    """
    if started is None:
        return 1.0
    taken = clock.perf_counter() - started
    return min(MAX_PACE, max(1.0, taken / expected_before_search(problem)))


def budget_for(seconds: float, problem: ProblemData, started: float | None = None) -> Budget:
    """The budget for a command that must finish ``seconds`` after ``started``.

    Parameters
    ----------
    seconds
        Wall-clock seconds for the whole command (``--time-limit``).
    problem
        The planner's input.
    started
        When the command started (``time.perf_counter()``); now when ``None``.

    Returns
    -------
    Budget
        The deterministic units, and a cap that leaves time for stage 2 and the files (more
        on a machine that has been slow so far, see :func:`pace`).
    """
    units = units_for(seconds, problem)
    begun = clock.perf_counter() if started is None else started
    after = SECONDS_AFTER_SEARCH_PER_REFERRAL * len(problem.referrals) * pace(problem, started)
    deadline = begun + seconds - after
    return Budget(
        units,
        FIRST_ROUND_SHARE * units,
        MIN_UNITS_PER_PANEL,
        deadline,
        deadline + ROUNDING_GRACE * seconds,
    )


def per_round(time_limit: float, floor: float) -> Budget:
    """The budget of a solve given deterministic units per round (``solve(time_limit=...)``),
    at least ``floor`` a panel: no cap, and later rounds as many as the round limit allows."""
    return Budget(float("inf"), time_limit, floor, None)


__all__ = [
    "Budget",
    "budget_for",
    "expected_before_search",
    "fixed_seconds",
    "pace",
    "per_round",
    "units_for",
]
