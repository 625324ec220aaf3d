"""The audit trail read back: a case's history and the changes by date and person.

The week, worked by hand from the conftest calendar: on Mon 1 March at 10:00 ``admin`` adds
R-1 (booked Thu 4 March 13:00); on Fri 5 March at 09:00 ``admin`` records that it was deferred
(R-1#2 booked Thu 11 March, S10); on Sat 6 March at 09:00 ``clerk`` corrects the outcome to
approve with a review date of 10 June (R-1#2 withdrawn; the review R-1#3 booked Thu 13 May).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from panelsched.errors import InputError
from panelsched.forward import Store
from panelsched.forward.trail import audit_entries, case_history
from tests.helpers.forward import corrected_to_approve, deferred


@pytest.fixture
def week(store: Store, tmp_path: Path) -> Store:
    deferred(store, tmp_path)
    corrected_to_approve(store)
    return store


def test_a_case_history_is_every_change_to_each_of_its_hearings(week: Store) -> None:
    history = case_history(week, "R-1")
    rows = [(f"{e.at:%d/%m %H:%M}", e.by, e.command, e.action, e.subject) for e in history]
    assert rows == [
        ("01/03 10:00", "admin", "add", "referral added", "R-1"),
        ("01/03 10:00", "admin", "add", "booked", "R-1"),
        ("05/03 09:00", "admin", "decide", "outcome recorded", "R-1"),
        ("05/03 09:00", "admin", "decide", "follow-up created", "R-1"),
        ("05/03 09:00", "admin", "decide", "booked", "R-1#2"),
        ("06/03 09:00", "clerk", "amend", "follow-up withdrawn", "R-1#2"),
        ("06/03 09:00", "clerk", "amend", "outcome amended", "R-1"),
        ("06/03 09:00", "clerk", "amend", "follow-up created", "R-1"),
        ("06/03 09:00", "clerk", "amend", "booked", "R-1#3"),
    ]  # fmt: skip
    assert history[1].detail == "crp@2027-03-04 13:00-13:15"
    assert history[5].detail == (
        "S10 deferred: the outcome of R-1 was corrected to approve (was booked at "
        "crp@2027-03-11 13:00)"
    )


def test_one_hearings_history(week: Store) -> None:
    assert [e.action for e in case_history(week, "R-1#2")] == ["booked", "follow-up withdrawn"]


def test_the_audit_by_date_and_person(week: Store) -> None:
    everything = audit_entries(week)
    # init's "model loaded", then the nine changes of R-1's history.
    assert [e.action for e in everything][:1] == ["model loaded"] and len(everything) == 10
    assert {e.command for e in audit_entries(week, by="clerk")} == {"amend"}
    assert len(audit_entries(week, by="clerk")) == 4
    assert audit_entries(week, by="nobody") == ()
    # The dates are the commands' dates, both ends included.
    assert {e.command for e in audit_entries(week, start=date(2027, 3, 5))} == {"decide", "amend"}
    assert {e.command for e in audit_entries(week, end=date(2027, 3, 1))} == {"init", "add"}
    assert [e.command for e in audit_entries(week, date(2027, 3, 5), date(2027, 3, 5))] == [
        "decide"
    ] * 3


@pytest.mark.parametrize("reference", ["R-9", "R-1#7", "R"])
def test_history_of_a_case_not_in_the_planner_is_refused(week: Store, reference: str) -> None:
    with pytest.raises(InputError) as caught:
        case_history(week, reference)
    assert str(caught.value.problems[0]) == (
        f"REFERENCE: '{reference}' is not in the planner; give a case reference like R-1 or a "
        "hearing like R-1#2"
    )
