"""The people file: who gets which e-mail address (``person,email[,role]``).

Referral files name people by pseudonym or role id only (``SW-001``, ``TM-01``); the
addresses live in this one file, kept by the panel administrator, and are read at each run
of ``planner notify`` (the store never keeps them). A CSV or XLSX table::

    person,email,role
    SW-001,a.worker@council.example,social worker
    CH-01,chair@council.example,chair
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from panelsched.io.cells import Problems
from panelsched.io.tables import missing_columns, read_table

REQUIRED = ("person", "email")
OPTIONAL = ("role",)
# One address, no display name, no list: something@domain.tld without spaces or separators.
_ADDRESS = re.compile(r"[^@\s,;<>\"()\[\]]+@[^@\s,;<>\"()\[\]]+\.[^@\s,;<>\"()\[\].]+")


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who can be told: their pseudonym as the diary names them, their address and,
    if the file gives one, their role (for the greeting only)."""

    person: str
    email: str
    role: str = ""

    def __post_init__(self) -> None:
        if not self.person:
            raise ValueError("a person needs a name")
        if not _ADDRESS.fullmatch(self.email):
            raise ValueError(f"{self.email!r} is not an e-mail address")


@dataclass(frozen=True, slots=True)
class People:
    """Everyone in a people file, by the name the diary uses."""

    file: str
    by_name: Mapping[str, Person]

    def get(self, name: str) -> Person | None:
        """The person called ``name``, or ``None`` when the file does not list them."""
        return self.by_name.get(name)


def load_people(path: str | Path) -> People:
    """Read a people file, checking every row.

    Parameters
    ----------
    path
        A CSV or XLSX file with the columns ``person`` and ``email`` (and ``role``).

    Returns
    -------
    People
        Everyone listed.

    Raises
    ------
    InputError
        Naming file, row and column of every problem: a missing column, a blank name, an
        address that is not one, a person listed twice.
    """
    table = read_table(path)
    problems = Problems()
    problems.extend(missing_columns(table, REQUIRED, OPTIONAL))
    problems.raise_if_any()
    found: dict[str, Person] = {}
    first_row: dict[str, int] = {}
    for row_number, row in table.records():
        name, address, role = row["person"], row["email"], row.get("role", "")
        if not name:
            problems.add(table.at(row_number, "person"), "blank; give the person's id, SW-001")
            continue
        if name in first_row:
            problems.add(
                table.at(row_number, "person"),
                f"{name} is listed already, on row {first_row[name]}; give one address each",
            )
            continue
        first_row[name] = row_number
        if not _ADDRESS.fullmatch(address):
            shown = f"'{address}'" if address else "blank"
            problems.add(
                table.at(row_number, "email"),
                f"{shown} is not an e-mail address; expected one like a.worker@council.gov.uk",
            )
            continue
        found[name] = Person(name, address, role)
    problems.raise_if_any()
    return People(str(path), found)


__all__ = ["OPTIONAL", "REQUIRED", "People", "Person", "load_people"]
