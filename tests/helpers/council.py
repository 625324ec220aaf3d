"""The test councils of ``tests/data/``, read once and handed out as fresh copies.

``panels.yaml`` holds every test panel once; ``councils.yaml`` names each council's panels
and what it changes in them (a field set to null is left out). A test may change what it is
given: every call returns new dictionaries.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parents[1] / "data"


@cache
def _read(name: str) -> dict[str, Any]:
    with (DATA / name).open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def _panel(pid: str, changes: dict[str, Any]) -> dict[str, Any]:
    merged = _read("panels.yaml")[pid] | changes
    return {key: value for key, value in merged.items() if value is not None}


def panels(council: str) -> dict[str, dict[str, Any]]:
    """``council``'s panels by id, in the order councils.yaml lists them."""
    listed = _read("councils.yaml")[council]["panels"]
    return copy.deepcopy({pid: _panel(pid, changes) for pid, changes in listed.items()})


def fields(council: str) -> dict[str, Any]:
    """``council``'s own fields (``authority``, ``holidays``, ...), without its panels."""
    own = {k: v for k, v in _read("councils.yaml")[council].items() if k != "panels"}
    return copy.deepcopy(own)


def model(council: str) -> dict[str, Any]:
    """``council`` as a model document: its own fields, then ``panels`` as a list."""
    return fields(council) | {"panels": list(panels(council).values())}
