"""Tables of sittings: pandas frames for the CSV and Excel outputs, and the CSV writer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pandas as pd

from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting
from panelsched.exports.atomic import replace_bytes
from panelsched.exports.csv_text import frame_csv_text
from panelsched.exports.safety import neutralise

SITTING_COLUMNS = [
    "panel",
    "panel_name",
    "date",
    "weekday",
    "start",
    "end",
    "cutoff",
    "papers_out",
    "capacity_minutes",
    "note",
]


def moment_text(moment: datetime | None) -> str:
    """ISO moment without seconds, ``2027-03-25T13:00``; empty for ``None``."""
    return moment.strftime("%Y-%m-%dT%H:%M") if moment is not None else ""


def uk_moment(moment: datetime | None) -> str:
    """A moment as an administrator reads it, ``Thu 25/03 13:00``; empty for ``None``."""
    return moment.strftime("%a %d/%m %H:%M") if moment is not None else ""


def sittings_frame(authority: Authority, sittings: Iterable[Sitting]) -> pd.DataFrame:
    """One row per sitting with the columns of ``sittings.csv`` (all text but capacity)."""
    names = {panel.id: panel.name for panel in authority.panels}
    rows = [
        {
            "panel": s.panel,
            "panel_name": names[s.panel],
            "date": s.date.isoformat(),
            "weekday": s.date.strftime("%A"),
            "start": s.start.strftime("%H:%M"),
            "end": s.end.strftime("%H:%M"),
            "cutoff": moment_text(s.cutoff),
            "papers_out": moment_text(s.papers_out),
            "capacity_minutes": s.capacity_minutes,
            "note": s.note,
        }
        for s in sittings
    ]
    return pd.DataFrame(rows, columns=SITTING_COLUMNS)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV with ``\\n`` line ends, text cells neutralised; a field holding
    a line break of any kind (``\\r`` too) is quoted (:mod:`.csv_text`)."""
    safe = frame.map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return frame_csv_text(safe).encode("utf-8")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` whole, as :func:`csv_bytes` gives it."""
    replace_bytes(path, csv_bytes(frame))
