"""Panel model files: one YAML file per authority, read into frozen, validated panels.

:func:`read_model_file` reads a file once into a :class:`ModelFile` (its name, its text and
its panels: the forward planner's store keeps the text); :func:`load_model` gives just the
panels; :func:`load_model_text` reads the same YAML from text (the store's copy), so nothing is
written to disk to be read back. Every problem names the file, panel id and key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from panelsched.core.panels import Authority
from panelsched.errors import InputError, Problem
from panelsched.io.yaml_files import (
    check_message,
    problems_from,
    read_text_file,
    read_yaml_text,
)

# The model file's main keys, named when its top level is not a mapping.
_KEYS = ("authority", "holidays", "panels", "clocks")


# What a model's pydantic errors say, where pydantic's own words would not help.
_WORDS = {
    "extra_forbidden": "unknown key; check its spelling against the README",
    "missing": "this key is required",
    # Only a panel id has a pattern; a regular expression helps nobody who edits YAML.
    "string_pattern_mismatch": "expected lower-case letters, digits and hyphens, like lam-crp",
}


# "key 'after_panel': " before a clock's own check, moved into the problem's key.
_OWN_KEY = re.compile(r"^key '[^']*': ")


def _clock_key(listed: object, loc: Sequence[int | str], err: ErrorDetails) -> str:
    """``clocks.ehc-assessment-decision.starts``: a clock's key, by the clock's id (else its
    place in the list, ``clocks.#2``)."""
    clocks = listed if isinstance(listed, list) else []
    index = loc[0]
    name = f"#{index + 1}" if isinstance(index, int) else str(index)
    if isinstance(index, int) and index < len(clocks) and isinstance(clocks[index], dict):
        given = clocks[index].get("id")
        name = str(given) if given is not None else name
    keys = [str(part) for part in loc[1:] if isinstance(part, str)]
    if not keys and (own := re.match(r"^key '([^']*)': ", check_message(err))):
        keys = [own[1]]
    return ".".join(["clocks", name, *keys])


def _problems_from(exc: ValidationError, raw: Mapping[str, Any], file: str) -> list[Problem]:
    listed = raw.get("panels")
    panels: list[Any] = listed if isinstance(listed, list) else []
    errors = exc.errors()
    panel_errors = any(len(err["loc"]) >= 2 and err["loc"][0] == "panels" for err in errors)

    def counted_twice(err: ErrorDetails) -> bool:
        # Pydantic also counts the panels that failed as missing; that is one problem, not two.
        return panel_errors and list(err["loc"]) == ["panels"] and err["type"] == "too_short"

    def locate(err: ErrorDetails) -> tuple[str | None, str | None]:
        loc = list(err["loc"])
        if loc and loc[0] == "panels" and len(loc) >= 2 and isinstance(loc[1], int):
            index = loc[1]
            item = panels[index] if index < len(panels) else None
            given = item.get("id") if isinstance(item, dict) else None
            panel_id = str(given) if given is not None else f"#{index + 1}"
            if len(loc) >= 4 and loc[2] == "clocks" and isinstance(item, dict):
                return panel_id, _clock_key(item.get("clocks"), loc[3:], err)
            return panel_id, str(loc[2]) if len(loc) >= 3 else None
        if len(loc) >= 2 and loc[0] == "clocks":
            return None, _clock_key(raw.get("clocks"), loc[1:], err)
        return None, str(loc[0]) if loc else None

    def describe(err: ErrorDetails) -> str:
        if err["type"] == "too_short" and list(err["loc"]) == ["panels"]:
            return "expected a list of at least one panel"
        message = _WORDS.get(err["type"]) or check_message(err)
        # A clock's own check names its key; the key is in the location instead.
        return _OWN_KEY.sub("", message) if "clocks" in err["loc"] else message

    kept = [err for err in errors if not counted_twice(err)]
    return problems_from(kept, file, locate=locate, describe=describe)


@dataclass(frozen=True, slots=True)
class ModelFile:
    """A panel model file as read by :func:`read_model_file`.

    Attributes
    ----------
    file
        The file as the user named it (``models/lambeth.yaml``); problems name it.
    text
        The file's YAML, as read (a byte-order mark dropped).
    authority
        The panels the text holds, with ``source_file`` set to ``file``.
    """

    file: str
    text: str
    authority: Authority

    @property
    def name(self) -> str:
        """The file's name without its folder (``lambeth.yaml``)."""
        return Path(self.file).name


def read_model_file(path: str | Path) -> ModelFile:
    """Read a panel model YAML file once: its text and the panels it holds.

    Parameters
    ----------
    path
        The model file, e.g. ``models/lambeth.yaml``.

    Returns
    -------
    ModelFile
        The file's name and text, and its frozen, validated panels.

    Raises
    ------
    InputError
        Naming the file, panel id and key for each problem found.
    """
    file = str(path)
    text = read_text_file(path)
    return ModelFile(file, text, load_model_text(text, file))


def load_model(path: str | Path) -> Authority:
    """Read a panel model YAML file.

    Parameters
    ----------
    path
        The model file, e.g. ``models/lambeth.yaml``.

    Returns
    -------
    Authority
        Frozen, validated panels.

    Raises
    ------
    InputError
        Naming the file, panel id and key for each problem found.
    """
    return read_model_file(path).authority


def load_model_text(text: str, file: str) -> Authority:
    """Read a panel model from YAML text, as :func:`load_model` reads a file.

    Parameters
    ----------
    text
        The model's YAML.
    file
        The name problems give (the file the text first came from).

    Returns
    -------
    Authority
        Frozen, validated panels, with ``source_file`` set to ``file``.

    Raises
    ------
    InputError
        Naming ``file``, panel id and key for each problem found.
    """
    return _authority(read_yaml_text(text, file, keys=_KEYS), file)


def _authority(raw: Mapping[str, Any], file: str) -> Authority:
    try:
        return Authority.model_validate({**raw, "source_file": file})
    except ValidationError as exc:
        raise InputError(_problems_from(exc, raw, file)) from None


__all__ = ["ModelFile", "load_model", "load_model_text", "read_model_file"]
