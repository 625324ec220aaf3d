"""Plots of the calendar and of plans, for analysts: plain data in, a matplotlib figure out.

Every plot is a function that takes data (the model, sittings, a plan's bookings, a scenario
table) and an optional ``ax``, and returns the figure; none runs or imports the solver::

    from panelsched.plots import calendar_heatmap, read_bookings, booked_minutes, save_figure

    bookings = read_bookings("out/plan/bookings.csv")
    figure = calendar_heatmap(model, sittings, booked=booked_minutes(bookings))
    save_figure(figure, "calendar.png")

One module per plot: :mod:`.calendar_heatmap`, :mod:`.agenda`, :mod:`.waits`,
:mod:`.utilisation`, :mod:`.scenario`, :mod:`.advice`; the shared look is in :mod:`.style`.
"""

from panelsched.plots.advice import ADVICE_COLUMNS, advice_curve
from panelsched.plots.agenda import agenda
from panelsched.plots.calendar_heatmap import calendar_heatmap
from panelsched.plots.data import booked_minutes, bookings_table, read_bookings
from panelsched.plots.scenario import SCENARIO_COLUMNS, comparison_table, scenario
from panelsched.plots.style import save_figure
from panelsched.plots.utilisation import utilisation
from panelsched.plots.waits import waits

__all__ = [
    "ADVICE_COLUMNS",
    "SCENARIO_COLUMNS",
    "advice_curve",
    "agenda",
    "booked_minutes",
    "bookings_table",
    "calendar_heatmap",
    "comparison_table",
    "read_bookings",
    "save_figure",
    "scenario",
    "utilisation",
    "waits",
]
