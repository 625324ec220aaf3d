"""Case references and people's ids: what an input may use as one.

A case reference becomes part of keys (``R-1#2`` is a case's second hearing), file names and an
agenda's column; a person's id names their calendar file. Both are checked where a file or
form is read (:mod:`panelsched.io.inputs`), so a bad one is refused, naming row and column,
before it is stored.
"""

from __future__ import annotations

import re

# Letters, digits and these marks only, and no longer than this.
REFERENCE_MARKS = "-_/."
MAX_REFERENCE = 40
# A person's id names their calendar file (calendars/people/<id>.ics) and an agenda line.
MAX_PERSON = 64
_OUTSIDE_REFERENCE = re.compile(r"[^A-Za-z0-9_./-]")


def _shown(text: str) -> str:
    return text if len(text) <= 24 else text[:20] + "..."


def _mark(character: str) -> str:
    if character == " ":
        return "a space"
    if not character.isprintable():
        return f"the invisible character U+{ord(character):04X}"
    return f"'{character}'"


def reference_problem(text: str, what: str = "case reference") -> str | None:
    """Why ``text`` cannot be a case reference (``None``: it can).

    >>> reference_problem("R-000012#2")
    "'R-000012#2' holds '#', which a case reference cannot; use letters, digits and - _ / . only"
    """
    if len(text) > MAX_REFERENCE:
        return (
            f"'{_shown(text)}' is {len(text)} characters long; a {what} may have at most "
            f"{MAX_REFERENCE}"
        )
    outside = dict.fromkeys(_OUTSIDE_REFERENCE.findall(text))
    if outside:
        marks = " ".join(REFERENCE_MARKS)
        return (
            f"'{_shown(text)}' holds {', '.join(_mark(c) for c in outside)}, which a {what} "
            f"cannot; use letters, digits and {marks} only"
        )
    return None


def known_problem(reference: str, held: str) -> str:
    """The words for a new referral whose reference the planner already holds as ``held``."""
    as_held = "" if held == reference else f" as '{held}'"
    return (
        f"'{reference}' is already in the planner{as_held}; give each new referral a new case "
        "reference"
    )


def person_problem(name: str) -> str | None:
    """Why ``name`` cannot name a person (``None``: it can): it is too long."""
    if len(name) > MAX_PERSON:
        return (
            f"'{_shown(name)}' is {len(name)} characters long; a person's name or id may have "
            f"at most {MAX_PERSON} (it names their calendar file)"
        )
    return None


__all__ = [
    "MAX_PERSON",
    "MAX_REFERENCE",
    "REFERENCE_MARKS",
    "known_problem",
    "person_problem",
    "reference_problem",
]
