"""English state-school holidays, approximately: fewer referrals arrive in them and more
leave is taken."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.easter import easter


def _last_monday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1) if month < 12 else date(year, 12, 31)
    return day - timedelta(days=day.weekday())


def is_school_holiday(day: date) -> bool:
    """True when ``day`` falls in a typical English state-school holiday.

    Dates differ by local authority; this uses a common pattern: Christmas 20 December to
    3 January, the week holding 15 February, the Monday before Easter to the Friday after, the
    week of the late-May bank holiday, 22 July to 2 September and the last full week of October.
    """
    year = day.year
    if (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 3):
        return True
    feb = date(year, 2, 15)
    feb_monday = feb - timedelta(days=feb.weekday())
    if feb_monday <= day <= feb_monday + timedelta(days=6):
        return True
    sunday = easter(year)
    if sunday - timedelta(days=6) <= day <= sunday + timedelta(days=5):
        return True
    may = _last_monday(year, 5)
    if may <= day <= may + timedelta(days=6):
        return True
    if date(year, 7, 22) <= day <= date(year, 9, 2):
        return True
    october = _last_monday(year, 10)
    if october.day > 27:
        # Fewer than five October weekdays after it: the half term is the week before.
        october -= timedelta(days=7)
    return october <= day <= october + timedelta(days=6)


__all__ = ["is_school_holiday"]
