"""Booking referrals from an uploaded file: problems row by row with nothing stored, a preview
that stores nothing, then the confirmation that books what the preview showed."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from panelsched.forward import Actor, Store, cancel
from panelsched.forward.trail import audit_entries
from tests.helpers.web import NOW, SETTINGS, csrf_of, referral_rows, visible_text, write_rows


def _dump(db: Path) -> str:
    with Store.open(db) as store:
        return store.dump()


def _csv(tmp_path: Path, references: list[str], submitted: str = "2027-03-08 09:00") -> bytes:
    return write_rows(tmp_path / "week.csv", referral_rows(references, submitted)).read_bytes()


def _upload(
    browser: TestClient, content: bytes, name: str = "week-11.csv", **extra: str
) -> tuple[int, str, str]:
    """Upload a file; returns the status, the page's text and its address, once planned."""
    form = browser.get("/upload").text
    response = browser.post(
        "/upload",
        data={"csrf_token": csrf_of(form), **extra},
        files={"referrals": (name, content, "text/csv")},
    )
    return response.status_code, *_finished(browser, str(response.url))


def _finished(browser: TestClient, url: str) -> tuple[str, str]:
    deadline = time.monotonic() + 30
    while True:
        page = browser.get(url)
        text = visible_text(page.text)
        if "Planning:" not in text and "Waiting for another" not in text:
            return text, url
        assert time.monotonic() < deadline, "the planning did not finish"
        time.sleep(0.05)


def test_a_clean_file_is_previewed_then_booked_on_confirmation(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    browser = sign_in("ada")
    before = _dump(db)
    status, text, url = _upload(browser, _csv(tmp_path, ["R-8", "R-9"]))
    assert status == 200
    assert "This is a preview: nothing is stored yet. 2 hearings would be booked" in text
    assert "R-8 referral Resource Panel Thu 18/03/2027 13:00–13:15 booked" in text
    assert "R-9 referral Resource Panel Thu 18/03/2027 13:15–13:30 booked" in text
    assert _dump(db) == before
    page = browser.get(url).text
    confirmed = browser.post(f"{url}/confirm", data={"csrf_token": csrf_of(page)})
    text, _ = _finished(browser, str(confirmed.url))
    assert "Booked. The diary now holds these bookings" in text
    assert "R-8 referral Resource Panel Thu 18/03/2027 13:00–13:15 booked" in text
    with Store.open(db) as store:
        diary = store.diary()
        trail = audit_entries(store, by="ada")
    booked = {diary.keys[h]: b.sitting_id for h, b in diary.in_force.items()}
    assert booked["R-8"] == booked["R-9"] == "crp@2027-03-18"
    assert {e.subject for e in trail if e.action == "referral added"} == {"R-8", "R-9"}
    assert next(e.command for e in trail if e.subject == "R-8") == "add"
    sitting = visible_text(browser.get("/sittings/crp/2027-03-18").text)
    assert "13:00–13:15 R-8 referral SW-1, TM-1" in sitting


def test_confirming_twice_books_once(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    browser = sign_in("ada")
    _, _, url = _upload(browser, _csv(tmp_path, ["R-8"]))
    token = csrf_of(browser.get(url).text)
    first = browser.post(f"{url}/confirm", data={"csrf_token": token})
    second = browser.post(f"{url}/confirm", data={"csrf_token": token})
    assert first.url == second.url
    _finished(browser, str(first.url))
    with Store.open(db) as store:
        added = [e for e in audit_entries(store) if e.action == "referral added"]
    assert [e.subject for e in added].count("R-8") == 1


def test_a_file_with_problems_lists_them_row_by_row_and_stores_nothing(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    rows = referral_rows(["R-8", "R-9", "R-1"])
    rows[0]["panel"] = "nope"
    rows[1]["submitted"] = "31/02/2027"
    browser = sign_in("ada")
    before = _dump(db)
    status, text, _ = _upload(browser, write_rows(tmp_path / "bad.csv", rows).read_bytes())
    assert status == 200
    # Every problem at once, a case reference the diary already has among them (before, it
    # came only once the rest of the file read).
    assert "The file has 3 problems. Nothing was stored." in text
    assert "week-11.csv 2 panel unknown panel 'nope'" in text
    assert "week-11.csv 3 submitted '31/02/2027' is not a real date" in text
    assert "week-11.csv 4 referral_id 'R-1' is already in the planner" in text
    assert "Confirm" not in text
    # Capitals aside: r-1 is the diary's R-1.
    rows[2]["referral_id"] = "r-1"
    status, text, _ = _upload(browser, write_rows(tmp_path / "bad.csv", rows[2:]).read_bytes())
    assert "The file has 1 problem. Nothing was stored." in text
    assert "week-11.csv 2 referral_id 'r-1' is already in the planner as 'R-1'" in text
    assert _dump(db) == before


def test_bad_bytes_get_a_clear_message(sign_in: Callable[..., TestClient], db: Path) -> None:
    browser = sign_in("ada")
    before = _dump(db)
    status, text, _ = _upload(browser, b"\x00\x01PK\x03\x04 not a workbook", name="week.xlsx")
    assert status == 200
    assert "Nothing was stored." in text and "week.xlsx" in text
    status, text, _ = _upload(browser, b"\xff\xfe\x00garbage\x00\n\x00", name="week.csv")
    assert "Nothing was stored." in text
    assert _dump(db) == before


def test_a_file_too_large_or_of_the_wrong_kind_is_refused_before_planning(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    before = _dump(db)
    form = browser.get("/upload").text
    big = b"referral_id,panel\n" + b"R-x,crp\n" * (5 * 1024 * 1024 // 8 + 10)
    response = browser.post(
        "/upload",
        data={"csrf_token": csrf_of(form)},
        files={"referrals": ("huge.csv", big, "text/csv")},
    )
    assert response.status_code == 400
    assert "The file is larger than 5 MB. Nothing was stored." in visible_text(response.text)
    for name, content, words in (
        ("notes.txt", b"hello", "'notes.txt' is not a CSV or Excel (.xlsx) file"),
        ("empty.csv", b"  \n", "The file is empty."),
    ):
        response = browser.post(
            "/upload",
            data={"csrf_token": csrf_of(form)},
            files={"referrals": (name, content, "text/plain")},
        )
        assert response.status_code == 400
        assert words in visible_text(response.text)
    assert _dump(db) == before


def test_a_diary_changed_after_the_preview_is_not_booked(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    browser = sign_in("ada")
    _, _, url = _upload(browser, _csv(tmp_path, ["R-8"]))
    with Store.open(db) as store:
        cancel(store, Actor(NOW, "someone"), "crp@2027-03-18", "chair unwell", settings=SETTINGS)
    before = _dump(db)
    response = browser.post(f"{url}/confirm", data={"csrf_token": csrf_of(browser.get(url).text)})
    assert response.status_code == 409
    assert "Nothing was stored" in visible_text(response.text)
    assert _dump(db) == before
    # Previewed again on the diary as it is now, the case goes to the next sitting.
    again = browser.post(f"{url}/again", data={"csrf_token": csrf_of(response.text)})
    text, _ = _finished(browser, str(again.url))
    assert "R-8 referral Resource Panel Thu 25/03/2027 13:00–13:15 booked" in text


def test_only_the_uploader_sees_their_upload(
    sign_in: Callable[..., TestClient], client: TestClient, tmp_path: Path
) -> None:
    browser = sign_in("ada")
    _, _, url = _upload(browser, _csv(tmp_path, ["R-8"]))
    browser.cookies.clear()
    sign_in("chloe")
    assert browser.get(url).status_code == 403  # a chair does not book
    assert browser.get("/upload/not-a-job").status_code == 403


def test_a_planning_crash_says_so_with_a_reference_and_logs_no_case(
    sign_in: Callable[..., TestClient],
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from panelsched.web.routes import uploads

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("R-8 broke the planner")

    monkeypatch.setattr(uploads, "add", crash)
    browser = sign_in("ada")
    before = _dump(db)
    with caplog.at_level(logging.ERROR, logger="panelsched.web.error"):
        _, text, _ = _upload(browser, _csv(tmp_path, ["R-8"]))
    found = re.search(r"unexpected error \(reference (E-[0-9A-F]{8})\)\. Nothing was stored", text)
    assert found, text
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert found[1] in logged and "RuntimeError" in logged and "R-8" not in logged
    assert _dump(db) == before
