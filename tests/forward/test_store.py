"""The store: versioned migrations, one transaction per command, the audit trail."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import panelsched.forward.commands.steps as steps
from panelsched.errors import InputError
from panelsched.forward import Store, init
from panelsched.forward.schema import APPLICATION_ID, MIGRATIONS, Migration
from panelsched.io.inputs import load_referrals
from panelsched.io.model_file import read_model_file
from tests.helpers.forward import FAST, actor, add_file, referral, write_rows


def _one_referral(tmp_path: Path, name: str = "r.csv", ref: str = "R-1") -> Path:
    return write_rows(tmp_path / name, [referral(ref, "2027-03-01 09:00")])


def test_init_refuses_an_existing_file(tmp_path: Path, model_file: Callable[..., Path]) -> None:
    db = tmp_path / "planner.db"
    db.write_text("something else")
    with pytest.raises(InputError, match="a file is already here"):
        init(db, read_model_file(model_file()), actor("2027-03-01 08:00"))
    assert db.read_text() == "something else"


def test_a_failed_init_leaves_no_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("authority: X\npanels: []\n")
    with pytest.raises(InputError):
        init(tmp_path / "planner.db", read_model_file(bad), actor("2027-03-01 08:00"))
    assert list(tmp_path.iterdir()) == [bad]


def test_init_that_fails_while_building_the_file_leaves_no_file(
    tmp_path: Path, model_file: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The model reads; the store fails after its file was begun beside the target (here, as
    # the schema is written): the half-built file is removed and no planner.db appears.
    model = read_model_file(model_file())
    before = sorted(tmp_path.iterdir())

    def fail(self: Store, migrations: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Store, "_migrate", fail)
    with pytest.raises(OSError, match="disk full"):
        init(tmp_path / "planner.db", model, actor("2027-03-01 08:00"))
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no planner here"),
        (b"not a database at all, just text" * 40, "not a planner database (not SQLite)"),
        ("sqlite-other", "not a planner database made by panelsched"),
    ],
    ids=["missing", "text", "other-sqlite"],
)
def test_open_refuses_what_is_not_a_planner(
    tmp_path: Path, content: bytes | str | None, message: str
) -> None:
    db = tmp_path / "planner.db"
    if isinstance(content, bytes):
        db.write_bytes(content)
    elif content == "sqlite-other":
        with sqlite3.connect(db) as other:
            other.execute("CREATE TABLE t (x)")
    with pytest.raises(InputError, match=re.escape(message)):
        Store.open(db)


def test_a_store_from_a_newer_release_is_refused(store: Store) -> None:
    path = store.path
    store._db.execute("PRAGMA user_version = 99")
    store.close()
    newest = MIGRATIONS[-1].version
    with pytest.raises(InputError, match=f"schema version 99; this one reads up to {newest}"):
        Store.open(path)


def test_an_old_store_is_migrated_keeping_its_data(store: Store, tmp_path: Path) -> None:
    add_file(store, actor("2027-03-01 10:00"), _one_referral(tmp_path), settings=FAST)
    before = store.diary()
    store.close()
    # A later release adds a migration: opening the current file applies it, once.
    following = MIGRATIONS[-1].version + 1
    later = (
        *MIGRATIONS,
        Migration(following, "notes", ("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)",)),
    )
    with Store.open(tmp_path / "planner.db", later) as migrated:
        assert migrated.schema_version == following
        assert migrated.diary().in_force == before.in_force
        migrated._db.execute("INSERT INTO notes (text) VALUES ('kept')")
    with Store.open(tmp_path / "planner.db", later) as again:
        assert again._db.execute("SELECT text FROM notes").fetchall() == [("kept",)]
        assert again._db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_a_migration_that_fails_leaves_the_file_as_it_was(store: Store) -> None:
    path = store.path
    store.close()
    newest = MIGRATIONS[-1].version
    broken = (*MIGRATIONS, Migration(newest + 1, "broken", ("CREATE TABLE x (a)", "NOT SQL")))
    with pytest.raises(sqlite3.OperationalError):
        Store.open(path, broken)
    with Store.open(path) as reopened:
        assert reopened.schema_version == newest
        tables = {r[0] for r in reopened._db.execute("SELECT name FROM sqlite_master")}
        assert "x" not in tables


def test_a_crash_mid_command_leaves_the_store_as_it_was(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_file(store, actor("2027-03-01 10:00"), _one_referral(tmp_path), settings=FAST)
    before = store.dump()
    real_book = Store.book
    calls = []

    def book_then_crash(self: Store, *args: object) -> int:
        # The first booking is written, then the process "fails" on the second.
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real_book(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "book", book_then_crash)
    rows = write_rows(
        tmp_path / "two.csv",
        [referral("R-2", "2027-03-01 09:30"), referral("R-3", "2027-03-01 09:31")],
    )
    with pytest.raises(RuntimeError, match="disk on fire"):
        add_file(store, actor("2027-03-01 11:00"), rows, settings=FAST)
    assert len(calls) == 2
    assert store.dump() == before
    # The store still works: the same command succeeds once the fault is gone.
    monkeypatch.setattr(Store, "book", real_book)
    add_file(store, actor("2027-03-01 11:00"), rows, settings=FAST)
    assert len(store.diary().in_force) == 3


def test_a_crash_in_the_planner_leaves_the_store_as_it_was(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.dump()

    def crash(*args: object, **kwargs: object) -> object:
        raise MemoryError("solver ran out of memory")

    monkeypatch.setattr(steps, "book_waiting", crash)
    with pytest.raises(MemoryError):
        add_file(store, actor("2027-03-01 10:00"), _one_referral(tmp_path), settings=FAST)
    assert store.dump() == before


def test_a_killed_process_leaves_the_store_as_it_was(store: Store, tmp_path: Path) -> None:
    add_file(store, actor("2027-03-01 10:00"), _one_referral(tmp_path), settings=FAST)
    before = store.dump()
    rows = _one_referral(tmp_path, "r2.csv", "R-2")
    # A real process dies (os._exit: no cleanup, no rollback) half-way through its writes;
    # SQLite's journal must restore the file when it is next opened.
    script = textwrap.dedent(
        f"""
        import os
        from datetime import datetime
        from panelsched.forward import Actor, Settings, Store, add
        from panelsched.io.inputs import load_referrals
        real = Store.book
        def book(self, *args):
            real(self, *args)
            os._exit(3)
        Store.book = book
        store = Store.open({str(store.path)!r})
        add(store, Actor(datetime(2027, 3, 1, 11), "admin"),
            load_referrals({str(rows)!r}, store.model()), referrals_file={str(rows)!r},
            settings=Settings(time_limit=1.0))
        """
    )
    store.close()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == 3, done.stderr.decode()
    with Store.open(tmp_path / "planner.db") as reopened:
        assert reopened.dump() == before


def test_the_audit_trail_says_who_when_and_what(store: Store, tmp_path: Path) -> None:
    rows = _one_referral(tmp_path)
    away = write_rows(
        tmp_path / "away.csv",
        [{"person": "SW-1", "from": "2027-03-11", "to": "2027-03-11", "reason": "hospital"}],
    )
    add_file(store, actor("2027-03-01 10:00", by="admin-2"), rows, away, settings=FAST)
    trail = [row for row in store.audit_trail() if row[3] == "add"]
    assert [(r[1], r[2], r[4], r[5]) for r in trail] == [
        ("2027-03-01T10:00", "admin-2", "referral added", "R-1"),
        ("2027-03-01T10:00", "admin-2", "away", "SW-1"),
        ("2027-03-01T10:00", "admin-2", "booked", "R-1"),
    ]
    assert trail[2][6] == "crp@2027-03-04 13:00-13:15"
    # The reason for leave is personal: it is not kept anywhere in the store.
    assert "hospital" not in store.dump()
    commands = store.commands()
    assert [c[3] for c in commands] == ["init", "add"]


def test_a_transaction_cannot_nest(store: Store) -> None:
    with (
        store.transaction(actor("2027-03-01 10:00"), "outer"),
        pytest.raises(RuntimeError, match="already running"),
        store.transaction(actor("2027-03-01 10:00"), "inner"),
    ):
        pass


def test_a_command_reads_the_diary_once_until_it_writes(store: Store, tmp_path: Path) -> None:
    rows = _one_referral(tmp_path)
    before = store.diary()
    assert store.diary() is not before  # outside a command: read afresh every time
    with store.transaction(actor("2027-03-01 10:00"), "test"):
        first = store.diary()
        assert store.diary() is first
        referrals = load_referrals(rows, store.model())
        store.add_referral("R-1", "test", None)
        store.add_hearing(referrals[0], referral_id="R-1", kind="referral")
        after = store.diary()
        assert after is not first and len(after.hearings) == len(first.hearings) + 1
        assert store.diary() is after
    assert store.diary() == after
