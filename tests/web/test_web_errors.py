"""The pages a person gets instead of the one asked for: a date beyond the calendar (issue 31,
item 14) and refusals that keep the council's name and the navigation (item 16), and the
Messages page reachable from the navigation (item 16)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.helpers.web import csrf_of, visible_text

# Python's dates run from year 1 to 9999; working out a panel's sittings near either end
# overflowed (a 500 page). The calendar covers 1900 to 2999.
BEYOND = [
    ("/calendar?month=0001-01", "There is no calendar for that month"),
    ("/calendar?month=0000-01", "There is no calendar for that month"),
    ("/calendar?month=9999-12", "There is no calendar for that month"),
    ("/calendar?month=1899-12", "There is no calendar for that month"),
    ("/calendar?month=3000-01", "There is no calendar for that month"),
    ("/week?start=0001-01-01", "There is no calendar for that week"),
    ("/week?start=9999-12-31", "There is no calendar for that week"),
    # Tuesday 31/12/2999: its week runs to Sunday 05/01/3000.
    ("/week?start=2999-12-31", "There is no calendar for that week"),
    ("/sittings/crp/9999-12-31", "There is no calendar for that date"),
    ("/sittings/crp/0001-01-01", "There is no calendar for that date"),
    ("/sittings/crp/9999-12-31/calendar.ics", "There is no calendar for that date"),
]


@pytest.mark.parametrize(("path", "title"), BEYOND)
def test_a_date_beyond_the_calendar_is_a_page_not_found_saying_so(
    sign_in: Callable[..., TestClient], path: str, title: str
) -> None:
    response = sign_in("vic").get(path)
    text = visible_text(response.text)
    assert response.status_code == 404, text[:300]
    assert title in text
    assert "The calendar covers the years 1900 to 2999." in text
    assert "Back to this month's calendar" in text
    assert re.search(r'<a href="/calendar">Back to this month&#39;s calendar</a>', response.text)
    assert "Something went wrong" not in text


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/calendar?month=1900-01", "Sittings in January 1900"),
        ("/calendar?month=2999-12", "Sittings in December 2999"),
        ("/week?start=1900-01-01", "Week of Mon 01/01/1900"),
        # Monday 23/12/2999 to Sunday 29/12/2999: the last whole week of the calendar.
        ("/week?start=2999-12-29", "Week of Mon 23/12/2999"),
    ],
)
def test_the_first_and_last_months_and_weeks_show_without_a_link_beyond(
    sign_in: Callable[..., TestClient], path: str, shown: str
) -> None:
    response = sign_in("vic").get(path)
    assert response.status_code == 200
    assert shown in visible_text(response.text)
    # The link beyond the edge would only lead to the page above.
    beyond = "Previous" if path.endswith(("1900-01", "1900-01-01")) else "Next"
    assert beyond not in visible_text(response.text)


def test_an_overflow_that_is_not_a_date_is_still_an_error(
    sign_in: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only a date beyond the calendar is "not found"; any other overflow is a fault to report.
    browser = sign_in("vic")

    def overflow(*_: object, **__: object) -> None:
        raise OverflowError("int too large to convert to float")

    monkeypatch.setattr("panelsched.web.routes.diary.validate_store", overflow)
    response = browser.get("/findings")
    assert response.status_code == 500
    assert "Something went wrong" in visible_text(response.text)


def _header(html: str) -> str:
    found = re.search(r'<header class="top">(.*?)</header>', html, re.S)
    assert found, "the page has no header"
    return visible_text(found[1])


REFUSALS = [
    ("get", "/cases/NO-SUCH-CASE", 404, "No such case"),
    ("get", "/no/such/page", 404, "Page not found"),
    ("get", "/calendar?month=2027-13", 400, "'2027-13' is not a month like 2027-01."),
    ("get", "/calendar?month=0001-01", 404, "There is no calendar for that month"),
    ("get", "/sittings/crp/2027-03-05", 404, "No such sitting"),
    ("get", "/downloads/nothing.txt", 404, "No such download"),
    ("post", "/extra", 403, "Not allowed"),
    ("post", "/sittings/crp/2027-03-18/cancel", 403, "Not allowed"),
]


@pytest.mark.parametrize(("method", "path", "status", "words"), REFUSALS)
def test_a_refusal_keeps_the_councils_name_and_the_navigation(
    sign_in: Callable[..., TestClient], method: str, path: str, status: int, words: str
) -> None:
    browser = sign_in("vic")
    if method == "post":
        token = csrf_of(browser.get("/calendar").text)
        response = browser.post(path, data={"csrf_token": token})
    else:
        response = browser.get(path)
    assert response.status_code == status
    assert words in visible_text(response.text)
    header = _header(response.text)
    # The same header as every other page: the council's name, the links, who is signed in.
    assert header.startswith("panelsched Testshire Calendar Week"), header
    assert "vic (viewer) Sign out" in header
    assert "Diary as of Fri 12/03/2027 09:00" in visible_text(response.text)


def test_a_refused_form_keeps_the_councils_name(sign_in: Callable[..., TestClient]) -> None:
    # A form whose security token is out of date (403) is refused before anything is read.
    browser = sign_in("ada")
    response = browser.post("/extra", data={"csrf_token": "stale"})
    assert response.status_code == 403
    assert "The form has expired" in visible_text(response.text)
    assert _header(response.text).startswith("panelsched Testshire Calendar")


def _nav_links(html: str) -> list[tuple[str, str]]:
    found = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S)
    assert found, "the page has no main navigation"
    return [
        (href, visible_text(label))
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', found[1], re.S)
    ]


@pytest.mark.parametrize("name", ["ada", "chloe", "vic"])
def test_every_role_finds_the_messages_page_in_the_navigation(
    sign_in: Callable[..., TestClient], name: str
) -> None:
    browser = sign_in(name)
    assert ("/messages", "Messages") in _nav_links(browser.get("/calendar").text)
    page = browser.get("/messages")
    assert page.status_code == 200
    assert '<a href="/messages" aria-current="page">Messages</a>' in page.text
