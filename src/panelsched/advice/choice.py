"""The cheapest set of changes that reaches a target, by a small mixed-integer programme.

Every candidate change is made at once in one planner input (``everything``): all extra
sittings, every sitting at its longest window. Over it, a relaxation of stage 1 chooses:

- a 0/1 choice ``y`` per change, at its cost (the objective);
- for each case with a limit (its due date for ``late``, submission plus the ceiling for
  ``max-wait``) a fractional booking ``x`` at each sitting open to it by that limit, or a
  share ``z`` of it that misses the limit; at most ``count`` misses in all (the target);
- every other case, and the part of a case that misses, flows in minutes from its first
  open sitting to any later one (``u``, carried forward by ``c``), so each is heard by the
  end of the range;
- each sitting's minutes hold what is booked and flows there: the model's own minutes, plus
  30 or 60 for an extension chosen, or the whole window of an extra sitting chosen (no case
  goes to an extra sitting not chosen).

It relaxes the planner (fractional bookings, raw minutes instead of whole slots, presenters'
leave after a case's first open sitting and their other panels left out), so its optimum is
a lower bound on the cost of any set of these changes with which the planner reaches the
target; HiGHS proves it (or reports its own bound). The advice then re-plans with the real
planner to confirm.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import scipy.sparse as sparse
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

from panelsched.advice.capacity_changes import Change
from panelsched.advice.settings import Target
from panelsched.planner.problem import CUTOFF_PASSED, ProblemData, may_be_late

# HiGHS's tolerances are about 1e-7: a count of 2.0000001 misses is 2.
_SLACK = 1e-6
# A row as (variable, coefficient) terms with its lower and upper bound.
_Terms = tuple[Sequence[tuple[int, float]], float, float]


@dataclass(frozen=True)
class Choice:
    """What the programme chose.

    Attributes
    ----------
    chosen
        Indices into the changes.
    cost
        Their total cost.
    bound
        HiGHS's proven lower bound on the cost (equal to ``cost`` when proven).
    proven
        True when HiGHS proved ``cost`` optimal.
    feasible
        False when no set of the changes reaches the misses asked for.
    """

    chosen: tuple[int, ...]
    cost: float
    bound: float
    proven: bool
    feasible: bool = True


@dataclass(frozen=True)
class _Columns:
    """Where each kind of variable starts in the programme's vector."""

    arcs: int
    misses: int
    flows: int
    carries: int
    changes: int
    size: int


class Programme:
    """The relaxation for one target over one planner input with every change made.

    Parameters
    ----------
    everything
        The planner input with every candidate change made (the sittings and the cases'
        eligibility; its slot lengths).
    base
        The planner input as the model is, with the same referrals: its due dates, and the
        sittings open to each case there. A change can make a case's due date earlier (an
        extra sitting after an emergency decision is where it must be ratified, S9) or move
        the sitting a late paper may go to (S2), so each case is given the later due date and
        every sitting it might be open to under some set of changes.
    base_minutes
        Each sitting's minutes in the model as it is, by sitting id (0 for one not there).
    changes
        The candidate changes (a ``slot`` change is made in ``everything`` or not at all and
        is not a choice here).
    target
        What must be reached.
    in_time_too
        For a ceiling, also ask each case that could be heard in time to be (no longer a
        relaxation: used only to repair a set the planner did not confirm).
    """

    def __init__(
        self,
        everything: ProblemData,
        base: ProblemData,
        base_minutes: Mapping[str, int],
        changes: Sequence[Change],
        target: Target,
        in_time_too: bool = False,
    ) -> None:
        self.changes = tuple(changes)
        problem = everything
        where = problem.sitting_index()
        sittings = problem.sittings
        arcs_r: list[int] = []
        arcs_s: list[int] = []
        limited: list[int] = []
        free_minutes: dict[int, int] = defaultdict(int)
        first: dict[int, int] = {}
        forced = 0
        reachable: set[int] = set()
        for r, open_ in enumerate(_open(everything, base)):
            if not open_:
                continue
            first[r] = open_[0]
            limit = _limit(base, r, target)
            if limit is None:
                free_minutes[open_[0]] += problem.slot_minutes[r]
                continue
            in_time = [k for k in open_ if sittings[k].date <= limit]
            due = base.due_date(r)
            if in_time_too and due is not None:
                # The planner hears fewest late before it minds a ceiling: a case that can be
                # both in time and under the ceiling is asked to be both.
                both = [k for k in in_time if sittings[k].date <= due]
                in_time = both or in_time
            if in_time:
                reachable.add(r)
            limited.append(r)
            forced += not in_time
            arcs_r.extend([r] * len(in_time))
            arcs_s.extend(in_time)
        self.forced = forced
        n_arcs, n_limited, n_sittings = len(arcs_r), len(limited), len(sittings)
        cols = _Columns(
            arcs=0,
            misses=n_arcs,
            flows=n_arcs + n_limited,
            carries=n_arcs + n_limited + n_sittings,
            changes=n_arcs + n_limited + 2 * n_sittings,
            size=n_arcs + n_limited + 2 * n_sittings + len(changes),
        )
        self._cols = cols
        rows: list[tuple[NDArray[np.int64], NDArray[np.float64], float, float]] = []
        minutes = np.array(problem.slot_minutes, dtype=np.float64)
        ar = np.array(arcs_r, dtype=np.int64)
        miss_of = {r: i for i, r in enumerate(limited)}
        # A case that can be in time: its miss column, by referral id (see ``cheapest``).
        self._miss_column = {
            problem.referrals[r].referral_id: cols.misses + miss_of[r]
            for r in limited
            if r in reachable
        }
        # One booking or one miss per case with a limit.
        by_case: dict[int, list[int]] = defaultdict(list)
        for a, r in enumerate(arcs_r):
            by_case[r].append(a)
        for r in limited:
            idx = np.array([*by_case.get(r, []), cols.misses + miss_of[r]], dtype=np.int64)
            rows.append((idx, np.ones(len(idx)), 1.0, 1.0))
        self._misses = [(cols.misses + i, 1.0) for i in range(n_limited)]
        # Flow in minutes along each panel's sittings in date order.
        by_panel: dict[str, list[int]] = defaultdict(list)
        for k, s in enumerate(sittings):
            by_panel[s.panel].append(k)
        misses_at: dict[int, list[int]] = defaultdict(list)
        for r in limited:
            misses_at[first[r]].append(r)
        self._last_carries: list[int] = []
        for ks in by_panel.values():
            for j, k in enumerate(ks):
                terms = [(cols.carries + k, 1.0), (cols.flows + k, 1.0)]
                if j:
                    terms.append((cols.carries + ks[j - 1], -1.0))
                terms += [(cols.misses + miss_of[r], -minutes[r]) for r in misses_at.get(k, [])]
                got = float(free_minutes.get(k, 0))
                rows.append(_row(terms, got, got))
            self._last_carries.append(cols.carries + ks[-1])
        # Each sitting's minutes.
        adds: dict[int, list[tuple[int, float]]] = defaultdict(list)
        extra_of: dict[int, int] = {}
        for c, change in enumerate(changes):
            found_at = where.get(change.sitting_id)
            if found_at is None or change.kind == "slot":
                continue
            k = found_at
            if change.kind == "extend":
                adds[k].append((cols.changes + c, -float(change.minutes)))
            else:
                adds[k].append((cols.changes + c, -float(sittings[k].capacity_minutes)))
                extra_of[k] = c
        at_sitting: dict[int, list[int]] = defaultdict(list)
        for a, k in enumerate(arcs_s):
            at_sitting[k].append(a)
        for k, sitting in enumerate(sittings):
            terms = [(a, float(minutes[ar[a]])) for a in at_sitting.get(k, [])]
            terms += [(cols.flows + k, 1.0), *adds.get(k, [])]
            rows.append(_row(terms, -np.inf, float(base_minutes.get(sitting.id, 0))))
            if k in extra_of:
                # No case at an extra sitting that is not chosen (strengthens the relaxation).
                y = cols.changes + extra_of[k]
                rows.extend(_row([(a, 1.0), (y, -1.0)], -np.inf, 0.0) for a in at_sitting[k])
        # One extension per sitting at most.
        extended: dict[str, list[int]] = defaultdict(list)
        for c, change in enumerate(changes):
            if change.kind == "extend":
                extended[change.sitting_id].append(cols.changes + c)
        rows.extend(
            _row([(y, 1.0) for y in ys], 0.0, 1.0) for ys in extended.values() if len(ys) > 1
        )
        self._rows = rows

    def _matrix(self, extra: Sequence[_Terms] = ()) -> LinearConstraint:
        rows = list(self._rows) + [_row(terms, lo, hi) for terms, lo, hi in extra]
        data = np.concatenate([v for _, v, _, _ in rows])
        cols = np.concatenate([i for i, _, _, _ in rows])
        ridx = np.concatenate(
            [np.full(len(i), n, dtype=np.int64) for n, (i, _, _, _) in enumerate(rows)]
        )
        matrix = sparse.csr_array((data, (ridx, cols)), shape=(len(rows), self._cols.size))
        return LinearConstraint(
            matrix,
            np.array([lo for _, _, lo, _ in rows]),
            np.array([hi for _, _, _, hi in rows]),
        )

    def _bounds(self, served: Iterable[str] = ()) -> Bounds:
        cols = self._cols
        lower = np.zeros(cols.size)
        upper = np.full(cols.size, np.inf)
        upper[: cols.flows] = 1.0
        for referral_id in served:
            if referral_id in self._miss_column:
                upper[self._miss_column[referral_id]] = 0.0
        for index in self._last_carries:
            upper[index] = 0.0
        upper[cols.changes :] = 1.0
        return Bounds(lower, upper)

    def floor(self) -> float | None:
        """The fewest misses any set of the changes could give (a lower bound: each change
        may be made in part), or ``None`` when not every case can be heard by the end of the
        range whatever is changed."""
        cols = self._cols
        costs = np.zeros(cols.size)
        costs[cols.misses : cols.flows] = 1.0
        with _quiet():
            found = milp(costs, constraints=self._matrix(), bounds=self._bounds())
        return float(found.fun) if found.status == 0 else None

    def cheapest(
        self,
        misses: int,
        forbidden: Sequence[Sequence[int]] = (),
        time_limit: float = 30.0,
        served: Iterable[str] = (),
    ) -> Choice:
        """The cheapest changes with at most ``misses`` cases missing their limit, other
        than the sets in ``forbidden`` (tried already and not confirmed), with the cases in
        ``served`` (referral ids the planner left missing with a set tried) wholly within
        their limit where any sitting could be."""
        cols = self._cols
        costs = np.zeros(cols.size)
        costs[cols.changes :] = [c.cost for c in self.changes]
        cuts: list[_Terms] = [(self._misses, 0.0, float(misses) + _SLACK)]
        for chosen in forbidden:
            inside = set(chosen)
            terms = [
                (cols.changes + c, 1.0 if c in inside else -1.0) for c in range(len(self.changes))
            ]
            cuts.append((terms, -np.inf, len(inside) - 1.0))
        constraints = self._matrix(cuts)
        integrality = np.zeros(cols.size)
        integrality[cols.changes :] = 1
        with _quiet():
            found = milp(
                costs,
                constraints=constraints,
                bounds=self._bounds(served),
                integrality=integrality,
                options={"time_limit": time_limit, "mip_rel_gap": 1e-9},
            )
        if found.x is None:
            return Choice((), 0.0, 0.0, False, feasible=False)
        ys = found.x[cols.changes :]
        chosen = tuple(int(c) for c in np.flatnonzero(ys > 0.5))
        cost = float(sum(self.changes[c].cost for c in chosen))
        bound = float(getattr(found, "mip_dual_bound", cost) or cost)
        return Choice(chosen, cost, min(bound, cost), found.status == 0)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """HiGHS's MIP solver can print a line of its own to the process's standard output,
    whatever its options say; the command's output is the advice's alone."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor 1 (an embedded interpreter): nothing to hide
        yield
        return
    with open(os.devnull, "w") as sink:
        os.dup2(sink.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def _row(
    terms: Sequence[tuple[int, float]], lower: float, upper: float
) -> tuple[NDArray[np.int64], NDArray[np.float64], float, float]:
    return (
        np.array([i for i, _ in terms], dtype=np.int64),
        np.array([v for _, v in terms], dtype=np.float64),
        lower,
        upper,
    )


def _open(everything: ProblemData, base: ProblemData) -> list[list[int]]:
    """For each case, every sitting of ``everything`` it may be open to under some set of the
    changes, in date order: open there or in ``base``, and for a case that may go to the first
    sitting whose cut-off it missed (S2, S9), any sitting up to its first one in ``base``."""
    where = everything.sitting_index()
    by_panel: dict[str, list[int]] = defaultdict(list)
    for k, sitting in enumerate(everything.sittings):
        by_panel[sitting.panel].append(k)
    found = []
    for r, referral in enumerate(everything.referrals):
        open_ = set(everything.candidates[r])
        open_.update(where[base.sittings[k].id] for k in base.candidates[r])
        if may_be_late(everything.authority, referral):
            own = [base.sittings[k] for k in base.panel_sittings(referral.panel)]
            after = [s.date for s in own if s.opens > referral.submitted]
            last = after[0] if after else everything.end
            open_.update(
                k
                for k in by_panel[referral.panel]
                if everything.sittings[k].opens > referral.submitted
                and everything.sittings[k].date <= last
                and _closed_by_cutoff_only(everything, r, k)
            )
        found.append(sorted(open_, key=lambda k: (everything.sittings[k].date, k)))
    return found


def _closed_by_cutoff_only(problem: ProblemData, r: int, k: int) -> bool:
    """True when sitting ``k`` is closed to case ``r`` by its cut-off and, as far as a whole
    day away, its first date and the quorum say, by nothing else: under some set of changes
    it is the first sitting whose cut-off the case missed, open with permission (S2, S9)."""
    closed = problem.exclusion(r, k)
    if closed is None or closed.code != CUTOFF_PASSED:
        return False
    sitting, referral = problem.sittings[k], problem.referrals[r]
    if sitting.id in problem.inquorate:
        return False
    earliest = problem.authority.earliest(referral)
    if earliest is not None and sitting.date < earliest:
        return False
    return not any(
        away.covers_day(sitting.date) for person in referral.people for away in problem.away(person)
    )


def _limit(problem: ProblemData, referral: int, target: Target) -> date | None:
    """The last date the case meets the target by, or ``None`` when the target sets none."""
    if target.kind == "late":
        return problem.due_date(referral)
    return problem.referrals[referral].submitted.date() + timedelta(days=target.days)


__all__ = ["Choice", "Programme"]
