"""A panel's records of what happened: one row per case heard (or per case whose sitting was
cancelled), read from CSV or XLSX (:func:`load_records`) or from rows of cells such as a web
form's fields (:func:`records_from_rows`), with the same checks and the same messages.

Each column feeds named rules (:data:`RECORD_COLUMNS`, documented in docs/validator.md). Only
``referral_id``, ``panel`` and ``date`` are required: a rule whose columns are absent is
reported as *not checked*, never as passed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from itertools import repeat
from pathlib import Path
from typing import Any

from panelsched.core.clocks import ClockPause, pause_reasons
from panelsched.core.panels import Authority
from panelsched.core.sittings import sitting_id
from panelsched.errors import InputError, Problem
from panelsched.io.cells import (
    MAX_YEAR,
    MIN_YEAR,
    Where,
    parse_bool,
    parse_date,
    parse_list,
    parse_moment,
    parse_money,
    parse_time,
)
from panelsched.io.clock_pauses import parse_pauses, pause_problem
from panelsched.io.identifiers import person_problem, reference_problem
from panelsched.io.tables import Table, missing_columns, read_table, table_from_rows

OUTCOMES = ("approve", "decline", "defer")
_OUTCOME_WORDS = {
    "approve": "approve",
    "approved": "approve",
    "agreed": "approve",
    "agree": "approve",
    "decline": "decline",
    "declined": "decline",
    "not agreed": "decline",
    "refused": "decline",
    "defer": "defer",
    "deferred": "defer",
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the records file.

    Parameters
    ----------
    name
        The header (case and spaces do not matter: ``Referral ID`` is ``referral_id``).
    kind
        How the cell is read: text, date, moment, time, yes/no, pounds, number, whole number,
        list (``;``-separated) or outcome.
    feeds
        The rules that read it.
    meaning
        What to write in it.
    """

    name: str
    kind: str
    feeds: str
    meaning: str


RECORD_COLUMNS: tuple[Column, ...] = (
    Column("referral_id", "text", "all", "the pseudonymous case reference, e.g. C-1042"),
    Column("panel", "text", "all", "the panel id it was heard at (a group id with `locality`)"),
    Column("date", "date", "all", "the sitting's date"),
    Column("outcome", "outcome", "P9, P16, S10", "approve, decline or defer (blank if not heard)"),
    Column("locality", "text", "S1", "the locality, for panels split by locality"),
    Column("child_id", "text", "S12", "a pseudonymous child reference linking a child's cases"),
    Column("start", "time", "S3, S4, S5", "the slot's start, 13:15"),
    Column("end", "time", "S3, S4, S5", "the slot's end, 13:30"),
    Column("complex", "yes/no", "S4", "a complex case needing the longer slot"),
    Column("social_worker", "text", "S5", "the presenting SW or PA, by role/pseudonym (SW-07)"),
    Column("team_manager", "text", "S5, S13", "the presenting team manager (TM-03)"),
    Column("attended", "list", "S5", "who attended, `;`-separated"),
    Column("submitted", "moment", "S2, S14", "when the paperwork reached the administrator"),
    Column("late_permission", "yes/no", "S2", "the chair agreed to take a late paper"),
    Column("cla_review", "date", "S6", "the child's next CLA review"),
    Column("cp_review", "date", "S6", "the child's next CP review"),
    Column("review_by", "date", "S7", "the review-by date an earlier approval set"),
    Column("contract_end", "date", "S8", "when the placement's contract ends"),
    Column("emergency_decision", "moment", "S9", "when an emergency decision was taken"),
    Column("first_cla_review", "date", "S11", "the child's first CLA review (permanency)"),
    Column("still_neet", "yes/no", "S12", "the young person is still NEET after this sitting"),
    Column("deadline", "date", "S14", "any other date the case had to be heard by"),
    Column("submission_approved", "yes/no", "P1", "a manager approved it for submission"),
    Column("documents", "list", "P2", "the papers attached, `;`-separated"),
    Column("chair_present", "yes/no", "P3", "the chair or vice-chair chaired the sitting"),
    Column("chaired_by", "text", "P3", "who chaired, by the id the model's `members` give (CH-01)"),
    Column("minutes_on_record", "moment", "P4, P8", "when minutes/decision reached the record"),
    Column("notice_approved", "date", "P5", "when the chair approved the decision notice"),
    Column("notice_circulated", "date", "P5", "when the decision notice was circulated"),
    Column("family_told", "moment", "P6", "when the family was told the decision"),
    Column("draft_to_chair", "moment", "P7", "when the draft record went to the chair"),
    Column("chair_returned", "moment", "P7", "when the chair returned the final record"),
    Column("record_uploaded", "moment", "P7", "when the child's record was uploaded"),
    Column("review_date", "date", "P9, S12", "the review date an approval set"),
    Column("approval_end", "date", "P9", "when the approval runs out"),
    Column("cost", "pounds", "P10, P11", "the request's cost (one-off or cumulative), £2,000"),
    Column("request_type", "text", "P10, P11, P17, P18", "what is asked for, e.g. section 17"),
    Column("distance_miles", "number", "P12", "the placement's distance from home in miles"),
    Column("out_of_area", "yes/no", "P12", "the placement is out of the authority's area"),
    Column("director_agreed", "yes/no", "P12", "the Director agreed the placement beforehand"),
    Column("age", "whole number", "P13", "the child's age in years on the sitting date"),
    Column("sitting_cancelled", "yes/no", "P14", "the sitting was cancelled or moved"),
    Column("cancellation_agreed_by", "text", "P14", "who agreed it: chair, vice-chair, ..."),
    Column("members_notified", "moment", "P14", "when members were told of the change"),
    Column("papers_sent", "moment", "P15", "when the papers reached members"),
    Column("deferral_reason", "text", "P16", "why the case was deferred"),
    Column("court_date", "date", "P17", "when the plan goes to court"),
    Column("year_11_ends", "date", "P18", "when the young person finishes year 11"),
    Column("significant_change", "yes/no", "P19", "a transition or significant change"),
    Column("iro_notified", "yes/no", "P19", "the IRO was notified and copied in"),
    Column("requested", "date", "clocks", "when the request was made (a clock may count from it)"),
    Column(
        "clock_pauses",
        "pauses",
        "clocks",
        "periods a statutory clock stood still: `2027-07-22..2027-09-01 school-closure-4-weeks`",
    ),
)

REQUIRED = ("referral_id", "panel", "date")
_BY_NAME = {c.name: c for c in RECORD_COLUMNS}

# The field ``Record.date`` shadows the type inside the class body.
Day = date


@dataclass(frozen=True, slots=True)
class Record:
    """One row of the records file; ``None`` (or empty text) where the cell is blank."""

    referral_id: str
    panel: str
    date: date
    row: int = field(default=0, compare=False)
    outcome: str = ""
    locality: str = ""
    child_id: str = ""
    start: time | None = None
    end: time | None = None
    complex: bool | None = None
    social_worker: str = ""
    team_manager: str = ""
    attended: tuple[str, ...] | None = None
    submitted: datetime | None = None
    late_permission: bool | None = None
    cla_review: Day | None = None
    cp_review: Day | None = None
    review_by: Day | None = None
    contract_end: Day | None = None
    emergency_decision: datetime | None = None
    first_cla_review: Day | None = None
    still_neet: bool | None = None
    deadline: Day | None = None
    submission_approved: bool | None = None
    documents: tuple[str, ...] | None = None
    chair_present: bool | None = None
    chaired_by: str = ""
    minutes_on_record: datetime | None = None
    notice_approved: Day | None = None
    notice_circulated: Day | None = None
    family_told: datetime | None = None
    draft_to_chair: datetime | None = None
    chair_returned: datetime | None = None
    record_uploaded: datetime | None = None
    review_date: Day | None = None
    approval_end: Day | None = None
    cost: Decimal | None = None
    request_type: str = ""
    distance_miles: Decimal | None = None
    out_of_area: bool | None = None
    director_agreed: bool | None = None
    age: int | None = None
    sitting_cancelled: bool | None = None
    cancellation_agreed_by: str = ""
    members_notified: datetime | None = None
    papers_sent: datetime | None = None
    deferral_reason: str = ""
    court_date: Day | None = None
    year_11_ends: Day | None = None
    significant_change: bool | None = None
    iro_notified: bool | None = None
    requested: Day | None = None
    clock_pauses: tuple[ClockPause, ...] = ()

    @property
    def item(self) -> str:
        """How a finding names this record: its case and sitting."""
        return f"{self.referral_id}@{sitting_id(self.panel, self.date)}"

    @property
    def sitting_id(self) -> str:
        """The sitting's id, ``panel@YYYY-MM-DD``."""
        return sitting_id(self.panel, self.date)

    @property
    def heard(self) -> bool:
        """False for a row recording that the case's sitting was cancelled."""
        return not self.sitting_cancelled


@dataclass(frozen=True, slots=True)
class Records:
    """The records file: its rows, and which columns it has (absent = not checked).

    ``columns`` also holds the columns a referrals file supplied when joined
    (:func:`join_referrals`).
    """

    file: str
    rows: tuple[Record, ...]
    columns: frozenset[str]

    def has(self, *names: str) -> bool:
        """True when every one of ``names`` is a column."""
        return all(name in self.columns for name in names)


# --------------------------------------------------------------------------- cells


def _parse_number(text: str, where: Where) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise where.error(f"'{text}' is not a number; expected one like 12 or 12.5") from None
    if not value.is_finite() or value < 0:
        raise where.error(f"'{text}' is not a distance; expected a number like 12 or 12.5")
    return value


def _parse_whole(text: str, where: Where) -> int:
    if not text.isdigit():
        raise where.error(f"'{text}' is not a whole number of years; expected one like 15")
    return int(text)


def _parse_outcome(text: str, where: Where) -> str:
    found = _OUTCOME_WORDS.get(" ".join(text.lower().split()))
    if found is None:
        raise where.error(f"'{text}' is not an outcome; expected one of {', '.join(OUTCOMES)}")
    return found


def _parse_bool(text: str, where: Where) -> bool:
    return parse_bool(text, where)


_PARSERS: dict[str, Callable[[str, Where], Any]] = {
    "date": parse_date,
    "moment": parse_moment,
    "time": parse_time,
    "yes/no": _parse_bool,
    "pounds": parse_money,
    "number": _parse_number,
    "whole number": _parse_whole,
    "outcome": _parse_outcome,
    "pauses": parse_pauses,
}


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2})?")


def _fast_date(text: str) -> date | None:
    """The common ISO date by the C parser; ``None`` sends anything else to ``parse_date``."""
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def _fast_moment(text: str) -> datetime | None:
    """The common ISO moment by the C parser; ``None`` sends anything else to
    ``parse_moment``."""
    if not _ISO_MOMENT.fullmatch(text):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if MIN_YEAR <= moment.year <= MAX_YEAR else None


# Same answers as the full parsers for the forms they cover (tested), several times faster.
_FAST: dict[str, Callable[[str], Any]] = {"date": _fast_date, "moment": _fast_moment}


class _Panels:
    """Resolve a panel cell: a panel id, or a group id with a locality."""

    def __init__(self, authority: Authority) -> None:
        self.by_id = {p.id.lower(): p.id for p in authority.panels}
        self.groups: dict[tuple[str, str], str] = {}
        for panel in authority.panels:
            if panel.group and panel.locality:
                self.groups[(panel.group.lower(), panel.locality.lower())] = panel.id
        self.known = ", ".join(authority.panel_ids)

    def resolve(self, name: str, locality: str) -> str | None:
        found = self.by_id.get(name.lower())
        if found is not None:
            return found
        return self.groups.get((name.lower(), " ".join(locality.split()).lower()))


def load_records(path: str | Path, authority: Authority) -> Records:
    """Read a records file.

    Parameters
    ----------
    path
        A CSV or XLSX file with the columns of :data:`RECORD_COLUMNS`; ``referral_id``,
        ``panel`` and ``date`` are required, the rest optional; unknown columns are ignored.
    authority
        The model whose panel ids the ``panel`` column names.

    Returns
    -------
    Records
        Rows in file order, and the columns present.

    Raises
    ------
    InputError
        Listing every bad cell (file, row, column): a missing required column, an empty
        required cell, an unknown panel, a date that does not exist, an unknown outcome, a
        yes/no or amount that cannot be read, the same case twice at one sitting.
    """
    return _records_from(_checked(read_table(path)), authority)


def records_from_rows(
    file: str, rows: Sequence[Mapping[str, str]], authority: Authority
) -> Records:
    """Records given as rows of cells, column name to text (a web form's fields), read as a
    records file holding them would be: the same checks, the same messages.

    Parameters
    ----------
    file
        The name problems give as the file (``outcome-form.csv``).
    rows
        The rows; the first one's keys are the header.
    authority
        The model whose panel ids the ``panel`` column names.

    Raises
    ------
    InputError
        As :func:`load_records`.
    """
    return _records_from(_checked(table_from_rows(file, rows)), authority)


def _checked(table: Table) -> Table:
    missing = missing_columns(table, REQUIRED, [c.name for c in RECORD_COLUMNS])
    if missing:
        raise InputError(missing)
    return table


def _records_from(table: Table, authority: Authority) -> Records:
    # Column by column: a column's distinct texts are parsed once (sitting dates, yes/no and
    # outcomes repeat), which keeps 100,000 rows to about a second.
    present = tuple(c for c in RECORD_COLUMNS if c.name in table.columns)
    numbers = table.row_numbers
    position = {name: i for i, name in enumerate(table.columns)}
    found: list[tuple[int, int, Problem]] = []

    def bad(index: int, name: str, message: str) -> None:
        where = table.at(numbers[index], name)
        found.append((numbers[index], position.get(name, 0), where.problem(message)))

    values: dict[str, list[Any]] = {}
    for column in present:
        texts = [cells[column.name] for cells in table.rows]
        parser = _PARSERS.get(column.kind)
        if parser is None and column.kind != "list":
            values[column.name] = texts
            continue
        parsed: dict[str, Any] = {}
        failed: dict[str, str] = {}
        where = table.at(None, column.name)
        fast = _FAST.get(column.kind)
        for text in set(texts) - {""}:
            if parser is None:
                parsed[text] = parse_list(text)
                continue
            quick = fast(text) if fast is not None else None
            if quick is not None:
                parsed[text] = quick
                continue
            try:
                parsed[text] = parser(text, where)
            except InputError as exc:
                failed[text] = exc.problems[0].message
        if failed:
            for index, text in enumerate(texts):
                if text in failed:
                    bad(index, column.name, failed[text])
        values[column.name] = [parsed.get(t) for t in texts]
    for name in REQUIRED:
        for index, cells in enumerate(table.rows):
            if not cells[name]:
                bad(index, name, f"the cell is empty; {_BY_NAME[name].meaning}")
    panels = _Panels(authority)
    localities = values.get("locality", [""] * len(table.rows))
    resolved_panels: list[str] = []
    for index, (name, place) in enumerate(zip(values["panel"], localities, strict=True)):
        resolved = panels.resolve(name, place) if name else ""
        if resolved is None:
            bad(index, "panel", f"unknown panel '{name}'; known panels: {panels.known}")
        resolved_panels.append(resolved or "")
    values["panel"] = resolved_panels
    values["row"] = list(numbers)
    _check_pauses(values, authority, bad)
    _check_new_cases(values, bad)
    broken = {row for row, _, _ in found}
    sources = [values.get(f.name, repeat(f.default)) for f in fields(Record)]
    seen: dict[tuple[str, str, date], int] = {}
    rows: list[Record] = []
    for row_values in zip(*sources, strict=False):
        record = Record(*row_values)
        if record.row in broken:
            continue
        key = (record.referral_id, record.panel, record.date)
        if key in seen:
            found.append(
                (
                    record.row,
                    position["referral_id"],
                    table.at(record.row, "referral_id").problem(
                        f"'{record.referral_id}' is recorded twice at {record.sitting_id}; it "
                        f"was first on row {seen[key]}"
                    ),
                )
            )
            continue
        seen[key] = record.row
        rows.append(record)
    if found:
        raise InputError(problem for _, _, problem in sorted(found, key=lambda f: f[:2]))
    return Records(table.file, tuple(rows), frozenset(c.name for c in present))


def _check_pauses(
    values: dict[str, list[Any]], authority: Authority, bad: Callable[[int, str, str], None]
) -> None:
    """A blank ``clock_pauses`` cell is no pause; a pause must give a reason one of the clocks
    that apply to the case lists (as a referrals file's must)."""
    pauses = values.get("clock_pauses")
    if pauses is None:
        return
    values["clock_pauses"] = [found or () for found in pauses]
    kinds = values.get("request_type", [""] * len(pauses))
    for index, (found, panel, kind) in enumerate(
        zip(values["clock_pauses"], values["panel"], kinds, strict=True)
    ):
        if not found or not panel:
            continue
        allowed = pause_reasons(authority.clocks_of(panel), kind)
        if wrong := pause_problem(found, allowed, panel, kind):
            bad(index, "clock_pauses", wrong)


def _check_new_cases(values: dict[str, list[Any]], bad: Callable[[int, str, str], None]) -> None:
    """A row with ``emergency_decision`` adds a case to the planner: its reference and people
    are held to what a referrals file's are (:mod:`panelsched.io.identifiers`). A row about a
    case already booked is not: its reference is the planner's own."""
    decisions = values.get("emergency_decision")
    if decisions is None:
        return
    for index, decided in enumerate(decisions):
        if decided is None:
            continue
        if wrong := reference_problem(values["referral_id"][index]):
            bad(index, "referral_id", wrong)
        for column in ("social_worker", "team_manager"):
            if column in values and (wrong := person_problem(values[column][index])):
                bad(index, column, wrong)


def record_fields() -> tuple[str, ...]:
    """The names of :class:`Record`'s data fields, in order."""
    return tuple(f.name for f in fields(Record) if f.name != "row")


__all__ = [
    "OUTCOMES",
    "RECORD_COLUMNS",
    "REQUIRED",
    "Column",
    "Record",
    "Records",
    "load_records",
    "record_fields",
    "records_from_rows",
]
