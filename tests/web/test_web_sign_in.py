"""Signing in tells nobody who exists and lets nobody lock anyone else out (issue 31, item 15).

Every failure gets the same page, status and one Argon2 check; wrong passwords are counted by
name-and-address (5 hold that name at that address for 15 minutes) and by address (20 within
15 minutes hold the address), so a guesser at one machine cannot lock an administrator out
from another; passwords are checked one at a time, so a burst of sign-ins does not hold up
the pages (see src/panelsched/web/throttle.py).
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from panelsched.forward import Store
from panelsched.web.accounts import Accounts
from panelsched.web.config import WebConfig
from panelsched.web.main import create_app
from panelsched.web.security import REFUSAL, Passwords
from panelsched.web.throttle import Throttle
from tests.helpers.web import CHEAP, NOW, PASSWORD, SETTINGS, Clock, serving, visible_text

HERE, THERE = "10.0.0.66", "10.0.0.7"


class _From:
    """The application as reached from the address in the test's ``x-test-address`` header
    (what uvicorn gives as the client's address)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for key, value in scope["headers"]:
                if key == b"x-test-address":
                    scope = {**scope, "client": (value.decode(), 50000)}
        await self.app(scope, receive, send)


class _Counting(Passwords):
    """The cheap hasher, counting its checks (and how many ran at once), each taking at least
    ``seconds`` (a stand-in for Argon2's real cost that sleeps rather than burning CPU)."""

    def __init__(self, seconds: float = 0.0) -> None:
        super().__init__(CHEAP.hasher)
        self.seconds = seconds
        self.checks = 0
        self.running = 0
        self.most_at_once = 0
        self._count = threading.Lock()

    def matches(self, stored: str | None, password: str) -> bool:
        with self._count:
            self.checks += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            time.sleep(self.seconds)
            return super().matches(stored, password)
        finally:
            with self._count:
                self.running -= 1


@pytest.fixture
def counting() -> _Counting:
    return _Counting()


@pytest.fixture
def app(db: Path, clock: Clock, counting: _Counting) -> Any:
    return create_app(WebConfig(db=db, settings=SETTINGS, now=NOW, clock=clock, passwords=counting))


@pytest.fixture
def browser(app: Any) -> Iterator[TestClient]:
    with TestClient(_From(app), base_url="http://127.0.0.1") as client:
        yield client


def _try(browser: TestClient, name: str, password: str, address: str = HERE) -> Any:
    page = browser.get("/sign-in", headers={"x-test-address": address})
    found = re.search(r'name="sign_in_token" value="([^"]+)"', page.text)
    assert found
    return browser.post(
        "/sign-in",
        data={"name": name, "password": password, "sign_in_token": found[1]},
        headers={"x-test-address": address},
        follow_redirects=False,
    )


def _page(response: Any) -> str:
    # The page as sent, but for the name typed, which the form shows again.
    return re.sub(r'(id="name" name="name"[^>]*value=")[^"]*"', r'\1"', response.text)


def _disable_vic(db: Path, clock: Clock) -> None:
    with Store.open(db) as store:
        Accounts(store).disable_user("vic", clock())


def _hold_ada_here(browser: TestClient) -> None:
    for _ in range(5):
        _try(browser, "ada", "wrong password")


def _hold_this_address(browser: TestClient) -> None:
    # Twenty names, one wrong password each: no name reaches its own five.
    for n in range(20):
        _try(browser, f"guess-{n}", "wrong password")


FAILURES: list[tuple[str, str, str, Callable[..., None] | None]] = [
    ("a wrong password", "ada", "wrong password", None),
    ("an unknown name", "nobody", PASSWORD, None),
    ("no user name at all", "<not a name>", PASSWORD, None),
    ("a disabled user", "vic", PASSWORD, lambda browser, db, clock: _disable_vic(db, clock)),
    (
        "the right password for a name held here",
        "ada",
        PASSWORD,
        lambda browser, db, clock: _hold_ada_here(browser),
    ),
    (
        "a wrong password for a name held here",
        "ada",
        "wrong again",
        lambda browser, db, clock: _hold_ada_here(browser),
    ),
    (
        "the right password from an address held",
        "ada",
        PASSWORD,
        lambda browser, db, clock: _hold_this_address(browser),
    ),
]


@pytest.mark.parametrize(("case", "name", "password", "before"), FAILURES)
def test_every_failure_gets_the_same_page_and_status(
    browser: TestClient,
    db: Path,
    clock: Clock,
    case: str,
    name: str,
    password: str,
    before: Callable[..., None] | None,
) -> None:
    expected = _try(browser, "ada", "wrong password", THERE)
    if before is not None:
        before(browser, db, clock)
    response = _try(browser, name, password)
    assert response.status_code == expected.status_code == 401, case
    assert visible_text(response.text) == visible_text(expected.text), case
    assert REFUSAL in visible_text(response.text)
    assert _page(response) == _page(expected), case


@pytest.mark.parametrize(
    ("case", "name", "password", "before"),
    [f for f in FAILURES if f[0] != "the right password from an address held"],
)
def test_every_failure_costs_one_password_check(
    browser: TestClient,
    counting: _Counting,
    db: Path,
    clock: Clock,
    case: str,
    name: str,
    password: str,
    before: Callable[..., None] | None,
) -> None:
    # An unknown name is checked against a hash of nothing, a held name against its own:
    # the time taken does not tell them apart.
    if before is not None:
        before(browser, db, clock)
    checks = counting.checks
    _try(browser, name, password)
    assert counting.checks == checks + 1, case


def test_a_guesser_at_one_address_does_not_lock_out_the_user_at_another(
    browser: TestClient, clock: Clock
) -> None:
    # The design: five wrong passwords hold the name at the address they came from only.
    _hold_ada_here(browser)
    assert _try(browser, "ada", PASSWORD, HERE).status_code == 401
    assert _try(browser, "ada", PASSWORD, THERE).status_code == 303
    # The hold here runs its 15 minutes, then the right password works here too.
    clock.advance(minutes=15)
    assert _try(browser, "ada", PASSWORD, HERE).status_code == 303


def test_an_unknown_name_is_held_like_a_known_one(browser: TestClient, db: Path) -> None:
    # Five wrong tries at a name nobody has yet...
    for _ in range(5):
        _try(browser, "newcomer", "wrong password")
    # ...then an administrator adds that user (as of a moment before the tries): the name was
    # held all along at this address, and is free at another.
    with Store.open(db) as store:
        Accounts(store).add_user(
            "newcomer", "viewer", CHEAP.hash(PASSWORD), datetime(2027, 3, 1, tzinfo=UTC)
        )
    assert _try(browser, "newcomer", PASSWORD, HERE).status_code == 401
    assert _try(browser, "newcomer", PASSWORD, THERE).status_code == 303


def test_many_names_tried_from_one_address_hold_the_address(
    browser: TestClient, counting: _Counting, clock: Clock
) -> None:
    _hold_this_address(browser)
    checks = counting.checks
    assert _try(browser, "ada", PASSWORD, HERE).status_code == 401
    # A held address is answered without a check: its sign-ins cannot queue ahead of others.
    assert counting.checks == checks
    assert _try(browser, "ada", PASSWORD, THERE).status_code == 303
    clock.advance(minutes=15)
    assert _try(browser, "ada", PASSWORD, HERE).status_code == 303


def test_a_right_password_does_not_buy_more_guesses_from_an_address(
    browser: TestClient,
) -> None:
    # 19 wrong tries, a right one for one's own account, then one more wrong: the address's
    # count runs on (20 within 15 minutes), so the next right password is refused.
    for n in range(19):
        _try(browser, f"guess-{n}", "wrong password")
    assert _try(browser, "vic", PASSWORD).status_code == 303
    _try(browser, "guess-19", "wrong password")
    assert _try(browser, "vic", PASSWORD).status_code == 401


def test_an_administrators_reset_lifts_a_hold(browser: TestClient, db: Path, clock: Clock) -> None:
    _hold_ada_here(browser)
    clock.advance(seconds=1)
    with Store.open(db) as store:
        Accounts(store).set_password("ada", CHEAP.hash("a fresh password"), clock())
    assert _try(browser, "ada", "a fresh password").status_code == 303


@pytest.fixture
def slow_server(template_db: Path, tmp_path: Path) -> Iterator[tuple[str, _Counting]]:
    """uvicorn over a copy of the diary, its password checks each taking 0.4 s."""
    db = tmp_path / "planner.db"
    shutil.copyfile(template_db, db)
    passwords = _Counting(seconds=0.4)
    app = create_app(WebConfig(db=db, settings=SETTINGS, now=NOW, passwords=passwords))
    with serving(app) as address:
        yield address, passwords


def _http_try(server: str, name: str, password: str) -> int:
    with httpx.Client(base_url=server, timeout=60, follow_redirects=True) as client:
        found = re.search(r'name="sign_in_token" value="([^"]+)"', client.get("/sign-in").text)
        assert found
        response = client.post(
            "/sign-in", data={"name": name, "password": password, "sign_in_token": found[1]}
        )
        return response.status_code


def test_pages_are_served_while_a_burst_of_sign_ins_waits_its_turn(
    slow_server: tuple[str, _Counting],
) -> None:
    server, passwords = slow_server
    with httpx.Client(base_url=server, timeout=60, follow_redirects=True) as viewer:
        token = re.search(r'name="sign_in_token" value="([^"]+)"', viewer.get("/sign-in").text)
        assert token
        signed = viewer.post(
            "/sign-in", data={"name": "vic", "password": PASSWORD, "sign_in_token": token[1]}
        )
        assert signed.status_code == 200 and "Sign out" in signed.text
        # Eight wrong passwords at once (8 x 0.4 s of checking, one at a time).
        answers: list[int] = []
        burst = [
            threading.Thread(target=lambda n=n: answers.append(_http_try(server, f"x{n}", "no")))
            for n in range(8)
        ]
        for attempt in burst:
            attempt.start()
        deadline = time.monotonic() + 30
        while passwords.running == 0:
            assert time.monotonic() < deadline, "no sign-in was ever checked"
            time.sleep(0.01)
        # The calendar is answered while the burst is still being checked.
        calendar = viewer.get("/calendar")
        still_waiting = 8 - len(answers)
        for attempt in burst:
            attempt.join(60)
    assert calendar.status_code == 200 and "Sittings in March 2027" in calendar.text
    assert still_waiting > 0
    assert answers == [401] * 8
    # One check at a time: the burst never had more than one password checked at once.
    assert passwords.most_at_once == 1


def test_a_change_dated_after_now_does_not_lift_a_hold() -> None:
    # A user changed "tomorrow" (a clock set wrong) is no administrator's reset of today's hold.
    throttle = Throttle()
    now = datetime(2027, 3, 12, 9, 0, tzinfo=UTC)
    for _ in range(5):
        throttle.wrong("ada", HERE, now)
    assert throttle.pair_held("ada", HERE, now, reset_at=now + timedelta(days=1))
    assert not throttle.pair_held("ada", HERE, now, reset_at=now)
