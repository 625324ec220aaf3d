"""The forward planner under faults: killed part-way, two writers at once, damaged, foreign,
read-only and full files. Every command is one transaction: after any of these the store
passes SQLite's integrity check, holds all of a change or none of it, and the next command
works; a file it cannot use is refused in one line with exit status 2 and left as it was.

The diaries are Lambeth's from the bundled example (see ``kill_sweep``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from panelsched.cli import app
from panelsched.forward import store as store_module
from panelsched.forward.schema import MIGRATIONS
from panelsched.forward.store import Store
from tests.helpers.kill_sweep import (
    COMMANDS,
    NOW,
    PANELSCHED,
    Diaries,
    Ends,
    dump,
    ends,
    folder_contents,
    integrity,
    kill_after,
    make_diaries,
    panelsched,
    spread,
)
from tests.helpers.kill_sweep import export_state as kill_sweep_state


@pytest.fixture(scope="module")
def diaries(tmp_path_factory: pytest.TempPathFactory) -> Diaries:
    return make_diaries(tmp_path_factory.mktemp("diaries"))


@pytest.fixture(scope="module")
def whole(diaries: Diaries, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Ends]:
    """Each command run to the end once: what it leaves (and for `add`, its run time)."""
    work = tmp_path_factory.mktemp("whole")
    return {name: ends(diaries, name, work, timed=name == "add") for name in COMMANDS}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


# --------------------------------------------------------------------------- kill -9


def test_kill_9_at_any_moment_of_add_leaves_all_or_none(
    diaries: Diaries, whole: dict[str, Ends], tmp_path: Path
) -> None:
    # 8 moments spread over the measured run of `planner add`, each in a process of its own
    # (benchmarks/bench_kill_sweep.py sweeps all five commands at more moments). Most land
    # before the change is saved; the change itself is swept statement by statement below.
    run = whole["add"]
    assert run.before != run.after  # the command changes something to lose
    states = []
    for delay in spread(run.seconds, 8):
        killed = kill_after(diaries, run, delay, tmp_path)
        assert killed.integrity == "ok", killed
        assert killed.state in {"none", "all"}, killed
        assert killed.next_works, killed
        states.append(killed.state)
    assert states[0] == "none"


def _forked(args: list[str], arm: Callable[[], None]) -> int:
    """Run ``panelsched *args`` in a forked child after ``arm()`` has set it to SIGKILL
    itself at some step; the child's wait status."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child ends in os._exit or SIGKILL
        try:
            arm()
            result = CliRunner().invoke(app, args)
            os._exit(result.exit_code)
        except BaseException:
            os._exit(99)
    return os.waitpid(pid, 0)[1]


def _steps(record: Path | None, kill_at: int) -> Callable[[str], None]:
    """A step counter: writes each step to ``record`` and SIGKILLs at step ``kill_at``."""
    count = 0
    lines = record.open("w", encoding="utf-8") if record else None

    def step(what: str) -> None:
        nonlocal count
        count += 1
        if lines:
            lines.write(" ".join(what.split())[:60] + "\n")
            lines.flush()
        if count == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    return step


def _at_statement(record: Path | None, statement: int) -> Callable[[], None]:
    """Kill as SQLite is about to run the ``statement``-th statement (0: never)."""

    def arm() -> None:
        step = _steps(record, statement)
        connect = Store._connect

        def traced(path: Path) -> sqlite3.Connection:
            connection = connect(path)
            connection.set_trace_callback(step)
            return connection

        Store._connect = staticmethod(traced)  # type: ignore[method-assign]

    return arm


def _at_rename(record: Path | None, rename: int) -> Callable[[], None]:
    """Kill just after the ``rename``-th file is renamed into place (0: never)."""

    def arm() -> None:
        step = _steps(record, rename)
        real = os.replace

        def replace(source: str | Path, target: str | Path) -> None:
            real(source, target)
            step(str(Path(target).relative_to(Path(target).parents[1])))

        os.replace = replace  # type: ignore[assignment]

    return arm


@pytest.mark.parametrize("name", ["add", "decide", "cancel", "extra"])
def test_kill_9_at_each_step_of_the_change_leaves_all_or_none(
    name: str, diaries: Diaries, whole: dict[str, Ends], tmp_path: Path
) -> None:
    # The command's statements from its BEGIN IMMEDIATE to just after its COMMIT; killed
    # before the COMMIT runs the store is as before, after it as after the whole command.
    record = tmp_path / "statements.txt"
    db, out = tmp_path / "p.db", tmp_path / "out"
    shutil.copy(diaries.before, db)
    assert _forked(diaries.command(name, db, out), _at_statement(record, 0)) == 0
    statements = record.read_text(encoding="utf-8").splitlines()
    begin = max(i for i, s in enumerate(statements) if s == "BEGIN IMMEDIATE") + 1
    commit = max(i for i, s in enumerate(statements) if s == "COMMIT") + 1
    assert commit - begin > 5, statements[begin - 1 : commit]
    # Its first change, one half-way, the COMMIT itself, and the statement after it.
    for point in (begin + 1, (begin + commit) // 2, commit, commit + 1):
        shutil.copy(diaries.before, db)
        status = _forked(diaries.command(name, db, out), _at_statement(None, point))
        assert os.WIFSIGNALED(status) or point > len(statements), (point, status)
        assert integrity(db) == "ok"
        expected = whole[name].after if point > commit else whole[name].before
        assert dump(db) == expected, (name, point, statements[point - 1])


def test_kill_9_while_export_writes_leaves_one_export_never_a_mixture(
    diaries: Diaries, whole: dict[str, Ends], tmp_path: Path
) -> None:
    # Every file is written to a staging folder and the set renamed in at the end: killed
    # while writing, the earlier export is whole; killed while the set is renamed in (a few
    # milliseconds), the folder holds part of one export, never old files beside new ones.
    record = tmp_path / "renames.txt"
    out = tmp_path / "out"
    shutil.copytree(diaries.export_before, out)
    assert _forked(diaries.command("export", diaries.before, out), _at_rename(record, 0)) == 0
    renames = record.read_text(encoding="utf-8").splitlines()
    published = 5  # calendars/ and the four files are renamed into the folder last
    assert len(renames) > published + 3
    run = whole["export"]
    seen = []
    # Half-way through writing, after the last file is staged, and while the set goes in.
    for point in (len(renames) // 2, len(renames) - published, len(renames) - 2):
        shutil.rmtree(out)
        shutil.copytree(diaries.export_before, out)
        status = _forked(diaries.command("export", diaries.before, out), _at_rename(None, point))
        assert os.WIFSIGNALED(status), point
        found = folder_contents(out)
        state = kill_sweep_state(found, run)
        assert state in {"none", "part"}, (point, renames[point - 1], state)
        seen.append(state)
        # The next export cleans what the killed one left and writes the whole set.
        code, _ = _invoke(*diaries.command("export", diaries.before, out))
        assert code == 0 and folder_contents(out) == run.after
        assert not list(out.glob(".*"))
    assert seen == ["none", "none", "part"]


# --------------------------------------------------------------------------- two writers


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(PANELSCHED), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_adds_at_once_both_land_once(diaries: Diaries, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    shutil.copy(diaries.before, db)
    halves = []
    with diaries.new_referrals.open(encoding="utf-8") as handle:
        header, *rows = handle.readlines()
    for number, part in enumerate((rows[:20], rows[20:])):
        path = tmp_path / f"half{number}.csv"
        path.write_text(header + "".join(part), encoding="utf-8")
        halves.append(path)
    common = ["--db", str(db), "--now", NOW, "--time-limit", "1"]
    processes = [
        _start("planner", "add", "--referrals", str(half), "--by", f"clerk{n}", *common)
        for n, half in enumerate(halves)
    ]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in processes]
    # The second waits for the first's transaction (well within the 30 s it may wait).
    assert [code for code, _ in results] == [0, 0], results
    assert integrity(db) == "ok"
    with sqlite3.connect(db) as connection:
        ids = [r[0] for r in connection.execute("SELECT referral_id FROM referrals")]
        adds = connection.execute("SELECT COUNT(*) FROM commands WHERE command LIKE 'add%'")
        assert adds.fetchone()[0] == 3  # the diary's first add, then these two
        hearings = connection.execute(
            "SELECT COUNT(*), COUNT(DISTINCT referral_id) FROM hearings"
        ).fetchone()
        doubled = connection.execute(
            "SELECT hearing_id FROM bookings WHERE ended_command_id IS NULL "
            "GROUP BY hearing_id HAVING COUNT(*) > 1"
        ).fetchall()
    # 40 before and 40 new, each once, with one hearing each, none booked twice.
    assert len(ids) == len(set(ids)) == 80
    assert tuple(hearings) == (80, 80)
    assert doubled == []


def test_the_same_file_added_twice_at_once_is_added_once(diaries: Diaries, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    shutil.copy(diaries.before, db)
    args = diaries.command("add", db, tmp_path / "out")
    processes = [_start(*args) for _ in range(2)]
    results = sorted((p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in processes)
    assert [code for code, _ in results] == [0, 2], results
    # The later one read the diary after the first's change: every case is known already.
    assert "is already in the planner" in results[1][1]
    assert "Traceback" not in results[1][1]
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM referrals").fetchone()[0] == 80


def test_a_writer_that_waits_too_long_is_told_the_diary_is_busy(
    diaries: Diaries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "p.db"
    shutil.copy(diaries.before, db)
    before = dump(db)
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another command is saving a change
    try:
        code, output = _invoke(*diaries.command("add", db, tmp_path / "out"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 2
    assert output == (
        f"error: {db}: the diary is busy, try again: another command (or the web application) "
        "was saving a change for more than 0.2 s; nothing was changed\n"
    )
    assert dump(db) == before


# --------------------------------------------------------------------------- damaged files


def _truncated(keep: int) -> Callable[[Path], None]:
    def damage(db: Path) -> None:
        data = db.read_bytes()
        db.write_bytes(data[:keep] if keep > 0 else data[: len(data) + keep])

    return damage


def _random(db: Path) -> None:
    db.write_bytes(hashlib.sha512(b"not a diary").digest() * 128)


def _newer(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute(f"PRAGMA user_version = {MIGRATIONS[-1].version + 1}")


def _foreign(db: Path) -> None:
    db.unlink()
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE accounts (id INTEGER)")


DAMAGED = (
    "the planner database is damaged (cut short or overwritten); nothing was changed: "
    "restore it from a backup copy"
)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        pytest.param(_truncated(-20000), DAMAGED, id="truncated-pages-missing"),
        pytest.param(_truncated(100), DAMAGED, id="truncated-to-the-header"),
        pytest.param(_random, "not a planner database (not SQLite)", id="random-bytes"),
        pytest.param(
            _newer,
            f"made by a newer panelsched (schema version {MIGRATIONS[-1].version + 1}; this "
            f"one reads up to {MIGRATIONS[-1].version}); upgrade panelsched to open it",
            id="newer-schema",
        ),
        pytest.param(_foreign, "not a planner database made by panelsched", id="foreign-sqlite"),
    ],
)
@pytest.mark.parametrize("name", ["add", "export"])
def test_a_damaged_or_foreign_store_is_refused_and_left_as_it_was(
    name: str,
    damage: Callable[[Path], None],
    message: str,
    diaries: Diaries,
    tmp_path: Path,
) -> None:
    db = tmp_path / "p.db"
    shutil.copy(diaries.before, db)
    damage(db)
    kept = _sha(db)
    code, output = _invoke(*diaries.command(name, db, tmp_path / "out"))
    assert (code, output) == (2, f"error: {db}: {message}\n")
    assert _sha(db) == kept
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- read-only, full


@contextlib.contextmanager
def _tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A small tmpfs at ``folder``, where the machine lets tests mount one (else skip)."""
    folder.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True, check=False,
    )  # fmt: skip
    if made.returncode != 0:
        pytest.skip("this machine does not let tests mount a tmpfs")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _read_only(folder: Path) -> None:
    """Make ``folder`` and what it holds unwritable, even for root (remounted read-only)."""
    if os.geteuid() != 0:
        for path in [*folder.rglob("*"), folder]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        return
    done = subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=False)
    if done.returncode != 0:
        pytest.skip("cannot make a read-only folder as root without remounting")


def test_a_read_only_store_is_refused_and_left_as_it_was(diaries: Diaries, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "disk", "4m") as disk:
        db = disk / "p.db"
        shutil.copy(diaries.before, db)
        kept = _sha(db)
        _read_only(disk)
        code, output = _invoke(*diaries.command("add", db, tmp_path / "out"))
        assert (code, output) == (
            2,
            f"error: {db}: the planner cannot be changed: the file or its folder is "
            "read-only; nothing was changed\n",
        )
        assert _sha(db) == kept
        # Reading still works: the export of a read-only diary goes elsewhere.
        code, _ = _invoke(*diaries.command("export", db, tmp_path / "out"))
        assert code == 0


def test_an_export_into_a_read_only_folder_is_refused(diaries: Diaries, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "disk", "4m") as disk:
        shutil.copytree(diaries.export_before, disk / "out")
        kept = folder_contents(disk / "out")
        _read_only(disk)
        code, output = _invoke(*diaries.command("export", diaries.before, disk / "out"))
        assert code == 2
        assert output == f"error: --out: cannot write into {disk / 'out'}: Read-only file system\n"
        assert folder_contents(disk / "out") == kept


DISK_FULL = "the disk is full; nothing was changed: free some space and run it again"


def test_a_full_disk_while_the_store_is_written_changes_nothing(
    diaries: Diaries, tmp_path: Path
) -> None:
    # A tmpfs a little larger than the store: the change's new pages and journal do not fit.
    size = diaries.before.stat().st_size + 24 * 1024
    with _tmpfs(tmp_path / "disk", f"{size // 1024}k") as disk:
        db = disk / "p.db"
        shutil.copy(diaries.before, db)
        kept = _sha(db)
        result = panelsched(*diaries.command("add", db, tmp_path / "out"))
        assert result.returncode == 2, result.stderr
        assert result.stderr == f"error: {db}: {DISK_FULL}\n"
        assert integrity(db) == "ok" and _sha(db) == kept


def _no_page_more(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no tmpfs can be mounted: SQLite's own page limit fails a write that needs a new
    page the way a full disk does (SQLITE_FULL, "database or disk is full")."""
    connect = Store._connect

    def small(path: Path) -> sqlite3.Connection:
        connection = connect(path)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")
        return connection

    monkeypatch.setattr(Store, "_connect", staticmethod(small))


def test_a_full_disk_simulated_in_sqlite_changes_nothing(
    diaries: Diaries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "p.db"
    shutil.copy(diaries.before, db)
    kept = _sha(db)
    _no_page_more(monkeypatch)
    code, output = _invoke(*diaries.command("add", db, tmp_path / "out"))
    assert (code, output) == (2, f"error: {db}: {DISK_FULL}\n")
    assert _sha(db) == kept


def test_a_full_disk_while_notify_queues_says_so_and_changes_nothing(
    diaries: Diaries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The outbox's own transaction (Store.writing): the diary's 40 cases queue 80 invitations,
    # more than the notices table's one page holds. SQLite has rolled the transaction back
    # itself by the time the error arrives; a second ROLLBACK would fail with "no transaction
    # is active" and that, not the full disk, would be what the user reads.
    db = tmp_path / "p.db"
    shutil.copy(diaries.before, db)
    kept = _sha(db)
    people = tmp_path / "people.csv"
    people.write_text("person,email\n", encoding="utf-8")  # nobody: nothing could be sent
    _no_page_more(monkeypatch)
    code, output = _invoke(
        "planner", "notify", "--db", str(db), "--now", NOW, "--people", str(people),
        "--out", str(tmp_path / "out"), "--from", "panels@council.example",
    )  # fmt: skip
    assert (code, output) == (2, f"error: {db}: {DISK_FULL}\n")
    assert integrity(db) == "ok" and _sha(db) == kept
    assert not (tmp_path / "out").exists()


def test_an_export_onto_a_full_disk_leaves_the_earlier_export(
    diaries: Diaries, tmp_path: Path
) -> None:
    # Room for the earlier export and a little more, not for a second export beside it.
    files = [p for p in diaries.export_before.rglob("*") if p.is_file()]
    room = sum(-(-p.stat().st_size // 4096) * 4096 for p in files) + 32 * 1024
    with _tmpfs(tmp_path / "disk", f"{room // 1024}k") as disk:
        shutil.copytree(diaries.export_before, disk / "out")
        kept = folder_contents(disk / "out")
        code, output = _invoke(*diaries.command("export", diaries.before, disk / "out"))
        assert code == 2
        assert output == (
            f"error: --out: cannot write into {disk / 'out'}: No space left on device\n"
        )
        assert folder_contents(disk / "out") == kept
        assert not list((disk / "out").glob(".*"))  # no staging folder left behind


def test_an_export_onto_a_full_disk_simulated_leaves_the_earlier_export(
    diaries: Diaries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ENOSPC simulated: the third file written fills the disk part-way through.
    out = tmp_path / "out"
    shutil.copytree(diaries.export_before, out)
    kept = folder_contents(out)
    written: list[Path] = []
    real = Path.write_bytes

    def filling(self: Path, data: bytes) -> int:
        written.append(self)
        if len(written) == 3:
            real(self, data[: len(data) // 2])
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", filling)
    code, output = _invoke(*diaries.command("export", diaries.before, out))
    monkeypatch.undo()
    assert len(written) == 3
    assert (code, output) == (
        2,
        f"error: --out: cannot write into {out}: No space left on device\n",
    )
    assert folder_contents(out) == kept
    assert not list(out.glob(".*"))
