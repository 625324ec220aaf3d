"""The diary's small parts: the calendar with the store's changes, hearing keys, parsers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from panelsched.core.panels import Authority
from panelsched.errors import InputError
from panelsched.forward.clock import parse_now
from panelsched.forward.commands.sittings import parse_sitting_id
from panelsched.forward.diary import SittingChange, effective_authority
from panelsched.forward.followups import add_months
from tests.helpers.forward import MODEL


def _change(kind: str, day: str, number: int) -> SittingChange:
    return SittingChange(
        "crp", date.fromisoformat(day), kind, "why", "", datetime(2027, 3, 1), "admin", number
    )


def _crp_dates(authority: Authority) -> list[str]:
    from panelsched.core.sittings import generate_sittings

    found = generate_sittings(authority, date(2027, 3, 1), date(2027, 3, 31), ["crp"])
    return [s.date.isoformat() for s in found]


def test_changes_apply_in_the_order_they_were_made() -> None:
    base = Authority.model_validate(MODEL)
    assert _crp_dates(base) == ["2027-03-04", "2027-03-11", "2027-03-18", "2027-03-25"]
    changes = [
        _change("cancelled", "2027-03-11", 1),
        _change("extra", "2027-03-12", 2),
        # Cancelling the extra sitting, then restoring 11 March: the last word wins.
        _change("cancelled", "2027-03-12", 3),
        _change("extra", "2027-03-11", 4),
        _change("cancelled", "2027-03-25", 5),
    ]
    assert _crp_dates(effective_authority(base, changes)) == [
        "2027-03-04",
        "2027-03-11",
        "2027-03-18",
    ]
    assert effective_authority(base, []) is base


@given(st.dates(date(2000, 1, 1), date(2099, 12, 31)), st.sampled_from(["crp", "lam-16plus"]))
def test_a_sitting_id_reads_back(day: date, panel: str) -> None:
    assert parse_sitting_id(f"{panel}@{day.isoformat()}") == (panel, day)


@pytest.mark.parametrize("text", ["crp", "@2027-03-04", "crp@", "crp@2027-02-30", "crp 2027-03-04"])
def test_a_bad_sitting_id_is_named(text: str) -> None:
    with pytest.raises(InputError, match=r"SITTING: .* is not a sitting; expected one like"):
        parse_sitting_id(text)


@given(st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31)))
def test_now_reads_back_to_the_minute(moment: datetime) -> None:
    minute = moment.replace(second=0, microsecond=0)
    assert parse_now(minute.strftime("%Y-%m-%d %H:%M")) == minute
    assert parse_now(minute.strftime("%Y-%m-%dT%H:%M")) == minute


@given(st.dates(date(2000, 1, 1), date(2099, 9, 30)), st.integers(1, 24))
def test_add_months_lands_in_the_right_month(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    # The same day of the month, or the month's last day when it is shorter.
    assert later.day == day.day or (later + timedelta(days=1)).day == 1
