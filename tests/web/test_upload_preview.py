"""What the upload preview shows, and in what order (issue 31, items 8-10).

The preview puts what the administrator must weigh before confirming (a case booked after its
due date, rows that look wrong) above the Confirm button, says what it *will* do before it is
confirmed and what it *did* after, and folds a long "who to tell" table away. A file of no
referrals is refused; a file of many problems lists the first 20 and counts the rest.

The diary is Testshire's (tests/helpers/web.py): crp sits on Thursdays 13:00-14:00 in four
15-minute slots, cut-off the Monday before at 13:00; now is Friday 12 March 2027 09:00, and the
sittings from 18 March are empty.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from panelsched.forward import Store
from tests.helpers.hostile_xlsx import hostile, wide_row
from tests.helpers.web import csrf_of, referral_rows, visible_text, write_rows

HEADER = "referral_id,panel,submitted,social_worker,team_manager"


def _dump(db: Path) -> str:
    with Store.open(db) as store:
        return store.dump()


def _upload(browser: TestClient, content: bytes, name: str = "week.csv") -> tuple[str, str]:
    """Upload ``content``; the finished page's HTML and address."""
    form = browser.get("/upload").text
    response = browser.post(
        "/upload",
        data={"csrf_token": csrf_of(form)},
        files={"referrals": (name, content, "text/csv")},
    )
    return _finished(browser, str(response.url))


def _finished(browser: TestClient, url: str) -> tuple[str, str]:
    deadline = time.monotonic() + 30
    while True:
        page = browser.get(url).text
        text = visible_text(page)
        if "Planning:" not in text and "Waiting for another" not in text:
            return page, url
        assert time.monotonic() < deadline, "the planning did not finish"
        time.sleep(0.05)


def _six_referrals(tmp_path: Path) -> bytes:
    # Six referrals submitted Monday 8 March: 18 March takes four, 25 March two. R-8 must be
    # heard by Wednesday 17 March (a deadline, S14), so its booking on the 18th is late;
    # R-9 says it was submitted on Saturday 13 March, after now.
    rows = referral_rows(["R-8", "R-9", "R-10", "R-11", "R-12", "R-13"], "2027-03-08 09:00")
    for row in rows:
        row["deadline"] = ""
    rows[0]["deadline"] = "2027-03-17"
    rows[1]["submitted"] = "2027-03-13 09:00"
    return write_rows(tmp_path / "week.csv", rows).read_bytes()


def test_what_to_weigh_comes_before_the_confirm_button_and_who_to_tell_after(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    browser = sign_in("ada")
    before = _dump(db)
    page, url = _upload(browser, _six_referrals(tmp_path))
    text = visible_text(page)
    # Before: "Added 6 referral(s)" before anything was stored, and the late booking below
    # the Confirm button and a 12-row "who to tell" table.
    assert "Will add 6 referrals." in text and "Added" not in text
    assert "Will book 6 hearings." in text
    late = text.index("Would be booked after the due date")
    warning = text.index(
        "week.csv 3 submitted 'R-9' was submitted 13/03/2027 09:00, after now (12/03/2027 "
        "09:00); check the date"
    )
    confirm = text.index("Confirm and book these")
    bookings = text.index("Proposed bookings")
    tell = text.index("Who to tell")
    assert late < confirm and warning < confirm
    assert confirm < bookings < tell
    assert "R-8: Heard 25/03/2027, 8 days after 17/03/2027 (its deadline)" in text[late:confirm]
    # Six cases, each told to its social worker and team manager: 12 rows, folded away.
    assert "Show who to tell: 12 people and cases" in text
    assert "<details>" in page
    assert _dump(db) == before

    confirmed = browser.post(f"{url}/confirm", data={"csrf_token": csrf_of(page)})
    page, _ = _finished(browser, str(confirmed.url))
    text = visible_text(page)
    assert "Added 6 referrals." in text and "Booked 6 hearings." in text
    assert "Will add" not in text
    assert text.index("Booked after the due date") < text.index("Bookings made")


def test_a_short_who_to_tell_table_is_not_folded(
    sign_in: Callable[..., TestClient], tmp_path: Path
) -> None:
    browser = sign_in("ada")
    rows = referral_rows(["R-8"], "2027-03-08 09:00")
    page, _ = _upload(browser, write_rows(tmp_path / "week.csv", rows).read_bytes())
    text = visible_text(page)
    assert "Will add 1 referral." in text
    assert "<details>" not in page
    assert "SW-1 R-8 referral Resource Panel Thu 18/03/2027 13:00–13:15 booked" in text
    # Nothing to weigh: no heading asking to check anything.
    assert "Check these" not in text


def test_a_file_of_only_a_header_is_refused_with_no_confirm(
    sign_in: Callable[..., TestClient], db: Path
) -> None:
    browser = sign_in("ada")
    before = _dump(db)
    page, _ = _upload(browser, (HEADER + "\n").encode())
    text = visible_text(page)
    # Before: a preview of 0 hearings with a Confirm button.
    assert "The file has 1 problem. Nothing was stored." in text
    assert (
        "week.csv — — the file has no referrals: it has a header row and nothing under it" in text
    )
    assert "Confirm" not in text
    assert _dump(db) == before


def test_a_file_of_many_problems_lists_the_first_20_and_counts_the_rest(
    sign_in: Callable[..., TestClient], tmp_path: Path
) -> None:
    # 25 rows naming a panel that does not exist: 25 problems.
    rows = referral_rows([f"R-{n}" for n in range(100, 125)], "2027-03-08 09:00")
    for row in rows:
        row["panel"] = "nope"
    browser = sign_in("ada")
    page, _ = _upload(browser, write_rows(tmp_path / "bad.csv", rows).read_bytes())
    text = visible_text(page)
    assert "The file has 25 problems. Nothing was stored." in text
    assert "The first 20 problems, row by row" in text
    assert text.count("unknown panel 'nope'") == 20
    assert "week.csv 21 panel unknown panel" in text
    assert "week.csv 22 panel" not in text
    assert "and 5 more problems: correct these and upload the file again to see them." in text


def test_a_finished_job_keeps_only_the_problems_its_page_lists(
    sign_in: Callable[..., TestClient], client: TestClient, tmp_path: Path
) -> None:
    rows = referral_rows([f"R-{n}" for n in range(100, 125)], "2027-03-08 09:00")
    for row in rows:
        row["panel"] = "nope"
    browser = sign_in("ada")
    _, url = _upload(browser, write_rows(tmp_path / "bad.csv", rows).read_bytes())
    job = client.app.state.web.jobs.get(url.rsplit("/", 1)[1], "ada")  # type: ignore[attr-defined]
    # Before: every problem was kept for the 6 hours a job is kept (2,000,000 of them, some
    # 1 GB, for the file).
    assert (len(job.problems), job.more_problems) == (20, 5)


def test_a_hostile_workbook_is_refused_in_one_line_at_once(
    sign_in: Callable[..., TestClient], db: Path, tmp_path: Path
) -> None:
    # The 104 KB workbook of one row of 2,000,000 cells held the planning worker for
    # 98 s, took the server to 2.7 GB and gave a page of 1,999,999 problems.
    path = hostile(tmp_path / "wide.xlsx", wide_row(2_000_000))
    browser = sign_in("ada")
    before = _dump(db)
    # Refused from the row's 257th cell; how fast is benchmarks/bench_hostile_inputs.py's.
    page, _ = _upload(browser, path.read_bytes(), name="wide.xlsx")
    text = visible_text(page)
    assert "The file has 1 problem. Nothing was stored." in text
    assert (
        "wide.xlsx 2 — sheet 'Sheet1' has a row of more than 256 cells, more than panelsched "
        "reads (at most 256 columns)" in text
    )
    assert len(page) < 20_000
    assert _dump(db) == before


def test_the_problems_of_both_files_come_at_once(
    sign_in: Callable[..., TestClient], tmp_path: Path
) -> None:
    # Row 2 of the referrals names no panel that exists; row 2 of who is away ends before it
    # starts. Before, the second file's problem came only once the first file was clean.
    rows = referral_rows(["R-8"], "2027-03-08 09:00")
    rows[0]["panel"] = "nope"
    away = tmp_path / "away.csv"
    away.write_text("person,from,to\nSW-1,2027-03-20,2027-03-18\n")
    browser = sign_in("ada")
    form = browser.get("/upload").text
    response = browser.post(
        "/upload",
        data={"csrf_token": csrf_of(form)},
        files={
            "referrals": ("week.csv", write_rows(tmp_path / "w.csv", rows).read_bytes()),
            "availability": ("away.csv", away.read_bytes()),
        },
    )
    page, _ = _finished(browser, str(response.url))
    text = visible_text(page)
    assert "The files have 2 problems. Nothing was stored." in text
    assert "week.csv 2 panel unknown panel 'nope'" in text
    assert "away.csv 2 to 'to' 2027-03-18 is before 'from' 2027-03-20" in text
