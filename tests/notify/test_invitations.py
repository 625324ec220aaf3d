"""The invitations read back with a parser of their own (the ``ics`` package, not icalendar)
and keep their wall-clock times across British Summer Time and GMT.

Thu 15 July 2027 13:00 in London is BST (UTC+1): 12:00 UTC. Thu 9 December 2027 13:00 is
GMT: 13:00 UTC. A calendar that misread the VTIMEZONE would put one of them an hour out.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import ics

from panelsched.forward import Store
from panelsched.notify import FileDelivery, load_people, notify, sender_address
from tests.helpers.forward import FAST, actor, add_file, referral, write_rows
from tests.helpers.mail_server import people_rows
from tests.helpers.notify import calendar_part


def _invite(store: Store, folder: Path, reference: str, submitted: str, now: str) -> str:
    """Book ``reference`` (submitted ``submitted``, before that week's Monday cut-off) and
    return the calendar part of its social worker's invitation."""
    number = reference.split("-")[-1]
    add_file(store, actor(now), write_rows(folder / f"{number}.csv",
        [referral(reference, submitted)]), settings=FAST)  # fmt: skip
    people = load_people(write_rows(folder / "people.csv", people_rows([f"SW-{number}"])))
    out = folder / "out"
    notify(store, people, FileDelivery(out), actor(now).now,
           sender=sender_address("panels@council.example", "--from"))  # fmt: skip
    (found,) = sorted(out.glob(f"*SW-{number}-{reference}-invitation.eml"))
    message = message_from_bytes(found.read_bytes(), policy=policy.default)
    return calendar_part(message)  # type: ignore[arg-type]


def test_summer_and_winter_slots_keep_their_local_time(store: Store, tmp_path: Path) -> None:
    summer = _invite(store, tmp_path, "R-7", "2027-07-12 09:00", "2027-07-12 10:00")
    winter = _invite(store, tmp_path, "R-12", "2027-12-06 09:00", "2027-12-06 10:00")
    for text, utc_hour in ((summer, 12), (winter, 13)):
        (event,) = ics.Calendar(text).events
        assert event.begin.to("UTC").hour == utc_hour
        assert event.begin.to("Europe/London").strftime("%H:%M") == "13:00"
        assert event.end.to("Europe/London").strftime("%H:%M") == "13:15"
    # By hand: local times with TZID, the zone as two yearly rules, no RDATE lists.
    assert "DTSTART;TZID=Europe/London:20270715T130000" in summer
    assert "DTSTART;TZID=Europe/London:20271209T130000" in winter
    for text in (summer, winter):
        assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
        assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
        assert "RDATE" not in text
        assert text.count("BEGIN:VEVENT") == 1 and "METHOD:REQUEST" in text


def test_the_invitation_names_organizer_attendee_and_the_papers_deadline(
    store: Store, tmp_path: Path
) -> None:
    text = _invite(store, tmp_path, "R-7", "2027-07-12 09:00", "2027-07-12 10:00")
    (event,) = ics.Calendar(text).events
    assert event.uid == "hearing-R-7@panelsched"
    assert event.name == "R-7: Resource Panel"
    unfolded = text.replace("\r\n ", "")
    assert 'ORGANIZER;CN="Testshire panel administrator":mailto:panels@council.example' in (
        unfolded
    )
    assert "ATTENDEE;CN=SW-7;" in unfolded and ":mailto:sw-7@council.example" in unfolded
    # The cut-off of Thu 15 July is the Monday before at 13:00.
    assert "Papers to the panel by (cut-off): Mon 12/07/2027 13:00" in unfolded
    # DTSTAMP is when the booking was made, 10:00 BST = 09:00 UTC, never the clock.
    assert "DTSTAMP:20270712T090000Z" in unfolded
