"""Hostile spreadsheets (issue 31, item 8): small files that unpack to millions of cells or
hundreds of megabytes of text are refused before openpyxl reads them, quickly, with one
message naming the file and sheet; a broken file's problems are listed 20 at a time.

The workbooks are written by hand as zips of XML, as a hostile program would: a few hundred
kilobytes each, built in well under a second.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from panelsched.cli.main import app
from panelsched.errors import InputError
from panelsched.io import tables, workbook
from panelsched.io.tables import read_table

ROOT = Path(__file__).resolve().parents[2]
LAMBETH = ROOT / "models" / "lambeth.yaml"
HEADER = "referral_id,panel,submitted,social_worker,team_manager"

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def hostile(
    path: Path, rows: Iterable[bytes], strings: Iterable[bytes] = (), dimension: str = ""
) -> Path:
    """A one-sheet workbook ("Sheet1") whose sheet XML is ``rows`` and whose shared strings
    are ``strings``, streamed into the zip so a 300 MB part costs no memory to write."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/worksheet" '
            'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{_MAIN}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for part in rows:
                sheet.write(part)
            sheet.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as shared:
            shared.write(f'<sst xmlns="{_MAIN}"><si><t>x</t></si>'.encode())
            for part in strings:
                shared.write(part)
            shared.write(b"</sst>")
    return path


def _header_row() -> bytes:
    cells = "".join(
        f'<c r="{letter}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for letter, name in zip("ABCDE", HEADER.split(","), strict=True)
    )
    return f'<row r="1">{cells}</row>'.encode()


def wide_row(cells: int) -> Iterable[bytes]:
    # One row of `cells` cells, each the shared string "x": 21 bytes a cell, which deflate
    # packs to almost nothing (2,000,000 cells are some 100 KB).
    yield _header_row() + b'<row r="2">'
    block = b'<c t="s"><v>0</v></c>' * 10_000
    for _ in range(cells // 10_000):
        yield block
    yield b"</row>"


def _refused(path: Path) -> tuple[InputError, float]:
    started = time.perf_counter()
    with pytest.raises(InputError) as exc:
        read_table(path)
    return exc.value, time.perf_counter() - started


def test_a_row_of_two_million_cells_is_refused_at_once(tmp_path: Path) -> None:
    # The file: 104 KB, one row of 2,000,000 cells. Before: 32 s and 1.8 GB to read
    # (98 s and 2.7 GB on the server) and a page of 1,999,999 problems.
    path = hostile(tmp_path / "wide.xlsx", wide_row(2_000_000))
    assert path.stat().st_size < 200_000
    error, seconds = _refused(path)
    assert [str(p) for p in error.problems] == [
        f"{path}, row 2: sheet 'Sheet1' has a row of more than 256 cells, more than panelsched "
        "reads (at most 256 columns); delete the columns to the right of the table and save the "
        "workbook again"
    ]
    assert seconds < 2


def test_a_sheet_whose_used_range_is_too_wide_is_refused_from_its_dimension(
    tmp_path: Path,
) -> None:
    # XFD is column 16,384: refused from the sheet's first bytes, before a row is scanned.
    path = hostile(tmp_path / "wide.xlsx", wide_row(20_000), dimension="A1:XFD2")
    error, _ = _refused(path)
    assert [p.message for p in error.problems] == [
        "sheet 'Sheet1' uses 16,384 columns (to column XFD), more than panelsched reads (at "
        "most 256); delete the columns to the right of the table and save the workbook again"
    ]


def test_shared_strings_of_300_mb_are_refused_before_they_are_read(tmp_path: Path) -> None:
    # The 310 KB file whose text unpacks to 300 MB (before: 660 MB to refuse it here,
    # 1 GB on the server).
    block = b"<si><t>" + b"A" * (1 << 20) + b"</t></si>"
    path = hostile(
        tmp_path / "text.xlsx",
        [_header_row(), b'<row r="2"><c r="A2" t="s"><v>1</v></c></row>'],
        (block for _ in range(300)),
    )
    assert path.stat().st_size < 400_000
    error, seconds = _refused(path)
    assert [p.message for p in error.problems] == [
        "the workbook unpacks to more than panelsched reads: its part xl/sharedStrings.xml is "
        "300 MB, and at most 64 MB is read; save the table alone in a new workbook, or as CSV, "
        "and give that"
    ]
    assert seconds < 2


def test_a_sheet_of_too_many_cells_is_refused_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "MAX_CELLS", 12)
    rows = [_header_row()] + [
        f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c><c r="B{n}" t="s"><v>0</v></c></row>'.encode()
        for n in range(2, 6)
    ]
    # 5 header cells and 2 in each of rows 2-5: the 13th cell, in row 5, is one too many.
    error, _ = _refused(hostile(tmp_path / "many.xlsx", rows))
    assert [p.message for p in error.problems] == [
        "sheet 'Sheet1' has more than 12 cells, more than panelsched reads from one file; split "
        "it (by year, say) and give each part in turn"
    ]


def test_a_csv_row_of_too_many_cells_is_refused_as_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(HEADER + "\n" + "R1,lam-crp,2027-01-04,SW1,TM1" + ",x" * 2_000_000 + "\n")
    error, seconds = _refused(path)
    assert [str(p) for p in error.problems] == [
        f"{path}, row 2: the row has more than 256 cells, more than panelsched reads (at most "
        "256 columns); delete the columns to the right of the table"
    ]
    assert seconds < 5


def test_the_limits_leave_the_widest_real_table_alone() -> None:
    # The records file, the widest table read, has some 50 columns.
    from panelsched.io.records import RECORD_COLUMNS

    assert len(RECORD_COLUMNS) < tables.MAX_COLUMNS
    assert workbook.MAX_SHARED_STRINGS_BYTES >= 50 << 20


def test_the_command_line_lists_the_first_20_problems_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    # 25 referrals each naming an unknown panel: 25 problems, of which 20 are printed and
    # the other 5 counted.
    path = tmp_path / "r.csv"
    rows = [f"R{n},nope,2027-01-04,SW1,TM1" for n in range(1, 26)]
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    result = CliRunner().invoke(
        app, ["plan", str(LAMBETH), "--referrals", str(path), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 21
    assert lines[0].startswith(f"error: {path}, row 2, column 'panel': unknown panel 'nope'")
    assert lines[19].startswith(f"error: {path}, row 21, column 'panel'")
    assert lines[20] == "error: and 5 more problems; correct these and run it again to see them"


def test_a_cell_of_100_000_letters_is_refused_without_quoting_it(tmp_path: Path) -> None:
    # A date cell of 100,000 letters: before, the message quoted it whole (2 MB of page for
    # 20 such rows).
    path = tmp_path / "r.csv"
    path.write_text(f"{HEADER}\nR1,lam-crp,{'x' * 100_000},SW1,TM1\n")
    error, _ = _refused(path)
    assert [str(p) for p in error.problems] == [
        f"{path}, row 2, column 'submitted': the cell holds 100,000 characters, more than the "
        "4,000 panelsched reads in a cell; shorten it"
    ]
