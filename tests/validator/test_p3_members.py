"""P3 on records with the model's members list: ``chaired_by`` names who chaired.

The panel ``rp`` sits on Thursdays 13:00-14:00; its members are chair CH-01, vice-chair
VC-01 and member M-01. Thursday 11 March 2027.
"""

from __future__ import annotations

from datetime import date, datetime, time

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority
from panelsched.io.records import Record, Records
from panelsched.validator import CATALOGUE
from panelsched.validator.catalogue import Evidence, run_catalogue

AUTHORITY = Authority.model_validate(
    {
        "authority": "Testshire",
        "panels": [
            {
                "id": "rp",
                "name": "Resource Panel",
                "cadence": "FREQ=WEEKLY;BYDAY=TH",
                "time": "13:00-14:00",
                "slot_minutes": 15,
                "members": [
                    {"id": "CH-01", "role": "chair"},
                    {"id": "VC-01", "role": "vice-chair"},
                    {"id": "M-01"},
                ],
            }
        ],
    }
)
MAR11 = date(2027, 3, 11)


def p3(*chairs: str, away: tuple[Unavailability, ...] | None = None) -> list[tuple[str, str, str]]:
    rows = tuple(
        Record(referral_id=f"C-{n}", panel="rp", date=MAR11, chaired_by=who)
        for n, who in enumerate(chairs, start=1)
    )
    present = frozenset({"referral_id", "panel", "date", "chaired_by"})
    evidence = Evidence(AUTHORITY, Records("records.csv", rows, present), away)
    tally = run_catalogue(evidence, [u for u in CATALOGUE if u.id == "P3"])["P3"]
    return [(f.severity, f.referral_id, f.message) for f in tally.findings]


def test_chaired_by_the_chair_or_vice_chair_passes_and_a_member_fails() -> None:
    # C-1 and C-2 were chaired by the chair and the vice-chair; C-3 by a plain member and
    # C-4 by someone the model does not list.
    assert p3("CH-01", "VC-01", "M-01", "X-9") == [
        ("error", "C-3", "chaired by M-01, a member, not the chair or a vice-chair"),
        ("error", "C-4", "chaired by X-9, who is not among the panel's members"),
    ]


def test_a_chair_recorded_while_on_leave_is_a_warning() -> None:
    leave = Unavailability(
        "CH-01", datetime.combine(MAR11, time()), datetime.combine(MAR11, time())
    )
    assert p3("CH-01", away=(leave,)) == [
        ("warning", "C-1", "chaired by CH-01, who the availability file has away that day")
    ]
