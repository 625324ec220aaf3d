"""The model files shipped in models/: they load, sit, and say what the sources say.

Each hand-worked date below is checked against the 2027 English bank holidays:
Fri 1 Jan, Good Friday 26 Mar, Easter Monday 29 Mar, 3 May, 31 May, 30 Aug, and
Mon 27 / Tue 28 Dec (Christmas Day and Boxing Day fall on a weekend, so both are observed).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache
from itertools import combinations
from pathlib import Path

import pytest

from panelsched.core.offsets import Offset
from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting, generate_sittings, sitting_for
from panelsched.core.workdays import working_calendar
from panelsched.io.model_file import load_model

MODELS = Path(__file__).resolve().parents[1] / "models"
MODEL_FILES = sorted(MODELS.glob("*.yaml"))
YEAR = (date(2027, 1, 1), date(2027, 12, 31))
YEAR_2027_2028 = (date(2027, 1, 1), date(2028, 12, 31))

# Every panel of the DOMAIN.md table, by the file that models it.
EXPECTED_PANELS = {
    "lambeth.yaml": {"lam-crp", "lam-lpp", "lam-ctp", "lam-ptp", "lam-16plus", "lam-neet"},
    "peterborough.yaml": {
        "pbo-sen",
        "pbo-esp",
        "pbo-jasp",
        "pbo-hcp",
        "pbo-sb",
        "pbo-masg-north",
        "pbo-masg-central",
        "pbo-masg-south",
        "pbo-transitions",
        "pbo-transport",
    },
    "central-bedfordshire.yaml": {"cbc-arp"},
    "care-planning-resources.yaml": {"cpr"},
    "swindon.yaml": {"swi-care"},
}

# SHA-256 of lower-cased names of staff the source documents name (and the local parts of two
# e-mail addresses). Digests rather than the names, so that this test does not ship them.
STAFF_NAME_DIGESTS = frozenset(
    {
        "4f954788ea05ecb93c89a9411fa72bb7340a3a6fdf506934217084b60f1aabf8",
        "5147eb88b462cfd852e31e30cd0d663b864f65e2f87edf5fd03b6c8e3f810d6e",
        "2cdfa9932203750c01882dc0478e258a0eb926af1e08c616fe6124b6461647cb",
        "fee75ef684c88498e3522ce9067c5e39fe338e85c5d5d98039ce592c4063180b",
        "5cfa64f41f9f63e29354a1873b2983c42aa9fea34dae811b27027a2db89bbca1",
        "f037481f0bcce13981b7e0bb301041d095f1e6b32668577be8b86869085fd8b3",
        "9f3cd8010f1d508e2c333d43a9292f2b3c287b4fd92a3297e1a72827bf7b2eab",
        "7e60c132e05e45c4f231840127ea6d81fe60f78beda4ac46ba98d1066f0f8814",
        "550dda7f63afa7e6fa4eaccb7d0671358fd0000582d5c42354997880e4b85b70",
        "d158be41db87d7055fa9548fe9c0e3cb685983fedb4f2d648d7a25c046d72d9d",
        "1a7458e5b397c00fedace7eb3256736d12a1a760adbb585a858c83d9cd396507",
    }
)
# The source documents, when this checkout sits beside them (../shared/seeds).
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def staff_names_in(text: str) -> set[str]:
    """Words of ``text`` that are names of staff in the source documents."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    return {w for w in words if hashlib.sha256(w.encode()).hexdigest() in STAFF_NAME_DIGESTS}


@cache
def model(name: str) -> Authority:
    return load_model(MODELS / name)


@cache
def year_of(name: str) -> tuple[Sitting, ...]:
    return generate_sittings(model(name), *YEAR)


def sitting(name: str, panel: str, day: date) -> Sitting:
    found = [s for s in year_of(name) if s.panel == panel and s.date == day]
    assert len(found) == 1, f"{panel} should sit once on {day}, found {found}"
    return found[0]


def dates_of(name: str, panel: str) -> list[date]:
    return [s.date for s in year_of(name) if s.panel == panel]


# --- every file ------------------------------------------------------------------------------


def test_the_five_source_authorities_are_shipped() -> None:
    assert {path.name for path in MODEL_FILES} >= set(EXPECTED_PANELS)


@pytest.mark.parametrize("name", sorted(EXPECTED_PANELS))
def test_every_panel_of_the_domain_table_is_modelled(name: str) -> None:
    assert set(model(name).panel_ids) == EXPECTED_PANELS[name]


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_model_loads_and_every_panel_sits_in_2027(path: Path) -> None:
    authority = load_model(path)
    sittings = generate_sittings(authority, *YEAR)
    counts = Counter(s.panel for s in sittings)
    # Every shipped panel sits at least monthly, so ten sittings or more even after skips.
    short = {panel: counts[panel] for panel in authority.panel_ids if counts[panel] < 10}
    assert short == {}


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_no_sitting_on_a_weekend_or_bank_holiday_unless_extra(path: Path) -> None:
    authority = load_model(path)
    workdays = working_calendar(authority.holidays)
    sittings = generate_sittings(authority, date(2026, 1, 1), date(2028, 12, 31))
    bad = [
        s.id
        for s in sittings
        if not workdays.is_working_day(s.date) and not s.note.startswith("extra sitting")
    ]
    assert bad == []


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_cutoff_and_papers_come_before_the_sitting(path: Path) -> None:
    sittings = generate_sittings(load_model(path), date(2026, 1, 1), date(2028, 12, 31))
    late = [
        s.id
        for s in sittings
        if (s.cutoff and s.cutoff >= s.opens) or (s.papers_out and s.papers_out >= s.opens)
    ]
    assert late == []


TEN_YEARS = (date(2027, 1, 1), date(2036, 12, 31))


def _out_of_order(sittings: Iterable[Sitting]) -> list[str]:
    """Sittings whose papers go out before the cut-off, or either not before the sitting."""
    return [
        s.id
        for s in sittings
        if (s.cutoff and s.papers_out and s.papers_out < s.cutoff)
        or any(m is not None and m >= s.opens for m in (s.cutoff, s.papers_out))
    ]


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_papers_never_go_out_before_the_cutoff(path: Path) -> None:
    # Ten years, so every arrangement of Christmas and New Year around the weekend is seen.
    assert _out_of_order(generate_sittings(load_model(path), *TEN_YEARS)) == []


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_an_extra_sitting_on_any_day_gets_papers_after_its_own_cutoff(path: Path) -> None:
    # An extra sitting of every panel on every day of one year: each weekday, bank holidays
    # and the days either side of them (an extra can be added on any day).
    authority = load_model(path)
    workdays = working_calendar(authority.holidays)
    days = [date(2027, 1, 1) + timedelta(n) for n in range(365)]
    extras = [sitting_for(p, d, "extra sitting", workdays) for p in authority.panels for d in days]
    assert _out_of_order(extras) == []


def test_an_extra_tuesday_of_a_thursday_panel_gets_its_papers_at_its_cutoff() -> None:
    # Lambeth CRP sits on Thursdays: cut-off "MO 13:00", papers "TU 17:00". An extra sitting on
    # Tue 26 Jan 2027: the latest Monday strictly before it is Mon 25 Jan (13:00); the latest
    # Tuesday strictly before it is Tue 19 Jan, a week before the cut-off, so papers go out at
    # the cut-off, Mon 25 Jan 13:00.
    crp = model("lambeth.yaml").panel("lam-crp")
    extra = sitting_for(crp, date(2027, 1, 26), "extra sitting", working_calendar("ENG"))
    assert (extra.cutoff, extra.papers_out) == (
        datetime(2027, 1, 25, 13, 0),
        datetime(2027, 1, 25, 13, 0),
    )


def test_cpr_papers_go_out_at_the_cutoff_when_holidays_fold_both_onto_one_day() -> None:
    # CPR's source fixes both moments: cut-off Monday 17:00, papers Tuesday 12:00. In 2027-2028
    # only the Christmas weeks fold both back to one day: Wed 29 Dec 2027 (Mon 27 and Tue 28
    # observed holidays, both moments go to Fri 24 Dec) and Wed 27 Dec 2028 (Mon 25 and Tue 26
    # are Christmas and Boxing Day, both go to Fri 22 Dec). Papers at 12:00 would go out before
    # the 17:00 cut-off, so they go out at the cut-off.
    sittings = generate_sittings(model("care-planning-resources.yaml"), *YEAR_2027_2028)
    folded = [(s.id, s.cutoff, s.papers_out) for s in sittings if s.cutoff == s.papers_out]
    assert folded == [
        ("cpr@2027-12-29", datetime(2027, 12, 24, 17, 0), datetime(2027, 12, 24, 17, 0)),
        ("cpr@2028-12-27", datetime(2028, 12, 22, 17, 0), datetime(2028, 12, 22, 17, 0)),
    ]


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_every_panel_cites_its_source_and_says_what_was_assumed(path: Path) -> None:
    authority = load_model(path)
    missing = [p.id for p in authority.panels if not p.source or not p.assumed]
    assert missing == []


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_fortnightly_panels_are_anchored_in_early_january_2027(path: Path) -> None:
    authority = load_model(path)
    anchors = {p.id: p.anchor for p in authority.panels if "INTERVAL=2" in p.cadence}
    assert all(
        anchor is not None and date(2027, 1, 1) <= anchor <= date(2027, 1, 15)
        for anchor in anchors.values()
    ), anchors


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_no_email_address_in_a_model(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "@" not in text
    assert not re.search(r"\.gov\.uk|\.nhs\.uk|mailto:", text, re.IGNORECASE)


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_no_staff_name_from_the_sources_in_a_model(path: Path) -> None:
    assert staff_names_in(path.read_text(encoding="utf-8")) == set()


def test_the_staff_name_check_recognises_the_names_in_the_sources() -> None:
    # Lambeth's document names its author, its director and three administrators; Swindon's
    # gives one address. Without the seeds beside the checkout this check cannot run.
    lambeth, swindon = SEEDS / "001_271c1965f30b0e06.txt", SEEDS / "004_1f7a623118618b49.txt"
    if not (lambeth.exists() and swindon.exists()):
        pytest.skip("the source documents are not beside this checkout")
    assert len(staff_names_in(lambeth.read_text(encoding="utf-8"))) == 10
    assert len(staff_names_in(swindon.read_text(encoding="utf-8"))) == 1


# --- Lambeth ---------------------------------------------------------------------------------


def test_lambeth_crp_sits_every_thursday_of_2027() -> None:
    # 2027 starts and ends on a Friday, so it has 53 Fridays and 52 of every other weekday;
    # no 2027 bank holiday is a Thursday.
    days = dates_of("lambeth.yaml", "lam-crp")
    assert (len(days), days[0], days[-1]) == (52, date(2027, 1, 7), date(2027, 12, 30))


def test_lambeth_crp_cutoff_across_easter() -> None:
    # Thu 1 Apr 2027, cut-off "MO 13:00": the Monday before is Easter Monday 29 Mar, back over
    # Good Friday 26 Mar to Thu 25 Mar 13:00 (the issue's own example). Papers "TU 17:00":
    # Tue 30 Mar is a working day.
    s = sitting("lambeth.yaml", "lam-crp", date(2027, 4, 1))
    assert (s.cutoff, s.papers_out) == (datetime(2027, 3, 25, 13, 0), datetime(2027, 3, 30, 17, 0))


def test_lambeth_16plus_moves_off_easter_monday() -> None:
    # Mon 29 Mar 2027 is Easter Monday; next_working_day puts the sitting on Tue 30 Mar. Its
    # cut-off, 3 working days before Tue 30: Mon 29 and Fri 26 are holidays, so Thu 25 (1),
    # Wed 24 (2), Tue 23 (3) -> Tue 23 Mar 17:00.
    s = sitting("lambeth.yaml", "lam-16plus", date(2027, 3, 30))
    assert s.note == "moved from 2027-03-29 (Easter Monday)"
    assert s.cutoff == datetime(2027, 3, 23, 17, 0)


def test_lambeth_ctp_loses_only_boxing_day_in_2027() -> None:
    # 2nd and 4th Tuesdays: 24 in the year; the 4th Tuesday of December is Tue 28 Dec, Boxing
    # Day (observed), skipped -> 23, the last on Tue 14 Dec.
    days = dates_of("lambeth.yaml", "lam-ctp")
    assert (len(days), days[-1], date(2027, 12, 28) in days) == (23, date(2027, 12, 14), False)
    assert days[:2] == [date(2027, 1, 12), date(2027, 1, 26)]


def test_lambeth_neet_over_easter_2027_and_2028() -> None:
    # Fortnightly from Fri 8 Jan 2027: Easter 2027 falls between sittings (Mar 19, Apr 2).
    days = dates_of("lambeth.yaml", "lam-neet")
    assert [d for d in days if date(2027, 3, 10) <= d <= date(2027, 4, 10)] == [
        date(2027, 3, 19),
        date(2027, 4, 2),
    ]
    # Fri 2 Apr 2027: cut-off 4 working days before = Thu 1 (1), Wed 31 (2), Tue 30 (3), Mon 29
    # and Fri 26 holidays, Thu 25 (4) -> Thu 25 Mar 17:00; papers "3 days 12:00" = Tue 30 Mar.
    s = sitting("lambeth.yaml", "lam-neet", date(2027, 4, 2))
    assert (s.cutoff, s.papers_out) == (datetime(2027, 3, 25, 17, 0), datetime(2027, 3, 30, 12, 0))
    # Fri 14 Apr 2028 is Good Friday and 66 weeks after 8 Jan 2027 (even: a NEET Friday); the
    # panel skips holidays, so March 31 is followed by April 28.
    spring_2028 = generate_sittings(
        model("lambeth.yaml"), date(2028, 3, 25), date(2028, 4, 30), panels=["lam-neet"]
    )
    assert [x.date for x in spring_2028] == [date(2028, 3, 31), date(2028, 4, 28)]


# --- Peterborough ----------------------------------------------------------------------------


def test_peterborough_jasp_sits_on_the_last_tuesday() -> None:
    # March 2027 starts on a Monday: Tuesdays 2, 9, 16, 23, 30 -> the last is 30 March.
    assert sitting("peterborough.yaml", "pbo-jasp", date(2027, 3, 30)).note == ""
    # The last Tuesday of December 2027 is Tue 28, Boxing Day (observed): moved to Wed 29.
    december = sitting("peterborough.yaml", "pbo-jasp", date(2027, 12, 29))
    assert december.note == "moved from 2027-12-28 (Boxing Day (observed))"
    assert len(dates_of("peterborough.yaml", "pbo-jasp")) == 12


def test_peterborough_sen_cutoff_and_papers_over_easter() -> None:
    # Fortnightly Tuesdays from 5 Jan: Jan 5, 19, Feb 2, 16, Mar 2, 16, 30. For Tue 30 Mar,
    # cut-off "5 working days 17:00": Mon 29 and Fri 26 are holidays, so Thu 25 (1), Wed 24 (2),
    # Tue 23 (3), Mon 22 (4), Fri 19 (5) -> Fri 19 Mar 17:00. Papers "2 working days 12:00":
    # Thu 25 (1), Wed 24 (2) -> Wed 24 Mar 12:00.
    s = sitting("peterborough.yaml", "pbo-sen", date(2027, 3, 30))
    assert (s.cutoff, s.papers_out) == (datetime(2027, 3, 19, 17, 0), datetime(2027, 3, 24, 12, 0))


def test_peterborough_transport_moves_off_good_friday_past_easter_monday() -> None:
    # Fortnightly Fridays from 8 Jan 2027; Fri 14 Apr 2028 (Good Friday) is 462 days = 66 weeks
    # later, a transport Friday. The next working day skips the weekend and Easter Monday 17 Apr
    # -> Tue 18 Apr 2028.
    moved = generate_sittings(
        model("peterborough.yaml"), date(2028, 4, 10), date(2028, 4, 20), panels=["pbo-transport"]
    )
    assert [(s.date, s.note) for s in moved] == [
        (date(2028, 4, 18), "moved from 2028-04-14 (Good Friday)")
    ]
    # In 2027 Easter falls between transport Fridays: Fri 2 Apr sits, cut-off 5 working days
    # before = Thu 1 (1), Wed 31 (2), Tue 30 (3), [Mon 29, Fri 26 holidays], Thu 25 (4),
    # Wed 24 (5) -> Wed 24 Mar 17:00.
    assert sitting("peterborough.yaml", "pbo-transport", date(2027, 4, 2)).cutoff == datetime(
        2027, 3, 24, 17, 0
    )


def test_peterborough_masg_has_three_localities_in_one_group() -> None:
    masg = [p for p in model("peterborough.yaml").panels if p.group == "pbo-masg"]
    assert sorted((p.id, p.locality) for p in masg) == [
        ("pbo-masg-central", "Central"),
        ("pbo-masg-north", "North"),
        ("pbo-masg-south", "South"),
    ]
    # Half a day each; the three sit on three different weekdays.
    assert {p.capacity_minutes for p in masg} == {180}
    assert len({dates_of("peterborough.yaml", p.id)[0].weekday() for p in masg}) == 3


def test_peterborough_regular_sittings_never_overlap_each_other() -> None:
    # The staggering: over ten years no two unmoved sittings share a date and a time. (A sitting
    # moved off a bank holiday can land on another panel's day; the model says so.)
    sittings = [
        s
        for s in generate_sittings(model("peterborough.yaml"), date(2027, 1, 1), date(2036, 12, 31))
        if not s.note
    ]
    clashes = [(a.id, b.id) for a, b in combinations(sittings, 2) if a.overlaps(b)]
    assert clashes == []


# --- Central Bedfordshire --------------------------------------------------------------------


def test_cbc_thursday_cutoff_and_papers_over_easter() -> None:
    # Thu 1 Apr 2027. Cut-off "3 working days 17:00": Wed 31 (1), Tue 30 (2), Mon 29 Easter
    # Monday, Fri 26 Good Friday, Thu 25 (3) -> Thu 25 Mar 17:00. Papers "2 days 17:00":
    # Tue 30 Mar, a working day -> Tue 30 Mar 17:00.
    s = sitting("central-bedfordshire.yaml", "cbc-arp", date(2027, 4, 1))
    assert (s.start.isoformat("minutes"), s.capacity_minutes) == ("09:30", 180)
    assert (s.cutoff, s.papers_out) == (datetime(2027, 3, 25, 17, 0), datetime(2027, 3, 30, 17, 0))
    assert len(dates_of("central-bedfordshire.yaml", "cbc-arp")) == 52


def test_cbc_christmas_week_sitting() -> None:
    # Thu 30 Dec 2027. Cut-off: Wed 29 (1), Tue 28 and Mon 27 holidays, Fri 24 (2), Thu 23 (3)
    # -> Thu 23 Dec 17:00. Papers: 2 days before is Tue 28 (holiday), back over Mon 27 to
    # Fri 24 Dec 17:00.
    s = sitting("central-bedfordshire.yaml", "cbc-arp", date(2027, 12, 30))
    assert (s.cutoff, s.papers_out) == (
        datetime(2027, 12, 23, 17, 0),
        datetime(2027, 12, 24, 17, 0),
    )


def test_cbc_moves_a_bank_holiday_thursday_rather_than_cancel_it() -> None:
    # Christmas Day 2030 is a Wednesday, Boxing Day Thu 26 Dec 2030: moved to Fri 27 Dec.
    s = generate_sittings(
        model("central-bedfordshire.yaml"), date(2030, 12, 23), date(2030, 12, 31)
    )
    moved = [(x.date, x.note) for x in s]
    assert moved == [(date(2030, 12, 27), "moved from 2030-12-26 (Boxing Day)")]


# --- Care Planning & Resources ---------------------------------------------------------------


def test_cpr_ordinary_week() -> None:
    # Wed 6 Jan 2027: cut-off "MO 17:00" = Mon 4 Jan 17:00; papers "TU 12:00" = Tue 5 Jan
    # 12:00. Window 09:30-13:00 = 210 minutes; a standard case 15, a complex one 20.
    s = sitting("care-planning-resources.yaml", "cpr", date(2027, 1, 6))
    assert (s.cutoff, s.papers_out) == (datetime(2027, 1, 4, 17, 0), datetime(2027, 1, 5, 12, 0))
    panel = model("care-planning-resources.yaml").panel("cpr")
    assert (s.capacity_minutes, panel.slot_for(False), panel.slot_for(True)) == (210, 15, 20)


def test_cpr_christmas_2027() -> None:
    # Wed 29 Dec 2027 sits (a working day). "MO" is Mon 27 Dec (holiday) -> Fri 24 Dec 17:00;
    # "TU" is Tue 28 Dec (holiday), back over Mon 27 -> Fri 24 Dec 12:00, before the cut-off,
    # so papers go out at the cut-off, Fri 24 Dec 17:00.
    s = sitting("care-planning-resources.yaml", "cpr", date(2027, 12, 29))
    assert (s.cutoff, s.papers_out) == (
        datetime(2027, 12, 24, 17, 0),
        datetime(2027, 12, 24, 17, 0),
    )


# --- Swindon ---------------------------------------------------------------------------------


def test_swindon_ordinary_week_both_cutoffs_agree() -> None:
    # Mon 11 Jan 2027: "WE 17:00" = Wed 6 Jan 17:00; the flow chart's 3 working days before
    # Monday = Fri 8, Thu 7, Wed 6 -> the same moment. Papers "FR 17:00" = Fri 8 Jan 17:00.
    s = sitting("swindon.yaml", "swi-care", date(2027, 1, 11))
    flow_chart = Offset.parse("3 working days 17:00").moment(s.date, working_calendar("ENG"))
    assert s.cutoff == flow_chart == datetime(2027, 1, 6, 17, 0)
    assert s.papers_out == datetime(2027, 1, 8, 17, 0)


def test_swindon_cutoffs_agree_on_every_monday_after_an_ordinary_week() -> None:
    # For a Monday whose previous Wednesday to Friday are working days, the Wednesday before
    # and 3 working days before are the same day (the reason Monday was chosen).
    workdays = working_calendar("ENG")
    flow_chart = Offset.parse("3 working days 17:00")
    mondays = [
        s
        for s in year_of("swindon.yaml")
        if s.date.weekday() == 0
        and all(workdays.is_working_day(s.date - timedelta(days=n)) for n in (3, 4, 5))
    ]
    # 52 Mondays less the 5 bank-holiday Mondays, less Mon 4 Jan (Fri 1 Jan is New Year's Day).
    assert len(mondays) == 46
    assert [s.id for s in mondays if s.cutoff != flow_chart.moment(s.date, workdays)] == []


def test_swindon_easter_and_christmas_2027() -> None:
    # Easter Monday 29 Mar -> Tue 30 Mar; "WE" before Tue 30 = Wed 24 Mar 17:00; "FR" before
    # = Fri 26 Mar (Good Friday) -> Thu 25 Mar 17:00.
    easter = sitting("swindon.yaml", "swi-care", date(2027, 3, 30))
    assert easter.note == "moved from 2027-03-29 (Easter Monday)"
    assert (easter.cutoff, easter.papers_out) == (
        datetime(2027, 3, 24, 17, 0),
        datetime(2027, 3, 25, 17, 0),
    )
    # Mon 27 Dec (Christmas observed) -> Tue 28 (Boxing Day observed) -> Wed 29 Dec; the
    # latest Wednesday strictly before it is Wed 22 Dec; papers Fri 24 Dec 17:00.
    christmas = sitting("swindon.yaml", "swi-care", date(2027, 12, 29))
    assert christmas.note == "moved from 2027-12-27 (Christmas Day (observed))"
    assert (christmas.cutoff, christmas.papers_out) == (
        datetime(2027, 12, 22, 17, 0),
        datetime(2027, 12, 24, 17, 0),
    )


def test_swindon_accepts_no_late_applications_and_keeps_to_three_hours() -> None:
    panel = model("swindon.yaml").panel("swi-care")
    assert (panel.late_applications, panel.capacity_minutes) == (False, 180)
    assert (panel.slot_for(False), panel.slot_for(True)) == (15, 20)


# --- validator parameters carry the sources' numbers -----------------------------------------


@pytest.mark.parametrize(
    ("name", "panel", "key", "value"),
    [
        ("central-bedfordshire.yaml", "cbc-arp", "cla_review_lead_days", 21),  # CBC 6
        ("central-bedfordshire.yaml", "cbc-arp", "contract_end_weeks", 8),  # CBC 2
        ("central-bedfordshire.yaml", "cbc-arp", "papers_days_before", 2),  # CBC 9
        ("lambeth.yaml", "lam-crp", "minutes_on_record_days", 3),  # LAM governance
        ("lambeth.yaml", "lam-crp", "s17_threshold_pounds", 2000),  # LAM CRP
        ("lambeth.yaml", "lam-neet", "neet_review_within_months", 3),  # LAM NEET
        ("lambeth.yaml", "lam-16plus", "min_age", 16),  # LAM 16+
        ("peterborough.yaml", "pbo-jasp", "decision_notice_approved_working_days", 6),
        ("peterborough.yaml", "pbo-jasp", "decision_notice_circulated_working_days", 10),
        ("peterborough.yaml", "pbo-sb", "decision_notice_approved_working_days", 6),
        ("peterborough.yaml", "pbo-sb", "decision_notice_circulated_working_days", 10),
        ("peterborough.yaml", "pbo-esp", "max_age", 5),  # PBO: children 0-5
        ("peterborough.yaml", "pbo-transitions", "min_age", 14),  # PBO: from 14 upwards
        ("peterborough.yaml", "pbo-sen", "family_told_within_hours", 48),
        ("care-planning-resources.yaml", "cpr", "draft_record_to_chair_hours", 48),  # CPR 5.2
        ("care-planning-resources.yaml", "cpr", "records_uploaded_hours", 24),  # CPR 5.3
        ("swindon.yaml", "swi-care", "threshold_pounds", 500),  # SWI 6
        ("swindon.yaml", "swi-care", "director_permission_over_miles", 20),  # SWI 13
        ("swindon.yaml", "swi-care", "change_notice_hours", 24),  # SWI 5
    ],
)
def test_rules_carry_the_sources_numbers(name: str, panel: str, key: str, value: int) -> None:
    assert model(name).panel(panel).rules[key] == value


def test_lambeth_crp_does_not_borrow_the_cbc_21_day_rule() -> None:
    # The 3-weeks-before-the-CLA-review rule is Central Bedfordshire's (CBC 6); Lambeth's
    # document has no such lead time.
    assert "cla_review_lead_days" not in model("lambeth.yaml").panel("lam-crp").rules
