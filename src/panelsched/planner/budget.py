"""A time limit in seconds, turned into a fixed amount of solver work.

``panelsched plan --time-limit S`` promises the whole command in about ``S`` seconds of wall
clock on a 2-core machine, and the same plan from the same input, byte for byte. The two meet
here: the seconds are turned into CP-SAT *deterministic* time (work, counted the same on any
machine at any load) by a fixed formula of ``S`` and the problem's size only, calibrated on
this project's 2-core machine. A wall-clock cap stays behind it as a safety net: on a slower or
busier machine it stops the search at ``S``, and the run says so (``Result.capped``), since
its plan may then differ from run to run.

Calibration (``benchmarks/bench_time_limit.py --calibrate``; the figures measured, and when,
are in ``benchmarks/README.md``, "Calibration notes"): besides stage 1's CP-SAT searches a
command spends

- :data:`STARTUP_SECONDS` starting Python and importing pandas, ortools and scipy;
- :data:`SECONDS_PER_CHOICE` for each (referral, sitting) pair open to a referral: building the
  problem and stage 1's rows, the relaxation's linear programmes and the local search after
  each search (:mod:`panelsched.planner.cpsat.improve`), which is not work CP-SAT counts and
  grows with the choices, not the units;
- :data:`SECONDS_PER_REFERRAL` for each referral: reading it, the first-come-first-served
  baseline, timing slots, explanations and the four files written;

and a unit of deterministic time is budgeted at :data:`SECONDS_PER_UNIT` of wall clock, more
than a panel's search measured: a year whose stage 2 sends bookings back spends the units held
back for a second round (:data:`FIRST_ROUND_SHARE`), and some years' panels are slower than
average. The margin keeps the plans deterministic: more units hardly change them.

The budget is what is left of ``S`` after the fixed costs, in units; never less than
:data:`MIN_UNITS_PER_PANEL` a panel, so that a plan is always searched for (the cap then keeps
the promise).
"""

from __future__ import annotations

import os
import time as clock
from dataclasses import dataclass
from pathlib import Path

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
# A time limit given as work (:class:`WorkLimit`) gives each panel at least this many units a
# round.
MIN_UNITS_PER_ROUND = 1.0
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
    seconds
        The wall-clock seconds the budget was worked out from, or ``None`` for a limit given
        as work.
    """

    units: float
    first_round: float
    floor: float
    deadline: float | None = None
    end: float | None = None
    seconds: float | None = None

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
        seconds,
    )


@dataclass(frozen=True, slots=True)
class WorkLimit:
    """A time limit given as CP-SAT work: the same plan from the same input, on any machine.

    Attributes
    ----------
    units
        Deterministic time for choosing sittings in a full round, shared among the panels by
        size (at least :data:`MIN_UNITS_PER_ROUND` each; a round that re-solves a few panels
        gives them their shares only); roughly seconds on one core. No wall-clock cap.
    """

    units: float = 20.0

    def budget(self, problem: ProblemData) -> Budget:
        """The budget for ``problem``: later rounds as many as the round limit allows."""
        return Budget(float("inf"), self.units, MIN_UNITS_PER_ROUND)


@dataclass(frozen=True, slots=True)
class SecondsLimit:
    """A time limit in wall-clock seconds for a whole command (``plan --time-limit``).

    Turned into a deterministic budget from the seconds and the problem's size
    (:func:`budget_for`), so the same input still gives the same plan, with a wall-clock cap
    behind it; ``Result.capped`` says when the cap stopped a search.

    Attributes
    ----------
    seconds
        Wall-clock seconds for the whole command.
    started
        When the command started (``time.perf_counter()``, see :func:`command_started`); the
        moment the budget is worked out when ``None``.
    """

    seconds: float
    started: float | None = None

    def budget(self, problem: ProblemData) -> Budget:
        """The budget for ``problem``, with its cap counted from :attr:`started`."""
        return budget_for(self.seconds, problem, self.started)


# How long ``solve`` may take: one object, either way.
TimeLimit = WorkLimit | SecondsLimit
# The library's default: 20 units a round, no wall-clock cap.
DEFAULT_LIMIT = WorkLimit(20.0)


def command_started(imported: float) -> float:
    """When this command started, on ``time.perf_counter``'s clock: a :class:`SecondsLimit`
    counts start-up too.

    That is when the process started (from ``/proc`` on Linux, else ``imported``: when the
    commands began to import), but no earlier than the calibrated start-up before now, so a
    command run inside a long-lived process (a test, a notebook) gets its seconds too.
    """
    now = clock.perf_counter()
    try:
        fields = Path("/proc/self/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
        began = now - max(0.0, uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        began = imported
    return max(min(began, imported), now - STARTUP_SECONDS)


__all__ = [
    "DEFAULT_LIMIT",
    "Budget",
    "SecondsLimit",
    "TimeLimit",
    "WorkLimit",
    "budget_for",
    "command_started",
    "expected_before_search",
    "fixed_seconds",
    "pace",
    "units_for",
]
