"""Stage 2 over a whole plan: slot times day by day, the bookings sent back, and the plan.

Each day is timed by :func:`.sequencing.sequence_day`; a booking that fits no slot is sent
back to stage 1 with its sitting closed to it. When the rounds run out, what is left is booked
into any free slot (:func:`repair`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from panelsched.core.plan import Booking, Plan
from panelsched.core.timeslots import minute_to_time
from panelsched.planner.cpsat.sequencing import DayOutcome, sequence_day
from panelsched.planner.occupancy import Occupancy
from panelsched.planner.preferred import Told, hold_told_times
from panelsched.planner.problem import ProblemData

# A group of sittings whose bookings did not change since the last round keeps its times.
DayCache = dict[frozenset[tuple[int, int]], DayOutcome]


def time_slots(
    problem: ProblemData,
    chosen: Mapping[int, int],
    told: Mapping[int, Told],
    seed: int,
    cache: DayCache,
    held_cache: DayCache,
) -> tuple[dict[int, int], list[int]]:
    """Stage 2 for every day: slot starts, and the bookings that did not fit.

    With told bookings, each day is timed first with the told starts of those kept at their
    sitting held (:func:`hold_told_times`); a day where that leaves a booking out is timed
    again freely, and that timing is kept only if it fits more. A day's told starts depend
    only on its bookings, so each cache stays true from round to round.
    """
    held = hold_told_times(problem, chosen, told)
    per_day: dict[date, list[tuple[int, int]]] = defaultdict(list)
    for referral, sitting in chosen.items():
        per_day[problem.sittings[sitting].date].append((referral, sitting))
    times: dict[int, int] = {}
    dropped: list[int] = []
    for day in sorted(per_day):
        booked = per_day[day]
        fitted = sequence_day(
            held, day, booked, seed=seed, cache=held_cache if held is not problem else cache
        )
        if fitted.dropped and held is not problem:
            free = sequence_day(problem, day, booked, seed=seed, cache=cache)
            if len(free.dropped) < len(fitted.dropped):
                fitted = free
        times.update(fitted.starts)
        dropped.extend(fitted.dropped)
    return times, dropped


def repair(problem: ProblemData, chosen: dict[int, int], times: dict[int, int]) -> None:
    """Book what is left unplaced into any free slot, first come first served.

    Used only when the rounds run out with bookings that did not fit a slot.
    """
    taken = Occupancy(problem)
    for referral, start in times.items():
        taken.take(referral, chosen[referral], start)
    waiting = sorted(
        (r for r in range(len(problem.referrals)) if r not in times),
        key=lambda r: (problem.referrals[r].submitted, problem.referrals[r].referral_id),
    )
    for referral in waiting:
        chosen.pop(referral, None)
        for sitting in problem.candidates[referral]:
            free = taken.first_free(referral, sitting)
            if free is not None:
                chosen[referral], times[referral] = sitting, free
                taken.take(referral, sitting, free)
                break


def plan_of(problem: ProblemData, chosen: dict[int, int], times: dict[int, int]) -> Plan:
    """The plan of a sitting and a slot start for each referral; the others unplaced."""
    bookings = []
    unplaced = []
    for referral, item in enumerate(problem.referrals):
        sitting_index = chosen.get(referral)
        if sitting_index is None or referral not in times:
            unplaced.append(item.referral_id)
            continue
        sitting = problem.sittings[sitting_index]
        start = times[referral]
        bookings.append(
            Booking(
                date=sitting.date,
                start=minute_to_time(start),
                panel=sitting.panel,
                end=minute_to_time(start + problem.slot_minutes[referral]),
                referral_id=item.referral_id,
                pinned=problem.pinned_start[referral] is not None,
            )
        )
    return Plan.of(bookings, unplaced)


__all__ = ["DayCache", "plan_of", "repair", "time_slots"]
