"""The "Clock counts" page (issue 26, "Counted"), over the diary of
tests/helpers/clock_counts.py; its counts are worked out by hand in
tests/forward/test_clock_counts.py."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from panelsched.forward import Store
from panelsched.web.accounts import Accounts
from panelsched.web.config import WebConfig
from panelsched.web.main import create_app
from tests.helpers.clock_counts import DECIDED, build_clock_diary
from tests.helpers.web import CHEAP, PASSWORD, SETTINGS, Clock, visible_text

HEADINGS = (
    "Month Started Decided in time Decided late Days late (median) Days late (most) "
    "Share in time Paused Open, in time Open, past the last sitting"
)


@pytest.fixture(scope="module")
def clock_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = build_clock_diary(tmp_path_factory.mktemp("clocks"))
    with Store.open(db) as store:
        Accounts(store).add_user(
            "vic", "viewer", CHEAP.hash(PASSWORD), datetime(2027, 7, 1, tzinfo=UTC)
        )
    return db


@pytest.fixture
def reader(clock_db: Path) -> Iterator[TestClient]:
    """A viewer signed in, the diary as of Thursday 22/07/2027 09:00."""
    config = WebConfig(db=clock_db, settings=SETTINGS, now=DECIDED, clock=Clock(), passwords=CHEAP)
    with TestClient(create_app(config), base_url="http://127.0.0.1") as browser:
        page = browser.get("/sign-in")
        token = page.text.split('name="sign_in_token" value="')[1].split('"')[0]
        signed = browser.post(
            "/sign-in",
            data={"name": "vic", "password": PASSWORD, "sign_in_token": token, "next": "/clocks"},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text
        yield browser


def rows_of(html: str) -> list[str]:
    """Each body row of the page's tables, as its visible text."""
    body = "".join(re.findall(r"<tbody>(.*?)</tbody>", html, flags=re.S))
    return [visible_text(row) for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]


def test_the_page_counts_each_month_as_a_manager_reads_it(reader: TestClient) -> None:
    page = reader.get("/clocks?start=01/06/2027&end=31/07/2027")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "Clock counts" in text and "6-week assessment decision" in text
    assert "SEND Regulations 2014, reg. 5" in text
    assert "Requests from June 2027 to July 2027; decisions as of" in text
    assert HEADINGS in text
    # June: 6 started, 3 in time, 2 late (5 and 12 days: median 8.5, most 12), 60%, 1 paused,
    # 1 open past its last sitting; July: 3 started, all open in time, nothing decided.
    assert rows_of(page.text) == [
        "June 2027 6 3 2 8.5 12 60% 1 0 1",
        "July 2027 3 0 0 - - - 0 3 0",
    ]
    # Each cell names its column for a phone's stacked rows; the month is the row's heading.
    assert '<th scope="row" data-label="Month">June 2027</th>' in page.text
    assert '<td data-label="Share in time">60%</td>' in page.text
    assert "ehc-assessment-decision" not in text


def test_without_dates_the_page_shows_the_last_twelve_months(reader: TestClient) -> None:
    # As of 22/07/2027: August 2026 to July 2027, the requests of June and July among them.
    page = reader.get("/clocks")
    text = visible_text(page.text)
    assert "Requests from August 2026 to July 2027" in text
    rows = rows_of(page.text)
    assert len(rows) == 12 and rows[0].startswith("August 2026 0 0 0")
    assert rows[-2:] == ["June 2027 6 3 2 8.5 12 60% 1 0 1", "July 2027 3 0 0 - - - 0 3 0"]
    assert "For example, 01/03/2027" in text and 'type="date"' not in page.text
    assert '<a href="/clocks" aria-current="page">Clock counts</a>' in page.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=31/02/2027", "'31/02/2027' is not a first date (From) like 31/01/2027."),
        ("end=July", "'July' is not a last date (To) like 31/01/2027."),
        ("start=01/08/2027&end=01/06/2027", "The end date is before the start date."),
    ],
)
def test_a_date_that_is_not_one_is_refused_naming_the_box(
    reader: TestClient, query: str, message: str
) -> None:
    page = reader.get(f"/clocks?{query}")
    assert page.status_code == 400
    assert message in visible_text(page.text)


def test_a_model_without_clocks_says_there_is_nothing_to_count(
    sign_in: Callable[..., TestClient],
) -> None:
    text = visible_text(sign_in("vic").get("/clocks").text)
    assert "The model sets no statutory clocks, so there is nothing to count." in text
