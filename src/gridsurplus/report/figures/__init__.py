"""The report's figures, one function per figure, each drawn from the Plan's tables.

Every function takes a :class:`~gridsurplus.results.Plan` (the map and the dispatch weeks also
a :class:`~gridsurplus.dataset.presentation.Presentation`) and returns a plotly Figure. None of
them prices anything: they select, reshape and sum what the plan stage computed. When a plan
has nothing to show for a figure (no mining sited, no sensitivity runs) the figure says so in
words rather than drawing an empty frame.

Figures, in the order of the report:

- where the surplus is: :func:`region_map`, :func:`surplus_heatmap`, :func:`duration_curves`,
  :func:`supply_curve`;
- how the sites run: :func:`dispatch_week`, :func:`site_hours`, :func:`curtailment_heatmap`;
- who earns what: :func:`pnl_bars`, :func:`forex_bridge` (gross to net foreign exchange);
- how robust: :func:`tornado`, :func:`breakeven`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gridsurplus.dataset.presentation import Presentation
from gridsurplus.report.figures.forex import forex_bridge
from gridsurplus.report.figures.money import pnl_bars
from gridsurplus.report.figures.operation import curtailment_heatmap, dispatch_week, site_hours
from gridsurplus.report.figures.regionmap import region_map
from gridsurplus.report.figures.robustness import breakeven, tornado
from gridsurplus.report.figures.surplus import duration_curves, supply_curve, surplus_heatmap
from gridsurplus.results import Plan

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go


def all_figures(plan: Plan, presentation: Presentation | None = None) -> dict[str, go.Figure]:
    """Every figure of the report, keyed by the id its div gets, in the report's order.

    ``presentation`` (the dataset's region outlines and generation colours) shapes the map and
    the dispatch weeks; without it they are drawn schematically and in a neutral palette.
    """
    return {
        "map": region_map(plan, presentation),
        "surplus-heatmap": surplus_heatmap(plan),
        "duration-curves": duration_curves(plan),
        "supply-curve": supply_curve(plan),
        "dispatch-winter": dispatch_week(plan, "winter", presentation),
        "dispatch-summer": dispatch_week(plan, "summer", presentation),
        "site-hours": site_hours(plan),
        "curtailment": curtailment_heatmap(plan),
        "pnl": pnl_bars(plan),
        "forex": forex_bridge(plan),
        "tornado": tornado(plan),
        "breakeven": breakeven(plan),
    }


__all__ = [
    "all_figures",
    "breakeven",
    "curtailment_heatmap",
    "dispatch_week",
    "duration_curves",
    "forex_bridge",
    "pnl_bars",
    "region_map",
    "site_hours",
    "supply_curve",
    "surplus_heatmap",
    "tornado",
]
