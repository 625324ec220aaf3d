"""Capacity advice for managers: the least a panel must add to reach a target.

``advise`` lists the changes a manager could make (extra sittings, longer windows, a week's
sitting for a fortnightly panel, a shorter slot), chooses the cheapest set that reaches the
target by a relaxation of the planner (:mod:`.choice`), confirms it with the real planner and
prices each sitting's minutes (:mod:`.prices`). :mod:`.outputs` writes what a manager reads.
"""

from panelsched.advice.advise import Advice, Figures, Step, advise, figures_of
from panelsched.advice.capacity_changes import Change, candidates, revised_model, with_changes
from panelsched.advice.prices import SlotValue, slot_values
from panelsched.advice.settings import AdviceSettings, Costs, Target, load_settings, parse_target

__all__ = [
    "Advice",
    "AdviceSettings",
    "Change",
    "Costs",
    "Figures",
    "SlotValue",
    "Step",
    "Target",
    "advise",
    "candidates",
    "figures_of",
    "load_settings",
    "parse_target",
    "revised_model",
    "slot_values",
    "with_changes",
]
