"""A scenario's changes keep the model's statutory clocks (issue 26): the authority's own
`clocks:` were dropped when the changed model was rebuilt."""

from __future__ import annotations

from panelsched.io.model_file import load_model_text
from panelsched.scenarios.changes import apply_changes
from tests.helpers.clocks import SEN_MODEL


def test_a_changed_model_keeps_the_authoritys_and_the_panels_clocks() -> None:
    base = load_model_text(SEN_MODEL, "sen.yaml")
    (clock,) = base.panel("sen").clocks
    # The same clock, under another id, for every panel of the authority.
    top = base.model_copy(update={"clocks": (clock.model_copy(update={"id": "ehc-plan"}),)})
    changed, _, lines, problems = apply_changes(
        "scenario.yaml", [{"panel": "sen", "slot_minutes": 20}], top
    )
    assert problems == [] and len(lines) == 1
    assert changed.panel("sen").slot_minutes == 20
    assert [c.id for c in changed.clocks] == ["ehc-plan"]
    assert [c.id for c in changed.panel("sen").clocks] == ["ehc-assessment-decision"]
