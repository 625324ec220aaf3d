"""Helpers for the notify tests: run ``planner notify``, read what arrived."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from typer.testing import CliRunner, Result

from panelsched.cli import app


def notify(db: Path, now: str, *args: str, env: dict[str, str] | None = None) -> Result:
    """``panelsched planner notify --db DB --now NOW ARGS...``."""
    result = CliRunner().invoke(
        app, ["planner", "notify", "--db", str(db), "--now", now, *args], env=env
    )
    assert "Traceback" not in result.output
    return result


def words(output: str) -> str:
    """``output`` with the console's wrapping undone."""
    return " ".join(output.split())


def calendar_part(message: EmailMessage) -> str:
    """The ``text/calendar`` part of a message, as text."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return str(part.get_content())
    raise AssertionError("no calendar part")


def text_part(message: EmailMessage) -> str:
    """The plain-text body."""
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def summary(message: EmailMessage) -> tuple[str, str, str, str]:
    """(To, METHOD, UID, SEQUENCE) of an invitation, read from the raw calendar text."""
    lines = calendar_part(message).replace("\r\n ", "").splitlines()
    field = {line.split(":", 1)[0]: line.split(":", 1)[1] for line in lines if ":" in line}
    return (
        str(message["To"].addresses[0].display_name),
        field["METHOD"],
        field["UID"],
        field["SEQUENCE"],
    )


def subjects(received: list[EmailMessage]) -> list[tuple[str, str]]:
    """(To, Subject) of each message, sorted."""
    return sorted((str(m["To"].addresses[0].display_name), str(m["Subject"])) for m in received)


def invitations(received: list[EmailMessage]) -> list[tuple[str, str, str, str]]:
    """:func:`summary` of each message with a calendar part, sorted."""
    return sorted(
        summary(m)
        for m in received
        if any(part.get_content_type() == "text/calendar" for part in m.walk())
    )
