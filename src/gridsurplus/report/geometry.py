"""Shapes for the map: region rings as plot paths, label points, and a schematic layout.

The map is drawn without a geo layer: each region is a filled lon/lat polygon on a plain
cartesian plot whose axes are scaled so that a degree of longitude is ``cos(latitude)`` of a
degree of latitude. That needs no map tiles, no topojson and no network, so the report draws
the same from ``file://`` as from a server.

The outlines come with the dataset (:mod:`gridsurplus.dataset.presentation`); a dataset without
them gets :func:`schematic_outlines`, a cell per region round its coordinates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

SCHEMATIC_POINTS = 33
"""Vertices of the circle a schematic cell is cut from, plus one to close it."""


def polygon_path(rings: list[np.ndarray]) -> tuple[list[float | None], list[float | None]]:
    """Lon and lat lists of one or more rings, separated by ``None`` for a single trace."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    for i, points in enumerate(rings):
        if i:
            lon.append(None)
            lat.append(None)
        lon += points[:, 0].tolist()
        lat += points[:, 1].tolist()
    return lon, lat


def label_point(rings: list[np.ndarray]) -> tuple[float, float]:
    """A point to label a region: the area-weighted centroid of its largest ring."""
    points = max(rings, key=lambda p: abs(_signed_area(p)))
    x, y = points[:, 0], points[:, 1]
    cross = x[:-1] * y[1:] - x[1:] * y[:-1]
    area = cross.sum() / 2.0
    if abs(area) < 1e-12:
        return float(x.mean()), float(y.mean())
    cx = float(((x[:-1] + x[1:]) * cross).sum() / (6.0 * area))
    cy = float(((y[:-1] + y[1:]) * cross).sum() / (6.0 * area))
    return cx, cy


def lat_scale(lat_deg: float) -> float:
    """How much longer a degree of latitude is drawn than a degree of longitude at ``lat_deg``.

    Examples
    --------
    >>> round(lat_scale(30.0), 3)
    1.155
    """
    return 1.0 / math.cos(math.radians(lat_deg))


def schematic_outlines(
    points: Mapping[str, tuple[float, float]], reach: float | None = None
) -> dict[str, list[np.ndarray]]:
    """A schematic map: each region the land nearer its coordinates than any other's.

    Each region's cell is the set of points nearer to it than to any other region (a Voronoi
    cell, distances as drawn: a degree of longitude is ``cos(latitude)`` of one of latitude),
    cut to a disc of radius ``reach`` round the region, so neighbours share edges, cells never
    overlap and a remote region gets a round cell instead of an endless one.

    Parameters
    ----------
    points : Mapping of str to (float, float)
        Per region, (lon, lat) [degrees].
    reach : float, optional
        Largest distance of a cell's edge from its region [degrees of latitude]; by default
        the largest distance from a region to its nearest neighbour (1 for a lone region).

    Returns
    -------
    dict of str to list of numpy.ndarray
        Per region, one closed ``[n x 2]`` ring of (lon, lat) [degrees].

    Examples
    --------
    >>> cells = schematic_outlines({"A": (70.0, 30.0), "B": (72.0, 30.0)}, reach=1.0)
    >>> ring = cells["A"][0]
    >>> bool((ring[0] == ring[-1]).all()), round(float(ring[:, 0].max()), 3)  # cut halfway
    (True, 71.0)
    """
    if not points:
        return {}
    names = list(points)
    lon = np.array([points[n][0] for n in names], dtype=float)
    lat = np.array([points[n][1] for n in names], dtype=float)
    squeeze = math.cos(math.radians(float(lat.mean())))
    xy = np.column_stack([lon * squeeze, lat])
    if reach is None:
        gaps = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
        np.fill_diagonal(gaps, np.inf)
        reach = float(gaps.min(axis=1).max()) if len(names) > 1 else 1.0
    angle = np.linspace(0.0, 2.0 * math.pi, SCHEMATIC_POINTS)[:-1]
    disc = reach * np.column_stack([np.cos(angle), np.sin(angle)])
    out = {}
    for i, name in enumerate(names):
        cell = xy[i] + disc
        for j in range(len(names)):
            if j != i and not np.allclose(xy[i], xy[j]):
                cell = _clip(cell, (xy[i] + xy[j]) / 2.0, xy[j] - xy[i])
        ring = np.vstack([cell, cell[:1]])
        out[name] = [np.column_stack([ring[:, 0] / squeeze, ring[:, 1]])]
    return out


def _clip(polygon: np.ndarray, point: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """The part of a convex polygon where ``(p - point) . normal <= 0`` (Sutherland-Hodgman)."""
    side = (polygon - point) @ normal
    out = []
    for k in range(len(polygon)):
        a, b, sa, sb = polygon[k - 1], polygon[k], side[k - 1], side[k]
        if (sa <= 0) != (sb <= 0):
            out.append(a + (b - a) * (sa / (sa - sb)))
        if sb <= 0:
            out.append(b)
    return np.array(out)


def _signed_area(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


__all__ = ["label_point", "lat_scale", "polygon_path", "schematic_outlines"]
