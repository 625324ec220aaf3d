"""validate(): bookings and records together, the summary per rule, and not checked."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority
from panelsched.core.referrals import Referral
from panelsched.errors import InputError
from panelsched.validator import Record, Records, load_bookings, validate


def write(tmp_path: Path, text: str, name: str = "bookings.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def summary_of(found, rule: str) -> tuple[str, int, int, int, int]:  # type: ignore[no-untyped-def]
    line = next(s for s in found.summary if s.rule == rule)
    return line.status, line.checked, line.passed, line.failed, line.not_checked


def test_bookings_with_referrals(tmp_path: Path, authority: Authority) -> None:
    # C-1's CLA review is on 23 March: booked 11 March it is 12 days before (S6). C-2 is not
    # in the bookings, so it counts as unplaced.
    referrals = [
        Referral(
            "C-1", "crp", datetime(2027, 3, 1, 9), "SW-01", "TM-01", cla_review=date(2027, 3, 23)
        ),
        Referral("C-2", "crp", datetime(2027, 3, 1, 9), "SW-02", "TM-02"),
    ]
    path = write(tmp_path, "referral_id,panel,date,start,end\nC-1,crp,2027-03-11,13:00,13:15\n")
    found = validate(authority, bookings=load_bookings(path), referrals=referrals)
    assert [(f.rule, f.message) for f in found.findings] == [
        ("S6", "heard 11/03/2027, 12 days before the CLA review on 23/03/2027; needs 21")
    ]
    assert (found.errors, found.warnings) == (1, 0)
    assert summary_of(found, "S6") == ("failed", 1, 0, 1, 0)
    assert summary_of(found, "PLAN") == ("passed", 2, 2, 0, 0)
    # Nothing speaks to P4 here: not checked, never passed.
    assert summary_of(found, "P4") == ("not checked", 0, 0, 0, 0)


def test_bookings_alone_leave_what_they_cannot_know_not_checked(
    tmp_path: Path, authority: Authority
) -> None:
    # Without referrals: no submission times (S2), no presenters (S5), no complexity (S3/S4
    # slot lengths). The 20-minute slot is not called wrong; the window still is checked.
    path = write(
        tmp_path,
        "referral_id,panel,date,start,end\nC-1,crp,2027-03-11,13:00,13:20\n"
        "C-2,crp,2027-03-11,14:55,15:10\n",
    )
    found = validate(authority, bookings=load_bookings(path))
    assert [(f.rule, f.referral_id, f.message) for f in found.findings] == [
        ("S3", "C-2", "slot 14:55-15:10 runs outside the 13:00-15:00 window")
    ]
    assert summary_of(found, "S2") == ("not checked", 0, 0, 0, 2)
    assert summary_of(found, "S5") == ("not checked", 0, 0, 0, 2)


def test_bookings_alone_need_their_panel(tmp_path: Path, authority: Authority) -> None:
    path = write(tmp_path, "referral_id,date,start\nC-1,2027-03-11,13:00\n")
    with pytest.raises(InputError) as caught:
        validate(authority, bookings=load_bookings(path))
    [problem] = caught.value.problems
    assert (problem.column, problem.message) == (
        "panel",
        "this column is needed when no referrals file is given",
    )


def test_a_pinned_booking_is_kept_as_pinned(tmp_path: Path, authority: Authority) -> None:
    # A pinned booking on a day its SW is away is a warning, not an error.
    referrals = [Referral("C-1", "crp", datetime(2027, 3, 1, 9), "SW-01", "TM-01")]
    leave = [Unavailability("SW-01", datetime(2027, 3, 11), datetime(2027, 3, 11))]
    path = write(tmp_path, "referral_id,date,start,pinned\nC-1,2027-03-11,13:00,yes\n")
    found = validate(
        authority, bookings=load_bookings(path), referrals=referrals, availability=leave
    )
    assert [(f.rule, f.severity) for f in found.findings] == [("S5", "warning")]
    assert found.errors == 0


def test_records_and_bookings_tally_together(tmp_path: Path, authority: Authority) -> None:
    path = write(tmp_path, "referral_id,panel,date,start,end\nC-1,crp,2027-03-10,13:00,13:15\n")
    records = Records(
        "records.csv",
        (Record("C-9", "crp", date(2027, 3, 4)), Record("C-8", "crp", date(2027, 3, 5))),
        frozenset({"referral_id", "panel", "date"}),
    )
    found = validate(authority, bookings=load_bookings(path), records=records)
    # S1 over three items: the booking on a Wednesday and the record on a Friday fail.
    assert summary_of(found, "S1") == ("failed", 3, 1, 2, 0)
    # Findings are sorted by sitting: 5 March before 10 March.
    assert [f.referral_id for f in found.findings if f.rule == "S1"] == ["C-8", "C-1"]


def test_same_input_same_findings(tmp_path: Path, authority: Authority) -> None:
    records = Records(
        "records.csv",
        tuple(Record(f"C-{n}", "crp", date(2027, 3, 4 + n % 3)) for n in range(30)),
        frozenset({"referral_id", "panel", "date"}),
    )
    assert validate(authority, records=records) == validate(authority, records=records)


def test_bad_bookings_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "referral_id,date,start\nC-1,2027-03-11,25:00\n,2027-03-11,13:00\n")
    with pytest.raises(InputError) as caught:
        load_bookings(path)
    assert [(p.row, p.column, p.message) for p in caught.value.problems] == [
        (2, "start", "'25:00' is not a time of day; expected a time like 09:30 (24-hour clock)"),
        (3, "referral_id", "the cell is empty; name the case"),
    ]


def test_bookings_read_the_planners_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "referral_id,panel,date,start,end,social_worker,team_manager,submitted,deadline,"
        "wait_days,late,pinned\n"
        "C-1,crp,2027-03-11,13:00,13:15,SW-01,TM-01,2027-03-01 09:00,2027-03-20,10,no,no\n",
    )
    [row] = load_bookings(path).rows
    assert (row.panel, row.end, row.submitted, row.deadline, row.pinned) == (
        "crp",
        time(13, 15),
        datetime(2027, 3, 1, 9),
        date(2027, 3, 20),
        False,
    )
