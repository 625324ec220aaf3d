"""exports/plan_files.py: bookings.csv, unplaced.csv, agendas.md and summary.json.

January 2027: the Resource Panel (crp) sits Thursdays 13:00-14:00 (15-minute slots, 20 for
complex cases), cut-off the Monday before at 13:00, papers out the Tuesday before at 17:00.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time
from functools import partial
from pathlib import Path

import pytest

from panelsched.core.availability import Unavailability
from panelsched.core.plan import Booking, PinnedBooking, Plan
from panelsched.exports.plan_files import (
    agendas_markdown,
    bookings_frame,
    unplaced_frame,
    write_plan_files,
)
from panelsched.planner.explain import explain
from panelsched.planner.metrics import summarise
from panelsched.planner.problem import ProblemData, build_problem
from panelsched.validator import LATENESS_RULES, check_plan
from tests.helpers.builders import authority
from tests.helpers.builders import referral as make_referral

JAN7, JAN14 = date(2027, 1, 7), date(2027, 1, 14)
FORMULA = '=HYPERLINK("http://x")'

# bookings.csv as issue 3 lists its columns, in order.
BOOKING_COLUMNS = [
    "referral_id",
    "panel",
    "date",
    "start",
    "end",
    "social_worker",
    "team_manager",
    "submitted",
    "deadline",
    "wait_days",
    "late",
    "pinned",
]

AUTHORITY = authority("crp")
referral = partial(make_referral, submitted=datetime(2027, 1, 4, 9, 30))


def at(rid: str, day: date, start: str, end: str, pinned: bool = False) -> Booking:
    return Booking(day, time.fromisoformat(start), "crp", time.fromisoformat(end), rid, pinned)


@pytest.fixture
def example() -> tuple[ProblemData, Plan]:
    # 7 Jan: P1 pinned 13:00, X complex 13:15-13:35, U urgent 13:35-13:50.
    # 14 Jan: C1 (CLA review 28 Jan, due 7 Jan: 7 days late), and a case whose reference
    # would run as a formula in a spreadsheet. N1's social worker is away all range: unplaced.
    data = build_problem(
        AUTHORITY,
        [
            referral("P1"),
            referral("X", complex=True, attendees=("IRO-1",)),
            # A pipe would split a Markdown table cell.
            referral("U", priority="urgent", team_manager="TM-U|2"),
            referral("C1", cla_review=date(2027, 1, 28)),
            referral(FORMULA, social_worker="+SW", team_manager="@TM"),
            referral("N1"),
        ],
        pinned=[PinnedBooking("P1", JAN7, time(13, 0))],
        start=date(2027, 1, 4),
        end=JAN14,
        unavailability=[Unavailability("SW-N1", datetime(2027, 1, 4), datetime(2027, 1, 14))],
    )
    plan = Plan.of(
        [
            at("P1", JAN7, "13:00", "13:15", pinned=True),
            at("X", JAN7, "13:15", "13:35"),
            at("U", JAN7, "13:35", "13:50"),
            at("C1", JAN14, "13:00", "13:15"),
            at(FORMULA, JAN14, "13:15", "13:30"),
        ],
        ["N1"],
    )
    assert [f for f in check_plan(data, plan) if f.rule not in LATENESS_RULES] == []
    return data, plan


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_bookings_have_the_documented_columns_and_values(example):
    data, plan = example
    frame = bookings_frame(data, plan)
    assert list(frame.columns) == BOOKING_COLUMNS
    rows = frame.to_dict("records")
    # In date and time order; C1 waits 4 Jan -> 14 Jan = 10 days, 7 days after its due date.
    assert [r["referral_id"] for r in rows] == ["P1", "X", "U", "C1", FORMULA]
    assert rows[3] == {
        "referral_id": "C1",
        "panel": "crp",
        "date": "2027-01-14",
        "start": "13:00",
        "end": "13:15",
        "social_worker": "SW-C1",
        "team_manager": "TM-C1",
        "submitted": "2027-01-04T09:30",
        "deadline": "2027-01-07",
        "wait_days": 10,
        "late": "yes",
        "pinned": "no",
    }
    assert (rows[0]["pinned"], rows[0]["late"], rows[0]["deadline"]) == ("yes", "no", "")
    assert (rows[1]["start"], rows[1]["end"]) == ("13:15", "13:35")


def test_unplaced_and_late_rows_carry_a_reason_code_and_a_sentence(example):
    data, plan = example
    frame = unplaced_frame(data, plan, explain(data, plan))
    assert list(frame.columns)[:3] == ["referral_id", "panel", "status"]
    assert {"reason_code", "reason", "deadline", "date"} <= set(frame.columns)
    rows = {r["referral_id"]: r for r in frame.to_dict("records")}
    assert set(rows) == {"C1", "N1"}
    assert (rows["C1"]["status"], rows["C1"]["date"], rows["C1"]["deadline"]) == (
        "late",
        "2027-01-14",
        "2027-01-07",
    )
    assert rows["C1"]["reason_code"] == "sittings_full"
    assert rows["C1"]["reason"].startswith("Heard 14/01/2027, 7 days after 07/01/2027")
    assert (rows["N1"]["status"], rows["N1"]["date"]) == ("unplaced", "")
    assert rows["N1"]["reason_code"] == "person_unavailable"


def test_a_cell_that_would_run_as_a_formula_is_neutralised(example, tmp_path):
    data, plan = example
    write_plan_files(tmp_path, data, plan, explain(data, plan), summarise(data, plan))
    rows = read_csv(tmp_path / "bookings.csv")
    assert rows[0] == BOOKING_COLUMNS
    [row] = [r for r in rows if r[0].lstrip("'") == FORMULA]
    # A leading quote makes the cell text (OWASP CSV injection guidance).
    assert (row[0], row[5], row[6]) == ("'" + FORMULA, "'+SW", "'@TM")
    for name in ("bookings.csv", "unplaced.csv"):
        for cells in read_csv(tmp_path / name):
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), cells


def test_agendas_list_each_sitting_slot_by_slot_with_papers_out(example):
    data, plan = example
    text = agendas_markdown(data, plan)
    assert text.startswith("# Agendas: Testshire\n")
    # Papers for 7 Jan go out Tue 5 Jan 17:00, for 14 Jan Tue 12 Jan 17:00.
    first = text.index("## Resource Panel (crp), Thursday 07 January 2027, 13:00-14:00")
    second = text.index("## Resource Panel (crp), Thursday 14 January 2027, 13:00-14:00")
    assert first < second
    block = text[first:second]
    assert "Papers out: Tue 05/01/2027 17:00" in block
    assert "Cut-off: Mon 04/01/2027 13:00" in block
    # 15 + 20 + 15 minutes booked.
    assert "Booked: 50 of 60 minutes" in block
    lines = [line for line in block.splitlines() if line.startswith("| 13:")]
    assert lines == [
        "| 13:00-13:15 | P1 | SW-P1, TM-P1 |  | booked earlier |",
        "| 13:15-13:35 | X | SW-X, TM-X | IRO-1 | complex |",
        "| 13:35-13:50 | U | SW-U, TM-U\\|2 |  | urgent |",
    ]
    assert "Papers out: Tue 12/01/2027 17:00" in text[second:]


def test_written_files_are_the_same_bytes_every_time(example, tmp_path):
    data, plan = example
    summary = summarise(data, plan)
    written = []
    for name in ("one", "two"):
        paths = write_plan_files(tmp_path / name, data, plan, explain(data, plan), summary)
        assert [p.name for p in paths] == [
            "bookings.csv",
            "unplaced.csv",
            "agendas.md",
            "summary.json",
        ]
        written.append([p.read_bytes() for p in paths])
    assert written[0] == written[1]
    for content in written[0]:
        assert b"\r\n" not in content
        assert not content.startswith(b"\xef\xbb\xbf")
    assert json.loads(written[0][3]) == summary
