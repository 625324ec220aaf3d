"""The changes a manager could make to a panel's capacity, and the model with them made.

Four kinds, each one change to the model file a manager can adopt:

- ``extra``: an extra sitting on a working day the panel does not sit (its usual window),
  written to the panel's ``extra`` dates;
- ``weekly``: for a fortnightly panel, a sitting in the off week on its usual day, also an
  ``extra`` date, priced apart because it needs no new day or room;
- ``extend``: one sitting's window 30 or 60 minutes longer, written to the panel's ``times``;
- ``slot``: the standard slot shortened (``slot_minutes``) for the whole range, where the
  advice file names a shorter slot the source allows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml

from panelsched.advice.settings import AdviceSettings
from panelsched.core.offsets import WEEKDAYS
from panelsched.core.panels import Authority, Panel, minutes_of
from panelsched.core.sittings import Sitting, panel_dates
from panelsched.core.workdays import WorkingCalendar, working_calendar
from panelsched.io.yaml_files import read_yaml_mapping

ChangeKind = Literal["extra", "weekly", "extend", "slot"]
EXTENSIONS = (30, 60)


@dataclass(frozen=True, order=True)
class Change:
    """One change to a panel's capacity.

    Attributes
    ----------
    date
        The sitting's date (for ``slot``, the first date of the range).
    panel
        The panel id.
    kind
        ``extra``, ``weekly``, ``extend`` or ``slot`` (see the module).
    minutes
        For ``extend`` the minutes added (30 or 60); for ``slot`` the new slot length; for
        ``extra`` and ``weekly`` the sitting's minutes.
    cost
        What it costs, from the advice file.
    """

    date: date
    panel: str
    kind: ChangeKind
    minutes: int
    cost: float = field(compare=False)

    @property
    def sitting_id(self) -> str:
        """The sitting it adds or lengthens, ``panel@YYYY-MM-DD``."""
        return f"{self.panel}@{self.date.isoformat()}"

    def words(self, authority: Authority) -> str:
        """The change as a manager reads it."""
        panel = authority.panel(self.panel)
        day = f"{self.date:%A %d/%m/%Y}"
        start, end = panel.window_on(self.date)
        if self.kind == "extra":
            return f"an extra {panel.name} sitting on {day}, {start:%H:%M}-{end:%H:%M}"
        if self.kind == "weekly":
            return f"a {panel.name} sitting in the off week, {day}, {start:%H:%M}-{end:%H:%M}"
        if self.kind == "extend":
            longer = _later(end, self.minutes)
            return (
                f"the {panel.name} sitting of {day} {self.minutes} minutes longer, "
                f"{start:%H:%M}-{longer:%H:%M}"
            )
        return f"{self.minutes}-minute standard slots at the {panel.name}, not {panel.slot_minutes}"


def _later(moment: time, minutes: int) -> time:
    return (datetime.combine(date.min, moment) + timedelta(minutes=minutes)).time()


def _off_weeks(panel: Panel, start: date, end: date, workdays: WorkingCalendar) -> set[date]:
    """A fortnightly panel's usual day in the weeks it does not sit."""
    parts = dict(p.split("=", 1) for p in panel.cadence.split(";"))
    if parts.get("FREQ") != "WEEKLY" or parts.get("INTERVAL") != "2" or panel.anchor is None:
        return set()
    shifted = panel.model_copy(
        update={"anchor": panel.anchor + timedelta(days=7), "cancelled": (), "extra": ()}
    )
    return {day for day, _ in panel_dates(shifted, start, end, workdays)}


def candidates(
    authority: Authority,
    sittings: Sequence[Sitting],
    panels: Iterable[str],
    start: date,
    end: date,
    settings: AdviceSettings,
) -> tuple[Change, ...]:
    """Every change the advice may choose among, for ``panels`` over ``start`` to ``end``.

    Parameters
    ----------
    authority
        The model as it is.
    sittings
        Its sittings in the range.
    panels
        The panels to advise on.
    start, end
        The planning range.
    settings
        The advice file: costs, weekdays, the latest end, shorter slots.

    Returns
    -------
    tuple of Change
        Sorted by date, panel and kind.
    """
    workdays = working_calendar(authority.holidays)
    costs = settings.costs
    allowed = {WEEKDAYS.index(d) for d in settings.extra_weekdays}
    found: list[Change] = []
    for panel_id in sorted(set(panels)):
        panel = authority.panel(panel_id)
        own = [s for s in sittings if s.panel == panel_id]
        sitting_days = {s.date for s in own}
        off = _off_weeks(panel, start, end, workdays) - sitting_days
        window = panel.capacity_minutes
        for day in sorted(off):
            if workdays.is_working_day(day):
                found.append(Change(day, panel_id, "weekly", window, costs.weekly_sitting))
        day = start
        while day <= end:
            if (
                day.weekday() in allowed
                and day not in sitting_days
                and day not in off
                and workdays.is_working_day(day)
            ):
                found.append(Change(day, panel_id, "extra", window, costs.extra_sitting))
            day += timedelta(days=1)
        latest = minutes_of(settings.latest_end)
        for sitting in own:
            for minutes, cost in zip(EXTENSIONS, (costs.extend_30, costs.extend_60), strict=True):
                if minutes_of(sitting.end) + minutes <= latest:
                    found.append(Change(sitting.date, panel_id, "extend", minutes, cost))
        shorter = settings.shorter_slot_minutes.get(panel_id)
        if shorter is not None and shorter < panel.slot_minutes:
            found.append(Change(start, panel_id, "slot", shorter, costs.shorter_slot))
    return tuple(sorted(found))


def with_changes(authority: Authority, changes: Iterable[Change]) -> Authority:
    """The model with ``changes`` made: extra dates, longer windows, shorter slots.

    Two extensions of one sitting add up; an extra date already in the model stays once.
    """
    by_panel: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        by_panel[change.panel].append(change)
    panels = []
    for panel in authority.panels:
        mine = by_panel.get(panel.id)
        if not mine:
            panels.append(panel)
            continue
        update: dict[str, Any] = {}
        added = {c.date for c in mine if c.kind in ("extra", "weekly")}
        if added:
            update["extra"] = tuple(sorted(set(panel.extra) | added))
        times = dict(panel.times)
        for change in sorted(c for c in mine if c.kind == "extend"):
            opens, closes = times.get(change.date, panel.time)
            times[change.date] = (opens, _later(closes, change.minutes))
        if times != dict(panel.times):
            update["times"] = times
        for change in mine:
            if change.kind == "slot":
                update["slot_minutes"] = change.minutes
        panels.append(panel.model_copy(update=update))
    return authority.model_copy(update={"panels": tuple(panels)})


def revised_model(model_file: str | Path, authority: Authority, changes: Sequence[Change]) -> str:
    """The model file's text with ``changes`` made, for the manager to adopt.

    Only the keys the changes touch are rewritten (``extra``, ``times``, ``slot_minutes``);
    the file's comments are not kept, so a header says where it came from.
    """
    raw = read_yaml_mapping(model_file, keys=("authority", "holidays", "panels"))
    changed = with_changes(authority, changes)
    touched = {c.panel for c in changes}
    for entry in raw.get("panels", []):
        if not isinstance(entry, dict) or entry.get("id") not in touched:
            continue
        panel = changed.panel(str(entry["id"]))
        if panel.extra:
            entry["extra"] = list(panel.extra)
        if panel.times:
            entry["times"] = {
                day: f"{opens:%H:%M}-{closes:%H:%M}"
                for day, (opens, closes) in sorted(panel.times.items())
            }
        entry["slot_minutes"] = panel.slot_minutes
    header = [
        f"# {Path(model_file).name} revised by panelsched advise: {len(changes)} change(s).",
        "# The original's comments are not kept; compare it with the original before adopting.",
    ]
    header += [f"#   {c.words(authority)}" for c in changes]
    body = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(header) + "\n" + body


__all__ = ["EXTENSIONS", "Change", "ChangeKind", "candidates", "revised_model", "with_changes"]
