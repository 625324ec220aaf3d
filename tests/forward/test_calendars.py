"""forward/calendars.py: planner.ics and the per-panel and per-person calendars, re-imported.

Each file is read back by two parsers that share no code: icalendar's and the ``ics``
package's. A calendar client keeps, for each UID, the copy with the highest SEQUENCE; that rule
is :func:`imported` below, so "importing the second export on top of the first" is checked as a
client would do it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import ics
import pytest
from icalendar import Calendar

from panelsched.forward import Store, cancel, extra
from panelsched.forward.calendars import (
    PANELS_FOLDER,
    PEOPLE_FOLDER,
    file_names,
    write_planner_ics,
    write_shared_calendars,
)
from panelsched.forward.diary_files import stamp
from tests.helpers.forward import FAST, actor, add_file, decide_file, referral, write_rows

START, END = date(2027, 3, 1), date(2027, 6, 30)


def export(store: Store, path: Path) -> Path:
    diary = store.diary()
    write_planner_ics(diary, START, END, stamp(diary), path)
    return path


def by_uid(path: Path) -> dict[str, Any]:
    """The file's events by UID, read by icalendar; a UID twice in one file fails."""
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    found = {str(e["UID"]): e for e in events}
    assert len(found) == len(events)
    return found


def imported(*paths: Path) -> dict[str, Any]:
    """What a client holds after importing the files in turn: for each UID, the copy with the
    highest SEQUENCE (a later copy with the same SEQUENCE replaces it too, as RFC 5546 allows)."""
    held: dict[str, Any] = {}
    for path in paths:
        for uid, event in by_uid(path).items():
            if uid not in held or int(event["SEQUENCE"]) >= int(held[uid]["SEQUENCE"]):
                held[uid] = event
    return held


def utc(event: Any, key: str = "DTSTART") -> datetime:
    moment = event.decoded(key)
    assert isinstance(moment, datetime)
    return moment.astimezone(UTC)


def other_parser(path: Path) -> dict[str, Any]:
    """The file's events by UID as the ``ics`` package reads them."""
    events = ics.Calendar(path.read_text(encoding="utf-8")).events
    found = {e.uid: e for e in events}
    assert len(found) == len(events)
    return found


@pytest.fixture
def booked(store: Store, tmp_path: Path) -> Store:
    """R-1 and R-2 at Thursday 4 March (GMT), R-3 at Thursday 8 April (BST)."""
    rows = [
        referral("R-1", "2027-03-01 09:00"),
        referral("R-2", "2027-03-01 09:05"),
        # Misses 1 April's cut-off: Monday 29 March is Easter Monday, so it closed on
        # Thursday 25 March 13:00 (Good Friday the 26th); 8 April's is Monday 5 April 13:00.
        referral("R-3", "2027-03-26 09:00"),
    ]
    add_file(store, actor("2027-03-01 10:00"), write_rows(tmp_path / "r.csv", rows), settings=FAST)
    return store


def test_a_moved_case_updates_its_event_instead_of_adding_one(
    booked: Store, tmp_path: Path
) -> None:
    before = export(booked, tmp_path / "before.ics")
    cancel(booked, actor("2027-03-02 09:00"), "crp@2027-03-04", "chair unwell", settings=FAST)
    after = export(booked, tmp_path / "after.ics")
    old, new = by_uid(before)["hearing-R-1@panelsched"], by_uid(after)["hearing-R-1@panelsched"]
    # Booked once: SEQUENCE 0. Moved: that booking ended (1) and a new one made (2).
    assert (int(old["SEQUENCE"]), int(new["SEQUENCE"])) == (0, 2)
    # 4 March 13:00 GMT is 13:00 UTC; the next Thursday, 11 March, is GMT too.
    assert utc(old) == datetime(2027, 3, 4, 13, 0, tzinfo=UTC)
    assert utc(new).date() == date(2027, 3, 11)
    # A client importing both holds one R-1 event, at its new time, and the sitting cancelled.
    held = imported(before, after)
    assert [uid for uid in held if "R-1" in uid] == ["hearing-R-1@panelsched"]
    assert utc(held["hearing-R-1@panelsched"]).date() == date(2027, 3, 11)
    assert str(held["crp-20270304@panelsched"]["STATUS"]) == "CANCELLED"
    # The sitting's cut-off goes too, and its revision went from 0 to 1 (one change).
    assert str(held["cutoff-crp-20270304@panelsched"]["STATUS"]) == "CANCELLED"
    assert int(held["crp-20270304@panelsched"]["SEQUENCE"]) == 1
    # The other parser reads the same: one event, the same UID, the new time.
    theirs = other_parser(after)
    assert theirs["hearing-R-1@panelsched"].begin.to("UTC").date() == date(2027, 3, 11)


def test_times_are_right_in_gmt_and_in_bst(booked: Store, tmp_path: Path) -> None:
    path = export(booked, tmp_path / "planner.ics")
    ours, theirs = by_uid(path), other_parser(path)
    # Thursday 4 March 2027, 13:00 on the clock, GMT (UTC+0): 13:00 UTC.
    # Thursday 8 April 2027, 13:00 on the clock, BST (UTC+1, from 28 March): 12:00 UTC.
    expected = {
        "hearing-R-1@panelsched": datetime(2027, 3, 4, 13, 0, tzinfo=UTC),
        "hearing-R-3@panelsched": datetime(2027, 4, 8, 12, 0, tzinfo=UTC),
    }
    for uid, moment in expected.items():
        assert utc(ours[uid]) == moment
        assert theirs[uid].begin.to("UTC").datetime == moment


def test_sequence_counts_the_changes_in_the_store(booked: Store, tmp_path: Path) -> None:
    records = write_rows(
        tmp_path / "d.csv",
        [
            {
                "referral_id": "R-2",
                "panel": "crp",
                "date": "2027-03-04",
                "outcome": "approve",
                "review_date": "2027-06-03",
            }
        ],
    )
    decide_file(booked, actor("2027-03-05 09:00"), records, settings=FAST)
    # An extra sitting on Tuesday 16 March (a working day), then cancelled.
    extra(booked, actor("2027-03-05 10:00"), "crp", date(2027, 3, 16), settings=FAST)
    cancel(booked, actor("2027-03-05 11:00"), "crp@2027-03-16", "no room", settings=FAST)
    events = by_uid(export(booked, tmp_path / "planner.ics"))
    # booked once (0), then its outcome recorded (1). R-3 booked once: 0.
    assert int(events["hearing-R-2@panelsched"]["SEQUENCE"]) == 1
    assert int(events["hearing-R-3@panelsched"]["SEQUENCE"]) == 0
    # The extra sitting: added (its creation, 0), then cancelled (1).
    assert int(events["crp-20270316@panelsched"]["SEQUENCE"]) == 1
    assert str(events["crp-20270316@panelsched"]["STATUS"]) == "CANCELLED"
    # A sitting nobody changed keeps 0.
    assert int(events["crp-20270311@panelsched"]["SEQUENCE"]) == 0
    assert str(events["crp-20270311@panelsched"]["STATUS"]) == "CONFIRMED"


def test_a_case_left_without_a_sitting_is_cancelled_not_left_behind(
    store: Store, tmp_path: Path
) -> None:
    # SW-9 is away from 5 March to the end of the year, so 4 March is R-9's only sitting.
    away = write_rows(
        tmp_path / "away.csv", [{"person": "SW-9", "from": "2027-03-05", "to": "2027-12-31"}]
    )
    rows = write_rows(tmp_path / "r.csv", [referral("R-9", "2027-03-01 09:00")])
    add_file(store, actor("2027-03-01 10:00"), rows, away, settings=FAST)
    before = export(store, tmp_path / "before.ics")
    cancel(store, actor("2027-03-02 09:00"), "crp@2027-03-04", "chair unwell", settings=FAST)
    after = export(store, tmp_path / "after.ics")
    assert store.diary().waiting()
    event = imported(before, after)["hearing-R-9@panelsched"]
    # Booked (0), booking ended (1): cancelled at its old time, so the calendar drops it.
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 1)
    assert utc(event) == datetime(2027, 3, 4, 13, 0, tzinfo=UTC)


def test_a_case_moved_out_of_the_range_still_updates(booked: Store, tmp_path: Path) -> None:
    diary = booked.diary()
    # Only March: on 4 March.
    write_planner_ics(diary, START, date(2027, 3, 7), stamp(diary), tmp_path / "a.ics")
    cancel(booked, actor("2027-03-02 09:00"), "crp@2027-03-04", "chair unwell", settings=FAST)
    diary = booked.diary()
    write_planner_ics(diary, START, date(2027, 3, 7), stamp(diary), tmp_path / "b.ics")
    # 11 March is outside the range, but R-1 was in it: its event follows it there.
    event = by_uid(tmp_path / "b.ics")["hearing-R-1@panelsched"]
    assert utc(event).date() == date(2027, 3, 11)


def test_each_panel_and_each_person_gets_a_file(booked: Store, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    (folder / PEOPLE_FOLDER).mkdir(parents=True)
    (folder / PEOPLE_FOLDER / "left-over.ics").write_bytes(b"old")
    (folder / PEOPLE_FOLDER / "notes.txt").write_text("mine", encoding="utf-8")
    diary = booked.diary()
    paths = write_shared_calendars(diary, START, END, stamp(diary), folder)
    names = [str(p.relative_to(folder)) for p in paths]
    panels = [f"{PANELS_FOLDER}/{p}.ics" for p in ("crp", "neet", "ptp", "ctp")]
    people = [f"{PEOPLE_FOLDER}/{p}.ics" for p in ("SW-1", "SW-2", "SW-3", "TM-1", "TM-2", "TM-3")]
    assert names == panels + people
    # A presenter's file holds their own slot and nothing else.
    assert list(by_uid(folder / PEOPLE_FOLDER / "SW-3.ics")) == ["hearing-R-3@panelsched"]
    # A panel's file: its own sittings, cut-offs and slots; none of another panel's.
    crp = by_uid(folder / PANELS_FOLDER / "crp.ics")
    assert {"crp-20270304@panelsched", "cutoff-crp-20270304@panelsched"} <= set(crp)
    assert {"hearing-R-1@panelsched", "hearing-R-2@panelsched"} <= set(crp)
    assert not any("neet" in uid for uid in crp)
    # Every export rewrites the folder's calendars (the left-over one is gone), nothing else.
    assert not (folder / PEOPLE_FOLDER / "left-over.ics").exists()
    assert (folder / PEOPLE_FOLDER / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_same_store_gives_the_same_files(booked: Store, tmp_path: Path) -> None:
    diary = booked.diary()
    first = write_shared_calendars(diary, START, END, stamp(diary), tmp_path / "a")
    second = write_shared_calendars(diary, START, END, stamp(diary), tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        (["SW-1", "TM-01"], {"SW-1": "SW-1.ics", "TM-01": "TM-01.ics"}),
        # A role with a slash or a leading @ cannot make a folder or a hidden file.
        (["SW/2", "@IRO 1"], {"@IRO 1": "IRO_1.ics", "SW/2": "SW_2.ics"}),
        (["..", ""], {"": "person.ics", "..": "person-2.ics"}),
        # Two names that would give one file: the second in name order is numbered.
        (["SW 2", "SW_2"], {"SW 2": "SW_2.ics", "SW_2": "SW_2-2.ics"}),
    ],
)
def test_file_names_are_safe_and_distinct(people: list[str], expected: dict[str, str]) -> None:
    assert file_names(people) == expected
