"""The report's figures, one function per figure, each drawn from the Plan's tables.

Every function takes a :class:`~gridsurplus.results.Plan` and returns a plotly Figure. None of
them prices anything: they select, reshape and sum what the plan stage computed. When a plan
has nothing to show for a figure (no mining sited, no sensitivity runs) the figure says so in
words rather than drawing an empty frame.

Figures, in the order of the report:

- where the surplus is: :func:`region_map`, :func:`surplus_heatmap`, :func:`duration_curves`,
  :func:`supply_curve`;
- how the sites run: :func:`dispatch_week`, :func:`site_hours`, :func:`curtailment_heatmap`;
- who earns what: :func:`pnl_bars`;
- how robust: :func:`tornado`, :func:`breakeven`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from gridsurplus.report import formatting as fmt
from gridsurplus.report import theme, views
from gridsurplus.report.regionmap import region_map
from gridsurplus.results import Plan

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

DURATION_POINTS = 201
"""Points per duration curve (the curve is sampled, not drawn hour by hour)."""
FLOW_LINKS = 4
"""Links drawn in a dispatch week: the busiest of that week."""
FLOW_COLORS = ("#102a43", "#c0392b", "#2f7ebc", "#5fae5f")


def _area_label(area: str) -> str:
    return "National" if area == "national" else area


def _dropdown(labels: list[str], traces_per_option: list[int], y: float = 1.12) -> dict:
    """An update menu that shows one option's traces at a time."""
    total = sum(traces_per_option)
    buttons, start = [], 0
    for label, n in zip(labels, traces_per_option, strict=True):
        visible = [False] * total
        visible[start : start + n] = [True] * n
        buttons.append({"label": label, "method": "restyle", "args": [{"visible": visible}]})
        start += n
    return {
        "buttons": buttons,
        "direction": "down",
        "x": 1.0,
        "xanchor": "right",
        "y": y,
        "yanchor": "bottom",
        "showactive": True,
    }


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
                + _area_label(area)
                + "</extra>",
                visible=k == 0,
                name=_area_label(area),
            )
        )
    theme.style(fig, title, height=420)
    fig.update_layout(
        updatemenus=[_dropdown([_area_label(a) for a in spare.columns], [1] * spare.shape[1])]
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
                name=_area_label(area),
                line={
                    "color": "#102a43" if national else palette[(k - 1) % len(palette)],
                    "width": 2.5 if national else 1.6,
                },
                hovertemplate="%{y:,.0f} MW or more in %{x:,} h<extra>"
                + _area_label(area)
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
                    + f"{_area_label(area)}, {season}</extra>",
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
    fig.update_layout(updatemenus=[_dropdown([_area_label(a) for a in areas], counts)])
    fig.update_xaxes(title_text="energy available per season or year (GWh)", rangemode="tozero")
    fig.update_yaxes(title_text="marginal cost at most (USD/MWh)", rangemode="tozero")
    return fig


def dispatch_week(plan: Plan, season: str = "winter") -> go.Figure:
    """Dispatch stack of the week of a season's peak demand.

    Top: generation by fuel (stacked), demand and demand plus compute (lines). Middle: mining
    and AI consumption. Bottom: flows on the links (positive from a link's first region).
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
    gen_cols = sorted(
        (c for c in d.columns if c.startswith("gen_")),
        key=lambda c: theme.stack_rank(c.removeprefix("gen_")),
    )
    for col in gen_cols:
        group = col.removeprefix("gen_")
        if float(d[col].abs().max()) < 1e-6:
            continue
        fig.add_trace(
            go.Scatter(
                x=d.index,
                y=d[col].round(1),
                mode="lines",
                stackgroup="gen",
                line={"width": 0.3, "color": theme.fuel_color(group)},
                fillcolor=theme.fuel_color(group),
                name=theme.nice_label(group),
                hovertemplate="%{y:,.0f} MW<extra>" + theme.nice_label(group) + "</extra>",
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


def site_hours(plan: Plan) -> go.Figure:
    """Hours each site runs and is curtailed, under both lenses, with its capacity factor."""
    import plotly.graph_objects as go

    title = "Hours each site runs and is curtailed"
    built = views.built_sites(plan)
    if built.empty:
        return theme.empty_figure("No mining or AI site is sited in this plan.", title)
    built = built.sort_values(["kind", "mw"], ascending=[False, True])
    labels = [f"{views.site_label(r)} ({r.mw:,.0f} MW)" for r in built.itertuples(index=False)]
    run = built["hours_run"].to_numpy(float)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=labels,
            x=run,
            orientation="h",
            offsetgroup="mc",
            name="runs, marginal-cost pricing",
            marker_color=theme.LENS_COLORS["marginal_cost"],
            text=[f"CF {cf:.0%}" for cf in built["capacity_factor"]],
            textposition="inside",
            hovertemplate="%{x:,.0f} h run<extra>marginal-cost pricing</extra>",
        )
    )
    if "hours_curtailed" in built.columns:
        fig.add_trace(
            go.Bar(
                y=labels,
                x=built["hours_curtailed"].to_numpy(float),
                base=run,
                orientation="h",
                offsetgroup="mc",
                name="curtailed, marginal-cost pricing",
                marker_color="#cbd2d9",
                hovertemplate="%{x:,.0f} h curtailed<extra>marginal-cost pricing</extra>",
            )
        )
    if "hours_run_tariff" in built.columns:
        fig.add_trace(
            go.Bar(
                y=labels,
                x=built["hours_run_tariff"].to_numpy(float),
                orientation="h",
                offsetgroup="tariff",
                name="runs, under the tariff",
                marker_color=theme.LENS_COLORS["tariff"],
                hovertemplate="%{x:,.0f} h run<extra>under the tariff</extra>",
            )
        )
    theme.style(fig, title, height=max(320, 110 + 46 * len(built)))
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(title_text="hours per year", range=[0, views.HOURS_PER_YEAR * 1.02])
    fig.update_yaxes(automargin=True)
    return fig


def curtailment_heatmap(plan: Plan) -> go.Figure:
    """When curtailment happens: share of the sited MW idle, by month and hour, per kind."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    title = "When compute is curtailed (share of sited MW idle)"
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


PNL_ITEMS: dict[str, list[tuple[str, str, str | None]]] = {
    # panel: (label, usd column, pkr column)
    "pnl_grid": [
        ("revenue", "revenue_usd", "revenue_pkr"),
        ("fuel<br>cost", "fuel_cost_usd", "fuel_cost_pkr"),
        ("contri-<br>bution", "contribution_usd", "contribution_pkr"),
        ("capacity<br>payments<br>recovered", "capacity_payments_usd", None),
    ],
    "pnl_operators": [
        ("revenue", "revenue_usd", "revenue_pkr"),
        ("power<br>cost", "power_cost_usd", "power_cost_pkr"),
        ("fixed<br>O&M", "fixed_om_usd", None),
        ("margin", "margin_usd", "margin_pkr"),
        ("capex<br>annuity", "capex_annuity_usd", None),
        ("profit", "profit_usd", "profit_pkr"),
    ],
    "pnl_nation": [
        ("BTC mined<br>(value)", "btc_value_usd", None),
        ("AI revenue", "ai_revenue_usd", None),
        ("foreign<br>exchange", "foreign_exchange_usd", "foreign_exchange_pkr"),
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


TORNADO_METRICS = {
    "objective_usd": ("national welfare", "USD/yr"),
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
        swing = {}
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
        updatemenus=[{**_dropdown([], []), "buttons": buttons}],
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
    table = table.sort_values("breakeven_btc_price_usd")
    sites = views.table(plan, "sites")
    labels_by_site = (
        {r.site: views.site_label(r) for r in sites.itertuples(index=False)}
        if not sites.empty
        else {}
    )
    labels = [
        labels_by_site.get(s, f"{r} - {t}")
        for s, r, t in zip(table["site"], table["region"], table["tech"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=table["breakeven_btc_price_usd"],
            orientation="h",
            marker_color=theme.MINING,
            text=[f"${v:,.0f}" for v in table["breakeven_btc_price_usd"]],
            textposition="inside",
            hovertemplate="%{y}<br>breaks even at %{x:,.0f} USD/BTC<extra></extra>",
            name="break-even",
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
    theme.style(fig, title, height=max(300, 130 + 44 * len(table)), showlegend=False)
    fig.update_xaxes(
        title_text="BTC price at which the site's margin covers its costs (USD)", rangemode="tozero"
    )
    fig.update_yaxes(automargin=True)
    return fig


def all_figures(plan: Plan) -> dict[str, go.Figure]:
    """Every figure of the report, keyed by the id its div gets, in the report's order."""
    return {
        "map": region_map(plan),
        "surplus-heatmap": surplus_heatmap(plan),
        "duration-curves": duration_curves(plan),
        "supply-curve": supply_curve(plan),
        "dispatch-winter": dispatch_week(plan, "winter"),
        "dispatch-summer": dispatch_week(plan, "summer"),
        "site-hours": site_hours(plan),
        "curtailment": curtailment_heatmap(plan),
        "pnl": pnl_bars(plan),
        "tornado": tornado(plan),
        "breakeven": breakeven(plan),
    }


__all__ = [
    "all_figures",
    "breakeven",
    "curtailment_heatmap",
    "dispatch_week",
    "duration_curves",
    "pnl_bars",
    "region_map",
    "site_hours",
    "supply_curve",
    "surplus_heatmap",
    "tornado",
]
