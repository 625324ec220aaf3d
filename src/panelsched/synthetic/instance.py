"""A whole generated instance: referrals and the leave of everyone they name."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority
from panelsched.core.referrals import Referral
from panelsched.synthetic.leave import generate_availability, people_of
from panelsched.synthetic.profiles import DemandProfile
from panelsched.synthetic.referrals import generate_referrals


def generate_instance(
    authority: Authority,
    start: date,
    end: date,
    count: int | None = None,
    load: float = 0.9,
    seed: int = 0,
    profile: DemandProfile | None = None,
    panels: Sequence[str] | None = None,
) -> tuple[tuple[Referral, ...], tuple[Unavailability, ...]]:
    """Referrals (see :func:`generate_referrals`) and the leave of everyone they name.

    Returns
    -------
    tuple
        ``(referrals, availability)``.
    """
    profile = profile or DemandProfile()
    referrals = generate_referrals(authority, start, end, count, load, profile, seed, panels)
    availability = generate_availability(
        people_of(referrals), start, end, seed, profile.leave, authority.holidays
    )
    return referrals, availability


__all__ = ["generate_instance"]
