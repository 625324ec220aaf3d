"""exports/ics.py: sittings and cut-offs as an iCalendar file Outlook and Google import cleanly."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import ics
import pytest
from icalendar import Calendar, Event

from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting
from panelsched.exports.ics import (
    TimedEvent,
    build_calendar,
    calendar_bytes,
    sitting_events,
    vtimezone,
    write_sittings_ics,
)
from tests.helpers import builders
from tests.helpers.builders import CALENDAR_PANELS


@pytest.fixture
def authority() -> Authority:
    return builders.authority(*CALENDAR_PANELS.values(), timezone="Europe/London")


def crp(day: date, cutoff: datetime | None, note: str = "") -> Sitting:
    return Sitting(
        date=day,
        start=time(13, 0),
        panel="crp",
        end=time(16, 0),
        cutoff=cutoff,
        papers_out=None,
        capacity_minutes=180,
        note=note,
    )


# Thursday 14 January 2027 (GMT) with its Monday cut-off, 11 January 13:00.
JANUARY = crp(date(2027, 1, 14), datetime(2027, 1, 11, 13, 0))
# Thursday 15 July 2027 (BST) with its Monday cut-off, 12 July 13:00.
JULY = crp(date(2027, 7, 15), datetime(2027, 7, 12, 13, 0))
# Thursday 1 April 2027 sits in BST (clocks went forward on Sunday 28 March) but its cut-off,
# Thursday 25 March 13:00 (Easter moved it back from Monday 29), is still in GMT.
EASTER = crp(date(2027, 4, 1), datetime(2027, 3, 25, 13, 0))
# Tuesday 9 February 2027, a panel without a cut-off.
COURT = Sitting(
    date=date(2027, 2, 9),
    start=time(14, 0),
    panel="ctp",
    end=time(17, 0),
    cutoff=None,
    papers_out=None,
    capacity_minutes=180,
)


def export(authority: Authority, sittings: list[Sitting], path: Path) -> tuple[bytes, Calendar]:
    write_sittings_ics(authority, sittings, path)
    data = path.read_bytes()
    return data, Calendar.from_ical(data)


def events(cal: Calendar) -> dict[str, Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def utc(event: Event, key: str) -> datetime:
    moment = event.decoded(key)
    assert isinstance(moment, datetime)
    return moment.astimezone(UTC)


def test_a_summer_sitting_is_written_in_local_time_an_hour_ahead_of_utc(
    authority: Authority, tmp_path: Path
) -> None:
    data, cal = export(authority, [JULY], tmp_path / "s.ics")
    event = events(cal)["crp-20270715@panelsched"]
    # Wall-clock 13:00 with the zone named, so clients show 13:00 whatever their own zone.
    assert b"DTSTART;TZID=Europe/London:20270715T130000\r\n" in data
    # In July London keeps BST (UTC+1): 13:00-16:00 local is 12:00-15:00 UTC.
    assert utc(event, "DTSTART") == datetime(2027, 7, 15, 12, 0, tzinfo=UTC)
    assert utc(event, "DTEND") == datetime(2027, 7, 15, 15, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Children's Resource Panel (crp)"


def test_a_winter_sitting_is_at_the_same_time_in_utc(authority: Authority, tmp_path: Path) -> None:
    _, cal = export(authority, [JANUARY], tmp_path / "s.ics")
    event = events(cal)["crp-20270114@panelsched"]
    # In January London keeps GMT (UTC+0): 13:00 local is 13:00 UTC.
    assert utc(event, "DTSTART") == datetime(2027, 1, 14, 13, 0, tzinfo=UTC)
    assert utc(event, "DTEND") == datetime(2027, 1, 14, 16, 0, tzinfo=UTC)


def test_each_cutoff_is_a_timed_reminder_at_the_cutoff_moment(
    authority: Authority, tmp_path: Path
) -> None:
    _, cal = export(authority, [EASTER], tmp_path / "s.ics")
    found = events(cal)
    sitting = found["crp-20270401@panelsched"]
    reminder = found["cutoff-crp-20270401@panelsched"]
    # The cut-off (Thu 25 March 13:00) is before the clocks change: GMT, 13:00 UTC; the sitting
    # (Thu 1 April 13:00) is after: BST, 12:00 UTC.
    assert utc(reminder, "DTSTART") == datetime(2027, 3, 25, 13, 0, tzinfo=UTC)
    assert utc(reminder, "DTEND") == datetime(2027, 3, 25, 13, 15, tzinfo=UTC)
    assert utc(sitting, "DTSTART") == datetime(2027, 4, 1, 12, 0, tzinfo=UTC)
    assert str(reminder["SUMMARY"]) == "Cut-off: Children's Resource Panel Thu 01/04/2027"
    # A reminder does not make anyone look busy.
    assert str(reminder["TRANSP"]) == "TRANSPARENT"
    assert str(sitting["TRANSP"]) == "OPAQUE"


def test_a_sitting_without_a_cutoff_has_no_reminder(authority: Authority, tmp_path: Path) -> None:
    _, cal = export(authority, [COURT], tmp_path / "s.ics")
    assert list(events(cal)) == ["ctp-20270209@panelsched"]


def test_the_note_and_cutoff_are_in_the_description(authority: Authority, tmp_path: Path) -> None:
    moved = crp(
        date(2027, 12, 29),
        datetime(2027, 12, 24, 13, 0),
        note="moved from 2027-12-28 (Boxing Day (observed))",
    )
    _, cal = export(authority, [moved], tmp_path / "s.ics")
    text = str(events(cal)["crp-20271229@panelsched"]["DESCRIPTION"])
    # 24 December 2027 is a Friday.
    assert text.splitlines() == [
        "moved from 2027-12-28 (Boxing Day (observed))",
        "Cut-off: Fri 24/12/2027 13:00",
    ]


def test_the_calendar_header(authority: Authority, tmp_path: Path) -> None:
    data, cal = export(authority, [JANUARY], tmp_path / "s.ics")
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//panelsched//EN\r\n")
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Testshire panel sittings"


def test_every_line_ends_crlf(authority: Authority, tmp_path: Path) -> None:
    data, _ = export(authority, [JANUARY, EASTER, JULY], tmp_path / "s.ics")
    assert data.endswith(b"\r\n")
    # Splitting on CRLF leaves no bare LF or CR behind.
    assert all(b"\n" not in line and b"\r" not in line for line in data.split(b"\r\n"))


def test_the_vtimezone_is_compact_rules_without_rdate(authority: Authority, tmp_path: Path) -> None:
    data, cal = export(authority, [JANUARY, JULY], tmp_path / "s.ics")
    assert b"RDATE" not in data
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    # The VTIMEZONE comes before the events that use it.
    assert data.index(b"BEGIN:VTIMEZONE") < data.index(b"BEGIN:VEVENT")
    (summer,) = zone.walk("DAYLIGHT")
    (winter,) = zone.walk("STANDARD")
    # BST starts on the last Sunday of March at 01:00 GMT (01:00 on the clock), +0000 to +0100;
    # 29 March 1970 was the last Sunday of March 1970.
    assert summer.decoded("DTSTART") == datetime(1970, 3, 29, 1, 0)
    assert summer["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    assert (summer.decoded("TZOFFSETFROM"), summer.decoded("TZOFFSETTO")) == (
        timedelta(0),
        timedelta(hours=1),
    )
    assert str(summer["TZNAME"]) == "BST"
    # GMT returns on the last Sunday of October at 02:00 BST (01:00 UTC); 25 October 1970.
    assert winter.decoded("DTSTART") == datetime(1970, 10, 25, 2, 0)
    assert winter["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"
    assert (winter.decoded("TZOFFSETFROM"), winter.decoded("TZOFFSETTO")) == (
        timedelta(hours=1),
        timedelta(0),
    )
    assert str(winter["TZNAME"]) == "GMT"


# The UK's clock changes, 01:00 UTC on the last Sunday of March and of October, worked out from
# a calendar: 2026: 29 March, 25 October; 2027: 28 March, 31 October; 2028: 26 March, 29 October.
CLOCK_CHANGES = [
    (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), timedelta(hours=1)),
    (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), timedelta(0)),
    (datetime(2027, 3, 28, 1, 0, tzinfo=UTC), timedelta(hours=1)),
    (datetime(2027, 10, 31, 1, 0, tzinfo=UTC), timedelta(0)),
    (datetime(2028, 3, 26, 1, 0, tzinfo=UTC), timedelta(hours=1)),
    (datetime(2028, 10, 29, 1, 0, tzinfo=UTC), timedelta(0)),
]


def test_the_vtimezone_read_on_its_own_changes_the_clocks_at_the_right_moments() -> None:
    # lookup_tzid=False makes icalendar build the zone from our rules (via dateutil) instead of
    # looking "Europe/London" up in the zone database, so this checks what a client reads.
    zone = vtimezone("Europe/London", [2026, 2027, 2028]).to_tz(lookup_tzid=False)
    for change, offset_after in CLOCK_CHANGES:
        before = (change - timedelta(minutes=1)).astimezone(zone).utcoffset()
        after = change.astimezone(zone).utcoffset()
        assert (before, after) == (timedelta(hours=1) - offset_after, offset_after), change


@pytest.mark.parametrize(
    ("zone_name", "years"),
    [
        ("America/New_York", [2027]),  # second Sunday of March, first of November
        ("Australia/Sydney", [2027]),  # southern hemisphere: summer time over new year
        ("Asia/Tokyo", [2027]),  # no clock changes at all
        ("America/Mexico_City", [2022, 2023]),  # gave up summer time after October 2022
    ],
)
def test_the_vtimezone_agrees_with_the_zone_database_elsewhere(
    zone_name: str, years: list[int]
) -> None:
    component = vtimezone(zone_name, years)
    assert b"RDATE" not in component.to_ical()
    ours = component.to_tz(lookup_tzid=False)
    reference = ZoneInfo(zone_name)
    moment = datetime(years[0], 1, 1, 12, 0, tzinfo=UTC)
    while moment.year <= years[-1]:
        assert moment.astimezone(ours).utcoffset() == moment.astimezone(reference).utcoffset()
        moment += timedelta(days=1)


def test_uids_name_the_sitting_so_a_later_export_updates_it(
    authority: Authority, tmp_path: Path
) -> None:
    _, first = export(authority, [JANUARY, JULY], tmp_path / "a.ics")
    _, second = export(authority, [JULY, EASTER], tmp_path / "b.ics")
    # The July sitting and its cut-off keep their UIDs whatever else is in the export.
    shared = {"crp-20270715@panelsched", "cutoff-crp-20270715@panelsched"}
    assert set(events(first)) & set(events(second)) == shared


def test_the_same_input_gives_the_same_bytes(authority: Authority, tmp_path: Path) -> None:
    sittings = [JANUARY, COURT, EASTER, JULY]
    first, _ = export(authority, sittings, tmp_path / "a.ics")
    second, _ = export(authority, sittings, tmp_path / "b.ics")
    assert first == second


def test_dtstamp_comes_from_the_input_not_the_clock(authority: Authority, tmp_path: Path) -> None:
    _, cal = export(authority, [JANUARY, JULY], tmp_path / "s.ics")
    # The latest sitting ends on 15 July 2027 at 16:00 BST, which is 15:00 UTC.
    stamps = {e.decoded("DTSTAMP") for e in cal.walk("VEVENT")}
    assert stamps == {datetime(2027, 7, 15, 15, 0, tzinfo=UTC)}


def test_no_sittings_still_gives_a_valid_calendar(authority: Authority, tmp_path: Path) -> None:
    data, cal = export(authority, [], tmp_path / "s.ics")
    assert cal.walk("VEVENT") == []
    # RFC 5545 wants at least one component; the zone is it.
    assert len(cal.walk("VTIMEZONE")) == 1
    assert data == export(authority, [], tmp_path / "again.ics")[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"start": datetime(2027, 1, 1, 9, tzinfo=UTC), "end": datetime(2027, 1, 1, 10)},
            "naive local times",
        ),
        ({"start": datetime(2027, 1, 1, 10), "end": datetime(2027, 1, 1, 9)}, "ends before"),
        (
            {"start": datetime(2027, 1, 1, 9), "end": datetime(2027, 1, 1, 10), "sequence": -1},
            "negative SEQUENCE",
        ),
        (
            {
                "start": datetime(2027, 1, 1, 9),
                "end": datetime(2027, 1, 1, 10),
                "alarm_before": timedelta(minutes=-5),
            },
            "alarm after it starts",
        ),
    ],
)
def test_a_timed_event_refuses_bad_times(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TimedEvent(uid="x@panelsched", summary="x", **kwargs)


def test_a_calendar_named_with_a_line_break_is_one_line_and_whole() -> None:
    # A person's calendar is named after their id, which a referrals file may give with a
    # line break in it; icalendar writes X-WR-CALNAME as given, so the name must be one line.
    event = TimedEvent("x@panelsched", "x", datetime(2027, 1, 1, 9), datetime(2027, 1, 1, 10))
    stamp = datetime(2027, 1, 1, tzinfo=UTC)
    data = calendar_bytes([event], "Europe/London", "slots for R-9\nEND:VCALENDAR", stamp)
    assert b"X-WR-CALNAME:slots for R-9 END:VCALENDAR\r\n" in data
    assert [line for line in data.split(b"\r\n") if line == b"END:VCALENDAR"] == [b"END:VCALENDAR"]
    assert len(Calendar.from_ical(data).walk("VEVENT")) == 1


def test_a_calendar_refuses_two_events_with_one_uid() -> None:
    event = TimedEvent("x@panelsched", "x", datetime(2027, 1, 1, 9), datetime(2027, 1, 1, 10))
    stamp = datetime(2027, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="share a UID"):
        build_calendar([event, event], "Europe/London", "t", stamp)


def test_every_event_says_its_revision_and_status(authority: Authority, tmp_path: Path) -> None:
    data, cal = export(authority, [JANUARY, COURT], tmp_path / "s.ics")
    # Nothing has changed yet: revision 0, confirmed. A client keeps the copy with the higher
    # SEQUENCE, so a later change must raise it (the forward planner's files do).
    assert {int(e["SEQUENCE"]) for e in cal.walk("VEVENT")} == {0}
    assert {str(e["STATUS"]) for e in cal.walk("VEVENT")} == {"CONFIRMED"}
    assert data.count(b"SEQUENCE:0\r\n") == 3  # two sittings, one cut-off


@pytest.mark.parametrize(
    ("sitting", "trigger", "before"),
    [
        # Monday 11 January 13:00: the working day before is Friday 8 January, 3 days.
        (JANUARY, b"-P3D", timedelta(days=3)),
        # Thursday 25 March 13:00: Wednesday 24 March, 1 day.
        (EASTER, b"-P1D", timedelta(days=1)),
        # Tuesday 4 May 2027 13:00: Monday 3 May is the early May bank holiday, so the working
        # day before is Friday 30 April, 4 days.
        (crp(date(2027, 5, 6), datetime(2027, 5, 4, 13, 0)), b"-P4D", timedelta(days=4)),
    ],
)
def test_a_cutoff_has_an_alarm_one_working_day_before(
    authority: Authority, tmp_path: Path, sitting: Sitting, trigger: bytes, before: timedelta
) -> None:
    data, cal = export(authority, [sitting], tmp_path / "s.ics")
    reminder = events(cal)[f"cutoff-crp-{sitting.date:%Y%m%d}@panelsched"]
    (alarm,) = reminder.walk("VALARM")
    assert b"TRIGGER:" + trigger + b"\r\n" in data
    assert alarm.decoded("TRIGGER") == -before
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert str(alarm["DESCRIPTION"]) == str(reminder["SUMMARY"])
    # The sitting itself has no alarm: people's own calendars remind them of meetings.
    assert events(cal)[f"crp-{sitting.date:%Y%m%d}@panelsched"].walk("VALARM") == []


PAPERS = Sitting(
    date=date(2027, 1, 14),
    start=time(13, 0),
    panel="crp",
    end=time(16, 0),
    cutoff=datetime(2027, 1, 11, 13, 0),
    papers_out=datetime(2027, 1, 12, 17, 0),
    capacity_minutes=180,
)


def test_papers_out_is_an_event_of_its_own(authority: Authority, tmp_path: Path) -> None:
    _, cal = export(authority, [PAPERS], tmp_path / "s.ics")
    found = events(cal)
    assert list(found) == [
        "crp-20270114@panelsched",
        "cutoff-crp-20270114@panelsched",
        "papers-crp-20270114@panelsched",
    ]
    papers = found["papers-crp-20270114@panelsched"]
    # Tuesday 12 January 17:00 GMT, a quarter of an hour that makes nobody busy.
    assert utc(papers, "DTSTART") == datetime(2027, 1, 12, 17, 0, tzinfo=UTC)
    assert utc(papers, "DTEND") == datetime(2027, 1, 12, 17, 15, tzinfo=UTC)
    assert str(papers["SUMMARY"]) == "Papers out: Children's Resource Panel Thu 14/01/2027"
    assert str(papers["TRANSP"]) == "TRANSPARENT"
    assert papers.walk("VALARM") == []


def test_a_panel_location_is_on_its_sittings(tmp_path: Path) -> None:
    located = builders.authority(
        CALENDAR_PANELS["crp"] | {"location": "Room 2, Civic Centre"}, CALENDAR_PANELS["ctp"]
    )
    _, cal = export(located, [PAPERS, COURT], tmp_path / "s.ics")
    found = events(cal)
    assert str(found["crp-20270114@panelsched"]["LOCATION"]) == "Room 2, Civic Centre"
    # A deadline happens nowhere, and a panel without a location gets none.
    assert "LOCATION" not in found["cutoff-crp-20270114@panelsched"]
    assert "LOCATION" not in found["ctp-20270209@panelsched"]


def test_a_cancelled_sitting_cancels_its_cutoff_and_papers_too(authority: Authority) -> None:
    chosen = sitting_events(
        authority,
        [PAPERS],
        sequences={"crp@2027-01-14": 2},
        cancelled={"crp@2027-01-14": "room flooded"},
    )
    cal = build_calendar(chosen, "Europe/London", "t", datetime(2027, 1, 1, tzinfo=UTC))
    found = events(cal)
    assert len(found) == 3
    assert {(str(e["STATUS"]), int(e["SEQUENCE"])) for e in found.values()} == {("CANCELLED", 2)}
    assert {str(e["TRANSP"]) for e in found.values()} == {"TRANSPARENT"}
    # No alarm for a cut-off that no longer exists.
    assert found["cutoff-crp-20270114@panelsched"].walk("VALARM") == []
    sitting = found["crp-20270114@panelsched"]
    assert str(sitting["SUMMARY"]) == "CANCELLED: Children's Resource Panel (crp)"
    assert str(sitting["DESCRIPTION"]).splitlines()[0] == "Cancelled: room flooded"


def test_a_second_parser_reads_the_same_times_and_alarms(
    authority: Authority, tmp_path: Path
) -> None:
    path = tmp_path / "s.ics"
    write_sittings_ics(authority, [JANUARY, EASTER, JULY], path)
    # The ics package parses with its own code, not icalendar's.
    found = {e.uid: e for e in ics.Calendar(path.read_text(encoding="utf-8")).events}
    assert len(found) == 6
    # Sittings at 13:00 on the clock: GMT in January (13:00 UTC), BST in April and July (12:00).
    assert found["crp-20270114@panelsched"].begin.to("UTC").hour == 13
    assert found["crp-20270401@panelsched"].begin.to("UTC").hour == 12
    assert found["crp-20270715@panelsched"].begin.to("UTC").hour == 12
    # Easter's cut-off, Thursday 25 March 13:00, is still GMT; its alarm a day before.
    cutoff = found["cutoff-crp-20270401@panelsched"]
    assert cutoff.begin.to("UTC").datetime == datetime(2027, 3, 25, 13, 0, tzinfo=UTC)
    assert [a.trigger for a in cutoff.alarms] == [-timedelta(days=1)]
