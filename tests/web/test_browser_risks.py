"""The "Clocks at risk" page in headless Chromium over a season of Peterborough SEN requests
(tests/helpers/sen_season.py): on a phone, 390 pixels wide, each case stacks into labelled lines
without scrolling sideways; axe-core finds no serious violation with the rows shown or with a
form error; the error summary takes the focus. Screenshots go to out/test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from panelsched.forward import Store
from panelsched.web.accounts import Accounts
from panelsched.web.config import WebConfig
from panelsched.web.main import create_app
from tests.helpers.browser import ARTIFACTS, AXE
from tests.helpers.sen_season import NOW, build_season
from tests.helpers.web import CHEAP, PASSWORD, SETTINGS, serving
from tests.web.test_web_browser import _axe, _text, _wait_for

WINDOW = (390, 844)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db: Path = build_season(tmp_path_factory.mktemp("season"))
    with Store.open(db) as store:
        Accounts(store).add_user(
            "ada", "administrator", CHEAP.hash(PASSWORD), datetime(2027, 1, 1, tzinfo=UTC)
        )
    app = create_app(WebConfig(db=db, settings=SETTINGS, now=NOW, passwords=CHEAP))
    with serving(app) as address:
        yield address


def _signed_in(driver: Any, server: str, path: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{server}{path}")
    if "/sign-in" in driver.current_url:
        driver.find_element(By.ID, "name").send_keys("ada")
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        _wait_for(driver, "Sign out")
        driver.get(f"{server}{path}")


def _serious(driver: Any) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}) {v['help']} at {v['nodes'][0]['target']}"
        for v in _axe(driver, AXE.read_text(encoding="utf-8"))
        if v["impact"] in ("serious", "critical")
    ]


def test_the_cases_at_risk_fit_a_phone_each_in_labelled_lines(driver: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    _signed_in(driver, server, "/risks?weeks=6")
    text = _text(driver)
    assert (
        "Within 6 weeks of 01/02/2027: 5 cases on a statutory clock; 3 will miss their clock."
        in text
    )
    first = driver.find_element(By.CSS_SELECTOR, "table.risks tbody tr")
    # Stacked: each cell below the one before, its column's name drawn before it.
    cells = first.find_elements(By.CSS_SELECTOR, "th, td")
    tops = [c.rect["y"] for c in cells]
    assert tops == sorted(tops) and len(set(tops)) == len(cells) == 8
    labels = [
        driver.execute_script("return getComputedStyle(arguments[0], '::before').content", cell)
        for cell in cells
    ]
    assert labels[:3] == ['"Case"', '"Clock"', '"Requested"']
    assert labels[5:] == ['"Days left"', '"Booked for"', '"Where it stands"']
    assert [c.text for c in cells[4:7]] == ["12/02/2027", "11 days", "02/03/2027"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(WINDOW[0], min(max(WINDOW[1], height + 40), 6000))
    assert driver.save_screenshot(str(ARTIFACTS / "web-phone-risks.png"))
    driver.set_window_size(*WINDOW)
    scroll = driver.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= driver.execute_script("return window.innerWidth")
    assert _serious(driver) == []


def test_on_a_desktop_each_case_is_a_row_sorted_by_days_left(driver: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    driver.set_window_size(1300, 900)
    try:
        _signed_in(driver, server, "/risks?weeks=6")
        rows = driver.find_elements(By.CSS_SELECTOR, "table.risks tbody tr")
        # The season's five cases within 6 weeks, one row each, on one line each: the row's
        # cells side by side, not stacked as on a phone.
        assert len(rows) == 5
        first = rows[0].find_elements(By.CSS_SELECTOR, "th, td")
        assert len({round(c.rect["y"]) for c in first}) == 1
        left = [r.find_elements(By.CSS_SELECTOR, "th, td")[5].text for r in rows]
        days = [int(d.split()[0]) if d.split()[0].lstrip("-").isdigit() else 0 for d in left]
        assert days == sorted(days), left
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1300, min(max(900, height + 40), 4000))
        assert driver.save_screenshot(str(ARTIFACTS / "web-risks.png"))
        assert _serious(driver) == []
    finally:
        driver.set_window_size(*WINDOW)


def test_a_weeks_box_that_is_not_a_number_moves_the_focus_to_the_problem(
    driver: Any, server: str
) -> None:
    from selenium.webdriver.common.by import By

    _signed_in(driver, server, "/risks")
    box = driver.find_element(By.ID, "weeks")
    box.clear()
    box.send_keys("0")
    driver.find_element(By.CSS_SELECTOR, "form.filter button[type=submit]").click()
    _wait_for(driver, "There is a problem")
    active = driver.switch_to.active_element
    assert active.get_attribute("id") == "error-summary"
    assert "Enter the weeks ahead as a whole number from 1 to 104" in active.text
    assert _serious(driver) == []
