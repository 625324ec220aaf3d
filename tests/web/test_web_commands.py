"""``users add|list|disable|enable|reset`` and ``serve`` through typer's test runner, and the
users' tables in a store made before they existed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from panelsched.cli import app
from panelsched.forward import Store
from panelsched.forward.schema import APPLICATION_ID, MIGRATIONS
from panelsched.forward.trail import audit_entries
from panelsched.web.accounts import Accounts
from panelsched.web.security import LOCK_AFTER, Passwords, sign_in
from tests.helpers.web import PASSWORD

runner = CliRunner()


def _run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.output


def test_adding_a_user_asks_for_the_password_twice_and_keeps_only_a_hash(db: Path) -> None:
    code, output = _run(
        "users", "add", "amir", "--role", "chair", "--db", str(db), input="a long password\n" * 2
    )
    assert code == 0, output
    assert "Added amir (chair)." in output
    assert "a long password" not in output
    with Store.open(db) as store:
        user = Accounts(store).user("amir")
        trail = audit_entries(store)
        assert user is not None and user.role == "chair"
        assert user.password_hash.startswith("$argon2id$")
        assert "a long password" not in store.dump()
        assert sign_in(store, Passwords(), "amir", "a long password", datetime.now(UTC)).user
    assert [e.action for e in trail][-1] == "user added"
    assert trail[-1].subject == "amir" and trail[-1].detail == "role chair"


def test_a_password_can_come_from_a_file(db: Path, tmp_path: Path) -> None:
    secret = tmp_path / "password.txt"
    secret.write_text("from a file, not argv\n", encoding="utf-8")
    code, output = _run(
        "users", "add", "fin", "--role", "viewer", "--db", str(db), "--password-file", str(secret)
    )
    assert code == 0, output
    with Store.open(db) as store:
        assert sign_in(store, Passwords(), "fin", "from a file, not argv", datetime.now(UTC)).user


def test_there_is_no_password_argument(db: Path) -> None:
    code, output = _run("users", "add", "x", "--role", "viewer", "--db", str(db), "--password", "p")
    assert code == 2
    assert "No such option: --password" in output


@pytest.mark.parametrize(
    ("args", "typed", "words"),
    [
        (["users", "add", "amir", "--role", "boss"], "a long password\n" * 2, "'boss' is not"),
        (["users", "add", "a b", "--role", "chair"], "a long password\n" * 2, "is not a user name"),
        (["users", "add", "amir", "--role", "chair"], "short\nshort\n", "at least 10 characters"),
        (["users", "add", "ada", "--role", "chair"], "a long password\n" * 2, "already a user"),
        (["users", "disable", "nobody"], None, "'nobody' is not a user"),
        (["users", "reset", "nobody"], None, "'nobody' is not a user"),
        (["users", "enable", "nobody"], None, "'nobody' is not a user"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    db: Path, args: list[str], typed: str | None, words: str
) -> None:
    with Store.open(db) as store:
        before = store.dump()
    code, output = _run(*args, "--db", str(db), input=typed)
    assert code == 2
    assert words in output and "Traceback" not in output
    with Store.open(db) as store:
        assert store.dump() == before


def test_a_missing_planner_is_bad_input(tmp_path: Path) -> None:
    for args in (["users", "list"], ["serve"]):
        code, output = _run(*args, "--db", str(tmp_path / "none.db"))
        assert code == 2 and "no planner here" in output


def test_list_shows_roles_disabled_and_locked(db: Path) -> None:
    now = datetime.now(UTC)
    with Store.open(db) as store:
        for _ in range(LOCK_AFTER):
            Accounts(store).failed_sign_in("chloe", now, LOCK_AFTER, now + timedelta(minutes=15))
        Accounts(store).disable_user("vic", now)
    code, output = _run("users", "list", "--db", str(db))
    assert code == 0
    lines = output.splitlines()
    assert lines[0] == "ada\tadministrator\tactive"
    assert lines[1].startswith("chloe\tchair\tactive, locked until ")
    assert lines[2] == "vic\tviewer\tdisabled"


def test_reset_gives_a_new_password_and_clears_the_lockout(db: Path) -> None:
    now = datetime.now(UTC)
    with Store.open(db) as store:
        for _ in range(LOCK_AFTER):
            Accounts(store).failed_sign_in("chloe", now, LOCK_AFTER, now + timedelta(minutes=15))
        Accounts(store).add_session("hash", "chloe", "csrf", now, now + timedelta(hours=1))
    code, output = _run("users", "reset", "chloe", "--db", str(db), input="a fresh password\n" * 2)
    assert code == 0, output
    with Store.open(db) as store:
        assert Accounts(store).session("hash", now) is None
        assert sign_in(store, Passwords(), "chloe", "a fresh password", now).user
        assert not sign_in(store, Passwords(), "chloe", PASSWORD, now).user
        assert audit_entries(store)[-1].action == "password reset"


def test_disable_ends_sessions(db: Path) -> None:
    now = datetime.now(UTC)
    with Store.open(db) as store:
        Accounts(store).add_session("hash", "vic", "csrf", now, now + timedelta(hours=1))
        assert Accounts(store).session("hash", now) is not None
    code, output = _run("users", "disable", "vic", "--db", str(db))
    assert code == 0 and "Disabled vic" in output
    with Store.open(db) as store:
        assert Accounts(store).session("hash", now) is None
        assert Accounts(store).user("vic").disabled  # type: ignore[union-attr]


def test_serve_binds_this_machine_by_default_and_shares_the_file(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    code, output = _run("serve", "--db", str(db), "--now", "2027-03-12 09:00")
    assert code == 0, output
    assert seen["host"] == "127.0.0.1" and seen["access_log"] is False
    assert "Serving" in output and "http://127.0.0.1:8000/" in output
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    code, output = _run("serve", "--db", str(db), "--host", "0.0.0.0")
    assert "reachable from other machines" in output


def test_a_store_made_before_the_users_tables_gets_them(tmp_path: Path) -> None:
    users = next(m for m in MIGRATIONS if m.title == "users, sessions and sign-in lockout")
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as empty:
        empty.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    # A file of the release before: every migration up to the users' one.
    older = tuple(m for m in MIGRATIONS if m.version < users.version)
    Store.open(path, older).close()
    with sqlite3.connect(path) as old:
        tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master")}
        assert "users" not in tables
    with Store.open(path) as store:
        assert store.schema_version == MIGRATIONS[-1].version
        assert Accounts(store).users() == []
        now = datetime.now(UTC)
        Accounts(store).add_user("ada", "administrator", "hash", now)
        assert Accounts(store).user("ada") is not None


def test_enable_lets_a_locked_or_disabled_user_sign_in_again_with_the_same_password(
    db: Path,
) -> None:
    now = datetime.now(UTC)
    with Store.open(db) as store:
        for _ in range(LOCK_AFTER):
            Accounts(store).failed_sign_in("chloe", now, LOCK_AFTER, now + timedelta(minutes=15))
        Accounts(store).disable_user("vic", now)
        assert "locked" in sign_in(store, Passwords(), "chloe", PASSWORD, now).refusal
    code, output = _run("users", "enable", "chloe", "--db", str(db))
    assert code == 0 and output.strip() == "Enabled chloe (was locked out); they can sign in again."
    code, output = _run("users", "enable", "vic", "--db", str(db))
    assert code == 0 and "Enabled vic (was disabled)" in output
    code, output = _run("users", "enable", "ada", "--db", str(db))
    assert (
        code == 0
        and "ada was not disabled; any hold the server placed after wrong passwords is lifted."
        in output
    )
    code, output = _run("users", "list", "--db", str(db))
    assert output.splitlines()[1:] == ["chloe\tchair\tactive", "vic\tviewer\tactive"]
    with Store.open(db) as store:
        assert sign_in(store, Passwords(), "chloe", PASSWORD, now).user
        assert sign_in(store, Passwords(), "vic", PASSWORD, now).user
        enabled = [e for e in audit_entries(store) if e.action == "user enabled"]
    assert [(e.subject, e.detail) for e in enabled] == [
        ("chloe", "was locked out"),
        ("vic", "was disabled"),
        ("ada", ""),
    ]


def _served(db: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, object]:
    import uvicorn

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(app=app))
    code, output = _run("serve", "--db", str(db), "--now", "2027-03-12 09:00", *args)
    return code, output, seen.get("app")


def test_a_restart_keeps_people_signed_in_with_the_key_kept_beside_the_planner(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    code, output, first = _served(db, monkeypatch)
    assert code == 0, output
    key = db.with_name("planner.db.session-key")
    assert key.stat().st_mode & 0o777 == 0o600
    with TestClient(first, base_url="http://127.0.0.1") as browser:  # type: ignore[arg-type]
        page = browser.get("/sign-in").text
        token = page.split('name="sign_in_token" value="')[1].split('"')[0]
        browser.post(
            "/sign-in",
            data={"name": "vic", "password": PASSWORD, "sign_in_token": token},
            follow_redirects=False,
        )
        cookie = browser.cookies["panelsched_session"]
    kept = key.read_text(encoding="utf-8")
    code, _, second = _served(db, monkeypatch)
    assert code == 0 and key.read_text(encoding="utf-8") == kept
    with TestClient(second, base_url="http://127.0.0.1") as browser:  # type: ignore[arg-type]
        browser.cookies.set("panelsched_session", cookie)
        assert browser.get("/calendar", follow_redirects=False).status_code == 200
    # Deleting the key signs everyone out at the next start.
    key.unlink()
    _, _, third = _served(db, monkeypatch)
    with TestClient(third, base_url="http://127.0.0.1") as browser:  # type: ignore[arg-type]
        browser.cookies.set("panelsched_session", cookie)
        assert browser.get("/calendar", follow_redirects=False).status_code == 303


def test_a_key_others_may_read_is_refused_and_nothing_is_served(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = db.with_name("planner.db.session-key")
    key.write_text("k" * 64, encoding="utf-8")
    key.chmod(0o644)
    code, output, app_served = _served(db, monkeypatch)
    assert code == 2 and app_served is None
    assert f"run `chmod 600 {key}`" in output and "Traceback" not in output
