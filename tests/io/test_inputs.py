"""Loading referrals, availability and pinned bookings."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority
from panelsched.core.plan import PinnedBooking
from panelsched.core.referrals import Referral
from panelsched.errors import InputError
from panelsched.io.inputs import load_availability, load_pinned, load_referrals
from panelsched.io.model_file import load_model

HEADER = "referral_id,panel,submitted,social_worker,team_manager"

GROUPED_MODEL = """\
authority: Test
panels:
  - id: pbo-masg-north
    name: MASG North
    group: pbo-masg
    locality: North
    cadence: "FREQ=WEEKLY;BYDAY=TU"
    time: "09:00-12:00"
    slot_minutes: 20
  - id: pbo-masg-south
    name: MASG South
    group: pbo-masg
    locality: South
    cadence: "FREQ=WEEKLY;BYDAY=WE"
    time: "09:00-12:00"
    slot_minutes: 20
  - id: pbo-sen
    name: SEN Panel
    cadence: "FREQ=WEEKLY;BYDAY=TH"
    time: "09:00-12:00"
    slot_minutes: 20
"""


@pytest.fixture
def grouped(tmp_path: Path) -> Authority:
    path = tmp_path / "grouped.yaml"
    path.write_text(GROUPED_MODEL, encoding="utf-8")
    return load_model(path)


def write(tmp_path: Path, text: str, name: str = "referrals.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def problems_of(exc: pytest.ExceptionInfo[InputError]) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in exc.value.problems]


# --------------------------------------------------------------------------- referrals


def test_referrals_read_every_column(tmp_path: Path, lambeth: Authority) -> None:
    path = write(
        tmp_path,
        f"{HEADER},child_id,request_type,complex,priority,cla_review,cp_review,contract_end,"
        "review_by,not_before,deadline,locality,late_permission,attendees,cost,notes\n"
        "R7,LAM-CRP,04/01/2027 09:30, SW 1 ,TM1,C-0042,s17 package,yes,Urgent,04/05/2027,"
        "2027-06-01,01/07/2027,30/06/2027,11/01/2027,20/06/2027,,y,Head of Service; IRO ,"
        '"£2,000",ignored\n',
    )
    (referral,) = load_referrals(path, lambeth)
    assert referral == Referral(
        referral_id="R7",
        panel="lam-crp",  # panel ids are matched whatever their case
        submitted=datetime(2027, 1, 4, 9, 30),
        social_worker="SW 1",  # names are kept as written, stripped
        team_manager="TM1",
        child_id="C-0042",
        request_type="s17 package",
        complex=True,
        priority="urgent",
        cla_review=date(2027, 5, 4),  # 04/05/2027 is 4 May, day first
        cp_review=date(2027, 6, 1),
        contract_end=date(2027, 7, 1),
        review_by=date(2027, 6, 30),
        not_before=date(2027, 1, 11),
        deadline=date(2027, 6, 20),
        locality="",
        late_permission=True,
        attendees=("Head of Service", "IRO"),
        cost=Decimal(2000),
    )
    assert referral.row == 2


def test_referral_defaults_and_order(tmp_path: Path, lambeth: Authority) -> None:
    # File order R2, R10, A1; sorted as text: "A1" < "R10" < "R2" ("1" sorts before "2").
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "R2,lam-crp,2027-01-04,SW1,TM1\n"
        "R10,lam-lpp,2027-01-04,SW2,TM1\n"
        "A1,lam-ctp,2027-01-05,SW3,TM2\n",
    )
    referrals = load_referrals(path, lambeth)
    assert [r.referral_id for r in referrals] == ["A1", "R10", "R2"]
    assert [r.row for r in referrals] == [4, 3, 2]
    first = referrals[0]
    assert first.submitted == datetime(2027, 1, 5)  # a date alone is 00:00
    assert (first.priority, first.complex, first.late_permission) == ("routine", False, False)
    assert (first.attendees, first.cost, first.cla_review) == ((), None, None)


def test_header_only_referrals_file_is_refused_naming_the_file(
    tmp_path: Path, lambeth: Authority
) -> None:
    # One rule for `plan` and `planner add` (issue 31, item 21): a file of no referrals is a
    # mistake (the wrong file, or the rows lost), refused naming the file.
    path = write(tmp_path, HEADER + "\n")
    with pytest.raises(InputError) as exc:
        load_referrals(path, lambeth)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}: the file has no referrals: it has a header row and nothing under it; put one "
        "referral on each row below the header"
    ]


def test_windows_1252_referrals_with_pound_and_accent(tmp_path: Path, lambeth: Authority) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        f'{HEADER},cost\r\nR1,lam-crp,04/01/2027,Zoé Martin,TM1,"£2,500.50"\r\n'.encode("cp1252")
    )
    (referral,) = load_referrals(path, lambeth)
    assert referral.social_worker == "Zoé Martin"
    assert referral.cost == Decimal("2500.50")


def test_referrals_with_bom(tmp_path: Path, lambeth: Authority) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(f"\ufeff{HEADER}\r\nR1,lam-crp,04/01/2027,SW1,TM1\r\n".encode())
    (referral,) = load_referrals(path, lambeth)
    assert referral.referral_id == "R1"


def test_referrals_from_xlsx_with_date_cells(tmp_path: Path, lambeth: Authority) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "Referral ID",
            "Panel",
            "Submitted",
            "Social Worker",
            "Team Manager",
            "CLA Review",
            "Complex",
            "Cost",
        ]
    )
    sheet.append(
        [
            1001,
            "lam-crp",
            datetime(2027, 1, 4, 9, 30),
            "SW1",
            "TM1",
            datetime(2027, 3, 4),
            True,
            2000,
        ]
    )
    path = tmp_path / "referrals.xlsx"
    book.save(path)
    (referral,) = load_referrals(path, lambeth)
    assert referral.referral_id == "1001"  # a numeric id cell is read without ".0"
    assert referral.submitted == datetime(2027, 1, 4, 9, 30)
    assert referral.cla_review == date(2027, 3, 4)
    assert referral.complex is True
    assert referral.cost == Decimal(2000)


KNOWN = "known panels: lam-crp, lam-lpp, lam-ctp, lam-ptp, lam-16plus, lam-neet"
REQUIRED = "the required columns are referral_id, panel, submitted, social_worker, team_manager"

BAD_REFERRALS = [
    pytest.param(
        "referral_id,panel,social_worker,team_manager\nR1,lam-crp,SW1,TM1\n",
        None,
        "submitted",
        f"this required column is missing; {REQUIRED}",
        id="missing-column",
    ),
    pytest.param(
        "referal_id,panel,submitted,social_worker,team_manager\nR1,lam-crp,2027-01-04,SW1,TM1\n",
        None,
        "referral_id",
        "(is 'referal_id' a misspelling of 'referral_id'?)",
        id="misspelt-column",
    ),
    pytest.param(
        f"{HEADER}\nR1,lam-crp,2027-01-04,,TM1\n",
        2,
        "social_worker",
        "the cell is empty; name who presents the case",
        id="empty-cell",
    ),
    pytest.param(
        f"{HEADER}\nR1,lam-xyz,2027-01-04,SW1,TM1\n",
        2,
        "panel",
        f"unknown panel 'lam-xyz'; {KNOWN}",
        id="unknown-panel",
    ),
    pytest.param(
        f"{HEADER}\nR1,lam-crpp,2027-01-04,SW1,TM1\n",
        2,
        "panel",
        "(did you mean 'lam-crp'?)",
        id="near-panel",
    ),
    pytest.param(
        f"{HEADER}\nR1,lam-crp,2027-01-04,SW1,TM1\nR2,lam-crp,2027-01-04,SW1,TM1\n"
        "R1,lam-lpp,2027-01-05,SW2,TM1\n",
        4,
        "referral_id",
        "'R1' appears twice; it was first on row 2",
        id="duplicate-id",
    ),
    pytest.param(
        f"{HEADER},cla_review\nR1,lam-crp,2027-01-04,SW1,TM1,31/02/2027\n",
        2,
        "cla_review",
        "'31/02/2027' is not a real date: February 2027 has 28 days, not 31",
        id="impossible-date",
    ),
    pytest.param(
        f"{HEADER}\nR1,lam-crp,next week,SW1,TM1\n",
        2,
        "submitted",
        "'next week' is not a date and time",
        id="bad-submitted",
    ),
    pytest.param(
        f"{HEADER}\nR1,lam-crp,,SW1,TM1\n",
        2,
        "submitted",
        "the cell is empty",
        id="empty-submitted",
    ),
    pytest.param(
        f"{HEADER},priority\nR1,lam-crp,2027-01-04,SW1,TM1,high\n",
        2,
        "priority",
        "'high' is not a priority; expected one of routine, urgent, emergency",
        id="bad-priority",
    ),
    pytest.param(
        f"{HEADER},complex\nR1,lam-crp,2027-01-04,SW1,TM1,maybe\n",
        2,
        "complex",
        "'maybe' is not yes or no",
        id="bad-complex",
    ),
    pytest.param(
        f"{HEADER},cost\nR1,lam-crp,2027-01-04,SW1,TM1,-£5\n",
        2,
        "cost",
        "'-£5': a cost cannot be negative",
        id="negative-cost",
    ),
    pytest.param(
        f"{HEADER},deadline\nR1,lam-crp,2027-01-04,SW1,TM1,\n\n"
        "R2,lam-crp,2027-01-04,SW1,TM1,04/01/27\n",
        4,
        "deadline",
        "'04/01/27': write the year in full",
        id="row-after-blank-row",
    ),
]


@pytest.mark.parametrize(("text", "row", "column", "message"), BAD_REFERRALS)
def test_bad_referrals_are_refused_naming_row_and_column(
    tmp_path: Path, lambeth: Authority, text: str, row: int | None, column: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as exc:
        load_referrals(path, lambeth)
    (problem,) = exc.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), row, column)
    assert message in problem.message


def test_every_bad_cell_is_reported_in_one_run(tmp_path: Path, lambeth: Authority) -> None:
    # Row 2: bad panel and bad date; row 3 is fine; row 4: empty team manager.
    path = write(
        tmp_path,
        f"{HEADER},deadline\n"
        "R1,nope,2027-01-04,SW1,TM1,30/02/2027\n"
        "R2,lam-crp,2027-01-04,SW1,TM1,\n"
        "R3,lam-crp,2027-01-04,SW1,,\n",
    )
    with pytest.raises(InputError) as exc:
        load_referrals(path, lambeth)
    assert problems_of(exc) == [(2, "panel"), (2, "deadline"), (4, "team_manager")]


def test_every_missing_column_is_reported(tmp_path: Path, lambeth: Authority) -> None:
    with pytest.raises(InputError) as exc:
        load_referrals(write(tmp_path, "referral_id,panel\n"), lambeth)
    assert problems_of(exc) == [
        (None, "submitted"),
        (None, "social_worker"),
        (None, "team_manager"),
    ]


def test_problem_names_the_column_as_the_file_writes_it(tmp_path: Path, lambeth: Authority) -> None:
    path = write(
        tmp_path,
        "Referral ID,Panel,Submitted,Social Worker,Team Manager\nR1,lam-crp,2027-01-04,SW1,\n",
    )
    with pytest.raises(InputError) as exc:
        load_referrals(path, lambeth)
    assert str(exc.value) == (
        f"{path}, row 2, column 'Team Manager': the cell is empty; name the presenting team manager"
    )


def test_missing_file_is_an_input_error(tmp_path: Path, lambeth: Authority) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_referrals(tmp_path / "nope.csv", lambeth)


# --------------------------------------------------------------------------- localities


@pytest.mark.parametrize(
    ("panel", "locality", "expected"),
    [
        # A group plus a locality is that locality's panel, its spelling taken from the model.
        ("pbo-masg", "north", ("pbo-masg-north", "North")),
        ("PBO-MASG", " South ", ("pbo-masg-south", "South")),
        # A locality's own panel needs no locality, or the same one.
        ("pbo-masg-south", "", ("pbo-masg-south", "South")),
        ("pbo-masg-north", "NORTH", ("pbo-masg-north", "North")),
        # A panel not split by locality keeps whatever locality the file gives.
        ("pbo-sen", "Central", ("pbo-sen", "Central")),
    ],
)
def test_locality_resolves_a_group_to_its_panel(
    tmp_path: Path, grouped: Authority, panel: str, locality: str, expected: tuple[str, str]
) -> None:
    path = write(tmp_path, f"{HEADER},locality\nR1,{panel},2027-01-04,SW1,TM1,{locality}\n")
    (referral,) = load_referrals(path, grouped)
    assert (referral.panel, referral.locality) == expected


@pytest.mark.parametrize(
    ("panel", "locality", "column", "message"),
    [
        (
            "pbo-masg",
            "",
            "locality",
            "the cell is empty; panel 'pbo-masg' sits by locality, so give one of: North, South",
        ),
        (
            "pbo-masg",
            "East",
            "locality",
            "no 'pbo-masg' panel sits for locality 'East'; its localities are: North, South",
        ),
        (
            "pbo-masg-north",
            "South",
            "locality",
            "panel 'pbo-masg-north' sits for locality 'North', but this referral names "
            "locality 'South'",
        ),
        (
            "pbo-masq",
            "North",
            "panel",
            "unknown panel 'pbo-masq'; known panels: pbo-masg-north, pbo-masg-south, pbo-sen; "
            "panels split by locality (give a locality too): pbo-masg (did you mean 'pbo-masg'?)",
        ),
    ],
)
def test_bad_locality_is_refused(
    tmp_path: Path, grouped: Authority, panel: str, locality: str, column: str, message: str
) -> None:
    path = write(tmp_path, f"{HEADER},locality\nR1,{panel},2027-01-04,SW1,TM1,{locality}\n")
    with pytest.raises(InputError) as exc:
        load_referrals(path, grouped)
    (problem,) = exc.value.problems
    assert (problem.row, problem.column, problem.message) == (2, column, message)


def test_group_without_a_locality_column_names_the_column(
    tmp_path: Path, grouped: Authority
) -> None:
    path = write(tmp_path, f"{HEADER}\nR1,pbo-masg,2027-01-04,SW1,TM1\n")
    with pytest.raises(InputError) as exc:
        load_referrals(path, grouped)
    assert problems_of(exc) == [(2, "locality")]


# --------------------------------------------------------------------------- availability

AVAILABILITY = "person,from,to,start,end,reason\n"


def test_availability_whole_days_and_times(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        AVAILABILITY
        + "TM1,04/01/2027,06/01/2027,,,annual leave\n"
        + "SW1,2027-01-07,2027-01-07,09:00,12:00,court\n"
        + "SW1,07/01/2027,08/01/2027,13:00,,training\n",
        "availability.csv",
    )
    sw_court, sw_training, tm_leave = load_availability(path)
    # Sorted by person, then start: SW1 at 09:00 before SW1 at 13:00, then TM1.
    assert tm_leave == Unavailability(
        "TM1", datetime(2027, 1, 4), datetime(2027, 1, 6), True, "annual leave"
    )
    assert tm_leave.covers_day(date(2027, 1, 6)) and not tm_leave.covers_day(date(2027, 1, 7))
    assert sw_court == Unavailability(
        "SW1", datetime(2027, 1, 7, 9), datetime(2027, 1, 7, 12), False, "court"
    )
    # Away 09:00-12:00: a 13:00-16:00 sitting is fine, an 11:30-12:30 one clashes.
    assert not sw_court.clashes(date(2027, 1, 7), time(13), time(16))
    assert sw_court.clashes(date(2027, 1, 7), time(11, 30), time(12, 30))
    # From 13:00 on the 7th with no end time: away to the end of the 8th (midnight of the 9th).
    assert sw_training.start == datetime(2027, 1, 7, 13)
    assert sw_training.end == datetime(2027, 1, 9)
    assert sw_training.row == 4


def test_availability_end_time_alone_starts_at_midnight(tmp_path: Path) -> None:
    path = write(tmp_path, "person,from,to,end\nSW1,04/01/2027,04/01/2027,12:00\n", "a.csv")
    (period,) = load_availability(path)
    assert (period.start, period.end, period.whole_days) == (
        datetime(2027, 1, 4),
        datetime(2027, 1, 4, 12),
        False,
    )


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("SW1,06/01/2027,04/01/2027,,,", "to", "'to' 2027-01-04 is before 'from' 2027-01-06"),
        (
            "SW1,04/01/2027,04/01/2027,13:00,12:00,",
            "end",
            "the period ends at 2027-01-04 12:00, not after it starts at 2027-01-04 13:00",
        ),
        ("SW1,04/01/2027,04/01/2027,25:00,,", "start", "'25:00' is not a time of day"),
        ("SW1,04/01/2027,04/01/2027,,noon,", "end", "'noon' is not a time"),
        ("SW1,31/04/2027,04/05/2027,,,", "from", "April 2027 has 30 days, not 31"),
        ("SW1,04/01/2027,,,,", "to", "the cell is empty"),
        (",04/01/2027,04/01/2027,,,", "person", "the cell is empty; name who is away"),
    ],
)
def test_bad_availability_is_refused(tmp_path: Path, line: str, column: str, message: str) -> None:
    path = write(tmp_path, AVAILABILITY + "TM1,04/01/2027,04/01/2027,,,\n" + line + "\n", "a.csv")
    with pytest.raises(InputError) as exc:
        load_availability(path)
    (problem,) = exc.value.problems
    assert (problem.row, problem.column) == (3, column)
    assert message in problem.message


def test_availability_needs_its_columns(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_availability(write(tmp_path, "person,start\n", "a.csv"))
    assert problems_of(exc) == [(None, "from"), (None, "to")]


# --------------------------------------------------------------------------- pinned


def test_pinned_from_a_previous_bookings_file(tmp_path: Path) -> None:
    # A bookings.csv as the planner writes it: extra columns, and a case reference starting
    # with "-" neutralised with an apostrophe so a spreadsheet does not run it.
    path = write(
        tmp_path,
        "referral_id,panel,date,start,end,social_worker,team_manager,pinned\n"
        "R2,lam-crp,2027-01-07,13:15,13:30,SW1,TM1,no\n"
        "'-R1,lam-lpp,13/01/2027,10:00,10:30,SW2,TM1,yes\n",
        "bookings.csv",
    )
    assert load_pinned(path) == (
        PinnedBooking("-R1", date(2027, 1, 13), time(10, 0)),
        PinnedBooking("R2", date(2027, 1, 7), time(13, 15)),
    )


@pytest.mark.parametrize(
    ("lines", "row", "column", "message"),
    [
        (
            "R1,2027-01-07,13:15\nR1,2027-01-14,13:15",
            3,
            "referral_id",
            "'R1' appears twice; it was first on row 2",
        ),
        ("R1,2027-02-30,13:15", 2, "date", "February 2027 has 28 days, not 30"),
        ("R1,2027-01-07,1pm", 2, "start", "'1pm' is not a time"),
        (",2027-01-07,13:15", 2, "referral_id", "the cell is empty"),
    ],
)
def test_bad_pinned_is_refused(
    tmp_path: Path, lines: str, row: int, column: str, message: str
) -> None:
    path = write(tmp_path, "referral_id,date,start\n" + lines + "\n", "pinned.csv")
    with pytest.raises(InputError) as exc:
        load_pinned(path)
    (problem,) = exc.value.problems
    assert (problem.row, problem.column) == (row, column)
    assert message in problem.message
