"""Reading the records file: columns, cells, and bad input named by file, row and column."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest

from panelsched.core.panels import Authority
from panelsched.core.referrals import Referral
from panelsched.errors import InputError
from panelsched.io.model_file import load_model
from panelsched.io.records import RECORD_COLUMNS, load_records, records_from_rows
from panelsched.validator.records import join_referrals

AUTHORITY = Authority.model_validate(
    {
        "authority": "Testshire",
        "panels": [
            {
                "id": "rp",
                "name": "Resource Panel",
                "cadence": "FREQ=WEEKLY;BYDAY=TH",
                "time": "13:00-15:00",
                "slot_minutes": 15,
            },
            {
                "id": "other",
                "name": "Other Panel",
                "cadence": "FREQ=WEEKLY;BYDAY=TH",
                "time": "13:00-14:00",
                "slot_minutes": 30,
            },
            {
                "id": "masg-north",
                "name": "MASG North",
                "group": "masg",
                "locality": "North",
                "cadence": "FREQ=WEEKLY;BYDAY=TU",
                "time": "09:30-12:30",
                "slot_minutes": 20,
            },
        ],
    }
)


def write(tmp_path: Path, text: str, name: str = "records.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_each_kind_of_cell(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Referral ID,panel,date,outcome,start,end,complex,attended,submitted,cost,age,"
        "distance_miles,locality\n"
        "C-1042,rp,11/03/2027,Deferred,13:00,13:15,yes,SW-07; TM-03,08/03/2027 09:30,"
        '"£2,400",15,12.5,\n'
        "C-1043,masg,2027-03-09,not agreed,,,,,,,,,North\n",
    )
    records = load_records(path, AUTHORITY)
    first, second = records.rows
    assert (first.referral_id, first.panel, first.date, first.outcome) == (
        "C-1042",
        "rp",
        date(2027, 3, 11),
        "defer",
    )
    assert (first.start, first.end, first.complex) == (time(13, 0), time(13, 15), True)
    assert first.attended == ("SW-07", "TM-03")
    assert first.submitted == datetime(2027, 3, 8, 9, 30)
    assert (first.cost, first.age, first.distance_miles) == (Decimal(2400), 15, Decimal("12.5"))
    # A group id with a locality resolves to the locality's panel.
    assert (second.panel, second.outcome, second.complex) == ("masg-north", "decline", None)
    assert records.has("outcome", "cost") and not records.has("review_date")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "panel,date\nrp,2027-03-11\n",
            "records.csv, column 'referral_id': this required column is missing",
        ),
        (
            "referral_id,panel,date\nC-1,rp,31/02/2027\n",
            "records.csv, row 2, column 'date': '31/02/2027' is not a real date: February 2027 "
            "has 28 days, not 31",
        ),
        (
            "referral_id,panel,date\nC-1,crp,2027-03-11\n",
            "records.csv, row 2, column 'panel': unknown panel 'crp'; known panels: rp, other, "
            "masg-north",
        ),
        (
            "referral_id,panel,date,outcome\nC-1,rp,2027-03-11,maybe\n",
            "records.csv, row 2, column 'outcome': 'maybe' is not an outcome; expected one of "
            "approve, decline, defer",
        ),
        (
            "referral_id,panel,date,chair_present\nC-1,rp,2027-03-11,perhaps\n",
            "records.csv, row 2, column 'chair_present': 'perhaps' is not yes or no",
        ),
        (
            "referral_id,panel,date,age\nC-1,rp,2027-03-11,sixteen\n",
            "records.csv, row 2, column 'age': 'sixteen' is not a whole number of years",
        ),
        (
            "referral_id,panel,date,distance_miles\nC-1,rp,2027-03-11,far\n",
            "records.csv, row 2, column 'distance_miles': 'far' is not a number",
        ),
        (
            "referral_id,panel,date\n,rp,2027-03-11\n",
            "records.csv, row 2, column 'referral_id': the cell is empty",
        ),
        (
            "referral_id,panel,date\nC-1,rp,2027-03-11\nC-1,rp,11/03/2027\n",
            "records.csv, row 3, column 'referral_id': 'C-1' is recorded twice at rp@2027-03-11; "
            "it was first on row 2",
        ),
        ("", "records.csv: the file is empty"),
    ],
)
def test_bad_records_are_refused_naming_row_and_column(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_records(path, AUTHORITY)
    message = str(caught.value.problems[0]).replace(str(path), "records.csv")
    assert message.startswith(expected)


def test_every_bad_cell_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, "referral_id,panel,date,age\nC-1,rp,2027-02-30,x\nC-2,zz,2027-03-11,\n")
    with pytest.raises(InputError) as caught:
        load_records(path, AUTHORITY)
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, "date"),
        (2, "age"),
        (3, "panel"),
    ]


@pytest.mark.parametrize(
    "rows",
    [
        [{"referral_id": "C-1", "panel": "rp", "date": "2027-03-11", "outcome": "Approved"}],
        [{"referral_id": "C-1", "panel": "rp", "date": "31/02/2027", "outcome": "maybe"}],
        [{"referral_id": "C-1", "panel": "masg", "date": "2027-03-09", "locality": "North"}],
        [{"panel": "rp", "date": "2027-03-11"}],
    ],
)
def test_rows_of_cells_read_as_the_file_holding_them(
    tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    # A web form's fields: the same records, or the same problems, as the one-row file.
    header = list(rows[0])
    path = write(tmp_path, ",".join(header) + "\n" + ",".join(rows[0].values()) + "\n")
    try:
        expected: object = load_records(path, AUTHORITY)
    except InputError as exc:
        expected = [str(p).replace(str(path), "form.csv") for p in exc.problems]
    try:
        found: object = records_from_rows("form.csv", rows, AUTHORITY)
    except InputError as exc:
        found = [str(p) for p in exc.problems]
    if isinstance(expected, list):
        assert found == expected
    else:
        assert found == replace(expected, file="form.csv")  # type: ignore[type-var]


def test_join_fills_blank_cells_from_referrals(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "referral_id,panel,date,cla_review\nC-1,rp,2027-03-11,\nC-2,rp,2027-03-11,2027-04-30\n",
    )
    referrals = [
        Referral(
            "C-1",
            "rp",
            datetime(2027, 3, 1, 9, 0),
            "SW-07",
            "TM-03",
            cla_review=date(2027, 3, 23),
            priority="emergency",
        ),
        Referral("C-2", "rp", datetime(2027, 3, 1), "SW-08", "TM-03", cla_review=date(2027, 4, 1)),
    ]
    joined = join_referrals(load_records(path, AUTHORITY), referrals)
    first, second = joined.rows
    assert (first.cla_review, first.social_worker, first.emergency_decision) == (
        date(2027, 3, 23),
        "SW-07",
        datetime(2027, 3, 1, 9, 0),
    )
    # The record's own cell wins over the referral's.
    assert second.cla_review == date(2027, 4, 30)
    assert joined.has("submitted", "team_manager")


def test_the_example_records_load() -> None:
    authority = load_model("models/lambeth.yaml")
    records = load_records("examples/lambeth/records.csv", authority)
    assert len(records.rows) > 100
    assert {r.panel for r in records.rows} == set(authority.panel_ids)


def test_every_column_is_documented() -> None:
    text = Path("docs/validator.md").read_text(encoding="utf-8")
    missing = [c.name for c in RECORD_COLUMNS if f"`{c.name}`" not in text]
    assert missing == []


def test_every_rule_parameter_is_documented() -> None:
    from panelsched.validator import CATALOGUE

    text = Path("docs/validator.md").read_text(encoding="utf-8")
    missing = [p.name for u in CATALOGUE for p in u.params if f"`{p.name}`" not in text]
    assert missing == []
