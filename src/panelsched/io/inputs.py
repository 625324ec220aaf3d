"""Loading the planner's input files: referrals, availability and pinned bookings.

Each loader reads a CSV or XLSX table (:mod:`panelsched.io.tables`), parses its cells
(:mod:`panelsched.io.cells`), checks every row and either returns frozen data or raises one
:class:`~panelsched.errors.InputError` listing every problem in the file, each naming its row
and column. Nothing half-works: one bad cell and the file is refused.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import get_args

from panelsched.core.availability import Unavailability
from panelsched.core.clocks import pause_reasons
from panelsched.core.panels import Authority, Panel
from panelsched.core.plan import PinnedBooking
from panelsched.core.referrals import Priority, Referral
from panelsched.errors import InputError, Problem
from panelsched.io.cells import (
    Problems,
    Where,
    parse_bool,
    parse_date,
    parse_list,
    parse_moment,
    parse_money,
    parse_time,
)
from panelsched.io.clock_pauses import parse_pauses, pause_problem
from panelsched.io.identifiers import (
    MAX_PERSON,
    MAX_REFERENCE,
    known_problem,
    person_problem,
    reference_problem,
)
from panelsched.io.tables import Table, missing_columns, read_table, table_from_rows

REFERRAL_REQUIRED = ("referral_id", "panel", "submitted", "social_worker", "team_manager")
REFERRAL_DATES = (
    "requested",
    "cla_review",
    "cp_review",
    "contract_end",
    "review_by",
    "not_before",
    "deadline",
)
REFERRAL_OPTIONAL = (
    "child_id",
    "request_type",
    "complex",
    "priority",
    *REFERRAL_DATES,
    "locality",
    "late_permission",
    "attendees",
    "cost",
    "clock_pauses",
)
# The referrals file's columns in order, as panelsched.exports.input_files writes them.
REFERRAL_COLUMNS = (*REFERRAL_REQUIRED, *REFERRAL_OPTIONAL)
PRIORITIES: tuple[Priority, ...] = get_args(Priority)
_PRIORITY: dict[str, Priority] = {p: p for p in PRIORITIES}

AVAILABILITY_REQUIRED = ("person", "from", "to")
AVAILABILITY_OPTIONAL = ("start", "end", "reason")
AVAILABILITY_COLUMNS = (*AVAILABILITY_REQUIRED, *AVAILABILITY_OPTIONAL)

PINNED_REQUIRED = ("referral_id", "date", "start")


def _table(
    path: str | Path, required: tuple[str, ...], optional: tuple[str, ...], *, gather: bool = False
) -> Table:
    return _checked(read_table(path, required, gather=gather), required, optional)


def _checked(table: Table, required: tuple[str, ...], optional: tuple[str, ...]) -> Table:
    missing = missing_columns(table, required, optional)
    if missing:
        # Rows cannot be checked without their columns; report the columns alone, with any
        # cell the reading could not use.
        raise InputError([*missing, *table.problems])
    return table


def _required_text(
    row: Mapping[str, str], column: str, where: Where, problems: Problems, what: str
) -> str:
    text = row[column]
    if not text:
        problems.add(where, f"the cell is empty; {what}")
    return text


def _first_row_check(
    seen: dict[str, int], key: str, row_number: int, where: Where, problems: Problems
) -> None:
    if key in seen:
        problems.add(where, f"'{key}' appears twice; it was first on row {seen[key]}")
    else:
        seen[key] = row_number


# --------------------------------------------------------------------------- referrals


class _PanelIndex:
    """Panel ids, and groups of panels split by locality, as a referral may name them."""

    def __init__(self, authority: Authority) -> None:
        self.by_id = {p.id.lower(): p for p in authority.panels}
        self.groups: dict[str, list[Panel]] = {}
        for panel in authority.panels:
            if panel.group and panel.group.lower() not in self.by_id:
                self.groups.setdefault(panel.group.lower(), []).append(panel)

    def unknown(self, name: str) -> str:
        known = ", ".join(p.id for p in self.by_id.values())
        message = f"unknown panel '{name}'; known panels: {known}"
        if self.groups:
            grouped = ", ".join(sorted(self.groups))
            message += f"; panels split by locality (give a locality too): {grouped}"
        near = difflib.get_close_matches(
            name.lower(), [*self.by_id, *self.groups], n=1, cutoff=0.75
        )
        if near:
            message += f" (did you mean '{near[0]}'?)"
        return message

    def resolve(
        self, name: str, locality: str, table: Table, number: int, problems: Problems
    ) -> tuple[str, str] | None:
        """The panel id and its canonical locality, or ``None`` after recording a problem."""
        key, place = name.lower(), " ".join(locality.split()).lower()
        if (panel := self.by_id.get(key)) is not None:
            if panel.locality is None:
                return panel.id, locality
            if place and place != panel.locality.lower():
                problems.add(
                    table.at(number, "locality"),
                    f"panel '{panel.id}' sits for locality '{panel.locality}', but this "
                    f"referral names locality '{locality}'",
                )
                return None
            return panel.id, panel.locality
        if (members := self.groups.get(key)) is not None:
            names = ", ".join(sorted(p.locality or p.id for p in members))
            if not place:
                problems.add(
                    table.at(number, "locality"),
                    f"the cell is empty; panel '{name}' sits by locality, so give one of: {names}",
                )
                return None
            for panel in members:
                if (panel.locality or "").lower() == place:
                    return panel.id, panel.locality or ""
            problems.add(
                table.at(number, "locality"),
                f"no '{name}' panel sits for locality '{locality}'; its localities are: {names}",
            )
            return None
        problems.add(table.at(number, "panel"), self.unknown(name))
        return None


def load_referrals(
    path: str | Path, authority: Authority, known: Collection[str] = ()
) -> tuple[Referral, ...]:
    """Read the referrals file.

    Required columns: ``referral_id, panel, submitted, social_worker, team_manager``.
    Optional: ``child_id, request_type, complex, priority, requested, cla_review, cp_review,
    contract_end, review_by, not_before, deadline, locality, late_permission, attendees,
    cost, clock_pauses`` (periods the statutory clocks stand still, :mod:`.clock_pauses`).
    Other columns are ignored. A ``panel`` naming a group of panels split by
    locality (``Panel.group``) is resolved with the ``locality`` column.

    Parameters
    ----------
    path
        A CSV or XLSX file.
    authority
        The panel model, whose panel ids the referrals must name.
    known
        Case references the planner already holds: a referral using one (capitals aside) is
        refused with the file's other problems, not after them.

    Returns
    -------
    tuple[Referral, ...]
        Sorted by ``referral_id``.

    Raises
    ------
    InputError
        With every problem in the file, all at once: a missing required column, a file of
        no referrals, an empty required cell, an unknown panel or locality, a ``referral_id``
        used twice (capitals aside) or already in ``known``, one with marks other than
        letters, digits and ``- _ / .`` or longer than :data:`MAX_REFERENCE`, a person longer
        than :data:`MAX_PERSON`, ``late_permission`` at a panel that takes no late papers, a
        date that does not exist, an unknown priority, a bad yes/no or cost, a NUL character
        or a formula with no saved value, a clock pause badly written, ending before it
        starts, overlapping another or for a reason no clock that applies lists. What is
        unusual but may be right is not refused: see
        :func:`panelsched.io.plausible.referral_warnings`.
    """
    table = _table(path, REFERRAL_REQUIRED, REFERRAL_OPTIONAL, gather=True)
    return _referrals(table, authority, known)


def referrals_from_rows(
    file: str, rows: Sequence[Mapping[str, str]], authority: Authority, known: Collection[str] = ()
) -> tuple[Referral, ...]:
    """Referrals given as rows of cells (a web form's fields), read as a referrals file
    holding them would be: the same checks, the same messages (``file`` names it).

    Raises
    ------
    InputError
        As :func:`load_referrals`.
    """
    table = _checked(table_from_rows(file, rows), REFERRAL_REQUIRED, REFERRAL_OPTIONAL)
    return _referrals(table, authority, known)


def _referrals(
    table: Table, authority: Authority, known: Collection[str] = ()
) -> tuple[Referral, ...]:
    if not table.rows and not table.problems:
        raise InputError.one(
            table.file,
            "the file has no referrals: it has a header row and nothing under it; put one "
            "referral on each row below the header",
        )
    panels = _PanelIndex(authority)
    late_papers = {p.id: p.late_applications for p in authority.panels}
    problems = Problems()
    # Case references are compared as a person reads them: R-000001 and r-000001 are one.
    seen: dict[str, tuple[int, str]] = {}
    held = {reference.casefold(): reference for reference in known}
    referrals: list[Referral] = []
    for number, raw in table.records():
        row = {c: raw.get(c, "") for c in (*REFERRAL_REQUIRED, *REFERRAL_OPTIONAL)}
        count = len(problems)

        def at(column: str, number: int = number) -> Where:
            return table.at(number, column)

        referral_id = _required_text(
            row, "referral_id", at("referral_id"), problems, "every referral needs a case reference"
        )
        if referral_id:
            _reference_check(seen, referral_id, number, at("referral_id"), problems)
            if (same := held.get(referral_id.casefold())) is not None:
                problems.add(at("referral_id"), known_problem(referral_id, same))
        if row["child_id"] and (wrong := reference_problem(row["child_id"], "child's id")):
            problems.add(at("child_id"), wrong)
        social_worker = _required_text(
            row, "social_worker", at("social_worker"), problems, "name who presents the case"
        )
        team_manager = _required_text(
            row, "team_manager", at("team_manager"), problems, "name the presenting team manager"
        )
        for column in ("social_worker", "team_manager"):
            if wrong := person_problem(row[column]):
                problems.add(at(column), wrong)
        for name in parse_list(row["attendees"]):
            if wrong := person_problem(name):
                problems.add(at("attendees"), wrong)
        panel_name = _required_text(
            row, "panel", at("panel"), problems, "name the panel it goes to, e.g. a panel id"
        )
        resolved = (
            panels.resolve(panel_name, row["locality"], table, number, problems)
            if panel_name
            else None
        )
        submitted = problems.parse(parse_moment, row["submitted"], at("submitted"))
        dates = {
            c: problems.parse(parse_date, row[c], at(c)) if row[c] else None for c in REFERRAL_DATES
        }
        complex_case = problems.parse(parse_bool, row["complex"], at("complex"))
        late_permission = problems.parse(parse_bool, row["late_permission"], at("late_permission"))
        cost = problems.parse(parse_money, row["cost"], at("cost"))
        pauses = problems.parse(parse_pauses, row["clock_pauses"], at("clock_pauses"))
        if pauses and resolved is not None:
            allowed = pause_reasons(authority.clocks_of(resolved[0]), row["request_type"])
            if wrong := pause_problem(pauses, allowed, resolved[0], row["request_type"]):
                problems.add(at("clock_pauses"), wrong)
        priority = _PRIORITY.get(row["priority"].lower() or "routine")
        if priority is None:
            problems.add(
                at("priority"),
                f"'{row['priority']}' is not a priority; expected one of {', '.join(PRIORITIES)}",
            )
        if late_permission and resolved is not None and not late_papers[resolved[0]]:
            problems.add(
                at("late_permission"),
                f"panel '{resolved[0]}' takes no late papers, so no chair can have agreed to "
                "take this one; leave the cell empty (or no), or check the panel",
            )
        if len(problems) > count or resolved is None or submitted is None or priority is None:
            continue
        panel_id, locality = resolved
        referrals.append(
            Referral(
                referral_id=referral_id,
                panel=panel_id,
                submitted=submitted,
                social_worker=social_worker,
                team_manager=team_manager,
                child_id=row["child_id"],
                request_type=row["request_type"],
                complex=bool(complex_case),
                priority=priority,
                cla_review=dates["cla_review"],
                cp_review=dates["cp_review"],
                contract_end=dates["contract_end"],
                review_by=dates["review_by"],
                not_before=dates["not_before"],
                deadline=dates["deadline"],
                requested=dates["requested"],
                clock_pauses=pauses or (),
                locality=locality,
                late_permission=bool(late_permission),
                attendees=parse_list(row["attendees"]),
                cost=cost,
                row=number,
            )
        )
    found = table.with_problems(problems)
    if found:
        raise InputError(found)
    return tuple(sorted(referrals, key=lambda r: r.referral_id))


def _reference_check(
    seen: dict[str, tuple[int, str]], reference: str, number: int, where: Where, problems: Problems
) -> None:
    if wrong := reference_problem(reference):
        problems.add(where, wrong)
        return
    key = reference.casefold()
    if key not in seen:
        seen[key] = (number, reference)
        return
    first, written = seen[key]
    if written == reference:
        problems.add(where, f"'{reference}' appears twice; it was first on row {first}")
    else:
        problems.add(
            where,
            f"'{reference}' appears twice; it was first on row {first} as '{written}' (case "
            "references are the same whatever their capitals)",
        )


# --------------------------------------------------------------------------- availability


def load_availability(path: str | Path) -> tuple[Unavailability, ...]:
    """Read who cannot attend when.

    Columns ``person, from, to`` and optionally ``start, end`` (times like ``09:30``) and
    ``reason``. Without times a row covers whole days from ``from`` to ``to``. With times the
    period runs from ``from`` at ``start`` to ``to`` at ``end``; a missing ``start`` means the
    start of ``from``, a missing ``end`` the end of ``to``.

    Parameters
    ----------
    path
        A CSV or XLSX file.

    Returns
    -------
    tuple[Unavailability, ...]
        Sorted by person, then start and end.

    Raises
    ------
    InputError
        With every problem: an empty person, a bad date or time, ``to`` before ``from``, an
        ``end`` not after ``start``.
    """
    table = _table(path, AVAILABILITY_REQUIRED, AVAILABILITY_OPTIONAL)
    problems = Problems()
    periods: list[Unavailability] = []
    for number, raw in table.records():
        row = {c: raw.get(c, "") for c in (*AVAILABILITY_REQUIRED, *AVAILABILITY_OPTIONAL)}
        count = len(problems)
        person = _required_text(
            row, "person", table.at(number, "person"), problems, "name who is away"
        )
        if wrong := person_problem(person):
            problems.add(table.at(number, "person"), wrong)
        first = problems.parse(parse_date, row["from"], table.at(number, "from"))
        last = problems.parse(parse_date, row["to"], table.at(number, "to"))
        start = (
            problems.parse(parse_time, row["start"], table.at(number, "start"))
            if row["start"]
            else None
        )
        end = (
            problems.parse(parse_time, row["end"], table.at(number, "end")) if row["end"] else None
        )
        if len(problems) > count or first is None or last is None:
            continue
        if last < first:
            problems.add(
                table.at(number, "to"),
                f"'to' {last.isoformat()} is before 'from' {first.isoformat()}",
            )
            continue
        whole_days = start is None and end is None
        opens = datetime.combine(first, start or time(0, 0))
        closes = (
            datetime.combine(last, end)
            if end is not None
            else datetime.combine(last + timedelta(days=1), time(0, 0))
        )
        if not whole_days and closes <= opens:
            problems.add(
                table.at(number, "end"),
                f"the period ends at {closes:%Y-%m-%d %H:%M}, not after it starts at "
                f"{opens:%Y-%m-%d %H:%M}",
            )
            continue
        if whole_days:
            # Whole days: start and end are the first and last day, at midnight.
            opens, closes = datetime.combine(first, time(0, 0)), datetime.combine(last, time(0, 0))
        periods.append(
            Unavailability(
                person=person,
                start=opens,
                end=closes,
                whole_days=whole_days,
                reason=row["reason"],
                row=number,
            )
        )
    problems.raise_if_any()
    return tuple(
        sorted(periods, key=lambda u: (u.person, u.start, u.end, u.whole_days, u.reason, u.row))
    )


# --------------------------------------------------------------------------- both


def load_new_referrals(
    referrals: str | Path,
    availability: str | Path | None,
    authority: Authority,
    known: Collection[str] = (),
) -> tuple[tuple[Referral, ...], tuple[Unavailability, ...]]:
    """The referrals file and (if given) who is away, as ``planner add`` and the web upload
    read them: every problem of both files at once.

    Raises
    ------
    InputError
        With the referrals file's problems (:func:`load_referrals`, ``known`` as there), then
        the availability file's (:func:`load_availability`).
    """
    found: list[Problem] = []
    loaded: tuple[Referral, ...] = ()
    periods: tuple[Unavailability, ...] = ()
    try:
        loaded = load_referrals(referrals, authority, known)
    except InputError as exc:
        found += exc.problems
    if availability is not None:
        try:
            periods = load_availability(availability)
        except InputError as exc:
            found += exc.problems
    if found:
        raise InputError(found)
    return loaded, periods


# --------------------------------------------------------------------------- pinned


def load_pinned(path: str | Path) -> tuple[PinnedBooking, ...]:
    """Read bookings that must keep their date and time.

    Any table with ``referral_id, date, start`` will do, such as a previous
    ``bookings.csv``; its other columns are ignored.

    Returns
    -------
    tuple[PinnedBooking, ...]
        Sorted by ``referral_id``.

    Raises
    ------
    InputError
        With every problem: an empty cell, a bad date or time, a ``referral_id`` pinned twice.
    """
    table = _table(path, PINNED_REQUIRED, ())
    problems = Problems()
    seen: dict[str, int] = {}
    pinned: list[PinnedBooking] = []
    for number, row in table.records():
        count = len(problems)
        where = table.at(number, "referral_id")
        referral_id = _required_text(
            row, "referral_id", where, problems, "every booking needs its case reference"
        )
        if referral_id:
            _first_row_check(seen, referral_id, number, where, problems)
        day = problems.parse(parse_date, row["date"], table.at(number, "date"))
        start = problems.parse(parse_time, row["start"], table.at(number, "start"))
        if len(problems) > count or day is None or start is None:
            continue
        pinned.append(PinnedBooking(referral_id=referral_id, date=day, start=start, row=number))
    problems.raise_if_any()
    return tuple(sorted(pinned, key=lambda p: p.referral_id))


__all__ = [
    "AVAILABILITY_COLUMNS",
    "AVAILABILITY_OPTIONAL",
    "AVAILABILITY_REQUIRED",
    "MAX_PERSON",
    "MAX_REFERENCE",
    "PINNED_REQUIRED",
    "PRIORITIES",
    "REFERRAL_COLUMNS",
    "REFERRAL_OPTIONAL",
    "REFERRAL_REQUIRED",
    "known_problem",
    "load_availability",
    "load_new_referrals",
    "load_pinned",
    "load_referrals",
    "person_problem",
    "reference_problem",
    "referrals_from_rows",
]
