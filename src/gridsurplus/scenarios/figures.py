"""The sweep report's figures: outcome distributions, what pays, which inputs matter, where.

Each function takes the store's tables and returns a plotly figure styled like the plan's
report (:mod:`gridsurplus.report.theme`); plotly is imported inside them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from gridsurplus.report import theme
from gridsurplus.scenarios import analysis

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

PALETTE = ("#1b7f5b", "#5b5bd6", "#f2a900", "#c0392b", "#2f7ebc", "#7b4fa0", "#6b4f3a")


def _money(values: pd.Series) -> tuple[pd.Series, str]:
    scale = max(float(values.abs().max()) if len(values) else 0.0, 1.0)
    if scale >= 1e9:
        return values / 1e9, "bn USD/yr"
    if scale >= 1e6:
        return values / 1e6, "M USD/yr"
    return values, "USD/yr"


def outcome_cdf(summary: pd.DataFrame, column: str, label: str) -> go.Figure:
    """Cumulative distribution of one outcome over the solved scenarios, P5/P50/P95 marked."""
    import plotly.graph_objects as go

    ok = analysis.ok_rows(summary)
    if column not in ok or ok[column].dropna().empty:
        return theme.empty_figure("No solved scenario gives this figure.", label)
    values, unit = _money(ok[column]) if column.endswith("_usd") else (ok[column], "")
    x, p = analysis.ecdf(values)
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=p,
            mode="lines",
            line={"shape": "hv", "color": "#1b7f5b", "width": 2},
            hovertemplate="%{x:,.3g}: P(below) = %{y:.0%}<extra></extra>",
        )
    )
    for q, dash in ((0.05, "dot"), (0.5, "dash"), (0.95, "dot")):
        v = float(pd.Series(x).quantile(q))
        fig.add_vline(
            x=v,
            line={"color": "#52606d", "dash": dash, "width": 1},
            annotation_text=f"P{round(q * 100)} {v:,.3g}",
            annotation_position="top",
        )
    theme.style(fig, label, 340, showlegend=False)
    fig.update_xaxes(title_text=unit or label)
    fig.update_yaxes(title_text="share of scenarios at or below", tickformat=".0%", range=[0, 1.02])
    return fig


def pays_figure(
    summary: pd.DataFrame, sites: pd.DataFrame, driver: str, techs: list[str], title: str
) -> go.Figure:
    """Probability that each technology pays (built, profit >= 0) by bins of a price."""
    import plotly.graph_objects as go

    if not techs:
        return theme.empty_figure(
            "No site of this kind is built in any scenario of this sweep.", title
        )
    table = analysis.pays_by_driver(summary, sites, driver, techs)
    if table.empty:
        return theme.empty_figure(
            "The sweep does not vary this price, or no scenario solved.", title
        )
    fig = go.Figure()
    for i, tech in enumerate(techs):
        fig.add_trace(
            go.Scatter(
                x=table["mid"],
                y=table[tech],
                mode="lines+markers",
                name=tech,
                line={"color": PALETTE[i % len(PALETTE)]},
                customdata=table[["low", "high", "scenarios"]].to_numpy(),
                hovertemplate=(
                    f"{tech}<br>%{{customdata[0]:,.4g}}-%{{customdata[1]:,.4g}}: "
                    "%{y:.0%} of %{customdata[2]} scenarios<extra></extra>"
                ),
            )
        )
    theme.style(fig, title, 360)
    fig.update_yaxes(title_text="probability it pays", tickformat=".0%", range=[-0.02, 1.02])
    fig.update_xaxes(title_text=driver.replace("_", " "))
    return fig


def tornado(summary: pd.DataFrame, inputs: list[str], outcomes: dict[str, str]) -> go.Figure:
    """Rank correlation of each input with each outcome, biggest first; a menu picks the outcome."""
    import plotly.graph_objects as go

    title = "Which inputs move the outcome (Spearman rank correlation)"
    table = analysis.rank_importance(summary, inputs, list(outcomes))
    if table.empty:
        return theme.empty_figure("No input varies over the solved scenarios.", title)
    fig = go.Figure()
    buttons = []
    for i, (col, label) in enumerate(outcomes.items()):
        series = table[col].reindex(table[col].abs().sort_values().index)
        fig.add_trace(
            go.Bar(
                x=series.to_numpy(),
                y=list(series.index),
                orientation="h",
                visible=i == 0,
                name=label,
                marker={"color": ["#1b7f5b" if v >= 0 else "#c0392b" for v in series]},
                hovertemplate="%{y}: %{x:+.2f}<extra></extra>",
            )
        )
        visible = [j == i for j in range(len(outcomes))]
        buttons.append({"label": label, "method": "update", "args": [{"visible": visible}]})
    theme.style(
        fig,
        title,
        max(320, 60 + 28 * len(table)),
        showlegend=False,
        updatemenus=[{"buttons": buttons, "x": 1.0, "xanchor": "right", "y": 1.12}],
    )
    fig.update_xaxes(title_text="rank correlation with the outcome", range=[-1.05, 1.05])
    return fig


def sites_figure(sites: pd.DataFrame) -> go.Figure:
    """Share of scenarios in which each site is built."""
    import plotly.graph_objects as go

    title = "Sites chosen across scenarios"
    table = analysis.sites_chosen(sites)
    if table.empty:
        return theme.empty_figure("No site is built in any solved scenario.", title)
    table = table.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=table["share_built"],
            y=table["site"],
            orientation="h",
            marker={"color": [theme.KIND_COLORS.get(k, "#888") for k in table["kind"]]},
            customdata=table[["mean_mw_when_built", "share_paying"]].to_numpy(),
            hovertemplate=(
                "%{y}: built in %{x:.0%} of scenarios, %{customdata[0]:,.0f} MW on average "
                "when built; pays in %{customdata[1]:.0%}<extra></extra>"
            ),
        )
    )
    theme.style(fig, title, max(300, 60 + 22 * len(table)), showlegend=False)
    fig.update_xaxes(title_text="share of scenarios", tickformat=".0%", range=[0, 1.02])
    return fig
