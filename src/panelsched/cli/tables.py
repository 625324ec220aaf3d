"""Terminal tables of sittings and of a scenario run (rich); the frames and files they show
come from :mod:`panelsched.exports.tables` and :mod:`panelsched.scenarios.outputs`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from panelsched.core.panels import Authority
from panelsched.core.sittings import Sitting
from panelsched.exports.tables import uk_moment
from panelsched.scenarios.kpis import figure_of
from panelsched.scenarios.outputs import compare, interval_text
from panelsched.scenarios.runner import Run


def sittings_table(
    authority: Authority, sittings: Sequence[Sitting], start: date, end: date
) -> Table:
    """The sittings as the terminal shows them: date, time, cut-off, papers out and note."""
    table = Table(title=f"{authority.authority}: sittings {start:%d/%m/%Y} to {end:%d/%m/%Y}")
    for column in ("panel", "date", "time", "cut-off", "papers out", "note"):
        table.add_column(column, no_wrap=column != "note")
    for s in sittings:
        # Text, not str: a "[...]" in a model's text must print as written, not as markup.
        table.add_row(
            Text(s.panel),
            s.date.strftime("%a %d/%m/%Y"),
            f"{s.start:%H:%M}-{s.end:%H:%M}",
            uk_moment(s.cutoff),
            uk_moment(s.papers_out),
            Text(s.note),
        )
    return table


# The figures the terminal shows, with the solver's mean and 95% confidence interval: cases
# unplaced beside those heard late, and both together, so fewer late never hides more unplaced.
SHOWN_FIGURES = (
    "mean_wait_days",
    "p95_wait_days",
    "late",
    "unplaced",
    "not_in_time",
    "utilisation",
)


def solver_table(run: Run) -> Table:
    """The solver's figures of each scenario side by side for the terminal, with each other
    scenario's paired difference from the reference."""
    table = Table(title="Solver: mean [95% confidence interval]")
    table.add_column("figure")
    for scenario in run.scenarios:
        table.add_column(escape(scenario.name), justify="right")
    reference = run.scenarios[0].name
    others = run.scenarios[1:]
    for scenario in others:
        table.add_column(escape(f"{scenario.name} - {reference}"), justify="right")
    by = {(c.scenario, c.figure): c for c in compare(run) if c.method == "cpsat"}
    for key in SHOWN_FIGURES:
        cells = [interval_text(by[(s.name, key)].interval, key) for s in run.scenarios]
        cells += [interval_text(by[(s.name, key)].difference, key, signed=True) for s in others]
        table.add_row(escape(figure_of(key).label), *cells)
    return table


__all__ = ["SHOWN_FIGURES", "sittings_table", "solver_table"]
