"""The candidate changes, the model with changes made, and the revised model file.

``crp`` sits on Thursdays 7, 14, 21 and 28 January 2027, 13:00-14:00. January 4 to 31 has 20
working days (1 January, a bank holiday, is before the range).
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import yaml

from panelsched.advice import AdviceSettings, Change, candidates, revised_model, with_changes
from panelsched.core.panels import Authority
from panelsched.core.sittings import generate_sittings
from panelsched.io.model_file import load_model
from tests.helpers.builders import PANELS, authority

START, END = date(2027, 1, 4), date(2027, 1, 31)
FORTNIGHTLY = PANELS["crp"] | {"cadence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "anchor": "2027-01-07"}


def listed(model: Authority, settings: AdviceSettings | None = None) -> tuple[Change, ...]:
    sittings = generate_sittings(model, START, END)
    return candidates(model, sittings, ["crp"], START, END, settings or AdviceSettings())


def test_a_weekly_panel_gets_extra_days_and_both_extensions_of_each_sitting() -> None:
    # 20 working days less the 4 Thursdays it sits: 16 extra sittings; 4 sittings each 30 or
    # 60 minutes longer (14:30 and 15:00 are before the default 17:30): 8.
    found = listed(authority("crp"))
    kinds = [c.kind for c in found]
    assert (kinds.count("extra"), kinds.count("extend"), kinds.count("weekly")) == (16, 8, 0)
    assert {c.date.weekday() for c in found if c.kind == "extra"} == {0, 1, 2, 4}


def test_a_fortnightly_panel_gets_its_off_weeks_priced_apart() -> None:
    # Sitting 7 and 21 January, its off weeks are Thursdays 14 and 28 January, at the weekly
    # price 3.5; the 16 other weekdays but Thursdays are extra sittings; 2 sittings x 2.
    found = listed(authority(FORTNIGHTLY))
    weekly = [(c.date, c.cost) for c in found if c.kind == "weekly"]
    assert weekly == [(date(2027, 1, 14), 3.5), (date(2027, 1, 28), 3.5)]
    assert [c.kind for c in found].count("extra") == 16
    assert [c.kind for c in found].count("extend") == 4


def test_the_latest_end_and_weekdays_limit_what_is_offered() -> None:
    settings = AdviceSettings.model_validate(
        {"latest_end": "14:30", "extra_weekdays": ["tu"], "shorter_slot_minutes": {"crp": 10}}
    )
    found = listed(authority("crp"), settings)
    # Tuesdays 5, 12, 19, 26; only the 30-minute extension ends by 14:30; one shorter slot.
    assert [c.date.day for c in found if c.kind == "extra"] == [5, 12, 19, 26]
    assert {c.minutes for c in found if c.kind == "extend"} == {30}
    assert [(c.kind, c.minutes) for c in found if c.kind == "slot"] == [("slot", 10)]


def test_changes_made_add_up_and_the_revised_file_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(
        yaml.safe_dump({"authority": "Testshire", "panels": [PANELS["crp"]]}, sort_keys=False),
        encoding="utf-8",
    )
    model = load_model(path)
    changes = [
        Change(date(2027, 1, 12), "crp", "extra", 60, 4.0),
        Change(date(2027, 1, 14), "crp", "extend", 30, 0.5),
        Change(date(2027, 1, 14), "crp", "extend", 60, 1.0),
    ]
    made = with_changes(model, changes).panel("crp")
    # Two extensions of 14 January add up: 13:00-15:30.
    assert made.extra == (date(2027, 1, 12),)
    assert made.times == {date(2027, 1, 14): (time(13), time(15, 30))}
    revised = tmp_path / "revised.yaml"
    revised.write_text(revised_model(path, model, changes), encoding="utf-8")
    again = load_model(revised)
    days = [(s.date, s.end) for s in generate_sittings(again, date(2027, 1, 11), date(2027, 1, 15))]
    assert days == [(date(2027, 1, 12), time(14)), (date(2027, 1, 14), time(15, 30))]
    assert revised.read_text(encoding="utf-8").startswith("# model.yaml revised by panelsched")
