"""The reading pages as a person sees them: calendars, a sitting, a case, the outcomes to
record, the rule checks, the audit trail and the downloads."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from panelsched.forward import Actor, Store, cancel, extra
from tests.helpers.web import NOW, SETTINGS, visible_text


@pytest.fixture
def viewer(sign_in: Callable[..., TestClient]) -> TestClient:
    """A viewer: reading is everyone's."""
    return sign_in("vic")


def test_the_month_shows_each_sitting_with_its_fill_in_words_and_colour(
    viewer: TestClient,
) -> None:
    page = viewer.get("/calendar?month=2027-03").text
    text = visible_text(page)
    assert "Sittings in March 2027" in text
    # Four slots a sitting: 4 March is full, 11 March holds the other three, the rest empty.
    assert "crp 13:00 full: 4 booked, 0 min free" in text
    assert "crp 13:00 busy: 3 booked, 15 min free" in text
    assert text.count("crp 13:00 empty: 0 booked, 60 min free") == 2  # 18 and 25 March
    assert re.search(
        r'class="sitting b-full" data-band="full" href="/sittings/crp/2027-03-04"', page
    )
    assert 'data-band="busy" href="/sittings/crp/2027-03-11"' in page
    # The legend says what each colour means.
    assert "full: 90% full or more, or no slot left" in text
    # NEET sits every other Friday: 5 and 19 March.
    assert page.count('href="/sittings/neet/') == 2
    assert "Next month" in text and 'href="/calendar?month=2027-04"' in page


def test_the_month_marks_cancelled_and_extra_sittings(viewer: TestClient, db: Path) -> None:
    with Store.open(db) as store:
        cancel(store, Actor(NOW, "t"), "crp@2027-03-25", "room flooded", settings=SETTINGS)
        extra(store, Actor(NOW, "t"), "crp", datetime(2027, 3, 24).date(), settings=SETTINGS)
    page = viewer.get("/calendar?month=2027-03").text
    text = visible_text(page)
    assert "crp 13:00 cancelled: room flooded" in text
    assert "crp 13:00 extra empty: 0 booked, 60 min free" in text
    assert 'data-band="cancelled" href="/sittings/crp/2027-03-25"' in page


def test_the_calendar_can_show_one_panel(viewer: TestClient) -> None:
    page = viewer.get("/calendar?month=2027-03&panel=neet").text
    assert page.count('href="/sittings/neet/') == 2
    assert 'href="/sittings/crp/' not in page
    assert viewer.get("/calendar?panel=nope").status_code == 400
    bad = viewer.get("/calendar?month=2027-13")
    assert bad.status_code == 400
    assert "'2027-13' is not a month like 2027-01." in visible_text(bad.text)


def test_the_week_lists_each_day_and_the_cases_booked(viewer: TestClient) -> None:
    text = visible_text(viewer.get("/week?start=2027-03-03").text)
    assert "Week of Mon 01/03/2027" in text
    assert "Thu 04/03/2027 Resource Panel 13:00–14:00 full: 4 booked, 0 min free" in text
    assert "13:15 R-1 13:30 R-2 13:45 R-3" in text
    assert "Fri 05/03/2027 NEET Panel 11:00–12:00 empty" in text
    assert "Mon 01/03/2027 No sittings." in text


def test_a_sitting_shows_its_agenda_slot_by_slot_with_free_time(viewer: TestClient) -> None:
    text = visible_text(viewer.get("/sittings/crp/2027-03-11").text)
    assert "Resource Panel Thu 11/03/2027, 13:00–14:00" in text
    assert "Cut-off Mon 08/03/2027 13:00" in text
    assert "60 minutes to book; 15 free" in text
    assert "13:00–13:15 R-4 referral SW-4, TM-4" in text
    assert "13:30–13:45 R-6 referral SW-6, TM-6" in text
    # The free time, with how many slots still fit.
    assert "13:45–14:00 free: 15 min (1 slot of 15 min)" in text
    empty = visible_text(viewer.get("/sittings/crp/2027-03-18").text)
    assert "13:00–14:00 free: 60 min (4 slots of 15 min)" in empty
    assert viewer.get("/sittings/crp/2027-03-17").status_code == 404
    assert viewer.get("/sittings/crp/someday").status_code == 400


def test_the_search_finds_cases_by_any_part_of_the_reference(viewer: TestClient) -> None:
    text = visible_text(viewer.get("/cases?q=r-").text)
    assert "6 cases match." in text
    assert "R-1 R-2 R-3 R-4 R-5 R-6" in text
    exact = viewer.get("/cases?q=R-5", follow_redirects=False)
    assert exact.status_code == 303 and exact.headers["location"] == "/cases/R-5"
    assert "No case reference contains “zzz”." in visible_text(viewer.get("/cases?q=zzz").text)


def test_a_case_page_shows_its_hearings(viewer: TestClient) -> None:
    text = visible_text(viewer.get("/cases/R-5").text)
    assert "Case R-5" in text
    assert "R-5 referral crp Thu 11/03/2027 13:15" in text
    assert viewer.get("/cases/R-404").status_code == 404


def test_outcomes_to_record_lists_the_sittings_heard(viewer: TestClient) -> None:
    text = visible_text(viewer.get("/outcomes").text)
    assert "crp, Thu 04/03/2027 4:" in text and "R-1, R-2, R-3" in text
    assert "crp, Thu 11/03/2027 3: R-4, R-5, R-6" in text


def test_the_rule_checks_list_each_rule_with_its_source(viewer: TestClient) -> None:
    text = visible_text(viewer.get("/findings").text)
    assert "The validator run over the whole diary as of Fri 12/03/2027 09:00" in text
    assert re.search(r"S1 .+ passed", text)
    assert "not checked" in text


def test_the_audit_trail_filters_by_who_and_when(
    viewer: TestClient, db: Path, clock: object
) -> None:
    with Store.open(db) as store:
        cancel(store, Actor(NOW, "bob"), "crp@2027-03-25", "room flooded", settings=SETTINGS)
    everyone = visible_text(viewer.get("/audit").text)
    assert "bob cancel sitting cancelled crp@2027-03-25 room flooded" in everyone
    assert "setup add referral added R-1" in everyone
    bob = visible_text(viewer.get("/audit?user=bob").text)
    assert "setup" not in bob.split("Filter Clear")[1] and "room flooded" in bob
    early = visible_text(viewer.get("/audit?start=2027-03-01&end=2027-03-01").text)
    assert "referral added R-1" in early and "room flooded" not in early
    assert viewer.get("/audit?start=2027-03-05&end=2027-03-01").status_code == 400
    # Typed as the pages print dates (item 11 of issue 31: no mm/dd/yyyy picker), the same
    # filter: 01/03/2027 is 1 March, not 3 January.
    typed = visible_text(viewer.get("/audit?start=01/03/2027&end=01/03/2027").text)
    assert "referral added R-1" in typed and "room flooded" not in typed
    wrong = viewer.get("/audit?start=31/02/2027")
    assert wrong.status_code == 400
    assert "'31/02/2027' is not a start date like 31/01/2027." in visible_text(wrong.text)
    late = viewer.get("/audit?end=2027-02-31")
    assert "'2027-02-31' is not an end date like 31/01/2027." in visible_text(late.text)
    page = viewer.get("/audit").text
    assert 'type="date"' not in page and "For example, 01/03/2027" in visible_text(page)


def test_the_downloads_are_the_exports(viewer: TestClient) -> None:
    text = visible_text(viewer.get("/downloads").text)
    assert "from Mon 01/03/2027 to" in text
    workbook = viewer.get("/downloads/planner.xlsx")
    assert workbook.headers["content-disposition"] == 'attachment; filename="planner.xlsx"'
    sheets = load_workbook(io.BytesIO(workbook.content))
    assert sheets.sheetnames[:2] == ["crp", "neet"]
    cases = {row[8] for row in sheets["crp"].iter_rows(min_row=2, values_only=True)}
    assert {"R-1", "R-6"} <= cases
    ics = viewer.get("/downloads/planner.ics").text
    assert ics.startswith("BEGIN:VCALENDAR") and "hearing-R-1@" in ics
    html = viewer.get("/downloads/planner.html").text
    assert "<title>Testshire: forward planner</title>" in html
    outcomes = list(csv.DictReader(io.StringIO(viewer.get("/downloads/outcomes.csv").text)))
    assert len(outcomes) == 7 and {r["referral_id"] for r in outcomes} >= {"R-1", "R-6"}
    assert viewer.get("/downloads/secrets.txt").status_code == 404


def test_a_sittings_calendar_file_holds_it_and_its_slots(viewer: TestClient) -> None:
    response = viewer.get("/sittings/crp/2027-03-11/calendar.ics")
    assert response.headers["content-disposition"] == ('attachment; filename="crp-2027-03-11.ics"')
    text = response.text.replace("\r\n ", "")
    assert text.count("BEGIN:VEVENT") == 5  # the sitting, its cut-off and three slots
    assert "hearing-R-4@" in text and "hearing-R-1@" not in text
    assert "DTSTART;TZID=Europe/London:20270311T130000" in text


def test_the_diary_is_read_again_only_after_a_change(viewer: TestClient, db: Path) -> None:
    before = visible_text(viewer.get("/sittings/crp/2027-03-25").text)
    assert "free: 60 min" in before
    with Store.open(db) as store:
        cancel(store, Actor(NOW, "t"), "crp@2027-03-25", "room flooded", settings=SETTINGS)
    after = visible_text(viewer.get("/sittings/crp/2027-03-25").text)
    assert "cancelled: room flooded" in after and "This sitting is cancelled." in after


def test_the_footer_says_when_the_diary_is_as_of(viewer: TestClient) -> None:
    assert NOW.tzinfo is None and datetime.now(UTC).year >= 2026
    assert "Diary as of Fri 12/03/2027 09:00." in visible_text(viewer.get("/calendar").text)
