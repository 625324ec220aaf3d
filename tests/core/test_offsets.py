"""Offsets before a sitting: the three forms, the default time, and moving off holidays."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from panelsched.core.offsets import DEFAULT_TIME, WEEKDAYS, Offset, papers_out, parse_clock
from panelsched.core.workdays import working_calendar

ENG = working_calendar("ENG")


@pytest.mark.parametrize(
    ("text", "kind", "value", "at"),
    [
        ("MO 13:00", "weekday", 0, time(13, 0)),
        ("mo 13:00", "weekday", 0, time(13, 0)),
        ("WE 17:00", "weekday", 2, time(17, 0)),
        # No time: 17:00.
        ("TH", "weekday", 3, DEFAULT_TIME),
        ("3 working days 17:00", "working_days", 3, time(17, 0)),
        ("1 working day 9:30", "working_days", 1, time(9, 30)),
        ("3 Working Days", "working_days", 3, DEFAULT_TIME),
        ("2 days 12:00", "days", 2, time(12, 0)),
        ("1 day", "days", 1, DEFAULT_TIME),
        ("0 days 09:00", "days", 0, time(9, 0)),
    ],
)
def test_parse_each_form(text: str, kind: str, value: int, at: time) -> None:
    offset = Offset.parse(text)
    assert (offset.kind, offset.value, offset.at) == (kind, value, at)
    assert str(offset) == text


def test_default_time_is_17_00() -> None:
    assert time(17, 0) == DEFAULT_TIME


def test_parse_collapses_spaces_for_its_text() -> None:
    offset = Offset.parse("  3   working\tdays   12:00 ")
    assert (offset.kind, offset.value, offset.at) == ("working_days", 3, time(12, 0))
    assert str(offset) == "3 working days 12:00"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("next tuesday", "'next tuesday' is not an offset; expected a weekday and time like"),
        ("3 weeks", "'3 weeks' is not an offset; expected"),
        ("", "'' is not an offset"),
        ("-2 days", "'-2 days' is not an offset"),
        ("MONDAY 13:00", "'MONDAY 13:00' is not an offset"),
        ("MO 1pm", "'MO 1pm' is not an offset"),
        ("MO 25:00", "'25:00' is not a time of day"),
        ("2 days 12:60", "'12:60' is not a time of day"),
        # What YAML 1.1 makes of an unquoted 13:00.
        (780, "780 is not text; expected a weekday and time like 'MO 13:00'"),
    ],
)
def test_parse_refuses(text: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        Offset.parse(text)  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_every_refusal_names_the_three_forms() -> None:
    with pytest.raises(ValueError) as caught:
        Offset.parse("next tuesday")
    for form in ("'MO 13:00'", "'3 working days 17:00'", "'2 days 12:00'"):
        assert form in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("13:00", time(13, 0)), ("9:05", time(9, 5)), (" 23:59 ", time(23, 59))],
)
def test_parse_clock(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("24:00", "'24:00' is not a time of day"),
        ("12:60", "'12:60' is not a time of day"),
        ("noon", "'noon' is not a time like 13:00"),
        ("1300", "'1300' is not a time like 13:00"),
        ("13.00", "'13.00' is not a time like 13:00"),
    ],
)
def test_parse_clock_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_clock(text)


@pytest.mark.parametrize(
    ("text", "sitting", "expected"),
    [
        # The example: Thursday 1 April 2027, "MO 13:00". The Monday before is
        # 29 March, Easter Monday; back over Sunday, Saturday and Good Friday (26 March)
        # to Thursday 25 March 2027, 13:00.
        ("MO 13:00", date(2027, 4, 1), datetime(2027, 3, 25, 13, 0)),
        # Thu 11 Feb 2027: the Monday before is 8 Feb, a working day.
        ("MO 13:00", date(2027, 2, 11), datetime(2027, 2, 8, 13, 0)),
        # A Monday sitting (8 Feb 2027): strictly before, so the Monday a week earlier, 1 Feb.
        ("MO 13:00", date(2027, 2, 8), datetime(2027, 2, 1, 13, 0)),
        # Thu 3 Jun 2027: Monday 31 May is the Spring Bank Holiday -> Friday 28 May.
        ("MO 13:00", date(2027, 6, 3), datetime(2027, 5, 28, 13, 0)),
        # Wed 1 Sep 2027: Monday 30 Aug is the Late Summer Bank Holiday -> Friday 27 Aug.
        ("MO 10:00", date(2027, 9, 1), datetime(2027, 8, 27, 10, 0)),
        # A Friday sitting with "FR": the Friday before (29 Jan 2027), at the default 17:00.
        ("FR", date(2027, 2, 5), datetime(2027, 1, 29, 17, 0)),
        # Swindon's "Wednesday 17:00 before": Thu 30 Dec 2027 -> Wed 29 Dec, a working day.
        ("WE 17:00", date(2027, 12, 30), datetime(2027, 12, 29, 17, 0)),
        # "SA" always lands on a Saturday, so it moves back to the Friday: Thu 11 Feb 2027 ->
        # Sat 6 Feb -> Fri 5 Feb.
        ("SA 10:00", date(2027, 2, 11), datetime(2027, 2, 5, 10, 0)),
        # Tue 30 Mar 2027 (after Easter): Mon 29 and Fri 26 are holidays, so 3 working days
        # back are Thu 25 (1), Wed 24 (2), Tue 23 (3).
        ("3 working days 17:00", date(2027, 3, 30), datetime(2027, 3, 23, 17, 0)),
        # Mon 5 Apr 2027: Fri 2 (1), Thu 1 (2), Wed 31 Mar (3).
        ("3 working days", date(2027, 4, 5), datetime(2027, 3, 31, 17, 0)),
        # Thu 1 Apr 2027: Wed 31 (1), Tue 30 (2).
        ("2 working days 12:00", date(2027, 4, 1), datetime(2027, 3, 30, 12, 0)),
        # Wed 29 Dec 2027: Tue 28 and Mon 27 are the observed Christmas holidays -> Fri 24 Dec.
        ("1 working day", date(2027, 12, 29), datetime(2027, 12, 24, 17, 0)),
        # Thu 11 Feb 2027, 2 calendar days -> Tue 9 Feb.
        ("2 days 12:00", date(2027, 2, 11), datetime(2027, 2, 9, 12, 0)),
        # Mon 8 Feb 2027, 2 calendar days -> Sat 6 Feb, a weekend -> Fri 5 Feb, same time.
        ("2 days 12:00", date(2027, 2, 8), datetime(2027, 2, 5, 12, 0)),
        # Wed 29 Dec 2027, 2 days -> Mon 27 (Christmas Day observed) -> Fri 24 Dec.
        ("2 days 12:00", date(2027, 12, 29), datetime(2027, 12, 24, 12, 0)),
        # Lambeth NEET, Fri 2 Apr 2027, "3 days 12:00" -> Tue 30 Mar, a working day.
        ("3 days 12:00", date(2027, 4, 2), datetime(2027, 3, 30, 12, 0)),
        # Mon 4 Jan 2027, 3 days -> Fri 1 Jan (New Year's Day) -> Thu 31 Dec 2026.
        ("3 days 12:00", date(2027, 1, 4), datetime(2026, 12, 31, 12, 0)),
        # Tue 4 Jan 2028, 1 day -> Mon 3 (New Year's Day observed) -> Fri 31 Dec 2027.
        ("1 day 9:00", date(2028, 1, 4), datetime(2027, 12, 31, 9, 0)),
        # "0 days" is the sitting's own date.
        ("0 days 09:00", date(2027, 4, 1), datetime(2027, 4, 1, 9, 0)),
    ],
)
def test_moment(text: str, sitting: date, expected: datetime) -> None:
    assert Offset.parse(text).moment(sitting, ENG) == expected


def test_moment_follows_the_subdivision() -> None:
    # Mon 5 Jan 2026, "3 days 12:00" -> Fri 2 Jan 2026: a working day in England, a bank
    # holiday in Scotland, where it moves back to Thu 1 Jan (New Year's Day) and on to
    # Wed 31 Dec 2025.
    offset = Offset.parse("3 days 12:00")
    assert offset.moment(date(2026, 1, 5), ENG) == datetime(2026, 1, 2, 12, 0)
    assert offset.moment(date(2026, 1, 5), working_calendar("SCT")) == datetime(2025, 12, 31, 12, 0)


# Property tests: for any form and any sitting date, the moment is on a working day, before
# the sitting's date, at the stated time, and moved back no further than the first working day
# on or before the date the form names.

sitting_days = st.dates(min_value=date(2025, 6, 1), max_value=date(2029, 6, 30))
clocks = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
forms = st.one_of(
    st.tuples(st.just("weekday"), st.integers(0, 6)),
    st.tuples(st.sampled_from(["working_days", "days"]), st.integers(1, 40)),
)


def _text(kind: str, value: int, at: time) -> str:
    clock = f"{at:%H:%M}"
    if kind == "weekday":
        return f"{WEEKDAYS[value]} {clock}"
    return f"{value} {'working days' if kind == 'working_days' else 'days'} {clock}"


def _named_date(kind: str, value: int, sitting: date) -> date:
    """The date the form names before any move, found by walking back a day at a time."""
    day = sitting
    if kind == "weekday":
        day -= timedelta(1)
        while day.weekday() != value:
            day -= timedelta(1)
    elif kind == "days":
        day -= timedelta(value)
    else:
        left = value
        while left:
            day -= timedelta(1)
            left -= ENG.is_working_day(day)
    return day


@settings(max_examples=100, deadline=None)
@given(form=forms, at=clocks, sitting=sitting_days)
def test_moment_properties(form: tuple[str, int], at: time, sitting: date) -> None:
    kind, value = form
    offset = Offset.parse(_text(kind, value, at))
    assert (offset.kind, offset.value, offset.at) == (kind, value, at)
    moment = offset.moment(sitting, ENG)
    named = _named_date(kind, value, sitting)
    assert moment.time() == at
    assert ENG.is_working_day(moment.date())
    assert moment.date() < sitting
    assert moment.date() <= named
    # Moved back to the nearest working day, not further: nothing in between is one.
    between = (moment.date() + timedelta(n) for n in range(1, (named - moment.date()).days + 1))
    assert not any(ENG.is_working_day(day) for day in between)


@pytest.mark.parametrize(
    ("papers", "cutoff", "sitting", "expected"),
    [
        # Thu 14 Jan 2027, papers "TU 17:00" -> Tue 12 Jan 17:00, after a Mon 11 Jan 13:00
        # cut-off: as named.
        ("TU 17:00", datetime(2027, 1, 11, 13, 0), date(2027, 1, 14), datetime(2027, 1, 12, 17)),
        # An extra Tue 26 Jan: "TU 17:00" names Tue 19 Jan, before the Mon 25 Jan 13:00
        # cut-off: at the cut-off.
        ("TU 17:00", datetime(2027, 1, 25, 13, 0), date(2027, 1, 26), datetime(2027, 1, 25, 13)),
        # Same day, earlier hour: "1 day 12:00" for Wed 6 Jan -> Tue 5 Jan 12:00, cut-off Tue
        # 5 Jan 17:00 -> 17:00.
        ("1 day 12:00", datetime(2027, 1, 5, 17, 0), date(2027, 1, 6), datetime(2027, 1, 5, 17)),
        # No cut-off: as named.
        ("TU 17:00", None, date(2027, 1, 26), datetime(2027, 1, 19, 17, 0)),
    ],
)
def test_papers_never_go_out_before_the_cutoff(
    papers: str, cutoff: datetime | None, sitting: date, expected: datetime
) -> None:
    assert papers_out(Offset.parse(papers), cutoff, sitting, ENG) == expected
