"""Late papers the chair agreed to take (S2) and emergency decisions (S9), through the forms of
``/between``: where the case is booked, what the page says, what the store holds, and that bad
input stores nothing."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from fastapi.testclient import TestClient

from panelsched.forward import Actor, Store
from panelsched.forward.trail import audit_entries
from tests.helpers.forward import add_file
from tests.helpers.web import EMERGENCY_FORM as EMERGENCY
from tests.helpers.web import LATE_FORM as LATE
from tests.helpers.web import (
    SETTINGS,
    csrf_of,
    referral_rows,
    visible_text,
    write_rows,
)


def _dump(db: Path) -> str:
    with Store.open(db) as store:
        return store.dump()


def _post(browser: TestClient, action: str, fields: dict[str, str]) -> tuple[int, str]:
    page = browser.get("/between").text
    response = browser.post(f"/between/{action}", data={"csrf_token": csrf_of(page), **fields})
    return response.status_code, visible_text(response.text)


def _on_tuesday_16_march(browser: TestClient) -> None:
    # After Monday 15 March 13:00, the cut-off of Thursday 18 March's sitting.
    web = browser.app.state.web  # type: ignore[attr-defined]
    web.config = dataclasses.replace(web.config, now=datetime(2027, 3, 16, 9, 0))


def _booked(db: Path, reference: str) -> str:
    with Store.open(db) as store:
        diary = store.diary()
    found = [b for h, b in diary.in_force.items() if diary.by_id[h].referral_id == reference]
    assert len(found) == 1, found
    return found[0].date.isoformat()


def test_late_papers_agreed_by_the_chair_are_heard_after_the_cut_off(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    browser = sign_in("chloe")
    _on_tuesday_16_march(browser)
    # The same papers without permission, from the command line: submitted on 16 March at
    # 08:30, after 18 March's cut-off (Monday 15 March 13:00), so 25 March is the first
    # sitting they may go to.
    with Store.open(db) as store:
        rows = referral_rows(["L-0"], submitted="2027-03-16 08:30")
        add_file(
            store,
            Actor(datetime(2027, 3, 16, 9, 0), "cli-user"),
            write_rows(tmp_path / "on-time.csv", rows),
            settings=SETTINGS,
        )
    assert _booked(db, "L-0") == "2027-03-25"
    status, text = _post(browser, "late", LATE)
    assert status == 200, text
    # With the chair's permission, 18 March (empty, still ahead) takes them.
    assert "L-1: late papers booked" in text
    assert "SW-L L-1 referral Resource Panel Thu 18/03/2027 13:00–13:15 booked" in text
    assert _booked(db, "L-1") == "2027-03-18"
    with Store.open(db) as store:
        diary = store.diary()
        entries = audit_entries(store, by="chloe")
    hearing = next(h for h in diary.hearings if h.referral_id == "L-1")
    assert hearing.referral.late_permission
    assert {e.action for e in entries} >= {"referral added", "booked"}
    agreed = [(e.subject, e.detail) for e in entries if e.action == "late papers agreed"]
    assert agreed == [("L-1", "agreed by vice-chair")]


def test_late_papers_need_every_field_and_a_new_reference(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    before = _dump(db)
    for change, words in (
        ({"agreed_by": ""}, "Enter who agreed to take the late papers"),
        ({"submitted_time": "25:00"}, "Enter a real time for the time the papers came"),
        ({"submitted_time": "08:30+01:00"}, "Enter the time the papers came as hour and minute"),
        ({"submitted_time": ""}, "Enter the time the papers came"),
        ({"submitted_date": ""}, "Enter the date the papers came"),
        ({"panel": "nope"}, "Choose the panel"),
        ({"team_manager": ""}, "Enter the team manager who presents the case"),
        ({"referral_id": "R-1"}, "'R-1' is already in the planner"),
    ):
        status, text = _post(browser, "late", {**LATE, **change})
        assert status == 422, change
        assert "There is a problem Nothing was saved." in text and words in text, text
    # What was typed stays in the form.
    page = browser.get("/between").text
    again = browser.post(
        "/between/late", data={"csrf_token": csrf_of(page), **LATE, "agreed_by": ""}
    ).text
    assert 'name="social_worker" required maxlength="100" value="SW-L"' in again
    assert 'name="agreed_by" required maxlength="100" value="" aria-invalid="true"' in again
    # The error summary links to the field, whose own message is beside it.
    assert '<a href="#late-agreed">Enter who agreed to take the late papers' in again
    assert 'id="late-agreed-error"' in again
    assert _dump(db) == before


def test_an_emergency_decision_is_ratified_at_the_next_sitting(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    status, text = _post(browser, "emergency", EMERGENCY)
    assert status == 200, text
    # Taken on Thursday 11 March at 18:00, after that day's sitting (13:00-14:00): the next
    # crp sitting, Thursday 18 March, ratifies it (S9).
    assert "E-1: emergency decision recorded" in text
    assert "1 emergency decision" in text and "decision(s)" not in text
    row = re.search(
        r"S9 E-1 ratification of an emergency decision \(S9\).*?Resource Panel, (.{14})", text
    )
    assert row and row[1] == "Thu 18/03/2027", text
    assert _booked(db, "E-1") == "2027-03-18"
    with Store.open(db) as store:
        entries = audit_entries(store, by="ada")
    assert [e.subject for e in entries if e.action == "emergency decision"] == ["E-1"]


def test_an_emergency_decision_on_a_known_case_keeps_its_presenters(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("chloe")
    # Taken this morning (Friday 12 March 08:00); R-6 was heard yesterday, its outcome not yet
    # recorded.
    fields = {
        **EMERGENCY,
        "referral_id": "R-6",
        "taken_date": "2027-03-12",
        "taken_time": "08:00",
        "social_worker": "",
        "team_manager": "",
    }
    status, text = _post(browser, "emergency", fields)
    assert status == 200, text
    # R-6 was referred with SW-6 and TM-6 (tests.helpers.web.referral_rows numbers them).
    assert "SW-6 R-6#2 ratification" in text and "TM-6 R-6#2 ratification" in text
    # On the day it was heard, the row would be that hearing's outcome: refused, said why.
    fields.update(taken_date="2027-03-11", taken_time="18:00")
    status, text = _post(browser, "emergency", fields)
    assert status == 422
    assert "R-6 is booked at crp on 11/03/2027: record its outcome on that sitting's page." in text


def test_a_bad_emergency_decision_stores_nothing(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    before = _dump(db)
    for change, words in (
        ({"social_worker": ""}, "Enter the social worker who presents the case"),
        ({"outcome": "defer"}, "Choose whether the decision was to approve or to decline"),
        ({"taken_date": "the twelfth"}, "Enter the date the decision was taken as day, month"),
        ({"taken_date": "2027-03-12", "taken_time": "17:00"}, "is after now (12/03/2027 09:00)"),
    ):
        status, text = _post(browser, "emergency", {**EMERGENCY, **change})
        assert status == 422, change
        assert "There is a problem Nothing was saved." in text and words in text, text
    assert _dump(db) == before


def test_a_viewer_sees_no_forms_and_cannot_post_them(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("vic")
    calendar = browser.get("/calendar").text
    assert "Late papers, emergencies" not in visible_text(calendar)
    assert browser.get("/between").status_code == 403
    before = _dump(db)
    for action, fields in (("late", LATE), ("emergency", EMERGENCY)):
        response = browser.post(
            f"/between/{action}", data={"csrf_token": csrf_of(calendar), **fields}
        )
        assert response.status_code == 403
        assert "Your role (viewer) cannot change the diary" in visible_text(response.text)
    assert _dump(db) == before


def test_a_panel_that_takes_no_late_papers_refuses_them(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("chloe")
    web = browser.app.state.web  # type: ignore[attr-defined]
    diary = web.diary()
    # crp as Swindon's panels are (SWI 5: no late applications at all).
    panels = tuple(
        p.model_copy(update={"late_applications": False}) if p.id == "crp" else p
        for p in diary.base.panels
    )
    strict = dataclasses.replace(diary, base=diary.base.model_copy(update={"panels": panels}))
    web.diary = lambda: strict
    page = visible_text(browser.get("/between").text)
    assert "Resource Panel takes no late papers." in page
    before = _dump(db)
    status, text = _post(browser, "late", LATE)
    assert status == 422
    assert "Resource Panel takes no late papers; the case goes to the first sitting" in text
    assert _dump(db) == before


def test_a_sitting_past_its_cut_off_points_to_the_late_papers_form(
    sign_in: Callable[..., TestClient],
) -> None:
    browser = sign_in("chloe")
    words = "The cut-off has passed. Papers that came since are heard here only with"
    # Friday 12 March: 18 March's cut-off (Monday 15 March 13:00) is still ahead.
    assert words not in visible_text(browser.get("/sittings/crp/2027-03-18").text)
    _on_tuesday_16_march(browser)
    page = browser.get("/sittings/crp/2027-03-18").text
    assert words in visible_text(page)
    link = re.search(r'href="(/between\?panel=crp#late)"', page)
    assert link
    form = browser.get(link[1]).text
    assert '<option value="crp" selected>' in form.split('action="/between/emergency"')[0]
    # A sitting already heard takes no papers at all.
    assert words not in visible_text(browser.get("/sittings/crp/2027-03-11").text)
