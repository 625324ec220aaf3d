"""exports/xlsx.py: one sheet per panel, real Excel dates, inert text, reproducible bytes."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting
from panelsched.exports.xlsx import (
    put_row,
    save_workbook,
    sheet_title,
    workbook_bytes,
    write_sittings_xlsx,
)
from tests.helpers import builders
from tests.helpers.builders import CALENDAR_PANELS

HYPERLINK = '=HYPERLINK("http://example.org","click me")'


@pytest.fixture
def authority() -> Authority:
    return builders.authority(*CALENDAR_PANELS.values())


def crp(day: date, cutoff: datetime, note: str = "") -> Sitting:
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


# Thursday 1 April 2027, cut-off Thursday 25 March 13:00 (Easter moved it back from Monday).
EASTER = crp(date(2027, 4, 1), datetime(2027, 3, 25, 13, 0), note="extra sitting")
# Thursday 15 July 2027, cut-off Monday 12 July 13:00; its note looks like a formula.
JULY = crp(date(2027, 7, 15), datetime(2027, 7, 12, 13, 0), note=HYPERLINK)


def export(authority: Authority, sittings: list[Sitting], path: Path) -> openpyxl.Workbook:
    write_sittings_xlsx(authority, sittings, path)
    return openpyxl.load_workbook(path)


def test_one_sheet_per_panel_in_model_order(authority: Authority, tmp_path: Path) -> None:
    book = export(authority, [JULY, EASTER], tmp_path / "s.xlsx")
    assert book.sheetnames == ["crp", "ctp"]


def test_a_panel_without_sittings_gets_a_header_only_sheet(
    authority: Authority, tmp_path: Path
) -> None:
    sheet = export(authority, [EASTER], tmp_path / "s.xlsx")["ctp"]
    assert sheet.max_row == 1
    assert sheet["A1"].value == "panel"


def test_the_header_is_bold_frozen_and_filtered(authority: Authority, tmp_path: Path) -> None:
    sheet = export(authority, [EASTER, JULY], tmp_path / "s.xlsx")["crp"]
    # The columns of sittings.csv, as issue 2 documents them.
    assert [c.value for c in sheet[1]] == [
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
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    # Ten columns A-J, the header and two sittings.
    assert sheet.auto_filter.ref == "A1:J3"


def test_dates_times_and_moments_are_real_excel_values(
    authority: Authority, tmp_path: Path
) -> None:
    sheet = export(authority, [EASTER], tmp_path / "s.xlsx")["crp"]
    day, start, cutoff = sheet["C2"], sheet["E2"], sheet["G2"]
    # openpyxl reads a date cell back as midnight of that day.
    assert day.is_date
    assert (day.value, day.number_format) == (datetime(2027, 4, 1), "dd/mm/yyyy")
    assert start.is_date
    assert (start.value, start.number_format) == (time(13, 0), "hh:mm")
    assert cutoff.is_date
    assert (cutoff.value, cutoff.number_format) == (
        datetime(2027, 3, 25, 13, 0),
        "dd/mm/yyyy hh:mm",
    )
    assert (sheet["I2"].value, sheet["I2"].data_type) == (180, "n")
    # No papers-out moment: the cell is empty, not an empty string.
    assert sheet["H2"].value is None


def test_formula_like_text_stays_text(authority: Authority, tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    note = export(authority, [JULY], path)["crp"]["J2"]
    assert (note.value, note.data_type) == (HYPERLINK, "s")
    # Excel's quote prefix keeps it text even after someone edits the cell.
    assert note.quotePrefix
    with zipfile.ZipFile(path) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_plain_text_has_no_quote_prefix(authority: Authority, tmp_path: Path) -> None:
    sheet = export(authority, [EASTER], tmp_path / "s.xlsx")["crp"]
    assert (sheet["J2"].value, sheet["J2"].quotePrefix) == ("extra sitting", False)


def test_columns_are_sized_to_their_content(authority: Authority, tmp_path: Path) -> None:
    sheet = export(authority, [EASTER, JULY], tmp_path / "s.xlsx")["crp"]
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    # Widest value plus two: "Children's Resource Panel" is 25, "dd/mm/yyyy" 10,
    # "capacity_minutes" (the header) 16, the hyperlink note 43.
    assert widths["B"] == 27
    assert widths["C"] == 12
    assert widths["I"] == 18
    assert widths["J"] == len(HYPERLINK) + 2 == 45


def test_the_same_input_gives_the_same_bytes(authority: Authority, tmp_path: Path) -> None:
    write_sittings_xlsx(authority, [EASTER, JULY], tmp_path / "a.xlsx")
    write_sittings_xlsx(authority, [EASTER, JULY], tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_nothing_in_the_file_comes_from_the_clock(authority: Authority, tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    book = export(authority, [EASTER, JULY], path)
    # The latest sitting ends on 15 July 2027 at 16:00 BST, 15:00 UTC.
    assert book.properties.created == datetime(2027, 7, 15, 15, 0)
    assert book.properties.modified == datetime(2027, 7, 15, 15, 0)
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_saved_file_is_the_workbooks_bytes(tmp_path: Path) -> None:
    moment = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    book = Workbook()
    put_row(book.active, 1, ["case", date(2027, 3, 4)])
    content = workbook_bytes(book, moment)
    save_workbook(book, tmp_path / "w.xlsx", moment)
    assert (tmp_path / "w.xlsx").read_bytes() == content
    assert openpyxl.load_workbook(tmp_path / "w.xlsx").active["A1"].value == "case"


def test_panels_chooses_the_sheets(authority: Authority, tmp_path: Path) -> None:
    write_sittings_xlsx(authority, [EASTER], tmp_path / "s.xlsx", panels=["crp"])
    assert openpyxl.load_workbook(tmp_path / "s.xlsx").sheetnames == ["crp"]


@pytest.mark.parametrize(
    ("text", "taken", "expected"),
    [
        ("lam-crp", [], "lam-crp"),
        ("x" * 40, [], "x" * 31),  # Excel's limit is 31 characters
        ("a/b:c[d]*?\\", [], "a-b-c-d----"),  # characters Excel forbids become '-'
        ("'quoted'", [], "quoted"),  # nor may a title start or end with an apostrophe
        ("History", [], "History-"),  # Excel reserves this name
        ("", [], "Sheet"),
        ("CRP", ["crp"], "CRP~2"),  # titles are unique ignoring case
        ("crp", ["crp", "crp~2"], "crp~3"),
        ("y" * 40, ["y" * 31], "y" * 29 + "~2"),  # the suffix fits within 31
    ],
)
def test_sheet_title(text: str, taken: list[str], expected: str) -> None:
    assert sheet_title(text, taken) == expected


def test_put_row_refuses_an_aware_datetime() -> None:
    sheet = Workbook().create_sheet("x")
    with pytest.raises(ValueError, match="naive"):
        put_row(sheet, 1, [datetime(2027, 1, 1, tzinfo=UTC)])


def test_put_row_drops_characters_the_file_cannot_hold(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.create_sheet("x")
    # NUL and BEL are not allowed in the workbook's XML; saving would fail with them.
    put_row(sheet, 1, ["a\x00b\x07c", 3, None, ""])
    assert [c.value for c in sheet[1]] == ["abc", 3]
    book.save(tmp_path / "x.xlsx")
