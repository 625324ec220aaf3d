"""An emergency's ratification (S9) keeps its due date and its lateness after booking (issue
31, item 2): in the diary's views, its exports, its calendars and the pages that read them.

The conftest model's Resource Panel (crp) sits on Thursdays 13:00-14:00, four 15-minute
slots, and takes late papers. An emergency decision taken on Thursday 4 March 2027 at 15:30,
after that day's sitting, is ratified at the next sitting: Thursday 11 March (S9), so the
ratification is due by 11/03/2027 whatever its cut-off. When four routine cases submitted on
Tuesday 2 March (after the 4 March cut-off, in time for 11 March) already fill 11 March, the
ratification goes to Thursday 18 March, a week late.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from panelsched.forward import Report, Store
from panelsched.forward.calendars import planner_ics_bytes
from panelsched.forward.diary_files import (
    ExportRange,
    planner_html_bytes,
    planner_xlsx_bytes,
    stamp,
)
from panelsched.forward.views import follow_ups_due, sitting_views
from panelsched.web.accounts import Accounts
from panelsched.web.config import WebConfig
from panelsched.web.main import create_app
from tests.helpers.forward import FAST, actor, add_file, at, decide_file, referral, write_rows
from tests.helpers.web import CHEAP, PASSWORD, SETTINGS, Clock, visible_text

DUE = date(2027, 3, 11)
LATE_SITTING = date(2027, 3, 18)
MARCH = (date(2027, 3, 1), date(2027, 3, 31))
NOW = "2027-03-05 09:00"


def _emergency(store: Store, tmp_path: Path, *, full: bool) -> Report:
    """E-1's emergency decision of 4 March 15:30 recorded on Friday 5 March; with ``full``,
    11 March is filled first by four routine cases."""
    if full:
        rows = [referral(f"R-{n}", f"2027-03-02 09:0{n}") for n in range(1, 5)]
        add_file(store, actor("2027-03-02 10:00"), write_rows(tmp_path / "r.csv", rows))
    record = {
        "referral_id": "E-1",
        "panel": "crp",
        "date": "2027-03-04",
        "outcome": "approve",
        "emergency_decision": "2027-03-04 15:30",
        "social_worker": "SW-E",
        "team_manager": "TM-E",
    }
    file = write_rows(tmp_path / "d.csv", [record])
    return decide_file(store, actor(NOW), file, settings=FAST)


@pytest.mark.parametrize(
    ("full", "booked", "status"),
    [(True, LATE_SITTING, "booked late"), (False, DUE, "booked")],
    ids=["late", "on-time"],
)
def test_the_views_keep_the_ratifications_due_date(
    store: Store, tmp_path: Path, full: bool, booked: date, status: str
) -> None:
    report = _emergency(store, tmp_path, full=full)
    diary = store.diary()
    hearing = diary.by_key["E-1"]
    assert diary.in_force[hearing.id].date == booked
    due = diary.due(hearing)
    assert due is not None and (due.date, due.rule) == (DUE, "S9")
    # Before, the due date came from the referral's own columns alone, which an emergency
    # ratification does not have: None everywhere once booked.
    [slot] = [s for v in sitting_views(diary, *MARCH) for s in v.slots if s.key == "E-1"]
    assert (slot.booking.date, slot.due) == (booked, DUE)
    [line] = [v for v in follow_ups_due(diary) if v.key == "E-1"]
    assert (line.due, line.status) == (DUE, status)
    [follow_up] = report.follow_ups
    assert (follow_up.rule, follow_up.due) == ("S9", DUE)


def test_the_exports_and_calendars_carry_the_due_date_and_the_late_mark(
    store: Store, tmp_path: Path
) -> None:
    _emergency(store, tmp_path, full=True)
    diary = store.diary()
    span = ExportRange(*MARCH, at(NOW))
    workbook = load_workbook(BytesIO(planner_xlsx_bytes(diary, span)))

    def rows(sheet: str) -> list[dict[str, object]]:
        cells = list(workbook[sheet].iter_rows(values_only=True))
        return [dict(zip(cells[0], row, strict=True)) for row in cells[1:]]

    [due_row] = [r for r in rows("Reviews due") if r["case"] == "E-1"]
    assert (due_row["due"], due_row["rule"], due_row["status"]) == (
        datetime(2027, 3, 11),
        "S9",
        "booked late",
    )
    [slot_row] = [r for r in rows("crp") if r["case"] == "E-1"]
    assert (slot_row["date"], slot_row["due"]) == (datetime(2027, 3, 18), datetime(2027, 3, 11))

    page = visible_text(planner_html_bytes(diary, span).decode())
    assert "E-1 ratification of an emergency decision (S9) SW-E TM-E 11/03/2027 (late)" in page
    assert "11/03/2027 E-1 S9 ratification of an emergency decision (S9) crp" in page
    assert "booked late" in page

    ics = planner_ics_bytes(diary, *MARCH, stamp(diary)).decode().replace("\r\n ", "")
    assert "Due by: 11/03/2027 (ratification at the next sitting after the emergency" in ics


def test_the_sitting_and_case_pages_show_the_due_date_and_late(
    store: Store, tmp_path: Path
) -> None:
    _emergency(store, tmp_path, full=True)
    Accounts(store).add_user("ada", "administrator", CHEAP.hash(PASSWORD), datetime.now(UTC))
    config = WebConfig(
        db=store.path,
        settings=SETTINGS,
        now=at(NOW),
        clock=Clock(),
        passwords=CHEAP,
        wait_seconds=30,
    )
    with TestClient(create_app(config), base_url="http://127.0.0.1") as browser:
        page = browser.get("/sign-in")
        token = page.text.split('name="sign_in_token" value="')[1].split('"')[0]
        signed = browser.post(
            "/sign-in",
            data={"name": "ada", "password": PASSWORD, "sign_in_token": token, "next": "/"},
            follow_redirects=False,
        )
        assert signed.status_code == 303
        sitting = visible_text(browser.get("/sittings/crp/2027-03-18").text)
        case = visible_text(browser.get("/cases/E-1").text)
    # E-1's row at 18 March, and its line on the case page: due by 11/03/2027 and marked late
    # (before: "Due by -" and no mark).
    assert "E-1 ratification of an emergency decision (S9)" in sitting
    assert "11/03/2027 late" in sitting
    assert "18/03/2027 13:00 Thu 11/03/2027 late" in case
