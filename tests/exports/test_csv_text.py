"""Every CSV the project writes reads back to the rows written (issue 31, item 17).

Python's csv writer with ``\\n`` line ends quotes a field holding ``\\n`` but not a lone
``\\r``, so ``"Smith\\rJones"`` went out bare and every reader ended the row there: one booking
of bookings.csv, or one case of the export's outcomes.csv, read back as two rows.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from panelsched.exports.csv_text import csv_line, csv_text, csv_writer, frame_csv_text
from panelsched.exports.input_files import write_availability_csv, write_referrals_csv
from panelsched.exports.safety import neutralise
from panelsched.exports.tables import csv_bytes, write_csv
from panelsched.io.bookings_file import BOOKING_COLUMNS
from panelsched.io.tables import read_table
from panelsched.scenarios.outputs import write_timings_csv
from panelsched.validator.findings import Finding
from panelsched.validator.outputs import write_findings
from panelsched.validator.validation import Validation
from tests.helpers import builders

# Any text a person could type or paste, line breaks of every kind ("\r\n" is "\r" then
# "\n"), quotes and commas among it; NUL is refused by every reader of text files, the
# project's too.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(["\r", "\n", '"', ",", ";", "\t", " ", "=", "'"]),
        st.characters(exclude_characters="\x00", exclude_categories=["Cs"]),
    ),
    max_size=20,
)
ROWS = st.lists(st.lists(TEXT, min_size=3, max_size=3), max_size=5)
HOSTILE = [
    "Smith\rJones",  # the lone carriage return that split rows
    "two\nlines",
    "windows\r\nline",
    "ends with\r",
    '"quoted", with a comma',
    '=HYPERLINK("http://x")',
    "\r=cmd",
    "Zoë Ó'Brien 汉字 🙂",
]


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _read_file(path: Path) -> list[list[str]]:
    # newline="": read as written, a \r inside a cell kept (not turned into \n).
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@settings(max_examples=300, deadline=None)
@given(ROWS)
def test_any_text_round_trips_through_the_writer(rows: list[list[str]]) -> None:
    header = ["a", "b", "c"]
    assert _read(csv_text([header, *rows])) == [header, *rows]
    handle = io.StringIO(newline="")
    writer = csv_writer(handle)
    writer.writerows([header, *rows])
    assert _read(handle.getvalue()) == [header, *rows]


@settings(max_examples=200, deadline=None)
@given(ROWS)
def test_any_text_round_trips_through_a_frame_neutralised(rows: list[list[str]]) -> None:
    frame = pd.DataFrame(rows, columns=["a", "b", "c"])
    assert _read(frame_csv_text(frame)) == [["a", "b", "c"], *rows]
    # csv_bytes (bookings.csv, outcomes.csv, advice.csv ...) keeps formulas inert as well.
    written = _read(csv_bytes(frame).decode("utf-8"))
    assert written == [["a", "b", "c"], *([neutralise(cell) for cell in row] for row in rows)]


def test_a_lone_carriage_return_is_quoted_and_the_rest_as_csv_writes_it() -> None:
    assert csv_line(["Smith\rJones", "x"]) == '"Smith\rJones",x\n'
    # Otherwise byte for byte what csv.QUOTE_MINIMAL gives: the files already written stay
    # as they were.
    ordinary: list[list[object]] = [["a,b", 'say "hi"', "two\nlines", "", 3, 1.5, None], [""]]
    handle = io.StringIO(newline="")
    csv.writer(handle, lineterminator="\n").writerows(ordinary)
    assert csv_text(ordinary) == handle.getvalue()


def test_numbers_and_blanks_in_a_frame_are_written_as_pandas_writes_them() -> None:
    frame = pd.DataFrame({"n": [1, 2], "x": [1.5, None], "t": ["a", None]})
    assert frame_csv_text(frame) == frame.to_csv(index=False, lineterminator="\n")


def _booking_row(worker: str) -> dict[str, object]:
    return {
        "referral_id": "R-1",
        "panel": "crp",
        "date": "2027-03-04",
        "start": "13:00",
        "end": "13:15",
        "social_worker": worker,
        "team_manager": "TM-1",
        "submitted": "2027-03-01T09:00",
        "deadline": "",
        "wait_days": 3,
        "late": "no",
        "pinned": "no",
    }


@pytest.mark.parametrize("text", HOSTILE)
def test_bookings_csv_reads_back_one_row_per_booking(text: str, tmp_path: Path) -> None:
    # Before, "Smith\rJones" made two rows: "...,Smith" and "Jones,TM-1,...".
    frame = pd.DataFrame([_booking_row(text), _booking_row("SW-2")], columns=list(BOOKING_COLUMNS))
    path = tmp_path / "bookings.csv"
    write_csv(frame, path)
    table = read_table(path)
    assert table.row_numbers == (2, 3)
    # The planner's reader shows a cell as a spreadsheet does: stripped, no apostrophe.
    assert table.rows[0]["social_worker"] == text.strip()
    assert table.rows[1]["team_manager"] == "TM-1"


def test_outcomes_csv_reads_back_one_row_per_case(tmp_path: Path) -> None:
    from panelsched.forward.diary_files import OUTCOME_COLUMNS

    rows = [dict.fromkeys(OUTCOME_COLUMNS, "") for _ in range(2)]
    rows[0].update(referral_id="R-1", social_worker="Smith\rJones", child_id="C\r1")
    rows[1].update(referral_id="R-2", social_worker="SW-2")
    path = tmp_path / "outcomes.csv"
    path.write_bytes(csv_bytes(pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS))))
    table = read_table(path)
    assert [row["referral_id"] for row in table.rows] == ["R-1", "R-2"]
    assert table.rows[0]["social_worker"] == "Smith\rJones"


def _input_files(tmp_path: Path, text: str) -> list[list[str]]:
    referral = builders.referral("R-1", social_worker=text, locality=text)
    path = tmp_path / "referrals.csv"
    write_referrals_csv([referral], path)
    return _read_file(path)


def _availability(tmp_path: Path, text: str) -> list[list[str]]:
    from panelsched.core.availability import Unavailability

    period = Unavailability(
        person="SW-1", start=datetime(2027, 3, 1), end=datetime(2027, 3, 3), reason=text
    )
    path = tmp_path / "availability.csv"
    write_availability_csv([period], path)
    return _read_file(path)


def _findings(tmp_path: Path, text: str) -> list[list[str]]:
    finding = Finding("S6", "error", "crp", text, "crp@2027-03-04", text, "CBC 6")
    table, _ = write_findings(Validation((finding,), ()), tmp_path / "findings")
    return _read_file(table)


def _timings(tmp_path: Path, text: str) -> list[list[str]]:
    timing = SimpleNamespace(scenario=text, replication=0, method="cpsat", seconds=1.0)
    path = tmp_path / "timings.csv"
    write_timings_csv(cast(Any, SimpleNamespace(timings=[timing])), path)
    return _read_file(path)


@pytest.mark.parametrize("writer", [_input_files, _availability, _findings, _timings])
@pytest.mark.parametrize("text", HOSTILE)
def test_every_other_writer_reads_back_to_its_rows(writer: Any, text: str, tmp_path: Path) -> None:
    rows = writer(tmp_path, text)
    # A header and one row, the text in it as written (with the apostrophe that keeps a
    # formula inert).
    assert len(rows) == 2
    assert neutralise(text) in rows[1]
