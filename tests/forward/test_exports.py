"""planner.xlsx, planner.ics, planner.html and outcomes.csv: safe, complete, reproducible."""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from panelsched.forward import Store, cancel
from panelsched.forward.diary_files import (
    DUE_SHEET_COLUMNS,
    OUTCOME_COLUMNS,
    SITTING_SHEET_COLUMNS,
    ExportRange,
    default_range,
    export,
)
from panelsched.forward.views import sitting_views
from tests.helpers.forward import (
    FAST,
    actor,
    add_file,
    add_unchecked,
    decide_file,
    referral,
    write_rows,
)

FORMULA = '=HYPERLINK("http://example.com","x")'
SCRIPT = "<script>alert(1)</script>"
SPAN = ExportRange(date(2027, 3, 1), date(2027, 6, 30), datetime(2027, 3, 5, 9, 0))


@pytest.fixture
def filled(store: Store, tmp_path: Path) -> Store:
    """Four cases fill 4 March (one with a formula for a reference, one with markup), R-1 is
    approved with a review in May, R-4 goes to 11 March, the 18 March sitting is cancelled."""
    rows = [
        referral("R-1", "2027-03-01 09:00"),
        referral(FORMULA, "2027-03-01 09:01", sw="@SW-2", tm="TM-2"),
        referral(SCRIPT, "2027-03-01 09:02", sw="SW-3", tm="TM-3"),
        referral("R-5", "2027-03-01 09:03"),
    ]
    # Given as objects: the readers refuse such references now, but an older diary may hold
    # them and every export must still write them inert.
    add_unchecked(store, actor("2027-03-01 10:00"), rows, settings=FAST)
    records = write_rows(
        tmp_path / "d.csv",
        [
            {
                "referral_id": "R-1",
                "panel": "crp",
                "date": "2027-03-04",
                "outcome": "approve",
                "review_date": "2027-06-03",
            }
        ],
    )
    decide_file(store, actor("2027-03-05 09:00"), records, settings=FAST)
    later = write_rows(tmp_path / "later.csv", [referral("R-4", "2027-03-08 09:00")])
    add_file(store, actor("2027-03-08 10:00"), later, settings=FAST)
    cancel(store, actor("2027-03-09 09:00"), "crp@2027-03-18", "room flooded", settings=FAST)
    return store


def test_the_workbook_has_a_sheet_per_panel_and_one_of_reviews(
    filled: Store, tmp_path: Path
) -> None:
    export(filled.diary(), SPAN, tmp_path / "out")
    book = load_workbook(tmp_path / "out" / "planner.xlsx")
    assert book.sheetnames == ["crp", "neet", "ptp", "ctp", "Reviews due"]
    crp = book["crp"]
    assert [c.value for c in crp[1]] == list(SITTING_SHEET_COLUMNS)
    cases = [row[8].value for row in crp.iter_rows(min_row=2)]
    # 4 March: four cases, grouped by team manager (TM-1, TM-2, TM-3, TM-5); 11 March: R-4
    # (cut-off 8 March 13:00 met); 6 May: R-1's review.
    assert [c for c in cases if c] == ["R-1", FORMULA, SCRIPT, "R-5", "R-4", "R-1#2"]
    notes = [row[14].value for row in crp.iter_rows(min_row=2) if row[14].value]
    assert "cancelled: room flooded" in notes
    reviews = book["Reviews due"]
    assert [c.value for c in reviews[1]] == list(DUE_SHEET_COLUMNS)
    assert [c.value for c in reviews[2]][:3] == [datetime(2027, 6, 3), "R-1#2", "S7"]


def test_no_cell_of_the_workbook_can_run_as_a_formula(filled: Store, tmp_path: Path) -> None:
    export(filled.diary(), SPAN, tmp_path / "out")
    book = load_workbook(tmp_path / "out" / "planner.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    assert all(c.data_type != "f" for c in cells)
    risky = [c for c in cells if isinstance(c.value, str) and c.value[0] in "=+-@"]
    # The formula-like reference and the "@SW-2" role stay text, marked with Excel's quote.
    assert {c.value for c in risky} >= {FORMULA, "@SW-2"}
    assert all(c.quotePrefix for c in risky)


def test_the_calendar_has_sittings_slots_and_the_cancelled_sitting(
    filled: Store, tmp_path: Path
) -> None:
    export(filled.diary(), SPAN, tmp_path / "out")
    data = (tmp_path / "out" / "planner.ics").read_bytes()
    calendar = Calendar.from_ical(data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert str(events["hearing-R-1@panelsched"]["summary"]) == "R-1: Resource Panel"
    start = events["hearing-R-1@panelsched"].decoded("dtstart")
    assert (start.isoformat(), str(start.tzinfo)) == ("2027-03-04T13:00:00+00:00", "Europe/London")
    assert str(events["crp-20270318@panelsched"]["status"]) == "CANCELLED"
    assert "crp-20270311@panelsched" in events and "cutoff-crp-20270311@panelsched" in events
    assert b"\r\n" in data and b"RDATE" not in data
    # The stamp is the store's last change (9 March 09:00 GMT), not the clock.
    assert b"DTSTAMP:20270309T090000Z" in data


def test_the_page_escapes_every_text_and_loads_nothing(filled: Store, tmp_path: Path) -> None:
    export(filled.diary(), SPAN, tmp_path / "out")
    page = (tmp_path / "out" / "planner.html").read_text(encoding="utf-8")
    assert SCRIPT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page
    # Self-contained: no link, image or style sheet from elsewhere.
    assert not re.search(r"(src|href)=\"(?!#)", page)
    assert "Content-Security-Policy" in page
    # A legend in words, and each sitting's fill in words too.
    assert "90% full or more, or no slot left" in page
    assert "full: 4 booked, 0 min free" in page  # 4 March: four 15-minute slots of 60
    assert page.count('class="agenda') == 3  # 4 March, 11 March, 6 May


def test_the_same_store_gives_the_same_bytes(filled: Store, tmp_path: Path) -> None:
    export(filled.diary(), SPAN, tmp_path / "a")
    export(filled.diary(), SPAN, tmp_path / "b")
    for name in ("planner.xlsx", "planner.ics", "planner.html", "outcomes.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_outcomes_csv_lists_cases_heard_without_outcome(filled: Store, tmp_path: Path) -> None:
    # As of 12 March: 4 March (R-1 decided; three others not) and 11 March have sat.
    span = ExportRange(SPAN.start, SPAN.end, datetime(2027, 3, 12, 9, 0))
    export(filled.diary(), span, tmp_path / "out")
    text = (tmp_path / "out" / "outcomes.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert list(rows[0]) == list(OUTCOME_COLUMNS)
    # The formula-like reference is neutralised with a leading quote (OWASP).
    assert [(r["referral_id"], r["date"]) for r in rows] == [
        ("'" + FORMULA, "2027-03-04"),
        (SCRIPT, "2027-03-04"),
        ("R-5", "2027-03-04"),
        ("R-4", "2027-03-11"),
    ]
    assert rows[0]["social_worker"] == "'@SW-2" and rows[0]["outcome"] == ""


def test_fill_bands_say_how_full_a_sitting_is(filled: Store) -> None:
    views = {
        v.sitting.id: v for v in sitting_views(filled.diary(), date(2027, 3, 1), date(2027, 3, 31))
    }
    # 4 March: 60 of 60 minutes; 11 March: 15 of 60 (under half); 25 March: nothing booked.
    assert views["crp@2027-03-04"].band == "full"
    assert views["crp@2027-03-11"].band == "light"
    assert views["crp@2027-03-25"].band == "empty"
    assert views["crp@2027-03-18"].band == "cancelled"


def test_default_range_runs_from_this_month_to_the_last_booking(filled: Store) -> None:
    span = default_range(filled.diary(), datetime(2027, 3, 10, 9, 0))
    # From 1 March; the last booking is 6 May, 13 weeks ahead is 9 June: to 30 June.
    assert (span.start, span.end) == (date(2027, 3, 1), date(2027, 6, 30))
