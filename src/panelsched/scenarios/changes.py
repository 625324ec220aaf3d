"""A scenario's changes to panels: each checked against the panel model, then applied.

A change names a panel and sets any of its keys (:data:`PANEL_KEYS`), adds dates to its own
lists (:data:`ADDED_KEYS`) or merges it into another panel; :func:`apply_changes` returns the
changed model with every problem found, each naming the change and the key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from panelsched.core.panels import Authority, Panel
from panelsched.errors import Problem
from panelsched.io.yaml_files import plain_message, problems_from

# Keys of a panel a change may set (every key of a panel model except its id).
PANEL_KEYS = tuple(name for name in Panel.model_fields if name != "id")
# Dates a change adds to the panel's own lists rather than replacing them.
ADDED_KEYS = ("extra", "cancelled")
CHANGE_KEYS = ("panel", "merge_into", *PANEL_KEYS)


def _change_problems(exc: ValidationError, file: str, panel_id: str) -> list[Problem]:
    """A changed panel's errors, each key under ``changes`` (a panel's own check names its key)."""

    def locate(err: ErrorDetails) -> tuple[str | None, str | None]:
        return panel_id, ".".join(str(p) for p in err["loc"] if isinstance(p, str))

    return problems_from(
        exc.errors(),
        file,
        locate=locate,
        describe=lambda err: plain_message(err, PANEL_KEYS),
        prefix="changes",
    )


def unknown_ids(kind: str, ids: Sequence[str], known: Sequence[str]) -> str:
    """``unknown panel x, y; expected one of a, b``: a message naming ids a file got wrong."""
    return f"unknown {kind} {', '.join(ids)}; expected one of {', '.join(known)}"


def apply_changes(
    file: str, changes: Sequence[Any], base: Authority
) -> tuple[Authority, tuple[tuple[str, str], ...], tuple[str, ...], list[Problem]]:
    """The model after ``changes``, the merges, one line per change, and any problems."""
    problems: list[Problem] = []
    updates: dict[str, dict[str, Any]] = {}
    merged: dict[str, str] = {}
    lines: list[str] = []
    known = base.panel_ids
    for number, entry in enumerate(changes, start=1):
        where = f"#{number}"
        if not isinstance(entry, dict):
            problems.append(
                Problem(
                    file,
                    "expected a mapping like {panel: lam-crp, time: '13:00-17:00'}",
                    panel=where,
                    key="changes",
                )
            )
            continue
        panel_id = entry.get("panel")
        if not isinstance(panel_id, str) or panel_id not in known:
            message = (
                "this key is required"
                if panel_id is None
                else unknown_ids("panel", [str(panel_id)], known)
            )
            problems.append(Problem(file, message, panel=where, key="changes.panel"))
            continue
        unknown = [str(k) for k in entry if k not in CHANGE_KEYS]
        if unknown:
            problems.extend(
                Problem(
                    file,
                    f"unknown key; expected one of {', '.join(CHANGE_KEYS)}",
                    panel=panel_id,
                    key=f"changes.{k}",
                )
                for k in unknown
            )
            continue
        keys = [k for k in entry if k != "panel"]
        if not keys:
            problems.append(
                Problem(
                    file,
                    f"no change given; expected one or more of merge_into, {', '.join(PANEL_KEYS)}",
                    panel=panel_id,
                    key="changes",
                )
            )
            continue
        if "merge_into" in entry:
            target = entry["merge_into"]
            others = [p for p in known if p != panel_id]
            if len(keys) > 1:
                problems.append(
                    Problem(
                        file,
                        "a panel merged into another takes no other change; change "
                        "the panel it merges into instead",
                        panel=panel_id,
                        key="changes.merge_into",
                    )
                )
            elif not isinstance(target, str) or target not in known or target == panel_id:
                problems.append(
                    Problem(
                        file,
                        f"expected the id of another of the scenario's panels "
                        f"({', '.join(others) or 'it has none'}), got {target!r}",
                        panel=panel_id,
                        key="changes.merge_into",
                    )
                )
            elif panel_id in merged:
                problems.append(
                    Problem(
                        file, "this panel is merged twice", panel=panel_id, key="changes.merge_into"
                    )
                )
            else:
                merged[panel_id] = target
                lines.append(f"{panel_id} merged into {target}")
            continue
        update = updates.setdefault(panel_id, {})
        said = []
        for key in keys:
            value = entry[key]
            if key in ADDED_KEYS:
                if not isinstance(value, list):
                    problems.append(
                        Problem(
                            file,
                            f"expected a list of dates like [2027-12-30], added to "
                            f"the model's own {key} dates",
                            panel=panel_id,
                            key=f"changes.{key}",
                        )
                    )
                    continue
                update[key] = [*update.get(key, dict(base.panel(panel_id))[key]), *value]
                said.append(f"{key} sittings on {', '.join(str(v) for v in value)}")
            else:
                update[key] = value
                said.append(f"{key} {'none' if value is None else value}")
        lines.append(f"{panel_id}: {'; '.join(said)}")
    for source, target in merged.items():
        if target in merged:
            problems.append(
                Problem(
                    file,
                    f"{target} is itself merged into {merged[target]}; merge "
                    f"{source} into {merged[target]} instead",
                    panel=source,
                    key="changes.merge_into",
                )
            )
        if source in updates:
            problems.append(
                Problem(
                    file,
                    "this panel is merged into another, so changing it has no effect",
                    panel=source,
                    key="changes",
                )
            )
    panels: list[Panel] = []
    for panel in base.panels:
        if panel.id in merged:
            continue
        if panel.id not in updates:
            panels.append(panel)
            continue
        try:
            # Iterating a model gives its fields as they are (an offset stays an Offset).
            panels.append(Panel.model_validate({**dict(panel), **updates[panel.id]}))
        except ValidationError as exc:
            problems.extend(_change_problems(exc, file, panel.id))
    if problems:
        return base, (), (), problems
    authority = Authority.model_validate(
        {
            "authority": base.authority,
            "holidays": base.holidays,
            "timezone": base.timezone,
            "panels": panels,
            "clocks": base.clocks,
            "source_file": base.source_file,
        }
    )
    return authority, tuple(merged.items()), tuple(lines), []


__all__ = ["ADDED_KEYS", "CHANGE_KEYS", "PANEL_KEYS", "apply_changes", "unknown_ids"]
