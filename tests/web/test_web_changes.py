"""Recording outcomes, cancelling a sitting and adding an extra one, through the forms: what
the page then says, what the store (and so ``planner show``) holds, and that bad input or a
sitting changed meanwhile stores nothing."""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from panelsched.forward import Actor, Store, cancel
from panelsched.forward.trail import audit_entries
from tests.helpers.forward import add_file
from tests.helpers.web import (
    NOW,
    SETTINGS,
    csrf_of,
    field_of,
    referral_rows,
    visible_text,
    write_rows,
)

HEARD = "/sittings/crp/2027-03-04"
AHEAD = "/sittings/crp/2027-03-18"


def _dump(db: Path) -> str:
    with Store.open(db) as store:
        return store.dump()


def _post_outcome(browser: TestClient, page: str, **fields: str) -> tuple[int, str]:
    data = {"csrf_token": csrf_of(page), "version": field_of(page, "version"), **fields}
    response = browser.post(f"{HEARD}/outcome", data=data)
    return response.status_code, visible_text(response.text)


def _cancel(browser: TestClient, page: str) -> Response:
    """Preview cancelling 18 March from ``page`` (as it was when opened), chair unwell: the
    preview's page."""
    data = {
        "csrf_token": csrf_of(page),
        "version": field_of(page, "version"),
        "reason": "chair unwell",
        "agreed_by": "vice-chair",
    }
    return browser.post(f"{AHEAD}/cancel", data=data)


def _confirm(browser: TestClient, preview: Response) -> Response:
    """Confirm the cancellation ``preview`` showed: the result page."""
    action = re.search(r'action="([^"]+/confirm)"', preview.text)
    assert action, visible_text(preview.text)
    return browser.post(action[1], data={"csrf_token": csrf_of(preview.text)})


def test_approving_books_the_review_and_says_where(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("chloe")
    page = browser.get(HEARD).text
    status, text = _post_outcome(
        browser, page, referral_id="R-1", outcome="approve", review_date="2027-04-30"
    )
    assert status == 200, text
    assert "R-1: approved" in text
    assert "1 approved, 0 declined, 0 deferred" in text
    # S7: the review is booked before the review date and the table says at which sitting.
    row = re.search(
        r"S7 R-1#2 review of an approval \(S7\).*?Resource Panel, (\w{3} \d\d/\d\d/2027)", text
    )
    assert row, text
    with Store.open(db) as store:
        diary = store.diary()
        entries = audit_entries(store, by="chloe")
    first = next(h for h in diary.hearings if h.referral_id == "R-1" and h.number == 1)
    assert diary.outcomes[first.id].outcome == "approve"
    assert diary.outcomes[first.id].decided_by == "chloe"
    review = next(h for h in diary.hearings if h.referral_id == "R-1" and h.number == 2)
    booked = diary.in_force[review.id]
    assert booked.date.strftime("%a %d/%m/%Y") == row[1]
    assert booked.date.isoformat() <= "2027-04-30"
    assert {e.action for e in entries} >= {"outcome recorded", "follow-up created", "booked"}
    # The sitting's page now shows the outcome, and no form for that case.
    after = browser.get(HEARD).text
    assert "Record the outcome for R-1" not in visible_text(after)
    assert re.search(r"R-1 referral SW-1, TM-1 — — approved", visible_text(after))


def test_deferring_books_the_next_sitting(sign_in: Callable[..., TestClient], db: Path) -> None:
    browser = sign_in("ada")
    page = browser.get(HEARD).text
    status, text = _post_outcome(
        browser, page, referral_id="R-2", outcome="defer", deferral_reason="papers missing"
    )
    assert status == 200, text
    assert "R-2: deferred" in text
    assert "S10 R-2#2 deferred case heard again (S10)" in text
    with Store.open(db) as store:
        diary = store.diary()
    outcome = next(o for h, o in diary.outcomes.items() if diary.by_id[h].referral_id == "R-2")
    assert outcome.record["deferral_reason"] == "papers missing"


def test_declining_needs_nothing_more(sign_in: Callable[..., TestClient]) -> None:
    browser = sign_in("ada")
    page = browser.get(HEARD).text
    status, text = _post_outcome(browser, page, referral_id="R-3", outcome="decline")
    assert status == 200 and "R-3: declined" in text
    assert "Follow-ups booked" not in text


def test_an_approval_without_a_review_date_stores_nothing(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    page = browser.get(HEARD).text
    before = _dump(db)
    status, text = _post_outcome(browser, page, referral_id="R-1", outcome="approve")
    assert status == 422
    assert "There is a problem Nothing was saved. Enter the review date the panel set" in text
    assert _dump(db) == before
    status, text = _post_outcome(
        browser,
        page,
        referral_id="R-1",
        outcome="approve",
        **{"review_date-day": "31", "review_date-month": "4", "review_date-year": "2027"},
    )
    assert status == 422 and "The review date must be a real date" in text
    status, text = _post_outcome(browser, page, referral_id="R-2", outcome="defer")
    assert status == 422 and "Enter the reason the panel deferred the case" in text
    status, text = _post_outcome(browser, page, referral_id="R-2", outcome="maybe")
    assert status == 422
    assert "Choose whether the panel approved, declined or deferred the case" in text
    assert _dump(db) == before


def test_a_case_not_heard_there_is_refused_with_the_workflows_words(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    page = browser.get(HEARD).text
    before = _dump(db)
    status, text = _post_outcome(browser, page, referral_id="R-5", outcome="decline")
    assert status == 422
    assert "'R-5' was not booked at crp on 04/03/2027; it is booked at crp on 11/03/2027" in text
    assert _dump(db) == before


def test_a_form_from_before_a_change_stores_nothing(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    stale = browser.get(HEARD).text
    status, _ = _post_outcome(browser, stale, referral_id="R-1", outcome="decline")
    assert status == 200
    after_first = _dump(db)
    # The same page, still open in another tab: its version is now out of date.
    status, text = _post_outcome(browser, stale, referral_id="R-2", outcome="decline")
    assert status == 409
    assert "Changed since you opened it" in text and "Nothing was saved." in text
    assert _dump(db) == after_first
    # Submitted twice: the second is refused, so nothing is recorded twice.
    status, _ = _post_outcome(browser, stale, referral_id="R-1", outcome="decline")
    assert status == 409
    assert _dump(db) == after_first


def test_a_change_from_the_command_line_is_seen_by_the_web_and_the_reverse(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    browser = sign_in("ada")
    page = browser.get(AHEAD).text
    with Store.open(db) as store:
        cancel(store, Actor(NOW, "cli-user"), "crp@2027-03-25", "room flooded", settings=SETTINGS)
    later = visible_text(browser.get("/sittings/crp/2027-03-25").text)
    assert "cancelled: room flooded" in later
    # The open page of 18 March did not change, so its form still works.
    status = _confirm(browser, _cancel(browser, page)).status_code
    assert status == 200
    with Store.open(db) as store:
        diary = store.diary()
        by = {c.sitting_id: c.by for c in diary.changes}
    assert by == {"crp@2027-03-25": "cli-user", "crp@2027-03-18": "ada"}


def test_cancelling_rebooks_the_cases_and_lists_who_to_tell(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    with Store.open(db) as store:
        rows = referral_rows(["R-8", "R-9"], submitted="2027-03-08 09:00")
        add_file(
            store, Actor(NOW, "setup"), write_rows(tmp_path / "more.csv", rows), settings=SETTINGS
        )
    browser = sign_in("chloe")
    page = browser.get(AHEAD).text
    assert "R-8" in visible_text(page)
    preview = _cancel(browser, page)
    shown = visible_text(preview.text)
    assert preview.status_code == 200, shown
    # Nothing is cancelled before the preview is confirmed; it says where each case would go.
    assert "This is a preview: nothing is cancelled yet." in shown
    assert "R-8 referral Resource Panel, Thu 25/03/2027 13:00–13:15 SW-1, TM-1" in shown
    assert "crp 13:00 cancelled" not in visible_text(browser.get("/calendar?month=2027-03").text)
    response = _confirm(browser, preview)
    text = visible_text(response.text)
    assert response.status_code == 200, text
    assert str(response.url).startswith("http://127.0.0.1/changes/")
    assert "2 booked cases" in text and "case(s)" not in text
    assert "SW-1 R-8 referral Resource Panel Thu 25/03/2027 13:00–13:15 moved from" in text
    with Store.open(db) as store:
        trail = audit_entries(store, by="chloe")
    assert any(
        e.action == "sitting cancelled" and "agreed by vice-chair" in e.detail for e in trail
    )
    marked = visible_text(browser.get("/calendar?month=2027-03").text)
    assert "crp 13:00 cancelled: chair unwell" in marked


def test_a_cancellation_needs_a_reason_and_who_agreed(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    page = browser.get(AHEAD).text
    before = _dump(db)
    response = browser.post(
        f"{AHEAD}/cancel",
        data={"csrf_token": csrf_of(page), "version": field_of(page, "version"), "reason": " "},
    )
    text = visible_text(response.text)
    assert response.status_code == 422
    assert "There is a problem The sitting was not cancelled." in text
    assert "Enter the reason the sitting is cancelled" in text
    assert "Enter who agreed the cancellation" in text
    assert _dump(db) == before


def test_a_sitting_already_heard_cannot_be_cancelled(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    page = browser.get(HEARD).text
    assert "Cancel the sitting" not in visible_text(page)
    before = _dump(db)
    response = browser.post(
        f"{HEARD}/cancel",
        data={
            "csrf_token": csrf_of(page),
            "version": field_of(page, "version"),
            "reason": "late",
            "agreed_by": "chair",
        },
    )
    assert response.status_code == 422
    assert "only a sitting still ahead can be cancelled" in visible_text(response.text)
    assert _dump(db) == before


def test_an_extra_sitting_takes_waiting_cases(sign_in: Callable[..., TestClient], db: Path) -> None:
    browser = sign_in("ada")
    page = browser.get("/extra").text
    response = browser.post(
        "/extra",
        data={
            "csrf_token": csrf_of(page),
            "panel": "crp",
            "date": "2027-03-17",
            "reason": "backlog",
        },
    )
    text = visible_text(response.text)
    assert response.status_code == 200, text
    assert "Added an extra" in text and "Wed 17/03/2027" in text
    calendar = visible_text(browser.get("/calendar?month=2027-03").text)
    assert "crp 13:00 extra empty: 0 booked, 60 min free" in calendar
    with Store.open(db) as store:
        trail = audit_entries(store, by="ada")
    assert [e.subject for e in trail if e.action == "extra sitting"] == ["crp@2027-03-17"]


def test_an_extra_sitting_on_a_day_it_sits_is_refused(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    page = browser.get("/extra").text
    before = _dump(db)
    for form, words in (
        ({"panel": "crp", "date": "2027-03-18"}, "already sits on 18/03/2027"),
        ({"panel": "crp", "date": "2027-03-01"}, "01/03/2027 13:00 is not ahead of now"),
        ({"panel": "nope", "date": "2027-03-17"}, "Choose the panel"),
        (
            {"panel": "crp", "date": "next week"},
            "Enter the date of the extra sitting as day, month and year",
        ),
    ):
        response = browser.post("/extra", data={"csrf_token": csrf_of(page), **form})
        assert response.status_code == 422
        assert words in visible_text(response.text)
    assert _dump(db) == before


def test_a_cancel_form_from_before_a_booking_there_stores_nothing(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    browser = sign_in("ada")
    stale = browser.get(AHEAD).text
    # From the command line, meanwhile: two referrals of 8 March, booked on 18 March.
    with Store.open(db) as store:
        rows = referral_rows(["R-8", "R-9"], submitted="2027-03-08 09:00")
        add_file(
            store,
            Actor(NOW, "cli-user"),
            write_rows(tmp_path / "more.csv", rows),
            settings=SETTINGS,
        )
    before = _dump(db)
    response = _cancel(browser, stale)
    text = visible_text(response.text)
    assert response.status_code == 409
    assert "Someone changed the diary" in text and "Nothing was cancelled." in text
    assert "Open the sitting again" in text
    assert _dump(db) == before


@contextmanager
def _worker_busy(browser: TestClient) -> Iterator[Callable[[], None]]:
    """The planning worker held by another job (an upload's preview, say) until released,
    with changes answered after a moment's wait: the change's progress page is shown."""
    web = browser.app.state.web  # type: ignore[attr-defined]
    gate = threading.Event()
    blocker = web.jobs.new("someone-else", "preview", web.workdir, {})
    web.jobs.start(blocker, lambda job: gate.wait(30))
    web.config = dataclasses.replace(web.config, wait_seconds=0.05)
    try:
        yield gate.set
    finally:
        gate.set()


def _until_done(browser: TestClient, page: str) -> None:
    for _ in range(300):
        if browser.get(f"{page}/status").headers.get("hx-refresh") == "true":
            return
        time.sleep(0.05)
    raise AssertionError("the change did not finish")


def test_a_change_that_plans_long_shows_its_progress_then_what_it_did(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("chloe")
    sitting = browser.get(HEARD).text
    before = _dump(db)
    with _worker_busy(browser) as release:
        data = {
            "csrf_token": csrf_of(sitting),
            "version": field_of(sitting, "version"),
            "referral_id": "R-3",
            "outcome": "decline",
        }
        response = browser.post(f"{HEARD}/outcome", data=data, follow_redirects=False)
        assert response.status_code == 303
        page = response.headers["location"]
        assert page.startswith("/changes/")
        waiting = visible_text(browser.get(page).text)
        assert "Recording the outcome" in waiting
        assert "Waiting for another planning run to finish" in waiting
        assert "Waiting for another" in visible_text(browser.get(f"{page}/status").text)
        # The rest of the site answers meanwhile, and nothing is saved yet.
        assert browser.get("/calendar").status_code == 200
        assert _dump(db) == before
        release()
        _until_done(browser, page)
    done = browser.get(page)
    text = visible_text(done.text)
    assert done.status_code == 200
    assert "R-3: declined" in text and "0 approved, 1 declined" in text
    assert "Back to the sitting" in text
    # Someone else's change, or one long gone, is not shown.
    assert "No such change" in visible_text(browser.get("/changes/not-a-job").text)


def test_a_change_planned_in_the_background_can_still_be_refused(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    sitting = browser.get(HEARD).text
    before = _dump(db)
    with _worker_busy(browser) as release:
        pages = []
        for reference in ("R-5", "R-1", "R-2"):
            data = {
                "csrf_token": csrf_of(sitting),
                "version": field_of(sitting, "version"),
                "referral_id": reference,
                "outcome": "decline",
            }
            response = browser.post(f"{HEARD}/outcome", data=data, follow_redirects=False)
            pages.append(response.headers["location"])
        release()
        for page in pages:
            _until_done(browser, page)
    # R-5 was never booked there; R-1 is recorded; R-2 came from the same page, now stale.
    refused = browser.get(pages[0])
    assert refused.status_code == 400
    assert "Nothing was saved. 'R-5' was not booked at crp on 04/03/2027" in visible_text(
        refused.text
    )
    assert "R-1: declined" in visible_text(browser.get(pages[1]).text)
    stale = browser.get(pages[2])
    assert stale.status_code == 409 and "Changed since you opened it" in visible_text(stale.text)
    with Store.open(db) as store:
        diary = store.diary()
    decided = sorted(diary.by_id[h].referral_id for h in diary.outcomes)
    assert decided == ["R-1"] and _dump(db) != before


def test_a_change_that_fails_unexpectedly_says_so_and_logs_no_case(
    sign_in: Callable[..., TestClient],
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from panelsched.web.routes import decisions

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("planner broke on R-3")

    monkeypatch.setattr(decisions, "decide", broken)
    browser = sign_in("ada")
    before = _dump(db)
    status, text = _post_outcome(
        browser, browser.get(HEARD).text, referral_id="R-3", outcome="decline"
    )
    assert status == 500
    assert "The change was not saved" in text and "Nothing was saved." in text
    reference = re.search(r"reference (E-[0-9A-F]{8})", text)
    assert reference, text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert reference[1] in logged and "RuntimeError" in logged and "R-3" not in logged
    assert _dump(db) == before
