"""A statutory clock end to end (issue 26): `plan` (its bookings.csv and unplaced.csv, with the
late case explained), standalone `validate`, and the forward planner's `planner add` and
`planner validate` agree on every due date and on the one late case.

The SEN panel sits on Wednesdays 13:00-14:00 (two 30-minute slots), cut-off Monday 13:00.
All three referrals are EHC needs assessment requests submitted Monday 05/07/2027 09:00, so
the first sitting they can make is Wednesday 07/07/2027. The clock: 6 weeks from the request,
2 working days after the panel (SEND Regulations 2014, reg. 5). By hand:

- R-1, requested Fri 02/07/2027: ends Fri 13/08/2027 (+42 days); 2 working days (Thu 12,
  Fri 13) before it leaves Wed 11/08/2027. Heard 07/07: in time.
- R-2, requested Fri 21/05/2027: ends Fri 02/07/2027 (+42 days); last sitting Wed 30/06/2027,
  before it was even submitted: no sitting can meet it. Heard 07/07/2027, 7 days late.
- R-3, requested 21/05/2027 too, but the school was closed 01/06..31/07/2027 (30 + 31 = 61
  days, starting within the clock): ends 02/07 + 61 days = Wed 01/09/2027. Working days: Wed
  01/09 (1), Tue 31/08 (2); Mon 30/08 is the late-August bank holiday, so the last sitting
  leaving 2 whole working days is Fri 27/08/2027. In time whenever it is booked.
"""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner, Result

from panelsched.cli import app
from panelsched.forward import Store
from tests.helpers.clocks import SEN_MODEL

REFERRALS = """\
referral_id,panel,submitted,social_worker,team_manager,request_type,requested,clock_pauses
R-1,sen,2027-07-05 09:00,SW-1,TM-1,ehc-needs-assessment,02/07/2027,
R-2,sen,2027-07-05 09:00,SW-2,TM-2,ehc-needs-assessment,2027-05-21,
R-3,sen,2027-07-05 09:00,SW-3,TM-3,ehc-needs-assessment,2027-05-21,2027-06-01..2027-07-31 school-closure-4-weeks
"""  # noqa: E501

DUE = {"R-1": "2027-08-11", "R-2": "2027-06-30", "R-3": "2027-08-27"}
SOURCE = "SEND Regulations 2014, reg. 5"
LATE_FINDING = (
    "heard 07/07/2027, 7 days after 30/06/2027, the last sitting date that leaves 2 working "
    "days before its 6-week assessment decision ends on 02/07/2027"
)
CLOCK_WORDS = (
    "2 working days before its 6-week assessment decision ends on 02/07/2027, under SEND "
    "Regulations 2014, reg. 5"
)


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_plan_validate_and_the_forward_planner_agree_on_the_clock(tmp_path: Path) -> None:
    model = tmp_path / "sen.yaml"
    model.write_text(SEN_MODEL, encoding="utf-8")
    referrals = tmp_path / "r.csv"
    referrals.write_text(REFERRALS, encoding="utf-8")

    out = tmp_path / "plan"
    planned = run(
        "plan", str(model), "--referrals", str(referrals), "--from", "2027-07-05",
        "--to", "2027-09-30", "--out", str(out), "--time-limit", "2",
    )  # fmt: skip
    assert planned.exit_code == 0, planned.output
    booked = {r["referral_id"]: r for r in rows(out / "bookings.csv")}
    assert {k: r["deadline"] for k, r in booked.items()} == DUE
    assert {k for k, r in booked.items() if r["late"] == "yes"} == {"R-2"}
    assert booked["R-2"]["date"] == "2027-07-07"
    (late,) = rows(out / "unplaced.csv")
    assert (late["referral_id"], late["status"], late["deadline"]) == ("R-2", "late", DUE["R-2"])
    # The explanation names the clock, its citation and its end, and why no sitting could do.
    assert late["reason"] == (
        f"Heard 07/07/2027, 7 days after 30/06/2027 ({CLOCK_WORDS}). Submitted 05/07/2027: no "
        f"SEN panel sitting whose cut-off it met falls on or before its due date 30/06/2027 "
        f"({CLOCK_WORDS}). The first sitting it could make is 07/07/2027."
    )

    checked = tmp_path / "checked"
    validated = run(
        "validate", str(model), "--bookings", str(out / "bookings.csv"),
        "--referrals", str(referrals), "--out", str(checked),
    )  # fmt: skip
    assert validated.exit_code == 1, validated.output
    expected = [
        {
            "rule": "ehc-assessment-decision",
            "severity": "error",
            "panel": "sen",
            "referral_id": "R-2",
            "sitting": "sen@2027-07-07",
            "message": LATE_FINDING,
            "source": SOURCE,
        }
    ]
    assert rows(checked / "findings.csv") == expected

    db = tmp_path / "p.db"
    started = run("planner", "init", "--model", str(model), "--db", str(db),
                  "--now", "2027-07-05 10:00")  # fmt: skip
    assert started.exit_code == 0, started.output
    added = run("planner", "add", "--referrals", str(referrals), "--db", str(db),
                "--now", "2027-07-05 10:00", "--time-limit", "2")  # fmt: skip
    assert added.exit_code == 0, added.output
    with Store.open(db) as store:
        diary = store.diary()
        # The store kept the request date and the pause: the same due dates as the plan.
        assert {h.referral_id: str(diary.due_date(h)) for h in diary.hearings} == DUE
        assert {h.referral_id: diary.in_force[h.id].date.isoformat() for h in diary.hearings} == {
            k: r["date"] for k, r in booked.items()
        }
    forward = tmp_path / "forward"
    audited = run("planner", "validate", "--db", str(db), "--now", "2027-07-05 11:00",
                  "--out", str(forward))  # fmt: skip
    assert audited.exit_code == 1, audited.output
    assert rows(forward / "findings.csv") == expected


def test_a_clock_the_only_sitting_in_time_cannot_meet_is_explained(tmp_path: Path) -> None:
    # Three requests of Fri 28/05/2027: each clock ends Fri 09/07/2027 (+42 days) and the last
    # sitting leaving 2 working days (Thu 08, Fri 09) is Wed 07/07/2027, the only sitting in
    # time after the 05/07 submissions. It has two 30-minute slots: one case goes to 14/07.
    model = tmp_path / "sen.yaml"
    model.write_text(SEN_MODEL, encoding="utf-8")
    referrals = tmp_path / "r.csv"
    referrals.write_text(
        "referral_id,panel,submitted,social_worker,team_manager,request_type,requested\n"
        + "".join(
            f"R-{n},sen,2027-07-05 09:00,SW-{n},TM-{n},ehc-needs-assessment,2027-05-28\n"
            for n in (1, 2, 3)
        ),
        encoding="utf-8",
    )
    out = tmp_path / "plan"
    planned = run(
        "plan", str(model), "--referrals", str(referrals), "--from", "2027-07-05",
        "--to", "2027-09-30", "--out", str(out), "--time-limit", "2",
    )  # fmt: skip
    assert planned.exit_code == 0, planned.output
    (late,) = rows(out / "unplaced.csv")
    words = (
        "2 working days before its 6-week assessment decision ends on 09/07/2027, under SEND "
        "Regulations 2014, reg. 5"
    )
    assert (late["status"], late["deadline"], late["date"]) == ("late", "2027-07-07", "2027-07-14")
    assert late["reason"] == (
        f"Heard 14/07/2027, 7 days after 07/07/2027 ({words}). The only SEN panel sitting it "
        f"could attend before its due date 07/07/2027 ({words}), on 07/07/2027, was full: 0 of "
        "the 2 cases booked there had earlier due dates."
    )
