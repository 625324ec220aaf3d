"""`planner notify --send` against a real SMTP server (aiosmtpd, STARTTLS and a password).

The model is tests/forward's: the Resource Panel (crp) sits on Thursdays 13:00-14:00 in four
15-minute slots, cut-off the Monday before at 13:00. R-n is presented by SW-n and TM-n.
Referrals submitted Mon 1 March 2027 before 13:00 are booked at Thu 4 March, 13:00 onwards.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from panelsched.forward import Store, cancel, extra
from panelsched.notify import (
    FileDelivery,
    entries,
    load_people,
    sender_address,
)
from panelsched.notify import (
    notify as notify_store,
)
from panelsched.notify.delivery import SmtpDelivery, smtp_settings
from tests.helpers.forward import (
    FAST,
    actor,
    add_file,
    corrected_to_approve,
    deferred,
    referral,
    write_rows,
)
from tests.helpers.mail_server import Handler, Mailbox, free_port, people_rows
from tests.helpers.notify import invitations, notify, subjects, text_part, words

PEOPLE = [f"{role}-{n}" for n in range(1, 8) for role in ("SW", "TM")]


@pytest.fixture
def people(tmp_path: Path) -> Path:
    return write_rows(tmp_path / "people.csv", people_rows(PEOPLE))


def booked_two(store: Store, folder: Path) -> None:
    """R-1 and R-2, submitted Mon 1 March 09:00 and 09:01, booked Thu 4 March at 13:00 and
    13:15 (first come, first slot)."""
    rows = [referral("R-1", "2027-03-01 09:00"), referral("R-2", "2027-03-01 09:01")]
    add_file(store, actor("2027-03-01 10:00"), write_rows(folder / "two.csv", rows), settings=FAST)


def test_after_add_each_presenter_gets_one_invitation_and_a_second_run_sends_nothing(
    store: Store, db: Path, people: Path, mailbox: Mailbox, tmp_path: Path
) -> None:
    booked_two(store, tmp_path)
    sent = notify(db, "2027-03-01 11:00", "--send", "--people", str(people), env=mailbox.env())
    assert sent.exit_code == 0, sent.output
    assert "Queued 4 new messages." in words(sent.output)
    assert f"Sent 4 messages through 127.0.0.1:{mailbox.port}." in words(sent.output)
    # SW-1 and TM-1 hear of R-1, SW-2 and TM-2 of R-2: a first invitation, SEQUENCE 0.
    assert invitations(mailbox.received) == [
        ("SW-1", "REQUEST", "hearing-R-1@panelsched", "0"),
        ("SW-2", "REQUEST", "hearing-R-2@panelsched", "0"),
        ("TM-1", "REQUEST", "hearing-R-1@panelsched", "0"),
        ("TM-2", "REQUEST", "hearing-R-2@panelsched", "0"),
    ]
    first = next(m for m in mailbox.received if m["To"].addresses[0].display_name == "SW-1")
    assert first["Subject"] == "R-1 at Resource Panel, Thu 04/03/2027 13:00"
    body = text_part(first)
    assert "When:    Thu 04/03/2027, 13:00 to 13:15" in body
    assert "Papers to the panel by (cut-off): Mon 01/03/2027 13:00" in body
    again = notify(db, "2027-03-01 12:00", "--send", "--people", str(people), env=mailbox.env())
    assert again.exit_code == 0, again.output
    assert words(again.output) == "Queued 0 new messages. Nothing to send."
    assert len(mailbox.received) == 4


def test_a_case_moved_into_an_extra_sitting_updates_the_same_event(
    store: Store, db: Path, people: Path, mailbox: Mailbox, tmp_path: Path
) -> None:
    # As in tests/forward/test_moves.py: R-1..R-4 fill Thu 4 March; R-5, added after them
    # and due by 5 March (CLA review 26 March less 21 days, S6), is booked late on Thu 11
    # March. An extra sitting on Fri 5 March is offered to it: it moves, nobody else does.
    first = write_rows(
        tmp_path / "first.csv", [referral(f"R-{n}", f"2027-03-01 09:0{n}") for n in range(1, 5)]
    )
    add_file(store, actor("2027-03-01 12:50"), first, settings=FAST)
    late = write_rows(
        tmp_path / "late.csv", [referral("R-5", "2027-03-01 11:00", cla_review="2027-03-26")]
    )
    add_file(store, actor("2027-03-01 12:55"), late, settings=FAST)
    env = mailbox.env()
    assert notify(db, "2027-03-01 13:00", "--send", "--people", str(people), env=env).exit_code == 0
    assert len(mailbox.received) == 10
    mailbox.received.clear()
    extra(store, actor("2027-03-02 09:00"), "crp", date(2027, 3, 5), settings=FAST)
    moved = notify(db, "2027-03-02 10:00", "--send", "--people", str(people), env=env)
    assert moved.exit_code == 0, moved.output
    # Booked (1) then moved (ended: 2, new: 1): SEQUENCE 1 + 2 - 1 = 2, the same UID.
    assert invitations(mailbox.received) == [
        ("SW-5", "REQUEST", "hearing-R-5@panelsched", "2"),
        ("TM-5", "REQUEST", "hearing-R-5@panelsched", "2"),
    ]
    # And the presenters of Thu 4 March have their reminder: two working days before, Tue 2
    # March 09:00, has come; R-5's at Fri 5 March comes on Wed 3 March.
    assert subjects(mailbox.received) == sorted(
        [
            (f"{role}-5", "Moved: R-5 at Resource Panel, Fri 05/03/2027 13:00")
            for role in ("SW", "TM")
        ]
        + [
            (f"{role}-{n}", f"Reminder: R-{n} at Resource Panel, Thu 04/03/2027 13:{m}")
            for n, m in zip(range(1, 5), ("00", "15", "30", "45"), strict=True)
            for role in ("SW", "TM")
        ]
    )
    message = next(m for m in mailbox.received if m["Subject"].startswith("Moved"))
    assert "has moved from Thu 11/03/2027 " in text_part(message)
    assert "(moved: was booked late)" in text_part(message)


def test_a_cancelled_sitting_moves_its_cases_and_a_withdrawn_hearing_is_cancelled(
    store: Store, db: Path, people: Path, mailbox: Mailbox, tmp_path: Path
) -> None:
    booked_two(store, tmp_path)
    env = mailbox.env()
    notify(db, "2027-03-01 11:00", "--send", "--people", str(people), env=env)
    mailbox.received.clear()
    cancel(store, actor("2027-03-02 09:00"), "crp@2027-03-04", "chair ill", settings=FAST)
    result = notify(db, "2027-03-02 10:00", "--send", "--people", str(people), env=env)
    assert result.exit_code == 0, result.output
    # Both cases go to the next sitting, Thu 11 March: same UIDs, SEQUENCE 2.
    assert invitations(mailbox.received) == [
        ("SW-1", "REQUEST", "hearing-R-1@panelsched", "2"),
        ("SW-2", "REQUEST", "hearing-R-2@panelsched", "2"),
        ("TM-1", "REQUEST", "hearing-R-1@panelsched", "2"),
        ("TM-2", "REQUEST", "hearing-R-2@panelsched", "2"),
    ]
    assert all("(sitting cancelled)" in text_part(m) for m in mailbox.received)


def test_after_decide_the_follow_up_is_a_new_event_and_a_withdrawn_one_is_cancelled(
    store: Store, db: Path, people: Path, mailbox: Mailbox, tmp_path: Path
) -> None:
    env = mailbox.env()
    deferred(store, tmp_path)  # R-1 heard Thu 4 March and deferred: R-1#2 on Thu 11 March
    result = notify(db, "2027-03-05 10:00", "--send", "--people", str(people), env=env)
    assert result.exit_code == 0, result.output
    # R-1 itself is decided and past: only the deferred hearing is told, a new event.
    assert invitations(mailbox.received) == [
        ("SW-1", "REQUEST", "hearing-R-1#2@panelsched", "0"),
        ("TM-1", "REQUEST", "hearing-R-1#2@panelsched", "0"),
    ]
    mailbox.received.clear()
    # The deferral was a typing slip: approved, review by 10 June. R-1#2 is withdrawn, and
    # the review is booked as R-1#3.
    corrected_to_approve(store)
    result = notify(db, "2027-03-06 10:00", "--send", "--people", str(people), env=env)
    assert result.exit_code == 0, result.output
    # Booked (1), then ended with none in its place (2): SEQUENCE 1 + 1 - 1 = 1.
    assert invitations(mailbox.received) == [
        ("SW-1", "CANCEL", "hearing-R-1#2@panelsched", "1"),
        ("SW-1", "REQUEST", "hearing-R-1#3@panelsched", "0"),
        ("TM-1", "CANCEL", "hearing-R-1#2@panelsched", "1"),
        ("TM-1", "REQUEST", "hearing-R-1#3@panelsched", "0"),
    ]
    cancelled = next(m for m in mailbox.received if m["Subject"].startswith("Cancelled"))
    assert cancelled["Subject"] == "Cancelled: R-1#2 at Resource Panel, Thu 11/03/2027 13:00"
    assert "It is no longer to be heard." in text_part(cancelled)


class _CrashAfterFirst:
    """Delivers the first message through the real server, then dies as a process would."""

    def __init__(self, inner: SmtpDelivery) -> None:
        self.inner, self.channel, self.count = inner, inner.channel, 0

    def deliver(self, message: object, name: str) -> None:
        self.count += 1
        if self.count > 1:
            raise KeyboardInterrupt("the machine went down")
        self.inner.deliver(message, name)  # type: ignore[arg-type]

    def close(self) -> None:
        self.inner.close()


def test_a_crash_between_two_sends_resends_nothing_and_loses_nothing(
    store: Store, people: Path, mailbox: Mailbox, tmp_path: Path
) -> None:
    booked_two(store, tmp_path)
    book = load_people(people)
    settings = smtp_settings(mailbox.env())
    with pytest.raises(KeyboardInterrupt):
        notify_store(
            store,
            book,
            _CrashAfterFirst(SmtpDelivery(settings)),
            actor("2027-03-01 11:00").now,
            sender=settings.sender,
        )
    # The first went and is recorded; the other three are still queued, nothing lost.
    assert [(e.person, e.status) for e in entries(store)] == [
        ("SW-1", "sent"), ("TM-1", "queued"), ("SW-2", "queued"), ("TM-2", "queued"),
    ]  # fmt: skip
    assert mailbox.to() == ["sw-1@council.example"]
    result = notify_store(
        store, book, SmtpDelivery(settings), actor("2027-03-01 11:05").now, sender=settings.sender
    )
    assert (result.queued, len(result.sent), result.failed) == (0, 3, ())
    # Each person exactly once over both runs.
    assert sorted(mailbox.to()) == [
        "sw-1@council.example", "sw-2@council.example", "tm-1@council.example",
        "tm-2@council.example",
    ]  # fmt: skip


def test_a_refused_address_fails_alone_and_is_said_plainly(
    store: Store, db: Path, mailbox: Mailbox, tmp_path: Path
) -> None:
    booked_two(store, tmp_path)
    people = write_rows(tmp_path / "people.csv", people_rows(PEOPLE, refused=("TM-1",)))
    result = notify(db, "2027-03-01 11:00", "--send", "--people", str(people), env=mailbox.env())
    assert result.exit_code == 1
    said = words(result.output)
    assert "Sent 3 messages" in said
    assert "1 message failed; the next run tries it again:" in said
    assert (
        f"invitation to TM-1 about R-1: 127.0.0.1:{mailbox.port} refused the recipient (SMTP 550)"
        in said
    )
    assert sorted(mailbox.to()) == [
        "sw-1@council.example", "sw-2@council.example", "tm-2@council.example",
    ]  # fmt: skip
    failed = [e for e in entries(store) if e.status == "failed"]
    assert [(e.person, e.attempts) for e in failed] == [("TM-1", 1)]


def test_a_refused_connection_is_said_plainly_and_the_next_run_sends_them_all(
    store: Store, db: Path, people: Path, mailbox: Mailbox, tmp_path: Path
) -> None:
    booked_two(store, tmp_path)
    closed = free_port()
    down = mailbox.env(PANELSCHED_SMTP_PORT=str(closed), PANELSCHED_SMTP_RETRIES="1")
    result = notify(db, "2027-03-01 11:00", "--send", "--people", str(people), env=down)
    assert result.exit_code == 1
    said = words(result.output)
    assert "4 messages failed; the next run tries them again:" in said
    assert (
        f"invitation to SW-1 about R-1: cannot reach 127.0.0.1:{closed}: Connection refused" in said
    )
    assert mailbox.received == []
    again = notify(db, "2027-03-01 11:30", "--send", "--people", str(people), env=mailbox.env())
    assert again.exit_code == 0, again.output
    assert "Queued 0 new messages. Sent 4 messages" in words(again.output)
    assert len(mailbox.received) == 4


def test_a_person_missing_from_the_people_file_fails_alone(
    store: Store, mailbox: Mailbox, tmp_path: Path
) -> None:
    booked_two(store, tmp_path)
    people = load_people(write_rows(tmp_path / "p.csv", people_rows(["SW-1", "TM-1", "SW-2"])))
    result = notify_store(
        store,
        people,
        FileDelivery(tmp_path / "out"),
        actor("2027-03-01 11:00").now,
        sender=sender_address("panels@council.example", "--from"),
    )
    assert len(result.sent) == 3
    assert [(e.person, why) for e, why in result.failed] == [
        ("TM-2", f"TM-2 has no address in {tmp_path / 'p.csv'}")
    ]


def test_a_server_without_starttls_is_never_written_to_in_clear(
    store: Store, db: Path, people: Path, mailbox: Mailbox, tmp_path: Path
) -> None:
    booked_two(store, tmp_path)
    box = Mailbox("127.0.0.1", free_port(), mailbox.cafile)
    plain = Controller(Handler(box), hostname=box.host, port=box.port)
    plain.start()
    try:
        env = mailbox.env(PANELSCHED_SMTP_PORT=str(box.port), PANELSCHED_SMTP_RETRIES="1")
        result = notify(db, "2027-03-01 11:00", "--send", "--people", str(people), env=env)
    finally:
        plain.stop()
    assert result.exit_code == 1
    assert (
        f"127.0.0.1:{box.port} does not offer STARTTLS; panelsched never sends in clear"
        in words(result.output)
    )
    assert box.received == []


def test_a_message_not_yet_sent_is_replaced_by_the_newer_one(store: Store, tmp_path: Path) -> None:
    booked_two(store, tmp_path)
    sender = sender_address("panels@council.example", "--from")
    out = tmp_path / "out"
    # TM-1 has no address yet: R-1's invitation to TM-1 (SEQUENCE 0) fails and waits.
    first = load_people(write_rows(tmp_path / "a.csv", people_rows(["SW-1", "SW-2", "TM-2"])))
    notify_store(store, first, FileDelivery(out), actor("2027-03-01 11:00").now, sender=sender)
    # The sitting is cancelled: R-1 moves to Thu 11 March (SEQUENCE 2). TM-1, never told of
    # 4 March, hears of 11 March only; the others hear of the move.
    cancel(store, actor("2027-03-02 09:00"), "crp@2027-03-04", "chair ill", settings=FAST)
    everyone = load_people(
        write_rows(tmp_path / "b.csv", people_rows(["SW-1", "TM-1", "SW-2", "TM-2"]))
    )
    notify_store(store, everyone, FileDelivery(out), actor("2027-03-02 10:00").now, sender=sender)
    told = [
        (e.person, e.hearing_id, e.sequence, e.status) for e in entries(store) if e.person == "TM-1"
    ]
    assert told == [("TM-1", 1, 0, "superseded"), ("TM-1", 1, 2, "sent")]
