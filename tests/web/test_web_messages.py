"""The Messages page: what `planner notify` queued, sent and could not send (read only)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from panelsched.forward import Store
from panelsched.notify import FileDelivery, load_people, notify, sender_address
from tests.helpers.web import SCRIPT, STARTED, visible_text, write_rows


def test_the_page_lists_each_message_and_why_one_failed(
    sign_in: Callable[..., TestClient], client: TestClient, db: Path, tmp_path: Path
) -> None:
    assert client.get("/messages", follow_redirects=False).status_code == 303
    # The seven cases' presenters SW-n and TM-n, less TM-7 (who presents the seventh case,
    # whose reference is a script): 13 invitations written, 1 without an address.
    names = [f"{role}-{n}" for n in range(1, 8) for role in ("SW", "TM")][:-1]
    rows = [{"person": p, "email": f"{p.lower()}@council.example"} for p in names]
    people = load_people(write_rows(tmp_path / "people.csv", rows))
    with Store.open(db) as store:
        notify(store, people, FileDelivery(tmp_path / "out"), STARTED.replace(hour=9),
               sender=sender_address("panels@council.example", "--from"))  # fmt: skip
    page = sign_in("vic").get("/messages")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "waiting: 0" in text and "sent or written to a file: 13" in text
    assert "failed (tried again at the next run): 1" in text
    assert f"TM-7 has no address in {tmp_path / 'people.csv'}" in text
    assert "Mon 01/03/2027 09:00 SW-1 invitation R-1 0 written to a file 1" in text
    # The case reference that is a script is shown as text, never run.
    assert SCRIPT not in page.text and "&lt;script&gt;" in page.text
    assert "@council.example" not in page.text
