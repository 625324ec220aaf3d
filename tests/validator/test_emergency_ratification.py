"""An emergency the forward planner booked (S9) passes the planner's own validator (S2).

The forward test council (tests/helpers/forward.py): crp sits on Thursdays 13:00-14:00 with
four 15-minute slots, cut-off the Monday before at 13:00; March 2027's Thursdays are 4, 11,
18 and 25, its Mondays 1, 8, 15, 22.

An emergency decision taken on Tuesday 2 March at 10:00 lasts "only until the date of the next
panel" (CBC 5, LAM 16+): it is ratified at Thursday 4 March's sitting although 4 March's
cut-off (Monday 1 March 13:00) had passed; an emergency counts as having the chair's permission
for a late paper (S2), and crp takes late papers. So neither S2 nor S9 may find fault with it,
before it is heard (checked as a plan) or after (checked as a record of what happened).

An emergency submitted with a date alone on a sitting day (Thursday 4 March) counts as decided
after that day's sitting, as the validator reads a decision with a date only: the planner
books it at the next, 11 March, and S9 agrees.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from panelsched.cli import app
from panelsched.core.panels import Authority
from panelsched.io.records import Record, Records
from panelsched.validator import CATALOGUE
from panelsched.validator.catalogue import Evidence, run_catalogue
from tests.helpers.forward import MODEL, model_text, referral, write_rows

DECIDED = datetime(2027, 3, 2, 10, 0)


def planner(*args: str) -> Result:
    result = CliRunner().invoke(app, ["planner", *args])
    assert "Traceback" not in result.output
    return result


def checked(db: Path, now: str) -> dict[str, object]:
    """``planner validate --format json`` as of ``now``."""
    result = planner("validate", "--db", str(db), "--format", "json", "--now", now)
    assert result.exit_code == 0, result.output
    found: dict[str, object] = json.loads(result.output)
    return found


def rule(found: dict[str, object], rule_id: str) -> dict[str, object]:
    summary = found["summary"]
    assert isinstance(summary, list)
    return next(line for line in summary if line["rule"] == rule_id)


@pytest.mark.parametrize(
    ("submitted", "now", "booked", "heard"),
    [
        # Decided Tuesday 2 March 10:00: the next sitting, Thursday 4 March, past its cut-off.
        ("2027-03-02 10:00", "2027-03-02 11:00", "Thu 04/03/2027 13:00-13:15", "2027-03-04"),
        # Decided on Thursday 4 March, a date alone: after that day's sitting, as the
        # validator reads it (S9), so the next is Thursday 11 March.
        ("2027-03-04", "2027-03-04 08:00", "Thu 11/03/2027 13:00-13:15", "2027-03-11"),
    ],
    ids=["after-the-cut-off", "date-only-on-a-sitting-day"],
)
def test_an_emergency_booked_by_the_planner_passes_s2_and_s9_before_and_after_it_is_heard(
    tmp_path: Path, submitted: str, now: str, booked: str, heard: str
) -> None:
    db = tmp_path / "planner.db"
    model = tmp_path / "testshire.yaml"
    model.write_text(model_text(), encoding="utf-8")
    started = planner("init", "--model", str(model), "--db", str(db), "--now", "2027-03-01 08:00")
    assert started.exit_code == 0, started.output
    emergency = write_rows(
        tmp_path / "emergency.csv", [referral("E-1", submitted, priority="emergency")]
    )
    added = planner("add", "--referrals", str(emergency), "--db", str(db), "--now", now)
    assert added.exit_code == 0, added.output
    # Booked at the sitting S9 names, whatever its cut-off (S2).
    assert booked in added.output
    waiting = checked(db, now)
    assert (waiting["errors"], waiting["findings"]) == (0, [])
    # Heard and approved; recorded the next morning. The hearing is now a record.
    outcome = write_rows(
        tmp_path / "outcomes.csv",
        [
            {
                "referral_id": "E-1",
                "panel": "crp",
                "date": heard,
                "outcome": "approve",
                "review_date": "2027-09-02",
            }
        ],
    )
    after = (date.fromisoformat(heard) + timedelta(days=1)).isoformat()
    decided = planner(
        "decide", "--records", str(outcome), "--db", str(db), "--now", f"{after} 09:00"
    )
    assert decided.exit_code == 0, decided.output
    found = checked(db, f"{after} 10:00")
    assert (found["errors"], found["findings"]) == (0, [])
    # The record was judged, not skipped: S9 passed E-1's hearing.
    assert (rule(found, "S2")["failed"], rule(found, "S9")["failed"]) == (0, 0)
    assert rule(found, "S9")["passed"] == 1


AUTHORITY = Authority.model_validate(MODEL)


def _s2(record: Record) -> list[str]:
    present = frozenset(("referral_id", "panel", "date", "submitted", "emergency_decision"))
    evidence = Evidence(AUTHORITY, Records("the planner's records", (record,), present))
    tally = run_catalogue(evidence, [u for u in CATALOGUE if u.id == "S2"])["S2"]
    return [f.message for f in tally.findings]


@pytest.mark.parametrize(
    ("emergency", "said"),
    [
        # The emergency decision of Tuesday 2 March 10:00, heard at the next sitting on
        # Thursday 4 March: past that sitting's cut-off, but S9 puts it there.
        (DECIDED, []),
        # The same hearing with nothing saying it was an emergency: a late paper with no
        # permission.
        (
            None,
            [
                "submitted 02/03/2027 10:00, after the cut-off 01/03/2027 13:00 for the sitting "
                "on 04/03/2027; no late permission was recorded"
            ],
        ),
    ],
    ids=["emergency", "no-marker"],
)
def test_s2_takes_an_emergency_at_its_ratification_sitting(
    emergency: datetime | None, said: list[str]
) -> None:
    heard = Record(
        referral_id="E-1",
        panel="crp",
        date=date(2027, 3, 4),
        row=2,
        submitted=DECIDED,
        emergency_decision=emergency,
    )
    assert _s2(heard) == said
