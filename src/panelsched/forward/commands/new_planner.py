"""``planner init``: start a planner with a model in force."""

from __future__ import annotations

from pathlib import Path

from panelsched.forward.commands.report import Report
from panelsched.forward.store import Actor, Store
from panelsched.io.model_file import ModelFile


def init(path: str | Path, model: ModelFile, actor: Actor) -> Report:
    """Start a planner at ``path`` with ``model`` in force.

    Parameters
    ----------
    path
        Where the planner's database goes; nothing may be there yet.
    model
        The panel model, as :func:`~panelsched.io.model_file.read_model_file` read it.
    actor
        Who starts the planner, and when.

    Returns
    -------
    Report
        One line naming the authority, the database and the number of panels.

    Raises
    ------
    InputError
        When ``path`` exists, or its folder does not.
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
