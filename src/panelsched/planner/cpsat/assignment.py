"""Stage 1: which sitting each referral goes to.

The decision is one 0/1 choice per *arc*, a (referral, sitting) pair open to the referral.
Each rule is one function in :data:`RULES` that returns linear rows over the arcs; each
objective level is one function in :data:`LEVELS` that returns a cost per arc. The same rows
and costs feed both the linear relaxation (:mod:`.relaxation`, which proves bounds and says
which arcs can be left out) and the CP-SAT model (:func:`to_cpsat`), so a rule is written once.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from functools import cache

import numpy as np
import scipy.sparse as sparse
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from panelsched.core.panels import minutes_of
from panelsched.planner.problem import ProblemData

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Arcs:
    """Every (referral, sitting) pair open in one stage-1 model, with its cost terms.

    Attributes
    ----------
    referral, sitting
        Indices into the problem's referrals and sittings, one entry per arc.
    minutes
        The referral's slot length (S3, S4).
    days_late
        Days the sitting falls after the referral's due date (0 when in time).
    wait
        Waiting days from submission to the sitting, urgent and emergency cases three times.
    kept
        -1 where the sitting is the one the referral was told before (a preferred booking
        kept), else 0.
    days_moved
        For a referral told another sitting before, the days between the two; else 0.
    over_ceiling
        Waiting days beyond the panel's ``max_wait_days`` (S14), weighted as ``wait`` is.
    """

    referral: IntArray
    sitting: IntArray
    minutes: IntArray
    days_late: IntArray
    wait: IntArray
    kept: IntArray
    days_moved: IntArray
    over_ceiling: IntArray

    def __len__(self) -> int:
        return len(self.referral)


@dataclass(frozen=True)
class Row:
    """One linear constraint: ``sum(coefs * choice[arcs]) <= upper``."""

    arcs: IntArray
    coefs: IntArray
    upper: int
    at_most_one: bool = False


@dataclass(frozen=True)
class Stage:
    """The stage-1 problem for some referrals (one panel's, as panels share no sittings).

    Attributes
    ----------
    problem
        The planner's input.
    referrals
        The referrals this model books (pinned ones included), sorted.
    arcs
        The choices open to the unpinned ones.
    rows
        Every rule's constraints, in the order of :data:`RULES`.
    pinned
        Referral index to sitting index, for pinned bookings (not choices).
    """

    problem: ProblemData
    referrals: tuple[int, ...]
    arcs: Arcs
    rows: tuple[Row, ...]
    pinned: Mapping[int, int]

    def best_possible(self, costs: IntArray) -> int:
        """The least ``costs`` a plan placing every referral that has a choice can have.

        Each referral pays at least its cheapest choice, so this bounds any level given that
        level 1 (most placed) is at its best.
        """
        if len(self.arcs) == 0:
            return 0
        order = np.lexsort((costs, self.arcs.referral))
        referrals = self.arcs.referral[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = referrals[1:] != referrals[:-1]
        return int(costs[order][first].sum())

    def chosen(self, values: Sequence[bool] | NDArray[np.bool_]) -> dict[int, int]:
        """Referral to sitting for the arcs set in ``values`` (pinned bookings included)."""
        picked = {
            int(self.arcs.referral[k]): int(self.arcs.sitting[k])
            for k in np.flatnonzero(np.asarray(values, dtype=bool))
        }
        picked.update(self.pinned)
        return picked


def as_matrix(rows: Sequence[Row], arcs: int) -> tuple[sparse.csr_matrix, IntArray]:
    """``rows`` as one sparse matrix over ``arcs`` choices, and their upper bounds."""
    if not rows:
        return sparse.csr_matrix((0, arcs), dtype=np.int64), np.zeros(0, dtype=np.int64)
    matrix = sparse.csr_matrix(
        (
            np.concatenate([row.coefs for row in rows]).astype(np.int64),
            (
                np.concatenate(
                    [np.full(len(row.arcs), i, dtype=np.int64) for i, row in enumerate(rows)]
                ),
                np.concatenate([row.arcs for row in rows]),
            ),
        ),
        shape=(len(rows), arcs),
    )
    return matrix, np.array([row.upper for row in rows], dtype=np.int64)


def with_fixed(stage: Stage, fixed: NDArray[np.bool_]) -> tuple[Stage, IntArray]:
    """``stage`` with the arcs in ``fixed`` chosen for good: the choices left, and where each
    of them is in ``stage``.

    Only the referrals without a fixed arc keep their choices; each rule's row keeps its terms
    on those and loses from its upper bound what the fixed arcs use (a sitting's minutes, a
    person's). So a plan of the smaller stage, with the fixed arcs, is a plan of ``stage``.
    """
    arcs = stage.arcs
    settled = np.zeros(len(stage.problem.referrals), dtype=bool)
    settled[arcs.referral[fixed]] = True
    left = np.flatnonzero(~settled[arcs.referral]).astype(np.int64)
    position = np.full(len(arcs), -1, dtype=np.int64)
    position[left] = np.arange(len(left))
    rows = []
    for row in stage.rows:
        where = position[row.arcs]
        inside = where >= 0
        used = int(row.coefs[fixed[row.arcs]].sum())
        if inside.any():
            rows.append(Row(where[inside], row.coefs[inside], row.upper - used, row.at_most_one))
    smaller = Arcs(*(getattr(arcs, f.name)[left] for f in fields(Arcs)))
    return Stage(stage.problem, stage.referrals, smaller, tuple(rows), stage.pinned), left


def days_late(problem: ProblemData, referral: int, sitting: int) -> int:
    """Days a booking at ``sitting`` falls after the referral's due date (0 when in time)."""
    due = problem.due_date(referral)
    return max(0, (problem.sittings[sitting].date - due).days) if due is not None else 0


@cache
def _longest_fill(length: int, sizes: tuple[int, ...]) -> int:
    """The most minutes of ``length`` that slots of ``sizes`` can fill."""
    fits = [False] * (length + 1)
    fits[0] = True
    best = 0
    for minutes in range(1, length + 1):
        fits[minutes] = any(size <= minutes and fits[minutes - size] for size in sizes)
        if fits[minutes]:
            best = minutes
    return best


def usable_minutes(
    problem: ProblemData, sitting: int, blocked: Sequence[tuple[int, int]] = ()
) -> int:
    """Minutes a sitting's slots can fill: each stretch between breaks, in whole slots.

    A 20-minute slot cannot use the last 15 minutes of a 105-minute stretch, so counting the
    window's raw minutes would promise room that stage 2 cannot give (and weaken the bound).
    ``blocked`` adds other minutes no slot may cross (someone's part-day leave).
    """
    each = problem.sittings[sitting]
    panel = problem.authority.panel(each.panel)
    sizes = tuple(sorted({panel.slot_minutes, panel.complex_slot_minutes or panel.slot_minutes}))
    opens, closes = each.window_minutes
    gaps = sorted(
        [(minutes_of(b_start), minutes_of(b_end)) for b_start, b_end in panel.breaks]
        + list(blocked)
    )
    stretches = []
    for gap_start, gap_end in gaps:
        if gap_start > opens:
            stretches.append(min(gap_start, closes) - opens)
        opens = max(opens, gap_end)
    stretches.append(closes - opens)
    return sum(_longest_fill(length, sizes) for length in stretches if length > 0)


def one_sitting_at_most(stage: Stage) -> list[Row]:
    """S1, S2, S8: a referral is booked once at most, only at a sitting open to it."""
    grouped: dict[int, list[int]] = defaultdict(list)
    for k, referral in enumerate(stage.arcs.referral.tolist()):
        grouped[referral].append(k)
    return [
        Row(np.array(ks, dtype=np.int64), np.ones(len(ks), dtype=np.int64), 1, at_most_one=True)
        for _, ks in sorted(grouped.items())
    ]


def sitting_minutes(stage: Stage) -> list[Row]:
    """S3, S4: the slots booked at a sitting fit in its minutes (between breaks).

    A sitting with a pinned booking keeps its raw minutes less the pinned ones: a pin may sit
    anywhere in the window, so whole-slot counting would not be a safe limit there.
    """
    problem = stage.problem
    pinned_minutes: dict[int, int] = defaultdict(int)
    for referral, sitting in stage.pinned.items():
        pinned_minutes[sitting] += problem.slot_minutes[referral]
    grouped: dict[int, list[int]] = defaultdict(list)
    for k, sitting in enumerate(stage.arcs.sitting.tolist()):
        grouped[sitting].append(k)
    rows = []
    for sitting, ks in sorted(grouped.items()):
        if sitting in pinned_minutes:
            room = problem.sittings[sitting].capacity_minutes - pinned_minutes[sitting]
        else:
            room = usable_minutes(problem, sitting)
        arcs = np.array(ks, dtype=np.int64)
        rows.append(Row(arcs, stage.arcs.minutes[arcs], max(0, room)))
    return rows


def one_place_at_a_time(stage: Stage) -> list[Row]:
    """S5: a person's slots at sittings that overlap in time fit in the time they span.

    Stage 2 checks each person's slots exactly; this is the part of that rule stage 1 can see,
    so that few bookings are sent back.
    """
    problem = stage.problem
    arcs = stage.arcs
    # Only sittings that overlap another of this model on the same day can limit anyone.
    on_day: dict[date, list[int]] = defaultdict(list)
    for sitting in sorted(set(arcs.sitting.tolist())):
        on_day[problem.sittings[sitting].date].append(sitting)
    clashing: set[int] = set()
    for sittings in on_day.values():
        for first, second in itertools.combinations(sittings, 2):
            if problem.sittings[first].overlaps(problem.sittings[second]):
                clashing.update((first, second))
    if not clashing:
        return []
    per_person: dict[tuple[str, date], dict[int, list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for k, (referral, sitting) in enumerate(
        zip(arcs.referral.tolist(), arcs.sitting.tolist(), strict=True)
    ):
        if sitting not in clashing:
            continue
        day = problem.sittings[sitting].date
        for person in problem.referrals[referral].people:
            per_person[person, day][sitting].append(k)
    rows = []
    for _key, per_sitting in sorted(per_person.items()):
        if len(per_sitting) < 2:
            continue
        sittings = sorted(per_sitting, key=lambda s: problem.sittings[s].window_minutes)
        for first_pos, first in enumerate(sittings):
            group = [first]
            start, end = problem.sittings[first].window_minutes
            for other in sittings[first_pos + 1 :]:
                o_start, o_end = problem.sittings[other].window_minutes
                if o_start < end:
                    group.append(other)
                    end = max(end, o_end)
            if len(group) < 2:
                continue
            ks = np.array([k for s in group for k in per_sitting[s]], dtype=np.int64)
            rows.append(Row(ks, arcs.minutes[ks], end - start))
    return rows


def part_day_leave(stage: Stage) -> list[Row]:
    """S5: someone away for part of a sitting has only the rest of it for their cases.

    A sitting is closed to a referral only when its people have no slot's length free (see
    :mod:`panelsched.planner.problem`); this counts the whole slots they do have, so stage 1
    does not book a manager's four cases into the half hour left by a morning's training.
    """
    problem = stage.problem
    part_time = {p.person for p in problem.unavailability if not p.whole_days}
    if not part_time:
        return []
    grouped: dict[tuple[str, int], list[int]] = defaultdict(list)
    for k, (referral, sitting) in enumerate(
        zip(stage.arcs.referral.tolist(), stage.arcs.sitting.tolist(), strict=True)
    ):
        for person in problem.referrals[referral].people:
            if person in part_time:
                grouped[person, sitting].append(k)
    rows = []
    for (person, sitting), ks in sorted(grouped.items()):
        each = problem.sittings[sitting]
        opens, closes = each.window_minutes
        blocked = [
            (first, last)
            for period in problem.away(person)
            if not period.whole_days
            for day, first, last in period.blocks()
            if day == each.date and first < closes and opens < last
        ]
        if blocked:
            arcs = np.array(ks, dtype=np.int64)
            free = usable_minutes(problem, sitting, blocked)
            rows.append(Row(arcs, stage.arcs.minutes[arcs], free))
    return rows


Rule = Callable[[Stage], list[Row]]

# The rules of stage 1, in the order they are added. Adding a rule is one function and one line.
RULES: tuple[Rule, ...] = (
    one_sitting_at_most,
    sitting_minutes,
    one_place_at_a_time,
    part_day_leave,
)


def unplaced(arcs: Arcs) -> IntArray:
    """Level 1: most referrals placed (minimising minus one per booking)."""
    return -np.ones(len(arcs), dtype=np.int64)


def late(arcs: Arcs) -> IntArray:
    """Level 2a: fewest referrals heard after their due date."""
    return (arcs.days_late > 0).astype(np.int64)


def days_after_due(arcs: Arcs) -> IntArray:
    """Level 2b: among those, a late case is heard as soon after its due date as it can be."""
    return arcs.days_late


def kept(arcs: Arcs) -> IntArray:
    """Level 2c: most bookings already told to people kept (fewest moved; re-planning)."""
    return arcs.kept


def days_moved(arcs: Arcs) -> IntArray:
    """Level 2d: among those, a moved booking moves as few days as it can."""
    return arcs.days_moved


def over_ceiling(arcs: Arcs) -> IntArray:
    """Level 2e: fewest weighted waiting days beyond the panel's ceiling (S14)."""
    return arcs.over_ceiling


def waiting(arcs: Arcs) -> IntArray:
    """Level 3: waiting days from submission to sitting, urgent cases three times."""
    return arcs.wait


Level = Callable[[Arcs], IntArray]

# The objective, lexicographic: each level is minimised with those before it held at their
# optimum. Held as separate small constraints, never as one number with large weights, which
# would weaken both the linear relaxation and CP-SAT's proof. A level whose costs are all
# zero (nothing told before, no ceiling) is skipped wherever it would cost a search.
LEVELS: tuple[Level, ...] = (
    unplaced,
    late,
    days_after_due,
    kept,
    days_moved,
    over_ceiling,
    waiting,
)


def build(
    problem: ProblemData,
    options: Mapping[int, Sequence[int]],
    preferred: Mapping[int, int | None] | None = None,
) -> Stage:
    """The stage-1 problem for the referrals in ``options``, with every rule in :data:`RULES`.

    Parameters
    ----------
    problem
        The planner's input.
    options
        For each referral to book, the sitting indices open to it (a pinned referral's
        options are ignored: it keeps its sitting).
    preferred
        For referrals already told a sitting that may move (re-planning), that sitting's
        index, or ``None`` when it is not among the problem's sittings (it must move).
    """
    told = preferred or {}
    pinned: dict[int, int] = {}
    referral_of: list[int] = []
    sitting_of: list[int] = []
    for referral, sittings in sorted(options.items()):
        if problem.pinned_start[referral] is not None:
            pinned[referral] = problem.candidates[referral][0]
            continue
        for sitting in sittings:
            referral_of.append(referral)
            sitting_of.append(sitting)
    weights = [problem.referrals[r].weight for r in referral_of]
    waits = [problem.wait_days(r, s) for r, s in zip(referral_of, sitting_of, strict=True)]
    ceilings = [
        problem.authority.panel(problem.referrals[r].panel).max_wait_days for r in referral_of
    ]
    arcs = Arcs(
        referral=np.array(referral_of, dtype=np.int64),
        sitting=np.array(sitting_of, dtype=np.int64),
        minutes=np.array([problem.slot_minutes[r] for r in referral_of], dtype=np.int64),
        days_late=np.array(
            [days_late(problem, r, s) for r, s in zip(referral_of, sitting_of, strict=True)],
            dtype=np.int64,
        ),
        wait=np.array([w * d for w, d in zip(weights, waits, strict=True)], dtype=np.int64),
        kept=np.array(
            [
                -1 if r in told and told[r] == s else 0
                for r, s in zip(referral_of, sitting_of, strict=True)
            ],
            dtype=np.int64,
        ),
        days_moved=np.array(
            [
                _days_moved(problem, told, r, s)
                for r, s in zip(referral_of, sitting_of, strict=True)
            ],
            dtype=np.int64,
        ),
        over_ceiling=np.array(
            [
                w * max(0, d - c) if c is not None else 0
                for w, d, c in zip(weights, waits, ceilings, strict=True)
            ],
            dtype=np.int64,
        ),
    )
    stage = Stage(problem, tuple(sorted(options)), arcs, (), pinned)
    rows = tuple(row for rule in RULES for row in rule(stage))
    return Stage(problem, stage.referrals, arcs, rows, pinned)


def _days_moved(
    problem: ProblemData, told: Mapping[int, int | None], referral: int, sitting: int
) -> int:
    """Days between ``sitting`` and the one ``referral`` was told (0 when not told or kept).

    A booking whose sitting is gone from the problem moves whatever happens, so how far does
    not depend on the choice: 0.
    """
    before = told.get(referral)
    if before is None or before == sitting:
        return 0
    return abs((problem.sittings[sitting].date - problem.sittings[before].date).days)


@dataclass
class CpStage:
    """A CP-SAT model of a stage over the arcs kept (``keep[k]`` true), and its variables."""

    stage: Stage
    kept: IntArray
    model: cp_model.CpModel
    choice: list[cp_model.IntVar]

    def expression(self, costs: IntArray) -> cp_model.LinearExprT:
        """``sum(costs * choice)`` over the kept arcs (zero costs left out)."""
        picked = costs[self.kept]
        nonzero = np.flatnonzero(picked)
        return cp_model.LinearExpr.weighted_sum(
            [self.choice[i] for i in nonzero], picked[nonzero].tolist()
        )

    def hold(self, costs: IntArray, value: int) -> None:
        """Add ``sum(costs * choice) <= value`` (left out when no kept arc has a cost and
        ``value`` is not negative: it holds anyway)."""
        if costs[self.kept].any() or value < 0:
            self.model.add(self.expression(costs) <= value)

    def values(self, solver: cp_model.CpSolver) -> NDArray[np.bool_]:
        """The solver's choice for every arc of the stage (arcs left out are false)."""
        full = np.zeros(len(self.stage.arcs), dtype=bool)
        full[self.kept] = [solver.boolean_value(var) for var in self.choice]
        return full


def to_cpsat(stage: Stage, keep: NDArray[np.bool_] | None = None) -> CpStage:
    """The CP-SAT model of ``stage`` with only the arcs in ``keep`` (all when ``None``)."""
    mask = np.ones(len(stage.arcs), dtype=bool) if keep is None else keep
    kept = np.flatnonzero(mask).astype(np.int64)
    position = np.full(len(stage.arcs), -1, dtype=np.int64)
    position[kept] = np.arange(len(kept))
    model = cp_model.CpModel()
    choice = [model.new_bool_var(f"x{k}") for k in kept.tolist()]
    for row in stage.rows:
        where = position[row.arcs]
        inside = where >= 0
        if not inside.any():
            continue
        terms = [choice[i] for i in where[inside].tolist()]
        coefs = row.coefs[inside]
        if row.at_most_one:
            model.add_at_most_one(terms)
        elif int(coefs.sum()) > row.upper:
            model.add(cp_model.LinearExpr.weighted_sum(terms, coefs.tolist()) <= row.upper)
    return CpStage(stage, kept, model, choice)


__all__ = [
    "LEVELS",
    "RULES",
    "Arcs",
    "CpStage",
    "Row",
    "Stage",
    "build",
    "days_late",
    "to_cpsat",
    "usable_minutes",
]
