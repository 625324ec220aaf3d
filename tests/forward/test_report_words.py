"""What the forward commands report reads as sentences (issue 31, item 12): the web shows
these lines as they are, so they name the panel and a UK date (not ``crp@2027-03-04``), count
"1 case" and "3 cases" (not "case(s)") and name no command-line option.

The conftest model's Resource Panel (crp) sits on Thursdays 13:00-14:00 in four 15-minute
slots, cut-off the Monday before at 13:00; referrals submitted on Monday 1 March before 13:00
are booked on Thursday 4 March.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from panelsched.cli.forward_tables import report_renderables
from panelsched.forward import Report, Store, cancel, extra, remove_extra
from tests.helpers.forward import FAST, actor, add_file, referral, write_rows

# What a sentence for a person never holds: a sitting id, "(s)", an option.
_NOT_WORDS = re.compile(r"@|\(s\)|--[a-z]")


def _booked_on_4_march(store: Store, tmp_path: Path, count: int) -> None:
    if count:
        rows = [referral(f"R-{n}", f"2027-03-01 09:0{n}") for n in range(1, count + 1)]
        add_file(store, actor("2027-03-01 10:00"), write_rows(tmp_path / "r.csv", rows))


def _said(report: Report) -> str:
    said = " ".join([*report.lines, *report.clashes])
    assert not _NOT_WORDS.search(said), said
    return said


@pytest.mark.parametrize(
    ("count", "line"),
    [
        (3, "Cancelled the Resource Panel sitting of Thu 04/03/2027: 3 booked cases to move."),
        (1, "Cancelled the Resource Panel sitting of Thu 04/03/2027: 1 booked case to move."),
        (0, "Cancelled the Resource Panel sitting of Thu 04/03/2027: no case was booked there."),
    ],
    ids=["three", "one", "none"],
)
def test_cancel_says_which_sitting_and_how_many_cases(
    store: Store, tmp_path: Path, count: int, line: str
) -> None:
    _booked_on_4_march(store, tmp_path, count)
    report = cancel(store, actor("2027-03-02 09:00"), "crp@2027-03-04", "x", settings=FAST)
    assert report.lines[0] == line
    _said(report)


def test_the_bookings_and_waiting_lines_count_in_words(store: Store, tmp_path: Path) -> None:
    _booked_on_4_march(store, tmp_path, 3)
    report = cancel(store, actor("2027-03-02 09:00"), "crp@2027-03-04", "x", settings=FAST)
    # The three move to 11 March, the next sitting: nothing is booked anew.
    assert report.lines[1:] == ("Booked 0 hearings; moved 3.",)
    _said(report)


def test_extra_with_no_case_booked_late_says_none_moved(store: Store, tmp_path: Path) -> None:
    _booked_on_4_march(store, tmp_path, 1)
    report = extra(store, actor("2027-03-02 09:00"), "crp", date(2027, 3, 5), settings=FAST)
    assert report.lines == (
        "Added an extra sitting of the Resource Panel on Fri 05/03/2027.",
        "No case was booked late, so no booking moved.",
    )
    _said(report)


def test_extra_offered_to_a_late_case_counts_it_in_words(store: Store, tmp_path: Path) -> None:
    _booked_on_4_march(store, tmp_path, 4)
    # R-5 is due by Friday 5 March (21 days before its CLA review on the 26th); 4 March is
    # full, so it is booked late on 11 March. The extra Friday takes it in time.
    late = [referral("R-5", "2027-03-01 11:00", cla_review="2027-03-26")]
    add_file(store, actor("2027-03-01 12:00"), write_rows(tmp_path / "late.csv", late))
    report = extra(store, actor("2027-03-02 09:00"), "crp", date(2027, 3, 5), settings=FAST)
    assert report.lines == (
        "Added an extra sitting of the Resource Panel on Fri 05/03/2027.",
        "Offered an earlier date to 1 case booked late (1 moved); no other booking moved.",
        "Booked 0 hearings; moved 1.",
    )
    _said(report)


def test_remove_extra_says_which_sitting_and_how_many_cases(store: Store) -> None:
    extra(store, actor("2027-03-02 09:00"), "crp", date(2027, 3, 5), settings=FAST)
    report = remove_extra(store, actor("2027-03-02 09:10"), "crp@2027-03-05", settings=FAST)
    assert report.lines[0] == (
        "Removed the extra sitting of the Resource Panel on Fri 05/03/2027: no case was "
        "booked there."
    )
    _said(report)


def test_a_clash_is_a_sentence_with_no_option(store: Store, tmp_path: Path) -> None:
    _booked_on_4_march(store, tmp_path, 1)
    # SW-1, presenting R-1 on Thursday 4 March, is then away all that day: R-1 is kept where
    # it is (nothing already booked moves when referrals are added) and the clash reported.
    away = write_rows(
        tmp_path / "away.csv",
        [{"person": "SW-1", "from": "2027-03-04", "to": "2027-03-04", "start": "", "end": ""}],
    )
    more = write_rows(tmp_path / "more.csv", [referral("R-9", "2027-03-01 11:00")])
    report = add_file(store, actor("2027-03-01 12:00"), more, away, settings=FAST)
    assert report.clashes == (
        "R-1 at the Resource Panel sitting of Thu 04/03/2027 13:00: SW-1 is away; kept as booked",
    )
    assert not _NOT_WORDS.search(" ".join(report.clashes))


def test_the_command_line_adds_how_to_move_a_clash() -> None:
    clash = (
        "R-1 at the Resource Panel sitting of Thu 04/03/2027 13:00: SW-1 is away; kept as booked"
    )
    printed = [str(item) for item in report_renderables(Report("add", clashes=(clash,)))]
    assert printed == [
        f"Warning: {clash}",
        "Run the command again with --replan to move them.",
    ]
