"""Properties: the fast date readers agree with the full parsers; every plan the greedy
baseline writes keeps every rule but lateness, and its lateness findings are exactly its late
bookings."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority
from panelsched.core.referrals import Referral
from panelsched.errors import InputError
from panelsched.io.cells import Where, parse_date, parse_moment
from panelsched.io.records import _fast_date, _fast_moment
from panelsched.planner.greedy import book_greedily
from panelsched.planner.problem import build_problem
from panelsched.validator import LATENESS_RULES, check_plan

WHERE = Where("records.csv", 2, "date")


@given(
    st.integers(1890, 2210),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 61),
)
def test_fast_readers_agree_with_the_parsers(
    year: int, month: int, day: int, hour: int, minute: int
) -> None:
    for text in (
        f"{year:04d}-{month:02d}-{day:02d}",
        f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}",
    ):
        try:
            expected_moment = parse_moment(text, WHERE)
        except InputError:
            expected_moment = None
        quick_moment = _fast_moment(text)
        # The fast reader may decline (None) but never disagree.
        assert quick_moment is None or quick_moment == expected_moment
        if " " not in text:
            try:
                expected_day = parse_date(text, WHERE)
            except InputError:
                expected_day = None
            quick_day = _fast_date(text)
            assert quick_day is None or quick_day == expected_day


# Two panels sitting at overlapping times on Thursdays, one with a break and a longer complex
# slot, one that takes no late papers: the rules that interact are all in play.
AUTHORITY = Authority.model_validate(
    {
        "authority": "Testshire",
        "panels": [
            {
                "id": "crp",
                "name": "Resource Panel",
                "cadence": "FREQ=WEEKLY;BYDAY=TH",
                "time": "13:00-15:00",
                "slot_minutes": 15,
                "complex_slot_minutes": 20,
                "breaks": ["14:00-14:10"],
                "cutoff": "MO 13:00",
            },
            {
                "id": "care",
                "name": "Care Panel",
                "cadence": "FREQ=WEEKLY;BYDAY=TH",
                "time": "13:30-14:30",
                "slot_minutes": 20,
                "cutoff": "WE 17:00",
                "late_applications": False,
            },
        ],
    }
)
PEOPLE = [f"SW-{n:02d}" for n in range(4)] + [f"TM-{n:02d}" for n in range(2)]
START = datetime(2027, 3, 1, 8, 0)


@st.composite
def referrals(draw: st.DrawFn, index: int) -> Referral:
    submitted = START + timedelta(hours=draw(st.integers(0, 24 * 40)))
    review = draw(st.none() | st.integers(0, 70))
    return Referral(
        referral_id=f"C-{index:03d}",
        panel=draw(st.sampled_from(["crp", "care"])),
        submitted=submitted,
        social_worker=draw(st.sampled_from(PEOPLE[:4])),
        team_manager=draw(st.sampled_from(PEOPLE[4:])),
        complex=draw(st.booleans()),
        priority=draw(st.sampled_from(["routine", "urgent", "emergency"])),
        late_permission=draw(st.booleans()),
        cla_review=None if review is None else submitted.date() + timedelta(days=review),
    )


@st.composite
def leave(draw: st.DrawFn) -> Unavailability:
    person = draw(st.sampled_from(PEOPLE))
    day = START + timedelta(days=draw(st.integers(0, 60)))
    if draw(st.booleans()):
        return Unavailability(person, day, day + timedelta(days=draw(st.integers(0, 4))))
    begin = day.replace(hour=draw(st.integers(12, 14)), minute=draw(st.sampled_from([0, 30])))
    return Unavailability(person, begin, begin + timedelta(minutes=90), whole_days=False)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 25).flatmap(lambda n: st.tuples(*(referrals(i) for i in range(n)))),
    st.lists(leave(), max_size=6),
)
def test_greedy_plans_keep_every_rule_but_lateness(
    drawn: tuple[Referral, ...], away: list[Unavailability]
) -> None:
    problem = build_problem(AUTHORITY, drawn, away, (), date(2027, 3, 1), date(2027, 5, 31))
    plan = book_greedily(problem)
    findings = check_plan(problem, plan)
    assert [f for f in findings if f.rule not in LATENESS_RULES] == []
    index, at = problem.referral_index(), problem.sitting_index()
    late = {
        b.referral_id
        for b in plan.bookings
        if problem.is_late(index[b.referral_id], at[b.sitting_id])
    }
    assert {f.referral_id for f in findings if f.rule in LATENESS_RULES} == late
