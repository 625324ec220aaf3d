"""``planner init``: start a planner with a model in force."""

from __future__ import annotations

from pathlib import Path

from panelsched.forward.commands.report import Report
from panelsched.forward.store import Actor, Store


def init(path: str | Path, model: str | Path, actor: Actor) -> Report:
    """Start a planner at ``path`` with ``model`` in force.

    Raises
    ------
    InputError
        When ``path`` exists or the model cannot be read.
    """
    with Store.create(path, model, actor) as store:
        authority = store.model()
        return Report(
            "init",
            lines=(
                f"Started a forward planner for {authority.authority} in {path} "
                f"({len(authority.panels)} panels).",
            ),
        )
