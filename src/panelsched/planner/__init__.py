"""The planner: everything that books referrals into sittings and slots.

:mod:`.problem` builds the frozen problem data, :mod:`.greedy` the first come, first served
baseline, :mod:`.metrics` and :mod:`.explain` measure and explain a plan; these never import a
solver. :func:`solve` runs OR-Tools CP-SAT in two stages (:mod:`.cpsat`), within a time limit
(:class:`WorkLimit` or :class:`SecondsLimit`, :mod:`.budget`) and with :class:`SolveParams`.
:mod:`.pipeline` plans referrals end to end (pins, baseline, explanations, summary) for the
commands, the web and scenarios. Stage 1 (:mod:`.cpsat.assignment`) chooses a
sitting for each referral under every rule that concerns dates: eligibility (S1, S2, S5 leave,
S8), each sitting's minutes (S3, S4) and due dates (S6-S9), with the lexicographic objective:
most referrals placed, then fewest late, then least weighted waiting. Stage 2
(:mod:`.cpsat.sequencing`) gives each booking a slot time, one day at a time, so slots never overlap
within a sitting or for a person (S3, S5), keeping each person's cases together and packing
from the start of the window. A booking stage 2 cannot fit is sent back to stage 1 with that
sitting closed to it, and the two stages repeat.

This package is the only place that imports ortools; importing it does not, until
:func:`solve` is first used, so the validator and plots can read its plain data.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from panelsched.planner.budget import SecondsLimit, WorkLimit
    from panelsched.planner.cpsat.rounds import solve
    from panelsched.planner.params import SolveParams

__all__ = ["SecondsLimit", "SolveParams", "WorkLimit", "solve"]

# Where each name lives; each is imported on first use.
_HOMES = {
    "solve": "panelsched.planner.cpsat.rounds",
    "SolveParams": "panelsched.planner.params",
    "SecondsLimit": "panelsched.planner.budget",
    "WorkLimit": "panelsched.planner.budget",
}


def __getattr__(name: str) -> Any:
    # Lazy, so importing the problem data or the baseline never loads ortools.
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(name)
    return getattr(import_module(home), name)
