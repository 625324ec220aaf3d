"""exports/atomic.py: a file is replaced whole or not at all; a set of outputs replaces an
earlier run's set together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from panelsched.exports.atomic import STAGING_PREFIX, output_set, replace_bytes, replace_text

SET = ("a.csv", "b.md", "summary.json")


def _contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_a_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "bookings.csv"
    target.write_text("old\n", encoding="utf-8")
    replace_text(target, "new\r\nline\n")
    # Line ends as written (no translation), and no temporary file left beside it.
    assert target.read_bytes() == b"new\r\nline\n"
    assert [p.name for p in tmp_path.iterdir()] == ["bookings.csv"]


def test_a_new_file_is_as_readable_as_any_other(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        replace_bytes(tmp_path / "f.ics", b"x")
    finally:
        os.umask(mask)
    # 0666 less the umask 022, not the 0600 of a private temporary file.
    assert (tmp_path / "f.ics").stat().st_mode & 0o777 == 0o644


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "planner.xlsx"
    target.write_bytes(b"old workbook")

    def full(self: Path, data: bytes) -> int:
        # A disk that fills part-way: some bytes land, then ENOSPC.
        with self.open("wb") as handle:
            handle.write(data[:3])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OSError, match="No space left"):
        replace_bytes(target, b"new workbook")
    monkeypatch.undo()
    assert target.read_bytes() == b"old workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["planner.xlsx"]


def _write_set(staging: Path, text: str) -> None:
    for name in SET:
        replace_text(staging / name, f"{text} {name}")


def test_a_set_replaces_an_earlier_set_and_leaves_other_files_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_set(out, SET) as staging:
        _write_set(staging, "first")
    (out / "my notes.txt").write_text("mine", encoding="utf-8")
    with output_set(out, SET) as staging:
        _write_set(staging, "second")
    assert _contents(out) == {
        "a.csv": "second a.csv",
        "b.md": "second b.md",
        "my notes.txt": "mine",
        "summary.json": "second summary.json",
    }


def test_a_set_that_fails_part_way_leaves_the_earlier_set_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_set(out, SET) as staging:
        _write_set(staging, "first")
    with pytest.raises(OSError), output_set(out, SET) as staging:
        replace_text(staging / "a.csv", "second a.csv")
        raise OSError(28, "No space left on device")
    assert _contents(out) == {n: f"first {n}" for n in SET}


def test_a_set_that_fails_leaves_no_folder_it_made(tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    with pytest.raises(KeyboardInterrupt), output_set(out, SET) as staging:
        replace_text(staging / "a.csv", "half")
        raise KeyboardInterrupt
    assert not out.exists()


def test_a_folder_in_the_set_is_replaced_whole(tmp_path: Path) -> None:
    # calendars/ holds one file per person: a person gone from the new set loses theirs.
    out = tmp_path / "out"
    for people in (("SW-1", "SW-2"), ("SW-2",)):
        with output_set(out, ("calendars", "planner.ics")) as staging:
            (staging / "calendars").mkdir()
            for person in people:
                replace_text(staging / "calendars" / f"{person}.ics", person)
            replace_text(staging / "planner.ics", "all")
    assert sorted(p.name for p in (out / "calendars").iterdir()) == ["SW-2.ics"]


def test_a_staging_folder_left_by_a_killed_run_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # A process that has ended: its pid is free (a staging folder it left is abandoned).
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    abandoned = out / f"{STAGING_PREFIX}{ended.stdout.strip()}-x1"
    abandoned.mkdir()
    (abandoned / "a.csv").write_text("half", encoding="utf-8")
    mine = out / f"{STAGING_PREFIX}{os.getpid()}-x2"  # a run still going: left alone
    mine.mkdir()
    with output_set(out, SET) as staging:
        _write_set(staging, "new")
    assert not abandoned.exists()
    assert mine.exists()


def test_ctrl_c_while_the_set_is_moved_in_waits_until_it_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    with output_set(out, SET) as staging:
        _write_set(staging, "first")
    real = os.replace
    moved: list[str] = []

    def replace_then_ctrl_c(source: str | Path, target: str | Path) -> None:
        real(source, target)
        if Path(target).parent != out:
            return  # a file written into the staging folder
        moved.append(Path(target).name)
        if len(moved) == 1:
            # Ctrl-C arrives after the first of the three files is in place.
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(os, "replace", replace_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt), output_set(out, SET) as staging:
        _write_set(staging, "second")
    monkeypatch.undo()
    # The interrupt was acted on only once all three were in: the new set, whole.
    assert moved == list(SET)
    assert _contents(out) == {n: f"second {n}" for n in SET}
