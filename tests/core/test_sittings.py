"""The sitting calendar: cadences, holiday policies, cancellations, extras and offsets.

Each expected date was worked out by hand from a paper calendar; the weekday is in the
comment. 1 January 2027 is a Friday, 1 December 2027 a Wednesday, 1 January 2028 a Saturday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from panelsched.core.sittings import Sitting, generate_sittings, panel_dates
from panelsched.core.workdays import working_calendar
from panelsched.io.model_file import load_model
from tests.helpers.builders import authority

ENG = working_calendar("ENG")
LAMBETH = Path(__file__).resolve().parents[2] / "models" / "lambeth.yaml"


def panel(**overrides: Any) -> dict[str, Any]:
    """A Thursday 13:00-16:00 panel; ``overrides`` replace its keys."""
    base: dict[str, Any] = {
        "id": "p",
        "name": "Panel",
        "cadence": "FREQ=WEEKLY;BYDAY=TH",
        "time": "13:00-16:00",
        "slot_minutes": 15,
    }
    return base | overrides


def sittings(start: date, end: date, **overrides: Any) -> tuple[Sitting, ...]:
    """The sittings of one panel built from ``overrides``, dated ``start`` to ``end``."""
    return generate_sittings(authority(panel(**overrides)), start, end)


def days(start: date, end: date, **overrides: Any) -> list[date]:
    return [s.date for s in sittings(start, end, **overrides)]


def notes(start: date, end: date, **overrides: Any) -> dict[date, str]:
    return {s.date: s.note for s in sittings(start, end, **overrides)}


# --- cadences ---------------------------------------------------------------------------------


def test_weekly() -> None:
    # Thursdays of January 2027: 1 Jan is a Friday, so the 7th, 14th, 21st and 28th.
    assert days(date(2027, 1, 1), date(2027, 1, 31), cadence="FREQ=WEEKLY;BYDAY=TH") == [
        date(2027, 1, 7),
        date(2027, 1, 14),
        date(2027, 1, 21),
        date(2027, 1, 28),
    ]


def test_weekly_on_monday_loses_easter_monday() -> None:
    # Mondays 22 Mar to 12 Apr 2027: 22 Mar, 29 Mar (Easter Monday, skipped), 5 Apr, 12 Apr.
    assert days(date(2027, 3, 22), date(2027, 4, 12), cadence="FREQ=WEEKLY;BYDAY=MO") == [
        date(2027, 3, 22),
        date(2027, 4, 5),
        date(2027, 4, 12),
    ]


def test_range_is_inclusive_at_both_ends() -> None:
    # Thursday 7 Jan 2027 to Thursday 14 Jan 2027: both sittings.
    assert days(date(2027, 1, 7), date(2027, 1, 14)) == [date(2027, 1, 7), date(2027, 1, 14)]
    # One day, a Thursday: that sitting; a Friday: none.
    assert days(date(2027, 1, 7), date(2027, 1, 7)) == [date(2027, 1, 7)]
    assert days(date(2027, 1, 8), date(2027, 1, 8)) == []


FORTNIGHTLY = {"cadence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "anchor": date(2027, 1, 8)}


def test_fortnightly_from_its_anchor() -> None:
    # Every other Friday from Friday 8 Jan 2027: 8 and 22 Jan, 5 and 19 Feb, 5 and 19 Mar.
    assert days(date(2027, 1, 1), date(2027, 3, 31), **FORTNIGHTLY) == [
        date(2027, 1, 8),
        date(2027, 1, 22),
        date(2027, 2, 5),
        date(2027, 2, 19),
        date(2027, 3, 5),
        date(2027, 3, 19),
    ]


@pytest.mark.parametrize(
    "start",
    # Monday 11 Jan (mid-fortnight), Friday 15 Jan (the off-week Friday itself),
    # Saturday 16 Jan.
    [date(2027, 1, 11), date(2027, 1, 15), date(2027, 1, 16)],
    ids=str,
)
def test_fortnightly_range_starting_mid_fortnight_keeps_the_anchor_phase(start: date) -> None:
    # The anchor's fortnights are 8 Jan, 22 Jan, 5 Feb, 19 Feb; never 15 Jan, 29 Jan, 12 Feb.
    assert days(start, date(2027, 2, 28), **FORTNIGHTLY) == [
        date(2027, 1, 22),
        date(2027, 2, 5),
        date(2027, 2, 19),
    ]


def test_fortnightly_a_year_later_keeps_the_phase() -> None:
    # 8 Jan 2027 + 52 weeks (26 fortnights) = Friday 7 Jan 2028, then 21 Jan 2028.
    assert days(date(2028, 1, 1), date(2028, 1, 31), **FORTNIGHTLY) == [
        date(2028, 1, 7),
        date(2028, 1, 21),
    ]
    # Anchored a week later (15 Jan 2027) the other Fridays sit: 14 and 28 Jan 2028.
    other = FORTNIGHTLY | {"anchor": date(2027, 1, 15)}
    assert days(date(2028, 1, 1), date(2028, 1, 31), **other) == [
        date(2028, 1, 14),
        date(2028, 1, 28),
    ]


def test_nothing_before_the_anchor() -> None:
    # The rule starts at Friday 8 Jan 2027, so Friday 1 Jan and earlier are not sittings.
    assert days(date(2026, 12, 1), date(2027, 1, 7), **FORTNIGHTLY) == []


SECOND_AND_FOURTH_TUESDAY = "FREQ=MONTHLY;BYDAY=2TU,4TU"


def test_second_and_fourth_tuesday() -> None:
    # January 2027: Tuesdays 5, 12, 19, 26 -> 12 and 26.
    # February 2027 (1 Feb a Monday): 2, 9, 16, 23 -> 9 and 23.
    # March 2027 (1 Mar a Monday): 2, 9, 16, 23, 30 -> 9 and 23.
    assert days(date(2027, 1, 1), date(2027, 3, 31), cadence=SECOND_AND_FOURTH_TUESDAY) == [
        date(2027, 1, 12),
        date(2027, 1, 26),
        date(2027, 2, 9),
        date(2027, 2, 23),
        date(2027, 3, 9),
        date(2027, 3, 23),
    ]


def test_second_and_fourth_tuesday_at_christmas_2027() -> None:
    # December 2027 (1 Dec a Wednesday): Tuesdays 7, 14, 21, 28 -> 14 and 28; Tuesday 28 Dec
    # is Boxing Day (observed), so skip leaves 14 Dec only...
    december = (date(2027, 12, 1), date(2027, 12, 31))
    assert days(*december, cadence=SECOND_AND_FOURTH_TUESDAY) == [date(2027, 12, 14)]
    # ...and next_working_day moves it to Wednesday 29 Dec.
    assert notes(*december, cadence=SECOND_AND_FOURTH_TUESDAY, on_holiday="next_working_day") == {
        date(2027, 12, 14): "",
        date(2027, 12, 29): "moved from 2027-12-28 (Boxing Day (observed))",
    }


def test_last_tuesday_of_the_month() -> None:
    # Last Tuesdays: 26 Jan, 23 Feb, 30 Mar 2027; August 2027 (1 Aug a Sunday): 3, 10, 17, 24,
    # 31 -> 31 Aug.
    cadence = "FREQ=MONTHLY;BYDAY=-1TU"
    assert days(date(2027, 1, 1), date(2027, 3, 31), cadence=cadence) == [
        date(2027, 1, 26),
        date(2027, 2, 23),
        date(2027, 3, 30),
    ]
    assert days(date(2027, 8, 1), date(2027, 8, 31), cadence=cadence) == [date(2027, 8, 31)]
    # December 2027's last Tuesday is the 28th, Boxing Day (observed) -> Wednesday 29th.
    assert notes(
        date(2027, 12, 1), date(2027, 12, 31), cadence=cadence, on_holiday="next_working_day"
    ) == {date(2027, 12, 29): "moved from 2027-12-28 (Boxing Day (observed))"}


@pytest.mark.parametrize(
    ("year", "spring", "summer"),
    [
        # The late May and August bank holidays are the last Mondays of May and August.
        (2026, date(2026, 5, 25), date(2026, 8, 31)),
        (2027, date(2027, 5, 31), date(2027, 8, 30)),
        (2028, date(2028, 5, 29), date(2028, 8, 28)),
    ],
)
def test_last_monday_meets_the_late_may_and_august_bank_holidays(
    year: int, spring: date, summer: date
) -> None:
    cadence = "FREQ=MONTHLY;BYDAY=-1MO"
    may, august = (date(year, 5, 1), date(year, 5, 31)), (date(year, 8, 1), date(year, 8, 31))
    # skip: no sitting in May or August at all.
    assert days(*may, cadence=cadence) == []
    assert days(*august, cadence=cadence) == []
    # next_working_day: the Tuesday after each bank holiday.
    moved = sittings(
        date(year, 5, 1), date(year, 9, 30), cadence=cadence, on_holiday="next_working_day"
    )
    by_date = {s.date: s.note for s in moved}
    assert by_date[spring + timedelta(1)] == f"moved from {spring} (Spring Bank Holiday)"
    assert by_date[summer + timedelta(1)] == f"moved from {summer} (Late Summer Bank Holiday)"


def test_moved_into_the_next_month_is_selected_by_its_actual_date() -> None:
    # Last Monday of May 2027 is 31 May (Spring Bank Holiday); next_working_day moves it to
    # Tuesday 1 June, so a May range has no sitting and a June range has 1 Jun and 28 Jun.
    rule = {"cadence": "FREQ=MONTHLY;BYDAY=-1MO", "on_holiday": "next_working_day"}
    assert days(date(2027, 5, 1), date(2027, 5, 31), **rule) == []
    assert days(date(2027, 6, 1), date(2027, 6, 30), **rule) == [
        date(2027, 6, 1),
        date(2027, 6, 28),
    ]


MONTHLY_FIRST = "FREQ=MONTHLY;BYMONTHDAY=1"
YEAR_2027 = (date(2027, 1, 1), date(2027, 12, 31))
# The 1st of each month of 2027 that is a working day: 1 Jan is New Year's Day, 1 May a
# Saturday, 1 Aug a Sunday; the others (Mon 1 Feb, Mon 1 Mar, Thu 1 Apr, Tue 1 Jun, Thu 1 Jul,
# Wed 1 Sep, Fri 1 Oct, Mon 1 Nov, Wed 1 Dec) are working days.
WORKING_FIRSTS_2027 = [date(2027, m, 1) for m in (2, 3, 4, 6, 7, 9, 10, 11, 12)]


def test_monthly_skip() -> None:
    assert days(*YEAR_2027, cadence=MONTHLY_FIRST) == WORKING_FIRSTS_2027


def test_monthly_next_working_day() -> None:
    # Fri 1 Jan (New Year's Day) -> Mon 4 Jan; Sat 1 May -> Sun 2, Mon 3 (May Day) -> Tue 4 May;
    # Sun 1 Aug -> Mon 2 Aug.
    got = notes(*YEAR_2027, cadence=MONTHLY_FIRST, on_holiday="next_working_day")
    assert sorted(got) == sorted(
        [*WORKING_FIRSTS_2027, date(2027, 1, 4), date(2027, 5, 4), date(2027, 8, 2)]
    )
    assert got[date(2027, 1, 4)] == "moved from 2027-01-01 (New Year's Day)"
    assert got[date(2027, 5, 4)] == "moved from 2027-05-01 (Saturday)"
    assert got[date(2027, 8, 2)] == "moved from 2027-08-01 (Sunday)"
    assert got[date(2027, 2, 1)] == ""


def test_monthly_previous_working_day_crosses_the_years() -> None:
    # Fri 1 Jan 2027 -> Thu 31 Dec 2026: out of a 2027 range. Sat 1 May -> Fri 30 Apr;
    # Sun 1 Aug -> Fri 30 Jul; and Sat 1 Jan 2028 -> Fri 31 Dec 2027: in the 2027 range.
    got = notes(*YEAR_2027, cadence=MONTHLY_FIRST, on_holiday="previous_working_day")
    assert sorted(got) == sorted(
        [*WORKING_FIRSTS_2027, date(2027, 4, 30), date(2027, 7, 30), date(2027, 12, 31)]
    )
    assert got[date(2027, 12, 31)] == "moved from 2028-01-01 (New Year's Day)"
    # The 2026 range has 31 Dec 2026, moved from 1 Jan 2027.
    december_2026 = notes(
        date(2026, 12, 1),
        date(2026, 12, 31),
        cadence=MONTHLY_FIRST,
        on_holiday="previous_working_day",
    )
    assert december_2026 == {
        date(2026, 12, 1): "",  # a Tuesday
        date(2026, 12, 31): "moved from 2027-01-01 (New Year's Day)",
    }


def test_two_panels_and_a_subdivision() -> None:
    # 2 January is a bank holiday in Scotland only: Friday 2 Jan 2026.
    rule = panel(cadence="FREQ=MONTHLY;BYMONTHDAY=2")
    january = (date(2026, 1, 1), date(2026, 1, 31))
    assert [s.date for s in generate_sittings(authority(rule), *january)] == [date(2026, 1, 2)]
    assert generate_sittings(authority(rule, holidays="SCT"), *january) == ()


# --- holiday policies -------------------------------------------------------------------------

MONDAYS = {"cadence": "FREQ=WEEKLY;BYDAY=MO"}
DECEMBER_2027 = (date(2027, 12, 1), date(2027, 12, 31))
JANUARY_2028 = (date(2028, 1, 1), date(2028, 1, 31))


def test_skip_drops_holiday_sittings() -> None:
    # Mondays of December 2027: 6, 13, 20, 27 (Christmas Day observed, dropped).
    assert days(*DECEMBER_2027, **MONDAYS) == [
        date(2027, 12, 6),
        date(2027, 12, 13),
        date(2027, 12, 20),
    ]
    # Mondays of January 2028: 3 (New Year's Day observed, dropped), 10, 17, 24, 31.
    assert days(*JANUARY_2028, **MONDAYS) == [date(2028, 1, d) for d in (10, 17, 24, 31)]


def test_previous_working_day_selected_by_its_actual_date() -> None:
    rule = MONDAYS | {"on_holiday": "previous_working_day"}
    # Mon 27 Dec 2027 (Christmas Day observed) -> Fri 24 Dec; Mon 3 Jan 2028 (New Year's Day
    # observed) -> Sun 2, Sat 1 -> Fri 31 Dec 2027, which is in a 2027 range...
    assert notes(*DECEMBER_2027, **rule) == {
        date(2027, 12, 6): "",
        date(2027, 12, 13): "",
        date(2027, 12, 20): "",
        date(2027, 12, 24): "moved from 2027-12-27 (Christmas Day (observed))",
        date(2027, 12, 31): "moved from 2028-01-03 (New Year's Day (observed))",
    }
    # ...and not in a 2028 range, which starts at Monday 10 January.
    assert days(*JANUARY_2028, **rule) == [date(2028, 1, d) for d in (10, 17, 24, 31)]
    # The single days: 31 Dec 2027 has it, 3 Jan 2028 has nothing.
    assert days(date(2027, 12, 31), date(2027, 12, 31), **rule) == [date(2027, 12, 31)]
    assert days(date(2028, 1, 3), date(2028, 1, 3), **rule) == []


def test_next_working_day_across_christmas_2027() -> None:
    # Mon 27 Dec (Christmas Day observed) -> Tue 28 (Boxing Day observed) -> Wed 29 Dec.
    assert notes(*DECEMBER_2027, **MONDAYS, on_holiday="next_working_day") == {
        date(2027, 12, 6): "",
        date(2027, 12, 13): "",
        date(2027, 12, 20): "",
        date(2027, 12, 29): "moved from 2027-12-27 (Christmas Day (observed))",
    }
    # A Tuesday panel: Tue 28 Dec (Boxing Day observed) -> Wed 29 Dec.
    tuesdays = notes(*DECEMBER_2027, cadence="FREQ=WEEKLY;BYDAY=TU", on_holiday="next_working_day")
    assert tuesdays[date(2027, 12, 29)] == "moved from 2027-12-28 (Boxing Day (observed))"
    assert date(2027, 12, 28) not in tuesdays
    # Mon 3 Jan 2028 (New Year's Day observed) -> Tue 4 Jan 2028.
    assert notes(*JANUARY_2028, **MONDAYS, on_holiday="next_working_day") == {
        date(2028, 1, 4): "moved from 2028-01-03 (New Year's Day (observed))",
        date(2028, 1, 10): "",
        date(2028, 1, 17): "",
        date(2028, 1, 24): "",
        date(2028, 1, 31): "",
    }


def test_christmas_and_boxing_day_2026() -> None:
    # Fri 25 Dec 2026 is Christmas Day; Boxing Day, Sat 26, is observed Mon 28 Dec.
    # A Monday panel moved next_working_day: Mon 28 -> Tue 29 Dec 2026.
    assert notes(
        date(2026, 12, 21), date(2026, 12, 31), **MONDAYS, on_holiday="next_working_day"
    ) == {
        date(2026, 12, 21): "",
        date(2026, 12, 29): "moved from 2026-12-28 (Boxing Day (observed))",
    }
    # A Friday panel moved previous_working_day: Fri 25 Dec -> Thu 24 Dec 2026, and Fri 1 Jan
    # 2027 (New Year's Day) -> Thu 31 Dec 2026, inside this range.
    assert notes(
        date(2026, 12, 21),
        date(2026, 12, 31),
        cadence="FREQ=WEEKLY;BYDAY=FR",
        on_holiday="previous_working_day",
    ) == {
        date(2026, 12, 24): "moved from 2026-12-25 (Christmas Day)",
        date(2026, 12, 31): "moved from 2027-01-01 (New Year's Day)",
    }


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        # Good Friday 26 Mar 2027 on a fortnightly Friday panel anchored on Fri 12 Mar 2027:
        # 12 Mar, 26 Mar (Good Friday), 9 Apr.
        ("skip", {date(2027, 3, 12): "", date(2027, 4, 9): ""}),
        (
            "previous_working_day",  # -> Thu 25 Mar
            {
                date(2027, 3, 12): "",
                date(2027, 3, 25): "moved from 2027-03-26 (Good Friday)",
                date(2027, 4, 9): "",
            },
        ),
        (
            "next_working_day",  # -> Sat, Sun, Easter Monday -> Tue 30 Mar
            {
                date(2027, 3, 12): "",
                date(2027, 3, 30): "moved from 2027-03-26 (Good Friday)",
                date(2027, 4, 9): "",
            },
        ),
    ],
)
def test_every_policy_at_easter_2027(policy: str, expected: dict[date, str]) -> None:
    rule = {**FORTNIGHTLY, "anchor": date(2027, 3, 12), "on_holiday": policy}
    assert notes(date(2027, 3, 1), date(2027, 4, 15), **rule) == expected


@pytest.mark.parametrize(
    ("year", "good_friday", "easter_monday"),
    [
        (2026, date(2026, 4, 3), date(2026, 4, 6)),
        (2027, date(2027, 3, 26), date(2027, 3, 29)),
        (2028, date(2028, 4, 14), date(2028, 4, 17)),
    ],
)
def test_daily_panel_sits_on_neither_easter_holiday(
    year: int, good_friday: date, easter_monday: date
) -> None:
    # A weekday panel over Easter: Thursday before, then the Tuesday after; the four days
    # Good Friday to Easter Monday have no sitting.
    got = days(
        good_friday - timedelta(1),
        easter_monday + timedelta(1),
        cadence="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    )
    assert got == [good_friday - timedelta(1), easter_monday + timedelta(1)]


def test_two_moves_onto_one_date_meet_once() -> None:
    # Mon, Tue, Wed panel, next_working_day: Mon 27 and Tue 28 Dec 2027 both move to
    # Wed 29 Dec, which is itself a sitting: one sitting, both moves noted.
    got = sittings(
        date(2027, 12, 27),
        date(2027, 12, 31),
        cadence="FREQ=WEEKLY;BYDAY=MO,TU,WE",
        on_holiday="next_working_day",
    )
    assert [s.date for s in got] == [date(2027, 12, 29)]
    assert got[0].note == (
        "moved from 2027-12-27 (Christmas Day (observed)); "
        "moved from 2027-12-28 (Boxing Day (observed))"
    )


# --- cancelled and extra ----------------------------------------------------------------------


def test_cancelled_removes_and_extra_adds() -> None:
    # Thursdays of December 2027: 2, 9, 16, 23, 30. Cancel 30 Dec; add Wednesday 22 Dec.
    got = notes(*DECEMBER_2027, cancelled=[date(2027, 12, 30)], extra=[date(2027, 12, 22)])
    assert got == {
        date(2027, 12, 2): "",
        date(2027, 12, 9): "",
        date(2027, 12, 16): "",
        date(2027, 12, 22): "extra sitting",
        date(2027, 12, 23): "",
    }


def test_cancelled_applies_after_moves() -> None:
    rule = MONDAYS | {"on_holiday": "next_working_day"}
    # Mon 27 Dec 2027 moves to Wed 29 Dec; cancelling 29 Dec removes the moved sitting.
    assert days(*DECEMBER_2027, **rule, cancelled=[date(2027, 12, 29)]) == [
        date(2027, 12, 6),
        date(2027, 12, 13),
        date(2027, 12, 20),
    ]
    # Cancelling the original date, 27 Dec, does nothing: by then the sitting is on the 29th.
    assert days(*DECEMBER_2027, **rule, cancelled=[date(2027, 12, 27)])[-1] == date(2027, 12, 29)


def test_extra_applies_after_cancelled() -> None:
    # Thursday 30 Dec 2027 both cancelled and extra: extra comes last, so it sits.
    got = notes(*DECEMBER_2027, cancelled=[date(2027, 12, 30)], extra=[date(2027, 12, 30)])
    assert got[date(2027, 12, 30)] == "extra sitting"


def test_extra_on_a_holiday_or_an_existing_sitting() -> None:
    got = notes(*DECEMBER_2027, extra=[date(2027, 12, 27), date(2027, 12, 16)])
    # An extra sitting on Christmas Day (observed) is kept: the model asked for it, the note
    # says what day it is.
    assert got[date(2027, 12, 27)] == "extra sitting (Christmas Day (observed))"
    # Thursday 16 Dec is already a sitting: still one sitting, not marked extra.
    assert got[date(2027, 12, 16)] == ""
    assert len(got) == 6  # 2, 9, 16, 23, 27, 30 December


def test_extra_and_cancelled_outside_the_range_do_nothing() -> None:
    # January 2027 Thursdays 7, 14, 21, 28; the extra in February and the cancellation on a
    # Friday are both irrelevant.
    assert days(
        date(2027, 1, 1),
        date(2027, 1, 31),
        extra=[date(2027, 2, 3)],
        cancelled=[date(2027, 1, 8)],
    ) == [date(2027, 1, 7), date(2027, 1, 14), date(2027, 1, 21), date(2027, 1, 28)]


# --- cut-offs, papers and capacity ------------------------------------------------------------


def test_cutoff_and_papers_on_each_sitting() -> None:
    # Lambeth CRP: Thursday 1 Apr 2027, cut-off "MO 13:00" -> Mon 29 Mar is Easter Monday,
    # back past Good Friday -> Thu 25 Mar 13:00; papers "2 working days 12:00" -> Wed 31 (1),
    # Tue 30 (2) -> Tue 30 Mar 12:00.
    (sitting,) = sittings(
        date(2027, 3, 29), date(2027, 4, 4), cutoff="MO 13:00", papers="2 working days 12:00"
    )
    assert sitting.date == date(2027, 4, 1)
    assert sitting.cutoff == datetime(2027, 3, 25, 13, 0)
    assert sitting.papers_out == datetime(2027, 3, 30, 12, 0)


def test_no_cutoff_or_papers_when_the_panel_has_none() -> None:
    (sitting,) = sittings(date(2027, 4, 1), date(2027, 4, 1))
    assert sitting.cutoff is None
    assert sitting.papers_out is None


def test_offsets_of_a_moved_sitting_count_from_its_actual_date() -> None:
    # Lambeth 16+: Monday, moved to Tuesday 30 Mar 2027 from Easter Monday. "3 working days
    # 17:00" from Tue 30 Mar: Thu 25 (1), Wed 24 (2), Tue 23 (3) -> Tue 23 Mar 17:00.
    (sitting,) = sittings(
        date(2027, 3, 29),
        date(2027, 4, 2),
        **MONDAYS,
        on_holiday="next_working_day",
        cutoff="3 working days 17:00",
    )
    assert sitting.date == date(2027, 3, 30)
    assert sitting.cutoff == datetime(2027, 3, 23, 17, 0)


def test_offsets_of_an_extra_weekend_sitting() -> None:
    # An extra sitting on Saturday 18 Dec 2027: "MO 13:00" -> Mon 13 Dec 13:00;
    # "1 day" -> Fri 17 Dec 17:00 (the default time).
    (sitting,) = sittings(
        date(2027, 12, 18),
        date(2027, 12, 18),
        extra=[date(2027, 12, 18)],
        cutoff="MO 13:00",
        papers="1 day",
    )
    assert sitting.note == "extra sitting (Saturday)"
    assert sitting.cutoff == datetime(2027, 12, 13, 13, 0)
    assert sitting.papers_out == datetime(2027, 12, 17, 17, 0)


@pytest.mark.parametrize(
    ("window", "breaks", "expected"),
    [
        ("13:00-16:00", [], 180),  # three hours
        ("09:30-13:00", [], 210),  # CPR: 09:30 to 13:00
        ("13:00-16:00", ["14:30-14:40", "15:00-15:15"], 155),  # 180 - 10 - 15
        ("10:00-11:00", ["10:00-10:15"], 45),  # a break at the very start
    ],
)
def test_capacity_is_the_window_less_its_breaks(
    window: str, breaks: list[str], expected: int
) -> None:
    (sitting,) = sittings(date(2027, 1, 7), date(2027, 1, 7), time=window, breaks=breaks)
    assert sitting.capacity_minutes == expected


# --- generate_sittings and Sitting ------------------------------------------------------------


def test_sittings_are_ordered_by_date_start_and_panel() -> None:
    model = authority(
        panel(id="a", time="13:00-16:00"),
        panel(id="c", time="09:30-12:00"),
        panel(id="b", time="09:30-12:30"),
        panel(id="w", cadence="FREQ=WEEKLY;BYDAY=WE"),
    )
    got = generate_sittings(model, date(2027, 1, 6), date(2027, 1, 7))
    # Wed 6 Jan: w. Thu 7 Jan: b and c at 09:30 (by id), then a at 13:00.
    assert [(s.date.day, s.panel) for s in got] == [(6, "w"), (7, "b"), (7, "c"), (7, "a")]
    assert [
        s.panel for s in generate_sittings(model, date(2027, 1, 6), date(2027, 1, 7), ["a"])
    ] == ["a"]


def test_unknown_panel_and_backwards_range() -> None:
    model = authority(panel())
    with pytest.raises(KeyError):
        generate_sittings(model, date(2027, 1, 1), date(2027, 1, 31), ["nope"])
    with pytest.raises(ValueError, match=r"ends \(2027-01-01\) before it starts \(2027-01-31\)"):
        generate_sittings(model, date(2027, 1, 31), date(2027, 1, 1))


def test_sitting_identity_and_overlap() -> None:
    model = authority(
        panel(id="a"), panel(id="b", time="15:30-17:00"), panel(id="c", time="16:00-17:00")
    )
    a, b, c = sorted(
        generate_sittings(model, date(2027, 1, 7), date(2027, 1, 7)), key=lambda s: s.panel
    )
    assert a.id == "a@2027-01-07"
    assert a.opens == datetime(2027, 1, 7, 13, 0)
    assert a.window_minutes == (780, 960)  # 13:00 and 16:00 as minutes after midnight
    # a 13:00-16:00 and b 15:30-17:00 share 15:30-16:00; c starts as a ends: no overlap.
    assert a.overlaps(b) and b.overlaps(a)
    assert not a.overlaps(c)
    assert b.overlaps(c)


def test_panel_dates_matches_generate_sittings() -> None:
    model = authority(panel(**MONDAYS, on_holiday="previous_working_day"))
    listed = panel_dates(model.panels[0], *DECEMBER_2027, ENG)
    assert listed == [(s.date, s.note) for s in generate_sittings(model, *DECEMBER_2027)]


def test_lambeth_2027() -> None:
    lambeth = load_model(LAMBETH)
    year = generate_sittings(lambeth, *YEAR_2027)
    by_panel: dict[str, list[Sitting]] = {}
    for s in year:
        by_panel.setdefault(s.panel, []).append(s)
    # CRP sits every Thursday: 7 Jan to 30 Dec 2027 is 52 Thursdays, none a bank holiday.
    assert len(by_panel["lam-crp"]) == 52
    # 16+ sits on Mondays (4 Jan to 27 Dec: 52), moving its five bank-holiday Mondays to the
    # Tuesday: Easter Monday, May Day, Spring, Late Summer and Christmas Day (observed, to Wed).
    moved = {s.date: s.note for s in by_panel["lam-16plus"] if s.note}
    assert len(by_panel["lam-16plus"]) == 52
    assert moved == {
        date(2027, 3, 30): "moved from 2027-03-29 (Easter Monday)",
        date(2027, 5, 4): "moved from 2027-05-03 (May Day)",
        date(2027, 6, 1): "moved from 2027-05-31 (Spring Bank Holiday)",
        date(2027, 8, 31): "moved from 2027-08-30 (Late Summer Bank Holiday)",
        date(2027, 12, 29): "moved from 2027-12-27 (Christmas Day (observed))",
    }
    # NEET every other Friday from 8 Jan: 8 Jan + 14k up to 24 Dec (k = 0..25) is 26 sittings.
    assert len(by_panel["lam-neet"]) == 26
    # Same input, same output.
    assert generate_sittings(lambeth, *YEAR_2027) == year


# --- properties -------------------------------------------------------------------------------

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
any_date = st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31))


@st.composite
def cadences(draw: st.DrawFn) -> tuple[str, int]:
    """A weekly or monthly rule and its interval."""
    interval = draw(st.integers(1, 3))
    if draw(st.booleans()):
        weekdays = draw(
            st.lists(st.sampled_from(WEEKDAY_CODES), min_size=1, max_size=3, unique=True)
        )
        body = f"FREQ=WEEKLY;BYDAY={','.join(weekdays)}"
    elif draw(st.booleans()):
        ordinals = draw(
            st.lists(
                st.tuples(st.sampled_from([1, 2, 3, 4, -1]), st.sampled_from(WEEKDAY_CODES)),
                min_size=1,
                max_size=2,
                unique=True,
            )
        )
        body = "FREQ=MONTHLY;BYDAY=" + ",".join(f"{n}{d}" for n, d in ordinals)
    else:
        monthdays = draw(
            st.lists(st.sampled_from([*range(1, 29), -1]), min_size=1, max_size=2, unique=True)
        )
        body = "FREQ=MONTHLY;BYMONTHDAY=" + ",".join(map(str, monthdays))
    return (body if interval == 1 else f"{body};INTERVAL={interval}"), interval


@st.composite
def offsets(draw: st.DrawFn, start_hour: int) -> str | None:
    """An offset in any form, or none; "0 days" only with a time before the sitting."""
    kind = draw(st.sampled_from(["none", "weekday", "working days", "days"]))
    if kind == "none":
        return None
    if kind == "weekday":
        return f"{draw(st.sampled_from(WEEKDAY_CODES))} {draw(st.integers(0, 23)):02d}:00"
    count = draw(st.integers(0, 10))
    hour = draw(st.integers(0, start_hour - 1 if count == 0 else 23))
    return f"{count} {kind} {hour:02d}:30"


@st.composite
def random_panels(draw: st.DrawFn) -> dict[str, Any]:
    cadence, interval = draw(cadences())
    start_hour = draw(st.integers(8, 15))
    anchor = draw(any_date) if interval > 1 else draw(st.none() | any_date)
    return panel(
        cadence=cadence,
        anchor=anchor,
        time=f"{start_hour:02d}:00-{start_hour + 2:02d}:00",
        on_holiday=draw(st.sampled_from(["skip", "next_working_day", "previous_working_day"])),
        cutoff=draw(offsets(start_hour)),
        papers=draw(offsets(start_hour)),
        cancelled=draw(st.lists(any_date, max_size=4)),
        extra=draw(st.lists(any_date, max_size=4)),
    )


@st.composite
def ranges(draw: st.DrawFn) -> tuple[date, date, date]:
    """A range [start, end] and a split point: [start, middle] and (middle, end]."""
    start = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 6, 30)))
    length = draw(st.integers(1, 200))
    middle = start + timedelta(draw(st.integers(0, length - 1)))
    return start, middle, start + timedelta(length)


@settings(max_examples=75, deadline=None)
@given(spec=random_panels(), span=ranges(), holidays=st.sampled_from(["ENG", "SCT"]))
def test_calendar_properties(
    spec: dict[str, Any], span: tuple[date, date, date], holidays: str
) -> None:
    model = authority(spec, holidays=holidays)
    workdays = working_calendar(holidays)
    extra = set(model.panels[0].extra)
    start, middle, end = span
    whole = generate_sittings(model, start, end)

    for s in whole:
        assert start <= s.date <= end
        # A working day, unless the model asked for an extra sitting on that date.
        assert workdays.is_working_day(s.date) or s.date in extra
        # Cancelled dates are gone, unless added back as extras.
        assert s.date not in model.panels[0].cancelled or s.date in extra
        for moment in (s.cutoff, s.papers_out):
            if moment is not None:
                assert workdays.is_working_day(moment.date())
                assert moment < s.opens

    # Sorted, and one sitting per panel and date.
    assert list(whole) == sorted(whole)
    assert len({(s.panel, s.date) for s in whole}) == len(whole)

    # The range only selects: two halves make the whole.
    first = generate_sittings(model, start, middle)
    second = generate_sittings(model, middle + timedelta(1), end)
    assert first + second == whole
