"""What one more slot at each sitting is worth: shadow prices of the sittings' minutes.

A linear relaxation of stage 1 over the model as it is (every case's open sittings, each
sitting's minutes; presenters' other panels left out) is solved three times with HiGHS, as the
planner's objective is lexicographic: first fewest cases unplaced, then fewest late with that
held, then least weighted waiting with both held. The dual value of a sitting's minutes row in
each says how much one more minute there would lower that figure; times the panel's slot
length, that is one more slot's worth, in the figure's own unit: "one more slot on Thursday
14/01/2027 places 1 more case", "... saves 1 late case", "... saves 9 waiting days". An
unplaced case is never counted as late cases. A linear programme's dual values are marginal:
they hold for a slot or two, not for a whole extra sitting.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sparse
from scipy.optimize import linprog

from panelsched.core.sittings import Sitting
from panelsched.planner.problem import ProblemData

_SLACK = 1e-6


@dataclass(frozen=True)
class SlotValue:
    """What one more standard slot at a sitting is worth, in the relaxation.

    Attributes
    ----------
    sitting
        The sitting.
    slot_minutes
        Its panel's standard slot.
    placed
        More cases one more slot would place (fewer unplaced).
    late
        Late cases one more slot would save, with the cases placed held.
    waiting_days
        Weighted waiting days one more slot would save, with placed and late cases held.
    """

    sitting: Sitting
    slot_minutes: int
    placed: float
    late: float
    waiting_days: float


def slot_values(problem: ProblemData) -> tuple[SlotValue, ...]:
    """One more slot's worth at every sitting of ``problem``, in date order.

    Returns
    -------
    tuple of SlotValue
        Empty when HiGHS cannot solve the relaxation (it should always).
    """
    arcs_r: list[int] = []
    arcs_s: list[int] = []
    for r, open_ in enumerate(problem.candidates):
        arcs_r.extend([r] * len(open_))
        arcs_s.extend(open_)
    n_r, n_s, n_a = len(problem.referrals), len(problem.sittings), len(arcs_r)
    if n_a == 0:
        return ()
    ar, asit = np.array(arcs_r), np.array(arcs_s)
    minutes = np.array(problem.slot_minutes, dtype=np.float64)
    # Variables: a booking per arc, then an unplaced share per case.
    size = n_a + n_r
    one = sparse.csr_array(
        (
            np.ones(size),
            (np.concatenate([ar, np.arange(n_r)]), np.arange(size)),
        ),
        shape=(n_r, size),
    )
    room = sparse.csr_array((minutes[ar], (asit, np.arange(n_a))), shape=(n_s, size))
    capacity = np.array([s.capacity_minutes for s in problem.sittings], dtype=np.float64)
    late = np.array([problem.is_late(int(r), int(s)) for r, s in zip(ar, asit, strict=True)])
    weights = np.array([problem.referrals[int(r)].weight for r in ar], dtype=np.float64)
    waits = np.array([problem.wait_days(int(r), int(s)) for r, s in zip(ar, asit, strict=True)])
    levels = (
        np.concatenate([np.zeros(n_a), np.ones(n_r)]),  # unplaced
        np.concatenate([late.astype(np.float64), np.zeros(n_r)]),  # late
        np.concatenate([weights * waits, np.zeros(n_r)]),  # weighted waiting
    )
    # Each level is minimised with those before it held at their optimum (plus a hair, for
    # HiGHS's tolerances); its capacity duals price one more minute in that level's unit.
    per_minute = []
    rows, upper = room, capacity
    for costs in levels:
        found = linprog(costs, A_ub=rows, b_ub=upper, A_eq=one, b_eq=np.ones(n_r), method="highs")
        if found.status != 0:
            return ()
        per_minute.append(-np.asarray(found.ineqlin.marginals)[:n_s])
        held = found.fun + _SLACK * max(1.0, abs(found.fun))
        rows = sparse.vstack([rows, sparse.csr_array(costs.reshape(1, -1))], format="csr")
        upper = np.concatenate([upper, [held]])
    slots: dict[str, int] = defaultdict(int)
    for panel in problem.authority.panels:
        slots[panel.id] = panel.slot_minutes
    return tuple(
        SlotValue(
            sitting,
            slots[sitting.panel],
            placed=_per_slot(per_minute[0][k], slots[sitting.panel]),
            late=_per_slot(per_minute[1][k], slots[sitting.panel]),
            waiting_days=_per_slot(per_minute[2][k], slots[sitting.panel]),
        )
        for k, sitting in enumerate(problem.sittings)
    )


def _per_slot(per_minute: float, slot_minutes: int) -> float:
    return max(0.0, float(per_minute) * slot_minutes)


__all__ = ["SlotValue", "slot_values"]
