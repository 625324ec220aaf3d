"""Killing the forward planner's commands part-way, for tests/forward/test_store_faults.py
and benchmarks/bench_kill_sweep.py.

The diaries are Lambeth's, from the bundled example: ``before.db`` holds the first 40 example
referrals added on Monday 4 January 2027, and each of the five commands below changes it (or,
for ``export``, writes its files) as a clerk would a fortnight in. A command is run in a
process of its own with ``panelsched`` and sent SIGKILL a chosen time after it starts; what it
leaves is then compared with what it leaves when it runs to the end.
"""

from __future__ import annotations

import csv
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.paths import LAMBETH, LAMBETH_REFERRALS

PANELSCHED = Path(sys.executable).with_name("panelsched")
NOW = "2027-01-15 09:00"
FIRST, NEW = 40, 40  # example referrals in the diary before, and added by `add`


def panelsched(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the ``panelsched`` command to the end, in a process of its own."""
    return subprocess.run(
        [str(PANELSCHED), *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def invoke(*args: str) -> tuple[int, str]:
    """Run a ``panelsched`` command to the end in this process (no start-up to wait for):
    its exit status and output."""
    from typer.testing import CliRunner

    from panelsched.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _example_rows(start: int, count: int, path: Path) -> Path:
    with LAMBETH_REFERRALS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(
            [rows[0], *rows[1 + start : 1 + start + count]]
        )
    return path


@dataclass(frozen=True)
class Diaries:
    """The files the commands work on, made once by :func:`make_diaries`."""

    folder: Path
    before: Path  # the store before each command
    new_referrals: Path  # for `add`
    records: Path  # for `decide`: an outcome for each case heard by 15/01/2027
    export_before: Path  # an earlier export's folder (of the diary with nothing in it)

    def command(self, name: str, db: Path, out: Path) -> list[str]:
        """The arguments of command ``name`` on the store ``db`` (``export`` into ``out``)."""
        common = ["--db", str(db), "--now", NOW]
        changes = [*common, "--by", "clerk", "--time-limit", "1"]
        return {
            "add": ["planner", "add", "--referrals", str(self.new_referrals), *changes],
            "decide": ["planner", "decide", "--records", str(self.records), *changes],
            "cancel": [
                "planner", "cancel", "lam-crp@21/01/2027", "--reason", "chair ill",
                "--agreed-by", "chair", *changes,
            ],
            "extra": ["planner", "extra", "lam-crp", "19/01/2027", "--reason", "backlog",
                      *changes],
            "export": ["planner", "export", "--out", str(out), *common],
        }[name]  # fmt: skip


COMMANDS = ("add", "decide", "cancel", "extra", "export")


def make_diaries(folder: Path) -> Diaries:
    """Start the diary, add the first example referrals, and write the commands' inputs."""
    folder.mkdir(parents=True, exist_ok=True)
    empty, before = folder / "empty.db", folder / "before.db"
    steps = [
        ["init", "--model", str(LAMBETH), "--db", str(empty), "--by", "clerk",
         "--now", "2027-01-04 08:00"],
        ["export", "--db", str(empty), "--out", str(folder / "export-before"), "--now", NOW],
        ["add", "--referrals", str(_example_rows(0, FIRST, folder / "first.csv")),
         "--db", str(before), "--by", "clerk", "--now", "2027-01-04 08:00", "--time-limit", "1"],
        # The export's outcomes.csv lists the cases heard and not yet decided: deferring them
        # all, `decide` books each a hearing at the next sitting (S10).
        ["export", "--db", str(before), "--out", str(folder / "heard"), "--now", NOW],
    ]  # fmt: skip
    for step in steps:
        if step[0] == "add":
            shutil.copy(empty, before)
        code, output = invoke("planner", *step)
        assert code == 0, output
    export_before, heard = folder / "export-before", folder / "heard"
    with (heard / "outcomes.csv").open(encoding="utf-8", newline="") as handle:
        rows = [dict(row, outcome="defer") for row in csv.DictReader(handle)]
    assert rows, "no case was heard by 15/01/2027"
    records = folder / "records.csv"
    with records.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return Diaries(
        folder=folder,
        before=before,
        new_referrals=_example_rows(FIRST, NEW, folder / "new.csv"),
        records=records,
        export_before=export_before,
    )


def dump(db: Path) -> str:
    """The store's contents as SQL text (opening it rolls back what a killed command left
    half-done, as the next command's opening would)."""
    with sqlite3.connect(db) as connection:
        return "\n".join(connection.iterdump())


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def folder_contents(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but staging folders (hidden, removed by the next run)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


@dataclass(frozen=True)
class Ends:
    """What command ``name`` leaves when it is not run, and when it runs to the end."""

    name: str
    before: str | dict[str, bytes]
    after: str | dict[str, bytes]
    seconds: float


def ends(diaries: Diaries, name: str, work: Path, *, timed: bool = True) -> Ends:
    """Run ``name`` to the end on a copy of the diary: what it left and, when ``timed``, how
    long it took in a process of its own (else it runs in this one, quicker, and the
    seconds are not the command's)."""
    db, out = _copy(diaries, work / f"{name}-whole")
    began = time.perf_counter()
    if timed:
        result = panelsched(*diaries.command(name, db, out))
        assert result.returncode == 0, result.stderr
    else:
        code, output = invoke(*diaries.command(name, db, out))
        assert code == 0, output
    seconds = time.perf_counter() - began
    if name == "export":
        return Ends(name, folder_contents(diaries.export_before), folder_contents(out), seconds)
    return Ends(name, dump(diaries.before), dump(db), seconds)


def _copy(diaries: Diaries, folder: Path) -> tuple[Path, Path]:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    db, out = folder / "planner.db", folder / "out"
    shutil.copy(diaries.before, db)
    shutil.copytree(diaries.export_before, out)
    return db, out


@dataclass(frozen=True)
class Killed:
    """One command killed ``delay`` seconds in: what it left, and whether it had ended."""

    name: str
    delay: float
    state: str  # "none" (as before), "all" (as after the whole command), or "broken"
    integrity: str
    ended: bool
    next_works: bool


def kill_after(diaries: Diaries, whole: Ends, delay: float, work: Path) -> Killed:
    """Run command ``whole.name`` on a fresh copy, SIGKILL it ``delay`` s in, then look."""
    db, out = _copy(diaries, work / f"{whole.name}-{delay:.3f}")
    args = diaries.command(whole.name, db, out)
    process = subprocess.Popen(
        [str(PANELSCHED), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(delay)
    ended = process.poll() is not None
    if not ended:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    check = integrity(db)
    if whole.name == "export":
        state = export_state(folder_contents(out), whole)
    else:
        found = dump(db)
        state = "none" if found == whole.before else "all" if found == whole.after else "broken"
    # The next command works: the same one run again leaves what a whole run leaves (where
    # the change was made already, it is refused as made: the referrals are known, the
    # sitting is cancelled).
    code, output = invoke(*args)
    next_works = "Traceback" not in output and integrity(db) == "ok"
    if whole.name == "export":
        next_works = next_works and code == 0 and folder_contents(out) == whole.after
        next_works = next_works and not list(out.glob(".panelsched-staging-*"))
    else:
        next_works = next_works and dump(db) == whole.after
    return Killed(whole.name, delay, state, check, ended, next_works)


def export_state(found: dict[str, bytes], whole: Ends) -> str:
    """ "none", "all", "part" (some files of one export, none of the other: a kill in the
    milliseconds the set is moved in) or "broken" (a file of neither, or old beside new)."""
    assert isinstance(whole.before, dict) and isinstance(whole.after, dict)
    if found == whole.before:
        return "none"
    if found == whole.after:
        return "all"
    old = {n for n, data in found.items() if whole.before.get(n) == data != whole.after.get(n)}
    new = {n for n, data in found.items() if whole.after.get(n) == data != whole.before.get(n)}
    same = {n for n, data in found.items() if whole.before.get(n) == data == whole.after.get(n)}
    if old | new | same != set(found) or (old and new):
        return "broken"
    return "part"


def spread(seconds: float, count: int) -> Sequence[float]:
    """``count`` kill times spread evenly over a run of ``seconds``, first and last inside."""
    return [seconds * (i + 0.5) / count for i in range(count)]
