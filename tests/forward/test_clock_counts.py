"""Statutory clocks counted per clock and month (issue 26, "Counted"), on the diary of
tests/helpers/clock_counts.py, whose bookings and outcomes are worked out there."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from panelsched.forward import Settings, Store, add, decide, init
from panelsched.forward.clock_counts import (
    CLOCK_COLUMNS,
    ClockMonth,
    clock_counts,
    months,
)
from panelsched.forward.diary import Diary
from panelsched.io.inputs import load_referrals
from panelsched.io.model_file import read_model_file
from panelsched.io.records import load_records
from tests.helpers.clock_counts import DECIDED, booked_dates, build_clock_diary
from tests.helpers.clocks import SEN_MODEL
from tests.helpers.forward import actor

CLOCK = ("ehc-assessment-decision", "6-week assessment decision", "SEND Regulations 2014, reg. 5")


@pytest.fixture(scope="module")
def diary(tmp_path_factory: pytest.TempPathFactory) -> Diary:
    db = build_clock_diary(tmp_path_factory.mktemp("clocks"))
    with Store.open(db) as store:
        return store.diary()


def test_the_bookings_are_those_the_counts_are_worked_from(diary: Diary) -> None:
    assert booked_dates(diary) == {
        "J-1": "2027-07-07", "J-2": "2027-07-07", "J-3": "2027-07-14", "J-4": "2027-07-14",
        "J-5": "2027-07-21", "J-6": "2027-07-21", "K-1": "2027-07-28", "K-2": "2027-07-28",
        "K-3": "2027-08-04", "X-1": "2027-08-04",
    }  # fmt: skip
    assert sorted(diary.keys[h] for h in diary.outcomes) == ["J-1", "J-2", "J-3", "J-5", "J-6"]


def test_the_counts_match_a_count_made_by_hand(diary: Diary) -> None:
    # June (clocks started 01/06/2027; X-1 is an annual review, not counted): J-1..J-6, 6.
    # - in time: J-1, J-2 heard 07/07, on or before their last viable sitting 09/07; J-6
    #   heard 21/07, before its paused clock's 01/09: 3.
    # - late: J-3 heard 14/07, 5 days after 09/07; J-5 heard 21/07, 12 days after: 2, median
    #   (5 + 12) / 2 = 8.5 days, most 12.
    # - paused: J-6, 1. Open: J-4 (heard 14/07, no outcome), its 09/07 gone by on 22/07: 1.
    # - share in time: 3 of the 5 decided, 60%.
    # July: K-1, K-2 (02/07) and K-3 (05/07), 3, none heard by 22/07, their last viable
    # sittings 11/08 and 12/08 still ahead: 3 open in time.
    june, july = clock_counts(diary, date(2027, 6, 1), date(2027, 7, 31), DECIDED)
    assert june == ClockMonth(
        *CLOCK, date(2027, 6, 1), started=6, in_time=3, late=2, days_late=(5, 12), paused=1,
        open_in_time=0, open_past=1,
    )  # fmt: skip
    assert (june.decided, june.share_in_time) == (5, 0.6)
    assert (june.median_days_late, june.most_days_late) == (8.5, 12)
    assert july == ClockMonth(*CLOCK, date(2027, 7, 1), started=3, open_in_time=3)
    assert (july.share_in_time, july.median_days_late, july.most_days_late) == (None, None, None)


def test_outcomes_recorded_after_now_are_not_counted_yet(diary: Diary) -> None:
    # As of Wed 21/07/2027 18:00 no outcome is recorded yet (they were on 22/07): J-1..J-5's
    # last viable sitting 09/07 has gone by (5 open, past it); J-6's 01/09 is ahead (1).
    (june,) = clock_counts(diary, date(2027, 6, 1), date(2027, 6, 30), datetime(2027, 7, 21, 18))
    assert (june.started, june.decided, june.open_past, june.open_in_time) == (6, 0, 5, 1)
    assert june.paused == 1


def test_months_without_cases_are_rows_of_zeros(diary: Diary) -> None:
    # May to August 2027: only June and July have requests.
    rows = clock_counts(diary, date(2027, 5, 15), date(2027, 8, 1), DECIDED)
    assert [r.month for r in rows] == [date(2027, m, 1) for m in (5, 6, 7, 8)]
    assert [r.started for r in rows] == [0, 6, 3, 0]


def test_months_run_across_the_year_end() -> None:
    assert months(date(2027, 11, 30), date(2028, 2, 1)) == [
        date(2027, 11, 1), date(2027, 12, 1), date(2028, 1, 1), date(2028, 2, 1),
    ]  # fmt: skip


def test_a_model_without_clocks_counts_nothing(store: Store) -> None:
    assert clock_counts(store.diary(), date(2027, 1, 1), date(2027, 12, 31), DECIDED) == ()


def test_a_row_gives_the_figures_in_the_order_of_the_columns(diary: Diary) -> None:
    (june,) = clock_counts(diary, date(2027, 6, 1), date(2027, 6, 30), DECIDED)
    assert dict(zip(CLOCK_COLUMNS, june.row(), strict=True)) == {
        "clock": CLOCK[1], "source": CLOCK[2], "month": date(2027, 6, 1), "started": 6,
        "decided_in_time": 3, "decided_late": 2, "median_days_late": 8.5, "most_days_late": 12,
        "share_in_time": 0.6, "paused": 1, "open_in_time": 0, "open_past_last_sitting": 1,
    }  # fmt: skip


PLAN_CLOCK = """\
clocks:
  - id: ehc-plan
    name: 20-week EHC plan
    applies_to: {request_type: [ehc-needs-assessment]}
    starts: requested
    length: 20 weeks
    source: SEND Regulations 2014, reg. 13
"""


def test_a_deferred_case_counts_once_under_each_clock_when_heard_again(tmp_path: Path) -> None:
    # R-1, requested Fri 02/07/2027, is heard Wed 07/07 and deferred, then heard again at the
    # next sitting, Wed 14/07 (S10), and approved. Two clocks apply: the authority's 20-week
    # plan clock (02/07 + 140 days = Fri 19/11/2027, no time after the panel) and the panel's
    # 6-week one (last viable sitting Wed 11/08/2027). The deferral decides nothing: as of
    # 14/07 08:00 the case is open under both, in time; once the approval of 14/07 is
    # recorded it is decided in time under both, and counted once under each.
    model = tmp_path / "sen.yaml"
    model.write_text(SEN_MODEL.replace("panels:\n", PLAN_CLOCK + "panels:\n"), encoding="utf-8")
    referrals = tmp_path / "r.csv"
    referrals.write_text(
        "referral_id,panel,submitted,social_worker,team_manager,request_type,requested\n"
        "R-1,sen,2027-07-05 09:00,SW-1,TM-1,ehc-needs-assessment,02/07/2027\n",
        encoding="utf-8",
    )
    db = tmp_path / "p.db"
    init(db, read_model_file(model), actor("2027-07-05 10:00"))
    greedy = Settings(method="greedy")
    with Store.open(db) as store:
        loaded = list(load_referrals(referrals, store.model()))
        add(store, actor("2027-07-05 10:00"), loaded, referrals_file=str(referrals),
            settings=greedy)  # fmt: skip
        for day, outcome, at in (("2027-07-07", "defer", "2027-07-08 09:00"),
                                 ("2027-07-14", "approve", "2027-07-15 09:00")):  # fmt: skip
            records = tmp_path / f"{day}.csv"
            records.write_text(
                "referral_id,panel,date,outcome,deferral_reason\n"
                f"R-1,sen,{day},{outcome},papers incomplete\n",
                encoding="utf-8",
            )
            decide(store, actor(at), load_records(records, store.model()), settings=greedy)
        diary = store.diary()
    assert [diary.keys[h.id] for h in diary.hearings] == ["R-1", "R-1#2"]
    july = (date(2027, 7, 1), date(2027, 7, 31))
    waiting = clock_counts(diary, *july, datetime(2027, 7, 14, 8))
    assert [(r.clock, r.started, r.decided, r.open_in_time) for r in waiting] == [
        ("ehc-plan", 1, 0, 1),
        ("ehc-assessment-decision", 1, 0, 1),
    ]
    decided = clock_counts(diary, *july, datetime(2027, 7, 15, 10))
    assert [(r.clock, r.started, r.in_time, r.late, r.open_in_time) for r in decided] == [
        ("ehc-plan", 1, 1, 0, 0),
        ("ehc-assessment-decision", 1, 1, 0, 0),
    ]
