"""Colours, labels and the common look of the report's figures.

Every figure of :mod:`gridsurplus.report.figures` is styled here, so the report reads as one
document: the same colour for a compute kind or a lens in every chart, one font, one legend
position. Nothing here belongs to one country: the colours of a dataset's generation groups and
its region outlines come with the dataset (:mod:`gridsurplus.dataset.presentation`). Plotly is
imported inside the functions that need it.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

FONT = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif'
)
"""The system font stack: no web font is ever fetched."""

MINING = "#f2a900"
"""Bitcoin mining, everywhere in the report."""
AI = "#5b5bd6"
"""AI data centres, everywhere in the report."""
KIND_COLORS = MappingProxyType({"mining": MINING, "ai": AI})
KIND_LABELS = MappingProxyType({"mining": "Bitcoin mining", "ai": "AI data centres"})

LENS_LABELS = MappingProxyType(
    {"tariff": "under the tariff", "marginal_cost": "at marginal-cost pricing"}
)
"""How the two lenses of a plan are named in the report."""
LENS_COLORS = MappingProxyType({"tariff": "#1b7f5b", "marginal_cost": "#8fc9ae"})

SURPLUS_SCALE = "YlGnBu"
"""Sequential colour scale for MW of surplus."""
SEASON_COLORS = MappingProxyType(
    {
        "winter": "#2f7ebc",
        "spring": "#5fae5f",
        "summer": "#e07b39",
        "autumn": "#a0785a",
        "year": "#222222",
    }
)

PLOT_CONFIG = MappingProxyType(
    {
        "displaylogo": False,
        "responsive": True,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
        "toImageButtonOptions": {"format": "png", "scale": 2},
    }
)
"""Plotly config of every figure: no logo link, no cloud buttons."""


def style(fig: go.Figure, title: str, height: int = 420, **layout: Any) -> go.Figure:
    """Apply the report's look to a figure and return it.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The figure.
    title : str
        Its title (short; the report's text explains it).
    height : int
        Height [px].
    **layout
        Further layout properties.
    """
    fig.update_layout(
        template="plotly_white",
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 12, "color": "#1f2933"},
        height=height,
        margin={"l": 60, "r": 20, "t": 56, "b": 48},
        legend={"orientation": "h", "y": -0.15, "x": 0.0, "yanchor": "top"},
        hoverlabel={"font": {"family": FONT}},
        modebar={"orientation": "v", "bgcolor": "rgba(255,255,255,0.8)"},
        separators=".,",
    )
    if layout:
        fig.update_layout(**layout)
    return fig


def colorbar(
    title: str, x: float, y: float, anchor: tuple[str, str], length: float
) -> dict[str, Any]:
    """A colour bar with its title on top, placed at paper ``(x, y)`` by its ``(x, y)`` anchor."""
    return {
        "title": {"text": title, "side": "top"},
        "x": x,
        "xanchor": anchor[0],
        "y": y,
        "yanchor": anchor[1],
        "len": length,
    }


def note(text: str, x: float, y: float, anchor: tuple[str, str], size: int) -> dict[str, Any]:
    """A muted, left-aligned annotation at paper ``(x, y)``, anchored at its ``(x, y)`` corner."""
    return {
        "text": text,
        "align": "left",
        "x": x,
        "y": y,
        "xref": "paper",
        "yref": "paper",
        "xanchor": anchor[0],
        "yanchor": anchor[1],
        "showarrow": False,
        "font": {"size": size, "color": "#52606d"},
    }


def empty_figure(message: str, title: str, height: int = 260) -> go.Figure:
    """A figure that says why there is nothing to draw (never a blank chart).

    Examples
    --------
    >>> fig = empty_figure("No mining site in this plan.", "Break-even BTC price")
    >>> fig.layout.annotations[0].text
    'No mining site in this plan.'
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 15, "color": "#52606d"},
    )
    style(fig, title, height)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


__all__ = [
    "AI",
    "FONT",
    "KIND_COLORS",
    "KIND_LABELS",
    "LENS_COLORS",
    "LENS_LABELS",
    "MINING",
    "PLOT_CONFIG",
    "SEASON_COLORS",
    "SURPLUS_SCALE",
    "colorbar",
    "empty_figure",
    "note",
    "style",
]
