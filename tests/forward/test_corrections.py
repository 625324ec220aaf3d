"""amend and remove-extra: putting right an outcome recorded wrongly and an extra sitting
added by mistake, each on a tiny case worked out by hand from the conftest calendar.

R-1, submitted Mon 1 March 09:00 (before the 13:00 cut-off), is heard on Thu 4 March at 13:00.
Deferred there, it comes back at the next sitting, Thu 11 March (S10): hearing R-1#2.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from panelsched.errors import InputError
from panelsched.forward import Store, amend, extra, remove_extra, validate_store
from panelsched.forward.diary_files import ExportRange, export
from panelsched.forward.views import sitting_views
from tests.helpers.forward import (
    FAST,
    actor,
    add_file,
    corrected_to_approve,
    deferred,
    referral,
    slots,
    write_rows,
)


def _deferred(store: Store, tmp_path: Path, **cells: str) -> None:
    """R-1 heard on 4 March and deferred there (R-1#2 booked on 11 March)."""
    deferred(store, tmp_path, **cells)
    booked = slots(store)
    assert (booked["R-1"], booked["R-1#2"]) == (
        ("crp", "2027-03-04", "13:00"),
        ("crp", "2027-03-11", "13:00"),
    )


def _no_errors(store: Store, now: str) -> None:
    found = validate_store(store.diary(), actor(now).now)
    assert [f for f in found.findings if f.severity == "error"] == []


def test_amend_withdraws_the_old_follow_up_and_books_the_new_ones(
    store: Store, tmp_path: Path
) -> None:
    _deferred(store, tmp_path)
    report = corrected_to_approve(store)
    diary = store.diary()
    assert diary.outcomes[diary.by_key["R-1"].id].outcome == "approve"
    # R-1#2 (S10) is withdrawn: out of the hearings, its 11 March booking ended.
    assert "R-1#2" not in diary.by_key and [h.id for h in diary.withdrawn] == [2]
    ended = {diary.keys[b.hearing_id]: b.end_reason for b in diary.bookings if not b.in_force}
    assert ended == {"R-1#2": "follow-up withdrawn"}
    # The approval's review (S7) is due by 10 June and booked no earlier than 28 days before,
    # 13 May: Thursday 13 May 2027 (its cut-off, Mon 10 May 13:00, is long after now).
    assert slots(store) == {
        "R-1": ("crp", "2027-03-04", "13:00"),
        "R-1#3": ("crp", "2027-05-13", "13:00"),
    }
    assert [(f.rule, f.key) for f in report.follow_ups] == [("S7", "R-1#3")]
    # Who must be told: SW-1 and TM-1, that 11 March is off and 13 May booked.
    off = "off the agenda: the outcome of R-1 was corrected to approve"
    assert [(n.person, n.key, n.date, n.change) for n in report.notices] == [
        ("SW-1", "R-1#2", date(2027, 3, 11), off),
        ("SW-1", "R-1#3", date(2027, 5, 13), "booked"),
        ("TM-1", "R-1#2", date(2027, 3, 11), off),
        ("TM-1", "R-1#3", date(2027, 5, 13), "booked"),
    ]
    assert report.lines[:2] == (
        "Amended R-1 at the Resource Panel sitting of Thu 04/03/2027 from deferred to approved.",
        "Withdrew 1 follow-up not yet heard; kept 0; created 1.",
    )
    amended = [row for row in store.audit_trail() if row[4] == "outcome amended"]
    assert [row[2:] for row in amended] == [
        (
            "clerk",
            "amend",
            "outcome amended",
            "R-1",
            "defer to approve at crp@2027-03-04 (review_date 2027-06-10): typed defer for approve",
        )
    ]
    assert diary.waiting() == ()
    _no_errors(store, "2027-03-06 09:00")


def test_a_withdrawn_follow_up_is_in_no_export(store: Store, tmp_path: Path) -> None:
    _deferred(store, tmp_path)
    amend(store, actor("2027-03-06 09:00"), "R-1", "decline", reason="wrong row", settings=FAST)
    diary = store.diary()
    views = sitting_views(diary, date(2027, 3, 1), date(2027, 3, 31))
    assert [s.key for v in views for s in v.slots] == ["R-1"]
    out = tmp_path / "out"
    out.mkdir()
    export(
        diary, ExportRange(date(2027, 3, 1), date(2027, 3, 31), actor("2027-03-06 09:00").now), out
    )
    for name in ("planner.html", "outcomes.csv"):
        assert "R-1#2" not in (out / name).read_text(encoding="utf-8")
    # Calendars that imported R-1#2's slot are told to drop it: its event is cancelled.
    events = Calendar.from_ical((out / "planner.ics").read_bytes()).walk("VEVENT")
    withdrawn = [e for e in events if "R-1#2" in str(e.get("summary"))]
    assert [str(e.get("status")) for e in withdrawn] == ["CANCELLED"]


def test_amend_keeps_a_follow_up_the_new_outcome_asks_for_too(store: Store, tmp_path: Path) -> None:
    # First CLA review Mon 15 March: Permanency Tracking within 14 days, by 29 March, not before
    # 15 March (S11): ptp sits Wed 24 March. Deferred, R-1 also comes back on 11 March (S10).
    _deferred(store, tmp_path, first_cla_review="2027-03-15")
    before = slots(store)
    assert before["R-1#3"] == ("ptp", "2027-03-24", "11:30")
    report = amend(store, actor("2027-03-06 09:00"), "R-1", "decline", reason="x", settings=FAST)
    # Declined: no S10 (withdrawn), but S11 still stands, exactly as booked, and nobody is
    # told of it again.
    after = slots(store)
    assert after == {"R-1": before["R-1"], "R-1#3": before["R-1#3"]}
    assert {n.key for n in report.notices} == {"R-1#2"}
    assert report.lines[1] == "Withdrew 1 follow-up not yet heard; kept 1; created 0."


def test_a_follow_up_already_heard_is_left_as_it_is(store: Store, tmp_path: Path) -> None:
    _deferred(store, tmp_path)
    # After 11 March 13:00 R-1#2 has been heard (its outcome not yet recorded).
    report = amend(store, actor("2027-03-11 15:00"), "R-1", "decline", reason="x", settings=FAST)
    assert "R-1#2" in slots(store)
    assert report.lines[1:] == (
        "Withdrew 0 follow-ups not yet heard; kept 0; created 0.",
        "R-1#2 (S10) was already heard: left as it is.",
    )


@pytest.mark.parametrize(
    ("key", "outcome", "reason", "message"),
    [
        ("R-9", "approve", "x", "HEARING: 'R-9' is not a hearing in the planner"),
        (
            "R-1#2",
            "approve",
            "x",
            "HEARING: 'R-1#2' has no outcome recorded; record it with `planner decide`",
        ),
        ("R-1", "maybe", "x", "--outcome: 'maybe' is not approve, decline, defer"),
        ("R-1", "approve", "  ", "--reason: give the reason the recorded outcome was wrong"),
        ("R-1", "defer", "x", "'R-1' is already recorded as defer, with the same details"),
    ],
    ids=["unknown", "undecided", "bad-outcome", "no-reason", "unchanged"],
)
def test_amend_refuses_what_it_cannot_do(
    store: Store, tmp_path: Path, key: str, outcome: str, reason: str, message: str
) -> None:
    _deferred(store, tmp_path)
    before = store.dump()
    with pytest.raises(InputError) as caught:
        amend(store, actor("2027-03-06 09:00"), key, outcome, reason=reason, settings=FAST)
    assert message in str(caught.value)
    assert store.dump() == before


# --------------------------------------------------------------------------- remove-extra


def _late_case_on_an_extra_friday(store: Store, tmp_path: Path) -> None:
    # R-1..R-4 fill Thu 4 March; R-5 (CLA review 26 March: due by 5 March) is booked late on
    # 11 March, then moves to an extra sitting on Fri 5 March.
    rows = [referral(f"R-{n}", f"2027-03-01 09:0{n}") for n in range(1, 5)]
    add_file(store, actor("2027-03-01 10:00"), write_rows(tmp_path / "r.csv", rows), settings=FAST)
    late = [referral("R-5", "2027-03-01 11:00", cla_review="2027-03-26")]
    add_file(store, actor("2027-03-01 12:00"), write_rows(tmp_path / "r5.csv", late), settings=FAST)
    extra(store, actor("2027-03-02 09:00"), "crp", date(2027, 3, 5), settings=FAST)
    assert slots(store)["R-5"] == ("crp", "2027-03-05", "13:00")


def test_removing_an_extra_sitting_rebooks_its_cases_and_leaves_no_cancellation(
    store: Store, tmp_path: Path
) -> None:
    _late_case_on_an_extra_friday(store, tmp_path)
    report = remove_extra(store, actor("2027-03-02 10:00"), "crp@2027-03-05", settings=FAST)
    diary = store.diary()
    # R-5 goes back to the first sitting with room, Thu 11 March 13:00 (late again), and its
    # social worker and team manager are told.
    assert slots(store)["R-5"] == ("crp", "2027-03-11", "13:00")
    assert [(n.person, n.date, n.change) for n in report.notices] == [
        ("SW-5", date(2027, 3, 11), "moved from Fri 05/03/2027 13:00"),
        ("TM-5", date(2027, 3, 11), "moved from Fri 05/03/2027 13:00"),
    ]
    assert [key for key, _ in report.late] == ["R-5"]
    # The Friday is gone, not cancelled: no sitting, no change in force, nothing "cancelled".
    assert diary.sitting("crp", date(2027, 3, 5)) is None
    assert diary.changes == ()
    views = sitting_views(diary, date(2027, 3, 1), date(2027, 3, 31))
    assert [v.sitting.date for v in views if v.sitting.panel == "crp"] == [
        date(2027, 3, 4),
        date(2027, 3, 11),
        date(2027, 3, 18),
        date(2027, 3, 25),
    ]
    assert not any(v.cancelled for v in views)
    out = tmp_path / "out"
    out.mkdir()
    export(
        diary, ExportRange(date(2027, 3, 1), date(2027, 3, 31), actor("2027-03-06 09:00").now), out
    )
    assert "CANCELLED" not in (out / "planner.ics").read_text(encoding="utf-8")
    page = (out / "planner.html").read_text("utf-8")
    assert "Resource Panel, Fri 05/03/2027" not in page
    assert "Resource Panel, Thu 11/03/2027" in page
    trail = [row[4:] for row in store.audit_trail() if row[3] == "remove-extra"]
    assert trail[0] == ("extra sitting removed", "crp@2027-03-05", "added by mistake")
    # The validator agrees: R-5 is heard late again (S6), and nothing else is wrong.
    found = validate_store(diary, actor("2027-03-02 10:00").now)
    errors = [(f.rule, f.referral_id) for f in found.findings if f.severity == "error"]
    assert errors == [("S6", "R-5")]


@pytest.mark.parametrize(
    ("sitting", "now", "message"),
    [
        (
            "crp@2027-03-11",
            "2027-03-02 10:00",
            "SITTING: crp on 11/03/2027 is not an extra sitting added in the planner; it is a "
            "regular sitting: use `planner cancel` instead",
        ),
        ("crp@2027-03-09", "2027-03-02 10:00", "there is no such sitting"),
        ("nope@2027-03-05", "2027-03-02 10:00", "SITTING: unknown panel 'nope'"),
        (
            "crp@2027-03-05",
            "2027-03-05 13:30",
            "the crp sitting on 05/03/2027 opened at 13:00; record what it decided instead",
        ),
    ],
    ids=["regular", "none", "panel", "opened"],
)
def test_remove_extra_refuses_what_it_cannot_do(
    store: Store, tmp_path: Path, sitting: str, now: str, message: str
) -> None:
    _late_case_on_an_extra_friday(store, tmp_path)
    before = store.dump()
    with pytest.raises(InputError) as caught:
        remove_extra(store, actor(now), sitting, settings=FAST)
    assert message in str(caught.value)
    assert store.dump() == before
