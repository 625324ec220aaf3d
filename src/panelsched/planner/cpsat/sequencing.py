"""Stage 2: a slot time for every booking of one day.

Rules: each slot lies inside its sitting's window and clear of breaks (S3), slots of one
sitting do not overlap (S3), and nobody is in two slots at once or booked while away for part
of the day (S5). Among plans that fit every booking it can, the model keeps each person's
cases at one sitting consecutive, then packs slots from the start of the window.

Most days need no search: when every person that day attends one sitting only, has no
part-day leave, and nothing is pinned, laying each sitting's cases back to back grouped by team
manager and social worker gives no idle minutes; if that also leaves no one waiting between
their cases it is optimal and is used as it is. Other days go to CP-SAT.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from panelsched.planner.cpsat.solver import solver_for
from panelsched.planner.occupancy import Occupancy
from panelsched.planner.problem import ProblemData

# A gap of one minute between one person's cases costs as much as starting ten slots a minute
# later: people waiting between cases is worse than an agenda that ends a little later.
GAP_WEIGHT = 10
# Deterministic time to tidy a day whose cases all fit already (see sequence_day); 0 keeps
# the presenter-ordered schedule as it is, which is what the planner does for speed.
POLISH_SECONDS = 0.0


@dataclass(frozen=True, slots=True)
class DayOutcome:
    """Slot starts (minutes after midnight) for the bookings that fit, and those that did not."""

    starts: dict[int, int]
    dropped: tuple[int, ...]
    proven: bool


def _hint_order(problem: ProblemData, referrals: Sequence[int]) -> list[int]:
    # Grouping by team manager then social worker keeps presenters' cases together.
    return sorted(
        referrals,
        key=lambda r: (
            problem.referrals[r].team_manager,
            problem.referrals[r].social_worker,
            problem.referrals[r].referral_id,
        ),
    )


def _back_to_back(problem: ProblemData, booked: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Each sitting's unpinned cases from the window's start, grouped by presenter."""
    sitting_of = dict(booked)
    cursor: dict[int, int] = {}
    starts = {}
    for referral in _hint_order(problem, [r for r, _ in booked if problem.pinned_start[r] is None]):
        sitting_index = sitting_of[referral]
        at = cursor.get(sitting_index, problem.sittings[sitting_index].window_minutes[0])
        starts[referral] = at
        cursor[sitting_index] = at + problem.slot_minutes[referral]
    return starts


def _quick_day(
    problem: ProblemData, day: date, booked: Sequence[tuple[int, int]]
) -> dict[int, int] | None:
    """The back-to-back plan when it is provably best (see the module's notes), else None."""
    sittings_of_person: dict[str, set[int]] = defaultdict(set)
    for referral, sitting_index in booked:
        if problem.pinned_start[referral] is not None:
            return None
        if problem.authority.panel(problem.sittings[sitting_index].panel).breaks:
            return None
        for person in problem.referrals[referral].people:
            sittings_of_person[person].add(sitting_index)
    for person, sittings in sittings_of_person.items():
        windows = sorted(problem.sittings[s].window_minutes for s in sittings)
        # Sittings at different times of day cannot clash; only overlapping ones can.
        if any(b_start < a_end for (_, a_end), (b_start, _) in itertools.pairwise(windows)):
            return None
        for period in problem.away(person):
            if period.whole_days:
                continue
            for block_day, first, last in period.blocks():
                if block_day == day and any(first < end and start < last for start, end in windows):
                    return None
    starts = _back_to_back(problem, booked)
    sitting_of = dict(booked)
    spans: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for referral, at in starts.items():
        for person in problem.referrals[referral].people:
            spans[person, sitting_of[referral]].append((at, at + problem.slot_minutes[referral]))
    for person_spans in spans.values():
        person_spans.sort()
        if any(a_end != b_start for (_, a_end), (b_start, _) in itertools.pairwise(person_spans)):
            return None
    for referral, at in starts.items():
        close = problem.sittings[sitting_of[referral]].window_minutes[1]
        if at + problem.slot_minutes[referral] > close:
            return None
    return starts


def _shared_first(problem: ProblemData, booked: Sequence[tuple[int, int]]) -> list[int]:
    """Cases of people at more than one sitting that day first, earliest sitting first.

    Someone presenting at two sittings whose windows overlap has their cases at the earlier
    one laid down first, so those at the later one can follow on once they are free.
    """
    sitting_of = dict(booked)
    sittings_of: dict[str, set[int]] = defaultdict(set)
    for referral, sitting_index in booked:
        for person in problem.referrals[referral].people:
            sittings_of[person].add(sitting_index)

    def key(referral: int) -> tuple[bool, tuple[int, int], str, str, str]:
        item = problem.referrals[referral]
        shared = any(len(sittings_of[p]) > 1 for p in item.people)
        window = problem.sittings[sitting_of[referral]].window_minutes
        return (not shared, window, item.team_manager, item.social_worker, item.referral_id)

    return sorted((r for r, _ in booked if problem.pinned_start[r] is None), key=key)


def _list_schedule(
    problem: ProblemData, booked: Sequence[tuple[int, int]]
) -> dict[int, int] | None:
    """Earliest free start for each case, or None if one does not fit.

    Cases go in presenter order; if one does not fit, again with the cases of people at two
    sittings first (see :func:`_shared_first`).
    """
    for order in (
        _hint_order(problem, [r for r, _ in booked if problem.pinned_start[r] is None]),
        _shared_first(problem, booked),
    ):
        fitted = _list_schedule_in(problem, booked, order)
        if fitted is not None:
            return fitted
    return None


def _list_schedule_in(
    problem: ProblemData, booked: Sequence[tuple[int, int]], order: Sequence[int]
) -> dict[int, int] | None:
    """Earliest free start for each case of ``order`` in turn, or None if one does not fit."""
    taken = Occupancy(problem)
    sitting_of = dict(booked)
    for referral, sitting_index in booked:
        pinned = problem.pinned_start[referral]
        if pinned is not None:
            taken.take(referral, sitting_index, pinned)
    starts = {r: at for r, _ in booked if (at := problem.pinned_start[r]) is not None}
    for referral in order:
        sitting_index = sitting_of[referral]
        start = taken.first_free(referral, sitting_index)
        if start is None:
            return None
        taken.take(referral, sitting_index, start)
        starts[referral] = start
    return starts


def _no_overlap(
    model: cp_model.CpModel,
    movable: Sequence[cp_model.IntervalVar],
    taken: Sequence[tuple[int, int]],
) -> None:
    """Slots in ``movable`` overlap neither each other nor the (merged) ``taken`` minutes."""
    if not movable:
        return
    merged: list[list[int]] = []
    for first, last in sorted(taken):
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    fixed = [model.new_fixed_size_interval_var(a, b - a, "taken") for a, b in merged if b > a]
    if len(movable) + len(fixed) > 1:
        model.add_no_overlap([*movable, *fixed])


def linked_groups(
    problem: ProblemData, booked: Sequence[tuple[int, int]]
) -> list[list[tuple[int, int]]]:
    """The day's bookings split into groups that can be timed apart.

    Two sittings are linked when one person is booked at both and their windows overlap;
    sittings not linked, directly or through others, share no constraint, so each group is
    timed on its own (and a day that needs a search searches only the group that needs it).
    """
    parent = {s: s for _, s in booked}

    def root(sitting: int) -> int:
        while parent[sitting] != sitting:
            parent[sitting] = parent[parent[sitting]]
            sitting = parent[sitting]
        return sitting

    sittings_of: dict[str, set[int]] = defaultdict(set)
    for referral, sitting_index in booked:
        for person in problem.referrals[referral].people:
            sittings_of[person].add(sitting_index)
    for _person, sittings in sorted(sittings_of.items()):
        ordered = sorted(sittings)
        for first, second in itertools.combinations(ordered, 2):
            if problem.sittings[first].overlaps(problem.sittings[second]):
                parent[root(second)] = root(first)
    groups: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pair in sorted(booked):
        groups[root(pair[1])].append(pair)
    return [groups[key] for key in sorted(groups)]


def sequence_day(
    problem: ProblemData,
    day: date,
    booked: Sequence[tuple[int, int]],
    seed: int = 0,
    deterministic_seconds: float = 0.3,
    polish_seconds: float = POLISH_SECONDS,
    cache: dict[frozenset[tuple[int, int]], DayOutcome] | None = None,
) -> DayOutcome:
    """Give each ``(referral, sitting)`` booked on ``day`` a start time.

    Each group of :func:`linked_groups` is timed on its own by :func:`sequence_group`, and
    looked up in ``cache`` first when one is given (a group whose bookings did not change
    keeps its times).
    """
    starts: dict[int, int] = {}
    dropped: list[int] = []
    proven = True
    for group in linked_groups(problem, booked):
        key = frozenset(group)
        outcome = cache.get(key) if cache is not None else None
        if outcome is None:
            outcome = sequence_group(
                problem, day, group, seed, deterministic_seconds, polish_seconds
            )
            if cache is not None:
                cache[key] = outcome
        starts.update(outcome.starts)
        dropped.extend(outcome.dropped)
        proven = proven and outcome.proven
    return DayOutcome(starts, tuple(sorted(dropped)), proven)


def sequence_group(
    problem: ProblemData,
    day: date,
    booked: Sequence[tuple[int, int]],
    seed: int = 0,
    deterministic_seconds: float = 0.3,
    polish_seconds: float = POLISH_SECONDS,
) -> DayOutcome:
    """Give each ``(referral, sitting)`` booked on ``day`` a start time.

    Parameters
    ----------
    problem
        The planner's input.
    day
        The date.
    booked
        Referral and sitting indices chosen by stage 1 (pinned ones included).
    seed, deterministic_seconds
        Solver settings. Slot order only affects how tidy a day is (which bookings fit is
        settled first), so a short limit is enough: the search starts from the back-to-back
        order and keeps the best arrangement it finds.
    polish_seconds
        When every case fits in presenter order, the search time spent tidying further;
        0 (the default) keeps that schedule.

    Returns
    -------
    DayOutcome
        Starts for the bookings placed; ``dropped`` lists referrals that could not be fitted.
    """
    quick = _quick_day(problem, day, booked)
    if quick is not None:
        return DayOutcome(quick, (), proven=True)
    fitted = _list_schedule(problem, booked)
    if fitted is not None and polish_seconds <= 0:
        # Every case fits: tidiness is the last objective level, and the presenter-ordered
        # schedule is kept as it is rather than searched further.
        return DayOutcome(fitted, (), proven=False)
    slots = _variables(problem, booked)
    costs = _rules_and_costs(problem, day, booked, slots)
    for referral, at in (fitted or _back_to_back(problem, booked)).items():
        if problem.pinned_start[referral] is None:
            slots.model.add_hint(slots.starts[referral], at)
            if fitted is not None:
                slots.model.add_hint(slots.present[referral], 1)
    # Fit as many bookings as possible, which CP-SAT usually proves at once (every one fits).
    slots.model.maximize(sum(slots.present.values()))
    if fitted is None:
        fitted = _fit_most(problem, booked, slots, seed, deterministic_seconds)
        if fitted is None:
            # Nothing fitted at all: send every unpinned booking back to stage 1.
            unpinned = tuple(r for r, _ in booked if problem.pinned_start[r] is None)
            return DayOutcome({}, unpinned, proven=False)
        if polish_seconds <= 0:
            dropped = tuple(sorted(r for r in slots.starts if r not in fitted))
            return DayOutcome(fitted, dropped, proven=False)
    return _polish(problem, slots, costs, fitted, seed, polish_seconds)


@dataclass
class _Slots:
    """The day's model and its variables: each booking's start, end and whether it is
    placed, and per sitting and per person the slots still to place and the minutes taken."""

    model: cp_model.CpModel
    taken: Occupancy
    starts: dict[int, cp_model.IntVar] = field(default_factory=dict)
    ends: dict[int, cp_model.IntVar] = field(default_factory=dict)
    present: dict[int, cp_model.IntVar] = field(default_factory=dict)
    per_sitting: dict[int, list[cp_model.IntervalVar]] = field(
        default_factory=lambda: defaultdict(list)
    )
    per_person: dict[str, list[cp_model.IntervalVar]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_person_sitting: dict[tuple[str, int], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _variables(problem: ProblemData, booked: Sequence[tuple[int, int]]) -> _Slots:
    """A slot for each booking, inside its sitting's window (S3); a pinned one fixed.

    Taken minutes (pinned slots, breaks, part-day leave) may clash among themselves (two
    earlier bookings of one manager, say): they are kept as they are, so they are merged
    rather than made to exclude each other (see :func:`_no_overlap`).
    """
    model = cp_model.CpModel()
    slots = _Slots(model, Occupancy(problem))
    for referral, sitting_index in sorted(booked):
        sitting = problem.sittings[sitting_index]
        length = problem.slot_minutes[referral]
        open_, close = sitting.window_minutes
        pinned = problem.pinned_start[referral]
        if pinned is not None:
            start = model.new_constant(pinned)
            is_present: cp_model.IntVar = model.new_constant(1)
        else:
            start = model.new_int_var(open_, close - length, f"s{referral}")
            is_present = model.new_bool_var(f"p{referral}")
        end = model.new_int_var(open_ + length, close, f"e{referral}")
        interval = model.new_optional_interval_var(start, length, end, is_present, f"i{referral}")
        slots.starts[referral], slots.ends[referral] = start, end
        slots.present[referral] = is_present
        if pinned is not None:
            slots.taken.take(referral, sitting_index, pinned)
        else:
            slots.per_sitting[sitting_index].append(interval)
        for person in problem.referrals[referral].people:
            if pinned is None:
                slots.per_person[person].append(interval)
            slots.by_person_sitting[person, sitting_index].append(referral)
    return slots


def _rules_and_costs(
    problem: ProblemData, day: date, booked: Sequence[tuple[int, int]], slots: _Slots
) -> list[cp_model.LinearExprT]:
    """Every rule of the day's model, and the objective's terms, in one place.

    Rules: the sitting's window (in :func:`_variables`), slots of one sitting apart and clear
    of breaks (S3, :func:`_sitting_slots_apart`), a person in one place at a time and not
    while away (S5, :func:`_person_in_one_place`). Terms: each sitting packed from the start
    (:func:`_packing_cost`), each person's cases at a sitting together
    (:func:`_together_costs`). Built in this order: the order of a model's variables decides
    which of equally good timings CP-SAT finds, so it stays as it is.
    """
    costs: list[cp_model.LinearExprT] = []
    for sitting_index in sorted({s for _, s in booked}):
        costs.append(_packing_cost(problem, booked, slots, sitting_index))
        _sitting_slots_apart(slots, sitting_index)
    for person in sorted({p for r, _ in booked for p in problem.referrals[r].people}):
        _person_in_one_place(slots, person, day)
    costs.extend(_together_costs(problem, slots))
    return costs


def _sitting_slots_apart(slots: _Slots, sitting_index: int) -> None:
    """S3: slots of one sitting do not overlap each other, a pinned slot or a break."""
    taken = slots.taken.at_sitting(sitting_index).spans()
    _no_overlap(slots.model, slots.per_sitting[sitting_index], taken)


def _person_in_one_place(slots: _Slots, person: str, day: date) -> None:
    """S5: nobody is in two slots at once, nor booked while away for part of the day."""
    _no_overlap(slots.model, slots.per_person[person], slots.taken.by_person(person, day).spans())


def _packing_cost(
    problem: ProblemData, booked: Sequence[tuple[int, int]], slots: _Slots, sitting_index: int
) -> cp_model.LinearExprT:
    """Packing from the start: minutes from the window's opening to the sitting's last end."""
    model = slots.model
    open_, close = problem.sittings[sitting_index].window_minutes
    finish = model.new_int_var(open_, close, "")
    model.add_max_equality(finish, [slots.ends[r] for r, s in booked if s == sitting_index])
    return finish - open_


def _together_costs(problem: ProblemData, slots: _Slots) -> list[cp_model.LinearExprT]:
    """Idle minutes between one person's cases at one sitting, :data:`GAP_WEIGHT` each."""
    model = slots.model
    costs: list[cp_model.LinearExprT] = []
    for (_person, sitting_index), referrals in slots.by_person_sitting.items():
        if len(referrals) < 2:
            continue
        open_, close = problem.sittings[sitting_index].window_minutes
        first = model.new_int_var(open_, close, "")
        last = model.new_int_var(open_, close, "")
        model.add_min_equality(first, [slots.starts[r] for r in referrals])
        model.add_max_equality(last, [slots.ends[r] for r in referrals])
        busy = sum(problem.slot_minutes[r] for r in referrals)
        costs.append(GAP_WEIGHT * (last - first - busy))
    return costs


def _fit_most(
    problem: ProblemData,
    booked: Sequence[tuple[int, int]],
    slots: _Slots,
    seed: int,
    deterministic_seconds: float,
) -> dict[int, int] | None:
    """As many bookings as fit, each then moved as early as it can go; None if none fits."""
    solver = solver_for(deterministic_seconds, seed, workers=1)
    status = solver.solve(slots.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    found = {
        r: solver.value(slots.starts[r]) for r in slots.starts if solver.value(slots.present[r])
    }
    return _left_shift(problem, booked, found)


def _polish(
    problem: ProblemData,
    slots: _Slots,
    costs: list[cp_model.LinearExprT],
    fitted: dict[int, int],
    seed: int,
    polish_seconds: float,
) -> DayOutcome:
    """On request: with as many fitted, keep people's cases together and pack early."""
    model, starts, present = slots.model, slots.starts, slots.present
    model.add(sum(present.values()) >= len(fitted))
    model.minimize(sum(costs))
    _hint_starts(problem, model, starts, present, fitted)
    solver = solver_for(polish_seconds, seed, workers=1)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        dropped = tuple(sorted(r for r in starts if r not in fitted))
        return DayOutcome(fitted, dropped, proven=False)
    placed = {r: solver.value(starts[r]) for r in starts if solver.value(present[r])}
    dropped = tuple(sorted(r for r in starts if r not in placed))
    return DayOutcome(placed, dropped, proven=status == cp_model.OPTIMAL)


def _left_shift(
    problem: ProblemData, booked: Sequence[tuple[int, int]], found: dict[int, int]
) -> dict[int, int]:
    """``found`` with each case moved as early as it can go, in the order they start.

    Taken in order of start, every case's own start is still free when its turn comes (those
    before it end no later than they did), so the result fits whenever ``found`` does; cases
    that are not in ``found`` are left out.
    """
    kept = [(r, s) for r, s in booked if r in found]
    order = sorted(
        (r for r, _ in kept if problem.pinned_start[r] is None),
        key=lambda r: (found[r], problem.referrals[r].referral_id),
    )
    return _list_schedule_in(problem, kept, order) or found


def _hint_starts(
    problem: ProblemData,
    model: cp_model.CpModel,
    starts: dict[int, cp_model.IntVar],
    present: dict[int, cp_model.IntVar],
    fitted: dict[int, int],
) -> None:
    model.clear_hints()
    for referral, at in fitted.items():
        if problem.pinned_start[referral] is None:
            model.add_hint(starts[referral], at)
    for referral, flag in present.items():
        if problem.pinned_start[referral] is None:
            model.add_hint(flag, referral in fitted)
