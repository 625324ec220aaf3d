"""Working days: weekends and UK bank holidays, pinned to the hard dates of 2026-2028.

Every expected date below was read off a calendar by hand: the day of the week is in each
comment so a wrong date shows.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from panelsched.core.workdays import SUBDIVISIONS, WorkingCalendar, working_calendar

ENG = working_calendar("ENG")

# English bank holidays, 2026-2028 (gov.uk/bank-holidays), with the names the holidays
# package gives them. Substitute days: a holiday on a Saturday or Sunday moves to the next
# weekday that is not already a holiday.
ENG_HOLIDAYS_2026_2028 = [
    # 2026
    (date(2026, 1, 1), "New Year's Day"),  # Thursday
    (date(2026, 4, 3), "Good Friday"),  # Easter Sunday is 5 April 2026
    (date(2026, 4, 6), "Easter Monday"),
    (date(2026, 5, 4), "May Day"),  # first Monday of May
    (date(2026, 5, 25), "Spring Bank Holiday"),  # last Monday of May
    (date(2026, 8, 31), "Late Summer Bank Holiday"),  # last Monday of August
    (date(2026, 12, 25), "Christmas Day"),  # Friday
    (date(2026, 12, 26), "Boxing Day"),  # Saturday...
    (date(2026, 12, 28), "Boxing Day (observed)"),  # ...so Monday 28 December is the day off
    # 2027
    (date(2027, 1, 1), "New Year's Day"),  # Friday
    (date(2027, 3, 26), "Good Friday"),  # Easter Sunday is 28 March 2027
    (date(2027, 3, 29), "Easter Monday"),
    (date(2027, 5, 3), "May Day"),
    (date(2027, 5, 31), "Spring Bank Holiday"),  # last Monday of May
    (date(2027, 8, 30), "Late Summer Bank Holiday"),  # last Monday of August
    (date(2027, 12, 25), "Christmas Day"),  # Saturday -> Monday 27
    (date(2027, 12, 26), "Boxing Day"),  # Sunday -> Tuesday 28 (Monday is taken)
    (date(2027, 12, 27), "Christmas Day (observed)"),
    (date(2027, 12, 28), "Boxing Day (observed)"),
    # 2028
    (date(2028, 1, 1), "New Year's Day"),  # Saturday -> Monday 3 January
    (date(2028, 1, 3), "New Year's Day (observed)"),
    (date(2028, 4, 14), "Good Friday"),  # Easter Sunday is 16 April 2028
    (date(2028, 4, 17), "Easter Monday"),
    (date(2028, 5, 1), "May Day"),
    (date(2028, 5, 29), "Spring Bank Holiday"),  # last Monday of May
    (date(2028, 8, 28), "Late Summer Bank Holiday"),  # last Monday of August
    (date(2028, 12, 25), "Christmas Day"),  # Monday
    (date(2028, 12, 26), "Boxing Day"),  # Tuesday
]


@pytest.mark.parametrize(("day", "name"), ENG_HOLIDAYS_2026_2028, ids=str)
def test_english_bank_holidays_2026_2028(day: date, name: str) -> None:
    assert ENG.holiday_name(day) == name
    assert not ENG.is_working_day(day)
    assert ENG.why_not_working(day) == name


def test_english_bank_holidays_are_exactly_these() -> None:
    # Every weekday of 2026-2028 that is not a working day must be in the list above, so a
    # holiday the list forgot (or the package invented) fails here.
    listed = {day for day, _ in ENG_HOLIDAYS_2026_2028}
    day, found = date(2026, 1, 1), set()
    while day <= date(2028, 12, 31):
        if day.weekday() < 5 and not ENG.is_working_day(day):
            found.add(day)
        day += timedelta(days=1)
    # The listed weekend dates (Boxing Day 2026, Christmas and Boxing Day 2027, New Year 2028)
    # are holidays on weekends, which the loop does not visit.
    assert found == {d for d in listed if d.weekday() < 5}


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 24), True),  # Thursday, Christmas Eve is not a bank holiday
        (date(2026, 12, 29), True),  # Tuesday after Boxing Day (observed)
        (date(2027, 3, 25), True),  # Maundy Thursday
        (date(2027, 3, 30), True),  # Tuesday after Easter Monday
        (date(2027, 12, 24), True),  # Friday
        (date(2027, 12, 29), True),  # Wednesday, first working day after Christmas 2027
        (date(2027, 12, 31), True),  # Friday, New Year's Eve
        (date(2028, 1, 4), True),  # Tuesday after New Year's Day (observed)
        (date(2027, 1, 2), False),  # Saturday
        (date(2027, 1, 3), False),  # Sunday
    ],
    ids=str,
)
def test_days_around_the_holidays(day: date, working: bool) -> None:
    assert ENG.is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2027, 1, 2), "Saturday"),
        (date(2027, 1, 3), "Sunday"),
        (date(2027, 3, 26), "Good Friday"),
        # A holiday on a weekend reports the holiday, not the weekday.
        (date(2027, 12, 25), "Christmas Day"),
        (date(2027, 1, 4), None),  # an ordinary Monday
    ],
    ids=str,
)
def test_why_not_working(day: date, reason: str | None) -> None:
    assert ENG.why_not_working(day) == reason


@pytest.mark.parametrize(
    ("subdivision", "day", "working"),
    [
        # 2 January is a Scottish bank holiday; Friday 2 January 2026 is a working day in England.
        ("SCT", date(2026, 1, 2), False),
        ("ENG", date(2026, 1, 2), True),
        # Easter Monday (6 April 2026) is a bank holiday in England and Wales, not in Scotland.
        ("ENG", date(2026, 4, 6), False),
        ("WLS", date(2026, 4, 6), False),
        ("SCT", date(2026, 4, 6), True),
        # Scotland's summer bank holiday is the first Monday of August (3 August 2026)...
        ("SCT", date(2026, 8, 3), False),
        ("ENG", date(2026, 8, 3), True),
        # ...and England's the last (31 August 2026).
        ("ENG", date(2026, 8, 31), False),
        ("SCT", date(2026, 8, 31), True),
        # St Patrick's Day, Wednesday 17 March 2027, only in Northern Ireland.
        ("NIR", date(2027, 3, 17), False),
        ("ENG", date(2027, 3, 17), True),
    ],
)
def test_the_subdivision_matters(subdivision: str, day: date, working: bool) -> None:
    assert WorkingCalendar(subdivision).is_working_day(day) is working


def test_unknown_subdivision_is_refused() -> None:
    with pytest.raises(ValueError, match=r"unknown subdivision 'GB'; expected one of"):
        WorkingCalendar("GB")


def test_shared_calendar_is_cached_per_subdivision() -> None:
    assert working_calendar("ENG") is working_calendar("ENG")
    assert working_calendar("SCT").subdivision == "SCT"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Thu 24 Dec 2026 -> Fri 25 (Christmas), Sat 26, Sun 27, Mon 28 (Boxing Day observed)
        # -> Tue 29 Dec 2026.
        (date(2026, 12, 24), date(2026, 12, 29)),
        # Fri 24 Dec 2027 -> Sat, Sun, Mon 27 and Tue 28 (both observed) -> Wed 29 Dec 2027.
        (date(2027, 12, 24), date(2027, 12, 29)),
        # Thu 25 Mar 2027 -> Good Friday, weekend, Easter Monday -> Tue 30 Mar 2027.
        (date(2027, 3, 25), date(2027, 3, 30)),
        # Fri 31 Dec 2027 -> Sat 1 Jan, Sun 2, Mon 3 (observed) -> Tue 4 Jan 2028.
        (date(2027, 12, 31), date(2028, 1, 4)),
        # An ordinary Monday -> Tuesday: never the day itself.
        (date(2027, 2, 1), date(2027, 2, 2)),
    ],
    ids=str,
)
def test_next_working_day(day: date, expected: date) -> None:
    assert ENG.next_working_day(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Tue 4 Jan 2028 -> Mon 3 (observed), Sun 2, Sat 1 -> Fri 31 Dec 2027.
        (date(2028, 1, 4), date(2027, 12, 31)),
        # Tue 30 Mar 2027 -> Easter Monday, weekend, Good Friday -> Thu 25 Mar 2027.
        (date(2027, 3, 30), date(2027, 3, 25)),
        # Tue 1 Jun 2027 -> Mon 31 May (Spring Bank Holiday), weekend -> Fri 28 May 2027.
        (date(2027, 6, 1), date(2027, 5, 28)),
        # An ordinary Tuesday -> Monday: never the day itself.
        (date(2027, 2, 2), date(2027, 2, 1)),
    ],
    ids=str,
)
def test_previous_working_day(day: date, expected: date) -> None:
    assert ENG.previous_working_day(day) == expected


def test_on_or_before_keeps_a_working_day() -> None:
    # Wed 29 Dec 2027 is a working day: itself.
    assert ENG.on_or_before(date(2027, 12, 29)) == date(2027, 12, 29)
    # Tue 28 Dec 2027 (Boxing Day observed) -> Mon 27 (observed), Sun, Sat -> Fri 24 Dec.
    assert ENG.on_or_before(date(2027, 12, 28)) == date(2027, 12, 24)


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        # Thu 1 Apr 2027, 3 working days back: Wed 31 (1), Tue 30 (2), then Easter Monday,
        # weekend and Good Friday are passed over -> Thu 25 Mar 2027 (3).
        (date(2027, 4, 1), 3, date(2027, 3, 25)),
        # Wed 29 Dec 2027, 2 back: Fri 24 Dec (1), Thu 23 Dec (2).
        (date(2027, 12, 29), 2, date(2027, 12, 23)),
        # Counting from a non-working day: Sat 2 Jan 2027, 1 back -> Thu 31 Dec 2026
        # (Fri 1 Jan is New Year's Day).
        (date(2027, 1, 2), 1, date(2026, 12, 31)),
        # Zero working days is the day itself.
        (date(2027, 1, 2), 0, date(2027, 1, 2)),
    ],
    ids=str,
)
def test_working_days_before(day: date, count: int, expected: date) -> None:
    assert ENG.working_days_before(day, count) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # (Thu 25 Mar, Thu 1 Apr 2027]: Tue 30, Wed 31, Thu 1 = 3.
        (date(2027, 3, 25), date(2027, 4, 1), 3),
        # (Thu 23 Dec 2027, Tue 4 Jan 2028]: Fri 24, Wed 29, Thu 30, Fri 31, Tue 4 = 5.
        (date(2027, 12, 23), date(2028, 1, 4), 5),
        (date(2027, 4, 1), date(2027, 4, 1), 0),
        (date(2027, 4, 1), date(2027, 3, 1), 0),
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert ENG.working_days_between(start, end) == expected


days = st.dates(min_value=date(2025, 6, 1), max_value=date(2029, 6, 30))
subdivisions = st.sampled_from(SUBDIVISIONS)


def _working_days_in(calendar: WorkingCalendar, first: date, last: date) -> int:
    """Working days in [first, last], counted one day at a time."""
    return sum(
        calendar.is_working_day(first + timedelta(n)) for n in range((last - first).days + 1)
    )


@settings(max_examples=100, deadline=None)
@given(day=days, subdivision=subdivisions)
def test_next_working_day_is_the_first_working_day_after(day: date, subdivision: str) -> None:
    calendar = working_calendar(subdivision)
    after = calendar.next_working_day(day)
    assert after > day
    assert calendar.is_working_day(after)
    # Nothing in between was a working day.
    assert _working_days_in(calendar, day + timedelta(1), after - timedelta(1)) == 0


@settings(max_examples=100, deadline=None)
@given(day=days, subdivision=subdivisions)
def test_previous_working_day_is_the_last_working_day_before(day: date, subdivision: str) -> None:
    calendar = working_calendar(subdivision)
    before = calendar.previous_working_day(day)
    assert before < day
    assert calendar.is_working_day(before)
    assert _working_days_in(calendar, before + timedelta(1), day - timedelta(1)) == 0


@settings(max_examples=100, deadline=None)
@given(day=days, count=st.integers(min_value=1, max_value=30), subdivision=subdivisions)
def test_working_days_before_leaves_exactly_count_working_days(
    day: date, count: int, subdivision: str
) -> None:
    calendar = working_calendar(subdivision)
    back = calendar.working_days_before(day, count)
    assert calendar.is_working_day(back)
    # [back, day) holds exactly `count` working days: back itself and count - 1 after it.
    assert _working_days_in(calendar, back, day - timedelta(1)) == count
    assert calendar.working_days_between(back, day - timedelta(1)) == count - 1
