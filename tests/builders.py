"""The small test authority and the referral builder shared by the tests.

Import with ``from builders import ...``: ``tests/conftest.py`` puts this folder on
``sys.path`` (pytest's default "prepend" import mode), as ``forward_helpers`` and
``scenario_helpers`` are found beside their tests.

January 2027 (1 January, a Friday, is a bank holiday): the panels of :data:`PANELS` sit on
Thursdays 7, 14, 21 and 28 Jan (``brk`` on Wednesdays 6, 13, 20, 27 Jan); a Monday 13:00
cut-off closes on 4, 11, 18 and 25 Jan.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from panelsched.core.panels import Authority
from panelsched.core.referrals import Referral

# Monday 4 January 2027 09:00: before the 13:00 cut-off for Thursday 7 January.
MON4_0900 = datetime(2027, 1, 4, 9, 0)

PANELS: dict[str, dict[str, Any]] = {
    # Four 15-minute slots a sitting; a complex case takes 20 minutes. Papers out Tuesday.
    "crp": {
        "id": "crp",
        "name": "Resource Panel",
        "cadence": "FREQ=WEEKLY;BYDAY=TH",
        "time": "13:00-14:00",
        "slot_minutes": 15,
        "complex_slot_minutes": 20,
        "cutoff": "MO 13:00",
        "papers": "TU 17:00",
    },
    # Same day as crp, half an hour later: 13:30-14:00 is shared.
    "lpp": {
        "id": "lpp",
        "name": "Legal Planning Panel",
        "cadence": "FREQ=WEEKLY;BYDAY=TH",
        "time": "13:30-14:30",
        "slot_minutes": 15,
        "cutoff": "MO 13:00",
    },
    # Swindon-like: the chair may not accept late papers (SWI 5); no complex slot length.
    "care": {
        "id": "care",
        "name": "Care Panel",
        "cadence": "FREQ=WEEKLY;BYDAY=TH",
        "time": "09:30-10:30",
        "slot_minutes": 15,
        "cutoff": "MO 13:00",
        "late_applications": False,
    },
    # A cut-off 8 days ahead: a paper can miss the cut-offs of two coming sittings at once.
    # Thu 7 Jan closes Wed 30 Dec 17:00, Thu 14 Jan closes Wed 6 Jan, Thu 21 Jan Wed 13 Jan.
    "hcp": {
        "id": "hcp",
        "name": "High Cost Panel",
        "cadence": "FREQ=WEEKLY;BYDAY=TH",
        "time": "10:00-11:00",
        "slot_minutes": 15,
        "cutoff": "8 days 17:00",
    },
    # One case a sitting.
    "one": {
        "id": "one",
        "name": "Single Slot Panel",
        "cadence": "FREQ=WEEKLY;BYDAY=TH",
        "time": "09:00-10:00",
        "slot_minutes": 60,
        "cutoff": "MO 13:00",
    },
    # Wednesdays 10:00-11:10 with a break 10:30-10:40: 60 minutes, yet only two 20-minute
    # slots fit (10:00-10:20 before the break, 10:40-11:00 after it).
    "brk": {
        "id": "brk",
        "name": "Panel With A Break",
        "cadence": "FREQ=WEEKLY;BYDAY=WE",
        "time": "10:00-11:10",
        "slot_minutes": 20,
        "breaks": ["10:30-10:40"],
        "cutoff": "MO 13:00",
    },
}

# The calendar exports' panels: a three-hour Thursday panel (twelve 15-minute slots, 180
# minutes) and a monthly one on the second Tuesday with no cut-off.
CALENDAR_PANELS: dict[str, dict[str, Any]] = {
    "crp": {
        "id": "crp",
        "name": "Children's Resource Panel",
        "cadence": "FREQ=WEEKLY;BYDAY=TH",
        "time": "13:00-16:00",
        "slot_minutes": 15,
        "cutoff": "MO 13:00",
    },
    "ctp": {
        "id": "ctp",
        "name": "Court Tracking Panel",
        "cadence": "FREQ=MONTHLY;BYDAY=2TU",
        "time": "14:00-17:00",
        "slot_minutes": 15,
    },
}


def panel(pid: str, **changes: Any) -> dict[str, Any]:
    """``PANELS[pid]`` with ``changes`` replacing (or adding) its keys."""
    return PANELS[pid] | changes


def authority(*panels: str | dict[str, Any], **fields: Any) -> Authority:
    """The authority "Testshire" with ``panels``: ids of :data:`PANELS` or whole panel
    mappings; ``fields`` set (or replace) the model's other keys (``holidays="SCT"``)."""
    document: dict[str, Any] = {"authority": "Testshire", **fields}
    document["panels"] = [PANELS[p] if isinstance(p, str) else p for p in panels]
    return Authority.model_validate(document)


def referral(rid: str = "R1", submitted: datetime = MON4_0900, **fields: Any) -> Referral:
    """A routine crp referral ``rid`` submitted Monday 4 Jan 09:00, presented by ``SW-<rid>``
    and ``TM-<rid>`` (nobody shared unless a test says so); ``fields`` replace any value."""
    values: dict[str, Any] = {
        "referral_id": rid,
        "panel": "crp",
        "submitted": submitted,
        "social_worker": f"SW-{rid}",
        "team_manager": f"TM-{rid}",
    }
    return Referral(**(values | fields))
