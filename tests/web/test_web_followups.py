"""Issue 31 through the forms: making room for a follow-up booked late (3), a cancellation
previewed before it is confirmed (4), reinstating a cancelled sitting (5), the error summary
and the day/month/year fields (11), the words of the sitting and extra pages (12), and the
reasons shown on the case and sitting pages (16).

The diary is tests/helpers/web.py's: crp sits on Thursdays 13:00-14:00 in four 15-minute
slots, cut-off the Monday before at 13:00; the web acts on Friday 12 March 2027 09:00, so 4
and 11 March have been heard and 18 March is the next sitting ahead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from panelsched.forward import Actor, Store, cancel
from tests.helpers.forward import add_file
from tests.helpers.web import (
    EMERGENCY_FORM,
    NOW,
    SETTINGS,
    csrf_of,
    field_of,
    referral_rows,
    visible_text,
    write_rows,
)

HEARD = "/sittings/crp/2027-03-11"
AHEAD = "/sittings/crp/2027-03-18"


def _dump(db: Path) -> str:
    with Store.open(db) as store:
        return store.dump()


def _fill_18_march(db: Path, tmp_path: Path, **columns: str) -> None:
    """Four routine referrals of Monday 8 March, before 18 March's cut-off: they fill it."""
    rows = [
        {**row, **columns}
        for row in referral_rows(["N-1", "N-2", "N-3", "N-4"], submitted="2027-03-08 09:00")
    ]
    with Store.open(db) as store:
        add_file(
            store, Actor(NOW, "setup"), write_rows(tmp_path / "n.csv", rows), settings=SETTINGS
        )


def _booked(db: Path) -> dict[str, str]:
    with Store.open(db) as store:
        diary = store.diary()
    return {diary.keys[h]: b.date.isoformat() for h, b in diary.in_force.items()}


def _defer_r5(browser: TestClient) -> Response:
    page = browser.get(HEARD).text
    return browser.post(
        f"{HEARD}/outcome",
        data={
            "csrf_token": csrf_of(page),
            "version": field_of(page, "version"),
            "referral_id": "R-5",
            "outcome": "defer",
            "deferral_reason": "papers missing",
        },
        follow_redirects=False,
    )


def _main(html: str) -> str:
    """The main content's visible text (not the navigation or footer)."""
    inside = html.split('<main id="main"', 1)[1].split(">", 1)[1]
    return visible_text(inside.split("</main>", 1)[0])


# ---------------------------------------------------------------- 3: making room


def test_a_deferral_booked_late_is_not_done_and_room_is_made_for_it(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    _fill_18_march(db, tmp_path)
    browser = sign_in("chloe")
    posted = _defer_r5(browser)
    # Post/Redirect/Get: the result has an address of its own, so a refresh resubmits nothing.
    assert posted.status_code == 303 and posted.headers["location"].startswith("/changes/")
    result = browser.get(posted.headers["location"])
    # S10: deferred on 11 March, R-5 is due at the next sitting, 18 March; 18 March holds
    # N-1..N-4 (4 x 15 min = the whole hour), so the round booked R-5#2 on 25 March: late.
    assert _booked(db)["R-5#2"] == "2027-03-25"
    assert 'class="done"' not in result.text and 'class="needs-attention"' in result.text
    text = _main(result.text)
    assert "A follow-up is booked after its due date" in text
    assert "R-5#2 (deferred case heard again (S10)): due by Thu 18/03/2027" in text
    before = _dump(db)
    preview = browser.post(
        "/make-room",
        data={"csrf_token": csrf_of(result.text), "key": "R-5#2", "back": HEARD},
    )
    shown = _main(preview.text)
    assert preview.status_code == 200, shown
    # The fewest routine cases: one 15-minute slot is needed, so one case leaves 18 March,
    # for 25 March (routine referrals have no due date, so it is not made late), and its
    # social worker and team manager are the people told.
    assert "This is a preview: nothing is moved yet. 1 routine case would move" in shown
    assert "R-5#2 (deferred case heard again (S10)), due by Thu 18/03/2027: Thu 18/03/2027" in shown
    moved = re.search(r"(N-\d) Resource Panel, Thu 25/03/2027 13:00–13:15 moved from", shown)
    assert moved, shown
    number = moved[1][-1]
    assert f"SW-{number}, TM-{number}" in shown
    assert "13:00, in time; SW-5, TM-5 would be told" in shown
    assert _dump(db) == before
    confirmed = browser.post(
        re.search(r'action="(/make-room/[^"]+/confirm)"', preview.text)[1],  # type: ignore[index]
        data={"csrf_token": csrf_of(preview.text)},
    )
    assert confirmed.status_code == 200
    assert str(confirmed.url).startswith("http://127.0.0.1/changes/")
    assert 'class="done"' in confirmed.text
    booked = _booked(db)
    assert booked["R-5#2"] == "2027-03-18" and booked[moved[1]] == "2027-03-25"
    assert sorted(k for k, d in booked.items() if d == "2027-03-18" and k != "R-5#2") == sorted(
        {"N-1", "N-2", "N-3", "N-4"} - {moved[1]}
    )


def test_room_is_not_made_when_the_diary_changed_after_the_preview(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    _fill_18_march(db, tmp_path)
    browser = sign_in("ada")
    result = browser.get(_defer_r5(browser).headers["location"])
    preview = browser.post(
        "/make-room", data={"csrf_token": csrf_of(result.text), "key": "R-5#2", "back": HEARD}
    )
    with Store.open(db) as store:
        cancel(store, Actor(NOW, "cli-user"), "crp@2027-04-01", "training", settings=SETTINGS)
    before = _dump(db)
    confirmed = browser.post(
        re.search(r'action="(/make-room/[^"]+/confirm)"', preview.text)[1],  # type: ignore[index]
        data={"csrf_token": csrf_of(preview.text)},
    )
    assert confirmed.status_code == 409
    assert "Changed since you opened it" in visible_text(confirmed.text)
    assert _dump(db) == before


def test_an_emergency_ratification_booked_late_offers_to_make_room(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    _fill_18_march(db, tmp_path)
    browser = sign_in("ada")
    page = browser.get("/between").text
    # Taken Thursday 11 March 18:00: ratified at the next sitting, 18 March (S9), which is full.
    posted = browser.post(
        "/between/emergency",
        data={"csrf_token": csrf_of(page), **EMERGENCY_FORM},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    result = browser.get(posted.headers["location"])
    assert 'class="needs-attention"' in result.text
    assert "See how to make room" in _main(result.text)
    preview = browser.post(
        "/make-room",
        data={"csrf_token": csrf_of(result.text), "key": "E-1", "back": "/between"},
    )
    assert "E-1 (ratification of an emergency decision (S9))" in _main(preview.text)
    assert "Thu 18/03/2027 13:00, in time" in _main(preview.text)


def test_a_follow_up_in_time_is_done(sign_in: Callable[..., TestClient]) -> None:
    browser = sign_in("ada")
    result = browser.get(_defer_r5(browser).headers["location"])
    # 18 March is empty: R-5#2 is booked there, in time.
    assert 'class="done"' in result.text and "make room" not in _main(result.text)


def test_make_room_needs_a_follow_up_and_a_role_that_records_outcomes(
    sign_in: Callable[..., TestClient],
) -> None:
    browser = sign_in("vic")
    page = browser.get("/calendar").text
    assert browser.post("/make-room", data={"csrf_token": csrf_of(page)}).status_code == 403


# ---------------------------------------------------------------- 4: cancelling, previewed


def _preview_cancel(browser: TestClient, reason: str = "chair unwell") -> Response:
    page = browser.get(AHEAD).text
    return browser.post(
        f"{AHEAD}/cancel",
        data={
            "csrf_token": csrf_of(page),
            "version": field_of(page, "version"),
            "reason": reason,
            "agreed_by": "vice-chair",
        },
    )


def test_cancelling_shows_which_cases_become_late_first(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    # Each N case must be heard by 18 March (its deadline).
    _fill_18_march(db, tmp_path, deadline="2027-03-18")
    browser = sign_in("ada")
    before = _dump(db)
    preview = _preview_cancel(browser)
    text = _main(preview.text)
    assert preview.status_code == 200, text
    assert _dump(db) == before
    # Without 18 March the four go to the next sittings with room: 25 March holds all four
    # (it is empty), 7 days after their due date.
    assert "This is a preview: nothing is cancelled yet." in text
    assert "4 cases booked at this sitting would move. 4 cases would be heard after their" in text
    for n in range(1, 5):
        assert re.search(rf"N-{n} Thu 18/03/2027 Thu 25/03/2027 13:\d\d 7 days late", text), text
    # The extra sitting offered instead: the latest weekday after today before the due date
    # 18/03 that is not the sitting cancelled, Wednesday 17 March.
    assert "an extra sitting on or before Wed 17/03/2027 would keep these cases in time" in text
    assert 'href="/extra?panel=crp&amp;date=2027-03-17"' in preview.text
    extra_page = browser.get("/extra?panel=crp&date=2027-03-17").text
    assert re.search(r'name="date-day" type="text" inputmode="numeric"[^>]*value="17"', extra_page)
    assert '<option value="crp" selected>' in extra_page
    # Confirmed: cancelled as the preview showed.
    confirmed = browser.post(
        re.search(r'action="([^"]+/confirm)"', preview.text)[1],  # type: ignore[index]
        data={"csrf_token": csrf_of(preview.text)},
    )
    assert confirmed.status_code == 200
    assert {k: d for k, d in _booked(db).items() if k.startswith("N-")} == {
        f"N-{n}": "2027-03-25" for n in range(1, 5)
    }
    words = _main(confirmed.text)
    assert "case(s)" not in words and "crp@" not in words


def test_a_cancellation_preview_confirmed_after_a_change_does_nothing(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    browser = sign_in("ada")
    preview = _preview_cancel(browser)
    _fill_18_march(db, tmp_path)  # meanwhile, from the command line
    before = _dump(db)
    assert "Someone changed the diary after this preview" in _main(
        browser.get(str(preview.url)).text
    )
    confirmed = browser.post(
        re.search(r'action="([^"]+/confirm)"', preview.text)[1],  # type: ignore[index]
        data={"csrf_token": csrf_of(preview.text)},
    )
    assert confirmed.status_code == 409 and _dump(db) == before


@pytest.mark.parametrize("form", ["cancel", "outcome", "reinstate"])
def test_a_forms_address_opened_again_goes_to_the_sitting(
    sign_in: Callable[..., TestClient], form: str
) -> None:
    response = sign_in("ada").get(f"{AHEAD}/{form}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == AHEAD


# ---------------------------------------------------------------- 5: reinstating


def test_a_cancelled_sitting_is_reinstated_by_name(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    with Store.open(db) as store:
        cancel(store, Actor(NOW, "t"), "crp@2027-03-25", "room flooded", settings=SETTINGS)
    browser = sign_in("ada")
    page = browser.get("/sittings/crp/2027-03-25").text
    assert "Reinstate this sitting" in _main(page)
    missing = browser.post(
        "/sittings/crp/2027-03-25/reinstate",
        data={"csrf_token": csrf_of(page), "version": field_of(page, "version"), "reason": ""},
    )
    assert missing.status_code == 422
    assert "There is a problem The sitting was not reinstated." in _main(missing.text)
    assert '<a href="#reinstate-reason">Enter why the sitting is held after all</a>' in missing.text
    done = browser.post(
        "/sittings/crp/2027-03-25/reinstate",
        data={
            "csrf_token": csrf_of(page),
            "version": field_of(page, "version"),
            "reason": "room fixed",
            "agreed_by": "chair",
        },
    )
    assert done.status_code == 200 and str(done.url).startswith("http://127.0.0.1/changes/")
    sitting = _main(browser.get("/sittings/crp/2027-03-25").text)
    assert "reinstated held after all: room fixed" in sitting
    assert "Reinstate this sitting" not in sitting
    month = _main(browser.get("/calendar?month=2027-03").text)
    assert "crp 13:00 reinstated" in month
    assert "reinstated a cancelled sitting held after all" in month
    # An extra sitting on a cancelled date is refused, pointing at the sitting to reinstate.
    with Store.open(db) as store:
        cancel(store, Actor(NOW, "t"), "crp@2027-04-01", "training", settings=SETTINGS)
    form = browser.get("/extra").text
    refused = browser.post(
        "/extra",
        data={"csrf_token": csrf_of(form), "panel": "crp", "date": "2027-04-01"},
    )
    assert refused.status_code == 422
    assert 'href="/sittings/crp/2027-04-01#reinstate">reinstate it on its page</a>' in refused.text


def test_a_viewer_gets_no_reinstate_form(sign_in: Callable[..., TestClient], db: Path) -> None:
    with Store.open(db) as store:
        cancel(store, Actor(NOW, "t"), "crp@2027-03-25", "room flooded", settings=SETTINGS)
    browser = sign_in("vic")
    assert "Reinstate" not in _main(browser.get("/sittings/crp/2027-03-25").text)
    page = browser.get("/calendar").text
    posted = browser.post(
        "/sittings/crp/2027-03-25/reinstate",
        data={"csrf_token": csrf_of(page), "reason": "x"},
    )
    assert posted.status_code == 403


# ---------------------------------------------------------------- 11: errors and date fields


def test_a_form_error_is_summarised_at_the_top_and_linked_to_its_field(
    sign_in: Callable[..., TestClient],
) -> None:
    browser = sign_in("ada")
    page = browser.get(HEARD).text
    response = browser.post(
        f"{HEARD}/outcome",
        data={
            "csrf_token": csrf_of(page),
            "version": field_of(page, "version"),
            "referral_id": "R-5",
            "outcome": "approve",
            "review_date-day": "31",
            "review_date-month": "2",
            "review_date-year": "2027",
        },
    )
    html = response.text
    assert response.status_code == 422
    assert "<title>Error: " in html
    main = html.split('<main id="main" tabindex="-1">', 1)[1]
    # The summary comes first in the main content, before the heading, and is focused.
    assert main.index('class="error-summary"') < main.index("<h1>")
    summary = re.search(r'<div class="error-summary"([^>]*)>(.*?)</div>', main, re.S)
    assert summary is not None
    assert 'role="alert"' in summary[1] and 'tabindex="-1"' in summary[1]
    assert "autofocus" in summary[1]
    link = re.search(r'<a href="#([^"]+)">The review date must be a real date</a>', summary[2])
    assert link is not None
    # The link leads to the day box of R-5's review date, whose own message is beside it.
    assert f'id="{link[1]}" name="review_date-day"' in html
    assert "31" in re.search(rf'id="{link[1]}"[^>]*value="(\d*)"', html)[0]  # type: ignore[index]
    assert html.count("The review date must be a real date") == 2


def test_dates_and_times_are_day_month_year_and_24_hour_boxes(
    sign_in: Callable[..., TestClient],
) -> None:
    browser = sign_in("ada")
    for path in (HEARD, "/extra", "/between"):
        html = browser.get(path).text
        assert 'type="date"' not in html and 'type="time"' not in html, path
        assert "Day Month Year" in visible_text(html), path
        assert 'inputmode="numeric"' in html
    between = browser.get("/between").text
    assert "Hour Minute" in visible_text(between)
    # The late-papers form is not marked late before anything is sent.
    assert 'class="stack late"' not in between and 'class="stack late-papers"' in between


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"submitted_date-day": "30"}, "Enter the date the papers came as day, month and year"),
        (
            {
                "submitted_date-day": "30",
                "submitted_date-month": "2",
                "submitted_date-year": "2027",
            },
            "The date the papers came must be a real date",
        ),
        ({"submitted_time-hour": "24", "submitted_time-minute": "00"}, "Enter a real time"),
        (
            {"submitted_time-hour": "", "submitted_time-minute": ""},
            "Enter the time the papers came",
        ),
    ],
)
def test_the_late_papers_date_and_time_boxes_refuse_what_is_not_a_moment(
    sign_in: Callable[..., TestClient], db: Path, fields: dict[str, str], message: str
) -> None:
    browser = sign_in("ada")
    page = browser.get("/between").text
    form = {
        "csrf_token": csrf_of(page),
        "referral_id": "L-1",
        "panel": "crp",
        "submitted_date-day": "16",
        "submitted_date-month": "3",
        "submitted_date-year": "2027",
        "submitted_time-hour": "8",
        "submitted_time-minute": "30",
        "social_worker": "SW-L",
        "team_manager": "TM-L",
        "agreed_by": "vice-chair",
        **fields,
    }
    if "submitted_date-day" in fields and len(fields) == 1:
        form["submitted_date-month"] = ""
    before = _dump(db)
    response = browser.post("/between/late", data=form)
    assert response.status_code == 422
    assert message in _main(response.text)
    assert _dump(db) == before


def test_the_between_forms_address_opened_again_goes_to_the_forms(
    sign_in: Callable[..., TestClient],
) -> None:
    response = sign_in("ada").get("/between/late", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/between#late"


# ---------------------------------------------------------------- 12 and 16: words, reasons


def test_the_cancel_hint_counts_cases_in_words(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    browser = sign_in("ada")
    assert "No cases are booked at it." in _main(browser.get(AHEAD).text)
    assert "Its 0 booked" not in _main(browser.get(AHEAD).text)
    _fill_18_march(db, tmp_path)
    assert "Its 4 booked cases will be booked at other sittings" in _main(browser.get(AHEAD).text)


def test_an_extra_sitting_says_why_once(sign_in: Callable[..., TestClient]) -> None:
    browser = sign_in("ada")
    form = browser.get("/extra").text
    browser.post(
        "/extra",
        data={
            "csrf_token": csrf_of(form),
            "panel": "crp",
            "date-day": "17",
            "date-month": "3",
            "date-year": "2027",
            "reason": "backlog",
        },
    )
    text = _main(browser.get("/sittings/crp/2027-03-17").text)
    assert "extra added because: backlog" in text
    assert "extra extra" not in text and text.count("backlog") == 1


def test_a_non_working_day_is_asked_about_in_words(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    form = browser.get("/extra").text
    saturday = {
        "csrf_token": csrf_of(form),
        "panel": "crp",
        "date-day": "20",
        "date-month": "3",
        "date-year": "2027",
    }
    before = _dump(db)
    refused = browser.post("/extra", data=saturday)
    text = _main(refused.text)
    assert refused.status_code == 422
    assert "20/03/2027 is a Saturday, not a working day" in text
    assert "Sit on this non-working day anyway" in text and "--" not in text
    assert _dump(db) == before
    added = browser.post("/extra", data={**saturday, "allow_non_working_day": "yes"})
    assert added.status_code == 200 and "/changes/" in str(added.url)
    assert "20/03/2027" in " ".join(_booked(db).values()) or "Sat 20/03/2027" in _main(
        browser.get("/sittings/crp/2027-03-20").text
    )


def test_the_case_page_shows_the_deferral_and_its_reason(
    sign_in: Callable[..., TestClient],
) -> None:
    browser = sign_in("ada")
    _defer_r5(browser)
    text = _main(browser.get("/cases/R-5").text)
    assert "deferred: papers missing" in text
    assert "approve" not in text and "defer " not in text


def test_a_cancelled_sitting_says_why_once(sign_in: Callable[..., TestClient], db: Path) -> None:
    with Store.open(db) as store:
        cancel(store, Actor(NOW, "t"), "crp@2027-03-25", "room flooded", settings=SETTINGS)
    text = _main(sign_in("ada").get("/sittings/crp/2027-03-25").text)
    assert text.count("room flooded") == 1


def test_making_room_for_a_follow_up_in_time_moves_nothing(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    result = browser.get(_defer_r5(browser).headers["location"])
    before = _dump(db)
    # R-5#2 is on 18 March, its due date: there is nothing to make room for.
    preview = browser.post(
        "/make-room", data={"csrf_token": csrf_of(result.text), "key": "R-5#2", "back": HEARD}
    )
    text = _main(preview.text)
    assert "No room can be made." in text
    assert "R-5#2 is no longer booked after its due date; nothing needs to move." in text
    assert "Confirm" not in text and _dump(db) == before
