"""How robust: the tornado of the sensitivity runs and the break-even BTC price per site."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from gridsurplus.report import formatting as fmt
from gridsurplus.report import theme, views
from gridsurplus.report.figures.common import dropdown
from gridsurplus.results import Plan

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

TORNADO_METRICS = {
    "welfare_gain_usd": ("national welfare gain", "USD/yr"),
    "operators_profit_usd": ("operators' profit", "USD/yr"),
    "sited_mw": ("MW sited", "MW"),
    "grid_revenue_usd": ("grid revenue", "USD/yr"),
    "capacity_payment_recovered_usd": ("capacity payments recovered", "USD/yr"),
    "btc_mined_per_year": ("BTC mined", "BTC/yr"),
    "compute_energy_gwh": ("compute energy", "GWh/yr"),
}
"""Results a tornado can show: sensitivity column -> (label, unit)."""
PARAMETER_LABELS = {
    "btc_price": "BTC price",
    "btc_price_usd": "BTC price",
    "difficulty_growth": "difficulty growth",
    "network_difficulty_growth": "difficulty growth",
    "tariff": "tariff",
    "demand_growth": "demand growth",
    "exchange_rate": "exchange rate",
}


def _base_values(plan: Plan, sens: pd.DataFrame) -> dict[str, float]:
    """Base-case results: a ``case == 'base'`` row if the table has one, else the headline."""
    base_rows = sens[sens["case"].astype(str) == "base"]
    out: dict[str, float] = {}
    for metric in TORNADO_METRICS:
        if not base_rows.empty and metric in base_rows.columns:
            out[metric] = float(base_rows[metric].iloc[0])
            continue
        value = views.headline_number(plan, metric)
        if value is None and metric == "sited_mw":
            value = (
                float(views.built_sites(plan)["mw"].sum())
                if not views.built_sites(plan).empty
                else 0.0
            )
        if value is not None:
            out[metric] = value
    return out


def tornado(plan: Plan) -> go.Figure:
    """Tornado chart: each result's range when one input moves to its low and high case.

    Uses ``sensitivity`` (one row per parameter and case) against the base case. A menu picks
    the result; parameters are ordered by the swing they cause in it.
    """
    import plotly.graph_objects as go

    title = "How robust: results when one input moves to its low or high case"
    sens = views.table(plan, "sensitivity")
    sens = (
        sens[sens["case"].astype(str).isin(["low", "high"])] if "case" in sens else sens.iloc[0:0]
    )
    if sens.empty:
        return theme.empty_figure("The plan has no sensitivity runs.", title)
    base = _base_values(plan, views.table(plan, "sensitivity"))
    metrics = [m for m in TORNADO_METRICS if m in sens.columns and m in base]
    if not metrics:
        return theme.empty_figure("The sensitivity table names no result with a base case.", title)
    params = list(dict.fromkeys(sens["parameter"].astype(str)))

    def label(param: str) -> str:
        rows = sens[sens["parameter"].astype(str) == param].set_index("case")
        unit = (
            str(rows["unit"].iloc[0]) if "unit" in rows and pd.notna(rows["unit"].iloc[0]) else ""
        )
        lo = rows["value"].get("low", np.nan) if "value" in rows else np.nan
        hi = rows["value"].get("high", np.nan) if "value" in rows else np.nan
        name = PARAMETER_LABELS.get(param, param.replace("_", " "))
        return f"{name} ({fmt.number(lo, 2)} / {fmt.number(hi, 2)} {unit})".replace("  ", " ")

    labels = {p: label(p) for p in params}
    fig = go.Figure()
    orders, axis_titles = [], []
    for k, metric in enumerate(metrics):
        name, unit = TORNADO_METRICS[metric]
        scale, unit_text = (1e6, "million " + unit) if unit.startswith("USD") else (1.0, unit)
        b = base[metric] / scale
        swing: dict[str, float] = {}
        for case, color in (("low", "#2f7ebc"), ("high", "#e07b39")):
            rows = sens[sens["case"] == case].set_index(
                sens.loc[sens["case"] == case, "parameter"].astype(str)
            )
            values = rows[metric].reindex(params).astype(float) / scale
            for p in params:
                swing[p] = max(
                    swing.get(p, 0.0), abs(float(values[p]) - b) if pd.notna(values[p]) else 0.0
                )
            fig.add_trace(
                go.Bar(
                    y=[labels[p] for p in params],
                    x=(values - b).tolist(),
                    base=b,
                    orientation="h",
                    name=f"{case} case",
                    legendgroup=case,
                    showlegend=k == 0,
                    marker_color=color,
                    visible=k == 0,
                    customdata=values.tolist(),
                    hovertemplate="%{y}<br>"
                    + case
                    + " case: %{customdata:,.4g} "
                    + unit_text
                    + "<extra>"
                    + name
                    + "</extra>",
                )
            )
        orders.append([labels[p] for p in sorted(params, key=lambda p: swing[p])])
        axis_titles.append(f"{name} ({unit_text}); base {b:,.4g}")
    buttons = []
    for k, metric in enumerate(metrics):
        visible = [False] * (2 * len(metrics))
        visible[2 * k : 2 * k + 2] = [True, True]
        buttons.append(
            {
                "label": TORNADO_METRICS[metric][0],
                "method": "update",
                "args": [
                    {"visible": visible},
                    {
                        "yaxis.categoryarray": orders[k],
                        "xaxis.title.text": axis_titles[k],
                        "shapes[0].x0": base[metric]
                        / (1e6 if TORNADO_METRICS[metric][1].startswith("USD") else 1),
                        "shapes[0].x1": base[metric]
                        / (1e6 if TORNADO_METRICS[metric][1].startswith("USD") else 1),
                    },
                ],
            }
        )
    first_scale = 1e6 if TORNADO_METRICS[metrics[0]][1].startswith("USD") else 1.0
    fig.add_shape(
        type="line",
        x0=base[metrics[0]] / first_scale,
        x1=base[metrics[0]] / first_scale,
        y0=0,
        y1=1,
        yref="paper",
        line={"color": "#111", "width": 1.5},
    )
    theme.style(fig, title, height=max(340, 150 + 52 * len(params)))
    fig.update_layout(
        barmode="overlay",
        updatemenus=[{**dropdown([], []), "buttons": buttons}],
    )
    fig.update_yaxes(categoryorder="array", categoryarray=orders[0], automargin=True)
    fig.update_xaxes(title_text=axis_titles[0])
    return fig


def breakeven(plan: Plan) -> go.Figure:
    """Break-even BTC price of each mining site, against the plan's BTC price."""
    import plotly.graph_objects as go

    title = "Break-even BTC price of each mining site"
    table = views.table(plan, "breakeven")
    if table.empty or "breakeven_btc_price_usd" not in table.columns:
        return theme.empty_figure(
            "No mining site in this plan: no break-even price to show.", title
        )
    table = table.sort_values("breakeven_btc_price_usd", ascending=False).reset_index(drop=True)
    built = set(views.built_sites(plan)["site"]) if "site" in views.built_sites(plan) else set()
    labels = [f"{r} · {t}" for r, t in zip(table["region"], table["tech"], strict=True)]
    sited = table["site"].isin(built).to_numpy()
    fig = go.Figure()
    for mask, name, color in ((sited, "sited", theme.MINING), (~sited, "not sited", "#f3d58c")):
        if not mask.any():
            continue
        part = table[mask]
        fig.add_trace(
            go.Bar(
                y=[label for label, keep in zip(labels, mask, strict=True) if keep],
                x=part["breakeven_btc_price_usd"],
                orientation="h",
                marker_color=color,
                text=[f"${v:,.0f}" for v in part["breakeven_btc_price_usd"]],
                textposition="inside",
                insidetextanchor="end",
                hovertemplate="%{y}<br>breaks even at %{x:,.0f} USD/BTC<extra>" + name + "</extra>",
                name=name,
            )
        )
    price = views.btc_price_usd(plan)
    if price is not None:
        fig.add_vline(
            x=price,
            line={"color": "#111", "width": 2},
            annotation_text=f"plan's BTC price ${price:,.0f}",
            annotation_position="top",
        )
    sens = views.table(plan, "sensitivity")
    if {"parameter", "case", "value"} <= set(sens.columns):
        btc = sens[sens["parameter"].astype(str).str.startswith("btc_price")]
        values = pd.to_numeric(btc["value"], errors="coerce").dropna()
        if len(values) >= 2:
            fig.add_vrect(
                x0=float(values.min()),
                x1=float(values.max()),
                fillcolor="#f2a900",
                opacity=0.08,
                line_width=0,
                annotation_text="sensitivity range",
                annotation_position="bottom left",
            )
    theme.style(fig, title, height=max(300, 150 + 24 * len(table)))
    fig.update_layout(
        barmode="overlay",
        bargap=0.2,
        legend={"y": 1.0, "x": 1.0, "xanchor": "right", "yanchor": "bottom"},
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1])
    fig.update_xaxes(
        title_text="BTC price at which the site's margin covers its costs (USD)", rangemode="tozero"
    )
    fig.update_yaxes(automargin=True)
    return fig


__all__ = ["TORNADO_METRICS", "breakeven", "tornado"]
