"""`planner notify` stopped part-way: Ctrl-C (issue 31, item 19) and a full disk (item 20).

Ctrl-C once said "no files were written and nothing was changed" when 166 messages had been
written (or 3 sent) and recorded as sent; a full disk under ``--out`` left 597 empty ``.eml``
files that Outlook would open ready to send. Now the message under way finishes, the run
stops, and the words say how many went and how many wait, as the outbox records them; a
file is written under a temporary name and renamed when whole.

The diary: R-1 to R-6, submitted Mon 1 March 2027 from 09:00, are booked at the crp's
Thursday sittings (four 15-minute slots each: R-1..R-4 on 4 March, R-5 and R-6 on 11 March);
each is presented by SW-n and TM-n, so 6 x 2 = 12 invitations are queued.
"""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from panelsched.forward import Store
from panelsched.notify import entries
from panelsched.notify.delivery import _write_all
from panelsched.notify.stopping import NotifyInterrupted
from tests.helpers.forward import FAST, actor, add_file, referral, write_rows
from tests.helpers.kill_sweep import PANELSCHED
from tests.helpers.mail_server import Handler, Mailbox, authenticate, free_port, people_rows
from tests.helpers.notify import notify, words

MESSAGES = 12
NOW, LATER = "2027-03-01 11:00", "2027-03-01 11:30"
FROM = ("--from", "panels@council.example")
NO_SMTP = {f"PANELSCHED_SMTP_{k}": "" for k in ("HOST", "FROM", "USER", "PASSWORD", "CAFILE")}


@pytest.fixture
def six(store: Store, tmp_path: Path) -> Path:
    """R-1..R-6 booked; the people file (SW-1..SW-6, TM-1..TM-6) returned."""
    rows = [referral(f"R-{n}", f"2027-03-01 09:0{n}") for n in range(1, 7)]
    add_file(
        store, actor("2027-03-01 10:00"), write_rows(tmp_path / "six.csv", rows), settings=FAST
    )
    names = [f"{role}-{n}" for n in range(1, 7) for role in ("SW", "TM")]
    return write_rows(tmp_path / "people.csv", people_rows(names))


class _SlowHandler(Handler):
    """Takes each message a third of a second after it arrives, as a busy relay does."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.3)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_mailbox(certificate: tuple[Path, Path]) -> Iterator[Mailbox]:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box = Mailbox("127.0.0.1", free_port(), cert)
    controller = Controller(
        _SlowHandler(box), hostname=box.host, port=box.port, tls_context=context,
        require_starttls=True, authenticator=authenticate, auth_required=True,
    )  # fmt: skip
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def _statuses(db: Path) -> list[str]:
    with Store.open(db) as store:
        return [entry.status for entry in entries(store)]


def test_ctrl_c_while_sending_says_how_many_went_and_the_next_run_sends_the_rest(
    six: Path, db: Path, slow_mailbox: Mailbox
) -> None:
    process = subprocess.Popen(
        [str(PANELSCHED), "planner", "notify", "--db", str(db), "--now", NOW, "--send",
         "--people", str(six)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **slow_mailbox.env()},
    )  # fmt: skip
    waited = time.monotonic()
    while len(slow_mailbox.received) < 3:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() - waited < 90, "no message arrived"
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stdout + stderr
    # The message being sent when Ctrl-C came went too, and was recorded: what the words
    # say, the outbox records and the server holds are the same.
    statuses = _statuses(db)
    went = statuses.count("sent")
    assert 3 <= went < MESSAGES
    assert went == len(slow_mailbox.received)
    assert statuses.count("queued") == MESSAGES - went
    where = f"through 127.0.0.1:{slow_mailbox.port}"
    assert stderr == (
        f"interrupted: {went} messages were sent {where} and recorded as sent; "
        f"{MESSAGES - went} messages wait for the next run, which sends only those\n"
    )
    # The next run sends only the rest: each person hears once over both runs.
    again = notify(db, LATER, "--send", "--people", str(six), env=slow_mailbox.env())
    assert again.exit_code == 0, again.output
    assert words(again.output) == (
        f"Queued 0 new messages. Sent {MESSAGES - went} messages {where}."
    )
    assert sorted(slow_mailbox.to()) == sorted(
        f"{role}-{n}@council.example" for n in range(1, 7) for role in ("sw", "tm")
    )


def _eml(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


def _sent_names(db: Path) -> list[str]:
    """The file each message recorded as sent was written to (the outbox id leads it)."""
    with Store.open(db) as store:
        return sorted(f"{e.id:06d}" for e in entries(store) if e.status == "sent")


def test_ctrl_c_while_writing_says_how_many_were_written(
    six: Path, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Path] = []

    def write_then_ctrl_c(path: Path, data: bytes) -> None:
        _write_all(path, data)
        written.append(path)
        if len(written) == 3:
            # Ctrl-C as the terminal sends it, while the third file is being written.
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr("panelsched.notify.delivery._write_all", write_then_ctrl_c)
    out = tmp_path / "outbox"
    result = notify(db, NOW, "--out", str(out), "--people", str(six), *FROM, env=NO_SMTP)
    assert result.exit_code == 130
    # The third file was finished and recorded; nothing else was started.
    assert result.output.endswith(
        f"interrupted: 3 messages were written to {out}/ and recorded as sent; "
        "9 messages wait for the next run, which writes only those\n"
    )
    assert [name[:6] for name in _eml(out)] == _sent_names(db) == ["000001", "000002", "000003"]
    first = {name: (out / name).read_bytes() for name in _eml(out)}
    monkeypatch.undo()
    again = notify(db, LATER, "--out", str(out), "--people", str(six), *FROM, env=NO_SMTP)
    assert again.exit_code == 0, again.output
    assert f"Wrote 9 messages to {out}/." in words(again.output)
    assert len(_eml(out)) == MESSAGES and _statuses(db) == ["sent"] * MESSAGES
    # The three written before were left as they were.
    assert {name: (out / name).read_bytes() for name in first} == first


def test_a_full_disk_leaves_no_empty_or_cut_file_and_says_what_waits(
    six: Path, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Path] = []

    def fill_up(path: Path, data: bytes) -> None:
        if len(written) == 3:
            # Half the message fits, then the disk is full.
            with path.open("wb") as handle:
                handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        _write_all(path, data)
        written.append(path)

    monkeypatch.setattr("panelsched.notify.delivery._write_all", fill_up)
    out = tmp_path / "outbox"
    result = notify(db, NOW, "--out", str(out), "--people", str(six), *FROM, env=NO_SMTP)
    assert result.exit_code == 1
    said = words(result.output)
    assert said == (
        f"Queued 12 new messages. Wrote 3 messages to {out}/. 1 message failed; the next run "
        "tries it again: invitation to TM-2 about R-2: cannot write "
        f"000004-TM-2-R-2-invitation.eml into {out}/: No space left on device Stopped there: "
        "the messages after it would fail the same way. 9 messages wait for the next run."
    )
    # Only whole files, no temporary one left: each file is a message recorded as sent.
    names = sorted(p.name for p in out.iterdir())
    assert [name[:6] for name in names] == _sent_names(db) == ["000001", "000002", "000003"]
    assert all(name.endswith(".eml") and (out / name).stat().st_size > 1000 for name in names)
    assert _statuses(db) == ["sent"] * 3 + ["failed"] + ["queued"] * 8
    # With room again, the next run writes the nine that wait.
    monkeypatch.undo()
    again = notify(db, LATER, "--out", str(out), "--people", str(six), *FROM, env=NO_SMTP)
    assert again.exit_code == 0, again.output
    assert f"Wrote 9 messages to {out}/." in words(again.output)
    assert len(_eml(out)) == MESSAGES


@pytest.mark.parametrize(
    ("went", "waiting", "channel", "unsure", "expected"),
    [
        (1, 1, "file", False, "interrupted: 1 message was written to outbox/ and recorded as "
         "sent; 1 message waits for the next run, which writes only that one"),
        (0, 12, "file", False, "interrupted: no message was written; 12 messages wait for the "
         "next run, which writes only those"),
        (12, 0, "smtp", False, "interrupted: 12 messages were sent to outbox/ and recorded as "
         "sent; nothing waits for the next run"),
        (2, 3, "smtp", True, "interrupted: 2 messages were sent to outbox/ and recorded as sent; "
         "3 messages wait for the next run, which sends only those (the message being sent "
         "when it stopped may arrive twice)"),
    ],
)  # fmt: skip
def test_the_interrupted_words_count_as_a_person_would(
    went: int, waiting: int, channel: str, unsure: bool, expected: str
) -> None:
    stopped = NotifyInterrupted(went, waiting, channel, unsure=unsure)
    assert stopped.words("to outbox/") == expected
