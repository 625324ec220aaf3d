"""The advice on tiny years, each answer worked out by hand.

``crp`` of :data:`tests.helpers.builders.PANELS` sits on Thursdays 7, 14, 21 and 28 January
2027, 13:00-14:00: four 15-minute slots a sitting, cut-off the Monday before at 13:00 (a sitting
on another day closes the Monday before it too). Every referral here is submitted on Monday 4
January at 09:00, before the cut-off for Thursday 7 January. Default costs: an extra sitting 4,
a window 30 minutes longer 0.5, 60 minutes longer 1.
"""

from __future__ import annotations

from datetime import date, datetime

from panelsched.advice import AdviceSettings, advise, parse_target, with_changes
from panelsched.core.availability import Unavailability
from panelsched.planner import solve
from panelsched.planner.metrics import lateness
from panelsched.planner.problem import build_problem
from panelsched.validator import LATENESS_RULES, check_plan
from tests.helpers.builders import PANELS, authority, referral

JAN5, JAN6, JAN7, JAN14 = (date(2027, 1, d) for d in (5, 6, 7, 14))
END = date(2027, 1, 31)
LATE0 = parse_target("late=0")


def confirm(model, cases, chosen):  # type: ignore[no-untyped-def]
    """Re-plan with the changes and re-check the plan with the validator: only lateness."""
    problem = build_problem(with_changes(model, chosen), cases, (), (), None, END)
    result = solve(problem)
    findings = check_plan(problem, result.plan)
    assert [f for f in findings if f.rule not in LATENESS_RULES] == []
    assert sorted(f.referral_id for f in findings if f.rule in LATENESS_RULES) == sorted(
        lateness(problem, result.plan)
    )
    return result


def test_one_extra_sitting_clears_every_late_case_and_is_the_one_chosen() -> None:
    # Five cases due Thursday 7 January, three with no due date. The 7 January sitting holds
    # four, so one is late. Windows may not run past 14:00 (no extension), and extra
    # sittings only on Wednesdays: 6, 13, 20, 27 January. Only 6 January is before the due
    # date (its cut-off is Monday 4 January 13:00, which they met), so the advice is exactly
    # that sitting, cost 4, and re-planned nobody is late.
    model = authority("crp")
    cases = [referral(f"R{i}", deadline=JAN7) for i in range(5)]
    cases += [referral(f"U{i}") for i in range(3)]
    settings = AdviceSettings.model_validate({"extra_weekdays": ["WE"], "latest_end": "14:00"})
    advice = advise(model, cases, LATE0, settings=settings, end=END)
    assert advice.candidates == 4
    assert [(c.kind, c.date) for c in advice.chosen] == [("extra", JAN6)]
    assert (advice.cost, advice.bound, advice.reachable, advice.confirmed) == (4.0, 4.0, True, True)
    assert (advice.today.late, advice.after.late) == (1, 0)
    assert [s.figures.late for s in advice.steps] == [0]
    assert confirm(model, cases, advice.chosen).late == 0


def test_two_longer_windows_are_cheaper_than_one_extra_sitting() -> None:
    # Eleven cases due Thursday 14 January: the 7 and 14 January sittings hold eight, three
    # are late. Windows may run to 14:30 at the latest, so each sitting can gain 30 minutes
    # (two slots) at 0.5. One extra sitting (four slots, cost 4) or both windows 30 minutes
    # longer (four slots, cost 1): the advice is the two extensions, cost 1.
    model = authority("crp")
    cases = [referral(f"R{i:02d}", deadline=JAN14) for i in range(11)]
    settings = AdviceSettings.model_validate({"latest_end": "14:30"})
    advice = advise(model, cases, LATE0, settings=settings, end=END)
    assert [(c.kind, c.date, c.minutes) for c in advice.chosen] == [
        ("extend", JAN7, 30),
        ("extend", JAN14, 30),
    ]
    assert (advice.cost, advice.confirmed) == (1.0, True)
    assert (advice.today.late, advice.after.late) == (3, 0)
    # Added in date order: 7 January's two slots save two late cases, 14 January's the third.
    assert [s.figures.late for s in advice.steps] == [1, 0]
    assert confirm(model, cases, advice.chosen).late == 0


def test_an_unreachable_target_is_said_so_with_the_best_reachable_figure() -> None:
    # Five cases due 7 January (one more than its four slots) and L1, submitted Tuesday 5
    # January, after the cut-off for 7 January (Monday 4 January 13:00) and for any extra
    # sitting before it (also Monday 4 January), without late permission: L1 is late whatever
    # is added. late=0 cannot be reached; the best reachable is 1 late, by the cheapest change
    # that gives 7 January a fifth slot: 30 minutes longer, cost 0.5.
    model = authority("crp")
    cases = [referral(f"R{i}", deadline=JAN7) for i in range(5)]
    cases.append(referral("L1", submitted=datetime(2027, 1, 5, 9), deadline=JAN7))
    advice = advise(model, cases, LATE0, end=END)
    assert (advice.reachable, advice.floor, advice.aimed) == (False, 1, 1)
    assert [(c.kind, c.date, c.minutes) for c in advice.chosen] == [("extend", JAN7, 30)]
    assert (advice.today.late, advice.after.late, advice.confirmed) == (2, 1, True)
    assert confirm(model, cases, advice.chosen).late == 1


def test_a_wait_ceiling_is_met_by_the_cheapest_capacity_within_it() -> None:
    # Nine cases with no due date and a ceiling of 7 days: only the 7 January sitting (3 days
    # after submission) is within it, and it holds four; five wait longer. An extra sitting on
    # Tuesday 5, Wednesday 6, Friday 8 or Monday 11 January (7 days; each closes on Monday 4
    # January 13:00) holds four more (cost 4), 30 minutes more on 7 January
    # two more (0.5), 60 minutes four more (1), windows running to 15:00 at the latest. Five
    # more slots: an extra sitting and 30 minutes (4.5) beat 60 minutes and an extra sitting
    # (5) and two extra sittings (8); extensions alone give four at most.
    model = authority("crp")
    cases = [referral(f"R{i}") for i in range(9)]
    settings = AdviceSettings.model_validate({"latest_end": "15:00"})
    advice = advise(model, cases, parse_target("max-wait=7"), settings=settings, end=END)
    kinds = sorted((c.kind, c.minutes) for c in advice.chosen)
    assert kinds == [("extend", 30), ("extra", 60)]
    extra = {c.date for c in advice.chosen if c.kind == "extra"}
    assert len(extra) == 1 and extra <= {JAN5, JAN6, date(2027, 1, 8), date(2027, 1, 11)}
    assert (advice.cost, advice.today.misses, advice.after.misses) == (4.5, 5, 0)


def test_the_same_input_gives_the_same_advice() -> None:
    model = authority("crp")
    cases = [referral(f"R{i:02d}", deadline=JAN14) for i in range(11)]
    first = advise(model, cases, LATE0, end=END)
    again = advise(model, cases, LATE0, end=END)
    assert (first.chosen, first.steps, first.slot_values) == (
        again.chosen,
        again.steps,
        again.slot_values,
    )


def test_an_extra_sitting_without_its_chair_is_not_offered() -> None:
    # As the first case, but the chair and vice-chair are on leave on Wednesday 6 January,
    # the one extra sitting in time: it cannot be quorate, so nothing added helps and the
    # one late case stays late (the floor).
    members = [{"id": "CH-01", "role": "chair"}, {"id": "VC-01", "role": "vice-chair"}]
    model = authority(PANELS["crp"] | {"members": members, "quorum": {"members": 0}})
    cases = [referral(f"R{i}", deadline=JAN7) for i in range(5)]
    leave = [
        Unavailability(who, datetime(2027, 1, 6), datetime(2027, 1, 6))
        for who in ("CH-01", "VC-01")
    ]
    settings = AdviceSettings.model_validate({"extra_weekdays": ["WE"], "latest_end": "14:00"})
    advice = advise(model, cases, LATE0, leave, settings=settings, end=END)
    assert (advice.reachable, advice.floor, advice.chosen) == (False, 1, ())
    assert advice.after.late == 1
