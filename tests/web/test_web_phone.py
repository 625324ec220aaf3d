"""The pages on a phone, 390 pixels wide (issue 31, item 13): nothing scrolls sideways, the
month's sittings stay inside their days, and a sitting's "Due by" and "Outcome" are on screen.

Headless Chromium as in test_web_browser.py, whose server and helpers this module uses; the
screenshots go to out/test-artifacts/web-phone-*.png, and axe-core checks each page.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.helpers.browser import ARTIFACTS, AXE
from tests.web.test_web_browser import _axe, _sign_in, _text, _wait_for, server

__all__ = ["server"]  # the fixture, used here by name

WINDOW = (390, 844)

# What a page would show off the right-hand edge: every element of the page that is drawn and
# reaches past the window (the page could hide its overflow and still not fit).
_PAST_THE_EDGE = """
const width = document.documentElement.clientWidth;
// Clipped out of sight on purpose (headings kept for screen readers): not drawn.
const clipped = e => {
  for (let a = e; a; a = a.parentElement) {
    if (!['auto', ''].includes(getComputedStyle(a).clip)) return true;
  }
  return false;
};
return [...document.querySelectorAll('body *')].filter(e => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && (r.right > width + 1 || r.left < -1)
    && getComputedStyle(e).visibility !== 'hidden' && !e.closest('.skip') && !clipped(e);
}).map(e => e.tagName + '.' + e.className + ': ' + (e.innerText || '').slice(0, 40));
"""


def _open(driver: Any, server: str, path: str) -> None:
    driver.get(f"{server}{path}")
    if "/sign-in" in driver.current_url:
        _sign_in(driver, server)
        driver.get(f"{server}{path}")


def _phone_shot(driver: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # The whole page at the phone's width, for people to look at.
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(WINDOW[0], min(max(WINDOW[1], height + 40), 6000))
    assert driver.save_screenshot(str(ARTIFACTS / f"web-phone-{name}.png"))
    driver.set_window_size(*WINDOW)


def _fits(driver: Any) -> None:
    width = driver.execute_script("return window.innerWidth")
    assert width <= WINDOW[0]
    scroll = driver.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is {scroll} px wide on a {width} px screen"
    assert driver.execute_script(_PAST_THE_EDGE) == []


def _serious(driver: Any) -> list[str]:
    violations = _axe(driver, AXE.read_text(encoding="utf-8"))
    return [
        f"{v['id']} ({v['impact']}) {v['help']} at {v['nodes'][0]['target']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    ("path", "name", "heading"),
    [
        ("/calendar", "calendar", "Sittings in March 2027"),
        ("/week?start=2027-03-01", "week", "Week of Mon 01/03/2027"),
        ("/sittings/crp/2027-03-04", "sitting", "Resource Panel"),
        ("/audit", "audit", "Audit trail"),
        ("/findings", "findings", "Rule checks"),
        ("/risks", "risks", "Clocks at risk"),
        ("/clocks", "clocks", "Clock counts"),
        ("/messages", "messages", "Messages"),
    ],
)
def test_a_page_fits_a_phone_without_scrolling_sideways(
    driver: Any, server: str, path: str, name: str, heading: str
) -> None:
    _open(driver, server, path)
    assert heading in _text(driver)
    _phone_shot(driver, name)
    _fits(driver)
    assert _serious(driver) == []


def test_a_page_of_another_table_scrolls_only_inside_the_table(driver: Any, server: str) -> None:
    # A table without a phone layout of its own (a case's hearings) scrolls within itself.
    _open(driver, server, "/cases/R-1")
    assert "Case R-1" in _text(driver)
    _phone_shot(driver, "case")
    scroll = driver.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= driver.execute_script("return window.innerWidth")


def test_on_a_phone_each_sitting_stays_inside_its_day(driver: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    _open(driver, server, "/calendar?month=2027-03")
    chips = driver.find_elements(By.CSS_SELECTOR, "table.month a.sitting")
    # The six Thursday sittings of March 2027 (4, 11, 18, 25 and the two of the model's
    # fixture), each still saying how full it is, in words.
    assert len(chips) >= 4
    for chip in chips:
        assert chip.is_displayed()
        day = chip.find_element(By.XPATH, "ancestor::td")
        inside = driver.execute_script(
            "const c = arguments[0].getBoundingClientRect(), d = arguments[1]"
            ".getBoundingClientRect(); return c.left >= d.left - 1 && c.right <= d.right + 1"
            " && c.top >= d.top - 1 && c.bottom <= d.bottom + 1"
            # Its words wrap inside it rather than spilling into the next day.
            " && arguments[0].scrollWidth <= arguments[0].clientWidth + 1;",
            chip,
            day,
        )
        assert inside, chip.text
        assert re.search(r"\d+ booked, \d+ min free", chip.text), chip.text
        # The day's weekday, which the grid's column heading gave, is on the line.
        assert re.match(r"(Thu|Fri) \d+\n", day.text), day.text


def _agenda_on_screen(driver: Any) -> list[tuple[str, str]]:
    """Each booked row's "Due by" and "Outcome", after checking each is labelled and within
    the screen."""
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, "table.agenda-table tbody tr.booked")
    width = driver.execute_script("return document.documentElement.clientWidth")
    seen = []
    for row in rows:
        cells = row.find_elements(By.CSS_SELECTOR, ":scope > td, :scope > th")
        due, outcome = cells[5], cells[6]
        for cell, label in ((due, "Due by"), (outcome, "Outcome")):
            # Each cell of the stacked row says which column it is...
            shown = driver.execute_script(
                "return getComputedStyle(arguments[0], '::before').content", cell
            )
            assert shown == f'"{label}"'
            # ...and sits within the screen, where a person can read it without scrolling.
            box = driver.execute_script(
                "return arguments[0].getBoundingClientRect().toJSON()", cell
            )
            assert box["left"] >= 0 and box["right"] <= width, (label, box)
            assert cell.is_displayed()
        seen.append((due.text.strip(), outcome.text.strip()))
    return seen


def test_on_a_phone_a_sittings_due_dates_and_outcomes_are_on_screen(
    driver: Any, server: str
) -> None:
    from selenium.webdriver.common.by import By

    _open(driver, server, "/sittings/crp/2027-03-04")
    seen = _agenda_on_screen(driver)
    assert len(seen) == 4
    assert all(outcome == "awaiting" for _, outcome in seen)
    # R-1 deferred: its next hearing is due by a date, shown on the sitting it is booked at.
    form = next(
        f
        for f in driver.find_elements(By.CSS_SELECTOR, "form.outcome")
        if "R-1 at" in f.find_element(By.TAG_NAME, "legend").text
    )
    form.find_element(By.CSS_SELECTOR, "input[value=defer]").click()
    form.find_element(By.NAME, "deferral_reason").send_keys("papers incomplete")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait_for(driver, "R-1: deferred")
    _open(driver, server, "/sittings/crp/2027-03-04")
    assert ("—", "deferred") in _agenda_on_screen(driver)
    dated = []
    for day in ("2027-03-11", "2027-03-18", "2027-03-25"):
        _open(driver, server, f"/sittings/crp/{day}")
        dated += [due for due, _ in _agenda_on_screen(driver) if due != "—"]
    _phone_shot(driver, "sitting-later")
    assert dated, "no follow-up shows its due date"
    assert all(re.fullmatch(r"\w{3} \d{2}/\d{2}/\d{4}( late)?", due) for due in dated), dated
