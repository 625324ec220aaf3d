"""Write the bundled example inputs for ``make demo``: examples/lambeth/*.

Background demand comes from :mod:`panelsched.synthetic` (seeded, so the files are the same on
every run); a handful of hand-made cases on top show the rules the planner must get right.
Run from the repository root::

    .venv/bin/python scripts/make_examples.py
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from panelsched.core.availability import Unavailability
from panelsched.core.panels import Authority
from panelsched.core.referrals import Referral
from panelsched.exports.input_files import write_availability_csv, write_referrals_csv
from panelsched.io.model_file import load_model
from panelsched.synthetic import DemandProfile, generate_instance, people_of

ROOT = Path(__file__).resolve().parents[1]
START, END = date(2027, 1, 1), date(2027, 6, 30)
SEED = 2027
# The Children's Resource Panel (weekly) carries demand calibrated to 90% of its slots; the
# other panels get a light, steady flow so each has an agenda.
BUSY = "lam-crp"
LIGHT = (
    ("lam-lpp", 0.8),
    ("lam-ctp", 0.4),
    ("lam-ptp", 0.3),
    ("lam-16plus", 0.8),
    ("lam-neet", 0.3),
)
LOAD = 0.9


@dataclass(frozen=True)
class Showcase:
    """A hand-made case and what it shows."""

    referral: Referral
    shows: str


def _people(referrals: tuple[Referral, ...]) -> list[tuple[str, str]]:
    """Each social worker with their manager, in id order."""
    return sorted({(r.social_worker, r.team_manager) for r in referrals})


def _free(periods: tuple[Unavailability, ...], person: str, days: tuple[date, ...]) -> bool:
    """True when ``person`` has no period (whole or part day) on any of ``days``."""
    return not any(
        p.person == person and p.start.date() <= day <= p.end.date()
        for p in periods
        for day in days
    )


def showcases(
    referrals: tuple[Referral, ...], periods: tuple[Unavailability, ...]
) -> tuple[list[Showcase], list[Unavailability]]:
    """The hand-made cases, and the leave one of them needs.

    Dates are worked out against the Lambeth model: CRP sits on Thursdays 13:00-16:00 with a
    Monday 13:00 cut-off; LPP on Wednesdays 10:00-14:00 (cut-off Monday 10:00); PTP on the 2nd
    and 4th Wednesday 11:30-13:00 (cut-off three working days before, 17:00).
    """
    staff = _people(referrals)
    # Spread the hand-made cases over different people so they do not collide by accident.
    pool = iter([person for k in range(5) for person in staff[(3 + k) % 5 :: 5]])

    def pick(*days: date) -> tuple[str, str]:
        """The next social worker and manager neither of whom is away on any of ``days``."""
        for worker, manager in pool:
            if _free(periods, worker, days) and _free(periods, manager, days):
                return worker, manager
        raise RuntimeError("ran out of people for the hand-made cases")

    cases: list[Showcase] = []

    def add(shows: str, on: tuple[date, ...], **fields: object) -> None:
        # The presenters are free on the sittings that matter, so only the rule shown bites.
        worker, manager = pick(*on)
        base: dict[str, object] = {
            "referral_id": f"X-{len(cases) + 1:02d}",
            "panel": BUSY,
            "social_worker": worker,
            "team_manager": manager,
            "request_type": "foster placement",
        }
        cases.append(Showcase(Referral(**(base | fields)), shows))  # type: ignore[arg-type]

    # Contested slots before a CLA deadline. Five routine cases arrive Tuesday to Friday after
    # the 22 February cut-off, so Thursday 4 March is the first sitting they can have; three
    # CLA cases with reviews on 25 March arrive on Monday 1 March before 13:00, so 4 March
    # (25 March less 21 days) is also their last sitting in time. Booking first come, first
    # served fills 4 March with the routine cases; a good plan moves those to 11 March.
    for n, day in enumerate((23, 23, 24, 25, 26)):
        add(
            "routine case competing for the 4 March sitting",
            (date(2027, 3, 4), date(2027, 3, 11)),
            submitted=datetime(2027, 2, day, 10 + n, 15),
            request_type="s17 package",
            cost=Decimal(1200 + 300 * n),
        )
    for n in range(3):
        add(
            "CLA review 25 March: must be heard on 4 March, when slots are contested",
            (date(2027, 3, 4),),
            submitted=datetime(2027, 3, 1, 9 + n, 30),
            cla_review=date(2027, 3, 25),
            request_type="placement extension",
            cost=Decimal(4200 + 900 * n),
        )
    # The same squeeze in May: reviews on 3 June, so 13 May is the last sitting in time.
    for n in range(2):
        add(
            "CLA review 3 June: 13 May is its only sitting in time",
            (date(2027, 5, 13),),
            submitted=datetime(2027, 5, 10, 10 + n, 5),
            cla_review=date(2027, 6, 3),
            request_type="residential placement",
            cost=Decimal(38000 + 4000 * n),
        )

    # A person on leave: submitted after the 5 April cut-off, so 15 April is its first sitting,
    # but the social worker is on leave 12-16 April; the CLA review on 13 May makes 22 April the
    # last sitting in time. Only 22 April works.
    leave_from, leave_to = date(2027, 4, 12), date(2027, 4, 16)
    worker, manager = pick(*(leave_from + timedelta(days=n) for n in range(5)), date(2027, 4, 22))
    cases.append(
        Showcase(
            Referral(
                referral_id=f"X-{len(cases) + 1:02d}",
                panel=BUSY,
                submitted=datetime(2027, 4, 6, 11, 20),
                social_worker=worker,
                team_manager=manager,
                request_type="respite",
                cla_review=date(2027, 5, 13),
                cost=Decimal(2600),
            ),
            f"{worker} is on leave 12-16 April: only the 22 April sitting is in time",
        )
    )
    leave = [
        Unavailability(
            worker,
            datetime.combine(leave_from, datetime.min.time()),
            datetime.combine(leave_to, datetime.min.time()),
            True,
            "annual leave",
        )
    ]

    add(
        "complex case (Lambeth's CRP sets no longer slot, so it takes the standard 15 minutes)",
        (date(2027, 2, 11),),
        submitted=datetime(2027, 2, 2, 14, 0),
        complex=True,
        priority="urgent",
        request_type="residential placement",
        cost=Decimal(182000),
    )
    add(
        "late paper accepted by the chair: submitted after the 8 February cut-off, "
        "may still go to 11 February",
        (date(2027, 2, 11),),
        submitted=datetime(2027, 2, 9, 10, 0),
        late_permission=True,
        priority="urgent",
        request_type="s17 package",
        cost=Decimal(2400),
    )
    add(
        "contract ends 28 May: heard no earlier than 2 April (8 weeks before) and by 27 May",
        (date(2027, 4, 8),),
        submitted=datetime(2027, 2, 15, 12, 10),
        contract_end=date(2027, 5, 28),
        request_type="placement extension",
        cost=Decimal(56000),
    )
    add(
        "emergency placement made on Tuesday 18 May: ratified at the next sitting, 20 May, "
        "although the cut-off had passed",
        (date(2027, 5, 20),),
        submitted=datetime(2027, 5, 18, 16, 40),
        priority="emergency",
        request_type="residential placement",
        cost=Decimal(7400),
    )
    add(
        "impossible deadline: the CLA review on 5 February needed a sitting by 15 January, "
        "before the referral arrived; it is reported late with its reason",
        (date(2027, 1, 28),),
        submitted=datetime(2027, 1, 20, 11, 0),
        cla_review=date(2027, 2, 5),
        request_type="foster placement",
        cost=Decimal(9800),
    )

    # One manager presenting at two panels whose windows overlap on Wednesday 10 March:
    # LPP 10:00-14:00 and PTP 11:30-13:00. Both must be heard that day (deadline), so their
    # slots must not overlap.
    worker, manager = pick(date(2027, 3, 10))
    other = next(
        w
        for w, m in staff
        if m == manager and w != worker and _free(periods, w, (date(2027, 3, 10),))
    )
    for panel, person, request in (
        ("lam-lpp", worker, "pre-proceedings"),
        ("lam-ptp", other, "permanence plan"),
    ):
        cases.append(
            Showcase(
                Referral(
                    referral_id=f"X-{len(cases) + 1:02d}",
                    panel=panel,
                    submitted=datetime(2027, 3, 3, 15, 0),
                    social_worker=person,
                    team_manager=manager,
                    request_type=request,
                    deadline=date(2027, 3, 10),
                ),
                f"{manager} presents at LPP and PTP on 10 March, whose windows overlap",
            )
        )
    return cases, leave


def _renumber(
    referrals: list[Referral], shows: dict[str, str]
) -> tuple[tuple[Referral, ...], list[tuple[str, str]]]:
    """Ids ``R-000001``... in submission order, and the showcase cases under their new ids."""
    ordered = sorted(referrals, key=lambda r: (r.submitted, r.panel, r.referral_id))
    used = {r.child_id for r in referrals if r.child_id}
    spare = (f"C-{n}" for n in range(10001, 100000) if f"C-{n}" not in used)
    result: list[Referral] = []
    notes: list[tuple[str, str]] = []
    for number, referral in enumerate(ordered, start=1):
        new_id = f"R-{number:06d}"
        child = referral.child_id or next(spare)
        result.append(replace(referral, referral_id=new_id, child_id=child))
        if referral.referral_id in shows:
            notes.append((new_id, shows[referral.referral_id]))
    return tuple(result), notes


def build(
    model: Authority,
) -> tuple[tuple[Referral, ...], tuple[Unavailability, ...], list[tuple[str, str]]]:
    """The example's referrals, availability and its list of showcase cases."""
    # Reviews at least five weeks ahead (rarely closer), so the few cases that cannot be in
    # time stand out in the demo's explanations instead of drowning the contested ones.
    profile = DemandProfile(
        arrivals_per_week=LIGHT,
        cla_lead_days=(35, 84),
        cla_close_share=0.04,
        cp_lead_days=(35, 84),
        deadline_lead_days=(21, 56),
    )
    referrals, periods = generate_instance(model, START, END, load=LOAD, seed=SEED, profile=profile)
    cases, leave = showcases(referrals, periods)
    everything, notes = _renumber(
        [*referrals, *(c.referral for c in cases)],
        {c.referral.referral_id: c.shows for c in cases},
    )
    availability = tuple(
        sorted((*periods, *leave), key=lambda p: (p.person, p.start, p.end, p.reason))
    )
    return everything, availability, notes


README = """\
# Example inputs: Lambeth, January to June 2027

Generated by `scripts/make_examples.py` (seed {seed}) for the panel model `models/lambeth.yaml`;
`make demo` plans them. Run the script again and the files come out byte for byte the same.

All references are pseudonymous and invented: cases `R-000001`, children `C-10234`, social
workers `SW-017`, team managers `TM-04`, independent reviewing officers `IRO-01`. No real child,
family or member of staff is named or described.

## referrals.csv

{n_referrals} referrals submitted from {start} to {end} (the referrals file format of the
planning issue: ISO dates and moments, `yes`/`no`, costs in pounds, empty cells for absent
values).
By panel: {by_panel}.

- The Children's Resource Panel (`lam-crp`, weekly, 12 slots a sitting) receives demand
  calibrated to about {load:.0%} of its slots, so some weeks are contested. The other panels
  receive a light, steady flow (a few cases a month) so each has an agenda.
- About a third of cases carry a CLA review date, typically 5-12 weeks after submission (a
  few closer, so they cannot all be heard 21 days before it); some are urgent, a few
  emergencies, some carry a CP review, review-by date, contract end, not-before date or
  deadline.
- Submissions fall in office hours on working days; some arrive in the hours around a
  cut-off, so a few just miss it.

Hand-made cases that show the rules:

| referral | what it shows |
|---|---|
{cases}

## availability.csv

{n_periods} periods when {n_people} people (everyone named in the referrals) cannot attend:
annual leave (about 25 days a year, mostly in one- or two-week blocks, scaled to the six months),
single days, days in court for social workers, and part-day training (`09:00-12:00` or
`13:30-16:30`). Columns `person, from, to, start, end, reason`; times only for part days.
"""


def main() -> None:
    """Write examples/lambeth/{referrals.csv, availability.csv, README.md}."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "examples" / "lambeth")
    args = parser.parse_args()
    model = load_model(ROOT / "models" / "lambeth.yaml")
    referrals, availability, notes = build(model)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_referrals_csv(referrals, out / "referrals.csv")
    write_availability_csv(availability, out / "availability.csv")
    counts = {p: sum(1 for r in referrals if r.panel == p) for p in model.panel_ids}
    text = README.format(
        seed=SEED,
        n_referrals=len(referrals),
        start=f"{START.day} {START:%B %Y}",
        end=f"{END.day} {END:%B %Y}",
        by_panel=", ".join(f"`{p}` {n}" for p, n in counts.items()),
        load=LOAD,
        cases="\n".join(f"| {rid} | {shows} |" for rid, shows in notes),
        n_periods=len(availability),
        n_people=len(people_of(referrals)),
    )
    (out / "README.md").write_text(text, encoding="utf-8")
    print(f"wrote {len(referrals)} referrals and {len(availability)} availability rows to {out}")


if __name__ == "__main__":
    main()
