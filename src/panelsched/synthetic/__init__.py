"""Synthetic but realistic planner inputs: referrals, people and their leave.

Used by the benchmarks (a year, several panels, demand near capacity, hundreds of people with
leave) and by capacity scenarios that generate demand. The assumptions are in
:mod:`.profiles`, the referrals in :mod:`.referrals`, people's leave in :mod:`.leave`, and both
together in :mod:`.instance`; every draw is seeded (:mod:`.draws`) and outputs are sorted.
:mod:`panelsched.exports.input_files` writes them as the planner's input files.
"""

from panelsched.synthetic.instance import generate_instance
from panelsched.synthetic.leave import generate_availability, generate_leave_blocks, people_of
from panelsched.synthetic.profiles import DEFAULT_SEASONALITY, DemandProfile, LeaveProfile
from panelsched.synthetic.referrals import expected_counts, generate_referrals, mean_slot_minutes
from panelsched.synthetic.school_holidays import is_school_holiday

__all__ = [
    "DEFAULT_SEASONALITY",
    "DemandProfile",
    "LeaveProfile",
    "expected_counts",
    "generate_availability",
    "generate_instance",
    "generate_leave_blocks",
    "generate_referrals",
    "is_school_holiday",
    "mean_slot_minutes",
    "people_of",
]
