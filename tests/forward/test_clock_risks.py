"""The statutory clocks at risk (issue 26, "warned of ahead"): a season of Peterborough SEN
requests (tests/helpers/sen_season.py, where every date below is worked out by hand) and
:func:`clock_risks` naming each case that will miss its clock, weeks before it ends."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date, datetime
from pathlib import Path

import pytest

from panelsched.forward import Diary, Store
from panelsched.forward.clock_risks import ClockRisk, clock_risks
from tests.helpers.sen_season import NOW, PANEL, WHY_AWAY, WHY_FULL, WHY_NO_SITTING, build_season

SIX_WEEKS = "SEND Regulations 2014, reg. 5"


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory) -> Diary:
    db = build_season(tmp_path_factory.mktemp("season"))
    with Store.open(db) as store:
        return store.diary()


def _row(
    key: str,
    requested: date,
    ends: date,
    last: date,
    booked: date | None,
    state: str,
    late: int | None,
    why: str,
    left: int,
) -> ClockRisk:
    return ClockRisk(
        key, key, "pbo-sen", PANEL, "ehc-assessment-decision", "6-week assessment decision",
        SIX_WEEKS, requested, ends, last, booked, state, late, why, left,  # type: ignore[arg-type]
    )  # fmt: skip


def test_six_weeks_ahead_names_each_case_that_will_miss_with_why(season: Diary) -> None:
    # As of Mon 01/02/2027 (days left count from it), 6 weeks reach 15/03/2027. Fewest first:
    # S-4 last sitting Fri 12/02 (11 days): its first sitting is 16/02, booked 02/03, 18 late;
    # S-3 Fri 19/02 (18 days): 16/02, the only sitting in time, is full; 02/03 is 11 late;
    # S-5 Wed 03/03 (30 days): SW-5 away on 16/02 and 02/03, not booked at all;
    # S-2 Thu 04/03 (31) and S-1 Thu 11/03 (38): booked 02/03, in time.
    # S-6's 20-week clock leaves Fri 23/04 (81 days): beyond the 6 weeks.
    mar2 = date(2027, 3, 2)
    expected = [
        _row("S-4", date(2027, 1, 5), date(2027, 2, 16), date(2027, 2, 12), mar2,
             "booked late", 18, WHY_NO_SITTING, 11),
        _row("S-3", date(2027, 1, 12), date(2027, 2, 23), date(2027, 2, 19), mar2,
             "booked late", 11, WHY_FULL, 18),
        _row("S-5", date(2027, 1, 22), date(2027, 3, 5), date(2027, 3, 3), None,
             "not bookable in time", None, WHY_AWAY, 30),
        _row("S-2", date(2027, 1, 25), date(2027, 3, 8), date(2027, 3, 4), mar2,
             "booked in time", None, "", 31),
        _row("S-1", date(2027, 2, 1), date(2027, 3, 15), date(2027, 3, 11), mar2,
             "booked in time", None, "", 38),
    ]  # fmt: skip
    found = clock_risks(season, NOW, 6)
    assert [astuple(r) for r in found] == [astuple(r) for r in expected]
    assert [r.key for r in found if r.will_miss] == ["S-4", "S-3", "S-5"]
    assert [r.state_words for r in found[:2]] == [
        "booked late, by 18 days",
        "booked late, by 11 days",
    ]


@pytest.mark.parametrize(
    ("weeks", "keys"),
    [
        # 1 week reaches 08/02: nothing falls due by then.
        (1, []),
        # 2 weeks reach 15/02: S-4's 12/02 only.
        (2, ["S-4"]),
        # 12 weeks reach 26/04: S-6's 20-week plan clock (last sitting 23/04, 81 days) too.
        (12, ["S-4", "S-3", "S-5", "S-2", "S-1", "S-6"]),
    ],
)
def test_the_weeks_ahead_choose_by_the_last_sitting(
    season: Diary, weeks: int, keys: list[str]
) -> None:
    found = clock_risks(season, NOW, weeks)
    assert [r.key for r in found] == keys
    if "S-6" in keys:
        six = found[-1]
        assert (six.clock_id, six.clock_name, six.source) == (
            "ehc-plan-decision",
            "20-week final plan",
            "SEND Regulations 2014, reg. 13",
        )
        # 04/01/2027 + 140 days = Mon 24/05/2027; 20 working days back (03/05 a bank
        # holiday) leave Fri 23/04/2027.
        assert (six.clock_end, six.last_sitting, six.days_left) == (
            date(2027, 5, 24),
            date(2027, 4, 23),
            81,
        )


def test_a_last_sitting_passed_while_still_open_stays_listed(season: Diary) -> None:
    # On Mon 22/02/2027 at 09:00, with 1 week ahead (to 01/03): S-4's 12/02 passed 10 days ago
    # and S-3's 19/02 3 days ago, both still booked for 02/03 and undecided; S-5's 03/03 and
    # S-2's 04/03 are beyond the week.
    found = clock_risks(season, datetime(2027, 2, 22, 9, 0), 1)
    assert [(r.key, r.days_left, r.days_left_words, r.state) for r in found] == [
        ("S-4", -10, "10 days ago", "booked late"),
        ("S-3", -3, "3 days ago", "booked late"),
    ]


def test_only_the_panels_asked_for(season: Diary) -> None:
    assert clock_risks(season, NOW, 6, ["pbo-esp"]) == ()
    assert len(clock_risks(season, NOW, 6, ["pbo-sen"])) == 5


def test_a_decided_case_is_no_longer_at_risk(tmp_path: Path) -> None:
    # S-4 heard on 02/03 and decided: off the list as of Wed 03/03 09:00 (with 1 week: S-4
    # and S-3 are past; S-5's 03/03 is today; S-2's 04/03 tomorrow).
    from panelsched.forward import Actor, Settings, decide
    from panelsched.io.records import load_records

    db = build_season(tmp_path)
    records = tmp_path / "outcomes.csv"
    records.write_text("referral_id,panel,date,outcome\nS-4,pbo-sen,2027-03-02,approve\n")
    when = datetime(2027, 3, 3, 9, 0)
    with Store.open(db) as store:
        before = [r.key for r in clock_risks(store.diary(), when, 1)]
        decide(
            store,
            Actor(when, "clerk"),
            load_records(records, store.model()),
            settings=Settings(time_limit=1.0),
        )
        after = [r.key for r in clock_risks(store.diary(), when, 1)]
    assert before == ["S-4", "S-3", "S-5", "S-2"]
    assert after == ["S-3", "S-5", "S-2"]
