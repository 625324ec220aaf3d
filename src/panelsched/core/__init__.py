"""The council's vocabulary: panels, sittings, referrals, due dates, leave, quorum, slots and plans.

Nothing here reads a file or imports a solver; every other layer builds on these objects.
"""
