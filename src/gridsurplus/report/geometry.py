"""Shapes for the map: region rings as plot paths, label points, and a schematic layout.

The map is drawn without a geo layer: each region is a filled lon/lat polygon on a plain
cartesian plot whose axes are scaled so that a degree of longitude is ``cos(latitude)`` of a
degree of latitude. That needs no map tiles, no topojson and no network, so the report draws
the same from ``file://`` as from a server.

The outlines come with the dataset (:mod:`gridsurplus.dataset.presentation`); a dataset without
them gets :func:`schematic_outlines`, a disc per region at its coordinates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

SCHEMATIC_POINTS = 33
"""Vertices of a schematic disc, the first repeated at the end."""


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
    points: Mapping[str, tuple[float, float]], max_radius: float = 1.5
) -> dict[str, list[np.ndarray]]:
    """A disc per region at its coordinates, as wide as the space to its nearest neighbour.

    Discs are round on the map (the longitude is stretched by ``1 / cos(latitude)``) and never
    overlap: each radius is at most 0.45 of the distance to the nearest other region.

    Parameters
    ----------
    points : Mapping of str to (float, float)
        Per region, (lon, lat) [degrees].
    max_radius : float
        Largest radius [degrees of latitude].

    Returns
    -------
    dict of str to list of numpy.ndarray
        Per region, one closed ``[n x 2]`` ring of (lon, lat) [degrees].

    Examples
    --------
    >>> discs = schematic_outlines({"A": (70.0, 30.0), "B": (71.0, 30.0)})
    >>> ring = discs["A"][0]
    >>> bool((ring[0] == ring[-1]).all()), round(float(ring[:, 1].max() - 30.0), 3)
    (True, 0.39)
    """
    if not points:
        return {}
    names = list(points)
    lon = np.array([points[n][0] for n in names], dtype=float)
    lat = np.array([points[n][1] for n in names], dtype=float)
    squeeze = math.cos(math.radians(float(lat.mean())))
    x = lon * squeeze
    distance = np.hypot(x[:, None] - x[None, :], lat[:, None] - lat[None, :])
    np.fill_diagonal(distance, np.inf)
    nearest = distance.min(axis=1) if len(names) > 1 else np.array([2.0 * max_radius])
    radius = np.minimum(0.45 * nearest, max_radius)
    angle = np.linspace(0.0, 2.0 * math.pi, SCHEMATIC_POINTS)
    out = {}
    for i, name in enumerate(names):
        ring = np.column_stack(
            [lon[i] + radius[i] * np.cos(angle) / squeeze, lat[i] + radius[i] * np.sin(angle)]
        )
        ring[-1] = ring[0]
        out[name] = [ring]
    return out


def _signed_area(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


__all__ = ["label_point", "lat_scale", "polygon_path", "schematic_outlines"]
