"""The planner: CP-SAT books referrals into sittings and slots, in two stages.

Stage 1 (:mod:`.assignment`) chooses a sitting for each referral under every rule that
concerns dates: eligibility (S1, S2, S5 leave, S8), each sitting's minutes (S3, S4) and due
dates (S6-S9), with the lexicographic objective: most referrals placed, then fewest late, then
least weighted waiting. Stage 2 (:mod:`.sequencing`) gives each booking a slot time, one day
at a time, so slots never overlap within a sitting or for a person (S3, S5), keeping each
person's cases together and packing from the start of the window. A booking stage 2 cannot fit
is sent back to stage 1 with that sitting closed to it, and the two stages repeat.

This package is the only place that imports ortools.
"""

from panelsched.planner.solve import solve

__all__ = ["solve"]
