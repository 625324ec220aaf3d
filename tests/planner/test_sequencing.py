"""Stage 2 (planner/sequencing.py): slot times for one day's bookings.

Calendar as in conftest: crp sits Thursday 7 Jan 13:00-14:00 (15-minute slots), lpp the same
day 13:30-14:30, brk Wednesday 6 Jan 10:00-11:10 with a 10:30-10:40 break (20-minute slots).
"""

from __future__ import annotations

import itertools
from datetime import date

from panelsched.planner.cpsat.sequencing import sequence_day
from panelsched.planner.problem import ProblemData

JAN6, JAN7 = date(2027, 1, 6), date(2027, 1, 7)


def on_day(problem: ProblemData, day: date, *ids: str) -> list[tuple[int, int]]:
    """``(referral, sitting)`` for each id, at its panel's sitting on ``day``."""
    index = problem.referral_index()
    pairs = []
    for rid in ids or [r.referral_id for r in problem.referrals]:
        r = index[rid]
        [s] = [
            i
            for i, sitting in enumerate(problem.sittings)
            if sitting.date == day and sitting.panel == problem.referrals[r].panel
        ]
        pairs.append((r, s))
    return pairs


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def times(problem: ProblemData, starts: dict[int, int]) -> dict[str, str]:
    return {problem.referrals[r].referral_id: clock(m) for r, m in starts.items()}


def no_overlaps(problem: ProblemData, booked, starts: dict[int, int]) -> bool:
    """No two slots overlap in one sitting, nor for one person."""
    sitting_of = dict(booked)
    spans = {r: (m, m + problem.slot_minutes[r]) for r, m in starts.items()}
    for a, b in itertools.combinations(spans, 2):
        shared = sitting_of[a] == sitting_of[b] or set(problem.referrals[a].people) & set(
            problem.referrals[b].people
        )
        if shared and spans[a][0] < spans[b][1] and spans[b][0] < spans[a][1]:
            return False
    return True


def test_one_sitting_is_laid_back_to_back_grouped_by_manager(problem_of, referral):
    # R1 and R3 share TM-A, R2 has TM-B: TM-A's two cases first, together, from 13:00.
    problem = problem_of(
        referral("R1", team_manager="TM-A"),
        referral("R2", team_manager="TM-B"),
        referral("R3", team_manager="TM-A"),
    )
    outcome = sequence_day(problem, JAN7, on_day(problem, JAN7))
    assert times(problem, outcome.starts) == {"R1": "13:00", "R3": "13:15", "R2": "13:30"}
    assert (outcome.dropped, outcome.proven) == ((), True)


def test_a_persons_cases_stay_together_around_a_pinned_slot(problem_of, referral, pin):
    # P1 is pinned at 13:15, leaving 13:00, 13:30 and 13:45. TM-X's C1 and C2 can only be
    # consecutive at 13:30 and 13:45, so C3 takes 13:00.
    problem = problem_of(
        referral("P1"),
        referral("C1", team_manager="TM-X"),
        referral("C2", team_manager="TM-X"),
        referral("C3"),
        pinned=[pin("P1", JAN7, "13:15")],
    )
    outcome = sequence_day(problem, JAN7, on_day(problem, JAN7))
    found = times(problem, outcome.starts)
    assert found["P1"] == "13:15"
    assert sorted([found["C1"], found["C2"]]) == ["13:30", "13:45"]
    assert found["C3"] == "13:00"
    assert outcome.dropped == ()


def test_slots_are_packed_from_the_start_of_each_window(problem_of, referral):
    # TM-X presents C1 at crp and L1 at lpp: C1 13:00-13:15, L1 at lpp's opening, 13:30.
    problem = problem_of(
        referral("C1", team_manager="TM-X"),
        referral("L1", panel="lpp", team_manager="TM-X"),
        panels=("crp", "lpp"),
    )
    outcome = sequence_day(problem, JAN7, on_day(problem, JAN7))
    assert times(problem, outcome.starts) == {"C1": "13:00", "L1": "13:30"}


def test_a_manager_in_two_overlapping_sittings_is_never_in_two_slots_at_once(problem_of, referral):
    # TM-X fills crp 13:00-14:00 with C1-C4, so L1 at lpp starts at 14:00.
    problem = problem_of(
        *(referral(f"C{i}", team_manager="TM-X") for i in range(1, 5)),
        referral("L1", panel="lpp", team_manager="TM-X"),
        panels=("crp", "lpp"),
    )
    booked = on_day(problem, JAN7)
    outcome = sequence_day(problem, JAN7, booked)
    assert times(problem, outcome.starts)["L1"] == "14:00"
    assert outcome.dropped == ()
    assert no_overlaps(problem, booked, outcome.starts)


def test_what_a_person_cannot_fit_is_dropped(problem_of, referral):
    # TM-X has four cases at crp and four at lpp on 7 Jan: 13:00-14:30 holds six of them.
    problem = problem_of(
        *(referral(f"C{i}", team_manager="TM-X") for i in range(1, 5)),
        *(referral(f"L{i}", panel="lpp", team_manager="TM-X") for i in range(1, 5)),
        panels=("crp", "lpp"),
    )
    booked = on_day(problem, JAN7)
    outcome = sequence_day(problem, JAN7, booked)
    assert (len(outcome.starts), len(outcome.dropped)) == (6, 2)
    assert set(outcome.starts) | set(outcome.dropped) == {r for r, _ in booked}
    assert no_overlaps(problem, booked, outcome.starts)


def test_no_slot_runs_across_a_break(problem_of, referral):
    # 10:00-10:30 and 10:40-11:10 each hold one 20-minute slot: two fit, one is dropped.
    problem = problem_of(*(referral(f"B{i}", panel="brk") for i in range(1, 4)), panels=("brk",))
    outcome = sequence_day(problem, JAN6, on_day(problem, JAN6))
    assert sorted(times(problem, outcome.starts).values()) == ["10:00", "10:40"]
    assert len(outcome.dropped) == 1


def test_part_day_leave_keeps_the_slot_out_of_that_time(problem_of, referral, away_part):
    # SW-R1 is in training 13:00-13:30: R1 at 13:30, R2 and R3 before it.
    problem = problem_of(
        *(referral(f"R{i}") for i in range(1, 4)),
        unavailable=[away_part("SW-R1", JAN7, "13:00", "13:30")],
    )
    outcome = sequence_day(problem, JAN7, on_day(problem, JAN7))
    found = times(problem, outcome.starts)
    assert found["R1"] == "13:30"
    assert sorted([found["R2"], found["R3"]]) == ["13:00", "13:15"]


def test_pinned_slots_that_clash_keep_their_times_and_the_rest_still_fits(
    problem_of, referral, pin
):
    # TM-X was booked at 13:30 at both crp (P1) and lpp (P2) before this plan. The pins stay
    # where they are (the validator warns); R1 still fits at crp before P1, at 13:00 or
    # 13:15 (either way crp ends at 13:45, when P1 does).
    problem = problem_of(
        referral("P1", team_manager="TM-X"),
        referral("P2", panel="lpp", team_manager="TM-X"),
        referral("R1"),
        panels=("crp", "lpp"),
        pinned=[pin("P1", JAN7, "13:30"), pin("P2", JAN7, "13:30")],
    )
    outcome = sequence_day(problem, JAN7, on_day(problem, JAN7))
    found = times(problem, outcome.starts)
    assert (found.get("P1"), found.get("P2")) == ("13:30", "13:30")
    assert found.get("R1") in ("13:00", "13:15")
    assert outcome.dropped == ()
