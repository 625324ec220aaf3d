"""The synthetic writers write the clock columns (issue 26): a referral with a request date
and clock pauses written to referrals.csv reads back the same."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from panelsched.core.clocks import ClockPause
from panelsched.core.referrals import Referral
from panelsched.exports.input_files import write_referrals_csv
from panelsched.io.inputs import load_referrals
from panelsched.io.model_file import load_model_text
from tests.helpers.clocks import SEN_MODEL


def test_request_date_and_pauses_are_written_and_read_back(tmp_path: Path) -> None:
    written = Referral(
        referral_id="R-1",
        panel="sen",
        submitted=datetime(2027, 7, 5, 9, 0),
        social_worker="SW-1",
        team_manager="TM-1",
        request_type="ehc-needs-assessment",
        requested=date(2027, 7, 2),
        clock_pauses=(ClockPause(date(2027, 7, 22), date(2027, 9, 1), "school-closure-4-weeks"),),
        row=2,
    )
    path = tmp_path / "referrals.csv"
    write_referrals_csv([written], path)
    text = path.read_text(encoding="utf-8")
    assert "2027-07-22..2027-09-01 school-closure-4-weeks" in text
    (read,) = load_referrals(path, load_model_text(SEN_MODEL, "sen.yaml"))
    assert read == written
