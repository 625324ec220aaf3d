"""Reminders: presenters N working days before the sitting, members when the papers go out.

The Resource Panel here has two members (CH-01 chairs, M-02) and papers out on the Tuesday
before at 12:00. R-1, submitted Mon 1 March 14:00 (after that day's 13:00 cut-off), is booked
at Thu 11 March 13:00.

- Presenters, 3 working days before (``rules: presenter_reminder_working_days: 3``): Mon 8
  March 09:00; with no rule, the default 2: Tue 9 March 09:00.
- Members: the papers-out moment, Tue 9 March 12:00 (the latest Tuesday before 11 March).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
import yaml

from panelsched.errors import InputError
from panelsched.forward import Store, init
from panelsched.io.model_file import read_model_file
from panelsched.notify import FileDelivery, load_people, notify, sender_address
from panelsched.notify.to_tell import due_messages, reminder_days
from tests.helpers.forward import FAST, actor, add_file, at, model_text, referral, write_rows
from tests.helpers.mail_server import people_rows
from tests.helpers.notify import text_part


def _store(tmp_path: Path, **rules: Any) -> Iterator[Store]:
    data = yaml.safe_load(model_text())
    crp = data["panels"][0]
    crp["members"] = [{"id": "CH-01", "role": "chair"}, {"id": "M-02"}]
    crp["papers"] = "TU 12:00"
    crp["rules"] = dict(rules)
    model = tmp_path / "model.yaml"
    model.write_text(yaml.safe_dump(data), encoding="utf-8")
    init(tmp_path / "p.db", read_model_file(model), actor("2027-03-01 08:00"))
    with Store.open(tmp_path / "p.db") as store:
        rows = write_rows(tmp_path / "r.csv", [referral("R-1", "2027-03-01 14:00")])
        add_file(store, actor("2027-03-01 14:05"), rows, settings=FAST)
        yield store


@pytest.fixture
def three_days(tmp_path: Path) -> Iterator[Store]:
    yield from _store(tmp_path, presenter_reminder_working_days=3)


def _due(store: Store, now: str) -> list[tuple[str, str, datetime]]:
    diary = store.diary()
    ended = {number: datetime.fromisoformat(moment) for number, moment, *_ in store.commands()}
    return [
        (d.person, d.kind, d.changed_at)
        for d in due_messages(diary, ended, at(now))
        if d.kind != "invitation"
    ]


def test_presenters_are_reminded_n_working_days_before_and_members_at_papers_out(
    three_days: Store,
) -> None:
    assert _due(three_days, "2027-03-08 08:59") == []
    monday = at("2027-03-08 09:00")
    assert _due(three_days, "2027-03-08 09:00") == [
        ("SW-1", "presenter reminder", monday),
        ("TM-1", "presenter reminder", monday),
    ]
    papers = at("2027-03-09 12:00")
    assert _due(three_days, "2027-03-09 12:00") == [
        ("SW-1", "presenter reminder", monday),
        ("TM-1", "presenter reminder", monday),
        ("CH-01", "papers reminder", papers),
        ("M-02", "papers reminder", papers),
    ]
    # Once the sitting has opened there is nothing left to remind anyone of.
    assert _due(three_days, "2027-03-11 13:00") == []


def test_the_default_is_two_working_days(tmp_path: Path) -> None:
    for store in _store(tmp_path):
        assert _due(store, "2027-03-08 09:00") == []
        assert [p for p, _, _ in _due(store, "2027-03-09 09:00")] == ["SW-1", "TM-1"]


def test_a_booking_made_after_the_reminder_moment_gets_no_reminder(
    three_days: Store, tmp_path: Path
) -> None:
    # R-2, booked Mon 8 March 10:00 for Thu 11 March: after Mon 09:00, so its invitation is
    # the reminder.
    rows = write_rows(tmp_path / "late.csv", [referral("R-2", "2027-03-08 09:30")])
    add_file(three_days, actor("2027-03-08 10:00"), rows, settings=FAST)
    assert [p for p, kind, _ in _due(three_days, "2027-03-08 10:30")] == ["SW-1", "TM-1"]


def test_members_get_the_agenda_once(three_days: Store, tmp_path: Path) -> None:
    people = load_people(
        write_rows(tmp_path / "people.csv", people_rows(["SW-1", "TM-1", "CH-01", "M-02"]))
    )
    sender = sender_address("panels@council.example", "--from")
    out = tmp_path / "out"
    for now in ("2027-03-01 15:00", "2027-03-09 12:00", "2027-03-09 12:30"):
        notify(three_days, people, FileDelivery(out), at(now), sender=sender)
    names = sorted(p.name.split("-", 1)[1] for p in out.glob("*.eml"))
    # Two invitations, two presenters' reminders, two members' reminders: each once.
    assert names == [
        "CH-01-crp_2027-03-11-papers_reminder.eml",
        "M-02-crp_2027-03-11-papers_reminder.eml",
        "SW-1-R-1-invitation.eml",
        "SW-1-R-1-presenter_reminder.eml",
        "TM-1-R-1-invitation.eml",
        "TM-1-R-1-presenter_reminder.eml",
    ]
    (chair,) = out.glob("*CH-01*.eml")
    message = message_from_bytes(chair.read_bytes(), policy=policy.default)
    assert message["Subject"] == "Papers: Resource Panel, Thu 11/03/2027 13:00"
    assert "13:00-13:15  R-1 (referral)" in text_part(message)  # type: ignore[arg-type]


def test_a_reminder_lead_that_is_not_a_count_is_refused(tmp_path: Path) -> None:
    for store in _store(tmp_path, presenter_reminder_working_days="two"):
        with pytest.raises(InputError, match="'two' is not a count of working days"):
            reminder_days(store.diary().authority.panel("crp"), "presenter_reminder_working_days")
