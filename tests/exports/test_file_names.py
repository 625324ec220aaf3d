"""File names made from people's pseudonyms and case references (issue 31, item 18).

A 300-character person id or case reference, once in a diary, made every ``planner export``
fail ("File name too long", from ``calendars/people/``) and every ``planner notify --out``
fail that case's messages: one name may have at most 255 bytes.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from panelsched.exports.atomic import replace_bytes
from panelsched.exports.file_names import NAME_BYTES, STEM_BYTES, fit_name, name_hash, safe_stem
from panelsched.forward.calendars import file_names
from panelsched.notify.delivery import FileDelivery
from panelsched.notify.outbox import OutboxEntry
from panelsched.notify.run import message_name

LONG = "R-" + "7" * 298  # 300 characters
UNICODE = "Zoë Ó'Brien 汉字🙂 " * 30  # 3 or 4 bytes a character for most of it


def _bytes(name: str) -> int:
    return len(name.encode("utf-8"))


@pytest.mark.parametrize("text", [LONG, UNICODE, "汉" * 300, "🙂" * 300])
def test_a_long_id_gives_a_short_stable_name_that_can_be_written(text: str, tmp_path: Path) -> None:
    stem = safe_stem(text)
    assert _bytes(stem) <= STEM_BYTES
    # The same id, the same name, at every export (the hash is sha256, not Python's hash()).
    assert safe_stem(text) == stem
    assert stem.endswith(name_hash(text))
    path = tmp_path / f"{stem}.ics"
    replace_bytes(path, b"BEGIN:VCALENDAR\r\n")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_the_start_of_a_long_id_is_kept_to_read() -> None:
    # 80 bytes: 69 of the id, "-" and 10 of hash.
    assert safe_stem(LONG) == "R-" + "7" * 67 + "-" + name_hash(LONG)
    assert safe_stem(UNICODE).startswith("Zoë_Ó_Brien_汉字")


def test_two_long_ids_differing_only_at_the_end_get_two_names() -> None:
    first, second = LONG, LONG[:-1] + "8"
    assert safe_stem(first) != safe_stem(second)
    assert file_names([first, second]) == {
        first: f"{safe_stem(first)}.ics",
        second: f"{safe_stem(second)}.ics",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SW-1", "SW-1"),  # a short safe id is kept as it is
        ("SW/2", "SW_2"),  # no folder
        ('a:b*c?"d<e>f|g\\h', "a_b_c_d_e_f_g_h"),  # what Windows refuses
        ("-rf ", "rf"),  # never read as an option
        ("..", "x"),
        ("Zoë", "Zoë"),  # letters of any script are kept
        ("🙂", f"x-{name_hash('🙂')}"),  # symbols alone: told apart by their hash
        ("CON", "CON_"),  # a device on Windows
        ("lpt1.txt", "lpt1_.txt"),
    ],
)
def test_unsafe_characters_are_replaced(text: str, expected: str) -> None:
    assert safe_stem(text) == expected


def test_a_whole_name_too_long_is_cut_keeping_its_suffix() -> None:
    name = "a" * 300 + ".eml"
    fitted = fit_name(name)
    assert _bytes(fitted) == NAME_BYTES and fitted.endswith(f"-{name_hash(name)}.eml")
    assert fit_name("short.eml") == "short.eml"


def test_a_name_near_the_limit_can_still_be_written_whole(tmp_path: Path) -> None:
    # The temporary name (".NAME.xxxxxxxxxxxx.part") is longer than the name: it is cut so
    # that it fits too.
    path = tmp_path / ("n" * (NAME_BYTES - 4) + ".ics")
    replace_bytes(path, b"x")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def _entry(person: str) -> OutboxEntry:
    moment = datetime(2027, 3, 1, 11, 0)
    return OutboxEntry(
        id=12, person=person, kind="invitation", hearing_id=1, booking_id=1,
        sitting_id="crp@2027-03-04", sequence=0, queued_at=moment, status="queued",
        attempts=0, last_error="", sent_at=None, channel="",
    )  # fmt: skip


@pytest.mark.parametrize(("person", "case"), [(LONG, LONG), (UNICODE, "汉" * 300)])
def test_a_message_about_a_long_id_is_written(person: str, case: str, tmp_path: Path) -> None:
    diary = cast(Any, SimpleNamespace(keys={1: case}))
    name = message_name(diary, _entry(person))
    assert name == f"000012-{safe_stem(person)}-{safe_stem(case)}-invitation"
    message = EmailMessage()
    message["Subject"] = "Panel slot"
    message.set_content("text")
    FileDelivery(tmp_path).deliver(message, name)
    assert [p.name for p in tmp_path.iterdir()] == [f"{name}.eml"]
