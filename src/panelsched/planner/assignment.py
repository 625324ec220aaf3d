"""Stage 1: which sitting each referral goes to.

One function per rule, listed in :data:`RULES`; each adds its constraints to the shared
:class:`AssignmentModel`. The objective levels are in :data:`LEVELS`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from panelsched.problem import ProblemData


@dataclass
class AssignmentModel:
    """The CP-SAT model of stage 1 and its variables.

    Attributes
    ----------
    options
        For each referral in this model (one panel's, as panels share no sittings), the
        sitting indices it may take in this round: a subset of its candidates (see
        :func:`panelsched.planner.solve.solve` for how the subset grows).
    choose
        ``choose[r, s]`` is true when referral ``r`` is booked at sitting ``s``.
    pinned
        Referral index to sitting index, for pinned bookings (not variables).
    """

    problem: ProblemData
    options: Mapping[int, Sequence[int]]
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    choose: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    pinned: dict[int, int] = field(default_factory=dict)

    def by_sitting(self) -> Mapping[int, list[tuple[int, cp_model.IntVar]]]:
        """For each sitting, the (referral, variable) pairs that could be booked there."""
        grouped: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for (referral, sitting), var in self.choose.items():
            grouped[sitting].append((referral, var))
        return grouped


def one_sitting_at_most(am: AssignmentModel) -> None:
    """S1, S2, S8: a referral is booked once at most, only at a sitting open to it."""
    problem = am.problem
    for referral, options in sorted(am.options.items()):
        if problem.pinned_start[referral] is not None:
            am.pinned[referral] = problem.candidates[referral][0]
            continue
        for sitting in options:
            am.choose[referral, sitting] = am.model.new_bool_var(f"x{referral}_{sitting}")
        if options:
            am.model.add_at_most_one(am.choose[referral, s] for s in options)


def sitting_minutes(am: AssignmentModel) -> None:
    """S3, S4: the slots booked at a sitting fit in its minutes (window less breaks)."""
    problem = am.problem
    used: dict[int, int] = defaultdict(int)
    for referral, sitting in am.pinned.items():
        used[sitting] += problem.slot_minutes[referral]
    for sitting, pairs in am.by_sitting().items():
        room = problem.sittings[sitting].capacity_minutes - used[sitting]
        am.model.add(sum(problem.slot_minutes[r] * var for r, var in pairs) <= max(0, room))


def one_place_at_a_time(am: AssignmentModel) -> None:
    """S5: a person's slots at sittings that overlap in time fit in the time they span.

    Stage 2 checks each person's slots exactly; this is the part of that rule stage 1 can see,
    so that few bookings are sent back.
    """
    problem = am.problem
    minutes: dict[tuple[str, date], dict[int, list[tuple[int, cp_model.IntVar]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for (referral, sitting), var in am.choose.items():
        day = problem.sittings[sitting].date
        for person in problem.referrals[referral].people:
            minutes[person, day][sitting].append((referral, var))
    for (_person, _day), per_sitting in minutes.items():
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
            am.model.add(
                sum(problem.slot_minutes[r] * var for s in group for r, var in per_sitting[s])
                <= end - start
            )


Rule = Callable[[AssignmentModel], None]

# The rules of stage 1, in the order they are added. Adding a rule is one function and one line.
RULES: tuple[Rule, ...] = (one_sitting_at_most, sitting_minutes, one_place_at_a_time)


def days_late(problem: ProblemData, referral: int, sitting: int) -> int:
    """Days a booking at ``sitting`` falls after the referral's due date (0 when in time)."""
    due = problem.due[referral]
    return max(0, (problem.sittings[sitting].date - due).days) if due is not None else 0


@dataclass(frozen=True)
class PlacementTerms:
    """The parts of levels 1 and 2: referrals placed, late bookings and their days late."""

    placed: cp_model.LinearExpr
    late: cp_model.LinearExpr
    days_late: cp_model.LinearExpr
    per_unplaced: int
    per_late: int
    free: int


def placement_terms(am: AssignmentModel) -> PlacementTerms:
    """Levels 1 and 2 term by term, with weights that keep their order (see below)."""
    problem = am.problem
    lateness = {key: days_late(problem, *key) for key in am.choose}
    most_days: dict[int, int] = defaultdict(int)
    for (r, _), days in lateness.items():
        most_days[r] = max(most_days[r], days)
    per_late = 1 + sum(most_days.values())
    late_keys = [key for key, days in lateness.items() if days]
    return PlacementTerms(
        placed=sum(am.choose.values()),
        late=sum(am.choose[key] for key in late_keys),
        days_late=sum(lateness[key] * am.choose[key] for key in late_keys),
        per_unplaced=(len(am.options) + 1) * per_late,
        per_late=per_late,
        free=len(am.options) - len(am.pinned),
    )


def placement_level(am: AssignmentModel) -> cp_model.LinearExpr:
    """Levels 1 and 2 as one number to minimise: unplaced, then late, then days late.

    Each term's weight exceeds the largest possible total of the terms after it, so fewer
    unplaced always wins; among equals, fewer late cases; among equals, a late case is heard
    as soon after its due date as it can be.
    """
    terms = placement_terms(am)
    return (
        terms.per_unplaced * (terms.free - terms.placed)
        + terms.per_late * terms.late
        + terms.days_late
    )


def hold_placement(am: AssignmentModel, placed: int, late: int, days: int) -> None:
    """Keep levels 1 and 2 at the values found, as three small constraints.

    Equivalent to bounding :func:`placement_level` by its optimum, but without its large
    weights, which would weaken CP-SAT's linear relaxation for level 3.
    """
    terms = placement_terms(am)
    am.model.add(terms.placed >= placed)
    am.model.add(terms.late <= late)
    am.model.add(terms.days_late <= days)


def waiting_level(am: AssignmentModel) -> cp_model.LinearExpr:
    """Level 3: waiting days from submission to sitting, urgent cases three times."""
    problem = am.problem
    return sum(
        problem.referrals[r].weight * problem.wait_days(r, s) * var
        for (r, s), var in am.choose.items()
    )


LEVELS: tuple[Callable[[AssignmentModel], cp_model.LinearExpr], ...] = (
    placement_level,
    waiting_level,
)


def build(problem: ProblemData, options: Mapping[int, Sequence[int]]) -> AssignmentModel:
    """The stage 1 model with every rule in :data:`RULES` added."""
    am = AssignmentModel(problem, options)
    for rule in RULES:
        rule(am)
    return am
