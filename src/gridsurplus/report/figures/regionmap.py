"""The map: where the surplus is, what is sited there, and how hard the links work.

Drawn without a geo layer (see :mod:`gridsurplus.report.geometry`): each region a filled
lon/lat polygon on a cartesian plot scaled to the latitude, so it needs no tiles, no topojson
and no network. The polygons are the dataset's outlines (:mod:`gridsurplus.dataset.presentation`)
when it has one for every region, else a schematic cell per region round its coordinates.

Regions are coloured by their mean spare capacity in winter or in summer (two buttons); circles
show the MW of Bitcoin mining and of AI sited in each; lines join the regions a link connects,
as wide as its rating and as dark as its mean use. :func:`region_map` assembles the figure from
one small function per layer, bottom to top.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from gridsurplus.dataset.presentation import Presentation
from gridsurplus.report import theme, views
from gridsurplus.report.geometry import label_point, lat_scale, polygon_path, schematic_outlines
from gridsurplus.results import Plan

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

TITLE = "Where the surplus is, and what is sited there"
LINK_SCALE = "Reds"
SEASONS = ("winter", "summer")
SCHEMATIC_NOTE = (
    "Schematic map: each region drawn as the area nearer its coordinates than any other's,<br>"
    "not its real outline ({missing})."
)
"""Said under the map when it falls back to the schematic layout."""


@dataclass(frozen=True)
class MapData:
    """What the map's layers share.

    ``regions``: the plan's table; ``outlines``: rings (lon, lat) [degrees] of each region;
    ``caption``: said under the map about the shapes; ``anchors``: ``x`` (lon), ``y`` (lat)
    [degrees] of each region's label and link ends; ``spare``: mean spare capacity [MW] per
    season, in the order of ``regions``; ``vmax``: top of the surplus scale [MW]; ``sited``: MW
    sited ``[region x kind]``.
    """

    regions: pd.DataFrame
    outlines: dict[str, list[np.ndarray]]
    caption: str
    anchors: pd.DataFrame
    spare: dict[str, np.ndarray]
    vmax: float
    sited: pd.DataFrame


def region_map(plan: Plan, presentation: Presentation | None = None) -> go.Figure:
    """Map of surplus MW and sited MW per region, with the links and their use.

    Parameters
    ----------
    plan : Plan
        Uses ``regions`` (spare MW in winter and summer, coordinates), ``sites`` (MW by kind)
        and ``links`` (rating, mean use, hours congested).
    presentation : Presentation, optional
        The dataset's region outlines and their caption; without outlines for every region the
        map is schematic.

    Returns
    -------
    plotly.graph_objects.Figure
        A figure whose region traces are named ``region:<id>`` (the browser test looks for
        them); an explanatory empty figure when the plan has no regions.
    """
    import plotly.graph_objects as go

    regions = views.table(plan, "regions")
    if regions.empty or not {"region", "lat", "lon"} <= set(regions.columns):
        return theme.empty_figure("The plan has no regions table to map.", TITLE)
    data = map_data(plan, regions, presentation or Presentation())
    fig = go.Figure()
    fills = _add_regions(fig, data)
    _add_links(fig, data, views.table(plan, "links"))
    _add_surplus_scale(fig, data)
    label_sizes = _add_sited(fig, data)
    _add_labels(fig, data, label_sizes)
    _lay_out(fig, data, fills)
    return fig


def map_data(plan: Plan, regions: pd.DataFrame, presentation: Presentation) -> MapData:
    """Shapes, anchors and figures of the regions (see :class:`MapData`)."""
    outlines, caption = _shapes(regions, presentation)
    anchors = pd.DataFrame(
        [(str(r), *label_point(outlines[str(r)])) for r in regions["region"]],
        columns=["region", "x", "y"],
    ).set_index("region")
    zero = pd.Series(0.0, index=regions.index)
    spare = {s: regions.get(f"spare_{s}_mw", zero).to_numpy(float) for s in SEASONS}
    vmax = float(np.nanmax(np.r_[spare["winter"], spare["summer"], 1.0]))
    return MapData(regions, outlines, caption, anchors, spare, vmax, views.sited_mw(plan))


def _shapes(
    regions: pd.DataFrame, presentation: Presentation
) -> tuple[dict[str, list[np.ndarray]], str]:
    """The dataset's outlines when it has one for every region, else schematic cells."""
    names = [str(r) for r in regions["region"]]
    missing = [r for r in names if r not in presentation.outlines]
    if not missing:
        return {r: list(presentation.outlines[r]) for r in names}, presentation.caption
    points = {
        r: (float(lon), float(lat))
        for r, lon, lat in zip(names, regions["lon"], regions["lat"], strict=True)
    }
    if len(missing) == len(names) or not presentation.outlines:
        why = "the dataset has no region outlines"
    else:
        more = f" and {len(missing) - 4} more" if len(missing) > 4 else ""
        why = f"the dataset has no outline for {', '.join(missing[:4])}{more}"
    return schematic_outlines(points), SCHEMATIC_NOTE.format(missing=why)


def _colors(values: np.ndarray, vmax: float, scale: str) -> list[str]:
    from plotly.colors import sample_colorscale

    share = np.clip(np.nan_to_num(values / vmax if vmax > 0 else values * 0.0), 0.0, 1.0)
    return list(sample_colorscale(scale, (0.08 + 0.92 * share).tolist()))


def _add_regions(fig: go.Figure, data: MapData) -> dict[str, list[str]]:
    """One filled polygon per region, coloured by winter surplus; the fills of each season."""
    import plotly.graph_objects as go

    fills = {s: _colors(data.spare[s], data.vmax, theme.SURPLUS_SCALE) for s in SEASONS}
    for i, region in enumerate(data.anchors.index):
        lon, lat = polygon_path(data.outlines[region])
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
    return fills


def _add_links(fig: go.Figure, data: MapData, links: pd.DataFrame) -> None:
    """A line per link between its regions, as wide as its rating and as dark as its use."""
    import plotly.graph_objects as go

    if links.empty or not {"from_region", "to_region"} <= set(links.columns):
        return
    ends = data.anchors.index
    links = links[links["from_region"].isin(ends) & links["to_region"].isin(ends)]
    use = links.get("mean_use_share", pd.Series(0.0, index=links.index)).to_numpy(float)
    cap = links.get("capacity_mw", pd.Series(1000.0, index=links.index)).to_numpy(float)
    colors = _colors(use, 1.0, LINK_SCALE)
    widths = 1.0 + 4.0 * np.sqrt(cap / max(float(np.nanmax(cap, initial=0.0)), 1.0))
    for k, link in enumerate(links.itertuples(index=False)):
        a, b = data.anchors.loc[link.from_region], data.anchors.loc[link.to_region]
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
    fig.add_trace(_link_markers(data.anchors, links, use, cap))


def _link_markers(
    anchors: pd.DataFrame, links: pd.DataFrame, use: np.ndarray, cap: np.ndarray
) -> go.Scatter:
    """A marker at the middle of each link, its figures in the hover, with the use colour bar."""
    import plotly.graph_objects as go

    a = anchors.loc[links["from_region"]].to_numpy()
    b = anchors.loc[links["to_region"]].to_numpy()
    hover = [
        f"<b>{link.link}</b><br>{link.from_region} to {link.to_region}: {cap[k]:,.0f} MW<br>"
        f"mean use {100 * use[k]:.0f}% of rating<br>"
        f"congested {getattr(link, 'hours_congested', float('nan')):,.0f} h/yr"
        for k, link in enumerate(links.itertuples(index=False))
    ]
    bar = theme.colorbar(
        "mean use of each link", x=0.98, y=0.16, anchor=("right", "bottom"), length=0.32
    )
    return go.Scatter(
        x=((a[:, 0] + b[:, 0]) / 2).tolist(),
        y=((a[:, 1] + b[:, 1]) / 2).tolist(),
        mode="markers",
        marker={
            "size": 7,
            "color": use,
            "cmin": 0.0,
            "cmax": 1.0,
            "colorscale": LINK_SCALE,
            "line": {"color": "#ffffff", "width": 1},
            "colorbar": {**bar, "tickformat": ".0%", "orientation": "h", "thickness": 10},
        },
        text=hover,
        hovertemplate="%{text}<extra></extra>",
        name="links (mean use)",
        showlegend=False,
    )


def _add_surplus_scale(fig: go.Figure, data: MapData) -> None:
    """The surplus colour bar, carried by an invisible point."""
    import plotly.graph_objects as go

    bar = theme.colorbar("mean spare<br>MW", x=0.02, y=0.97, anchor=("left", "top"), length=0.36)
    fig.add_trace(
        go.Scatter(
            x=[data.anchors["x"].mean()],
            y=[data.anchors["y"].mean()],
            mode="markers",
            marker={
                "size": 0.1,
                "opacity": 0,
                "color": [0.0],
                "cmin": 0.0,
                "cmax": data.vmax,
                "colorscale": theme.SURPLUS_SCALE,
                "colorbar": {**bar, "thickness": 12},
            },
            hoverinfo="skip",
            showlegend=False,
            name="surplus scale",
        )
    )


def _add_sited(fig: go.Figure, data: MapData) -> pd.Series:
    """One circle per compute kind and region (side by side); the size of each region's mark."""
    import plotly.graph_objects as go

    sited, anchors = data.sited, data.anchors
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
        shift = dx * both.reindex(mw.index, fill_value=False)
        fig.add_trace(
            go.Scatter(
                x=(anchors.loc[mw.index, "x"] + shift).tolist(),
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
    return label_sizes


def _add_labels(fig: go.Figure, data: MapData, label_sizes: pd.Series) -> None:
    """Each region's id above its mark, and its figures in the hover."""
    import plotly.graph_objects as go

    anchors, sited = data.anchors, data.sited
    hover = []
    for i, row in enumerate(data.regions.itertuples(index=False)):
        region = str(row.region)
        mining = float(sited.loc[region, "mining"]) if region in sited.index else 0.0
        ai = float(sited.loc[region, "ai"]) if region in sited.index else 0.0
        hover.append(
            f"<b>{region}</b> ({getattr(row, 'name', region)})<br>"
            f"spare, winter mean: {data.spare['winter'][i]:,.0f} MW<br>"
            f"spare, summer mean: {data.spare['summer'][i]:,.0f} MW"
            f"<br>mining sited: {mining:,.0f} MW<br>AI sited: {ai:,.0f} MW"
        )
    sizes = label_sizes.reindex(anchors.index, fill_value=6.0)
    fig.add_trace(
        go.Scatter(
            x=anchors["x"].tolist(),
            y=anchors["y"].tolist(),
            mode="markers",
            marker={"size": sizes.tolist(), "opacity": 0},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            name="regions",
            showlegend=False,
        )
    )
    for region, size in sizes.items():
        fig.add_annotation(
            x=float(anchors.loc[region, "x"]),
            y=float(anchors.loc[region, "y"]),
            text=f"<b>{region}</b>",
            showarrow=False,
            yshift=float(size) / 2 + 9,
            font={"size": 11, "color": "#102a43"},
            bgcolor="rgba(255,255,255,0.72)",
            borderpad=1,
            name=f"label:{region}",
        )


def _season_buttons(fills: dict[str, list[str]], n_regions: int) -> dict[str, Any]:
    """Buttons that recolour the region polygons (the first ``n_regions`` traces)."""
    return {
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
                "args": [{"fillcolor": fills[season]}, list(range(n_regions))],
            }
            for season in SEASONS
        ],
    }


def _lay_out(fig: go.Figure, data: MapData, fills: dict[str, list[str]]) -> None:
    """Axes fitted to the shapes at the latitude's scale, legend, buttons and notes."""
    rings = [ring for shapes in data.outlines.values() for ring in shapes]
    x_all = np.concatenate([r[:, 0] for r in rings])
    y_all = np.concatenate([r[:, 1] for r in rings])
    x_range = [float(x_all.min()) - 0.5, float(x_all.max()) + 0.5]
    y_range = [float(y_all.min()) - 0.5, float(y_all.max()) + 0.5]
    notes = [*fig.layout.annotations]
    if not float(data.sited.to_numpy().sum()):
        notes.append(theme.note("No compute sited in this plan", 0.02, 0.96, ("left", "top"), 13))
    if data.caption:
        notes.append(theme.note(data.caption, 0.0, -0.02, ("left", "top"), 11))
    theme.style(fig, TITLE, height=620, margin={"l": 10, "r": 10, "t": 56, "b": 40})
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
        updatemenus=[_season_buttons(fills, len(data.outlines))],
        annotations=notes,
    )
    fig.update_xaxes(visible=False, range=x_range, constrain="domain")
    fig.update_yaxes(
        visible=False,
        range=y_range,
        scaleanchor="x",
        scaleratio=lat_scale((y_range[0] + y_range[1]) / 2),
        constrain="domain",
    )


__all__ = ["SCHEMATIC_NOTE", "MapData", "map_data", "region_map"]
