"""Hostile text in every output: people's ids, names and free text that a spreadsheet, a
browser, a calendar or a Markdown viewer would run or split are written inert.

A case reference is letters, digits and - _ / . only (the readers refuse others, issue 31), but
a person's id, a request type and the reasons an administrator types are the council's own
words: each hostile text goes in as a social worker's id, is planned and booked, and must come
out as plain text: no XLSX cell is a formula (openpyxl's ``data_type``), no CSV cell starts a
formula, the HTML page escapes it, the calendars escape it per RFC 5545 (re-read, each event
is whole and holds the text as written), each agenda's Markdown table keeps its columns, and
each person's calendar file has a safe name.
"""

from __future__ import annotations

import csv
import html
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from typer.testing import CliRunner

from panelsched.cli import app

ROOT = Path(__file__).resolve().parents[1]
LAMBETH = ROOT / "models" / "lambeth.yaml"

HOSTILE = (
    '=HYPERLINK("http://example.org","open me")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",  # a tab or CR in front: the reader strips it, the formula is left
    "\r=2+2",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "R|pipe|case",
    "R-9\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:forged",
)
REASON = "<script>x</script> | =cmd|' /C calc'!A0\nEND:VEVENT"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _referrals(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        # Every field quoted: Python's writer leaves a lone carriage return unquoted.
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(
            ["referral_id", "panel", "submitted", "social_worker", "team_manager",
             "request_type", "attendees"]
        )  # fmt: skip
        for number, person in enumerate(HOSTILE):
            writer.writerow(
                [f"R-{number}", "lam-crp", f"2027-01-04 09:{number:02d}", person,
                 f"<b>TM-{number}</b>", "@placement", "-Head of Service"]
            )  # fmt: skip
    return path


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _shown(text: str) -> str:
    """The text as the readers keep it: cells are stripped of outer white space."""
    return text.strip()


@pytest.fixture(scope="module")
def plan_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plan")
    referrals = _referrals(folder / "referrals.csv")
    _invoke(
        "plan", str(LAMBETH), "--referrals", str(referrals), "--method", "greedy",
        "--from", "04/01/2027", "--to", "28/02/2027", "--out", str(folder / "out"),
    )  # fmt: skip
    return folder / "out"


@pytest.fixture(scope="module")
def export_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    db = str(folder / "planner.db")
    referrals = _referrals(folder / "referrals.csv")
    now = ["--now", "2027-01-04 10:00", "--by", "clerk"]
    _invoke("planner", "init", "--model", str(LAMBETH), "--db", db, *now)
    _invoke("planner", "add", "--referrals", str(referrals), "--db", db, *now, "--time-limit", "1")
    # Free text the administrator types: a cancellation's reason and an extra sitting's.
    _invoke("planner", "cancel", "lam-crp@14/01/2027", "--reason", REASON, "--db", db, *now,
            "--time-limit", "1")  # fmt: skip
    _invoke("planner", "extra", "lam-crp", "19/01/2027", "--reason", REASON, "--db", db, *now,
            "--time-limit", "1")  # fmt: skip
    _invoke("planner", "export", "--db", db, "--out", str(folder / "out"), "--now",
            "2027-01-04 10:00", "--from", "01/01/2027", "--to", "31/03/2027")  # fmt: skip
    return folder / "out"


def _csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


@pytest.mark.parametrize("name", ["bookings.csv", "unplaced.csv"])
def test_no_csv_cell_of_a_plan_starts_a_formula(plan_folder: Path, name: str) -> None:
    cells = _csv_cells(plan_folder / name)
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    if name == "bookings.csv":
        # Each social worker is there, behind the apostrophe a spreadsheet hides.
        for person in HOSTILE:
            assert any(c in (_shown(person), "'" + _shown(person)) for c in cells)


def test_the_agendas_markdown_tables_keep_their_columns(plan_folder: Path) -> None:
    text = (plan_folder / "agendas.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert len(rows) >= 2 + len(HOSTILE)  # header, rule, one row a case (in some sitting)
    # Five columns: six pipes a row; a pipe in a name is escaped (\|).
    assert {line.replace("\\|", "").count("|") for line in rows} == {6}
    assert "R\\|pipe\\|case" in text
    # A newline in a name cannot end a row early: every line of a table is a row.
    tables = text.split("\n\n")
    for block in tables:
        if block.startswith("| Time"):
            assert all(line.startswith("|") for line in block.splitlines())


def test_no_workbook_cell_is_a_formula(export_folder: Path) -> None:
    book = load_workbook(export_folder / "planner.xlsx")
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for person in HOSTILE[:4]:
        assert _shown(person) in texts  # a string cell, shown as typed
    assert any(t.startswith("cancelled: <script>") for t in texts)


def test_no_csv_cell_of_the_export_starts_a_formula(export_folder: Path) -> None:
    assert not [
        c for c in _csv_cells(export_folder / "outcomes.csv") if c.startswith(FORMULA_START)
    ]


def test_the_page_escapes_every_text(export_folder: Path) -> None:
    page = (export_folder / "planner.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<script>x" not in page
    assert "<img src=x" not in page and "<b>TM-" not in page
    assert html.escape("<script>alert(1)</script>", quote=False) in page
    assert "&lt;b&gt;TM-0&lt;/b&gt;" in page


def _calendars(folder: Path) -> list[Path]:
    return [folder / "planner.ics", *sorted((folder / "calendars").rglob("*.ics"))]


def test_calendars_escape_text_and_stay_whole(export_folder: Path) -> None:
    texts: list[str] = []
    for path in _calendars(export_folder):
        data = path.read_bytes()
        calendar = Calendar.from_ical(data)
        events = calendar.walk("VEVENT")
        # An event begins only where the file means it to: a newline in a name or
        # a reason is escaped (RFC 5545 3.3.11), so no forged BEGIN:VEVENT line appears.
        begins = [line for line in data.split(b"\r\n") if line == b"BEGIN:VEVENT"]
        assert len(begins) == len(events), path
        assert not [line for line in data.split(b"\r\n") if line.startswith(b"SUMMARY:forged")]
        texts += [str(e.get(key, "")) for e in events for key in ("SUMMARY", "DESCRIPTION")]
    joined = "\n".join(texts)
    # Read back, each text is as written, newlines and all.
    assert _shown(HOSTILE[-1]) in joined
    assert "<script>x</script> | =cmd|' /C calc'!A0\nEND:VEVENT" in joined


def test_people_with_hostile_names_get_safe_calendar_file_names(export_folder: Path) -> None:
    names = [p.name for p in (export_folder / "calendars" / "people").iterdir()]
    assert names and all(n.replace("-", "").replace("_", "").replace(".", "").isalnum()
                         for n in names)  # fmt: skip
