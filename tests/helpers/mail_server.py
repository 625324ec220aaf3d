"""A real SMTP server for the notify tests: aiosmtpd on 127.0.0.1, STARTTLS required, then a
password; it keeps every message it takes and refuses mailboxes at ``nowhere.example``.

The certificate is self-signed for 127.0.0.1 (made by ``openssl`` in conftest.py); the client
trusts it through ``PANELSCHED_SMTP_CAFILE``, so the tests go through the same STARTTLS and
certificate check as a council's relay would.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "panels", "not-a-real-password"
# An address the server refuses, as a mailbox that does not exist would be.
REFUSED_DOMAIN = "nowhere.example"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on (it may be taken later; good enough)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """What the test server received: one parsed e-mail per recipient."""

    host: str
    port: int
    cafile: Path
    received: list[EmailMessage] = field(default_factory=list)

    def env(self, **more: str) -> dict[str, str]:
        """The environment that points ``planner notify --send`` at this server."""
        return {
            "PANELSCHED_SMTP_HOST": self.host,
            "PANELSCHED_SMTP_PORT": str(self.port),
            "PANELSCHED_SMTP_USER": USER,
            "PANELSCHED_SMTP_PASSWORD": PASSWORD,
            "PANELSCHED_SMTP_FROM": "panels@council.example",
            "PANELSCHED_SMTP_CAFILE": str(self.cafile),
            "PANELSCHED_SMTP_RETRIES": "2",
            **more,
        }

    def to(self) -> list[str]:
        """Each message's To address, in the order received."""
        return [str(m["To"].addresses[0].addr_spec) for m in self.received]


class Handler:
    """aiosmtpd's hooks: refuse ``nowhere.example``, keep every message."""

    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.endswith("@" + REFUSED_DOMAIN):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.box.received.append(parsed)
        return "250 OK"


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    """Let in ``USER`` with ``PASSWORD`` only."""
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok)


def people_rows(names: list[str], refused: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """A people file's rows: ``SW-1`` is ``sw-1@council.example`` (or, refused, at the domain
    the test server refuses)."""
    return [
        {
            "person": name,
            "email": f"{name.lower()}@{REFUSED_DOMAIN if name in refused else 'council.example'}",
        }
        for name in names
    ]
