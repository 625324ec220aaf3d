"""A season of Peterborough SEN requests in a forward diary (issue 26, "warned of ahead"),
shared by the risks tests of the library, the command line and the web page.

models/peterborough.yaml's pbo-sen sits fortnightly on Tuesdays from 05/01/2027, 09:30-12:30 in
15-minute slots (12 a sitting), cut-off 5 working days before at 17:00:

- Tue 02/02/2027, cut-off Tue 26/01 17:00 (Mon 01/02, Fri 29, Thu 28, Wed 27, Tue 26/01);
- Tue 16/02/2027, cut-off Tue 09/02 17:00;
- Tue 02/03/2027, cut-off Tue 23/02 17:00; then 16/03, 30/03...

Its clock ``ehc-assessment-decision`` runs 6 weeks (42 days) from ``requested`` and leaves 2
working days after the panel; ``ehc-plan-decision`` 20 weeks (140 days), 20 working days after.

The diary is started Mon 25/01/2027 08:00. On Wed 27/01 at 10:00, 12 routine cases (no request
type, so no clock) submitted that morning, after 02/02's cut-off, fill Tue 16/02: all 12 slots.
On Mon 01/02 at 09:00 six requests submitted at 08:30 are added (after 02/02's cut-off, so 16/02
is the first sitting they can make, and it is full):

======  ================  ===========================================  ===========  =========
case    requested         clock ends; last viable sitting (2 wd back)  booked       days left
======  ================  ===========================================  ===========  =========
S-1     Mon 01/02/2027    Mon 15/03; Thu 11/03 (15/03, 12/03)         02/03 in     38
S-2     Mon 25/01/2027    Mon 08/03; Thu 04/03 (08/03, 05/03)         02/03 in     31
S-3     Tue 12/01/2027    Tue 23/02; Fri 19/02 (23/02, 22/02)         02/03, 11    18
                          late: 16/02, the only sitting in time, full
S-4     Tue 05/01/2027    Tue 16/02; Fri 12/02 (16/02, 15/02)         02/03, 18    11
                          late: no sitting between its cut-off and 12/02
S-5     Fri 22/01/2027    Fri 05/03; Wed 03/03 (05/03, 04/03)         not booked   30
                          SW-5 is away all year
S-6     Mon 04/01/2027    20-week plan: Mon 24/05; Fri 23/04           02/03 in     81
        (ehc-plan-decision; 20 working days back from 24/05 skip the 03/05 bank holiday)
======  ================  ===========================================  ===========  =========

Days left count from Mon 01/02/2027 to the last viable sitting. Six weeks from 01/02 end on
15/03/2027: S-1 to S-5 fall within them, S-6 (23/04) does not.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from panelsched.forward import Actor, Settings, Store, add, init
from panelsched.io.inputs import load_availability, load_referrals
from panelsched.io.model_file import read_model_file
from tests.helpers.paths import ROOT

MODEL = ROOT / "models" / "peterborough.yaml"
STARTED = datetime(2027, 1, 25, 8, 0)
ROUTINE_AT = datetime(2027, 1, 27, 10, 0)
NOW = datetime(2027, 2, 1, 9, 0)
PANEL = "Special Educational Needs (SEN) Panel"
SETTINGS = Settings(time_limit=2.0)

HEADER = "referral_id,panel,submitted,social_worker,team_manager,request_type,requested\n"
ROUTINE = HEADER + "".join(
    f"P-{n},pbo-sen,2027-01-27 09:00,SW-P{n},TM-P{n},,\n" for n in range(1, 13)
)
REQUESTS = HEADER + "".join(
    f"S-{n},pbo-sen,2027-02-01 08:30,SW-{n},TM-{n},{kind},{requested}\n"
    for n, kind, requested in (
        (1, "ehc-needs-assessment", "01/02/2027"),
        (2, "ehc-needs-assessment", "25/01/2027"),
        (3, "ehc-needs-assessment", "12/01/2027"),
        (4, "ehc-needs-assessment", "05/01/2027"),
        (5, "ehc-needs-assessment", "22/01/2027"),
        (6, "ehc-plan-decision", "04/01/2027"),
    )
)
AWAY = "person,from,to,reason\nSW-5,2027-02-01,2027-12-31,secondment\n"

CLOCK = "2 working days before its 6-week assessment decision ends on {}, under SEND Regulations 2014, reg. 5"  # noqa: E501
WHY_FULL = (
    f"The only {PANEL} sitting it could attend before its due date 19/02/2027 "
    f"({CLOCK.format('23/02/2027')}), on 16/02/2027, was full: 0 of the 12 cases booked there "
    "had earlier due dates."
)
WHY_NO_SITTING = (
    f"Submitted 01/02/2027: no {PANEL} sitting whose cut-off it met falls on or before its due "
    f"date 12/02/2027 ({CLOCK.format('16/02/2027')}). The first sitting it could make is "
    "16/02/2027."
)
WHY_AWAY = (
    f"SW-5 is unavailable on every {PANEL} sitting before its due date 03/03/2027 "
    f"({CLOCK.format('05/03/2027')}): 16/02/2027, 02/03/2027."
)


def build_season(folder: Path) -> Path:
    """The diary described above; returns the database's path."""
    db = folder / "planner.db"
    init(db, read_model_file(MODEL), Actor(STARTED, "setup"))
    routine = folder / "routine.csv"
    routine.write_text(ROUTINE, encoding="utf-8")
    requests = folder / "requests.csv"
    requests.write_text(REQUESTS, encoding="utf-8")
    away = folder / "away.csv"
    away.write_text(AWAY, encoding="utf-8")
    with Store.open(db) as store:
        add(
            store,
            Actor(ROUTINE_AT, "setup"),
            load_referrals(routine, store.model()),
            referrals_file=str(routine),
            settings=SETTINGS,
        )
        add(
            store,
            Actor(NOW, "setup"),
            load_referrals(requests, store.model()),
            load_availability(away),
            referrals_file=str(requests),
            availability_file=str(away),
            settings=SETTINGS,
        )
    return db


__all__ = [
    "MODEL",
    "NOW",
    "PANEL",
    "WHY_AWAY",
    "WHY_FULL",
    "WHY_NO_SITTING",
    "build_season",
]
