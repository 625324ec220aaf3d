"""Workbooks as councils save them: formulas with and without their saved values, and dates
kept as Excel serial numbers in cells formatted General."""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from panelsched.cli.main import app
from panelsched.errors import InputError
from panelsched.io.cells import Where, parse_date, parse_moment
from panelsched.io.inputs import REFERRAL_DATES, load_referrals
from panelsched.io.model_file import load_model
from panelsched.io.tables import read_table

ROOT = Path(__file__).resolve().parents[2]
LAMBETH = ROOT / "models" / "lambeth.yaml"
EXAMPLE = ROOT / "examples" / "lambeth" / "referrals.csv"


def save(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def cache(path: Path, values: dict[str, str]) -> None:
    """Give formula cells the value Excel would have saved with them (openpyxl writes
    formulas with no value, as a program that never calculates does)."""
    with zipfile.ZipFile(path) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    sheet = entries["xl/worksheets/sheet1.xml"].decode()
    for ref, value in values.items():
        sheet, count = re.subn(
            rf'<c r="{ref}"><f>(.*?)</f><v\s*/>',
            rf'<c r="{ref}" t="str"><f>\1</f><v>{value}</v>',
            sheet,
        )
        assert count == 1, ref
    entries["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries.items():
            target.writestr(name, data)


HEADER: list[object] = ["referral_id", "panel", "submitted", "social_worker", "team_manager"]


# --------------------------------------------------------------------------- formulas


def test_a_formula_is_read_as_the_value_excel_saved(tmp_path: Path) -> None:
    # C2 is ="2027-01"&"-04"; Excel saved its result, 2027-01-04, beside it.
    path = save(
        tmp_path / "r.xlsx",
        [HEADER, ["R1", "lam-crp", '="2027-01"&"-04"', "SW1", "TM1"]],
    )
    cache(path, {"C2": "2027-01-04"})
    table = read_table(path)
    assert table.rows[0]["submitted"] == "2027-01-04"
    (referral,) = load_referrals(path, load_model(LAMBETH))
    assert referral.submitted == datetime(2027, 1, 4)


def test_a_formula_with_no_saved_value_is_named_not_called_empty(tmp_path: Path) -> None:
    # openpyxl, like other programs that do not calculate, saves C2 and D3 with no value.
    path = save(
        tmp_path / "r.xlsx",
        [
            ["Referral ID", "Panel", "Submitted", "Social Worker", "Team Manager"],
            ["R1", "lam-crp", '=A1&"-01"', "SW1", "TM1"],
            ["R2", "lam-crp", "2027-01-04", "=B2", "TM1"],
        ],
    )
    with pytest.raises(InputError) as exc:
        read_table(path)
    found = [(p.row, p.column, p.message) for p in exc.value.problems]
    advice = "open it in Excel and save it again, or paste the column as values"
    assert found == [
        (
            2,
            "Submitted",
            f'the cell is a formula (=A1&"-01") whose value was not saved '
            f"in the workbook; {advice}",
        ),
        (
            3,
            "Social Worker",
            f"the cell is a formula (=B2) whose value was not saved in the workbook; {advice}",
        ),
    ]
    assert str(exc.value.problems[0]).startswith(f"{path}, row 2, column 'Submitted':")


def test_a_long_formula_is_shortened_in_the_message(tmp_path: Path) -> None:
    formula = "=" + "+".join(["A1"] * 30)
    path = save(tmp_path / "r.xlsx", [HEADER, ["R1", "lam-crp", formula, "SW1", "TM1"]])
    with pytest.raises(InputError) as exc:
        read_table(path)
    (problem,) = exc.value.problems
    # 37 characters of the formula, then "...".
    assert f"({formula[:37]}...)" in problem.message


def test_a_text_cell_that_looks_like_a_formula_is_text_not_a_formula(tmp_path: Path) -> None:
    # An apostrophe-prefixed "=HYPERLINK" typed in Excel is a string cell, read as written.
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["referral_id"])
    sheet["A2"] = "=HYPERLINK(1)"
    sheet["A2"].data_type = "s"
    book.save(tmp_path / "r.xlsx")
    assert read_table(tmp_path / "r.xlsx").rows == ({"referral_id": "=HYPERLINK(1)"},)


# --------------------------------------------------------------------------- serial numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 46391 days after Excel's day 0 (31/12/1899, counting the 29/02/1900 that never
        # was): Monday 4 January 2027.
        ("46391", date(2027, 1, 4)),
        ("46391.0", date(2027, 1, 4)),
        ("36526", date(2000, 1, 1)),
        ("109574", date(2199, 12, 31)),
    ],
)
def test_a_serial_number_is_a_date(text: str, expected: date) -> None:
    assert parse_date(text, Where("r.xlsx", 2, "cla_review")) == expected


def test_a_serial_with_a_fraction_is_a_moment() -> None:
    # 0.395833... of a day is 9 h 30 min less a hair; it rounds to the minute.
    assert parse_moment("46391.3958333", Where("r.xlsx", 2, "submitted")) == datetime(
        2027, 1, 4, 9, 30
    )
    assert parse_moment("46391", Where("r.xlsx", 2, "submitted")) == datetime(2027, 1, 4)


OUT_OF_RANGE = (
    "is a number, not a date; if Excel shows it as a date, it is outside 36526 (01/01/2000) "
    "to 109574 (31/12/2199), so format the column as Date in Excel and check it, or type "
    "dates like 04/01/2027"
)


@pytest.mark.parametrize(
    ("parser", "text", "message"),
    [
        (parse_date, "5", f"'5' {OUT_OF_RANGE}"),
        (parse_date, "36525", f"'36525' {OUT_OF_RANGE}"),
        (parse_date, "109575", f"'109575' {OUT_OF_RANGE}"),
        (parse_date, "2027", f"'2027' {OUT_OF_RANGE}"),
        (parse_moment, "999999.5", f"'999999.5' {OUT_OF_RANGE}"),
        (
            parse_date,
            "46391.5",
            "'46391.5' is a date with a time (12:00); expected a date like 2027-01-04 or "
            "04/01/2027 (day first)",
        ),
        (parse_date, "-46391", "'-46391' is not a date; expected a date like 2027-01-04"),
    ],
)
def test_bad_serial_numbers_are_refused_precisely(parser: object, text: str, message: str) -> None:
    assert callable(parser)
    with pytest.raises(InputError) as exc:
        parser(text, Where("r.xlsx", 7, "CLA review"))
    (problem,) = exc.value.problems
    assert (problem.row, problem.column) == (7, "CLA review")
    assert problem.message.startswith(message)


def test_a_serial_typed_on_the_command_line_is_not_a_date() -> None:
    result = CliRunner().invoke(app, ["calendar", str(LAMBETH), "--from", "46391"])
    assert result.exit_code == 2
    assert "--from: '46391' is not a date" in result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- one plan


def _example_rows(count: int) -> tuple[list[str], list[dict[str, str]]]:
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for _, row in zip(range(count), reader, strict=False)]
        return list(reader.fieldnames or []), rows


def _serial(day: datetime) -> float:
    # Excel's 1900 system: day 1 is 01/01/1900 and day 60 the 29/02/1900 that never was,
    # so from March 1900 on a serial is the days since 30/12/1899.
    span = day - datetime(1899, 12, 30)
    return span.days + span.seconds / 86400


def _workbooks(tmp_path: Path, count: int) -> dict[str, Path]:
    """The first ``count`` example referrals three ways: dates as text, as date cells and
    as serial numbers in General cells."""
    header, rows = _example_rows(count)
    dated = ("submitted", *REFERRAL_DATES)
    ways: dict[str, Path] = {}
    for way in ("text", "dates", "serials"):
        table: list[list[object]] = [list(header)]
        for row in rows:
            cells: list[object] = []
            for name in header:
                text = row[name]
                if name in dated and text and way != "text":
                    moment = datetime.fromisoformat(text)
                    cells.append(moment if way == "dates" else _serial(moment))
                else:
                    cells.append(text)
            table.append(cells)
        ways[way] = save(tmp_path / f"referrals-{way}.xlsx", table)
    return ways


def test_dates_as_text_date_cells_and_serials_give_the_same_referrals(tmp_path: Path) -> None:
    authority = load_model(LAMBETH)
    ways = _workbooks(tmp_path, 60)
    read = {way: load_referrals(path, authority) for way, path in ways.items()}
    assert len(read["text"]) == 60
    assert any(r.cla_review for r in read["text"])  # the serials cover optional dates too
    assert read["dates"] == read["text"]
    assert read["serials"] == read["text"]


def test_dates_as_text_date_cells_and_serials_give_the_same_plan(tmp_path: Path) -> None:
    ways = _workbooks(tmp_path, 25)
    plans = {}
    for way, path in ways.items():
        out = tmp_path / f"plan-{way}"
        result = CliRunner().invoke(
            app,
            ["plan", str(LAMBETH), "--referrals", str(path), "--method", "greedy",
             "--from", "04/01/2027", "--to", "31/03/2027", "--out", str(out)],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        plans[way] = (out / "bookings.csv").read_bytes()
    assert plans["text"].count(b"\n") > 10  # most of the 25 cases are booked
    assert plans["dates"] == plans["text"]
    assert plans["serials"] == plans["text"]
