"""decide: outcomes recorded, and each follow-up rule (S7, S9, S10, S11, S12, S13) booked at
once, each on a tiny case worked out by hand from the conftest calendar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from panelsched.errors import InputError
from panelsched.forward import Report, Store, init
from panelsched.forward.followups import safeguarding_team_managers
from panelsched.io.model_file import read_model_file
from tests.helpers.forward import FAST, actor, add_file, decide_file, referral, slots, write_rows


def _heard_on_4_march(store: Store, tmp_path: Path, *rows: dict[str, str]) -> None:
    # Submitted Monday 1 March before the cut-off: booked on Thursday 4 March from 13:00.
    file = write_rows(tmp_path / "referrals.csv", list(rows))
    add_file(store, actor("2027-03-01 10:00"), file, settings=FAST)


def _decide(store: Store, tmp_path: Path, rows: list[dict[str, str]], now: str) -> Report:
    return decide_file(store, actor(now), write_rows(tmp_path / "records.csv", rows), settings=FAST)


def _follow_ups(store: Store) -> dict[str, tuple[str, str, str | None]]:
    """key -> (rule, panel, booked date)."""
    diary = store.diary()
    found = {}
    for h in diary.hearings:
        if h.rule:
            booking = diary.in_force.get(h.id)
            found[diary.keys[h.id]] = (
                h.rule,
                h.panel,
                booking.date.isoformat() if booking else None,
            )
    return found


def test_deferral_goes_to_the_next_sitting(store: Store, tmp_path: Path) -> None:
    _heard_on_4_march(store, tmp_path, referral("R-1", "2027-03-01 09:00"))
    _decide(
        store,
        tmp_path,
        [{"referral_id": "R-1", "panel": "crp", "date": "2027-03-04", "outcome": "defer"}],
        "2027-03-04 17:00",
    )
    # S10: the next crp sitting after 4 March is 11 March; its slot is free.
    assert _follow_ups(store) == {"R-1#2": ("S10", "crp", "2027-03-11")}
    diary = store.diary()
    assert diary.outcomes[diary.by_key["R-1"].id].outcome == "defer"


def test_deferral_after_the_next_cutoff_still_takes_the_next_sitting(
    store: Store, tmp_path: Path
) -> None:
    _heard_on_4_march(store, tmp_path, referral("R-1", "2027-03-01 09:00"))
    # Recorded on Tuesday 9 March, after the 11 March cut-off (Monday 8 March 13:00): the
    # deferral counts as submitted when the 4 March sitting closed, so 11 March is open.
    _decide(
        store,
        tmp_path,
        [{"referral_id": "R-1", "panel": "crp", "date": "2027-03-04", "outcome": "defer"}],
        "2027-03-09 10:00",
    )
    assert _follow_ups(store)["R-1#2"] == ("S10", "crp", "2027-03-11")


def test_approval_review_is_booked_before_the_review_date(store: Store, tmp_path: Path) -> None:
    _heard_on_4_march(store, tmp_path, referral("R-1", "2027-03-01 09:00"))
    _decide(
        store,
        tmp_path,
        [
            {
                "referral_id": "R-1",
                "panel": "crp",
                "date": "2027-03-04",
                "outcome": "approve",
                "review_date": "2027-06-10",
                "approval_end": "2027-06-03",
            }
        ],
        "2027-03-04 17:00",
    )
    # S7: due by the earlier of the review date (10 June) and the approval end (3 June);
    # booked no earlier than 28 days before, 6 May, which is a Thursday: the first sitting.
    assert _follow_ups(store) == {"R-1#2": ("S7", "crp", "2027-05-06")}
    hearing = store.diary().by_key["R-1#2"]
    assert hearing.referral.review_by == date(2027, 6, 3)
    assert "approval end 03/06/2027" in hearing.due_note


def test_decline_asks_for_nothing(store: Store, tmp_path: Path) -> None:
    _heard_on_4_march(store, tmp_path, referral("R-1", "2027-03-01 09:00"))
    _decide(
        store,
        tmp_path,
        [{"referral_id": "R-1", "panel": "crp", "date": "2027-03-04", "outcome": "decline"}],
        "2027-03-04 17:00",
    )
    assert _follow_ups(store) == {}


def test_first_cla_review_invites_to_permanency_tracking(store: Store, tmp_path: Path) -> None:
    _heard_on_4_march(
        store, tmp_path, referral("R-1", "2027-03-01 09:00"), referral("R-2", "2027-03-01 09:01")
    )
    record = {"panel": "crp", "date": "2027-03-04", "outcome": "approve"}
    _decide(
        store,
        tmp_path,
        [
            {"referral_id": "R-1", **record, "first_cla_review": "2027-03-15", "child_id": "C-1"},
            # The same child on another case: invited once only.
            {"referral_id": "R-2", **record, "first_cla_review": "2027-03-15", "child_id": "C-1"},
        ],
        "2027-03-04 17:00",
    )
    # S11: within 14 days of 15 March, so by 29 March and not before 15 March: ptp sits on
    # 24 March (the 4th Wednesday), its cut-off 19 March 17:00 is met.
    assert _follow_ups(store) == {"R-1#2": ("S11", "ptp", "2027-03-24")}
    # The limit is the follow-up's own rule, as the store reads it back: a late Permanency
    # Tracking hearing is cited as S11, not as a plain deadline (S14).
    diary = store.diary()
    [invited] = [h for h in diary.hearings if h.rule == "S11"]
    due = diary.authority.due(invited.referral)
    assert due is not None and (due.date, due.rule) == (date(2027, 3, 29), "S11")


def test_still_neet_is_reviewed_within_three_months(store: Store, tmp_path: Path) -> None:
    # Submitted Friday 26 February, before the 5 March neet cut-off (4 working days before:
    # Monday 1 March 17:00): heard on 5 March.
    rows = write_rows(tmp_path / "neet.csv", [referral("R-1", "2027-02-26 10:00", panel="neet")])
    add_file(store, actor("2027-03-01 08:30"), rows, settings=FAST)
    assert slots(store)["R-1"] == ("neet", "2027-03-05", "11:00")
    _decide(
        store,
        tmp_path,
        [
            {
                "referral_id": "R-1",
                "panel": "neet",
                "date": "2027-03-05",
                "outcome": "approve",
                "still_neet": "yes",
            }
        ],
        "2027-03-05 14:00",
    )
    # S12: within 3 months of 5 March, by 5 June; from 28 days before (8 May): the neet
    # Fridays then are 14 May and 28 May, so 14 May.
    assert _follow_ups(store) == {"R-1#2": ("S12", "neet", "2027-05-14")}
    diary = store.diary()
    [review] = [h for h in diary.hearings if h.rule == "S12"]
    due = diary.authority.due(review.referral)
    assert due is not None and (due.date, due.rule) == (date(2027, 6, 5), "S12")


def test_emergency_decision_is_ratified_at_the_next_sitting(store: Store, tmp_path: Path) -> None:
    _decide(
        store,
        tmp_path,
        [
            {
                "referral_id": "E-1",
                "panel": "crp",
                "date": "2027-03-04",
                "outcome": "approve",
                "emergency_decision": "2027-03-04 15:30",
                "social_worker": "SW-E",
                "team_manager": "TM-E",
            }
        ],
        "2027-03-05 09:00",
    )
    # S9: the first crp sitting after Thursday 4 March 15:30 is 11 March.
    assert _follow_ups(store) == {"E-1": ("S9", "crp", "2027-03-11")}
    hearing = store.diary().by_key["E-1"]
    assert hearing.referral.priority == "emergency"
    assert hearing.emergency_decision is not None


def test_court_tracking_slot_for_each_safeguarding_tm_each_month(
    tmp_path: Path, model_file: Callable[..., Path]
) -> None:
    db = tmp_path / "s13.db"
    init(db, read_model_file(model_file(tms=("TM-A", "TM-B"))), actor("2027-03-01 08:00"))
    with Store.open(db) as store:
        _heard_on_4_march(store, tmp_path, referral("R-1", "2027-03-01 09:00"))
        first = _follow_ups(store)
        # S13 on 1 March: March, April and May, two managers, one slot each: six slots, each
        # at the month's first ctp sitting (9 March, 13 April, 11 May), one after the other.
        assert first == {
            f"CT-{tm}-2027-{m:02d}": ("S13", "ctp", day)
            for tm in ("TM-A", "TM-B")
            for m, day in ((3, "2027-03-09"), (4, "2027-04-13"), (5, "2027-05-11"))
        }
        # Running again in the same month allocates nothing new; in April, June is added.
        _decide(
            store,
            tmp_path,
            [{"referral_id": "R-1", "panel": "crp", "date": "2027-03-04", "outcome": "decline"}],
            "2027-03-04 17:00",
        )
        assert _follow_ups(store) == first
        rows = write_rows(tmp_path / "april.csv", [referral("R-2", "2027-04-05 09:00")])
        add_file(store, actor("2027-04-05 10:00"), rows, settings=FAST)
        assert set(_follow_ups(store)) - set(first) == {"CT-TM-A-2027-06", "CT-TM-B-2027-06"}


def test_no_court_tracking_slot_for_a_month_whose_sittings_have_passed(
    tmp_path: Path, model_file: Callable[..., Path]
) -> None:
    db = tmp_path / "late.db"
    # On Wednesday 24 March both March ctp sittings (9th, 23rd) have passed; of this month
    # and the next two, April and May remain.
    init(db, read_model_file(model_file(tms=("TM-A",))), actor("2027-03-24 08:00"))
    with Store.open(db) as store:
        rows = write_rows(tmp_path / "r.csv", [referral("R-1", "2027-03-24 09:00")])
        add_file(store, actor("2027-03-24 10:00"), rows, settings=FAST)
        assert sorted(_follow_ups(store)) == ["CT-TM-A-2027-04", "CT-TM-A-2027-05"]


@pytest.mark.parametrize(
    "value", ["TM-A", [""], [1, 2], {"a": 1}], ids=["text", "empty", "numbers", "mapping"]
)
def test_a_bad_safeguarding_list_is_named(
    tmp_path: Path, model_file: Callable[..., Path], value: object
) -> None:
    import yaml

    from panelsched.io.model_file import load_model

    path = model_file(tms=("TM-A",))
    data = yaml.safe_load(path.read_text())
    data["panels"][3]["rules"]["safeguarding_team_managers"] = value
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(InputError) as caught:
        safeguarding_team_managers(load_model(path))
    assert "panel 'ctp', key 'rules.safeguarding_team_managers'" in str(caught.value)


# --------------------------------------------------------------------------- bad records


_HEARD = {"referral_id": "R-1", "panel": "crp", "date": "2027-03-04", "outcome": "approve"}


@pytest.mark.parametrize(
    ("row", "now", "column", "message"),
    [
        (
            {**_HEARD, "date": "2027-03-11"},
            "2027-03-12 09:00",
            "date",
            "'R-1' was not booked at crp on 11/03/2027; it is booked at crp on 04/03/2027",
        ),
        ({**_HEARD, "referral_id": "R-77"}, "2027-03-05 09:00", "referral_id", "not in the"),
        (_HEARD, "2027-03-04 12:00", "date", "which has not happened yet"),
        (
            {**_HEARD, "sitting_cancelled": "yes"},
            "2027-03-05 09:00",
            "sitting_cancelled",
            "`panelsched planner cancel`",
        ),
        (
            {**_HEARD, "referral_id": "E-1", "emergency_decision": "2027-03-03 18:00"},
            "2027-03-05 09:00",
            "date",
            "dated the day it was taken, 03/03/2027",
        ),
        (
            {**_HEARD, "referral_id": "E-1", "emergency_decision": "2027-03-04 18:00"},
            "2027-03-05 09:00",
            "social_worker",
            "name who presents the ratification",
        ),
        (
            {**_HEARD, "referral_id": "E-1", "emergency_decision": "2027-03-04 18:00"},
            "2027-03-04 17:00",
            "emergency_decision",
            "is after now",
        ),
        ({**_HEARD, "outcome": "maybe"}, "2027-03-05 09:00", "outcome", "is not an outcome"),
    ],
    ids=[
        "other-date",
        "unknown-case",
        "not-yet",
        "cancelled",
        "emergency-date",
        "emergency-people",
        "emergency-future",
        "bad-outcome",
    ],
)
def test_bad_records_change_nothing_and_are_named(
    store: Store, tmp_path: Path, row: dict[str, str], now: str, column: str, message: str
) -> None:
    _heard_on_4_march(store, tmp_path, referral("R-1", "2027-03-01 09:00"))
    before = store.dump()
    with pytest.raises(InputError) as caught:
        _decide(store, tmp_path, [row], now)
    assert store.dump() == before
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, column)
    assert message in problem.message


def test_an_outcome_is_recorded_once(store: Store, tmp_path: Path) -> None:
    _heard_on_4_march(store, tmp_path, referral("R-1", "2027-03-01 09:00"))
    _decide(store, tmp_path, [_HEARD], "2027-03-05 09:00")
    before = store.dump()
    with pytest.raises(InputError, match="was already recorded \\(approve\\)"):
        _decide(store, tmp_path, [_HEARD], "2027-03-05 10:00")
    assert store.dump() == before


# --------------------------------------------------------------------------- blanks and warnings


def _two_heard(store: Store, tmp_path: Path) -> None:
    _heard_on_4_march(
        store, tmp_path, referral("R-1", "2027-03-01 09:00"), referral("R-2", "2027-03-01 09:05")
    )


def test_a_row_left_blank_is_not_decided_yet_and_is_skipped(store: Store, tmp_path: Path) -> None:
    # The outcomes file as `export` writes it: R-1 decided, R-2's outcome left blank.
    _two_heard(store, tmp_path)
    rows = [
        {**_HEARD, "review_date": "2027-06-10"},
        {**_HEARD, "referral_id": "R-2", "outcome": "", "review_date": ""},
    ]
    report = _decide(store, tmp_path, rows, "2027-03-05 09:00")
    diary = store.diary()
    assert [diary.keys[h] for h in diary.outcomes] == ["R-1"]
    assert "Skipped 1 row with no outcome, not decided yet: R-2 (crp 04/03/2027)." in (report.lines)
    assert report.warnings == ()
    # Filled in next week, the same row is recorded then.
    _decide(
        store,
        tmp_path,
        [{**_HEARD, "referral_id": "R-2", "outcome": "decline"}],
        "2027-03-08 09:00",
    )
    assert store.diary().outcomes[store.diary().by_key["R-2"].id].outcome == "decline"


def test_approval_without_review_date_and_deferral_without_reason_are_warned(
    store: Store, tmp_path: Path
) -> None:
    _two_heard(store, tmp_path)
    rows = [_HEARD, {**_HEARD, "referral_id": "R-2", "outcome": "defer"}]
    report = _decide(store, tmp_path, rows, "2027-03-05 09:00")
    # Both are recorded (R-2's deferral is booked again, S10); each gap is named with its rule.
    assert len(store.diary().outcomes) == 2
    assert report.warnings == (
        "R-1 at crp on 04/03/2027: approved with no review date, so no review is booked (S7)",
        "R-2 at crp on 04/03/2027: deferred with no reason recorded (P16)",
    )


def test_a_blank_outcome_with_other_cells_is_skipped_with_a_warning(
    store: Store, tmp_path: Path
) -> None:
    _two_heard(store, tmp_path)
    rows = [{**_HEARD, "outcome": "", "review_date": "2027-06-10"}]
    report = _decide(store, tmp_path, rows, "2027-03-05 09:00")
    assert store.diary().outcomes == {}
    assert report.warnings == (
        "R-1 at crp on 04/03/2027: no outcome, so the row was skipped as not decided yet, its "
        "other cells too",
    )
