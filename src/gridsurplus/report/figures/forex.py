"""The nation's account in foreign exchange: the bridge from gross to net, as a waterfall.

Drawn from the plan's ``forex_bridge`` table (one row per lens and step: ``lens``, ``term``,
``label``, ``usd``), with bar traces only (the report's plotly bundle is the cartesian one,
which has no waterfall trace): each step is a bar floating from where the last one ended.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gridsurplus.report import theme, views
from gridsurplus.results import Plan

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

TOTALS = ("foreign_exchange_gross_usd", "foreign_exchange_net_usd")
"""Steps drawn from zero (the ends of the bridge); the others float."""
COLORS = {"total": "#4c72b0", "out": "#c44e52", "in": "#55a868"}


def waterfall_bars(steps: list[tuple[str, float]]) -> list[tuple[float, float, str]]:
    """Where each bar of a waterfall starts and how tall it is.

    Parameters
    ----------
    steps : list of (str, float)
        ``(term, value)`` in order; a term in :data:`TOTALS` is a total drawn from zero, any
        other a change from the running total.

    Returns
    -------
    list of (float, float, str)
        ``(base, height, kind)`` per step, ``kind`` one of ``total``, ``out``, ``in``.

    Examples
    --------
    >>> waterfall_bars([("foreign_exchange_gross_usd", 10.0), ("imported_fuel_usd", -3.0),
    ...                 ("foreign_exchange_net_usd", 7.0)])
    [(0.0, 10.0, 'total'), (7.0, 3.0, 'out'), (0.0, 7.0, 'total')]
    """
    bars = []
    running = 0.0
    for term, value in steps:
        if term in TOTALS:
            running = float(value)
            bars.append((0.0, running, "total"))
        else:
            end = running + float(value)
            bars.append((min(running, end), abs(float(value)), "out" if value < 0 else "in"))
            running = end
    return bars


def forex_bridge(plan: Plan) -> go.Figure:
    """Foreign exchange per year, gross to net: revenue from abroad less what flows out."""
    import plotly.graph_objects as go

    title = "Foreign exchange per year: from gross to net"
    frame = views.table(plan, "forex_bridge")
    if frame.empty or "lens" not in frame.columns:
        return theme.empty_figure("The plan has no foreign-exchange bridge.", title)
    lens = str(plan.headline.get("headline_lens", frame["lens"].iloc[0]))
    rows = frame[frame["lens"] == lens]
    if rows.empty:
        rows = frame[frame["lens"] == frame["lens"].iloc[0]]
    if not rows["usd"].abs().to_numpy().any():
        return theme.empty_figure("Nothing is earned abroad: no compute is sited.", title)
    steps = list(zip(rows["term"], rows["usd"], strict=True))
    bars = waterfall_bars(steps)
    labels = [str(x).replace("\n", "<br>") for x in rows["label"]]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=[h / 1e6 for _, h, _ in bars],
            base=[b / 1e6 for b, _, _ in bars],
            marker_color=[COLORS[k] for _, _, k in bars],
            customdata=[v / 1e6 for _, v in steps],
            hovertemplate="%{x}: %{customdata:,.1f} M USD/yr<extra></extra>",
            showlegend=False,
        )
    )
    theme.style(fig, f"{title} ({theme.LENS_LABELS.get(lens, lens)})", height=400)
    fig.update_yaxes(title_text="million USD per year", zeroline=True)
    fig.update_xaxes(tickangle=0)
    return fig


__all__ = ["forex_bridge", "waterfall_bars"]
