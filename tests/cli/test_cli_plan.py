"""`panelsched plan` end to end: the time limit in wall seconds, and bookings that may move.

The calendar is the shared test panels' (see ``tests.helpers.builders``): the Resource Panel
(crp) sits Thursdays 13:00-14:00 with four 15-minute slots, cut-off the Monday before at 13:00.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from panelsched.cli import app
from panelsched.exports.input_files import write_availability_csv, write_referrals_csv
from panelsched.io.model_file import load_model
from panelsched.synthetic import DemandProfile, generate_instance
from tests.helpers.builders import PANELS

ROOT = Path(__file__).resolve().parents[2]
PANELSCHED = Path(sys.executable).with_name("panelsched")


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return {row["referral_id"]: row for row in csv.DictReader(handle)}


# Four weekly panels, two of them on Wednesday with overlapping windows, 15-minute slots
# (20 for complex cases): a year of 2,000 referrals at about 90% is hours of search to prove.
WEEKLY = [
    ("res", "WE", "09:30-12:30"),
    ("leg", "WE", "11:00-14:00"),
    ("care", "MO", "14:00-17:00"),
    ("acc", "TU", "09:30-12:30"),
]


@pytest.fixture(scope="module")
def busy_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("year")
    panels = [
        {
            "id": pid,
            "name": f"Panel {pid}",
            "cadence": f"FREQ=WEEKLY;BYDAY={day}",
            "time": window,
            "slot_minutes": 15,
            "complex_slot_minutes": 20,
            "cutoff": "3 working days 17:00",
        }
        for pid, day, window in WEEKLY
    ]
    model = folder / "model.yaml"
    model.write_text(yaml.safe_dump({"authority": "Busyshire", "panels": panels}), "utf-8")
    profile = DemandProfile(complex_share=0.2, teams=40, team_size=(5, 5))
    referrals, leave = generate_instance(
        load_model(model),
        date(2027, 1, 1),
        date(2027, 12, 31),
        count=2000,
        seed=5,
        profile=profile,
    )
    write_referrals_csv(referrals, folder / "referrals.csv")
    write_availability_csv(leave, folder / "availability.csv")
    return folder


def _timed_plan(folder: Path, *options: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    command = [
        str(PANELSCHED),
        "plan",
        str(folder / "model.yaml"),
        "--referrals",
        str(folder / "referrals.csv"),
        "--availability",
        str(folder / "availability.csv"),
        *options,
    ]
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    return time.perf_counter() - began, done


def test_the_time_limit_is_wall_seconds_for_the_whole_command(busy_year: Path) -> None:
    # 4 s asked. Loose on purpose, as the machine may be busy: first come, first served on the
    # same files, timed now, measures what start-up, reading and writing cost on this machine
    # at the moment; the plan may take that and 4 s x 1.1 more, and a second for the search's
    # own fixed parts. With a budget per round instead of seconds it takes over 20 s.
    fixed, _ = _timed_plan(busy_year, "--method", "greedy", "--out", str(busy_year / "greedy"))
    out = busy_year / "plan"
    seconds, done = _timed_plan(busy_year, "--out", str(out), "--time-limit", "4")
    assert seconds < fixed + 4 * 1.1 + 1.0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    limit = summary["time_limit"]
    assert limit["seconds"] == 4.0 and limit["work_units"] > 0
    # The terminal says so exactly when the wall-clock cap cut in.
    said = "another run may give another plan" in " ".join(done.stdout.split())
    assert said == limit["wall_clock_cap_cut_in"]
    assert summary["unplaced"] + summary["placed"] == summary["referrals"] == 2000


def _six_booked(folder: Path) -> list[str]:
    # P1-P4 were told Thu 21 Jan, P5-P6 Thu 28 Jan; N (submitted Tue 12 Jan, after the 11 Jan
    # cut-off) must be heard by 21 Jan, which is full.
    model = folder / "model.yaml"
    model.write_text(
        yaml.safe_dump({"authority": "Testshire", "panels": [PANELS["crp"]]}), encoding="utf-8"
    )
    people = [f"P{n}" for n in range(1, 7)]
    with (folder / "referrals.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["referral_id", "panel", "submitted", "social_worker", "team_manager", "deadline"]
        )
        for rid in people:
            writer.writerow([rid, "crp", "2027-01-04 09:00", f"SW-{rid}", f"TM-{rid}", ""])
        writer.writerow(["N", "crp", "2027-01-12 09:00", "SW-N", "TM-N", "2027-01-21"])
    with (folder / "pinned.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["referral_id", "date", "start"])
        for n, rid in enumerate(people[:4]):
            writer.writerow([rid, "2027-01-21", f"13:{15 * n:02d}"])
        writer.writerow(["P5", "2027-01-28", "13:00"])
        writer.writerow(["P6", "2027-01-28", "13:15"])
    return [
        "plan",
        str(model),
        "--referrals",
        str(folder / "referrals.csv"),
        "--pinned",
        str(folder / "pinned.csv"),
        "--from",
        "2027-01-04",
        "--to",
        "2027-02-28",
    ]


def test_pinned_bookings_keep_their_slots_and_the_new_case_is_late(tmp_path: Path) -> None:
    args = _six_booked(tmp_path)
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "kept")])
    assert result.exit_code == 0, result.output
    unplaced = _rows(tmp_path / "kept" / "unplaced.csv")
    assert unplaced["N"]["status"] == "late"
    assert "moved" not in json.loads((tmp_path / "kept" / "summary.json").read_text("utf-8"))


def test_pinned_bookings_that_may_move_move_one_case_a_week(tmp_path: Path) -> None:
    # One of P1-P4 leaves 21 Jan for 14 Jan (7 days, and less waiting than 28 Jan), N takes
    # its slot; the five others keep date and time. One person to tell, not six.
    args = _six_booked(tmp_path)
    result = CliRunner().invoke(app, [*args, "--pinned-may-move", "--out", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    booked = _rows(tmp_path / "m" / "bookings.csv")
    told = _rows(tmp_path / "pinned.csv")
    moved = [
        rid
        for rid, was in told.items()
        if (booked[rid]["date"], booked[rid]["start"]) != (was["date"], was["start"])
    ]
    assert len(moved) == 1 and booked[moved[0]]["date"] == "2027-01-14"
    assert (booked["N"]["date"], booked["N"]["start"]) == ("2027-01-21", told[moved[0]]["start"])
    summary = json.loads((tmp_path / "m" / "summary.json").read_text("utf-8"))
    assert (summary["late"], summary["moved"], summary["days_moved"]) == (0, 1, 7)
    assert "bookings moved (people to tell)" in result.output
