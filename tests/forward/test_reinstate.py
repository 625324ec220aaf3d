"""A cancelled sitting held after all (issue 31, item 5): ``extra`` on a cancelled date is
refused, ``reinstate`` is its own action, and every view and export says so.

The conftest model's Resource Panel (crp) sits on Thursdays 13:00-14:00, four 15-minute
slots, cut-off the Monday before at 13:00. R-5, submitted Monday 1 March 11:00, has its CLA
review on 26 March, so it is due by Friday 5 March (21 days before, S6): Thursday 4 March is
its only sitting in time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from panelsched.cli import app
from panelsched.errors import InputError
from panelsched.forward import Store, cancel, extra, init, reinstate
from panelsched.forward.calendars import planner_ics_bytes
from panelsched.forward.diary_files import (
    ExportRange,
    planner_html_bytes,
    planner_xlsx_bytes,
    stamp,
)
from panelsched.forward.schema import APPLICATION_ID, MIGRATIONS
from panelsched.forward.views import sitting_views
from panelsched.io.model_file import read_model_file
from tests.helpers.forward import FAST, actor, add_file, at, model_text, referral, slots, write_rows

THURSDAY = date(2027, 3, 4)
MARCH = (date(2027, 3, 1), date(2027, 3, 31))


def _cancelled_with_r5_late(store: Store, tmp_path: Path) -> None:
    """R-5 booked on 4 March, then 4 March cancelled: R-5 moves to 11 March, late."""
    rows = write_rows(
        tmp_path / "r5.csv", [referral("R-5", "2027-03-01 11:00", cla_review="2027-03-26")]
    )
    add_file(store, actor("2027-03-01 12:00"), rows, settings=FAST)
    cancel(store, actor("2027-03-02 09:00"), "crp@2027-03-04", "chair unwell", settings=FAST)
    assert slots(store)["R-5"][:2] == ("crp", "2027-03-11")


def _unchanged(store: Store, action: Callable[[], object]) -> InputError:
    before = store.dump()
    with pytest.raises(InputError) as caught:
        action()
    assert store.dump() == before
    return caught.value


def test_extra_on_a_cancelled_date_is_refused_naming_the_panel(
    store: Store, tmp_path: Path
) -> None:
    _cancelled_with_r5_late(store, tmp_path)
    error = _unchanged(
        store, lambda: extra(store, actor("2027-03-02 10:00"), "crp", THURSDAY, settings=FAST)
    )
    # Before, this silently undid the cancellation with no mark but the audit trail.
    assert str(error) == (
        "DATE: the Resource Panel sitting of 04/03/2027 was cancelled (chair unwell); "
        "reinstate it instead"
    )


def test_reinstate_brings_the_sitting_back_and_offers_it_to_the_late_case(
    store: Store, tmp_path: Path
) -> None:
    _cancelled_with_r5_late(store, tmp_path)
    report = reinstate(
        store,
        actor("2027-03-02 10:00"),
        "crp",
        THURSDAY,
        reason="chair recovered",
        agreed_by="chair",
        settings=FAST,
    )
    diary = store.diary()
    sitting = diary.sitting("crp", THURSDAY)
    # A regular sitting again: its usual window and cut-off (Monday 1 March 13:00).
    assert sitting is not None and sitting.note == ""
    assert sitting.cutoff == at("2027-03-01 13:00")
    # R-5 was booked late (11 March, due 5 March): offered 4 March, it moves back in time.
    assert slots(store)["R-5"][:2] == ("crp", "2027-03-04")
    assert report.lines == (
        "Reinstated the Resource Panel sitting of Thu 04/03/2027: chair recovered.",
        "Offered an earlier date to 1 case booked late (1 moved); no other booking moved.",
        "Booked 0 hearings; moved 1.",
    )
    assert [(n.person, n.date, n.change) for n in report.notices] == [
        ("SW-5", THURSDAY, "moved from Thu 11/03/2027 13:00"),
        ("TM-5", THURSDAY, "moved from Thu 11/03/2027 13:00"),
    ]
    assert [c.kind for c in diary.changes] == ["cancelled", "reinstated"]
    audit = [row[4:] for row in store.audit_trail() if row[4].startswith("sitting")]
    assert audit[-1] == (
        "sitting reinstated",
        "crp@2027-03-04",
        "chair recovered (agreed by chair)",
    )
    assert store.commands()[-1][3] == "reinstate"


def test_the_views_and_exports_say_the_sitting_was_reinstated(store: Store, tmp_path: Path) -> None:
    _cancelled_with_r5_late(store, tmp_path)
    views = {v.sitting.date: v for v in sitting_views(store.diary(), *MARCH)}
    assert (views[THURSDAY].cancelled, views[THURSDAY].reinstated) == ("chair unwell", "")
    reinstate(store, actor("2027-03-02 10:00"), "crp", THURSDAY, reason="chair recovered")
    diary = store.diary()
    views = {v.sitting.date: v for v in sitting_views(diary, *MARCH) if v.sitting.panel == "crp"}
    assert (views[THURSDAY].cancelled, views[THURSDAY].reinstated) == ("", "chair recovered")
    assert views[THURSDAY].band != "cancelled"
    assert {v.reinstated for d, v in views.items() if d != THURSDAY} == {""}

    span = ExportRange(*MARCH, at("2027-03-02 10:00"))
    sheet = load_workbook(BytesIO(planner_xlsx_bytes(diary, span)))["crp"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    thursday = [r for r in rows if r["date"].date() == THURSDAY]
    assert [(r["case"], r["note"]) for r in thursday] == [("R-5", "reinstated: chair recovered")]

    page = planner_html_bytes(diary, span).decode()
    assert "Reinstated after it was cancelled: chair recovered." in page
    assert "reinstated: chair recovered" in page  # the calendar chip's title

    ics = planner_ics_bytes(diary, *MARCH, stamp(diary)).decode()
    unfolded = ics.replace("\r\n ", "")
    assert "reinstated: chair recovered" in unfolded
    assert "CANCELLED: Resource Panel" not in unfolded


def test_a_cancelled_extra_sitting_comes_back_as_an_extra_one(store: Store) -> None:
    friday = date(2027, 3, 5)
    extra(store, actor("2027-03-02 09:00"), "crp", friday, reason="backlog", settings=FAST)
    cancel(store, actor("2027-03-02 09:10"), "crp@2027-03-05", "no room", settings=FAST)
    assert store.diary().sitting("crp", friday) is None
    reinstate(store, actor("2027-03-02 09:20"), "crp", friday, reason="room found", settings=FAST)
    sitting = store.diary().sitting("crp", friday)
    assert sitting is not None and sitting.note == "extra sitting"


@pytest.mark.parametrize(
    ("panel", "day", "reason", "now", "message"),
    [
        (
            "crp",
            "2027-03-11",
            "x",
            "2027-03-02 10:00",
            "DATE: the Resource Panel sitting of 11/03/2027 is not cancelled",
        ),
        (
            "crp",
            "2027-03-05",
            "x",
            "2027-03-02 10:00",
            "DATE: the Resource Panel had no sitting on 05/03/2027 to reinstate; add an extra "
            "sitting instead",
        ),
        (
            "crp",
            "2027-03-04",
            "x",
            "2027-03-04 13:00",
            "DATE: the Resource Panel sitting of 04/03/2027 would have opened at 13:00; only a "
            "sitting still ahead can be reinstated",
        ),
        (
            "crp",
            "2027-03-04",
            "  ",
            "2027-03-02 10:00",
            "--reason: give the reason the sitting is held after all",
        ),
        ("nope", "2027-03-04", "x", "2027-03-02 10:00", "PANEL: unknown panel 'nope'"),
    ],
    ids=["not-cancelled", "no-sitting", "past", "no-reason", "panel"],
)
def test_reinstate_refuses_what_it_cannot_do(
    store: Store, tmp_path: Path, panel: str, day: str, reason: str, now: str, message: str
) -> None:
    _cancelled_with_r5_late(store, tmp_path)
    error = _unchanged(
        store,
        lambda: reinstate(
            store, actor(now), panel, date.fromisoformat(day), reason=reason, settings=FAST
        ),
    )
    assert str(error).startswith(message)


def _old_diary(path: Path) -> None:
    """A planner file as the release before reinstating made it (schema version 4), with a
    cancelled sitting, an extra one and an extra one removed."""
    db = sqlite3.connect(path)
    for migration in MIGRATIONS[:4]:
        for statement in migration.statements:
            db.execute(statement)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 4")
    db.execute(
        "INSERT INTO commands (id, at, by, command) VALUES (1, '2027-03-01T08:00', 'a', 'init')"
    )
    db.execute("INSERT INTO store_info VALUES ('authority', 'Testshire')")
    db.execute(
        "INSERT INTO models (command_id, file, authority, text) VALUES (1, 'm.yaml', ?, ?)",
        ("Testshire", model_text(())),
    )
    db.executemany(
        "INSERT INTO sitting_changes (command_id, panel, date, kind, reason, removed_command_id) "
        "VALUES (1, 'crp', ?, ?, ?, ?)",
        [
            ("2027-03-04", "cancelled", "chair unwell", None),
            ("2027-03-05", "extra", "backlog", None),
            ("2027-03-12", "extra", "typo", 1),
        ],
    )
    # The old table takes no reinstated sitting: this is what the migration changes.
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO sitting_changes (command_id, panel, date, kind) "
            "VALUES (1, 'crp', '2027-03-04', 'reinstated')"
        )
    db.commit()
    db.close()


def test_an_old_diary_is_migrated_keeping_its_sitting_changes(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_diary(path)
    with Store.open(path) as store:
        assert store.schema_version == MIGRATIONS[-1].version >= 5
        diary = store.diary()
        # The removed extra sitting stays removed; the others are as they were.
        assert [(c.date, c.kind, c.reason) for c in diary.changes] == [
            (THURSDAY, "cancelled", "chair unwell"),
            (date(2027, 3, 5), "extra", "backlog"),
        ]
        assert diary.sitting("crp", THURSDAY) is None
        reinstate(store, actor("2027-03-02 10:00"), "crp", THURSDAY, reason="chair recovered")
        assert store.diary().sitting("crp", THURSDAY) is not None
        assert [c.kind for c in store.diary().changes][-1] == "reinstated"


def test_the_command_line_reinstates_and_words_a_non_working_day(
    store: Store, tmp_path: Path
) -> None:
    _cancelled_with_r5_late(store, tmp_path)
    db = str(store.path)
    store.close()
    runner = CliRunner()
    done = runner.invoke(
        app,
        ["planner", "reinstate", "crp", "04/03/2027", "--reason", "chair recovered",
         "--agreed-by", "chair", "--db", db, "--now", "2027-03-02 10:00"],
    )  # fmt: skip
    said = " ".join(done.output.split())
    assert done.exit_code == 0, done.output
    assert "Reinstated the Resource Panel sitting of Thu 04/03/2027: chair recovered." in said
    shown = runner.invoke(
        app, ["planner", "show", "--db", db, "--now", "2027-03-02 10:00", "--weeks", "1"]
    )
    assert shown.exit_code == 0, shown.output
    assert "reinstated: chair recovered" in " ".join(shown.output.split())
    refused = runner.invoke(
        app, ["planner", "extra", "crp", "25/12/2027", "--db", db, "--now", "2027-03-02 10:00"]
    )
    said = " ".join(refused.output.split())
    assert refused.exit_code == 2
    # The command line, and only it, says which option adds the sitting anyway.
    assert (
        "DATE: 25/12/2027 is a Saturday, not a working day (Christmas Day; the bank holiday is "
        "Monday 27/12/2027); give --allow-non-working-day to add it anyway"
    ) in said


def test_a_sitting_the_model_cancels_is_reinstated_not_added_as_extra(tmp_path: Path) -> None:
    data = yaml.safe_load(model_text(()))
    data["panels"][0]["cancelled"] = [date(2027, 3, 11)]
    model = tmp_path / "cancels.yaml"
    model.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    init(tmp_path / "p.db", read_model_file(model), actor("2027-03-01 08:00"))
    eleventh = date(2027, 3, 11)
    with Store.open(tmp_path / "p.db") as store:
        error = _unchanged(store, lambda: extra(store, actor("2027-03-02 09:00"), "crp", eleventh))
        assert str(error) == (
            "DATE: the Resource Panel sitting of 11/03/2027 was cancelled (in the model file); "
            "reinstate it instead"
        )
        reinstate(store, actor("2027-03-02 09:00"), "crp", eleventh, reason="needed after all")
        sitting = store.diary().sitting("crp", eleventh)
        assert sitting is not None and sitting.note == ""
        [view] = [v for v in sitting_views(store.diary(), eleventh, eleventh)]
        assert view.reinstated == "needed after all"
