"""Reading and checking the bookings the plots draw."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pandas as pd
import pytest

from panelsched.errors import InputError
from panelsched.plots.data import booked_minutes, bookings_table, read_bookings


def test_read_bookings_types_every_column(bookings_csv: Path) -> None:
    table = read_bookings(bookings_csv)
    first = table.iloc[0]
    assert (first["date"], first["start"], first["end"]) == (
        date(2027, 4, 7),
        time(10, 0),
        time(10, 30),
    )
    # 10:00 to 10:30 is 30 minutes.
    assert first["minutes"] == 30
    assert first["deadline"] == date(2027, 4, 9)
    assert table["late"].tolist() == [
        False,
        False,
        False,
        True,
        False,
        False,
        False,
        True,
        False,
        False,
    ]
    assert table.iloc[1]["deadline"] is None


def test_wait_and_lateness_are_worked_out_when_absent(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text(
        "referral_id,panel,date,start,end,submitted,deadline\n"
        "R-1,res,08/04/2027,13:00,13:15,2027-03-30 16:00,2027-04-01\n"
    )
    row = read_bookings(path).iloc[0]
    # Submitted 30 March, heard 8 April (day first, so not 4 August): 9 days; due 1 April: late.
    assert row["wait_days"] == 9
    assert bool(row["late"]) is True


def test_booked_minutes_per_sitting(bookings: pd.DataFrame) -> None:
    used = booked_minutes(bookings)
    # Resource panel on 08/04: four 15-minute slots; legal on 07/04: two 30-minute slots.
    assert used["res@2027-04-08"] == 60
    assert used["legal@2027-04-07"] == 60
    assert used["perm@2027-04-07"] == 30
    assert sum(used.values()) == 60 + 60 + 30 + 15 + 15


def test_a_checked_table_passes_through_unchanged(bookings: pd.DataFrame) -> None:
    table = bookings_table(bookings)
    assert bookings_table(table) is table


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("R-1,res,2027-02-30,13:00,13:15", "row 2, column 'date': '2027-02-30'"),
        ("R-1,res,2027-04-08,1pm,13:15", "row 2, column 'start': '1pm'"),
        ("R-1,res,2027-04-08,13:15,13:00", "row 2, column 'end': 13:00 is not after the start"),
        (",res,2027-04-08,13:00,13:15", "row 2, column 'referral_id': the cell is empty"),
        ("R-1,,2027-04-08,13:00,13:15", "row 2, column 'panel': the cell is empty"),
    ],
)
def test_bad_cells_name_file_row_and_column(tmp_path: Path, row: str, expected: str) -> None:
    path = tmp_path / "b.csv"
    path.write_text(f"referral_id,panel,date,start,end\n{row}\n")
    with pytest.raises(InputError) as caught:
        read_bookings(path)
    assert str(caught.value).startswith(f"{path}, {expected}")


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("referral_id,panel,date,start\nR-1,res,2027-04-08,13:00\n")
    with pytest.raises(InputError, match=r"column 'end': this required column is missing"):
        read_bookings(path)


def test_every_bad_cell_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text(
        "referral_id,panel,date,start,end,wait_days\n"
        "R-1,res,2027-04-08,13:00,13:15,x\n"
        "R-2,res,someday,13:15,13:30,3\n"
    )
    with pytest.raises(InputError) as caught:
        read_bookings(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "wait_days"), (3, "date")]


def test_a_frame_with_a_bad_cell_names_its_row() -> None:
    frame = pd.DataFrame(
        [["R-1", "res", "2027-04-08", "13:00", "13:15"], ["R-2", "res", "2027-04-08", "x", "y"]],
        columns=["referral_id", "panel", "date", "start", "end"],
    )
    with pytest.raises(InputError) as caught:
        bookings_table(frame, "plan")
    # The header is row 1, so the second booking is row 3.
    assert {(p.file, p.row, p.column) for p in caught.value.problems} == {
        ("plan", 3, "start"),
        ("plan", 3, "end"),
    }
