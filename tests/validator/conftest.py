"""Small hand-made models, referrals and bookings for the validator's tests.

March 2027: Thursdays are the 4th, 11th, 18th and 25th; each sitting's cut-off is the
Monday before at 13:00 (1st, 8th, 15th, 22nd).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import pytest

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority
from panelsched.core.plan import Booking, PinnedBooking, Plan
from panelsched.core.referrals import Referral
from panelsched.planner.problem import ProblemData, build_problem
from tests.helpers.builders import referral as referral_of

MODEL: dict[str, Any] = {
    "authority": "Testshire",
    "panels": [
        {
            # Thursday 13:00-14:00, 15-minute slots, complex cases 20, a 10-minute break.
            "id": "crp",
            "name": "Resource Panel",
            "cadence": "FREQ=WEEKLY;BYDAY=TH",
            "time": "13:00-15:00",
            "slot_minutes": 15,
            "complex_slot_minutes": 20,
            "breaks": ["14:00-14:10"],
            "cutoff": "MO 13:00",
        },
        {
            # Also Thursdays, 13:00-15:00, 30-minute slots: overlaps crp in time.
            "id": "lpp",
            "name": "Legal Planning Panel",
            "cadence": "FREQ=WEEKLY;BYDAY=TH",
            "time": "13:00-15:00",
            "slot_minutes": 30,
            "cutoff": "MO 13:00",
        },
        {
            # Swindon-like: no late applications at all.
            "id": "care",
            "name": "Care Panel",
            "cadence": "FREQ=WEEKLY;BYDAY=TH",
            "time": "09:30-12:30",
            "slot_minutes": 15,
            "complex_slot_minutes": 20,
            "cutoff": "WE 17:00",
            "late_applications": False,
        },
    ],
}


@pytest.fixture
def authority() -> Authority:
    return Authority.model_validate(MODEL)


def make_referral(rid: str = "C-1", **fields: Any) -> Referral:
    """A routine crp referral submitted Monday 1 March 2027 09:00 by SW-01 and TM-01."""
    values = {
        "submitted": datetime(2027, 3, 1, 9, 0),
        "social_worker": "SW-01",
        "team_manager": "TM-01",
    }
    return referral_of(rid, **(values | fields))


def make_booking(
    rid: str = "C-1",
    day: date = date(2027, 3, 4),
    start: str = "13:00",
    end: str = "13:15",
    panel: str = "crp",
    pinned: bool = False,
) -> Booking:
    return Booking(
        date=day,
        start=time.fromisoformat(start),
        panel=panel,
        end=time.fromisoformat(end),
        referral_id=rid,
        pinned=pinned,
    )


Problemer = Callable[..., ProblemData]


@pytest.fixture
def problem_of(authority: Authority) -> Problemer:
    """Build the problem over March 2027 from referrals, leave and pins."""

    def build(
        *referrals: Referral,
        away: tuple[Unavailability, ...] = (),
        pinned: tuple[PinnedBooking, ...] = (),
        start: date = date(2027, 3, 1),
        end: date = date(2027, 3, 31),
    ) -> ProblemData:
        return build_problem(authority, referrals, away, pinned, start, end)

    return build


@pytest.fixture
def plan_of() -> Callable[..., Plan]:
    def build(*bookings: Booking, unplaced: tuple[str, ...] = ()) -> Plan:
        return Plan.of(bookings, unplaced)

    return build


@pytest.fixture
def referral() -> Callable[..., Referral]:
    return make_referral


@pytest.fixture
def booking() -> Callable[..., Booking]:
    return make_booking
