"""The map: where the surplus is, what is sited there, and how hard the links work.

Drawn without a geo layer (see :mod:`gridsurplus.report.geometry`): each region a filled
lon/lat polygon on a cartesian plot scaled to the latitude, so it needs no tiles, no topojson
and no network. Regions are coloured by their mean spare capacity in winter or in summer (two
buttons); circles show the MW of Bitcoin mining and of AI sited in each; lines join the regions
a link connects, as wide as its rating and as dark as its mean use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from gridsurplus.report import theme, views
from gridsurplus.report.geometry import label_point, lat_scale, polygon_path, region_outlines
from gridsurplus.results import Plan

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

APPROXIMATE_NOTE = (
    "Region outlines are approximate, drawn by hand from district boundaries.<br>"
    "Azad Jammu and Kashmir and Gilgit-Baltistan are not model regions."
)
LINK_SCALE = "Reds"


def _anchors(regions: pd.DataFrame, outlines: dict[str, list[np.ndarray]]) -> pd.DataFrame:
    """Where to label each region and end its links: the outline's centroid, else its lat/lon."""
    rows = []
    for row in regions.itertuples(index=False):
        region = str(row.region)
        if region in outlines:
            lon, lat = label_point(outlines[region])
        else:
            lon, lat = float(row.lon), float(row.lat)
        rows.append({"region": region, "x": lon, "y": lat})
    return pd.DataFrame(rows).set_index("region")


def _colors(values: np.ndarray, vmax: float, scale: str) -> list[str]:
    from plotly.colors import sample_colorscale

    share = np.clip(np.nan_to_num(values / vmax if vmax > 0 else values * 0.0), 0.0, 1.0)
    return list(sample_colorscale(scale, (0.08 + 0.92 * share).tolist()))


def region_map(plan: Plan) -> go.Figure:
    """Map of surplus MW and sited MW per region, with the links and their use.

    Parameters
    ----------
    plan : Plan
        Uses ``regions`` (spare MW in winter and summer, coordinates), ``sites`` (MW by kind)
        and ``links`` (rating, mean use, hours congested).

    Returns
    -------
    plotly.graph_objects.Figure
        A figure whose region traces are named ``region:<id>`` (the browser test looks for
        them); an explanatory empty figure when the plan has no regions.
    """
    import plotly.graph_objects as go

    title = "Where the surplus is, and what is sited there"
    regions = views.table(plan, "regions")
    if regions.empty or not {"region", "lat", "lon"} <= set(regions.columns):
        return theme.empty_figure("The plan has no regions table to map.", title)
    outlines = region_outlines()
    anchors = _anchors(regions, outlines)
    sited = views.sited_mw(plan)
    winter = regions.get("spare_winter_mw", pd.Series(0.0, index=regions.index)).to_numpy(float)
    summer = regions.get("spare_summer_mw", pd.Series(0.0, index=regions.index)).to_numpy(float)
    vmax = float(np.nanmax(np.r_[winter, summer, 1.0]))
    fills = {"winter": _colors(winter, vmax, theme.SURPLUS_SCALE)}
    fills["summer"] = _colors(summer, vmax, theme.SURPLUS_SCALE)

    fig = go.Figure()
    polygon_traces = []
    for i, row in enumerate(regions.itertuples(index=False)):
        region = str(row.region)
        if region not in outlines:
            continue
        lon, lat = polygon_path(outlines[region])
        polygon_traces.append(i)
        fig.add_trace(
            go.Scatter(
                x=lon,
                y=lat,
                mode="lines",
                fill="toself",
                fillcolor=fills["winter"][i],
                line={"color": "#ffffff", "width": 1.2},
                name=f"region:{region}",
                hoverinfo="skip",
                showlegend=False,
            )
        )
    fill_indices = list(range(len(polygon_traces)))

    links = views.table(plan, "links")
    if not links.empty and {"from_region", "to_region"} <= set(links.columns):
        links = links[
            links["from_region"].isin(anchors.index) & links["to_region"].isin(anchors.index)
        ]
        use = links.get("mean_use_share", pd.Series(0.0, index=links.index)).to_numpy(float)
        cap = links.get("capacity_mw", pd.Series(1000.0, index=links.index)).to_numpy(float)
        colors = _colors(use, 1.0, LINK_SCALE)
        widths = 1.0 + 4.0 * np.sqrt(cap / max(float(np.nanmax(cap)), 1.0))
        mid_x, mid_y, hover = [], [], []
        for k, link in enumerate(links.itertuples(index=False)):
            a, b = anchors.loc[link.from_region], anchors.loc[link.to_region]
            fig.add_trace(
                go.Scatter(
                    x=[a.x, b.x],
                    y=[a.y, b.y],
                    mode="lines",
                    line={"color": colors[k], "width": float(widths[k])},
                    opacity=0.85,
                    hoverinfo="skip",
                    showlegend=False,
                    name=f"link:{link.link}",
                )
            )
            mid_x.append((a.x + b.x) / 2)
            mid_y.append((a.y + b.y) / 2)
            congested = getattr(link, "hours_congested", float("nan"))
            hover.append(
                f"<b>{link.link}</b><br>{link.from_region} to {link.to_region}: "
                f"{cap[k]:,.0f} MW<br>mean use {100 * use[k]:.0f}% of rating<br>"
                f"congested {congested:,.0f} h/yr"
            )
        fig.add_trace(
            go.Scatter(
                x=mid_x,
                y=mid_y,
                mode="markers",
                marker={
                    "size": 7,
                    "color": use,
                    "cmin": 0.0,
                    "cmax": 1.0,
                    "colorscale": LINK_SCALE,
                    "line": {"color": "#ffffff", "width": 1},
                    "colorbar": {
                        "title": {"text": "mean use of each link", "side": "top"},
                        "tickformat": ".0%",
                        "orientation": "h",
                        "x": 0.98,
                        "xanchor": "right",
                        "y": 0.16,
                        "yanchor": "bottom",
                        "len": 0.32,
                        "thickness": 10,
                    },
                },
                text=hover,
                hovertemplate="%{text}<extra></extra>",
                name="links (mean use)",
                showlegend=False,
            )
        )

    # the surplus colour bar (an invisible point carries it)
    fig.add_trace(
        go.Scatter(
            x=[anchors["x"].mean()],
            y=[anchors["y"].mean()],
            mode="markers",
            marker={
                "size": 0.1,
                "opacity": 0,
                "color": [0.0],
                "cmin": 0.0,
                "cmax": vmax,
                "colorscale": theme.SURPLUS_SCALE,
                "colorbar": {
                    "title": {"text": "mean spare<br>MW", "side": "top"},
                    "x": 0.02,
                    "xanchor": "left",
                    "y": 0.97,
                    "yanchor": "top",
                    "len": 0.36,
                    "thickness": 12,
                },
            },
            hoverinfo="skip",
            showlegend=False,
            name="surplus scale",
        )
    )

    # sited MW: one circle per kind and region, side by side
    total = float(sited.to_numpy().sum())
    size_ref = max(float(sited.to_numpy().max()) if total else 1.0, 1.0)
    both = (sited > 0).all(axis=1)
    label_sizes = pd.Series(6.0, index=anchors.index)
    for kind, dx in (("mining", -0.3), ("ai", 0.3)):
        mw = sited.get(kind, pd.Series(dtype=float)).reindex(anchors.index, fill_value=0.0)
        mw = mw[mw > 0]
        if mw.empty:
            continue
        sizes = pd.Series(np.maximum(8.0, 44.0 * np.sqrt(mw.to_numpy() / size_ref)), index=mw.index)
        label_sizes = np.maximum(label_sizes, sizes.reindex(label_sizes.index, fill_value=0.0))
        fig.add_trace(
            go.Scatter(
                x=(
                    anchors.loc[mw.index, "x"] + dx * both.reindex(mw.index, fill_value=False)
                ).tolist(),
                y=anchors.loc[mw.index, "y"].tolist(),
                mode="markers",
                marker={
                    "size": sizes.tolist(),
                    "color": theme.KIND_COLORS[kind],
                    "line": {"color": "#ffffff", "width": 1.5},
                    "opacity": 0.92,
                },
                text=[f"{r}: {v:,.0f} MW" for r, v in mw.items()],
                hovertemplate=f"{theme.KIND_LABELS[kind]}<br>%{{text}}<extra></extra>",
                name=theme.KIND_LABELS[kind],
            )
        )

    # region labels with the figures in the hover
    label_text, label_hover = [], []
    for i, row in enumerate(regions.itertuples(index=False)):
        region = str(row.region)
        mining = float(sited.loc[region, "mining"]) if region in sited.index else 0.0
        ai = float(sited.loc[region, "ai"]) if region in sited.index else 0.0
        label_text.append(f"<b>{region}</b>")
        label_hover.append(
            f"<b>{region}</b> ({getattr(row, 'name', region)})<br>"
            f"spare, winter mean: {winter[i]:,.0f} MW<br>spare, summer mean: {summer[i]:,.0f} MW"
            f"<br>mining sited: {mining:,.0f} MW<br>AI sited: {ai:,.0f} MW"
        )
    fig.add_trace(
        go.Scatter(
            x=anchors["x"].tolist(),
            y=anchors["y"].tolist(),
            mode="markers",
            marker={
                "size": label_sizes.reindex(anchors.index, fill_value=6.0).tolist(),
                "opacity": 0,
            },
            hovertext=label_hover,
            hovertemplate="%{hovertext}<extra></extra>",
            name="regions",
            showlegend=False,
        )
    )
    for region, text in zip(anchors.index, label_text, strict=True):
        fig.add_annotation(
            x=float(anchors.loc[region, "x"]),
            y=float(anchors.loc[region, "y"]),
            text=text,
            showarrow=False,
            yshift=float(label_sizes.get(region, 6.0)) / 2 + 9,
            font={"size": 11, "color": "#102a43"},
            bgcolor="rgba(255,255,255,0.72)",
            borderpad=1,
            name=f"label:{region}",
        )
    if not total:
        fig.add_annotation(
            text="No compute sited in this plan",
            x=0.02,
            y=0.96,
            xref="paper",
            yref="paper",
            showarrow=False,
            xanchor="left",
            font={"size": 13, "color": "#52606d"},
        )

    xs = [p[:, 0] for rings in outlines.values() for p in rings] or [anchors["x"].to_numpy()]
    ys = [p[:, 1] for rings in outlines.values() for p in rings] or [anchors["y"].to_numpy()]
    x_all, y_all = np.concatenate(xs), np.concatenate(ys)
    x_range = [float(x_all.min()) - 0.5, float(x_all.max()) + 0.5]
    y_range = [float(y_all.min()) - 0.5, float(y_all.max()) + 0.5]
    mid_lat = (y_range[0] + y_range[1]) / 2
    theme.style(fig, title, height=620, margin={"l": 10, "r": 10, "t": 56, "b": 40})
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 0.01,
            "y": 0.03,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.7)",
            "title": {"text": "sited (circle area ~ MW)"},
        },
        plot_bgcolor="#f4f7fa",
        updatemenus=[
            {
                "type": "buttons",
                "direction": "right",
                "x": 0.2,
                "xanchor": "left",
                "y": 0.99,
                "yanchor": "top",
                "showactive": True,
                "bgcolor": "#ffffff",
                "buttons": [
                    {
                        "label": f"{season} surplus",
                        "method": "restyle",
                        "args": [
                            {"fillcolor": [fills[season][i] for i in polygon_traces]},
                            fill_indices,
                        ],
                    }
                    for season in ("winter", "summer")
                ],
            }
        ],
        annotations=[
            *fig.layout.annotations,
            {
                "text": APPROXIMATE_NOTE,
                "align": "left",
                "x": 0.0,
                "y": -0.02,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 11, "color": "#52606d"},
            },
        ],
    )
    fig.update_xaxes(visible=False, range=x_range, constrain="domain")
    fig.update_yaxes(
        visible=False,
        range=y_range,
        scaleanchor="x",
        scaleratio=lat_scale(mid_lat),
        constrain="domain",
    )
    return fig


__all__ = ["APPROXIMATE_NOTE", "region_map"]
