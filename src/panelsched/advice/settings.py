"""What the advice may propose and what each change costs: the advice file and the target.

The advice file is optional YAML; every key has a default (docs/advice.md)::

    costs:                      # in hours of panel time, or any unit the council prefers
      extra_sitting: 4          # a whole extra sitting on a working day (3 hours and setting up)
      weekly_sitting: 3.5       # the off week of a fortnightly panel: its usual day and room
      extend_30: 0.5            # a sitting's window 30 minutes longer
      extend_60: 1              # or 60 minutes longer
      shorter_slot: 20          # the standard slot shortened for the whole range
    extra_weekdays: [MO, TU, WE, TH, FR]
    latest_end: "17:30"         # no window is extended past this
    shorter_slot_minutes: {}    # panel id to the shorter slot the source allows (none)
    panels: []                  # the panels to advise on (default: every panel referred to)

A change is offered only where it can be adopted: an extra sitting on a working day the panel
does not already sit, an extension that ends by ``latest_end``, a shorter slot only where the
file names one for the panel.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from panelsched.core.offsets import WEEKDAYS, parse_clock
from panelsched.errors import InputError, Problem
from panelsched.io.yaml_files import (
    dotted_key,
    keys_at,
    plain_message,
    problems_from,
    read_yaml_mapping,
)


class Costs(BaseModel):
    """What each kind of change costs (defaults in hours of panel time)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    extra_sitting: float = Field(default=4.0, ge=0)
    weekly_sitting: float = Field(default=3.5, ge=0)
    extend_30: float = Field(default=0.5, ge=0)
    extend_60: float = Field(default=1.0, ge=0)
    shorter_slot: float = Field(default=20.0, ge=0)


class AdviceSettings(BaseModel):
    """The advice file, read and checked."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    costs: Costs = Field(default_factory=Costs)
    extra_weekdays: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR")
    latest_end: time = time(17, 30)
    shorter_slot_minutes: Mapping[str, int] = Field(default_factory=dict)
    panels: tuple[str, ...] = ()

    @field_validator("extra_weekdays", mode="before")
    @classmethod
    def _weekdays(cls, value: object) -> object:
        if not isinstance(value, list | tuple):
            raise ValueError("expected a list of weekdays like [MO, WE]")
        days = tuple(str(v).upper() for v in value)
        wrong = [d for d in days if d not in WEEKDAYS[:5]]
        if wrong:
            raise ValueError(f"{', '.join(wrong)}: expected weekdays MO, TU, WE, TH or FR")
        return days

    @field_validator("latest_end", mode="before")
    @classmethod
    def _clock(cls, value: object) -> object:
        return parse_clock(value) if isinstance(value, str) else value

    @field_validator("shorter_slot_minutes")
    @classmethod
    def _minutes(cls, value: Mapping[str, int]) -> Mapping[str, int]:
        for panel, minutes in value.items():
            if minutes <= 0:
                raise ValueError(f"{panel}: {minutes} is not a slot length; expected minutes")
        return value


def load_settings(path: str | Path | None) -> AdviceSettings:
    """Read an advice file; the defaults when ``path`` is ``None``.

    Raises
    ------
    InputError
        Naming the file and the key for each problem.
    """
    if path is None:
        return AdviceSettings()
    file = str(path)
    raw = read_yaml_mapping(path, keys=("costs", "extra_weekdays", "latest_end"))
    try:
        return AdviceSettings.model_validate(raw)
    except ValidationError as exc:

        def locate(err: Any) -> tuple[str | None, str | None]:
            return None, dotted_key(err["loc"])[0]

        def describe(err: Any) -> str:
            if err["type"] == "value_error":
                return str(err["msg"]).removeprefix("Value error, ")
            return dotted_key(err["loc"])[1] + plain_message(
                err, keys_at(AdviceSettings, err["loc"])
            )

        problems = problems_from(exc.errors(), file, locate=locate, describe=describe)
        raise InputError(problems) from None


def check_panels(settings: AdviceSettings, panel_ids: Sequence[str], file: str) -> None:
    """Refuse an advice file that names a panel the model does not have.

    Raises
    ------
    InputError
        Naming the file, the key and the unknown ids.
    """
    problems = []
    for key, named in (
        ("panels", settings.panels),
        ("shorter_slot_minutes", settings.shorter_slot_minutes),
    ):
        unknown = [p for p in named if p not in panel_ids]
        if unknown:
            problems.append(
                Problem(
                    file,
                    f"{', '.join(unknown)}: not a panel of the model; "
                    f"known: {', '.join(panel_ids)}",
                    key=key,
                )
            )
    if problems:
        raise InputError(problems)


TargetKind = Literal["late", "max-wait"]


@dataclass(frozen=True)
class Target:
    """What the advice must reach: at most ``count`` cases late (``late``), or at most
    ``count`` cases waiting more than ``days`` (``max-wait``).

    ``late=0`` is no case heard after its due date (nor left unplaced); ``max-wait=42`` is no
    case waiting more than 42 days from submission to its sitting.
    """

    kind: TargetKind
    days: int = 0
    count: int = 0

    def __str__(self) -> str:
        return f"late={self.count}" if self.kind == "late" else f"max-wait={self.days}"

    def words(self) -> str:
        """The target as a manager says it."""
        if self.kind == "late":
            return "no case heard late" if self.count == 0 else f"at most {self.count} late"
        return f"no case waiting more than {self.days} days"


# ``late=0`` or ``max-wait=42``, as the command line and scenario files write a target.
TARGET_PATTERN = re.compile(r"^\s*(late|max-wait)\s*=\s*(\d+)\s*$", re.IGNORECASE)


def parse_target(text: str) -> Target:
    """``late=0`` or ``max-wait=42`` as a :class:`Target`.

    Raises
    ------
    InputError
        Naming ``--target`` when the text is neither form.
    """
    found = TARGET_PATTERN.match(text)
    if found is None:
        raise InputError.one(
            "--target", f"'{text}' is not a target; expected late=0 or max-wait=42"
        )
    kind, value = found[1].lower(), int(found[2])
    if kind == "late":
        return Target("late", count=value)
    if value == 0:
        raise InputError.one("--target", "max-wait=0 asks for no waiting at all; expected days")
    return Target("max-wait", days=value)


__all__ = [
    "TARGET_PATTERN",
    "AdviceSettings",
    "Costs",
    "Target",
    "check_panels",
    "load_settings",
    "parse_target",
]
