"""Issue 31's items 2, 3, 4 and 11 replayed in a real headless browser, as a person sees them:
a follow-up booked late and room made for it, an emergency ratification's due date and late
mark, a cancellation previewed before it is confirmed, and a form error summarised at the top
with the focus on it. Each step saves a screenshot to out/test-artifacts/ and is checked by
axe-core against the WCAG 2.2 AA rules.

The diary is tests/helpers/web.py's (crp sits Thursdays 13:00-14:00, four 15-minute slots; the
web acts on Friday 12 March 2027 09:00), with 18 March filled by four routine referrals.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from panelsched.forward import Actor, Store
from panelsched.web.config import WebConfig
from panelsched.web.main import create_app
from tests.helpers.browser import ARTIFACTS, AXE
from tests.helpers.forward import add_file
from tests.helpers.web import CHEAP, NOW, PASSWORD, SETTINGS, referral_rows, serving, write_rows

# axe-core's rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@contextmanager
def _serving(db: Path) -> Iterator[str]:
    """uvicorn over ``db`` on a free port of 127.0.0.1; yields its address."""
    app = create_app(WebConfig(db=db, settings=SETTINGS, now=NOW, passwords=CHEAP))
    with serving(app) as address:
        yield address


@contextmanager
def _full_18_march(template_db: Path, folder: Path, deadline: str = "") -> Iterator[str]:
    """A server over a copy of the diary whose 18 March is full of routine cases (each due
    by ``deadline`` when given)."""
    db = folder / "planner.db"
    shutil.copyfile(template_db, db)
    due = {"deadline": deadline} if deadline else {}
    rows = [
        {**row, **due}
        for row in referral_rows(["N-1", "N-2", "N-3", "N-4"], submitted="2027-03-08 09:00")
    ]
    with Store.open(db) as store:
        add_file(store, Actor(NOW, "setup"), write_rows(folder / "n.csv", rows), settings=SETTINGS)
    with _serving(db) as address:
        yield address


@pytest.fixture
def server(template_db: Path, tmp_path: Path) -> Iterator[str]:
    """18 March full of routine cases with no due date."""
    with _full_18_march(template_db, tmp_path) as address:
        yield address


@pytest.fixture
def server_due(template_db: Path, tmp_path: Path) -> Iterator[str]:
    """18 March full of routine cases each due by 18 March."""
    with _full_18_march(template_db, tmp_path, "2027-03-18") as address:
        yield address


def _shot(driver: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1300, min(max(900, height + 40), 4000))
    assert driver.save_screenshot(str(ARTIFACTS / f"web-{name}.png"))
    driver.set_window_size(1300, 1400)


def _text(driver: Any) -> str:
    text = driver.execute_script("return document.body ? document.body.innerText : ''")
    return " ".join(str(text).split())


def _wait_for(driver: Any, words: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while words not in _text(driver):
        assert time.monotonic() < deadline, f"never saw {words!r}: {_text(driver)[:600]}"
        time.sleep(0.1)


def _sign_in(driver: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(f"{server}/calendar")
    driver.find_element(By.ID, "name").send_keys("ada")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _wait_for(driver, "Sign out")


def _accessible(driver: Any, page: str) -> None:
    """axe-core's WCAG 2.2 AA check of the page as it is: no serious or critical violation."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},"
        " resultTypes: ['violations']})"
        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', impact: 'critical',"
        " help: String(e), nodes: [{target: ''}]}]));",
        WCAG_22_AA,
    )
    serious = [
        f"{page}: {v['id']} ({v['impact']}) {v['help']} at {v['nodes'][0]['target']}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def _type_date(driver: Any, prefix: str, day: str, month: str, year: str) -> None:
    from selenium.webdriver.common.by import By

    for part, value in (("day", day), ("month", month), ("year", year)):
        box = driver.find_element(By.ID, f"{prefix}-{part}")
        box.clear()
        box.send_keys(value)


def test_a_deferral_and_a_ratification_booked_late(driver: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    _sign_in(driver, server)
    # Item 3: R-5, heard on 11 March, deferred. S10 wants it at the next sitting, 18 March,
    # which N-1..N-4 fill: it is booked on 25 March, and the result page says so, not "done".
    driver.get(f"{server}/sittings/crp/2027-03-11")
    form = next(
        f
        for f in driver.find_elements(By.CSS_SELECTOR, "form.outcome")
        if "R-5 at" in f.find_element(By.TAG_NAME, "legend").text
    )
    form.find_element(By.CSS_SELECTOR, "input[value=defer]").click()
    form.find_element(By.NAME, "deferral_reason").send_keys("papers missing")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait_for(driver, "R-5: deferred")
    assert "/changes/" in driver.current_url
    attention = driver.find_element(By.CSS_SELECTOR, ".needs-attention")
    assert attention.is_displayed()
    assert "A follow-up is booked after its due date" in attention.text
    assert "R-5#2" in attention.text and "due by Thu 18/03/2027" in attention.text
    assert not driver.find_elements(By.CSS_SELECTOR, "div.done")
    _shot(driver, "followup-late")
    _accessible(driver, "deferral result")
    # Making room: the preview names the routine case that would move and who is told.
    driver.find_element(By.CSS_SELECTOR, "form.make-room button").click()
    _wait_for(driver, "This is a preview: nothing is moved yet.")
    assert "1 routine case would move" in _text(driver)
    assert "R-5#2 (deferred case heard again (S10)), due by Thu 18/03/2027: Thu 18/03/2027" in (
        _text(driver)
    )
    moving = driver.find_element(By.CSS_SELECTOR, "table.moves tbody tr th").text
    assert moving.startswith("N-")
    _shot(driver, "make-room-preview")
    _accessible(driver, "make-room preview")
    driver.find_element(By.CSS_SELECTOR, "form.confirm button").click()
    _wait_for(driver, "Made room for R-5#2")
    assert driver.find_elements(By.CSS_SELECTOR, "div.done")
    # The follow-up is now on 18 March, in time, and the routine case on 25 March.
    driver.get(f"{server}/sittings/crp/2027-03-18")
    cases = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "tr.booked th")]
    assert "R-5#2" in cases and moving not in cases
    driver.get(f"{server}/sittings/crp/2027-03-25")
    assert moving in [r.text for r in driver.find_elements(By.CSS_SELECTOR, "tr.booked th")]

    # Item 2: an emergency decision taken on 11 March at 18:00 is ratified at the next
    # sitting, 18 March (S9), full again; booked on 25 March, its due date and late mark show.
    driver.get(f"{server}/between")
    driver.find_element(By.ID, "em-ref").send_keys("E-1")
    driver.find_element(By.CSS_SELECTOR, "#emergency-panel option[value=crp]").click()
    _type_date(driver, "em-day", "11", "3", "2027")
    driver.find_element(By.ID, "em-time-hour").send_keys("18")
    driver.find_element(By.ID, "em-time-minute").send_keys("00")
    driver.find_element(By.ID, "em-outcome-approve").click()
    driver.find_element(By.ID, "em-sw").send_keys("SW-E")
    driver.find_element(By.ID, "em-tm").send_keys("TM-E")
    driver.find_element(By.CSS_SELECTOR, "form.emergency button").click()
    _wait_for(driver, "E-1: emergency decision recorded")
    assert "See how to make room" in _text(driver)
    driver.get(f"{server}/sittings/crp/2027-03-25")
    row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "tr.booked") if "E-1" in r.text)
    assert "Thu 18/03/2027 late" in row.text, row.text
    _shot(driver, "ratification-sitting")
    driver.get(f"{server}/cases/E-1")
    assert "Thu 18/03/2027 late" in _text(driver), _text(driver)
    _shot(driver, "ratification-case")
    _accessible(driver, "case page")


def test_a_cancellation_is_previewed_with_the_cases_it_makes_late(
    driver: Any, server_due: str
) -> None:
    from selenium.webdriver.common.by import By

    server = server_due
    _sign_in(driver, server)
    driver.get(f"{server}/sittings/crp/2027-03-18")
    assert "Its 4 booked cases will be booked at other sittings" in _text(driver)
    driver.find_element(By.ID, "reason").send_keys("chair unwell")
    driver.find_element(By.ID, "agreed_by").send_keys("vice-chair")
    driver.find_element(By.CSS_SELECTOR, "form.cancel button").click()
    _wait_for(driver, "This is a preview: nothing is cancelled yet.")
    # Due by 18 March, the four would be heard on 25 March: 7 days late each.
    late = driver.find_elements(By.CSS_SELECTOR, "table.late-cases tbody tr")
    assert len(late) == 4 and all("7 days late" in r.text for r in late)
    offer = driver.find_element(By.LINK_TEXT, "add an extra Resource Panel sitting")
    assert offer.get_attribute("href").endswith("/extra?panel=crp&date=2027-03-17")
    _shot(driver, "cancel-preview")
    _accessible(driver, "cancel preview")
    # Nothing is cancelled yet; the preview has an address of its own to come back to.
    preview = driver.current_url
    driver.get(f"{server}/sittings/crp/2027-03-18")
    assert "full: 4 booked" in _text(driver) and "cancelled" not in _text(driver)
    driver.get(preview)
    _wait_for(driver, "This is a preview: nothing is cancelled yet.")
    driver.find_element(By.CSS_SELECTOR, "form.confirm button").click()
    _wait_for(driver, "Cancelled the Resource Panel sitting of Thu 18/03/2027")
    assert "case(s)" not in _text(driver) and "crp@" not in _text(driver)
    _shot(driver, "cancel-done")
    driver.get(f"{server}/sittings/crp/2027-03-18")
    assert "cancelled: chair unwell" in _text(driver)


def test_a_form_error_is_summarised_at_the_top_and_focused(driver: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    _sign_in(driver, server)
    driver.get(f"{server}/extra")
    # Day, month and year boxes, not the browser's mm/dd/yyyy picker.
    boxes = driver.find_elements(By.CSS_SELECTOR, "fieldset.date-input input")
    assert [b.get_attribute("name") for b in boxes] == ["date-day", "date-month", "date-year"]
    assert {b.get_attribute("inputmode") for b in boxes} == {"numeric"}
    assert driver.find_element(By.CSS_SELECTOR, "fieldset.date-input legend").text == "Date"
    driver.find_element(By.CSS_SELECTOR, "#panel option[value=crp]").click()
    _type_date(driver, "date", "31", "2", "2027")
    driver.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    _wait_for(driver, "There is a problem")
    assert driver.title.startswith("Error: ")
    summary = driver.find_element(By.CSS_SELECTOR, ".error-summary")
    assert summary.is_displayed()
    # At the top of the main content, in view, and focused so a screen reader reads it.
    assert summary.location["y"] < driver.find_element(By.TAG_NAME, "h1").location["y"]
    assert driver.execute_script("return document.activeElement.id") == "error-summary"
    _shot(driver, "form-error")
    _accessible(driver, "extra form with an error")
    link = summary.find_element(By.LINK_TEXT, "The date of the extra sitting must be a real date")
    link.click()
    assert driver.execute_script("return document.activeElement.id") == "date-day"
    assert driver.find_element(By.ID, "date-day").get_attribute("value") == "31"
    assert "must be a real date" in driver.find_element(By.ID, "date-error").text
