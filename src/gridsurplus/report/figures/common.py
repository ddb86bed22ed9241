"""Helpers the figure modules share: area names and the menus that switch traces."""

from __future__ import annotations

from typing import Any


def area_label(area: str) -> str:
    """``national`` -> ``National``; a region id stays as it is."""
    return "National" if area == "national" else area


def dropdown(labels: list[str], traces_per_option: list[int], y: float = 1.12) -> dict[str, Any]:
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


__all__ = ["area_label", "dropdown"]
