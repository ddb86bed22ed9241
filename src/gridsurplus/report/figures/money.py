"""Who earns what: the grid's, the operators' and the nation's accounts, in USD or PKR."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from gridsurplus.report import theme, views
from gridsurplus.results import Plan

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

PNL_ITEMS: dict[str, list[tuple[str, str, str | None]]] = {
    # panel: (label, usd column, pkr column)
    "pnl_grid": [
        ("revenue", "revenue_usd", "revenue_local"),
        ("fuel<br>cost", "fuel_cost_usd", "fuel_cost_local"),
        (
            "contribution<br>(capacity payments<br>recovered)",
            "contribution_usd",
            "contribution_local",
        ),
    ],
    "pnl_operators": [
        ("revenue", "revenue_usd", "revenue_local"),
        ("power<br>cost", "power_cost_usd", "power_cost_local"),
        ("fixed<br>O&M", "fixed_om_usd", None),
        ("margin", "margin_usd", "margin_local"),
        ("capex<br>annuity", "capex_annuity_usd", None),
        ("profit", "profit_usd", "profit_local"),
    ],
    "pnl_nation": [
        ("BTC mined<br>(value)", "btc_value_usd", None),
        ("AI revenue", "ai_revenue_usd", None),
        ("foreign<br>exchange<br>(net)", "foreign_exchange_net_usd", "foreign_exchange_net_local"),
    ],
}
PNL_TITLES = {"pnl_grid": "Grid", "pnl_operators": "Operators (all sites)", "pnl_nation": "Nation"}


def _pnl_values(plan: Plan, name: str, lens: str, rate: float | None) -> tuple[list, list, list]:
    frame = views.table(plan, name)
    frame = frame[frame["lens"] == lens] if "lens" in frame.columns else frame.iloc[0:0]
    labels, usd, pkr = [], [], []
    for label, usd_col, pkr_col in PNL_ITEMS[name]:
        if usd_col not in frame.columns:
            continue
        value = float(frame[usd_col].sum())
        labels.append(label)
        usd.append(value / 1e6)
        if pkr_col and pkr_col in frame.columns:
            pkr.append(float(frame[pkr_col].sum()) / 1e9)
        else:
            pkr.append(value * rate / 1e9 if rate else float("nan"))
    return labels, usd, pkr


def pnl_bars(plan: Plan) -> go.Figure:
    """Who earns what: grid, operators and nation per year, under both lenses, USD or PKR."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    title = "Who earns what, per year"
    lenses = views.lenses(plan)
    if not lenses:
        return theme.empty_figure("The plan has no profit-and-loss tables.", title)
    rate = views.exchange_rate(plan)
    values = {(n, lens): _pnl_values(plan, n, lens, rate) for n in PNL_ITEMS for lens in lenses}
    if not any(np.nan_to_num(v[1]).any() for v in values.values()):
        return theme.empty_figure(
            "Nothing is sold or earned: no compute is sited in this plan.", title
        )
    fig = make_subplots(
        rows=1,
        cols=3,
        column_widths=[0.32, 0.42, 0.26],
        horizontal_spacing=0.07,
        subplot_titles=[PNL_TITLES[n] for n in PNL_ITEMS],
    )
    usd_y, pkr_y = [], []
    for c, name in enumerate(PNL_ITEMS, start=1):
        for lens in lenses:
            labels, usd, pkr = values[(name, lens)]
            usd_y.append(usd)
            pkr_y.append(pkr)
            fig.add_trace(
                go.Bar(
                    x=labels,
                    y=usd,
                    name=theme.LENS_LABELS.get(lens, lens),
                    legendgroup=lens,
                    showlegend=c == 1,
                    marker_color=theme.LENS_COLORS.get(lens, "#888"),
                    hovertemplate="%{x}: %{y:,.1f}<extra>"
                    + theme.LENS_LABELS.get(lens, lens)
                    + "</extra>",
                ),
                row=1,
                col=c,
            )
    theme.style(fig, title, height=440)
    fig.update_layout(barmode="group", legend={"y": -0.28})
    fig.update_yaxes(title_text="million USD per year", row=1, col=1)
    fig.update_xaxes(tickangle=0)
    if rate:
        fig.update_layout(
            updatemenus=[
                {
                    "type": "buttons",
                    "direction": "right",
                    "x": 1.0,
                    "xanchor": "right",
                    "y": 1.1,
                    "yanchor": "bottom",
                    "showactive": True,
                    "buttons": [
                        {
                            "label": "USD",
                            "method": "update",
                            "args": [{"y": usd_y}, {"yaxis.title.text": "million USD per year"}],
                        },
                        {
                            "label": "PKR",
                            "method": "update",
                            "args": [{"y": pkr_y}, {"yaxis.title.text": "billion PKR per year"}],
                        },
                    ],
                }
            ]
        )
    return fig


__all__ = ["PNL_ITEMS", "pnl_bars"]
