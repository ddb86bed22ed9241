"""Where the surplus is: when (month by hour), how long (duration curves), at what cost."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from gridsurplus.report import theme, views
from gridsurplus.report.figures.common import area_label, dropdown
from gridsurplus.results import Plan

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

DURATION_POINTS = 201
"""Points per duration curve (the curve is sampled, not drawn hour by hour)."""


def surplus_heatmap(plan: Plan) -> go.Figure:
    """Mean spare capacity [MW] by month and hour of day, nationally and per region.

    Uses ``spare`` (the base year's spare capacity below the surplus price). A menu switches
    between the national figure and each region.
    """
    import plotly.graph_objects as go

    title = "Spare capacity by month and hour (mean MW)"
    spare = views.spare_areas(plan)
    if spare.empty:
        return theme.empty_figure("The plan has no hourly spare-capacity table.", title)
    fig = go.Figure()
    for k, area in enumerate(spare.columns):
        grid = views.month_hour_mean(spare[area])
        fig.add_trace(
            go.Heatmap(
                z=grid.to_numpy().round(0),
                x=[f"{h:02d}" for h in grid.columns],
                y=[views.MONTH_NAMES[m - 1] for m in grid.index],
                colorscale=theme.SURPLUS_SCALE,
                zmin=0.0,
                colorbar={"title": {"text": "MW"}, "thickness": 12},
                hovertemplate="%{y}, %{x}:00<br>%{z:,.0f} MW<extra>"
                + area_label(area)
                + "</extra>",
                visible=k == 0,
                name=area_label(area),
            )
        )
    theme.style(fig, title, height=420)
    fig.update_layout(
        updatemenus=[dropdown([area_label(a) for a in spare.columns], [1] * spare.shape[1])]
    )
    fig.update_xaxes(title_text="hour of day (local time)", dtick=2)
    fig.update_yaxes(autorange="reversed")
    return fig


def duration_curves(plan: Plan) -> go.Figure:
    """Surplus duration curves: MW of spare capacity exceeded in a given number of hours."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    title = "Surplus duration curves"
    spare = views.spare_areas(plan)
    if spare.empty:
        return theme.empty_figure("The plan has no hourly spare-capacity table.", title)
    n = len(spare)
    positions = np.linspace(0, n - 1, min(DURATION_POINTS, n)).round().astype(int)
    hours = positions + 1
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.4, 0.6],
        subplot_titles=("National", "Regions"),
        horizontal_spacing=0.08,
    )
    palette = [
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#d62728",
        "#9467bd",
        "#8c564b",
        "#e377c2",
        "#7f7f7f",
        "#bcbd22",
        "#17becf",
    ]
    for k, area in enumerate(spare.columns):
        curve = np.sort(spare[area].to_numpy())[::-1][positions]
        national = area == "national"
        fig.add_trace(
            go.Scatter(
                x=hours,
                y=curve.round(1),
                mode="lines",
                name=area_label(area),
                line={
                    "color": "#102a43" if national else palette[(k - 1) % len(palette)],
                    "width": 2.5 if national else 1.6,
                },
                hovertemplate="%{y:,.0f} MW or more in %{x:,} h<extra>"
                + area_label(area)
                + "</extra>",
                showlegend=not national,
            ),
            row=1,
            col=1 if national else 2,
        )
    theme.style(fig, title, height=420)
    fig.update_xaxes(title_text="hours of the year", range=[0, n])
    fig.update_yaxes(title_text="spare MW", row=1, col=1, rangemode="tozero")
    fig.update_yaxes(rangemode="tozero", row=1, col=2)
    fig.update_layout(legend={"orientation": "v", "x": 1.02, "y": 1.0, "yanchor": "top"})
    fig.update_layout(margin={"r": 90})
    return fig


def supply_curve(plan: Plan) -> go.Figure:
    """The surplus supply curve: energy per year available at or below each marginal cost.

    Uses ``supply_curve`` (area, season, cost, energy). A menu switches between areas; one line
    per season and one for the year. The posted tariff is drawn when the headline names it.
    """
    import plotly.graph_objects as go

    title = "Surplus supply curve"
    curve = views.table(plan, "supply_curve")
    if curve.empty:
        return theme.empty_figure("The plan has no supply-curve table.", title)
    areas = list(curve["area"].astype(str).unique())
    areas = sorted(
        areas,
        key=lambda a: (
            a != "national",
            views.region_order(plan).index(a) if a in views.region_order(plan) else 99,
        ),
    )
    seasons = [
        s for s in ("year", "winter", "spring", "summer", "autumn") if s in set(curve["season"])
    ]
    fig = go.Figure()
    counts = []
    for k, area in enumerate(areas):
        count = 0
        for season in seasons:
            part = curve[(curve["area"] == area) & (curve["season"] == season)]
            part = part.sort_values("max_cost_usd_per_mwh")
            if part.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=part["energy_gwh"].round(1),
                    y=part["max_cost_usd_per_mwh"],
                    mode="lines+markers",
                    line={
                        "shape": "vh",
                        "color": theme.SEASON_COLORS.get(season, "#555"),
                        "width": 3 if season == "year" else 1.8,
                    },
                    marker={"size": 4},
                    name=season,
                    legendgroup=season,
                    visible=k == 0,
                    hovertemplate="%{x:,.0f} GWh at or below %{y:.0f} USD/MWh<extra>"
                    + f"{area_label(area)}, {season}</extra>",
                )
            )
            count += 1
        counts.append(count)
    tariff = views.tariff_usd_per_mwh(plan)
    if tariff is not None:
        fig.add_hline(
            y=tariff,
            line={"color": "#c0392b", "dash": "dash", "width": 1.5},
            annotation_text=f"tariff {tariff:.1f} USD/MWh",
            annotation_position="top left",
        )
    theme.style(fig, title, height=420)
    fig.update_layout(updatemenus=[dropdown([area_label(a) for a in areas], counts)])
    fig.update_xaxes(title_text="energy available per season or year (GWh)", rangemode="tozero")
    fig.update_yaxes(title_text="marginal cost at most (USD/MWh)", rangemode="tozero")
    return fig


__all__ = ["DURATION_POINTS", "duration_curves", "supply_curve", "surplus_heatmap"]
