"""The web tests' diary for the upload tests, with case references a referrals file may hold.

The shared diary (tests/helpers/web.py) books a case referenced ``<script>alert(1)</script>``
through the referrals reader, to test escaping; the reader now refuses such a reference
(issue 31, item 9), so the upload tests build the same diary with ``R-7`` in its place.
Import :func:`template_db` into a test module to use it there.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from panelsched.forward import Actor, Store, init
from panelsched.io.model_file import read_model_file
from panelsched.web.accounts import Accounts
from tests.helpers.forward import add_file
from tests.helpers.web import (
    CHEAP,
    MODEL,
    PASSWORD,
    SETTINGS,
    STARTED,
    USERS,
    referral_rows,
    write_rows,
)

REFERENCES = ["R-1", "R-2", "R-3", "R-4", "R-5", "R-6", "R-7"]


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Testshire's diary as tests/helpers/web.py describes it, built once."""
    folder = tmp_path_factory.mktemp("upload-diary")
    model = folder / "testshire.yaml"
    model.write_text(yaml.safe_dump(MODEL, sort_keys=False), encoding="utf-8")
    db = folder / "planner.db"
    init(db, read_model_file(model), Actor(STARTED, "setup"))
    with Store.open(db) as store:
        add_file(
            store,
            Actor(STARTED, "setup"),
            write_rows(folder / "referrals.csv", referral_rows(REFERENCES)),
            settings=SETTINGS,
        )
        hashed = CHEAP.hash(PASSWORD)
        for name, role in USERS.items():
            Accounts(store).add_user(name, role, hashed, datetime(2027, 3, 1, tzinfo=UTC))
    return db
