"""Statutory clocks: lengths, the end with its pauses, the last viable sitting, one due date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from panelsched.core.clocks import (
    Clock,
    ClockPause,
    Length,
    clock_due,
    clock_end,
    last_viable_sitting,
)
from panelsched.core.workdays import WorkingCalendar
from tests.helpers.builders import authority, panel, referral

ENG = WorkingCalendar("ENG")
SEND5 = "SEND Regulations 2014, reg. 5"
CLOSED = ClockPause(date(2027, 7, 22), date(2027, 9, 1), "school-closure-4-weeks")


def _clock(**changes: Any) -> Clock:
    fields: dict[str, Any] = {
        "id": "ehc-assessment-decision",
        "name": "6-week assessment decision",
        "applies_to": {"request_type": ["ehc-needs-assessment"]},
        "starts": "requested",
        "length": "6 weeks",
        "after_panel": "2 working days",
        "pauses": ["school-closure-4-weeks", "family-away-4-weeks"],
        "source": SEND5,
    }
    return Clock.model_validate(fields | changes)


@pytest.mark.parametrize(
    ("text", "length", "words"),
    [
        ("6 weeks", Length(6, "weeks"), "6 weeks"),
        ("1 week", Length(1, "weeks"), "1 week"),
        ("20 days", Length(20, "days"), "20 days"),
        ("7 working days", Length(7, "working days"), "7 working days"),
        (" 2  Working  Days ", Length(2, "working days"), "2 working days"),
        ("1 working day", Length(1, "working days"), "1 working day"),
    ],
)
def test_lengths_are_read_and_said_back(text: str, length: Length, words: str) -> None:
    assert Length.parse(text) == length
    assert str(length) == words


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "6 wekes",
            "'6 wekes' is not a length; expected a length like '6 weeks', '20 days' or "
            "'7 working days'",
        ),
        (
            "2 working weeks",
            "'2 working weeks' is not a length; expected a length like '6 weeks', '20 days' or "
            "'7 working days'",
        ),
        (
            6,
            "6 is not a length; expected a length like '6 weeks', '20 days' or '7 working days'",
        ),
    ],
)
def test_a_length_that_does_not_parse_says_what_was_expected(text: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        Length.parse(text)
    assert str(caught.value) == message


def test_the_issues_case_six_weeks_from_friday_2_july_2027() -> None:
    # Requested Friday 02/07/2027; 6 weeks = 42 calendar days from the day after:
    # 02/07 + 42 days = Friday 13/08/2027 (29 days to 31/07, 13 more into August).
    # 2 working days after the panel: Thursday 12/08 and Friday 13/08 (no bank holiday between),
    # so the last sitting that could hear it in time is Wednesday 11/08/2027.
    end = clock_end(Length(6, "weeks"), date(2027, 7, 2), (), ENG)
    assert end == date(2027, 8, 13)
    assert last_viable_sitting(end, Length(2, "working days"), ENG) == date(2027, 8, 11)


def test_the_late_august_bank_holiday_moves_the_last_viable_sitting() -> None:
    # Requested Tuesday 20/07/2027: + 42 days = Tuesday 31/08/2027. Working days up to and
    # including 31/08: Tue 31/08 (1); Mon 30/08/2027 is the Summer bank holiday (England) and
    # Sat 28, Sun 29 are not working days; Fri 27/08 (2). The last sitting leaving 2 whole
    # working days is the working day before those: Thursday 26/08/2027 (without the bank
    # holiday it would have been Friday 27/08).
    end = clock_end(Length(6, "weeks"), date(2027, 7, 20), (), ENG)
    assert end == date(2027, 8, 31)
    assert ENG.holiday_name(date(2027, 8, 30)) is not None
    assert last_viable_sitting(end, Length(2, "working days"), ENG) == date(2027, 8, 26)


def test_a_school_summer_closure_pauses_the_clock() -> None:
    # Requested 02/07/2027, ends 13/08/2027 unpaused. The school is closed 22/07..01/09/2027:
    # 10 days in July (22-31) + 31 in August + 1 in September = 42 days, all after the request,
    # and the pause begins before 13/08, so the clock ends 42 days later: Friday 24/09/2027.
    # 2 working days after the panel: Thu 23/09, Fri 24/09, so the last sitting is Wed 22/09.
    case = referral(request_type="ehc-needs-assessment", requested=date(2027, 7, 2))
    paused = referral(
        request_type="ehc-needs-assessment", requested=date(2027, 7, 2), clock_pauses=(CLOSED,)
    )
    assert (due := clock_due(_clock(), case, ENG)) is not None
    assert (due.date, due.from_date) == (date(2027, 8, 11), date(2027, 8, 13))
    assert (due := clock_due(_clock(), paused, ENG)) is not None
    assert (due.date, due.from_date) == (date(2027, 9, 22), date(2027, 9, 24))


def test_a_pause_after_the_clock_ends_or_before_it_starts_does_not_move_it() -> None:
    # Ends 13/08/2027; a pause from 14/08 is after it, one ending on the request date before it.
    after = ClockPause(date(2027, 8, 14), date(2027, 9, 1), "family-away-4-weeks")
    before = ClockPause(date(2027, 6, 1), date(2027, 7, 2), "family-away-4-weeks")
    assert clock_end(Length(6, "weeks"), date(2027, 7, 2), (after, before), ENG) == date(
        2027, 8, 13
    )


def test_a_working_day_clock_counts_working_days_and_paused_working_days() -> None:
    # 7 working days from Friday 20/08/2027: Mon 23, Tue 24, Wed 25, Thu 26, Fri 27 (5),
    # Mon 30/08 is a bank holiday, Tue 31 (6), Wed 01/09 (7). A pause Thu 26..Fri 27/08 stops
    # it for 2 working days: Thu 02/09, Fri 03/09.
    seven = Length(7, "working days")
    assert clock_end(seven, date(2027, 8, 20), (), ENG) == date(2027, 9, 1)
    away = ClockPause(date(2027, 8, 26), date(2027, 8, 27), "family-away-4-weeks")
    assert clock_end(seven, date(2027, 8, 20), (away,), ENG) == date(2027, 9, 3)


def test_a_clock_runs_only_for_its_request_types_and_needs_its_start_date() -> None:
    other = referral(request_type="annual-review", requested=date(2027, 7, 2))
    unknown = referral(request_type="ehc-needs-assessment")
    assert clock_due(_clock(), other, ENG) is None
    assert clock_due(_clock(), unknown, ENG) is None
    # Without applies_to it runs for every referral; from ``submitted`` (a moment: its day).
    every = _clock(applies_to=None, starts="submitted", after_panel=None)
    assert (due := clock_due(every, other, ENG)) is not None
    # Submitted Monday 04/01/2027 + 42 days = Monday 15/02/2027, nothing after the panel.
    assert due.date == date(2027, 2, 15)


def test_the_clock_joins_the_referrals_own_due_dates_in_authority_due() -> None:
    # The referral's deadline 10/08/2027 comes first; without it the clock's 11/08/2027 does.
    model = authority(panel("crp", clocks=[_clock().model_dump(exclude_none=True)]))
    case = referral(request_type="ehc-needs-assessment", requested=date(2027, 7, 2))
    assert (due := model.due(case)) is not None
    assert (due.date, due.rule, due.source) == (date(2027, 8, 11), "ehc-assessment-decision", SEND5)
    earlier = referral(
        request_type="ehc-needs-assessment",
        requested=date(2027, 7, 2),
        deadline=date(2027, 8, 10),
    )
    assert (found := model.due(earlier)) is not None
    assert (found.date, found.rule) == (date(2027, 8, 10), "S14")


def test_an_authority_clock_applies_to_every_panel() -> None:
    clock = _clock(applies_to=None).model_dump(exclude_none=True)
    model = authority("crp", clocks=[clock])
    assert model.due_date(referral(requested=date(2027, 7, 2))) == date(2027, 8, 11)


def test_the_clocks_reason_names_it_its_source_and_its_end() -> None:
    case = referral(request_type="ehc-needs-assessment", requested=date(2027, 7, 2))
    assert (due := clock_due(_clock(), case, ENG)) is not None
    assert due.reason == (
        "2 working days before its 6-week assessment decision ends on 13/08/2027, under "
        "SEND Regulations 2014, reg. 5"
    )
    bare = clock_due(_clock(after_panel=None, name=""), case, ENG)
    assert bare is not None
    assert bare.reason == (
        "the day its ehc assessment decision ends, under SEND Regulations 2014, reg. 5"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"starts": "asked"},
            "'asked' is not a date column of the referrals; expected one of requested, "
            "submitted, cla_review, cp_review, contract_end, review_by, not_before, deadline",
        ),
        (
            {"after_panel": "6 weeks"},
            "key 'after_panel': '6 weeks' is as long as the clock's '6 weeks' or longer, so no "
            "sitting could ever be in time; expected a shorter time",
        ),
        (
            {"length": "0 weeks", "after_panel": None},
            "key 'length': '0 weeks' never runs; expected a length like '6 weeks', '20 days' or "
            "'7 working days'",
        ),
        (
            # 40 working days is 8 weeks of working days: longer than 6 weeks.
            {"after_panel": "40 working days"},
            "key 'after_panel': '40 working days' is as long as the clock's '6 weeks' or "
            "longer, so no sitting could ever be in time; expected a shorter time",
        ),
    ],
)
def test_a_clock_that_cannot_work_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _clock(**changes)
    assert message in str(caught.value)


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    weeks=st.integers(min_value=1, max_value=30),
    after=st.integers(min_value=0, max_value=10),
)
def test_the_last_viable_sitting_is_a_working_day_leaving_exactly_after_panel(
    start: date, weeks: int, after: int
) -> None:
    end = clock_end(Length(weeks, "weeks"), start, (), ENG)
    last = last_viable_sitting(end, Length(after, "working days"), ENG)
    assert ENG.is_working_day(last)
    assert last <= end
    # Exactly ``after`` working days in (last, end]; any later working day leaves fewer.
    assert ENG.working_days_between(last, end) == after
    later = ENG.next_working_day(last)
    assert later > end or ENG.working_days_between(later, end) < after
