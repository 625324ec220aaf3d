"""Fixtures for the web tests: a fresh copy of the small diary, the application over it, and
clients signed in as each role (see tests/helpers/web.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from panelsched.web.config import WebConfig
from panelsched.web.main import create_app
from tests.helpers.web import CHEAP, NOW, PASSWORD, SETTINGS, Clock, build_diary


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The diary, built once; tests work on copies."""
    return build_diary(tmp_path_factory.mktemp("diary"))


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> Path:
    """A copy of the diary of this test's own."""
    target = tmp_path / "planner.db"
    shutil.copyfile(template_db, target)
    return target


@pytest.fixture
def clock() -> Clock:
    """The real clock as the application sees it."""
    return Clock()


@pytest.fixture
def client(db: Path, clock: Clock) -> Iterator[TestClient]:
    """A browser with no session, over this test's diary."""
    # A change waits for its planning (greedy: milliseconds) so each test reads its result
    # at once; test_web_changes.py holds the worker to see the progress page.
    config = WebConfig(
        db=db, settings=SETTINGS, now=NOW, clock=clock, passwords=CHEAP, wait_seconds=30
    )
    with TestClient(create_app(config), base_url="http://127.0.0.1") as browser:
        yield browser


@pytest.fixture
def sign_in(client: TestClient) -> Callable[..., TestClient]:
    """``sign_in("ada")``: the client, signed in as that user."""

    def go(name: str, password: str = PASSWORD) -> TestClient:
        page = client.get("/sign-in")
        token = page.text.split('name="sign_in_token" value="')[1].split('"')[0]
        response = client.post(
            "/sign-in",
            data={"name": name, "password": password, "sign_in_token": token, "next": "/calendar"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        return client

    return go
