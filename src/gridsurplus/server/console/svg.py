"""The console's pictures as inline SVG, drawn on the server: no script, no tiles, no CDN.

Three pictures: the map of the sites on the dataset's region outlines (the report's own
outlines and projection, :mod:`gridsurplus.report.geometry`), the fleet's hourly surplus over a
day, and a site's day: allowance against reported usage, hour by hour. Colours and sizes are
presentation attributes (never ``style=``), so a strict Content-Security-Policy holds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import quote

import numpy as np

MINING = "#d9822b"
AI = "#2b6cb0"
OVER = "#c53030"
GRID = "#d5dbe3"
INK = "#1f2933"
MUTED = "#6b7785"


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _points(xy: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in xy)


def _nice_max(value: float) -> float:
    """A round axis top at or above ``value``.

    >>> _nice_max(0.0), _nice_max(7.3), _nice_max(1234.0)
    (1.0, 8.0, 1500.0)
    """
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * exp >= value - 1e-12:
            return float(step * exp)
    return float(10 * exp)


def site_map(
    sites: list[dict[str, Any]], outlines: Mapping[str, Sequence[np.ndarray]], width: int = 520
) -> str:
    """The sites on the region outlines: capacity ring, allowance-now disc, link to the site.

    Parameters
    ----------
    sites : list of dict
        Rows of :func:`gridsurplus.server.console.views.site_now` (``site``, ``region``,
        ``kind``, ``mw`` [MW], ``allowance_kw`` [kW]).
    outlines : Mapping of str to sequence of numpy.ndarray
        Per region, its (lon, lat) rings [degrees]: the dataset's presentation outlines
        (:mod:`gridsurplus.dataset.presentation`).
    width : int
        Drawing width [px].

    Returns
    -------
    str
        An ``<svg>`` element ("" when the dataset has no outlines). Sites in regions without
        an outline are listed under it.
    """
    from gridsurplus.report.geometry import label_point, lat_scale

    if not outlines:
        return ""
    every = np.vstack([ring for rings in outlines.values() for ring in rings])
    lon0, lat0 = every.min(axis=0)
    lon1, lat1 = every.max(axis=0)
    ky = lat_scale((lat0 + lat1) / 2.0)
    pad = 12.0
    k = (width - 2 * pad) / (lon1 - lon0)
    height = round((lat1 - lat0) * ky * k + 2 * pad)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return pad + (lon - lon0) * k, pad + (lat1 - lat) * ky * k

    used = {s["region"] for s in sites}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="Map of the enrolled sites by region">'
    ]
    for region, rings in sorted(outlines.items()):
        fill = "#e8edf3" if region in used else "#f4f6f8"
        for ring in rings:
            pts = _points([xy(lon, lat) for lon, lat in ring])
            parts.append(
                f'<polygon class="region" data-region="{escape(region)}" points="{pts}" '
                f'fill="{fill}" stroke="#9aa5b1" stroke-width="0.8"><title>{escape(region)}'
                "</title></polygon>"
            )
    for region, rings in sorted(outlines.items()):
        x, y = xy(*label_point(list(rings)))
        parts.append(
            f'<text x="{_num(x)}" y="{_num(y + 26)}" class="region-label" text-anchor="middle" '
            f'font-size="9" fill="{MUTED}">{escape(region)}</text>'
        )
    biggest = max([float(s["mw"]) for s in sites] + [1e-9])
    by_region: dict[str, list[dict[str, Any]]] = {}
    for s in sites:
        by_region.setdefault(s["region"], []).append(s)
    missing = []
    for region, here in sorted(by_region.items()):
        if region not in outlines:
            missing += [s["site"] for s in here]
            continue
        cx, cy = xy(*label_point(list(outlines[region])))
        for i, s in enumerate(here):
            angle = 2 * math.pi * i / len(here)
            dx, dy = (0.0, 0.0) if len(here) == 1 else (16 * math.cos(angle), 16 * math.sin(angle))
            r_cap = 4 + 12 * math.sqrt(float(s["mw"]) / biggest)
            share = min(1.0, max(0.0, float(s["allowance_kw"]) / (1000.0 * max(s["mw"], 1e-9))))
            r_now = r_cap * math.sqrt(share)
            color = MINING if s["kind"] == "mining" else AI
            name = escape(s["site"])
            tip = (
                f"{name}: {s['kind']}, {float(s['mw']):,.1f} MW; allowed now "
                f"{float(s['allowance_kw']) / 1000.0:,.1f} MW"
            )
            parts.append(
                f'<a href="/console/sites/{escape(quote(s["site"], safe="@"))}" '
                f'class="site-marker" '
                f'data-site="{name}"><title>{tip}</title>'
                f'<circle cx="{_num(cx + dx)}" cy="{_num(cy + dy)}" r="{_num(r_cap)}" '
                f'fill="#ffffff" fill-opacity="0.7" stroke="{color}" stroke-width="1.5"/>'
                f'<circle cx="{_num(cx + dx)}" cy="{_num(cy + dy)}" r="{_num(r_now)}" '
                f'fill="{color}"/></a>'
            )
    parts.append("</svg>")
    if missing:
        names = escape(", ".join(missing))
        parts.append(f'<p class="note">Not on the map (no outline): {names}</p>')
    return "".join(parts)


def _frame(
    width: int, height: int, top: float, unit: str, label: str, left: int = 56
) -> tuple[list[str], Any, Any]:
    """An SVG with a y axis 0..top, an hour axis 0..24, and the two scale functions."""
    right, up, down = 12, 12, 28
    plot_w, plot_h = width - left - right, height - up - down

    def x(hour: float) -> float:
        return left + plot_w * hour / 24.0

    def y(value: float) -> float:
        return up + plot_h * (1.0 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}">'
    ]
    for i in range(5):
        v = top * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_num(y(v))}" y2="{_num(y(v))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_num(y(v) + 4)}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{v:,.0f}</text>'
        )
    for h in range(0, 25, 3):
        parts.append(
            f'<text x="{_num(x(h))}" y="{height - 10}" text-anchor="middle" font-size="11" '
            f'fill="{MUTED}">{h:02d}</text>'
        )
    parts.append(
        f'<text x="12" y="{_num(up + plot_h / 2)}" font-size="11" fill="{MUTED}" '
        f'transform="rotate(-90 12 {_num(up + plot_h / 2)})" text-anchor="middle">{unit}</text>'
    )
    return parts, x, y


def _step(values: Sequence[float], x: Any, y: Any) -> str:
    pts: list[tuple[float, float]] = []
    for h, v in enumerate(values):
        pts += [(x(h), y(v)), (x(h + 1), y(v))]
    return _points(pts)


def surplus_chart(mw: np.ndarray, fleet_mw: float, width: int = 520, height: int = 170) -> str:
    """The fleet's allowance per hour of a day [MW], against the fleet's size.

    Hours where the fleet may draw its full MW are green, short hours amber, dry hours red.
    """
    top = _nice_max(max(float(np.max(mw)) if len(mw) else 0.0, fleet_mw))
    parts, x, y = _frame(width, height, top, "MW", "The fleet's allowance by hour")
    for h, v in enumerate(mw):
        color = "#2f855a" if v >= fleet_mw - 1e-6 else ("#dd6b20" if v > 1e-6 else OVER)
        bar_y = y(max(float(v), 0.0))
        parts.append(
            f'<rect class="surplus-bar" x="{_num(x(h) + 1)}" y="{_num(bar_y)}" '
            f'width="{_num(x(1) - x(0) - 2)}" height="{_num(max(y(0) - bar_y, 1.0))}" '
            f'fill="{color}"><title>{h:02d}:00 {v:,.1f} MW</title></rect>'
        )
    parts.append(
        f'<line x1="{_num(x(0))}" x2="{_num(x(24))}" y1="{_num(y(fleet_mw))}" '
        f'y2="{_num(y(fleet_mw))}" stroke="{INK}" stroke-dasharray="4 3" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def site_day_chart(
    usage_kwh: Sequence[float],
    reported: Sequence[bool],
    allowance_kwh: Sequence[float],
    day_ahead_kwh: Sequence[float],
    width: int = 1200,
    height: int = 320,
) -> str:
    """A site's day: usage bars (red where above the allowance), binding and day-ahead steps.

    All values are per hour [kWh], which is the hour's average power [kW].
    """
    top = _nice_max(max([*usage_kwh, *allowance_kwh, *day_ahead_kwh, 0.0]))
    parts, x, y = _frame(
        width, height, top, "kWh per hour (= kW)", "Allowance and usage by hour", left=78
    )
    for h, (u, ok) in enumerate(zip(usage_kwh, reported, strict=True)):
        if not ok:
            continue
        over = u > allowance_kwh[h] + 1e-6
        bar_y = y(u)
        parts.append(
            f'<rect class="usage-bar{" over" if over else ""}" data-hour="{h}" '
            f'data-kwh="{u:.3f}" x="{_num(x(h) + 3)}" y="{_num(bar_y)}" '
            f'width="{_num(x(1) - x(0) - 6)}" height="{_num(max(y(0) - bar_y, 0.5))}" '
            f'fill="{OVER if over else "#7f9cbf"}"><title>{h:02d}:00 used {u:,.1f} kWh, allowed '
            f"{allowance_kwh[h]:,.1f} kWh</title></rect>"
        )
    parts.append(
        f'<polyline class="day-ahead" points="{_step(day_ahead_kwh, x, y)}" fill="none" '
        f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="5 4"/>'
        f'<polyline class="allowance" points="{_step(allowance_kwh, x, y)}" fill="none" '
        f'stroke="{INK}" stroke-width="2"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


__all__ = ["site_day_chart", "site_map", "surplus_chart"]
