"""The small test authority and the referral builder shared by the tests.

The panels are tests/data/councils.yaml's "january" and "calendars" councils. January 2027
(1 January, a Friday, is a bank holiday): the panels of :data:`PANELS` sit on Thursdays 7, 14,
21 and 28 Jan (``brk`` on Wednesdays 6, 13, 20, 27 Jan); a Monday 13:00 cut-off closes on 4,
11, 18 and 25 Jan.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from panelsched.core.panels import Authority
from panelsched.core.referrals import Referral
from tests.helpers import council

# Monday 4 January 2027 09:00: before the 13:00 cut-off for Thursday 7 January.
MON4_0900 = datetime(2027, 1, 4, 9, 0)

# The panels by id (tests/data/councils.yaml's "january" council) and the calendar exports'
# panels: a three-hour Thursday panel and a monthly one on the second Tuesday with no cut-off.
PANELS: dict[str, dict[str, Any]] = council.panels("january")
CALENDAR_PANELS: dict[str, dict[str, Any]] = council.panels("calendars")


def panel(pid: str, **changes: Any) -> dict[str, Any]:
    """``PANELS[pid]`` with ``changes`` replacing (or adding) its keys."""
    return PANELS[pid] | changes


def authority(*panels: str | dict[str, Any], **fields: Any) -> Authority:
    """The authority "Testshire" with ``panels``: ids of :data:`PANELS` or whole panel
    mappings; ``fields`` set (or replace) the model's other keys (``holidays="SCT"``)."""
    document: dict[str, Any] = council.fields("january") | fields
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
