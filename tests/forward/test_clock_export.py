"""The diary's workbook has a Clocks sheet when the model sets statutory clocks (issue 26,
"Counted"): the rows of ``planner clocks``, worked out by hand in test_clock_counts.py."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from panelsched.forward import Store
from panelsched.forward.clock_counts import CLOCK_COLUMNS
from panelsched.forward.diary_files import ExportRange, planner_xlsx_bytes
from tests.helpers.clock_counts import DECIDED, build_clock_diary


def test_the_workbook_counts_the_clocks_by_month(tmp_path: Path) -> None:
    db = build_clock_diary(tmp_path)
    with Store.open(db) as store:
        diary = store.diary()
    span = ExportRange(date(2027, 6, 1), date(2027, 7, 31), DECIDED)
    book = load_workbook(io.BytesIO(planner_xlsx_bytes(diary, span)))
    assert book.sheetnames == ["sen", "Reviews due", "Clocks"]
    sheet = book["Clocks"]
    header, june, july = sheet.iter_rows(values_only=True)
    assert header == CLOCK_COLUMNS
    # June: 6 started, 3 in time, 2 late (5 and 12 days), 1 paused, 1 open past its last
    # sitting; July: 3 started, all open in time.
    name, source = "6-week assessment decision", "SEND Regulations 2014, reg. 5"
    assert june == (name, source, datetime(2027, 6, 1), 6, 3, 2, 8.5, 12, 0.6, 1, 0, 1)
    assert july == (name, source, datetime(2027, 7, 1), 3, 0, 0, None, None, None, 0, 3, 0)
    assert sheet["C2"].number_format == "mmmm yyyy" and sheet["I2"].number_format == "0%"


def test_a_model_without_clocks_has_no_clocks_sheet(store: Store) -> None:
    span = ExportRange(date(2027, 3, 1), date(2027, 3, 31), datetime(2027, 3, 1, 9))
    book = load_workbook(io.BytesIO(planner_xlsx_bytes(store.diary(), span)))
    assert "Clocks" not in book.sheetnames
