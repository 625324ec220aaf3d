"""Adding leave lists the sittings ahead it leaves short of quorum.

``crp`` sits on Thursdays (4, 11, 18 March 2027), 13:00-14:00; here with a chair CH-01, a
vice-chair VC-01 and a member M-01, and a quorum of the chair plus one. The planner starts on
Monday 1 March 2027 at 08:00.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from panelsched.forward import Store, init
from panelsched.io.model_file import read_model_file
from tests.helpers.forward import FAST, MODEL, actor, add_file, referral, write_rows


def test_leave_of_chair_and_vice_chair_puts_their_sitting_at_risk(tmp_path: Path) -> None:
    model = yaml.safe_load(yaml.safe_dump(MODEL))
    model["panels"][0] |= {
        "members": [
            {"id": "CH-01", "role": "chair"},
            {"id": "VC-01", "role": "vice-chair"},
            {"id": "M-01"},
        ],
        "quorum": {"members": 1},
    }
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(model, sort_keys=False), encoding="utf-8")
    db = tmp_path / "planner.db"
    init(db, read_model_file(path), actor("2027-03-01 08:00"))
    first = write_rows(tmp_path / "r1.csv", [referral("R-1", "2027-03-01 09:00")])
    # Both who may chair are away on Thursday 11 March; the chair alone on 18 March (the
    # vice-chair chairs, M-01 is the one other: quorate).
    leave = write_rows(
        tmp_path / "away.csv",
        [
            {"person": "CH-01", "from": "2027-03-11", "to": "2027-03-18"},
            {"person": "VC-01", "from": "2027-03-11", "to": "2027-03-11"},
        ],
    )
    second = write_rows(tmp_path / "r2.csv", [referral("R-2", "2027-03-01 10:00")])
    with Store.open(db) as store:
        add_file(store, actor("2027-03-01 11:00"), first, settings=FAST)
        report = add_file(store, actor("2027-03-01 12:00"), second, leave, settings=FAST)
    assert [line for line in report.lines if line.startswith("At risk")] == [
        "At risk: the Resource Panel sitting of Thu 11/03/2027 has no chair: chair CH-01 and "
        "vice-chair VC-01 on leave."
    ]
