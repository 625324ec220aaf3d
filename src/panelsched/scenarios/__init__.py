"""Capacity scenarios: what if a panel sat fortnightly, ran longer, or demand rose 20%?

A scenario file (:mod:`.spec`) names a panel model, changes to its panels, demand and a number
of replications. Each replication draws its demand (:mod:`.demand`), is planned by the solver
and by the greedy baseline (:mod:`.runner`), and is measured (:mod:`.kpis`); the replications
give each figure a mean and a 95% confidence interval (:mod:`.stats`), written out as
``kpis.csv``, ``comparison.csv`` and ``report.md`` (:mod:`.outputs`). A scenario with
``advise:`` is also advised replication by replication (:mod:`.advice`, over
:mod:`panelsched.advice`).
"""

from panelsched.scenarios.runner import Run, replication_seed, run_scenarios
from panelsched.scenarios.spec import Scenario, load_scenario, load_scenarios

__all__ = [
    "Run",
    "Scenario",
    "load_scenario",
    "load_scenarios",
    "replication_seed",
    "run_scenarios",
]
