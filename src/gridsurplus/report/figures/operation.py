"""How the sites run: dispatch weeks, hours run and curtailed, when curtailment happens."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from gridsurplus.dataset.presentation import Presentation
from gridsurplus.report import theme, views
from gridsurplus.results import Plan

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

FLOW_LINKS = 4
"""Links drawn in a dispatch week: the busiest of that week."""
FLOW_COLORS = ("#102a43", "#c0392b", "#2f7ebc", "#5fae5f")
SUFFIX = {"marginal_cost": "", "tariff": "_tariff"}
"""Column suffix of each lens in the ``sites`` table."""


def dispatch_week(
    plan: Plan, season: str = "winter", presentation: Presentation | None = None
) -> go.Figure:
    """Dispatch stack of the week of a season's peak demand.

    Top: generation by fuel (stacked), demand and demand plus compute (lines). Middle: mining
    and AI consumption. Bottom: flows on the links (positive from a link's first region).

    Parameters
    ----------
    plan : Plan
        Uses ``dispatch`` (``gen_<group>`` columns [MW]) and ``flows``.
    season : str
        ``winter`` or ``summer``: whose peak week to draw.
    presentation : Presentation, optional
        Labels, colours and stack order of the generation groups; neutral when omitted.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    dispatch = views.hourly(plan, "dispatch")
    title = f"A {season} week: the week of the {season} peak"
    if dispatch.empty or "demand_mw" not in dispatch.columns:
        return theme.empty_figure("The plan has no hourly dispatch table.", title)
    load = dispatch["demand_mw"] + dispatch.get("mining_mw", 0.0) + dispatch.get("ai_mw", 0.0)
    week = views.peak_week(dispatch.index, load, season)
    d = dispatch.loc[week]
    flows = views.hourly(plan, "flows")
    flows = flows.loc[flows.index.intersection(week)].select_dtypes("number")
    dates = f"{week[0]:%d %b %Y} to {week[-1]:%d %b %Y}"
    title = f"A {season} week ({dates}): the week of the {season} peak"
    rows = 3 if not flows.empty else 2
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        row_heights=[0.58, 0.18, 0.24][:rows],
        subplot_titles=(
            "Generation by fuel and load (MW)",
            "Compute consumption (MW)",
            "Flows on the links (MW)",
        )[:rows],
    )
    look = presentation or Presentation()
    groups = look.stack(_steadiest_first(dispatch))
    colors = look.colors(groups)
    for group in groups:
        col = f"gen_{group}"
        if float(d[col].abs().max()) < 1e-6:
            continue
        fig.add_trace(
            go.Scatter(
                x=d.index,
                y=d[col].round(1),
                mode="lines",
                stackgroup="gen",
                line={"width": 0.3, "color": colors[group]},
                fillcolor=colors[group],
                name=look.label(group),
                hovertemplate="%{y:,.0f} MW<extra>" + look.label(group) + "</extra>",
            ),
            row=1,
            col=1,
        )
    mining = d.get("mining_mw", pd.Series(0.0, index=d.index))
    ai = d.get("ai_mw", pd.Series(0.0, index=d.index))
    fig.add_trace(
        go.Scatter(
            x=d.index,
            y=d["demand_mw"].round(1),
            mode="lines",
            name="demand",
            line={"color": "#111111", "width": 2},
        ),
        row=1,
        col=1,
    )
    if float((mining + ai).max()) > 0:
        fig.add_trace(
            go.Scatter(
                x=d.index,
                y=(d["demand_mw"] + mining + ai).round(1),
                mode="lines",
                name="demand + compute",
                line={"color": "#111111", "width": 1.5, "dash": "dot"},
            ),
            row=1,
            col=1,
        )
        for kind, series in (("mining", mining), ("ai", ai)):
            if float(series.max()) <= 0:
                continue
            fig.add_trace(
                go.Scatter(
                    x=d.index,
                    y=series.round(1),
                    mode="lines",
                    stackgroup="compute",
                    line={"width": 0.5, "color": theme.KIND_COLORS[kind]},
                    fillcolor=theme.KIND_COLORS[kind],
                    name=theme.KIND_LABELS[kind],
                ),
                row=2,
                col=1,
            )
    else:
        fig.add_annotation(
            text="no compute sited",
            x=0.5,
            y=0.5,
            showarrow=False,
            xref="x2 domain",
            yref="y2 domain",
            font={"color": "#52606d"},
        )
    if rows == 3:
        busiest = flows.abs().mean().sort_values(ascending=False).index[:FLOW_LINKS]
        for k, link in enumerate(busiest):
            fig.add_trace(
                go.Scatter(
                    x=flows.index,
                    y=flows[link].round(1),
                    mode="lines",
                    name=link,
                    line={"width": 1.4, "color": FLOW_COLORS[k % len(FLOW_COLORS)]},
                    legendgroup="flows",
                    legendgrouptitle={"text": f"{len(busiest)} busiest links"} if k == 0 else None,
                ),
                row=3,
                col=1,
            )
    theme.style(fig, title, height=700)
    fig.update_layout(
        hovermode="x unified",
        legend={"orientation": "v", "x": 1.02, "y": 1.0, "yanchor": "top", "font": {"size": 11}},
        margin={"r": 190},
    )
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    return fig


def _hour_split(built: pd.DataFrame, suffix: str, hours: int) -> pd.DataFrame | None:
    """Hours at full output, at part output and idle, from ``hours_run`` and ``hours_curtailed``.

    A site is curtailed in every hour it does not run at its full availability, so an hour at
    part output counts as run and as curtailed.
    """
    if f"hours_run{suffix}" not in built.columns:
        return None
    run = built[f"hours_run{suffix}"].to_numpy(float)
    if f"hours_curtailed{suffix}" in built.columns:
        full = np.clip(hours - built[f"hours_curtailed{suffix}"].to_numpy(float), 0.0, run)
    else:
        full = run
    return pd.DataFrame({"full": full, "part": run - full, "idle": np.clip(hours - run, 0.0, None)})


def _short_labels(built: pd.DataFrame) -> list[str]:
    """``HESCO mining, 600 MW``; the tech is added where a region has two of a kind."""
    kind = built["kind"].map({"mining": "mining", "ai": "AI"}).fillna(built["kind"]).astype(str)
    twice = (built["region"] + kind).duplicated(keep=False).to_numpy()
    return [
        f"{r.region} {k}{f' ({r.tech})' if dup else ''}, {r.mw:,.0f} MW"
        for r, k, dup in zip(built.itertuples(index=False), kind, twice, strict=True)
    ]


def _steadiest_first(dispatch: pd.DataFrame) -> list[str]:
    """Generation groups by how steadily they run over the year (coefficient of variation).

    The order of a stack for groups a dataset does not order itself: baseload at the bottom,
    peakers on top.
    """
    gen = dispatch[[c for c in dispatch.columns if c.startswith("gen_")]]
    variation = gen.std() / gen.mean().where(gen.mean() > 0)
    order = variation.fillna(np.inf).sort_values(kind="stable").index
    return [c.removeprefix("gen_") for c in order]


def site_hours(plan: Plan) -> go.Figure:
    """Hours each site runs at full output, at part output and not at all, under both lenses."""
    import plotly.graph_objects as go

    title = "Hours each site runs and is curtailed"
    built = views.built_sites(plan)
    if built.empty:
        return theme.empty_figure("No mining or AI site is sited in this plan.", title)
    built = built.sort_values(["kind", "mw"], ascending=[False, True]).reset_index(drop=True)
    labels = _short_labels(built)
    hours = views.hours_in_year(plan)
    fig = go.Figure()
    lenses = [lens for lens in reversed(views.lenses(plan)) if lens in SUFFIX] or ["marginal_cost"]
    for lens in lenses:
        split = _hour_split(built, SUFFIX[lens], hours)
        if split is None:
            continue
        where = theme.LENS_LABELS[lens]
        cf = built.get(f"capacity_factor{SUFFIX[lens]}")
        parts = (
            ("full", "full output", theme.LENS_COLORS[lens], None),
            ("part", "part output", theme.LENS_COLORS[lens], "/"),
            ("idle", "idle", "#e4e7eb", None),
        )
        base = np.zeros(len(built))
        for key, name, color, pattern in parts:
            fig.add_trace(
                go.Bar(
                    y=labels,
                    x=split[key],
                    base=base.copy(),
                    orientation="h",
                    offsetgroup=lens,
                    name=f"{name}, {where}" if key != "idle" else "idle",
                    legendgroup="idle" if key == "idle" else f"{lens}-{key}",
                    showlegend=key != "idle" or lens == lenses[0],
                    marker={"color": color, "pattern": {"shape": pattern or ""}},
                    text=[f"CF {v:.0%}" for v in cf] if key == "full" and cf is not None else None,
                    textposition="inside",
                    hovertemplate="%{x:,.0f} h " + name + "<extra>" + where + "</extra>",
                )
            )
            base += split[key].to_numpy()
    theme.style(fig, title, height=max(340, 170 + 46 * len(built)))
    fig.update_layout(barmode="group", bargap=0.25, legend={"y": -0.16, "font": {"size": 11}})
    fig.update_xaxes(title_text="hours per year", range=[0, hours * 1.01])
    fig.update_yaxes(automargin=True)
    return fig


def curtailment_heatmap(plan: Plan) -> go.Figure:
    """When curtailment happens: share of the sited MW idle, by month and hour, per kind.

    Idle is ``1 - consumption / MW sited``: curtailment plus whatever the site's availability
    takes (heat derating, maintenance), which the plan's tables do not separate hour by hour.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    title = "When compute draws less than it could (share of sited MW idle)"
    dispatch = views.hourly(plan, "dispatch")
    sited = views.sited_mw(plan).sum()
    kinds = [k for k in ("mining", "ai") if float(sited.get(k, 0.0)) > 0 and f"{k}_mw" in dispatch]
    if dispatch.empty or not kinds:
        return theme.empty_figure(
            "No compute is sited in this plan, so nothing is curtailed.", title
        )
    fig = make_subplots(
        rows=1,
        cols=len(kinds),
        subplot_titles=[theme.KIND_LABELS[k] for k in kinds],
        horizontal_spacing=0.1,
    )
    for c, kind in enumerate(kinds, start=1):
        idle = 1.0 - dispatch[f"{kind}_mw"] / float(sited[kind])
        grid = views.month_hour_mean(idle.clip(0.0, 1.0))
        fig.add_trace(
            go.Heatmap(
                z=grid.to_numpy().round(3),
                x=[f"{h:02d}" for h in grid.columns],
                y=[views.MONTH_NAMES[m - 1] for m in grid.index],
                zmin=0.0,
                zmax=1.0,
                colorscale="OrRd",
                colorbar={"title": {"text": "idle"}, "tickformat": ".0%", "thickness": 12},
                showscale=c == 1,
                hovertemplate="%{y}, %{x}:00<br>%{z:.0%} idle<extra>"
                + theme.KIND_LABELS[kind]
                + "</extra>",
            ),
            row=1,
            col=c,
        )
    theme.style(fig, title, height=400)
    fig.update_xaxes(title_text="hour of day", dtick=3)
    fig.update_yaxes(autorange="reversed")
    return fig


__all__ = ["FLOW_LINKS", "curtailment_heatmap", "dispatch_week", "site_hours"]
