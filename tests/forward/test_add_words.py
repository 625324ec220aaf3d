"""What `planner add` and the upload preview say about a sitting its leave puts at risk: the
same words on the command line and in the browser, so no option names and no "case(s)"
(issue 31, items 10 and 12).

``crp`` sits on Thursdays (4, 11 March 2027), 13:00-14:00 in four slots, cut-off the Monday
before at 13:00; the planner starts on Monday 1 March 2027 at 08:00.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from panelsched.forward import init
from panelsched.forward.store import Store
from panelsched.io.model_file import read_model_file
from tests.helpers.forward import FAST, MODEL, actor, add_file, referral, write_rows


def test_a_sitting_at_risk_counts_its_booked_cases_in_plain_words(tmp_path: Path) -> None:
    model = yaml.safe_load(yaml.safe_dump(MODEL))
    model["panels"][0] |= {
        "members": [{"id": "CH-01", "role": "chair"}, {"id": "VC-01", "role": "vice-chair"}],
        "quorum": {"members": 0},
    }
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(model, sort_keys=False), encoding="utf-8")
    db = tmp_path / "planner.db"
    init(db, read_model_file(path), actor("2027-03-01 08:00"))
    # Five referrals before the 4 March cut-off: four fill 4 March, R-5 goes to 11 March.
    first = write_rows(
        tmp_path / "r1.csv", [referral(f"R-{n}", "2027-03-01 09:00") for n in range(1, 6)]
    )
    leave = write_rows(
        tmp_path / "away.csv",
        [
            {"person": "CH-01", "from": "2027-03-11", "to": "2027-03-11"},
            {"person": "VC-01", "from": "2027-03-11", "to": "2027-03-11"},
        ],
    )
    second = write_rows(tmp_path / "r2.csv", [referral("R-6", "2027-03-01 10:00")])
    with Store.open(db) as store:
        add_file(store, actor("2027-03-01 11:00"), first, settings=FAST)
        report = add_file(store, actor("2027-03-01 12:00"), second, leave, settings=FAST)
    # Before: "its 1 booked case(s) are kept (use --replan to move them)".
    assert [line for line in report.lines if line.startswith("At risk")] == [
        "At risk: the Resource Panel sitting of Thu 11/03/2027 has no chair: chair CH-01 and "
        "vice-chair VC-01 on leave; 1 case booked there stays unless bookings already made are "
        "let move."
    ]
