"""A small SEN diary for counting statutory clocks (issue 26, "Counted"), on the model of
tests/helpers/clocks.py: Wednesdays 13:00-14:00 (two 30-minute slots), cut-off Monday 13:00,
the 6-week EHC assessment-decision clock with 2 working days after the panel.

Every referral is submitted Monday 05/07/2027 09:00, so the first sitting any can make is
Wednesday 07/07/2027. The requests, worked by hand:

- J-1 .. J-5, requested Tue 01/06/2027: the clock ends Tue 13/07/2027 (+42 days); 2 working
  days (Tue 13, Mon 12) before it leave Fri 09/07/2027 as the last viable sitting date, so
  only Wed 07/07 is in time and it has two slots: two are in time, three late.
- J-6, requested 01/06/2027 too, but the school was closed 10/06..31/07/2027 (21 + 31 = 52
  days, within the clock's run): it ends 13/07 + 52 days = Fri 03/09/2027, last viable
  sitting Wed 01/09/2027 (Thu 02 and Fri 03 left for the letter).
- K-1, K-2, requested Fri 02/07/2027: ends Fri 13/08/2027, last viable Wed 11/08/2027.
- K-3, requested Mon 05/07/2027: ends Mon 16/08/2027; Mon 16 and Fri 13 are the two working
  days, so the last viable sitting date is Thu 12/08/2027.
- X-1, an annual review requested 01/06/2027: the clock applies only to EHC needs assessment
  requests, so it is not counted.

The planner (greedy, for speed: first come, first served in the file's order) books 07/07
J-1, J-2; 14/07 J-3, J-4 (late); 21/07 J-5 (late) and J-6; 28/07 K-1, K-2; 04/08 K-3, X-1.
:func:`build_clock_diary` records, as of Thursday 22/07/2027 09:00, the outcomes of the cases
heard 07/07 and 21/07, and of J-3 (the first by reference of 14/07); J-4 is left without an
outcome.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from panelsched.forward import Actor, Diary, Settings, Store, add, decide, init
from panelsched.io.inputs import load_referrals
from panelsched.io.model_file import read_model_file
from panelsched.io.records import load_records
from tests.helpers.clocks import SEN_MODEL

STARTED = datetime(2027, 7, 5, 10, 0)
DECIDED = datetime(2027, 7, 22, 9, 0)
SETTINGS = Settings(method="greedy")

_HEADER = (
    "referral_id,panel,submitted,social_worker,team_manager,request_type,requested,clock_pauses"
)
_EHC = "ehc-needs-assessment"
_ROWS = [
    *(f"J-{n},sen,2027-07-05 09:00,SW-{n},TM-{n},{_EHC},01/06/2027," for n in range(1, 6)),
    f"J-6,sen,2027-07-05 09:00,SW-6,TM-6,{_EHC},01/06/2027,"
    "2027-06-10..2027-07-31 school-closure-4-weeks",
    f"K-1,sen,2027-07-05 09:00,SW-7,TM-7,{_EHC},02/07/2027,",
    f"K-2,sen,2027-07-05 09:00,SW-8,TM-8,{_EHC},02/07/2027,",
    f"K-3,sen,2027-07-05 09:00,SW-9,TM-9,{_EHC},05/07/2027,",
    "X-1,sen,2027-07-05 09:00,SW-10,TM-10,annual-review,01/06/2027,",
]
REFERRALS = "\n".join([_HEADER, *_ROWS]) + "\n"


def booked_dates(diary: Diary) -> dict[str, str]:
    """Each case's booked date, ISO."""
    return {
        h.referral_id: diary.in_force[h.id].date.isoformat()
        for h in diary.hearings
        if h.id in diary.in_force
    }


def build_clock_diary(folder: Path) -> Path:
    """The diary described above; returns the database's path."""
    model = folder / "sen.yaml"
    model.write_text(SEN_MODEL, encoding="utf-8")
    referrals = folder / "referrals.csv"
    referrals.write_text(REFERRALS, encoding="utf-8")
    db = folder / "planner.db"
    init(db, read_model_file(model), Actor(STARTED, "setup"))
    with Store.open(db) as store:
        loaded = list(load_referrals(referrals, store.model()))
        add(store, Actor(STARTED, "setup"), loaded, referrals_file=str(referrals),
            settings=SETTINGS)  # fmt: skip
        booked = booked_dates(store.diary())
        heard_14 = sorted(k for k, d in booked.items() if d == "2027-07-14")
        decided = [k for k, d in booked.items() if d in ("2027-07-07", "2027-07-21")] + heard_14[:1]
        records = folder / "records.csv"
        records.write_text(
            "referral_id,panel,date,outcome\n"
            + "".join(f"{k},sen,{booked[k]},approve\n" for k in sorted(decided)),
            encoding="utf-8",
        )
        decide(store, Actor(DECIDED, "setup"), load_records(records, store.model()),
               settings=SETTINGS)  # fmt: skip
    return db


__all__ = ["DECIDED", "REFERRALS", "STARTED", "booked_dates", "build_clock_diary"]
