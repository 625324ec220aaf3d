"""The forward planner's test council (tests/data/councils.yaml's "forward") and helpers for
its tests (fixtures are in tests/forward/conftest.py).

March 2027: Mondays 1, 8, 15, 22, 29 (29th Easter Monday); Thursdays 4, 11, 18, 25.
- crp: Thursdays 13:00-14:00, 15-minute slots (four a sitting), cut-off Monday 13:00;
- neet: every other Friday from 5 March (5, 19 March; 2, 16, 30 April), 11:00-12:00, 20 min;
- ptp: 2nd and 4th Wednesday (10, 24 March; 14, 28 April), 11:30-13:00, cut-off 3 working
  days before at 17:00;
- ctp: 2nd and 4th Tuesday (9, 23 March; 13, 27 April), 14:00-15:00, no cut-off; with
  ``tms=True`` its rules list two safeguarding team managers, TM-A and TM-B (S13).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from panelsched.forward import Actor, Report, Settings, Store, add, amend, decide, refuse_known
from panelsched.io.inputs import load_availability, load_referrals
from panelsched.io.records import load_records
from tests.helpers import council

MODEL: dict[str, Any] = council.model("forward")

REFERRAL_COLUMNS = ("referral_id", "panel", "submitted", "social_worker", "team_manager")
# Short runs: every test problem here is tiny, so CP-SAT proves it optimal at once.
FAST = Settings(time_limit=1.0)


def at(text: str) -> datetime:
    """``"2027-03-01 10:00"`` as a datetime."""
    return datetime.fromisoformat(text)


def actor(text: str, by: str = "admin") -> Actor:
    """Who acts when."""
    return Actor(at(text), by)


def add_file(
    store: Store, actor: Actor, referrals: Path, availability: Path | None = None, **options: Any
) -> Report:
    """``planner add`` as the command line runs it: the files read with the store's model,
    then :func:`~panelsched.forward.add`."""
    loaded = load_referrals(referrals, store.model())
    refuse_known(store, loaded, str(referrals))
    periods = load_availability(availability) if availability else ()
    return add(
        store,
        actor,
        loaded,
        periods,
        referrals_file=str(referrals),
        availability_file=str(availability) if availability else "",
        **options,
    )


def add_unchecked(
    store: Store, actor: Actor, rows: Sequence[dict[str, str]], **options: Any
) -> Report:
    """:func:`~panelsched.forward.add` given referrals built straight from ``rows`` (reference,
    panel, submitted and the two presenters), not read: the readers refuse a reference such as
    ``<script>`` (issue 31), but a diary from an older release may hold one, and every output
    must still write it inert."""
    from panelsched.core.referrals import Referral

    referrals = [
        Referral(
            row["referral_id"],
            row["panel"],
            datetime.fromisoformat(row["submitted"]),
            row["social_worker"],
            row["team_manager"],
        )
        for row in rows
    ]
    return add(store, actor, referrals, referrals_file="(built by the test)", **options)


def decide_file(store: Store, actor: Actor, records: Path, **options: Any) -> Report:
    """``planner decide`` as the command line runs it: the records file read with the store's
    model, then :func:`~panelsched.forward.decide`."""
    return decide(store, actor, load_records(records, store.model()), **options)


def write_rows(path: Path, rows: Sequence[dict[str, str]]) -> Path:
    """Write ``rows`` as a CSV with the union of their keys as the header, in order."""
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def referral(
    referral_id: str,
    submitted: str,
    panel: str = "crp",
    sw: str | None = None,
    tm: str | None = None,
    **more: str,
) -> dict[str, str]:
    """A referrals-file row; people default to ones of the case's own."""
    number = referral_id.split("-")[-1]
    return {
        "referral_id": referral_id,
        "panel": panel,
        "submitted": submitted,
        "social_worker": sw or f"SW-{number}",
        "team_manager": tm or f"TM-{number}",
        **more,
    }


def model_text(tms: Sequence[str] = ()) -> str:
    """The model as YAML, optionally with S13's safeguarding team managers on ctp."""
    data = yaml.safe_load(yaml.safe_dump(MODEL))
    if tms:
        data["panels"][3]["rules"]["safeguarding_team_managers"] = list(tms)
    return yaml.safe_dump(data, sort_keys=False)


def slots(store: Store) -> dict[str, tuple[str, str, str]]:
    """Each booked hearing's key -> (panel, date, start) of its booking in force."""
    diary = store.diary()
    return {
        diary.keys[b.hearing_id]: (b.panel, b.date.isoformat(), b.start.strftime("%H:%M"))
        for b in diary.in_force.values()
    }


def deferred(store: Store, folder: Path, **cells: str) -> None:
    """R-1, submitted Mon 1 March 09:00 (before the 13:00 cut-off), heard Thu 4 March at 13:00
    and deferred there (recorded Fri 5 March 09:00, with ``cells``): R-1#2 comes back at the
    next sitting, Thu 11 March 13:00 (S10)."""
    first = write_rows(folder / "r.csv", [referral("R-1", "2027-03-01 09:00")])
    add_file(store, actor("2027-03-01 10:00"), first, settings=FAST)
    row = {"referral_id": "R-1", "panel": "crp", "date": "2027-03-04", "outcome": "defer", **cells}
    decide_file(
        store, actor("2027-03-05 09:00"), write_rows(folder / "d.csv", [row]), settings=FAST
    )


def corrected_to_approve(store: Store) -> Report:
    """``clerk`` corrects R-1's deferral on Sat 6 March 09:00: it was approved, with a review
    date of 10 June."""
    return amend(
        store,
        actor("2027-03-06 09:00", by="clerk"),
        "R-1",
        "approve",
        reason="typed defer for approve",
        cells={"review_date": date(2027, 6, 10)},
        settings=FAST,
    )
