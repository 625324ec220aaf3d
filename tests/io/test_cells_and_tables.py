"""Reading CSV/XLSX tables and parsing their cells."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from panelsched.errors import InputError, Problem
from panelsched.io.cells import (
    MAX_YEAR,
    MIN_YEAR,
    Problems,
    Where,
    argument_date,
    argument_moment,
    parse_bool,
    parse_date,
    parse_list,
    parse_moment,
    parse_money,
    parse_time,
)
from panelsched.io.tables import missing_columns, normalise_header, read_table

HERE = Where("referrals.csv", 5, "cla_review")


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def only_problem(exc: pytest.ExceptionInfo[InputError]) -> Problem:
    assert len(exc.value.problems) == 1, exc.value.problems
    return exc.value.problems[0]


# --------------------------------------------------------------------------- read_table: CSV


def test_csv_headers_are_normalised_and_rows_keep_spreadsheet_numbers(tmp_path: Path) -> None:
    # Header on row 1; row 3 is blank (skipped), so the data rows are spreadsheet rows 2 and 4.
    path = write(
        tmp_path,
        "r.csv",
        " Referral ID ,Team  Manager,PANEL\r\n R1 , TM 1 ,lam-crp\r\n,,\r\nR2,TM2,lam-lpp\r\n",
    )
    table = read_table(path)
    assert table.file == str(path)
    assert table.columns == ("referral_id", "team_manager", "panel")
    assert table.headers == ("Referral ID", "Team  Manager", "PANEL")
    assert table.row_numbers == (2, 4)
    assert table.rows[0] == {"referral_id": "R1", "team_manager": "TM 1", "panel": "lam-crp"}
    assert list(table.records())[1] == (
        4,
        {"referral_id": "R2", "team_manager": "TM2", "panel": "lam-lpp"},
    )
    # Problems name the column as the file writes it.
    assert table.at(4, "team_manager") == Where(str(path), 4, "Team  Manager")


def test_utf8_bom_is_removed_from_the_first_header(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.csv", "\ufeffreferral_id,cost\r\nR1,£2\r\n".encode())
    table = read_table(path)
    assert table.columns == ("referral_id", "cost")
    assert table.rows == ({"referral_id": "R1", "cost": "£2"},)


def test_windows_1252_file_from_excel_is_decoded(tmp_path: Path) -> None:
    # In Windows-1252 "£" is byte 0xA3 and "é" is 0xE9; neither is valid UTF-8 on its own.
    data = 'social_worker,cost\r\nZoé Martin,"£2,000"\r\n'.encode("cp1252")
    assert b"\xa3" in data and b"\xe9" in data
    table = read_table(write(tmp_path, "excel.csv", data))
    assert table.rows == ({"social_worker": "Zoé Martin", "cost": "£2,000"},)


def test_utf8_without_bom_is_read_as_utf8(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "u.csv", "name\nZoé\n".encode()))
    assert table.rows == ({"name": "Zoé"},)


def test_header_only_gives_no_rows(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "h.csv", "referral_id,panel\n"))
    assert table.columns == ("referral_id", "panel")
    assert table.rows == ()
    assert table.row_numbers == ()


def test_semicolon_separated_csv_is_read(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "s.csv", "person;from\nSW1;04/01/2027\n"))
    assert table.rows == ({"person": "SW1", "from": "04/01/2027"},)


def test_quoted_cell_spanning_lines_is_one_spreadsheet_row(tmp_path: Path) -> None:
    # Row 2 holds a cell with a line break; the next record is still spreadsheet row 3.
    table = read_table(write(tmp_path, "q.csv", 'a,b\n"x\ny",1\nz,2\n'))
    assert table.row_numbers == (2, 3)
    assert table.rows[0]["a"] == "x\ny"


def test_short_rows_are_padded_and_empty_unnamed_columns_dropped(tmp_path: Path) -> None:
    # Excel writes trailing commas for empty columns; column C has no header and no data.
    table = read_table(write(tmp_path, "p.csv", "a,b,\n1\n2,3,\n"))
    assert table.columns == ("a", "b")
    assert table.rows == ({"a": "1", "b": ""}, {"a": "2", "b": "3"})


def test_apostrophe_put_in_front_of_a_formula_is_dropped(tmp_path: Path) -> None:
    # exports.safety.neutralise writes -R1 as '-R1; a spreadsheet shows -R1, and so do we.
    # An apostrophe before ordinary text is data and stays.
    table = read_table(write(tmp_path, "n.csv", "id,name\n'-R1,'Neill\n"))
    assert table.rows == ({"id": "-R1", "name": "'Neill"},)


def test_normalise_header() -> None:
    assert normalise_header("\ufeff Late\u00a0Permission ") == "late_permission"


# --------------------------------------------------------------------------- read_table: XLSX


def test_xlsx_date_cells_become_iso_text(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Referral ID", "Submitted", "CLA review", "Cost", "Complex", "Start"])
    sheet.append(["R1", datetime(2027, 1, 4, 9, 30), date(2027, 5, 4), 2000, True, time(13, 15)])
    sheet.append([None, None, None, None, None, None])
    sheet.append([123, datetime(2027, 1, 5), datetime(2027, 2, 1), 2000.5, False, None])
    path = tmp_path / "referrals.xlsx"
    book.save(path)

    table = read_table(path)
    assert table.columns == ("referral_id", "submitted", "cla_review", "cost", "complex", "start")
    # Row 3 is blank, so the second case is spreadsheet row 4.
    assert table.row_numbers == (2, 4)
    assert table.rows[0] == {
        "referral_id": "R1",
        "submitted": "2027-01-04 09:30",
        "cla_review": "2027-05-04",
        "cost": "2000",
        "complex": "yes",
        "start": "13:15",
    }
    assert table.rows[1] == {
        "referral_id": "123",
        "submitted": "2027-01-05",
        "cla_review": "2027-02-01",
        "cost": "2000.5",
        "complex": "no",
        "start": "",
    }


def test_xlsx_time_just_short_of_a_minute_rounds_to_it(tmp_path: Path) -> None:
    # Excel keeps 09:30 as a fraction of a day that can read back as 09:29:59.999.
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["submitted"])
    sheet.append([datetime(2027, 1, 4, 9, 29, 59, 999000)])
    path = tmp_path / "t.xlsx"
    book.save(path)
    assert read_table(path).rows == ({"submitted": "2027-01-04 09:30"},)


# --------------------------------------------------------------------------- read_table: errors

BAD_TABLES = [
    pytest.param("missing.csv", None, "no such file", None, None, id="missing"),
    pytest.param(
        "r.txt",
        b"a\n1\n",
        "unknown kind of file '.txt'; expected a .csv or .xlsx file",
        None,
        None,
        id="extension",
    ),
    pytest.param("r.xls", b"a\n", "old-style .xls workbooks cannot be read", None, None, id="xls"),
    pytest.param("r.csv", b"", "the file is empty; expected a header row", None, None, id="empty"),
    pytest.param("r.csv", b"\r\n,,\r\n  \r\n", "the file is empty", None, None, id="blank"),
    pytest.param(
        "r.csv",
        b"Panel,ID,panel\nx,1,y\n",
        "the column 'panel' appears twice (columns A and C)",
        1,
        "panel",
        id="duplicate-column",
    ),
    # 0x81 is neither the start of a UTF-8 character nor a Windows-1252 character.
    pytest.param(
        "r.csv",
        b"a\n\x81\n",
        "cannot decode the file as UTF-8 or Windows-1252",
        None,
        None,
        id="undecodable",
    ),
    pytest.param("r.csv", b"a\x00b\n", "this is not a CSV text file", None, None, id="binary"),
    pytest.param(
        "r.csv",
        b"a,\n1,\n2,3\n",
        "column B holds data but has no header",
        3,
        None,
        id="unnamed-column",
    ),
    pytest.param(
        "r.csv",
        b"a,b\n1,2\n1,2,3\n",
        "the row has cells to the right of the last named column (B)",
        3,
        None,
        id="extra-cells",
    ),
    pytest.param(
        "r.xlsx",
        b"a,b\n1,2\n",
        "cannot open the file as an Excel .xlsx workbook",
        None,
        None,
        id="not-xlsx",
    ),
]


@pytest.mark.parametrize(("name", "data", "message", "row", "column"), BAD_TABLES)
def test_bad_tables_are_refused_naming_the_place(
    tmp_path: Path,
    name: str,
    data: bytes | None,
    message: str,
    row: int | None,
    column: str | None,
) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(InputError) as exc:
        read_table(path)
    problem = only_problem(exc)
    assert message in problem.message
    assert (problem.file, problem.row, problem.column) == (str(path), row, column)


def test_a_directory_is_not_a_table(tmp_path: Path) -> None:
    folder = tmp_path / "d.csv"
    folder.mkdir()
    with pytest.raises(InputError, match="not a file"):
        read_table(folder)


def test_missing_columns_names_each_and_suggests_a_misspelling(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "r.csv", "Referal ID,panel,notes\n"))
    problems = missing_columns(table, ("referral_id", "panel", "submitted"))
    listed = "the required columns are referral_id, panel, submitted"
    assert problems == [
        Problem(
            str(table.file),
            f"this required column is missing; {listed} "
            "(is 'Referal ID' a misspelling of 'referral_id'?)",
            column="referral_id",
        ),
        Problem(str(table.file), f"this required column is missing; {listed}", column="submitted"),
    ]


# --------------------------------------------------------------------------- Problems


def test_problems_gathers_every_bad_cell_and_raises_once() -> None:
    problems = Problems()
    assert problems.parse(parse_date, "2027-01-04", HERE) == date(2027, 1, 4)
    assert problems.parse(parse_date, "31/02/2027", Where("r.csv", 2, "deadline")) is None
    assert problems.parse(parse_bool, "maybe", Where("r.csv", 3, "complex")) is None
    problems.add(Where("r.csv", 4, "panel"), "unknown panel 'x'")
    assert len(problems) == 3
    with pytest.raises(InputError) as exc:
        problems.raise_if_any()
    assert [(p.row, p.column) for p in exc.value.problems] == [
        (2, "deadline"),
        (3, "complex"),
        (4, "panel"),
    ]
    assert str(exc.value).splitlines()[2] == "r.csv, row 4, column 'panel': unknown panel 'x'"


def test_no_problems_raises_nothing() -> None:
    Problems().raise_if_any()


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-01-04", date(2027, 1, 4)),
        ("04/01/2027", date(2027, 1, 4)),  # day first: 4 January, never 1 April
        ("4/1/2027", date(2027, 1, 4)),
        ("04/05/2026", date(2026, 5, 4)),  # 4 May
        ("13/01/2027", date(2027, 1, 13)),
        ("29/02/2028", date(2028, 2, 29)),  # 2028 is a leap year
        (" 2027-01-04 ", date(2027, 1, 4)),
        ("4 Jan 2027", date(2027, 1, 4)),
        ("4th September 2027", date(2027, 9, 4)),
        ("2027-01-04 00:00:00", date(2027, 1, 4)),  # a date some exports write with midnight
    ],
)
def test_parse_date_reads_iso_and_uk_day_first(text: str, expected: date) -> None:
    assert parse_date(text, HERE) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2027", "'31/02/2027' is not a real date: February 2027 has 28 days, not 31"),
        ("29/02/2027", "'29/02/2027' is not a real date: February 2027 has 28 days, not 29"),
        ("2027-04-31", "'2027-04-31' is not a real date: April 2027 has 30 days, not 31"),
        ("00/01/2027", "'00/01/2027' is not a real date: January 2027 has 31 days, not 0"),
        (
            "12/25/2027",
            "'12/25/2027' is not a real date: there is no month 25 "
            "(dates are day first, so 04/01/2027 is 4 January)",
        ),
        ("2027-13-01", "'2027-13-01' is not a real date: there is no month 13"),
        ("04/01/27", "'04/01/27': write the year in full, like 04/01/2027"),
        ("0227-01-04", "'0227-01-04': the year 227 is out of range (1900-2199)"),
        ("", "the cell is empty; expected a date like 2027-01-04 or 04/01/2027 (day first)"),
        ("soon", "'soon' is not a date; expected a date like 2027-01-04 or 04/01/2027"),
        # A number is an Excel serial only in the range of dates (read_table tests).
        ("12", "'12' is a number, not a date; if Excel shows it as a date"),
        ("2027-01-04 09:30", "'2027-01-04 09:30' has a time; expected a date like"),
    ],
)
def test_parse_date_refuses_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_date(text, HERE)
    problem = only_problem(exc)
    assert problem.message.startswith(message)
    assert (problem.file, problem.row, problem.column) == ("referrals.csv", 5, "cla_review")


# --------------------------------------------------------------------------- parse_moment


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-01-04 09:30", datetime(2027, 1, 4, 9, 30)),
        ("2027-01-04T09:30", datetime(2027, 1, 4, 9, 30)),
        ("04/01/2027 09:30", datetime(2027, 1, 4, 9, 30)),
        ("4/1/2027 9:05", datetime(2027, 1, 4, 9, 5)),
        ("2027-01-04 09:30:15", datetime(2027, 1, 4, 9, 30, 15)),
        ("04/01/2027", datetime(2027, 1, 4, 0, 0)),  # a date alone is the start of the day
        ("2027-01-04", datetime(2027, 1, 4, 0, 0)),
    ],
)
def test_parse_moment(text: str, expected: datetime) -> None:
    assert parse_moment(text, HERE) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-01-04 25:00", "'2027-01-04 25:00' is not a time of day"),
        ("2027-01-04 09:60", "'2027-01-04 09:60' is not a time of day"),
        ("04/01/2027 9.30", "'04/01/2027 9.30' is not a date and time"),
        ("31/02/2027 09:00", "'31/02/2027 09:00' is not a real date"),
        ("", "the cell is empty"),
    ],
)
def test_parse_moment_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_moment(text, HERE)
    assert only_problem(exc).message.startswith(message)


# --------------------------------------------------------------------------- small parsers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:30", time(9, 30)),
        ("9:30", time(9, 30)),
        ("09:30:00", time(9, 30)),
        (" 17:00 ", time(17, 0)),
    ],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text, HERE) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9.30", "'9.30' is not a time; expected a time like 09:30 (24-hour clock)"),
        ("24:00", "'24:00' is not a time of day"),
        ("", "the cell is empty"),
    ],
)
def test_parse_time_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_time(text, HERE)
    assert only_problem(exc).message.startswith(message)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("no", False),
        ("n", False),
        ("False", False),
        ("0", False),
    ],
)
def test_parse_bool(text: str, expected: bool) -> None:
    assert parse_bool(text, HERE) is expected


def test_parse_bool_blank_is_the_default() -> None:
    assert parse_bool("  ", HERE) is False
    assert parse_bool("", HERE, default=True) is True


def test_parse_bool_refuses_other_words() -> None:
    with pytest.raises(InputError) as exc:
        parse_bool("maybe", HERE)
    assert only_problem(exc).message == (
        "'maybe' is not yes or no; expected yes or no (also y/n, true/false, 1/0)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£2,000", Decimal(2000)),
        ("2000", Decimal(2000)),
        ("2,000.50", Decimal("2000.50")),
        ("£ 1,234,567.5", Decimal("1234567.5")),
        ("0", Decimal(0)),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_money(text: str, expected: Decimal | None) -> None:
    assert parse_money(text, HERE) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-500", "'-500': a cost cannot be negative"),
        ("-£500", "'-£500': a cost cannot be negative"),
        ("£-500", "'£-500': a cost cannot be negative"),
        ("(500)", "'(500)': a cost cannot be negative"),
        # A comma that does not group thousands may be a European decimal comma: refuse.
        ("2,00", "'2,00' is not an amount; expected an amount of pounds like 2000, £2,000"),
        ("2000.505", "'2000.505' is not an amount"),
        ("two grand", "'two grand' is not an amount"),
        ("£", "'£' is not an amount"),
    ],
)
def test_parse_money_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_money(text, HERE)
    assert only_problem(exc).message.startswith(message)


def test_parse_list_splits_on_semicolons() -> None:
    assert parse_list(" SW2 ; ;Head of Service;") == ("SW2", "Head of Service")
    assert parse_list("") == ()


# --------------------------------------------------------------------------- properties

dates = st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31))
moments = st.datetimes(
    min_value=datetime(MIN_YEAR, 1, 1), max_value=datetime(MAX_YEAR, 12, 31, 23, 59)
).map(lambda m: m.replace(second=0, microsecond=0))
# Text built from the characters dates, times and amounts are made of reaches deep paths.
cell_like = st.text(alphabet="0123456789/-:T .,£()", max_size=24) | st.text(max_size=24)


@given(dates)
def test_any_date_round_trips_iso_and_uk(day: date) -> None:
    assert parse_date(day.isoformat(), HERE) == day
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year}", HERE) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}", HERE) == day
    assert parse_date(f"{day.day} {day:%b %Y}", HERE) == day


@given(moments)
def test_any_moment_round_trips(moment: datetime) -> None:
    assert parse_moment(f"{moment:%Y-%m-%d %H:%M}", HERE) == moment
    assert parse_moment(f"{moment:%Y-%m-%dT%H:%M}", HERE) == moment
    assert parse_moment(f"{moment:%d/%m/%Y %H:%M}", HERE) == moment


@given(dates)
def test_a_date_alone_is_a_moment_at_midnight(day: date) -> None:
    assert parse_moment(f"{day:%d/%m/%Y}", HERE) == datetime(day.year, day.month, day.day)


@given(cell_like)
def test_random_text_only_ever_raises_input_error(text: str) -> None:
    parsers: list[Callable[[str, Where], object]] = [
        parse_date,
        parse_moment,
        parse_time,
        parse_money,
        parse_bool,
    ]
    for parser in parsers:
        try:
            parser(text, HERE)
        except InputError as exc:
            # The documented error, and it names the cell.
            assert [(p.row, p.column) for p in exc.problems] == [(5, "cla_review")]


# --------------------------------------------------------------------------- command line


@given(dates)
def test_any_date_on_the_command_line_reads_iso_and_uk_alike(day: date) -> None:
    # --from 28/01/2027 and --from 2027-01-28 are the same day, however it is typed.
    for text in (day.isoformat(), f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}"):
        assert argument_date(text, "--from") == day
        assert argument_date(f"  {text} ", "--from") == day


@given(moments)
def test_any_moment_on_the_command_line_reads_iso_and_uk_alike(moment: datetime) -> None:
    for text in (
        f"{moment:%d/%m/%Y %H:%M}",
        f"{moment:%Y-%m-%d %H:%M}",
        f"{moment:%Y-%m-%dT%H:%M}",
    ):
        assert argument_moment(text, "--now") == moment
    # A date alone is the start of the day.
    assert argument_moment(f"{moment:%d/%m/%Y}", "--now") == moment.replace(hour=0, minute=0)


@given(cell_like)
def test_anything_on_the_command_line_is_a_date_or_one_problem_naming_the_option(
    text: str,
) -> None:
    for parse, option in ((argument_date, "--to"), (argument_moment, "--now")):
        try:
            parse(text, option)
        except InputError as exc:
            [problem] = exc.problems
            assert (problem.file, problem.row, problem.column) == (option, None, None)
            assert problem.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "--from: no date given; expected a date like 2027-01-04 or 04/01/2027 (day first)"),
        ("soon", "--from: 'soon' is not a date; expected a date like 2027-01-04 or 04/01/2027"),
        # Month first (US style) is refused, never guessed.
        ("01/28/2027", "--from: '01/28/2027' is not a real date: there is no month 28 (dates"),
        ("31/02/2027", "--from: '31/02/2027' is not a real date: February 2027 has 28 days"),
        ("28/01/27", "--from: '28/01/27': write the year in full, like 04/01/2027"),
        ("28/01/2027 13:00", "--from: '28/01/2027 13:00' has a time; expected a date like"),
    ],
    ids=["empty", "word", "month-first", "no-such-day", "short-year", "time"],
)
def test_a_bad_date_option_names_the_option(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        argument_date(text, "--from")
    assert str(caught.value).startswith(message)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_any_amount_round_trips(amount: Decimal) -> None:
    assert parse_money(f"£{amount:,.2f}", HERE) == amount
    assert parse_money(f"{amount:.2f}", HERE) == amount
    assert parse_money(f"{amount:,}", HERE) == amount
