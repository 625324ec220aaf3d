"""The web application in a real headless browser (Debian's Chromium driven by Selenium):
an administrator's morning, and axe-core's accessibility check of the main pages.

The server is uvicorn on 127.0.0.1 over the small diary of tests/helpers/web.py. Screenshots go to
out/test-artifacts/web-*.png. Without Chromium, chromedriver or Selenium the tests are skipped
with the reason, except in CI (``CI`` set), where they fail: the Makefile installs them there.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from panelsched.forward import Store
from panelsched.web.config import WebConfig
from panelsched.web.main import create_app
from tests.helpers.browser import ARTIFACTS, AXE
from tests.helpers.web import CHEAP, NOW, PASSWORD, SETTINGS, referral_rows, serving, write_rows

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Iterator[str]:
    """uvicorn serving a copy of the diary on a free port of 127.0.0.1; yields its address."""
    db = tmp_path_factory.mktemp("served") / "planner.db"
    shutil.copyfile(template_db, db)
    app = create_app(WebConfig(db=db, settings=SETTINGS, now=NOW, passwords=CHEAP))
    with serving(app) as address:
        yield address


def _shot(driver: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # The whole page, not only the window: the screenshot is for people to look at.
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1300, min(max(900, height + 40), 4000))
    assert driver.save_screenshot(str(ARTIFACTS / f"web-{name}.png"))
    driver.set_window_size(1300, 1400)


def _text(driver: Any) -> str:
    # Read in one script, so a page being replaced mid-read gives its old or its new text.
    text = driver.execute_script("return document.body ? document.body.innerText : ''")
    return " ".join(str(text).split())


def _sign_in(driver: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{server}/calendar")
    assert "/sign-in" in driver.current_url
    driver.find_element(By.ID, "name").send_keys("ada")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _wait_for(driver, "Sign out")


def _wait_for(driver: Any, words: str, seconds: float = 60) -> None:
    # Generous: background planning shares two cores with the rest of the suite (a 30 s wait
    # for the upload preview ran out once in a full local run).
    deadline = time.monotonic() + seconds
    while words not in _text(driver):
        assert time.monotonic() < deadline, f"never saw {words!r}: {_text(driver)[:400]}"
        time.sleep(0.1)


def test_an_administrators_morning(driver: Any, server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    _sign_in(driver, server)
    # The calendar: every sitting of March says how full it is, in words and colour.
    assert driver.current_url == f"{server}/calendar", _text(driver)
    chips = driver.find_elements(By.CSS_SELECTOR, "table.month a.sitting")
    assert len(chips) == 6 and all(c.is_displayed() for c in chips)
    words = [c.text.split("\n")[-1] for c in chips]
    assert "full: 4 booked, 0 min free" in words
    full = next(c for c in chips if c.get_attribute("data-band") == "full")
    empty = next(c for c in chips if c.get_attribute("data-band") == "empty")
    assert full.value_of_css_property("background-color") != empty.value_of_css_property(
        "background-color"
    )
    _shot(driver, "calendar")

    # A sitting heard last week: its agenda, and an outcome recorded.
    full.click()
    assert driver.current_url.endswith("/sittings/crp/2027-03-04")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.agenda-table tbody tr.booked")
    assert [r.find_element(By.TAG_NAME, "th").text for r in rows][1:] == ["R-1", "R-2", "R-3"]
    _shot(driver, "sitting")
    form = driver.find_element(By.ID, "form-2")  # R-1's
    form.find_element(By.CSS_SELECTOR, "input[value=approve]").click()
    # The review date in day, month and year boxes (never the browser's mm/dd/yyyy picker).
    for name, value in (("day", "30"), ("month", "4"), ("year", "2027")):
        form.find_element(By.NAME, f"review_date-{name}").send_keys(value)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait_for(driver, "R-1: approved")
    assert "S7 R-1#2 review of an approval (S7)" in _text(driver)

    # The week's referrals: uploaded, previewed (the page polls while planning), confirmed.
    driver.get(f"{server}/upload")
    upload = write_rows(tmp_path / "week-11.csv", referral_rows(["R-8", "R-9"], "2027-03-08"))
    driver.find_element(By.ID, "referrals").send_keys(str(upload))
    driver.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    _wait_for(driver, "This is a preview: nothing is stored yet.")
    assert "R-8 referral Resource Panel Thu 18/03/2027 13:00–13:15 booked" in _text(driver)
    _shot(driver, "upload-preview")
    driver.find_element(By.CSS_SELECTOR, "form.confirm button").click()
    _wait_for(driver, "Booked. The diary now holds these bookings")

    # A sitting cancelled: its cases move, and the people to tell are listed.
    driver.get(f"{server}/sittings/crp/2027-03-18")
    driver.find_element(By.ID, "reason").send_keys("chair unwell")
    driver.find_element(By.ID, "agreed_by").send_keys("vice-chair")
    driver.find_element(By.CSS_SELECTOR, "form.cancel button").click()
    # First a preview of where the cases would go, then the cancellation itself.
    _wait_for(driver, "This is a preview: nothing is cancelled yet.")
    driver.find_element(By.CSS_SELECTOR, "form.confirm button").click()
    _wait_for(driver, "Cancelled the Resource Panel sitting of Thu 18/03/2027")
    assert "Who to tell" in _text(driver)

    # Nothing came from anywhere but this server.
    origins = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)"
    )
    assert set(origins) <= {server}


MAIN_PAGES = [
    "/calendar",
    "/week?start=2027-03-01",
    "/sittings/crp/2027-03-04",
    "/sittings/crp/2027-03-25",
    "/cases/R-4",
    "/cases?q=R",
    "/outcomes",
    "/upload",
    "/extra",
    "/between",
    "/findings",
    "/risks",
    "/clocks",
    "/audit",
    "/downloads",
]


def test_the_main_pages_have_no_serious_accessibility_violations(driver: Any, server: str) -> None:
    source = AXE.read_text(encoding="utf-8")
    driver.delete_all_cookies()
    driver.get(f"{server}/sign-in")
    pages: list[tuple[str, list[dict[str, Any]]]] = []
    pages.append(("/sign-in", _axe(driver, source)))
    _sign_in(driver, server)
    for path in MAIN_PAGES:
        driver.get(f"{server}{path}")
        pages.append((path, _axe(driver, source)))
    serious = [
        f"{path}: {v['id']} ({v['impact']}) {v['help']} at {v['nodes'][0]['target']}"
        for path, violations in pages
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert len(pages) == len(MAIN_PAGES) + 1
    # The check can fail: an image without a text alternative is a critical violation.
    driver.execute_script("document.querySelector('main').appendChild(new Image())")
    assert "image-alt" in {v["id"] for v in _axe(driver, source) if v["impact"] == "critical"}


def _axe(driver: Any, source: str) -> list[dict[str, Any]]:
    # WebDriver's scripts run outside the page's CSP, so axe is injected, never served.
    driver.execute_script(source)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', impact: 'critical',"
        " help: String(e), nodes: [{target: ''}]}]));"
    )
    assert isinstance(result, list)
    return result


def test_the_server_is_the_one_the_store_sees(server: str, template_db: Path) -> None:
    # The served copy is separate from the template: the morning above changed only the copy.
    with Store.open(template_db) as store:
        assert all(c.by != "ada" for c in store.diary().changes)
