"""Getting messages out: ``.eml`` files for the team mailbox, or SMTP with STARTTLS.

SMTP settings come from the environment or a TOML file, never the command line (where other
users of the machine can read them in the process list)::

    PANELSCHED_SMTP_HOST      smtp.council.example
    PANELSCHED_SMTP_PORT      587 (the default)
    PANELSCHED_SMTP_USER      panels@council.example (no login when unset)
    PANELSCHED_SMTP_PASSWORD  ...
    PANELSCHED_SMTP_FROM      panels@council.example: the team mailbox, From and ORGANIZER
    PANELSCHED_SMTP_CAFILE    a CA certificate to trust as well (an internal relay)
    PANELSCHED_SMTP_RETRIES   tries per message (default 3)

or the same names lower case without the prefix (``host = "..."``) under ``[smtp]`` in the file
given with ``--smtp-config``; a variable set in the environment wins. Every connection is
upgraded with STARTTLS and the server's certificate checked: a server that does not offer it
is refused, never written to in clear.

A message refused by the server (a bad recipient) fails at once and the others still go; a
connection that fails is tried again (``retries`` times in all, a longer wait each time), then
that message and the rest of the run fail with the reason, to be tried at the next run.
"""

from __future__ import annotations

import errno
import os
import smtplib
import socket
import ssl
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from panelsched.errors import InputError
from panelsched.exports.atomic import replacing
from panelsched.exports.file_names import fit_name

ENV_PREFIX = "PANELSCHED_SMTP_"
DEFAULT_PORT = 587
DEFAULT_RETRIES = 3
_KEYS = ("host", "port", "user", "password", "from", "cafile", "retries")


class DeliveryError(Exception):
    """A message could not be delivered; the text says why, without any address or body.

    ``stops_the_run``: the messages after it cannot go either (the disk is full), so the run
    stops there and leaves them waiting for the next, rather than failing each in turn.
    """

    def __init__(self, reason: str, *, stops_the_run: bool = False) -> None:
        super().__init__(reason)
        self.stops_the_run = stops_the_run


class Delivery(Protocol):
    """Somewhere messages go: each call delivers one, or raises :class:`DeliveryError`."""

    channel: str

    def deliver(self, message: EmailMessage, name: str) -> None:
        """Deliver ``message``; ``name`` is a safe file stem for it."""

    def close(self) -> None:
        """Let go of any connection."""


# A folder that refuses one file refuses the next: the disk or the quota is full, the folder
# is read-only or not ours.
_FOLDER_TROUBLE = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT}
)


def _write_all(path: Path, data: bytes) -> None:
    """Write ``data`` to the (new, empty) file ``path``; a disk that fills part-way raises."""
    with path.open("wb") as handle:
        handle.write(data)


class FileDelivery:
    """Write each message as ``NAME.eml`` into a folder, for the team mailbox to send.

    ``X-Unsent: 1`` makes Outlook open the file as a message ready to send, from whichever
    mailbox the administrator chooses. Each file is written under a temporary name and
    renamed when whole (:func:`~panelsched.exports.atomic.replacing`): a full disk or Ctrl-C
    never leaves an empty or cut ``.eml`` that Outlook would open ready to send.
    """

    channel = "file"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def deliver(self, message: EmailMessage, name: str) -> None:
        """Write the ``.eml`` file (CRLF line ends, as mail programs expect)."""
        message["X-Unsent"] = "1"
        file_name = fit_name(f"{name}.eml")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with replacing(self.folder / file_name) as temporary:
                _write_all(temporary, message.as_bytes())
        except OSError as exc:
            raise DeliveryError(
                f"cannot write {file_name} into {self.folder}/: {exc.strerror or exc}",
                stops_the_run=exc.errno in _FOLDER_TROUBLE,
            ) from None

    def close(self) -> None:
        """Nothing to close."""


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how to send; see the module's notes for where each comes from."""

    host: str
    sender: Address
    port: int = DEFAULT_PORT
    user: str = ""
    password: str = ""
    cafile: str = ""
    retries: int = DEFAULT_RETRIES
    wait_seconds: float = 1.0

    def __post_init__(self) -> None:
        if not self.host:
            raise ValueError("SMTP needs a host")
        if self.retries < 1:
            raise ValueError("SMTP needs at least one try")


def sender_address(text: str, where: str) -> Address:
    """The team mailbox as an address; refuses anything that is not one."""
    local, at, domain = text.strip().rpartition("@")
    if not at or not local or "." not in domain or any(c in text for c in " ,;<>\"'"):
        raise InputError.one(where, f"'{text}' is not an e-mail address")
    return Address(addr_spec=text.strip())


def _file_values(config: Path | None) -> dict[str, object]:
    if config is None:
        return {}
    try:
        data = tomllib.loads(config.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError.one(str(config), f"cannot read it: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError.one(str(config), f"not a TOML file: {exc}") from None
    section = data.get("smtp")
    if not isinstance(section, dict):
        raise InputError.one(str(config), "expected an [smtp] section with host, from, ...")
    unknown = sorted(set(section) - set(_KEYS))
    if unknown:
        raise InputError.one(
            str(config), f"unknown key {unknown[0]!r} under [smtp]; the keys are {', '.join(_KEYS)}"
        )
    return dict(section)


def _whole(value: object, where: str, name: str) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise InputError.one(where, f"{name}: '{value}' is not a whole number") from None
    if number < 1:
        raise InputError.one(where, f"{name}: '{value}' must be 1 or more")
    return number


def team_mailbox(
    environment: Mapping[str, str] | None = None,
    config: Path | None = None,
    *,
    sender: str | None = None,
) -> Address:
    """The address messages come from: ``--from``, else ``from`` from the settings.

    Raises
    ------
    InputError
        When none is given, or it is not an address.
    """
    if sender is not None:
        return sender_address(sender, "--from")
    env = os.environ if environment is None else environment
    name = f"{ENV_PREFIX}FROM"
    if env.get(name):
        return sender_address(env[name], name)
    values = _file_values(config)
    if values.get("from"):
        return sender_address(str(values["from"]), f"{config} [smtp] from")
    raise InputError.one(name, "no team mailbox to send from; set it, or give --from")


def smtp_settings(
    environment: Mapping[str, str] | None = None,
    config: Path | None = None,
    *,
    sender: str | None = None,
) -> SmtpSettings:
    """The SMTP settings from ``environment`` (default ``os.environ``) over ``config``.

    Parameters
    ----------
    environment
        Variables named ``PANELSCHED_SMTP_...``.
    config
        A TOML file with an ``[smtp]`` table.
    sender
        The team mailbox, when given on the command line (``--from``: an address, not a
        secret); else ``from`` from the settings.

    Raises
    ------
    InputError
        When the host or the sender is missing, or a value is not what it should be.
    """
    env = os.environ if environment is None else environment
    values = _file_values(config)
    where = {key: f"{config} [smtp] {key}" for key in values}
    for key in _KEYS:
        name = f"{ENV_PREFIX}{key.upper()}"
        if env.get(name):
            values[key] = env[name]
            where[key] = name
    host = str(values.get("host", "")).strip()
    if not host:
        raise InputError.one(
            f"{ENV_PREFIX}HOST", "no SMTP server; set it in the environment or --smtp-config"
        )
    address = team_mailbox(env, config, sender=sender)
    port = _whole(values.get("port", DEFAULT_PORT), where.get("port", ""), "port")
    retries = _whole(values.get("retries", DEFAULT_RETRIES), where.get("retries", ""), "retries")
    cafile = str(values.get("cafile", ""))
    if cafile and not Path(cafile).is_file():
        raise InputError.one(where["cafile"], f"no certificate file at {cafile}")
    return SmtpSettings(
        host=host,
        sender=address,
        port=port,
        user=str(values.get("user", "")),
        password=str(values.get("password", "")),
        cafile=cafile,
        retries=retries,
    )


def choose_delivery(
    *,
    send: bool,
    out: Path | None,
    config: Path | None = None,
    sender: str | None = None,
    environment: Mapping[str, str] | None = None,
) -> tuple[Delivery, Address, str]:
    """``--send`` or ``--out DIR`` (exactly one): the delivery, the team mailbox, and where
    the messages go in words (``to outbox/``, ``through smtp.council.example:587``).

    Raises
    ------
    InputError
        Both or neither, or settings missing or wrong.
    """
    if send == (out is not None):
        raise InputError.one("--send", "give one of --send and --out DIR")
    if out is not None:
        if out.exists() and not out.is_dir():
            raise InputError.one("--out", f"{out} is a file; expected a folder")
        address = team_mailbox(environment, config, sender=sender)
        return FileDelivery(out), address, f"to {out}/"
    settings = smtp_settings(environment, config, sender=sender)
    where = f"through {settings.host}:{settings.port}"
    return SmtpDelivery(settings), settings.sender, where


class SmtpDelivery:
    """Send through one SMTP server, keeping the connection open between messages."""

    channel = "smtp"

    def __init__(
        self, settings: SmtpSettings, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._smtp: smtplib.SMTP | None = None
        # Why the server could not be reached, once every try failed: the rest of the run's
        # messages fail with it at once instead of each waiting through the same tries.
        self._unreachable: str | None = None

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        context = ssl.create_default_context(cafile=settings.cafile or None)
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=30)
        try:
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise DeliveryError(
                    f"{settings.host}:{settings.port} does not offer STARTTLS; panelsched "
                    "never sends in clear"
                )
            smtp.starttls(context=context)
            smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, settings.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def deliver(self, message: EmailMessage, name: str) -> None:
        """Send ``message``; raises :class:`DeliveryError` saying why it did not go."""
        if self._unreachable is not None:
            raise DeliveryError(self._unreachable)
        where = f"{self.settings.host}:{self.settings.port}"
        last = ""
        for attempt in range(self.settings.retries):
            if attempt:
                self._sleep(self.settings.wait_seconds * attempt)
            try:
                if self._smtp is None:
                    self._smtp = self._connect()
                self._smtp.send_message(message)
                return
            except smtplib.SMTPRecipientsRefused as exc:
                # The server will not take this address: trying again will not help.
                codes = sorted({code for code, _ in exc.recipients.values()})
                raise DeliveryError(
                    f"{where} refused the recipient (SMTP {', '.join(map(str, codes))})"
                ) from None
            except smtplib.SMTPAuthenticationError as exc:
                self.close()
                raise DeliveryError(
                    f"{where} did not accept the user and password (SMTP {exc.smtp_code})"
                ) from None
            except smtplib.SMTPResponseException as exc:
                self.close()
                if 500 <= exc.smtp_code < 600:
                    raise DeliveryError(
                        f"{where} refused the message (SMTP {exc.smtp_code})"
                    ) from None
                last = f"{where} answered SMTP {exc.smtp_code}"
            except ssl.SSLError as exc:
                self.close()
                last = f"STARTTLS with {where} failed: {exc.reason or exc}"
            except (OSError, smtplib.SMTPException) as exc:
                self.close()
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                if isinstance(exc, socket.timeout):
                    reason = "timed out"
                last = f"cannot reach {where}: {reason}"
        tries = self.settings.retries
        self._unreachable = f"{last} ({tries} tr{'y' if tries == 1 else 'ies'})"
        raise DeliveryError(self._unreachable)

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None


__all__ = [
    "DEFAULT_PORT",
    "DEFAULT_RETRIES",
    "ENV_PREFIX",
    "Delivery",
    "DeliveryError",
    "FileDelivery",
    "SmtpDelivery",
    "SmtpSettings",
    "choose_delivery",
    "sender_address",
    "smtp_settings",
    "team_mailbox",
]
