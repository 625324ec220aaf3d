"""The rule catalogue's machinery: a rule unit, its parameters, and the evidence it reads.

A rule unit (:class:`RecordRule`) is one DOMAIN.md rule checked on a panel's records: its id
(the citation comes from :mod:`.rulebook`), the record columns it needs, its parameters with
the default its source gives, and one function from records to verdicts. Units are declared
in :mod:`.record_rules` with :func:`each_record` (one record at a time) or
:func:`across_records` (a rule that compares records). Adding a council's rule is one unit
there and one parameter in that council's model file.

A parameter with no default switches its rule on: the rule applies only to panels whose
``rules:`` in the model set it (SWI thresholds apply to Swindon, not to everyone). A
parameter with a default applies everywhere, the model may change its value.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, Literal

from panelsched.core.availability import Unavailability
from panelsched.core.offsets import WEEKDAYS
from panelsched.core.panels import Authority, Panel
from panelsched.core.sittings import Sitting, generate_sittings
from panelsched.core.workdays import WorkingCalendar, working_calendar
from panelsched.errors import InputError, Problem
from panelsched.io.records import Record, Records
from panelsched.validator.findings import Finding, Severity, Tally
from panelsched.validator.rulebook import RULES, cite


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


NOT_CHECKED = _Marker("NOT_CHECKED")
"""The record is subject to the rule but its data is blank."""
NOT_APPLICABLE = _Marker("NOT_APPLICABLE")
"""The rule does not speak to this record (a deferral rule on an approval)."""


class Warn(str):
    """A message reported as a warning rather than an error."""

    __slots__ = ()


Verdict = str | _Marker | None
"""``None``: kept; a message: broken; or one of the markers."""

ParamKind = Literal["count", "number", "pounds", "words", "flag", "weekday"]


@dataclass(frozen=True, slots=True)
class Param:
    """A rule's parameter, read from a panel's ``rules:`` in the model.

    Parameters
    ----------
    name
        The key in the model, e.g. ``minutes_on_record_days``.
    kind
        ``count`` (a whole number), ``number``, ``pounds``, ``words`` (a list of text),
        ``flag`` (true/false) or ``weekday`` (``MO``..``SU``).
    default
        The source's value, or ``None`` when the model must set it (which switches the rule
        on for that panel).
    """

    name: str
    kind: ParamKind
    default: Any = None


def _read_param(param: Param, value: object) -> Any:
    """``value`` from YAML as the parameter's kind; ValueError with the expected form."""
    if param.kind == "count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError("expected a whole number like 3")
        return value
    if param.kind in ("number", "pounds"):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError("expected a number like 500")
        try:
            amount = Decimal(str(value).replace(",", "").removeprefix("£"))
        except InvalidOperation:
            raise ValueError("expected a number like 500") from None
        if not amount.is_finite() or amount < 0:
            raise ValueError("expected a number like 500")
        return amount
    if param.kind == "words":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValueError("expected a list of names like [holiday, childminding]")
        return tuple(" ".join(v.lower().split()) for v in value)
    if param.kind == "flag":
        if not isinstance(value, bool):
            raise ValueError("expected true or false")
        return value
    if not isinstance(value, str) or value.upper() not in WEEKDAYS:
        raise ValueError(f"expected a weekday, one of {', '.join(WEEKDAYS)}")
    return WEEKDAYS.index(value.upper())


@dataclass(frozen=True, slots=True)
class Params:
    """One rule's parameters for one panel: the model's value, else the source's default."""

    panel: Panel
    values: Mapping[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str) -> Any:
        """The value, or ``None`` when neither the model nor the source gives one."""
        return self.values.get(name)


Judge = Callable[[Sequence[Record], "Evidence", "RecordRule"], Iterable[tuple[Record, Verdict]]]


@dataclass(frozen=True)
class RecordRule:
    """One rule of DOMAIN.md checked on records.

    Parameters
    ----------
    id
        The rule's id (``P4``); its title and citation are in :data:`.rulebook.RULES`.
    needs
        Record columns that must all be present, else every record is *not checked*.
    any_of
        Record columns of which at least one must be present.
    params
        Its parameters; one without a default switches the rule on per panel.
    rows
        ``heard`` (cases heard) or ``cancelled`` (cases whose sitting was cancelled).
    scope
        ``panel``: applies to the records of panels it is switched on for; ``authority``:
        applies to every record once any panel switches it on (a rule about which panel
        must decide, such as P11).
    severity
        The severity of a plain message; a :class:`Warn` message is always a warning.
    judge
        Records to verdicts.
    doc
        What it checks, for the documentation.
    """

    id: str
    needs: tuple[str, ...]
    any_of: tuple[str, ...]
    params: tuple[Param, ...]
    rows: Literal["heard", "cancelled"]
    scope: Literal["panel", "authority"]
    severity: Severity
    judge: Judge
    doc: str

    @property
    def switches(self) -> tuple[str, ...]:
        """Parameters with no default: any of them set in a panel's rules turns it on."""
        return tuple(p.name for p in self.params if p.default is None)

    def applies_to(self, panel: Panel) -> bool:
        """True when the rule speaks to ``panel``'s records."""
        return not self.switches or any(name in panel.rules for name in self.switches)

    @property
    def title(self) -> str:
        """The rule in plain words."""
        return RULES[self.id].title

    @property
    def source(self) -> str:
        """The citation."""
        return RULES[self.id].source


CATALOGUE: list[RecordRule] = []


def _register(
    rule_id: str,
    judge: Judge,
    doc: str,
    needs: Sequence[str],
    any_of: Sequence[str],
    params: Sequence[Param],
    rows: Literal["heard", "cancelled"],
    scope: Literal["panel", "authority"],
    severity: Severity,
) -> None:
    if rule_id not in RULES:
        raise ValueError(f"{rule_id} is not a rule of DOMAIN.md")
    CATALOGUE.append(
        RecordRule(
            rule_id,
            tuple(needs),
            tuple(any_of),
            tuple(params),
            rows,
            scope,
            severity,
            judge,
            " ".join((doc or "").split()),
        )
    )


def each_record(
    rule_id: str,
    *,
    needs: Sequence[str] = (),
    any_of: Sequence[str] = (),
    params: Sequence[Param] = (),
    rows: Literal["heard", "cancelled"] = "heard",
    severity: Severity = "error",
) -> Callable[[Callable[[Record, Params, Evidence], Verdict]], Callable[..., Verdict]]:
    """Declare a rule judged one record at a time: ``fn(record, params, evidence)``."""

    def wrap(
        fn: Callable[[Record, Params, Evidence], Verdict],
    ) -> Callable[[Record, Params, Evidence], Verdict]:
        def judge(
            records: Sequence[Record], ev: Evidence, rule: RecordRule
        ) -> Iterable[tuple[Record, Verdict]]:
            params = {p.id: ev.params(rule, p.id) for p in ev.authority.panels}
            for record in records:
                yield record, fn(record, params[record.panel], ev)

        _register(rule_id, judge, fn.__doc__ or "", needs, any_of, params, rows, "panel", severity)
        return fn

    return wrap


def across_records(
    rule_id: str,
    *,
    needs: Sequence[str] = (),
    any_of: Sequence[str] = (),
    params: Sequence[Param] = (),
    rows: Literal["heard", "cancelled"] = "heard",
    scope: Literal["panel", "authority"] = "panel",
    severity: Severity = "error",
) -> Callable[[Judge], Judge]:
    """Declare a rule that compares records: ``fn(records, evidence, rule)`` yields verdicts."""

    def wrap(fn: Judge) -> Judge:
        _register(rule_id, fn, fn.__doc__ or "", needs, any_of, params, rows, scope, severity)
        return fn

    return wrap


def check_rule_params(authority: Authority, catalogue: Sequence[RecordRule]) -> None:
    """Refuse a model whose rule parameters cannot be read, naming panel and key.

    Raises
    ------
    InputError
        One problem per bad value.
    """
    problems = []
    known: dict[str, Param] = {}
    for rule in catalogue:
        for declared in rule.params:
            known.setdefault(declared.name, declared)
    for panel in authority.panels:
        for key, value in panel.rules.items():
            param = known.get(key)
            if param is None:
                continue
            try:
                _read_param(param, value)
            except ValueError as exc:
                problems.append(
                    Problem(
                        authority.source_file or "model",
                        f"{value!r}: {exc}",
                        panel=panel.id,
                        key=f"rules.{key}",
                    )
                )
    if problems:
        raise InputError(problems)


@dataclass
class Evidence:
    """What the record rules read: the model, the records, who was away, the sittings.

    Parameters
    ----------
    authority
        The model.
    records
        The records file (joined with referrals when given).
    unavailability
        Who was away, or ``None`` when no availability file was given.
    """

    authority: Authority
    records: Records
    unavailability: tuple[Unavailability, ...] | None = None
    _params: dict[tuple[str, str], Params] = field(default_factory=dict, repr=False)
    _citations: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    @cached_property
    def heard(self) -> tuple[Record, ...]:
        """Records of cases heard."""
        return tuple(r for r in self.records.rows if r.heard)

    @cached_property
    def cancelled(self) -> tuple[Record, ...]:
        """Records of cases whose sitting was cancelled."""
        return tuple(r for r in self.records.rows if not r.heard)

    @cached_property
    def as_of(self) -> date | None:
        """The last sitting date in the records: a task due after it may still be done."""
        return max((r.date for r in self.records.rows), default=None)

    @cached_property
    def workdays(self) -> WorkingCalendar:
        """The authority's working days."""
        return working_calendar(self.authority.holidays)

    @cached_property
    def _sittings(self) -> dict[str, tuple[tuple[Sitting, ...], list[date]]]:
        days = [r.date for r in self.records.rows]
        submitted = [r.submitted.date() for r in self.records.rows if r.submitted is not None]
        grouped: dict[str, list[Sitting]] = defaultdict(list)
        if days:
            # Margins reach the sittings before the first record and the first submission
            # (late papers) and after the last (the next sitting after a deferral or an
            # emergency).
            first = min(days + submitted)
            start, end = first - timedelta(days=70), max(days) + timedelta(days=130)
            for sitting in generate_sittings(self.authority, start, end):
                grouped[sitting.panel].append(sitting)
        return {p: (tuple(s), [x.date for x in s]) for p, s in grouped.items()}

    def sittings_of(self, panel: str) -> tuple[Sitting, ...]:
        """``panel``'s sittings around the records, in date order."""
        return self._sittings.get(panel, ((), []))[0]

    def sitting(self, panel: str, day: date) -> Sitting | None:
        """``panel``'s sitting on ``day``, if it sits then."""
        return self._on_day.get((panel, day))

    @cached_property
    def _on_day(self) -> dict[tuple[str, date], Sitting]:
        return {(s.panel, s.date): s for found, _ in self._sittings.values() for s in found}

    def sittings_from(self, panel: str, day: date) -> tuple[Sitting, ...]:
        """``panel``'s sittings dated ``day`` or later, in date order."""
        found, days = self._sittings.get(panel, ((), []))
        return found[bisect.bisect_left(days, day) :]

    def next_sitting(self, panel: str, after: datetime) -> Sitting | None:
        """``panel``'s first sitting that opens after ``after``."""
        found, days = self._sittings.get(panel, ((), []))
        at = bisect.bisect_left(days, after.date())
        for sitting in found[at:]:
            if sitting.opens > after:
                return sitting
        return None

    def last_date(self, panel: str) -> date | None:
        """The last date ``panel`` appears in the records."""
        return self._last_dates.get(panel)

    @cached_property
    def _last_dates(self) -> dict[str, date]:
        last: dict[str, date] = {}
        for r in self.records.rows:
            if r.panel not in last or r.date > last[r.panel]:
                last[r.panel] = r.date
        return last

    @cached_property
    def _away(self) -> dict[str, tuple[Unavailability, ...]]:
        grouped: dict[str, list[Unavailability]] = defaultdict(list)
        for period in self.unavailability or ():
            grouped[period.person].append(period)
        return {k: tuple(v) for k, v in grouped.items()}

    def away(self, person: str) -> tuple[Unavailability, ...]:
        """When ``person`` was away."""
        return self._away.get(person, ())

    def panel(self, panel_id: str) -> Panel:
        """The model's panel."""
        return self._panels[panel_id]

    @cached_property
    def _panels(self) -> dict[str, Panel]:
        return {p.id: p for p in self.authority.panels}

    def citation(self, rule_id: str, panel_id: str) -> str:
        """What a finding of ``rule_id`` on ``panel_id`` cites (:func:`.rulebook.cite`): the
        model's own source where the panel adopts the rule, else ``general rule (...)``; for
        a statutory clock's id, the clock's ``source`` in the model."""
        key = (rule_id, panel_id)
        found = self._citations.get(key)
        if found is None and panel_id in self._panels:
            # A statutory clock is a rule the model adopts: it cites the model's own source.
            clock = next((c for c in self.authority.clocks_of(panel_id) if c.id == rule_id), None)
            if clock is not None:
                found = self._citations[key] = clock.source
        if found is None:
            params = [p.name for unit in CATALOGUE if unit.id == rule_id for p in unit.params]
            found = cite(rule_id, self._panels.get(panel_id), params)
            self._citations[key] = found
        return found

    def params(self, rule: RecordRule, panel_id: str) -> Params:
        """``rule``'s parameters for ``panel_id``."""
        key = (rule.id, panel_id)
        found = self._params.get(key)
        if found is None:
            panel = self.panel(panel_id)
            values = {}
            for param in rule.params:
                raw = panel.rules.get(param.name, param.default)
                if raw is not None:
                    values[param.name] = _read_param(param, raw)
            found = self._params[key] = Params(panel, values)
        return found

    def slot_window(self, record: Record) -> tuple[datetime, datetime] | None:
        """When the case was heard: its slot, else its sitting's window."""
        if record.start is not None and record.end is not None:
            return datetime.combine(record.date, record.start), datetime.combine(
                record.date, record.end
            )
        sitting = self.sitting(record.panel, record.date)
        if sitting is None:
            return None
        return sitting.opens, datetime.combine(record.date, sitting.end)


def run_catalogue(ev: Evidence, catalogue: Sequence[RecordRule]) -> dict[str, Tally]:
    """Run every rule unit on the records and tally its verdicts.

    A rule whose columns are absent counts its records as not checked. A record whose
    blank cell leaves it unjudged is not checked; a record the rule does not speak to is not
    counted at all.
    """
    tallies: dict[str, Tally] = {}
    for rule in catalogue:
        tally = tallies.setdefault(rule.id, Tally(rule.id))
        pool = ev.heard if rule.rows == "heard" else ev.cancelled
        on = {p.id for p in ev.authority.panels if rule.applies_to(p)}
        if rule.scope == "authority" or len(on) == len(ev.authority.panels):
            records: Sequence[Record] = pool if on else ()
        else:
            records = [r for r in pool if r.panel in on]
        if not records:
            continue
        present = ev.records.has(*rule.needs) and (
            not rule.any_of or any(ev.records.has(c) for c in rule.any_of)
        )
        if not present:
            tally.not_checked += len(records)
            continue
        for record, verdict in rule.judge(records, ev, rule):
            if verdict is NOT_APPLICABLE:
                continue
            if verdict is NOT_CHECKED:
                tally.not_checked += 1
                continue
            tally.checked += 1
            if isinstance(verdict, str):
                severity: Severity = "warning" if isinstance(verdict, Warn) else rule.severity
                tally.add(
                    record.item,
                    Finding(
                        rule.id,
                        severity,
                        record.panel,
                        record.referral_id,
                        record.sitting_id,
                        str(verdict),
                        ev.citation(rule.id, record.panel),
                    ),
                )
    return tallies


def clock(moment: datetime) -> str:
    """``11/03/2027 13:00``: a moment as every other output prints it (UK, no seconds)."""
    return moment.strftime("%d/%m/%Y %H:%M")


def overdue(ev: Evidence, due: date) -> bool:
    """True when ``due`` has passed by the last date in the records."""
    return ev.as_of is not None and ev.as_of > due


def end_of(record: Record, sitting: Sitting | None) -> datetime:
    """When the case's hearing ended: its slot's end, else the sitting's, else midnight."""
    if record.end is not None:
        return datetime.combine(record.date, record.end)
    if sitting is not None:
        return datetime.combine(record.date, sitting.end)
    return datetime.combine(record.date, time(23, 59))


__all__ = [
    "CATALOGUE",
    "NOT_APPLICABLE",
    "NOT_CHECKED",
    "Evidence",
    "Param",
    "Params",
    "RecordRule",
    "Verdict",
    "Warn",
    "across_records",
    "check_rule_params",
    "clock",
    "each_record",
    "end_of",
    "overdue",
    "run_catalogue",
]
