"""The "Clocks at risk" page (issue 26, "warned of ahead") as a person sees it, over a season
of Peterborough SEN requests (tests/helpers/sen_season.py works every date out by hand): each
case that will miss its statutory clock, weeks before it ends, in words, linked to its case."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from panelsched.forward import Store
from panelsched.web.accounts import Accounts
from panelsched.web.config import WebConfig
from panelsched.web.main import create_app
from tests.helpers.sen_season import NOW, WHY_AWAY, WHY_FULL, WHY_NO_SITTING, build_season
from tests.helpers.web import CHEAP, PASSWORD, SETTINGS, Clock, visible_text


@pytest.fixture(scope="module")
def viewer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A viewer signed in to the season's diary, as of Mon 01/02/2027 09:00."""
    db = build_season(tmp_path_factory.mktemp("season"))
    with Store.open(db) as store:
        Accounts(store).add_user(
            "vic", "viewer", CHEAP.hash(PASSWORD), datetime(2027, 1, 1, tzinfo=UTC)
        )
    config = WebConfig(db=db, settings=SETTINGS, now=NOW, clock=Clock(), passwords=CHEAP)
    with TestClient(create_app(config), base_url="http://127.0.0.1") as browser:
        page = browser.get("/sign-in")
        token = page.text.split('name="sign_in_token" value="')[1].split('"')[0]
        signed = browser.post(
            "/sign-in",
            data={"name": "vic", "password": PASSWORD, "sign_in_token": token, "next": "/risks"},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text
        yield browser


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [visible_text(row) for row in body.split("</tr>") if row.strip()]


def test_the_page_names_each_case_that_will_miss_and_why(viewer: TestClient) -> None:
    response = viewer.get("/risks")
    assert response.status_code == 200
    page = response.text
    text = visible_text(page)
    assert "Clocks at risk" in text
    assert 'aria-current="page">Clocks at risk</a>' in page
    assert (
        "Within 6 weeks of 01/02/2027: 5 cases on a statutory clock; 3 will miss their clock."
        in text
    )
    assert "Cases whose last sitting in time is within 6 weeks of 01/02/2027, or has passed" in text
    clock = "6-week assessment decision (SEND Regulations 2014, reg. 5), Special Educational Needs (SEN) Panel"  # noqa: E501
    # Six weeks from Mon 01/02/2027, fewest days left first (dates worked in sen_season.py).
    assert _rows(page) == [
        f"S-4 {clock} 05/01/2027 16/02/2027 12/02/2027 11 days 02/03/2027 "
        f"Booked late, by 18 days: {WHY_NO_SITTING}",
        f"S-3 {clock} 12/01/2027 23/02/2027 19/02/2027 18 days 02/03/2027 "
        f"Booked late, by 11 days: {WHY_FULL}",
        f"S-5 {clock} 22/01/2027 05/03/2027 03/03/2027 30 days not booked "
        f"Not bookable in time: {WHY_AWAY}",
        f"S-2 {clock} 25/01/2027 08/03/2027 04/03/2027 31 days 02/03/2027 Booked in time",
        f"S-1 {clock} 01/02/2027 15/03/2027 11/03/2027 38 days 02/03/2027 Booked in time",
    ]
    # Each case links to its page; the state is in words, its colour only a class beside them.
    assert '<a href="/cases/S-4">S-4</a>' in page
    assert '<tr class="risk-booked-late">' in page
    assert re.search(r'data-label="Where it stands"', page)
    assert "ehc-assessment-decision" not in text  # the clock's words, not its id
    assert "case(s)" not in text


def test_the_weeks_box_widens_the_list(viewer: TestClient) -> None:
    # 12 weeks reach 26/04/2027: S-6's 20-week plan clock (last sitting Fri 23/04) too.
    page = viewer.get("/risks?weeks=12").text
    rows = _rows(page)
    assert [row.split()[0] for row in rows] == ["S-4", "S-3", "S-5", "S-2", "S-1", "S-6"]
    assert rows[-1] == (
        "S-6 20-week final plan (SEND Regulations 2014, reg. 13), Special Educational Needs "
        "(SEN) Panel 04/01/2027 24/05/2027 23/04/2027 81 days 02/03/2027 Booked in time"
    )
    assert 'name="weeks" type="number"' in page and 'value="12"' in page
    # One week reaches 08/02/2027: nothing is due by then, and the page says so.
    text = visible_text(viewer.get("/risks?weeks=1").text)
    assert (
        "No open case on a statutory clock has its last sitting in time within 1 week of "
        "01/02/2027." in text
    )


@pytest.mark.parametrize("weeks", ["six", "0", "105", "-3", "1.5", "<b>6</b>"])
def test_weeks_that_are_not_a_number_are_a_form_error(viewer: TestClient, weeks: str) -> None:
    response = viewer.get("/risks", params={"weeks": weeks})
    assert response.status_code == 400
    page = response.text
    text = visible_text(page)
    message = "Enter the weeks ahead as a whole number from 1 to 104, like 6"
    # The summary (focused as the page loads) links to the box, which says it too.
    assert "There is a problem" in text and text.count(message) == 2
    assert re.search(r'<div class="error-summary"[^>]*autofocus[^>]*id="error-summary"', page)
    assert f'<a href="#weeks">{message}</a>' in page
    assert 'aria-invalid="true"' in page
    assert "<tbody>" not in page
    assert "<b>" not in page  # what was typed is shown back as text
