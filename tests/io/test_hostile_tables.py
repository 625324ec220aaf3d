"""Hostile spreadsheets (issue 31, item 8): small files that unpack to millions of cells or
hundreds of megabytes of text are refused before openpyxl reads them, with one message naming
the file and sheet; a broken file's problems are listed 20 at a time. The workbooks are
tests/helpers/hostile_xlsx.py's; the time and memory a refusal takes are measured by
benchmarks/bench_hostile_inputs.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from panelsched.cli.main import app
from panelsched.errors import InputError
from panelsched.io import tables, workbook
from panelsched.io.tables import read_table
from tests.helpers.hostile_xlsx import (
    HEADER,
    header_row,
    hostile,
    one_text_row,
    text_blocks,
    wide_row,
)

ROOT = Path(__file__).resolve().parents[2]
LAMBETH = ROOT / "models" / "lambeth.yaml"


def _refused(path: Path) -> InputError:
    # How fast and in how little memory is benchmarks/bench_hostile_inputs.py's to measure.
    with pytest.raises(InputError) as exc:
        read_table(path)
    return exc.value


def test_a_row_of_two_million_cells_is_refused_at_once(tmp_path: Path) -> None:
    # The file: 104 KB, one row of 2,000,000 cells, which gave a page of 1,999,999
    # problems; refused from the row's 257th cell.
    path = hostile(tmp_path / "wide.xlsx", wide_row(2_000_000))
    assert path.stat().st_size < 200_000
    error = _refused(path)
    assert [str(p) for p in error.problems] == [
        f"{path}, row 2: sheet 'Sheet1' has a row of more than 256 cells, more than panelsched "
        "reads (at most 256 columns); delete the columns to the right of the table and save the "
        "workbook again"
    ]


def test_a_sheet_whose_used_range_is_too_wide_is_refused_from_its_dimension(
    tmp_path: Path,
) -> None:
    # XFD is column 16,384: refused from the sheet's first bytes, before a row is scanned.
    path = hostile(tmp_path / "wide.xlsx", wide_row(20_000), dimension="A1:XFD2")
    error = _refused(path)
    assert [p.message for p in error.problems] == [
        "sheet 'Sheet1' uses 16,384 columns (to column XFD), more than panelsched reads (at "
        "most 256); delete the columns to the right of the table and save the workbook again"
    ]


def test_shared_strings_of_300_mb_are_refused_before_they_are_read(tmp_path: Path) -> None:
    # The 310 KB file whose text unpacks to 300 MB: refused from the zip's directory.
    path = hostile(tmp_path / "text.xlsx", one_text_row(), text_blocks(300))
    assert path.stat().st_size < 400_000
    error = _refused(path)
    assert [p.message for p in error.problems] == [
        "the workbook unpacks to more than panelsched reads: its part xl/sharedStrings.xml is "
        "300 MB, and at most 64 MB is read; save the table alone in a new workbook, or as CSV, "
        "and give that"
    ]


def test_a_sheet_of_too_many_cells_is_refused_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "MAX_CELLS", 12)
    rows = [header_row()] + [
        f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c><c r="B{n}" t="s"><v>0</v></c></row>'.encode()
        for n in range(2, 6)
    ]
    # 5 header cells and 2 in each of rows 2-5: the 13th cell, in row 5, is one too many.
    error = _refused(hostile(tmp_path / "many.xlsx", rows))
    assert [p.message for p in error.problems] == [
        "sheet 'Sheet1' has more than 12 cells, more than panelsched reads from one file; split "
        "it (by year, say) and give each part in turn"
    ]


def test_a_csv_row_of_too_many_cells_is_refused_as_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(HEADER + "\n" + "R1,lam-crp,2027-01-04,SW1,TM1" + ",x" * 2_000_000 + "\n")
    error = _refused(path)
    assert [str(p) for p in error.problems] == [
        f"{path}, row 2: the row has more than 256 cells, more than panelsched reads (at most "
        "256 columns); delete the columns to the right of the table"
    ]


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
    error = _refused(path)
    assert [str(p) for p in error.problems] == [
        f"{path}, row 2, column 'submitted': the cell holds 100,000 characters, more than the "
        "4,000 panelsched reads in a cell; shorten it"
    ]
