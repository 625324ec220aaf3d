"""Members and quorum: the model keys, whether a sitting can be quorate, and the calendar's
note.

The panel ``crp`` of :data:`tests.helpers.builders.PANELS` sits on Thursdays 7, 14, 21 and 28
January 2027, 13:00-14:00. Here it has a chair CH-01, a vice-chair VC-01 and members M-01 and
M-02, and a quorum of the chair (or the vice-chair) plus two others.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from panelsched.cli import app
from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority
from panelsched.core.quorum import inquorate_sittings, shortfall, with_quorum_notes
from panelsched.core.sittings import generate_sittings
from panelsched.errors import InputError
from panelsched.io.model_file import load_model
from tests.helpers.builders import PANELS

MEMBERS = [
    {"id": "CH-01", "role": "chair"},
    {"id": "VC-01", "role": "vice-chair"},
    {"id": "M-01", "role": "member"},
    {"id": "M-02"},
]
JAN7 = date(2027, 1, 7)


def quorate_panel(**changes: Any) -> dict[str, Any]:
    """``crp`` with its members and a quorum of the chair plus two."""
    return PANELS["crp"] | {"members": MEMBERS, "quorum": {"chair": True, "members": 2}} | changes


def model(**changes: Any) -> Authority:
    return Authority.model_validate(
        {"authority": "Testshire", "panels": [quorate_panel(**changes)]}
    )


def away(person: str, day: date = JAN7, start: str = "", end: str = "") -> Unavailability:
    if start:
        return Unavailability(
            person,
            datetime.combine(day, time.fromisoformat(start)),
            datetime.combine(day, time.fromisoformat(end)),
            whole_days=False,
        )
    return Unavailability(person, datetime.combine(day, time()), datetime.combine(day, time()))


def first_sitting(authority: Authority):  # type: ignore[no-untyped-def]
    return generate_sittings(authority, JAN7, JAN7)[0]


def test_a_member_without_a_role_is_a_member() -> None:
    panel = model().panels[0]
    assert [m.role for m in panel.members] == ["chair", "vice-chair", "member", "member"]
    assert panel.inquorate == "refuse"


@pytest.mark.parametrize(
    ("gone", "expected"),
    [
        # Nobody away: four present, the chair plus three others. Quorate.
        ((), None),
        # The chair away: the vice-chair chairs, M-01 and M-02 are the two others. Quorate.
        (("CH-01",), None),
        # Chair and vice-chair away: nobody may chair.
        (("CH-01", "VC-01"), "has no chair: chair CH-01 and vice-chair VC-01 on leave"),
        # The chair and M-01 away: VC-01 chairs, M-02 is one other of the two needed.
        (
            ("CH-01", "M-01"),
            "is not quorate: 2 members needed besides the chair, 1 available "
            "(chair CH-01 and member M-01 on leave)",
        ),
    ],
)
def test_a_sitting_is_quorate_with_its_chair_and_two_others(
    gone: tuple[str, ...], expected: str | None
) -> None:
    authority = model()
    periods = {person: [away(person)] for person in gone}
    assert shortfall(authority.panels[0], first_sitting(authority), periods) == expected


def test_part_day_leave_during_the_window_counts_and_outside_it_does_not() -> None:
    authority = model()
    sitting = first_sitting(authority)
    # 13:30-13:45 falls inside the 13:00-14:00 window; 10:00-12:00 does not.
    during = {"CH-01": [away("CH-01", start="13:30", end="13:45")], "VC-01": [away("VC-01")]}
    before = {"CH-01": [away("CH-01", start="10:00", end="12:00")], "VC-01": [away("VC-01")]}
    assert shortfall(authority.panels[0], sitting, during) is not None
    assert shortfall(authority.panels[0], sitting, before) is None


def test_a_panel_without_a_quorum_is_never_short() -> None:
    authority = Authority.model_validate({"authority": "T", "panels": [PANELS["crp"]]})
    assert inquorate_sittings(authority, generate_sittings(authority, JAN7, JAN7), []) == {}


def test_the_calendar_note_names_the_sitting_short_of_quorum() -> None:
    authority = model()
    sittings = generate_sittings(authority, JAN7, date(2027, 1, 14))
    noted = with_quorum_notes(authority, sittings, [away("CH-01"), away("VC-01")])
    assert [s.note for s in noted] == [
        "this sitting has no chair: chair CH-01 and vice-chair VC-01 on leave",
        "",
    ]


def write_model(tmp_path: Path, panel: dict[str, Any]) -> Path:
    path = tmp_path / "model.yaml"
    document = {"authority": "Testshire", "panels": [panel]}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"members": [*MEMBERS, {"id": "M-01"}]},
            "panel 'crp', key 'members'",
        ),
        ({"members": []}, "a quorum needs the panel's 'members' listed"),
        (
            {"members": [{"id": "M-01"}, {"id": "M-02"}, {"id": "M-03"}]},
            "no member has role chair or vice-chair",
        ),
        ({"quorum": {"members": 4}}, "it needs 5 people but only 4 members are listed"),
        ({"members": [{"id": "X", "role": "deputy"}]}, "'members'"),
        ({"inquorate": "ignore"}, "'inquorate'"),
    ],
)
def test_bad_members_or_quorum_name_the_panel_and_key(
    tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    path = write_model(tmp_path, quorate_panel(**changes))
    with pytest.raises(InputError) as caught:
        load_model(path)
    text = str(caught.value)
    assert str(path) in text and "crp" in text and message in text, text


def test_a_date_s_own_window_changes_its_sitting_only(tmp_path: Path) -> None:
    path = write_model(tmp_path, PANELS["crp"] | {"times": {"2027-01-14": "13:00-15:00"}})
    authority = load_model(path)
    sittings = generate_sittings(authority, JAN7, date(2027, 1, 21))
    # 14 January runs two hours (120 minutes); 7 and 21 January keep their hour.
    assert [(s.end, s.capacity_minutes) for s in sittings] == [
        (time(14), 60),
        (time(15), 120),
        (time(14), 60),
    ]


def test_calendar_command_marks_the_sitting_in_csv_and_ics(tmp_path: Path) -> None:
    path = write_model(tmp_path, quorate_panel())
    leave = tmp_path / "away.csv"
    leave.write_text(
        "person,from,to,reason\nCH-01,07/01/2027,07/01/2027,leave\nVC-01,07/01/2027,08/01/2027,"
        "leave\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "calendar",
            str(path),
            "--from",
            "2027-01-04",
            "--to",
            "2027-01-15",
            "--availability",
            str(leave),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    with (out / "sittings.csv").open(encoding="utf-8") as handle:
        notes = [(row["date"], row["note"]) for row in csv.DictReader(handle)]
    assert notes[0][1] == "this sitting has no chair: chair CH-01 and vice-chair VC-01 on leave"
    assert notes[1][1] == ""
    ics = (out / "sittings.ics").read_text(encoding="utf-8").replace("\r\n ", "")
    assert "this sitting has no chair" in ics.replace("\\", "")
    sheet = openpyxl.load_workbook(out / "sittings.xlsx").worksheets[0]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any("this sitting has no chair" in cell for cell in cells)
