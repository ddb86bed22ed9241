"""Region outlines for the map: read the shipped GeoJSON and shape it for plotting.

The map is drawn without a geo layer: each region is a filled lon/lat polygon on a plain
cartesian plot whose axes are scaled so that a degree of longitude is ``cos(latitude)`` of a
degree of latitude. That needs no map tiles, no topojson and no network, so the report draws
the same from ``file://`` as from a server.

The outlines of Pakistan's regions are APPROXIMATE (see :mod:`gridsurplus.report.build_regions`
for how they were drawn). A dataset whose regions have no outline is drawn as points at the
regions' coordinates.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

OUTLINES = Path(__file__).with_name("assets") / "pakistan_regions.geojson"
"""The shipped outlines of the Pakistan regions (approximate)."""


@lru_cache(maxsize=4)
def _read(path: str) -> tuple[tuple[str, tuple[tuple[float, float], ...]], ...]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for feature in data["features"]:
        region = feature.get("id") or feature["properties"]["region"]
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            out.append((str(region), tuple((float(x), float(y)) for x, y in polygon[0])))
    return tuple(out)


def region_outlines(path: str | Path = OUTLINES) -> dict[str, list[np.ndarray]]:
    """Outer rings of each region's polygons.

    Parameters
    ----------
    path : str or pathlib.Path
        A GeoJSON FeatureCollection of Polygons or MultiPolygons whose feature ``id`` (or
        ``properties.region``) is the region id. Holes are ignored.

    Returns
    -------
    dict of str to list of numpy.ndarray
        Per region, one ``[n x 2]`` array of (lon, lat) [degrees] per polygon, closed.

    Examples
    --------
    >>> outlines = region_outlines()
    >>> sorted(outlines)[:3]
    ['FESCO', 'GEPCO', 'HESCO']
    >>> bool((outlines["KE"][0][0] == outlines["KE"][0][-1]).all())
    True
    """
    out: dict[str, list[np.ndarray]] = {}
    for region, points in _read(str(Path(path))):
        out.setdefault(region, []).append(np.array(points, dtype=float))
    return out


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


def _signed_area(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


__all__ = ["OUTLINES", "label_point", "lat_scale", "polygon_path", "region_outlines"]
