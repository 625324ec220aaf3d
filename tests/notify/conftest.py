"""Fixtures for the notify tests: the forward tests' small model (tests/helpers/forward.py), a
started planner, and the SMTP server of tests/helpers/mail_server.py."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from panelsched.forward import Store, init
from panelsched.io.model_file import read_model_file
from tests.helpers.forward import actor, model_text
from tests.helpers.mail_server import Handler, Mailbox, authenticate, free_port


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate and key for 127.0.0.1."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def mailbox(certificate: tuple[Path, Path]) -> Iterator[Mailbox]:
    """A running SMTP server (STARTTLS required, then a password) that keeps what it gets."""
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box = Mailbox("127.0.0.1", free_port(), cert)
    controller = Controller(
        Handler(box),
        hostname=box.host,
        port=box.port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A planner started on Monday 1 March 2027 at 08:00 on tests/forward's small model."""
    model = tmp_path / "testshire.yaml"
    model.write_text(model_text(), encoding="utf-8")
    path = tmp_path / "planner.db"
    init(path, read_model_file(model), actor("2027-03-01 08:00"))
    return path


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    """The planner of :func:`db`, open."""
    with Store.open(db) as opened:
        yield opened
