"""exports/tables.py: the sittings table behind sittings.csv, the workbook and the terminal."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting
from panelsched.exports.tables import moment_text, sittings_frame, uk_moment, write_csv
from tests.helpers import builders
from tests.helpers.builders import CALENDAR_PANELS

# The columns of sittings.csv as issue 2 documents them, in order.
DOCUMENTED = [
    "panel",
    "panel_name",
    "date",
    "weekday",
    "start",
    "end",
    "cutoff",
    "papers_out",
    "capacity_minutes",
    "note",
]


@pytest.fixture
def authority() -> Authority:
    return builders.authority(CALENDAR_PANELS["crp"])


def easter_sitting(note: str = "") -> Sitting:
    # Thursday 1 April 2027; "MO 13:00" would be Monday 29 March (Easter Monday) and Friday 26
    # is Good Friday, so the cut-off is Thursday 25 March at 13:00.
    return Sitting(
        date=date(2027, 4, 1),
        start=time(13, 0),
        panel="crp",
        end=time(16, 0),
        cutoff=datetime(2027, 3, 25, 13, 0),
        papers_out=None,
        capacity_minutes=180,
        note=note,
    )


def test_the_frame_has_the_documented_columns_in_order(authority: Authority) -> None:
    frame = sittings_frame(authority, [easter_sitting()])
    assert list(frame.columns) == DOCUMENTED


def test_a_row_is_iso_text_with_the_panel_name(authority: Authority) -> None:
    row = sittings_frame(authority, [easter_sitting()]).iloc[0].to_dict()
    # ISO date, 24-hour times, moments without seconds; no papers-out gives an empty cell.
    assert row == {
        "panel": "crp",
        "panel_name": "Children's Resource Panel",
        "date": "2027-04-01",
        "weekday": "Thursday",
        "start": "13:00",
        "end": "16:00",
        "cutoff": "2027-03-25T13:00",
        "papers_out": "",
        "capacity_minutes": 180,
        "note": "",
    }


def test_no_sittings_gives_an_empty_frame_with_the_columns(authority: Authority) -> None:
    frame = sittings_frame(authority, [])
    assert frame.empty
    assert list(frame.columns) == DOCUMENTED


def test_moment_texts() -> None:
    moment = datetime(2027, 3, 25, 13, 0)
    assert moment_text(moment) == "2027-03-25T13:00"
    assert moment_text(None) == ""
    # 25 March 2027 is a Thursday.
    assert uk_moment(moment) == "Thu 25/03 13:00"
    assert uk_moment(None) == ""


def test_csv_has_a_header_and_newline_line_ends(authority: Authority, tmp_path: Path) -> None:
    path = tmp_path / "sittings.csv"
    write_csv(sittings_frame(authority, [easter_sitting("extra sitting")]), path)
    data = path.read_bytes()
    assert b"\r" not in data
    lines = data.decode("utf-8").split("\n")
    # Header, one row, and the empty string after the final "\n".
    assert lines == [
        ",".join(DOCUMENTED),
        "crp,Children's Resource Panel,2027-04-01,Thursday,13:00,16:00,2027-03-25T13:00,,180,"
        "extra sitting",
        "",
    ]


def test_csv_neutralises_a_leading_formula_trigger(authority: Authority, tmp_path: Path) -> None:
    path = tmp_path / "sittings.csv"
    write_csv(sittings_frame(authority, [easter_sitting("=1+1")]), path)
    last = path.read_text(encoding="utf-8").splitlines()[1]
    # The note is the last column; a spreadsheet must show it as the text '=1+1.
    assert last.endswith(",'=1+1")
