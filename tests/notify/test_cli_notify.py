"""`planner notify` on the command line: --out writes .eml files byte for byte the same from
the same diary, council templates replace the shipped ones, --since, and bad input refused
with one line naming where and exit status 2, nothing written."""

from __future__ import annotations

import shutil
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from panelsched.forward import Store, init
from panelsched.io.model_file import read_model_file
from panelsched.notify import entries, smtp_settings
from tests.helpers.forward import FAST, actor, add_file, model_text, referral, write_rows
from tests.helpers.mail_server import people_rows
from tests.helpers.notify import notify, text_part, words

NO_SMTP = {f"PANELSCHED_SMTP_{k}": "" for k in ("HOST", "FROM", "USER", "PASSWORD", "CAFILE")}
FROM = ("--from", "panels@council.example")


def _diary(folder: Path) -> Path:
    """A planner with R-1 and R-2 booked Thu 4 March 13:00 and 13:15, and a people file."""
    folder.mkdir()
    model = folder / "m.yaml"
    model.write_text(model_text(), encoding="utf-8")
    db = folder / "planner.db"
    init(db, read_model_file(model), actor("2027-03-01 08:00"))
    rows = [referral("R-1", "2027-03-01 09:00"), referral("R-2", "2027-03-01 09:01")]
    with Store.open(db) as store:
        add_file(
            store, actor("2027-03-01 10:00"), write_rows(folder / "r.csv", rows), settings=FAST
        )
    write_rows(folder / "people.csv", people_rows(["SW-1", "TM-1", "SW-2", "TM-2"]))
    return db


def _out(db: Path, *more: str) -> tuple[int, str, Path]:
    out = db.parent / "out"
    result = notify(db, "2027-03-01 11:00", "--out", str(out), "--people",
                    str(db.parent / "people.csv"), *FROM, *more, env=NO_SMTP)  # fmt: skip
    return result.exit_code, words(result.output), out


def test_out_writes_one_eml_per_person_the_same_bytes_from_the_same_diary(tmp_path: Path) -> None:
    first = _diary(tmp_path / "a")
    # The same diary: a copy of the file before anything was sent from it.
    (tmp_path / "b").mkdir()
    second = tmp_path / "b" / "planner.db"
    shutil.copyfile(first, second)
    shutil.copyfile(first.parent / "people.csv", second.parent / "people.csv")
    code, said, out = _out(first)
    assert code == 0 and f"Wrote 4 messages to {out}/." in said
    assert sorted(p.name for p in out.iterdir()) == [
        "000001-SW-1-R-1-invitation.eml", "000002-TM-1-R-1-invitation.eml",
        "000003-SW-2-R-2-invitation.eml", "000004-TM-2-R-2-invitation.eml",
    ]  # fmt: skip
    _, _, again = _out(second)
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in out.iterdir())
    for path in out.iterdir():
        assert path.read_bytes() == (again / path.name).read_bytes()
    message = message_from_bytes((out / "000001-SW-1-R-1-invitation.eml").read_bytes(),
                                 policy=policy.default)  # fmt: skip
    # Outlook opens it ready to send; text, HTML and the calendar as alternatives.
    assert message["X-Unsent"] == "1"
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == [  # type: ignore[attr-defined]
        "text/plain", "text/html", "text/calendar",
    ]  # fmt: skip
    calendar = list(message.iter_parts())[2]  # type: ignore[attr-defined]
    assert calendar.get_param("method") == "REQUEST"


def test_a_council_template_replaces_the_shipped_one_and_html_is_escaped(tmp_path: Path) -> None:
    db = _diary(tmp_path / "a")
    own = tmp_path / "templates"
    own.mkdir()
    (own / "invitation.subject.txt").write_text("Panel slot for {{ case }} on {{ day }}\n")
    (own / "invitation.html").write_text('<p>{{ authority }}: {{ case }} {{ "<b>" }}</p>\n')
    code, said, out = _out(db, "--templates", str(own))
    assert code == 0, said
    message = message_from_bytes(sorted(out.iterdir())[0].read_bytes(), policy=policy.default)
    assert message["Subject"] == "Panel slot for R-1 on Thu 04/03/2027"
    html = message.get_body(("html",))
    # What a template puts in is escaped (the HTML it is written in is not).
    assert html is not None
    assert html.get_content().rstrip() == "<p>Testshire: R-1 &lt;b&gt;</p>"
    # The plain text is still the shipped one.
    assert "Case R-1 is booked at the Resource Panel:" in text_part(message)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ case ", "invitation.txt: line 1: unexpected end of template"),
        ("{{ child_name }}", "cannot be filled in: 'child_name' is undefined"),
    ],
)
def test_a_broken_template_sends_nothing(tmp_path: Path, text: str, message: str) -> None:
    db = _diary(tmp_path / "a")
    own = tmp_path / "templates"
    own.mkdir()
    (own / "invitation.txt").write_text(text)
    code, said, out = _out(db, "--templates", str(own))
    assert code == 2 and message in said, said
    assert not out.exists()
    with Store.open(db) as store:
        assert {e.status for e in entries(store)} == {"queued"}


def test_since_leaves_out_what_was_told_by_hand_and_is_kept(tmp_path: Path) -> None:
    db = _diary(tmp_path / "a")
    code, said, out = _out(db, "--since", "01/03/2027 10:30")
    assert (code, said) == (0, "Queued 0 new messages. Changes before 01/03/2027 10:30 were "
                               "told by hand. Nothing to send.")  # fmt: skip
    # R-3, booked at 10:45 after the kept moment, is told without --since.
    with Store.open(db) as store:
        rows = write_rows(db.parent / "r3.csv", [referral("R-3", "2027-03-01 10:40")])
        add_file(store, actor("2027-03-01 10:45"), rows, settings=FAST)
    write_rows(db.parent / "people.csv", people_rows(["SW-3", "TM-3"]))
    code, said, out = _out(db)
    assert code == 0 and "Queued 2 new messages." in said
    assert sorted(p.name for p in out.iterdir()) == [
        "000001-SW-3-R-3-invitation.eml", "000002-TM-3-R-3-invitation.eml",
    ]  # fmt: skip


def test_bad_input_is_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    db = _diary(tmp_path / "a")
    people = write_rows(db.parent / "people.csv", [{"person": "SW-1", "email": "nobody"}])
    code, said, out = _out(db)
    assert code == 2
    assert f"{people}, row 2, column 'email': 'nobody' is not an e-mail address" in said
    assert not out.exists()
    with Store.open(db) as store:
        assert entries(store) == []
    both = notify(db, "2027-03-01 11:00", "--send", "--out", "x", "--people", str(people))
    assert both.exit_code == 2 and "give one of --send and --out DIR" in words(both.output)
    neither = notify(db, "2027-03-01 11:00", "--people", str(people))
    assert neither.exit_code == 2 and "give one of --send and --out DIR" in words(neither.output)
    good = write_rows(db.parent / "people.csv", people_rows(["SW-1"]))
    no_host = notify(db, "2027-03-01 11:00", "--send", "--people", str(good), env=NO_SMTP)
    assert no_host.exit_code == 2
    assert "PANELSCHED_SMTP_HOST: no SMTP server; set it in the environment or --smtp-config" in (
        words(no_host.output)
    )
    no_from = notify(db, "2027-03-01 11:00", "--out", str(out), "--people", str(good), env=NO_SMTP)
    assert no_from.exit_code == 2 and "no team mailbox to send from" in words(no_from.output)
    with Store.open(db) as store:
        assert entries(store) == []


def test_smtp_settings_come_from_a_file_and_the_environment_wins(tmp_path: Path) -> None:
    config = tmp_path / "smtp.toml"
    config.write_text('[smtp]\nhost = "relay.council.example"\nport = 2525\n'
                      'from = "panels@council.example"\nuser = "panels"\n')  # fmt: skip
    settings = smtp_settings({"PANELSCHED_SMTP_PORT": "587"}, config)
    assert (settings.host, settings.port, settings.user, settings.sender.addr_spec) == (
        "relay.council.example", 587, "panels", "panels@council.example",
    )  # fmt: skip
    config.write_text('[smtp]\nhost = "relay"\nfrom = "p@council.example"\npasword = "x"\n')
    with pytest.raises(Exception, match="unknown key 'pasword' under \\[smtp\\]"):
        smtp_settings({}, config)
