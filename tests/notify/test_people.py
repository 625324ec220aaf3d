"""The people file: ``person,email[,role]``, every bad row named by file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from panelsched.errors import InputError
from panelsched.notify import load_people
from tests.helpers.forward import write_rows


def test_a_good_file_gives_each_person_their_address(tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "people.csv",
        [
            {"person": "SW-1", "email": "a.worker@council.example", "role": "social worker"},
            {"person": "CH-01", "email": "chair@council.example", "role": ""},
        ],
    )
    people = load_people(path)
    found = people.get("SW-1")
    assert found is not None and (found.email, found.role) == (
        "a.worker@council.example",
        "social worker",
    )
    assert people.get("TM-9") is None


def test_every_bad_row_is_named(tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "people.csv",
        [
            {"person": "SW-1", "email": "a.worker@council.example"},
            {"person": "SW-2", "email": "nobody"},  # row 3
            {"person": "", "email": "x@council.example"},  # row 4
            {"person": "SW-1", "email": "again@council.example"},  # row 5
            {"person": "SW-3", "email": "two@council.example, three@council.example"},  # row 6
        ],
    )
    with pytest.raises(InputError) as caught:
        load_people(path)
    assert [str(p).removeprefix(f"{path}, ") for p in caught.value.problems] == [
        "row 3, column 'email': 'nobody' is not an e-mail address; expected one like "
        "a.worker@council.gov.uk",
        "row 4, column 'person': blank; give the person's id, SW-001",
        "row 5, column 'person': SW-1 is listed already, on row 2; give one address each",
        "row 6, column 'email': 'two@council.example, three@council.example' is not an e-mail "
        "address; expected one like a.worker@council.gov.uk",
    ]


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "people.csv", [{"person": "SW-1", "mail": "a@council.example"}])
    with pytest.raises(InputError) as caught:
        load_people(path)
    (problem,) = caught.value.problems
    assert problem.column == "email" and "required column is missing" in problem.message
