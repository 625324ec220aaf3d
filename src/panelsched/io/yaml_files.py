"""Reading YAML input files, and saying plainly what pydantic found wrong in them.

Panel models (:mod:`panelsched.core.panels`) and scenario files (:mod:`panelsched.scenarios.spec`)
are both YAML mappings checked by pydantic. :func:`read_yaml_mapping` reads either file the same
way: :func:`read_text_file` reads it and :func:`read_yaml_text` parses the text.
:func:`problems_from` turns pydantic's errors into :class:`~panelsched.errors.Problem` lines
naming the file, the panel and the key, each caller choosing its own words (:func:`plain_message`
is the full set used by scenario files).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import BaseModel
from pydantic_core import ErrorDetails

from panelsched.errors import InputError, Problem


class _NoSexagesimalLoader(yaml.SafeLoader):
    """YAML 1.1 reads an unquoted 13:00 as the number 780; keep such values as text."""


_NoSexagesimalLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:int"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_NoSexagesimalLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^[-+]?(0|[1-9][0-9_]*)$"),
    list("-+0123456789"),
)


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    # PyYAML raises a bare ValueError for 2027-02-30; keep it as text so the key that holds
    # it reports "not a date" instead of the loader crashing.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_NoSexagesimalLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def read_yaml_mapping(
    path: str | Path, *, keys: Sequence[str], folder: str | None = None
) -> dict[str, Any]:
    """Read a YAML file whose top level is a mapping.

    An unquoted ``13:00`` stays the text ``"13:00"`` (not YAML 1.1's 780) and an impossible
    date such as ``2027-02-30`` stays text, so the key that holds it can say what is wrong.

    Parameters
    ----------
    path
        The file, as the user named it.
    keys
        The file's main keys, named when the top level is not a mapping.
    folder
        What the file should be (``"a scenario YAML file"``), named when ``path`` is a folder;
        without it a folder is a file that cannot be read.

    Returns
    -------
    dict
        The top-level mapping, as read.

    Raises
    ------
    InputError
        Naming the file: missing, unreadable, not YAML (with the line) or not a mapping.
    """
    return read_yaml_text(read_text_file(path, folder=folder), str(path), keys=keys)


def read_text_file(path: str | Path, *, folder: str | None = None) -> str:
    """Read a text file whole, a byte-order mark dropped, naming the file if it cannot be read.

    Parameters
    ----------
    path
        The file, as the user named it.
    folder
        What the file should be (``"a scenario YAML file"``), named when ``path`` is a folder;
        without it a folder is a file that cannot be read.

    Returns
    -------
    str
        The file's text.

    Raises
    ------
    InputError
        Naming the file: missing, a folder, unreadable or not UTF-8.
    """
    file = str(path)
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError.one(file, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        if folder is not None and isinstance(exc, IsADirectoryError):
            raise InputError.one(file, f"is a folder; expected {folder}") from None
        raise InputError.one(file, f"cannot read the file ({exc.__class__.__name__})") from None


def read_yaml_text(text: str, file: str, *, keys: Sequence[str]) -> dict[str, Any]:
    """Read YAML text whose top level is a mapping, as :func:`read_yaml_mapping` reads a file.

    Parameters
    ----------
    text
        The YAML.
    file
        The name problems give, as the user knows the text.
    keys
        The main keys, named when the top level is not a mapping.

    Returns
    -------
    dict
        The top-level mapping, as read.

    Raises
    ------
    InputError
        Naming ``file``: not YAML (with the line) or not a mapping.
    """
    try:
        raw = yaml.load(text, Loader=_NoSexagesimalLoader)
    except yaml.YAMLError as exc:
        raise InputError.one(file, _yaml_problem(exc, text)) from None
    if not isinstance(raw, dict):
        raise InputError.one(file, f"expected a mapping with keys {', '.join(keys)}")
    return raw


def _yaml_problem(exc: yaml.YAMLError, text: str) -> str:
    """What is wrong with the YAML, and where: a tab is named, as editors hide it."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return "not valid YAML"
    where = f"line {mark.line + 1}"
    lines = text.splitlines()
    row = lines[mark.line] if mark.line < len(lines) else ""
    # PyYAML stops at the tab itself ("found character '\t' that cannot start any token").
    if row[mark.column : mark.column + 1] == "\t":
        return (
            f"not valid YAML: {where}, column {mark.column + 1} is a tab character; "
            "YAML indents with spaces only, so replace it with spaces"
        )
    return f"not valid YAML at {where}"


# A check of our own names the key it is about: "panel 'lam-crp', key 'anchor': ...".
_NAMED = re.compile(r"^(?:panel '(?P<panel>[^']*)', )?key '(?P<key>[^']*)': (?P<message>.*)$")


def problems_from(
    errors: Iterable[ErrorDetails],
    file: str,
    *,
    locate: Callable[[ErrorDetails], tuple[str | None, str | None]],
    describe: Callable[[ErrorDetails], str],
    prefix: str = "",
) -> list[Problem]:
    """Pydantic's errors as one :class:`~panelsched.errors.Problem` each.

    Parameters
    ----------
    errors
        ``ValidationError.errors()``, less any the caller leaves out.
    file
        The file's name, as the user gave it.
    locate
        The panel and the key an error is about (either may be ``None``).
    describe
        What is wrong, in plain words.
    prefix
        Put before every key (``"demand"`` gives ``demand.scale``), or the key itself when
        there is none.

    Returns
    -------
    list of Problem
        In pydantic's order. Where ``locate`` gives no key and the message starts with
        ``panel 'P', key 'K': `` (as the model's own checks write), the panel and key come
        from the message instead.
    """
    problems = []
    for err in errors:
        panel, key = locate(err)
        message = describe(err)
        if not key and (named := _NAMED.match(message)):
            panel = named["panel"] or panel
            key, message = named["key"], named["message"]
        if prefix:
            key = f"{prefix}.{key}" if key else prefix
        problems.append(Problem(file, message, panel=panel, key=key or None))
    return problems


def check_message(err: ErrorDetails) -> str:
    """Pydantic's message, less the ``Value error, `` it puts before a check's own words."""
    return str(err["msg"]).removeprefix("Value error, ")


def dotted_key(loc: Sequence[int | str]) -> tuple[str, str]:
    """A pydantic location as a dotted key, and an ``item n: `` note for a list position."""
    keys: list[str] = []
    note = ""
    for part in loc:
        if isinstance(part, int):
            note = f"item {part + 1}: "
        else:
            keys.append(part)
    return ".".join(keys), note


def keys_at(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """The keys of the mapping an error at ``loc`` sits in (for an unknown key's message)."""
    owner = model
    for part in loc[:-1]:
        if isinstance(part, str):
            annotation = owner.model_fields[part].annotation
            nested = [a for a in getattr(annotation, "__args__", (annotation,)) if _is_model(a)]
            if nested:
                owner = cast(type[BaseModel], nested[0])
    return [field.alias or name for name, field in owner.model_fields.items()]


def _is_model(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


_BOUNDS = {
    "greater_than": "greater than",
    "greater_than_equal": "of at least",
    "less_than": "less than",
    "less_than_equal": "of at most",
}


def plain_message(err: ErrorDetails, allowed: Sequence[str]) -> str:
    """What a pydantic error means, in words someone editing YAML can act on.

    Parameters
    ----------
    err
        One of ``ValidationError.errors()``.
    allowed
        The keys an unknown key is listed against.

    Returns
    -------
    str
        Such as ``expected a whole number, got 'two'``.
    """
    kind = err["type"]
    given = err.get("input")
    got = f", got {given!r}" if isinstance(given, str | int | float | bool) else ""
    if kind == "extra_forbidden":
        return f"unknown key; expected one of {', '.join(allowed)}"
    if kind == "missing":
        return "this key is required"
    if kind in _BOUNDS:
        limit = next(iter(err.get("ctx", {}).values()), "")
        shown = f"{limit:g}" if isinstance(limit, int | float) else str(limit)
        return f"expected a number {_BOUNDS[kind]} {shown}{got}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number{got}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number{got}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected yes or no (true or false){got}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"expected a date like 2027-01-31{got}"
    if kind in ("string_type",):
        return f"expected text{got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "expected a mapping of keys to values"
    if kind in ("list_type", "tuple_type"):
        return "expected a list, like [1, 2]"
    if kind in ("too_short", "too_long"):
        context = err.get("ctx", {})
        low, high = context.get("min_length"), context.get("max_length")
        if low is not None and low == high:
            return f"expected exactly {low} items"
        if low is not None and kind == "too_short":
            return f"expected at least {low} item{'s' if low != 1 else ''}"
        return f"expected at most {high} items"
    if kind == "value_error":
        # A check of our own (or of the panel model) that already says what it expected.
        return check_message(err)
    return str(err["msg"]).replace("Input should be ", "expected ") + got


__all__ = [
    "check_message",
    "dotted_key",
    "keys_at",
    "plain_message",
    "problems_from",
    "read_text_file",
    "read_yaml_mapping",
    "read_yaml_text",
]
