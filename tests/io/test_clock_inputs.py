"""Statutory clocks in the model file and the referrals file's ``requested`` and
``clock_pauses`` columns: read, or refused with one message naming where (issue 26)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from panelsched.cli import app
from panelsched.core.clocks import ClockPause
from panelsched.errors import InputError
from panelsched.io.inputs import load_referrals
from panelsched.io.model_file import load_model, load_model_text

CLOCK: dict[str, Any] = {
    "id": "ehc-assessment-decision",
    "name": "6-week assessment decision",
    "applies_to": {"request_type": ["ehc-needs-assessment"]},
    "starts": "requested",
    "length": "6 weeks",
    "after_panel": "2 working days",
    "pauses": ["school-closure-4-weeks", "family-away-4-weeks", "exceptional-circumstances"],
    "source": "SEND Regulations 2014, reg. 5",
}


def model(clocks: list[dict[str, Any]], top: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A one-panel SEN model on Wednesdays with ``clocks`` (and ``top``: the authority's)."""
    document: dict[str, Any] = {
        "authority": "Testshire",
        "holidays": "ENG",
        "panels": [
            {
                "id": "sen",
                "name": "SEN panel",
                "cadence": "FREQ=WEEKLY;BYDAY=WE",
                "time": "13:00-16:00",
                "slot_minutes": 30,
                "clocks": clocks,
            }
        ],
    }
    if top is not None:
        document["clocks"] = top
    return document


def write_model(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def shows(message: str, output: str) -> bool:
    """Whether ``output`` holds ``message``, however the console wrapped it."""
    return "".join(message.split()) in "".join(output.split())


def test_the_issues_yaml_is_read() -> None:
    authority = load_model_text(yaml.safe_dump(model([CLOCK])), "sen.yaml")
    (clock,) = authority.clocks_of("sen")
    assert (clock.id, str(clock.length), str(clock.after_panel)) == (
        "ehc-assessment-decision",
        "6 weeks",
        "2 working days",
    )


@pytest.mark.parametrize(
    ("clocks", "top", "message"),
    [
        (
            [CLOCK | {"starts": "asked"}],
            None,
            "panel 'sen', key 'clocks.ehc-assessment-decision.starts': 'asked' is not a date "
            "column of the referrals; expected one of requested, submitted, cla_review, "
            "cp_review, contract_end, review_by, not_before, deadline",
        ),
        (
            [CLOCK | {"length": "6 wekes"}],
            None,
            "panel 'sen', key 'clocks.ehc-assessment-decision.length': '6 wekes' is not a "
            "length; expected a length like '6 weeks', '20 days' or '7 working days'",
        ),
        (
            [CLOCK | {"after_panel": "6 weeks"}],
            None,
            "panel 'sen', key 'clocks.ehc-assessment-decision.after_panel': '6 weeks' is as "
            "long as the clock's '6 weeks' or longer, so no sitting could ever be in time; "
            "expected a shorter time",
        ),
        (
            [CLOCK | {"colour": "red"}],
            None,
            "panel 'sen', key 'clocks.ehc-assessment-decision.colour': unknown key; check its "
            "spelling against the README",
        ),
        (
            [CLOCK, CLOCK | {"length": "20 weeks"}],
            None,
            "panel 'sen', key 'clocks': the clock id ehc-assessment-decision is listed twice; "
            "ids must be unique",
        ),
        (
            [CLOCK],
            [CLOCK | {"length": "20 weeks"}],
            "panel 'sen', key 'clocks': the clock id ehc-assessment-decision is also one of the "
            "authority's clocks; ids must be unique",
        ),
        (
            [],
            # The citation is required: a clock is a rule the model adopts, and says whose.
            [{k: v for k, v in CLOCK.items() if k != "source"}],
            "key 'clocks.ehc-assessment-decision.source': this key is required",
        ),
    ],
)
def test_a_bad_clock_is_refused_naming_file_panel_and_key(
    tmp_path: Path, clocks: list[dict[str, Any]], top: list[dict[str, Any]] | None, message: str
) -> None:
    path = write_model(tmp_path / "sen.yaml", model(clocks, top))
    with pytest.raises(InputError) as caught:
        load_model(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}, {message}"]
    # The command line: one message, exit status 2, nothing written.
    out = tmp_path / "out"
    referrals = tmp_path / "r.csv"
    referrals.write_text("referral_id,panel,submitted,social_worker,team_manager\n")
    result = run("plan", str(path), "--referrals", str(referrals), "--out", str(out))
    assert result.exit_code == 2, result.output
    assert shows(f"{path}, {message}", result.output)
    assert not out.exists()


# --------------------------------------------------------------------------- referrals


COLUMNS = ("referral_id", "panel", "submitted", "social_worker", "team_manager")


def write_referrals(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = list(dict.fromkeys([*COLUMNS, *(c for row in rows for c in row)]))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(pauses: str, request_type: str = "ehc-needs-assessment") -> dict[str, str]:
    return {
        "referral_id": "R-1",
        "panel": "sen",
        "submitted": "2027-07-05 09:00",
        "social_worker": "SW-1",
        "team_manager": "TM-1",
        "request_type": request_type,
        "requested": "02/07/2027",
        "clock_pauses": pauses,
    }


def test_requested_and_clock_pauses_are_read_iso_or_uk(tmp_path: Path) -> None:
    authority = load_model_text(yaml.safe_dump(model([CLOCK])), "sen.yaml")
    path = write_referrals(
        tmp_path / "r.csv",
        [
            row(
                "2027-07-22..2027-09-01 school-closure-4-weeks; "
                "06/10/2027..05/11/2027 family-away-4-weeks"
            )
        ],
    )
    (referral,) = load_referrals(path, authority)
    assert referral.requested == date(2027, 7, 2)
    assert referral.clock_pauses == (
        ClockPause(date(2027, 7, 22), date(2027, 9, 1), "school-closure-4-weeks"),
        ClockPause(date(2027, 10, 6), date(2027, 11, 5), "family-away-4-weeks"),
    )


ALLOWED = "school-closure-4-weeks, family-away-4-weeks, exceptional-circumstances"


@pytest.mark.parametrize(
    ("pauses", "request_type", "message"),
    [
        (
            "2027-07-22..2027-09-01 on-holiday",
            "ehc-needs-assessment",
            f"'on-holiday' is not a reason its clocks may be paused for; expected one of {ALLOWED}",
        ),
        (
            # The clock runs for EHC needs assessments only: an annual review has no clock.
            "2027-07-22..2027-09-01 school-closure-4-weeks",
            "annual-review",
            "'school-closure-4-weeks': no clock of panel 'sen' for a 'annual-review' request may "
            "be paused; leave the cell empty",
        ),
        (
            "2027-09-01..2027-07-22 school-closure-4-weeks",
            "ehc-needs-assessment",
            "the pause '2027-09-01..2027-07-22 school-closure-4-weeks' ends on 22/07/2027, "
            "before it starts on 01/09/2027; give its first day, then its last",
        ),
        (
            "2027-07-22..2027-09-01 school-closure-4-weeks; "
            "2027-08-30..2027-09-30 family-away-4-weeks",
            "ehc-needs-assessment",
            "the pauses 22/07/2027 to 01/09/2027 and 30/08/2027 to 30/09/2027 overlap; a clock "
            "stands still once for each day, so give each period once",
        ),
        (
            "from 22 July school-closure-4-weeks",
            "ehc-needs-assessment",
            "'from 22 July school-closure-4-weeks' is not a pause; expected periods like "
            "'2027-07-22..2027-09-01 school-closure-4-weeks', several separated by ';'",
        ),
        (
            "2027-07-22..2027-02-30 school-closure-4-weeks",
            "ehc-needs-assessment",
            "'2027-07-22..2027-02-30 school-closure-4-weeks' does not give two dates; expected "
            "periods like '2027-07-22..2027-09-01 school-closure-4-weeks', several separated "
            "by ';'",
        ),
    ],
)
def test_a_bad_pause_is_refused_naming_file_row_and_column(
    tmp_path: Path, pauses: str, request_type: str, message: str
) -> None:
    model_path = write_model(tmp_path / "sen.yaml", model([CLOCK]))
    path = write_referrals(tmp_path / "r.csv", [row(pauses, request_type)])
    with pytest.raises(InputError) as caught:
        load_referrals(path, load_model(model_path))
    assert [str(p) for p in caught.value.problems] == [
        f"{path}, row 2, column 'clock_pauses': {message}"
    ]
    out = tmp_path / "out"
    result = run("plan", str(model_path), "--referrals", str(path), "--out", str(out))
    assert result.exit_code == 2, result.output
    assert shows(f"{path}, row 2, column 'clock_pauses': {message}", result.output)
    assert not out.exists()
