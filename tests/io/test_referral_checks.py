"""What a referrals file may not hold, and what it may hold but looks wrong (issue 31,
items 9, 10 and 21).

Refused, naming row and column, by the reader ``plan``, ``planner add`` and the web upload
share: case references with marks outside letters, digits and ``- _ / .`` or longer than 40
characters, people's names longer than 64 (they name calendar files), the same reference
twice whatever its capitals, late permission at a panel that takes no late papers, a NUL
character, a file with a header and no rows. Warned about (:func:`referral_warnings`): a
submission after now or more than a year ago, a review before the submission, a kind of
request the panel does not fund or a cost under its threshold (Swindon, rule P10).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from panelsched.core.panels import Authority
from panelsched.errors import InputError
from panelsched.io.inputs import load_availability, load_referrals, referrals_from_rows
from panelsched.io.model_file import load_model
from panelsched.io.plausible import referral_warnings
from panelsched.io.records import records_from_rows

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["referral_id", "panel", "submitted", "social_worker", "team_manager"]
GOOD = {
    "referral_id": "R-1",
    "panel": "swi-care",
    "submitted": "2027-01-04 09:00",
    "social_worker": "SW1",
    "team_manager": "TM1",
}


@pytest.fixture(scope="module")
def swindon() -> Authority:
    # swi-care: no late papers (SWI 5); requests of £500 or more, no holidays or low-level
    # home support (SWI 6, rule P10).
    return load_model(ROOT / "models" / "swindon.yaml")


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = list(dict.fromkeys(c for row in rows for c in row))
    lines = [",".join(columns)] + [",".join(row.get(c, "") for c in columns) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        pytest.param(
            {"referral_id": "R-000012#2"},
            "referral_id",
            "'R-000012#2' holds '#', which a case reference cannot; use letters, digits and "
            "- _ / . only",
            id="hash-in-reference",
        ),
        pytest.param(
            {"referral_id": "R 12"},
            "referral_id",
            "'R 12' holds a space, which a case reference cannot; use letters, digits and "
            "- _ / . only",
            id="space-in-reference",
        ),
        pytest.param(
            {"referral_id": "R" * 300},
            "referral_id",
            f"'{'R' * 20}...' is 300 characters long; a case reference may have at most 40",
            id="long-reference",
        ),
        pytest.param(
            {"child_id": "C" * 41},
            "child_id",
            f"'{'C' * 20}...' is 41 characters long; a child's id may have at most 40",
            id="long-child-id",
        ),
        pytest.param(
            {"social_worker": "S" * 65},
            "social_worker",
            f"'{'S' * 20}...' is 65 characters long; a person's name or id may have at most 64 "
            "(it names their calendar file)",
            id="long-social-worker",
        ),
        pytest.param(
            {"team_manager": "T" * 300},
            "team_manager",
            f"'{'T' * 20}...' is 300 characters long; a person's name or id may have at most "
            "64 (it names their calendar file)",
            id="long-team-manager",
        ),
        pytest.param(
            {"attendees": "IRO; " + "A" * 70},
            "attendees",
            f"'{'A' * 20}...' is 70 characters long; a person's name or id may have at most 64 "
            "(it names their calendar file)",
            id="long-attendee",
        ),
        pytest.param(
            {"late_permission": "yes"},
            "late_permission",
            "panel 'swi-care' takes no late papers, so no chair can have agreed to take this "
            "one; leave the cell empty (or no), or check the panel",
            id="late-permission-at-a-panel-without-late-papers",
        ),
    ],
)
def test_what_cannot_be_right_is_refused_naming_row_and_column(
    cells: dict[str, str], column: str, message: str, tmp_path: Path, swindon: Authority
) -> None:
    row = {**GOOD, **cells}
    path = _csv(tmp_path / "r.csv", [row])
    with pytest.raises(InputError) as exc:
        load_referrals(path, swindon)
    assert [(p.row, p.column, p.message) for p in exc.value.problems] == [(2, column, message)]
    # The web forms' reader gives the same message.
    with pytest.raises(InputError) as form:
        referrals_from_rows("form.csv", [row], swindon)
    assert [p.message for p in form.value.problems] == [message]


def test_a_reference_differing_only_by_capitals_or_spaces_is_the_same_case(
    tmp_path: Path, swindon: Authority
) -> None:
    # "r-000001 " is trimmed to "r-000001", which reads as R-000001.
    rows = [{**GOOD, "referral_id": "R-000001"}, {**GOOD, "referral_id": "r-000001 "}]
    path = tmp_path / "r.csv"
    path.write_text(
        ",".join(HEADER)
        + "\n"
        + "\n".join(",".join(f'"{row[c]}"' for c in HEADER) for row in rows)
        + "\n"
    )
    with pytest.raises(InputError) as exc:
        load_referrals(path, swindon)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}, row 3, column 'referral_id': 'r-000001' appears twice; it was first on row 2 "
        "as 'R-000001' (case references are the same whatever their capitals)"
    ]


def test_a_nul_character_is_refused_naming_its_row_and_column(
    tmp_path: Path, swindon: Authority
) -> None:
    # Before: "this is not a CSV text file", naming neither row nor column.
    path = tmp_path / "r.csv"
    path.write_bytes(
        (
            ",".join(HEADER)
            + "\nR-1,swi-care,2027-01-04,SW1,TM1\nR-2,swi-care,2027-01-04,S\x00W2,TM1\n"
        ).encode()
    )
    with pytest.raises(InputError) as exc:
        load_referrals(path, swindon)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}, row 3, column 'social_worker': the cell holds a NUL character (an invisible "
        "one some programs leave behind); retype the cell"
    ]


def test_every_problem_of_a_workbook_comes_at_once(tmp_path: Path, swindon: Authority) -> None:
    # Row 2's team manager is a formula with no saved value (openpyxl saves none); row 3's
    # date does not exist. Before, the formula was reported alone and the date only once it
    # was mended.
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["R-1", "swi-care", "2027-01-04", "SW1", "=B1"])
    sheet.append(["R-2", "swi-care", "31/02/2027", "SW2", "TM2"])
    book.save(tmp_path / "r.xlsx")
    with pytest.raises(InputError) as exc:
        load_referrals(tmp_path / "r.xlsx", swindon)
    assert [(p.row, p.column, p.message.split(";")[0]) for p in exc.value.problems] == [
        (
            2,
            "team_manager",
            "the cell is a formula (=B1) whose value was not saved in the workbook",
        ),
        (3, "submitted", "'31/02/2027' is not a real date: February 2027 has 28 days, not 31"),
    ]


def test_the_sheet_with_the_columns_is_read_when_it_is_not_the_first(
    tmp_path: Path, swindon: Authority
) -> None:
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["Referrals for the week of 4 January"])
    table = book.create_sheet("Referrals")
    table.append(HEADER)
    table.append(["R-1", "swi-care", "2027-01-04", "SW1", "TM1"])
    book.save(tmp_path / "r.xlsx")
    (referral,) = load_referrals(tmp_path / "r.xlsx", swindon)
    assert (referral.referral_id, referral.row) == ("R-1", 2)


def test_a_workbook_without_the_columns_names_the_sheet_read(
    tmp_path: Path, swindon: Authority
) -> None:
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["referral_id", "notes"])
    book.create_sheet("Other").append(["nothing", "here"])
    path = tmp_path / "referrals.xlsx"
    book.save(path)
    with pytest.raises(InputError) as exc:
        load_referrals(path, swindon)
    assert str(exc.value.problems[0]) == (
        f"{path}, column 'panel': this required column is missing from sheet 'Notes', the "
        "sheet read (no sheet of the workbook has all the required columns; put the table on "
        "the first sheet); the required columns are referral_id, panel, submitted, "
        "social_worker, team_manager"
    )


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        pytest.param(
            {"submitted": "2027-03-20 09:00"},
            "submitted",
            "'R-1' was submitted 20/03/2027 09:00, after now (12/03/2027 09:00); check the "
            "date: it cannot be heard at a sitting before it",
            id="future",
        ),
        pytest.param(
            # 366 days before 12/03/2027.
            {"submitted": "2026-03-11 09:00"},
            "submitted",
            "'R-1' was submitted 11/03/2026, more than a year ago; check the date (the year "
            "may be a slip)",
            id="over-a-year-ago",
        ),
        pytest.param(
            {"cla_review": "2027-03-01"},
            "cla_review",
            "the CLA review 01/03/2027 is before the referral was submitted (04/03/2027); "
            "check the date: a review date is the next one ahead",
            id="cla-review-before-submission",
        ),
        pytest.param(
            {"request_type": "Holiday abroad"},
            "request_type",
            "'Holiday abroad' is a kind of request the Care Panel does not fund (holiday, rule "
            "P10); check that it should come to panel",
            id="excluded-request-type",
        ),
        pytest.param(
            # £499.99 is under Swindon's £500.
            {"cost": "499.99"},
            "cost",
            "a £499.99 request; the Care Panel hears requests of £500 or more (rule P10); check "
            "that it should come to panel",
            id="cost-under-threshold",
        ),
    ],
)
def test_what_looks_wrong_is_a_warning_naming_row_and_column(
    cells: dict[str, str], column: str, message: str, swindon: Authority
) -> None:
    # Now is Friday 12/03/2027 09:00; the plain referral was submitted on 04/03/2027.
    now = datetime(2027, 3, 12, 9, 0)
    row = {**GOOD, "submitted": "2027-03-04 09:00", **cells}
    referrals = referrals_from_rows("r.csv", [row], swindon)
    (warning,) = referral_warnings(referrals, swindon, now, "r.csv")
    assert str(warning) == f"r.csv, row 2, column '{column}': {message}"


def test_an_ordinary_referral_has_no_warning(swindon: Authority) -> None:
    row = {**GOOD, "submitted": "2027-03-04 09:00", "cost": "500", "request_type": "respite"}
    referrals = referrals_from_rows("r.csv", [row], swindon)
    assert referral_warnings(referrals, swindon, datetime(2027, 3, 12, 9, 0), "r.csv") == ()


def test_a_person_away_with_a_name_too_long_for_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "away.csv"
    path.write_text(
        f"person,from,to\nSW1,2027-03-01,2027-03-02\n{'P' * 300},2027-03-01,2027-03-02\n"
    )
    with pytest.raises(InputError) as exc:
        load_availability(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}, row 3, column 'person': '{'P' * 20}...' is 300 characters long; a person's "
        "name or id may have at most 64 (it names their calendar file)"
    ]


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        pytest.param(
            {"referral_id": "E#1"},
            "referral_id",
            "'E#1' holds '#', which a case reference cannot; use letters, digits and - _ / . only",
            id="hash-in-reference",
        ),
        pytest.param(
            {"social_worker": "S" * 65},
            "social_worker",
            f"'{'S' * 20}...' is 65 characters long; a person's name or id may have at most 64 "
            "(it names their calendar file)",
            id="long-social-worker",
        ),
    ],
)
def test_an_emergency_decision_in_a_records_file_is_a_new_case_held_to_the_same_rules(
    cells: dict[str, str], column: str, message: str, swindon: Authority
) -> None:
    # `planner decide` adds a case for a row with emergency_decision (S9): the same checks as
    # a referrals file's. A row about a case already booked is not checked: its reference is
    # the planner's own.
    row = {
        "referral_id": "E-1",
        "panel": "swi-care",
        "date": "2027-03-01",
        "outcome": "approve",
        "emergency_decision": "2027-03-01 10:00",
        "social_worker": "SW1",
        "team_manager": "TM1",
    }
    with pytest.raises(InputError) as exc:
        records_from_rows("records.csv", [{**row, **cells}], swindon)
    assert [(p.row, p.column, p.message) for p in exc.value.problems] == [(2, column, message)]
    old = records_from_rows("records.csv", [{**row, **cells, "emergency_decision": ""}], swindon)
    assert len(old.rows) == 1
