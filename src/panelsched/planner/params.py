"""How ``solve`` plans: the method and the solver's settings, apart from its time limit."""

from __future__ import annotations

from dataclasses import dataclass

from panelsched.planner.result import Method


@dataclass(frozen=True, slots=True)
class SolveParams:
    """The settings of one :func:`panelsched.planner.solve`.

    Attributes
    ----------
    method
        ``"cpsat"`` (the optimiser) or ``"greedy"`` (today's practice, the baseline).
    seed, workers
        Solver seed and number of (interleaved, deterministic) search workers.
    threads
        Panels solved at once (default: the machine's cores, at most 4). The plan is the same
        whatever the number.
    """

    method: Method = "cpsat"
    seed: int = 0
    workers: int = 1
    threads: int | None = None


DEFAULT_PARAMS = SolveParams()
GREEDY = SolveParams(method="greedy")

__all__ = ["DEFAULT_PARAMS", "GREEDY", "SolveParams"]
