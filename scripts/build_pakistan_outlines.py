"""How the approximate region outlines of Pakistan were drawn, and the script that writes them.

The ten model regions are the service areas of the distribution companies (PESCO, IESCO, GEPCO,
LESCO, FESCO, MEPCO, SEPCO, QESCO, HESCO) and K-Electric. No GeoJSON of those areas is published
in a package we can depend on, so they are drawn here by hand, APPROXIMATELY, from district-level
knowledge: a service area is a set of districts, and its outline follows the district and
provincial boundaries between them, simplified to a vertex every 30-100 km.

The outlines are built from shared edges, so neighbours meet without gaps or overlaps:

- :data:`EDGES` holds each boundary once, as a polyline of (lon, lat) vertices from one
  junction to the next: between two regions (``"PESCO|IESCO"``), or between a region and the
  outside (Iran, Afghanistan, Gilgit-Baltistan and Azad Jammu and Kashmir, India, the sea);
- :data:`RINGS` lists, for each region, its edges in clockwise order (``-`` reverses an edge).

Azad Jammu and Kashmir and Gilgit-Baltistan are not model regions and are not drawn.
:data:`TOWNS` places district headquarters in their region; :func:`misplaced_towns` checks the
outlines against them, and the tests run that check. Accuracy is tens of kilometres: good for a
map of where the surplus is, not for siting a substation.

The outlines are Pakistan's data, not the report's: they are shipped with the dataset, in
``src/gridsurplus/data/pakistan/presentation/region_outlines.geojson``, which the report reads
through :mod:`gridsurplus.dataset.presentation`. Write that file with
``PYTHONPATH=src python scripts/build_pakistan_outlines.py``; ``tests/report/test_outlines.py``
checks the shipped file is what this script writes and that every town falls in its region.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from gridsurplus.dataset.presentation import FOLDER, OUTLINES_FILE, contains

Point = tuple[float, float]

EDGES: dict[str, tuple[Point, ...]] = {
    # -- between regions ------------------------------------------------------------------
    # Hazara and the Indus (Tarbela, Attock, Khushalgarh) against Murree, Islamabad, Attock
    "PESCO|IESCO": (
        (73.48, 34.10),
        (73.40, 33.98),
        (73.10, 33.82),
        (72.85, 33.85),
        (72.60, 33.92),
        (72.25, 33.90),
        (71.90, 33.45),
        (71.85, 33.00),
    ),
    # Karak, Lakki Marwat, D.I. Khan against Mianwali and Bhakkar (mostly the Indus)
    "PESCO|FESCO": (
        (71.85, 33.00),
        (71.45, 33.00),
        (71.15, 32.80),
        (71.10, 32.45),
        (71.00, 31.85),
        (70.95, 31.25),
    ),
    # D.I. Khan against Taunsa (D.G. Khan)
    "PESCO|MEPCO": ((70.95, 31.25), (70.10, 31.10)),
    # South Waziristan and D.I. Khan against Zhob and Sherani
    "PESCO|QESCO": ((70.10, 31.10), (69.85, 31.50), (69.25, 31.85)),
    # the Jhelum river (Mangla, Jhelum) and Pind Dadan Khan against Gujrat, Mandi Bahauddin
    "IESCO|GEPCO": ((73.68, 33.15), (73.80, 32.93), (73.35, 32.72), (73.00, 32.55)),
    # the Salt Range: Chakwal, Talagang, Attock against Khushab and Mianwali
    "IESCO|FESCO": ((73.00, 32.55), (72.50, 32.60), (72.10, 32.80), (71.85, 33.00)),
    # Sheikhupura and Nankana Sahib against Gujranwala, Hafizabad, Narowal
    "GEPCO|LESCO": ((74.65, 31.92), (74.20, 31.95), (73.80, 31.88), (73.45, 31.75)),
    # the Chenab and the Jhelum: Hafizabad, Mandi Bahauddin against Chiniot, Sargodha
    "GEPCO|FESCO": ((73.45, 31.75), (73.15, 31.95), (73.00, 32.30), (73.00, 32.55)),
    # Okara against Pakpattan and Sahiwal
    "LESCO|MEPCO": ((73.90, 30.42), (73.45, 30.60), (73.25, 30.85)),
    # Okara, Nankana Sahib, Sheikhupura against Faisalabad
    "LESCO|FESCO": ((73.25, 30.85), (73.55, 31.15), (73.60, 31.50), (73.45, 31.75)),
    # Faisalabad, Toba Tek Singh, Jhang, Bhakkar against Sahiwal, Khanewal, Muzaffargarh, Layyah
    "FESCO|MEPCO": (
        (73.25, 30.85),
        (73.00, 30.75),
        (72.60, 30.60),
        (72.10, 30.65),
        (71.65, 31.05),
        (70.95, 31.25),
    ),
    # the Punjab-Sindh border: Rahim Yar Khan, Rajanpur against Ghotki, Kashmore
    "MEPCO|SEPCO": ((70.55, 27.80), (70.05, 28.15), (69.80, 28.45), (69.50, 28.65)),
    # the Sulaiman range: D.G. Khan, Rajanpur against Barkhan, Dera Bugti, Musakhel
    "MEPCO|QESCO": (
        (69.50, 28.65),
        (69.45, 29.35),
        (69.70, 29.95),
        (69.95, 30.50),
        (70.10, 31.10),
    ),
    # Khairpur, Naushahro Feroze, Dadu against Sanghar, Shaheed Benazirabad, Jamshoro
    "SEPCO|HESCO": (
        (70.10, 26.35),
        (69.20, 26.45),
        (68.50, 26.60),
        (67.95, 26.55),
        (67.40, 26.45),
    ),
    # the Kirthar range and the Balochistan border of Jacobabad and Kashmore
    "SEPCO|QESCO": (
        (67.40, 26.45),
        (67.30, 26.90),
        (67.35, 27.50),
        (67.65, 28.00),
        (68.10, 28.25),
        (68.55, 28.45),
        (69.00, 28.45),
        (69.50, 28.65),
    ),
    # Thatta and Jamshoro against Malir, Karachi and Hub
    "HESCO|KE": ((67.45, 24.75), (67.55, 25.00), (67.60, 25.30), (67.45, 25.55), (67.20, 25.80)),
    # Jamshoro against Khuzdar
    "HESCO|QESCO": ((67.20, 25.80), (67.30, 26.00), (67.40, 26.45)),
    # Lasbela and Hub against Khuzdar and Awaran
    "KE|QESCO": (
        (65.25, 25.35),
        (65.50, 26.10),
        (65.85, 26.55),
        (66.30, 26.60),
        (66.80, 26.45),
        (67.05, 26.10),
        (67.20, 25.80),
    ),
    # -- the outside: borders and coast -----------------------------------------------------
    # Afghanistan (Waziristan, Kurram, Khyber, Bajaur, Chitral), then Gilgit-Baltistan and
    # Azad Jammu and Kashmir (Kohistan, Kaghan, Mansehra) down to Kohala
    "PESCO|outside": (
        (69.25, 31.85),
        (69.30, 32.35),
        (69.55, 32.80),
        (70.00, 33.05),
        (69.85, 33.60),
        (69.90, 33.95),
        (70.25, 34.05),
        (70.90, 34.08),
        (71.10, 34.12),
        (71.15, 34.45),
        (71.25, 34.75),
        (71.55, 35.10),
        (71.35, 35.40),
        (71.20, 35.70),
        (71.45, 36.05),
        (71.70, 36.45),
        (72.50, 36.80),
        (73.30, 36.90),
        (73.60, 36.85),
        (73.15, 36.35),
        (72.55, 36.05),
        (72.80, 35.75),
        (73.30, 35.55),
        (73.75, 35.45),
        (74.05, 35.15),
        (73.90, 34.85),
        (73.55, 34.55),
        (73.42, 34.35),
        (73.48, 34.10),
    ),
    # Azad Jammu and Kashmir along the Jhelum, Kohala to Mangla
    "IESCO|outside": ((73.48, 34.10), (73.55, 33.80), (73.60, 33.45), (73.68, 33.15)),
    # Azad Jammu and Kashmir (Bhimber), the Working Boundary at Sialkot, India at Shakargarh
    "GEPCO|outside": (
        (73.68, 33.15),
        (74.00, 32.92),
        (74.35, 32.80),
        (74.70, 32.55),
        (75.10, 32.50),
        (75.40, 32.30),
        (75.05, 32.05),
        (74.65, 31.92),
    ),
    # India: Lahore (Wagah), Kasur (Ganda Singh), Okara (Sulemanki)
    "LESCO|outside": (
        (74.65, 31.92),
        (74.57, 31.60),
        (74.50, 31.30),
        (74.62, 31.15),
        (74.55, 31.00),
        (74.25, 30.75),
        (73.90, 30.42),
    ),
    # India: Bahawalnagar, Bahawalpur (Cholistan), Rahim Yar Khan
    "MEPCO|outside": (
        (73.90, 30.42),
        (73.45, 29.95),
        (73.35, 29.55),
        (72.95, 29.05),
        (72.40, 28.80),
        (71.90, 28.30),
        (71.10, 27.95),
        (70.55, 27.80),
    ),
    # India: Ghotki and Khairpur (Nara desert)
    "SEPCO|outside": (
        (70.55, 27.80),
        (70.05, 27.55),
        (69.65, 27.10),
        (69.75, 26.80),
        (70.10, 26.35),
    ),
    # India (Sanghar, Umerkot, Tharparkar, the Rann of Kutch to Sir Creek), then the Indus delta
    "HESCO|outside": (
        (70.10, 26.35),
        (70.05, 26.10),
        (70.25, 25.72),
        (70.60, 25.40),
        (70.90, 25.10),
        (71.10, 24.60),
        (70.95, 24.30),
        (70.30, 24.25),
        (69.60, 24.25),
        (68.75, 24.30),
        (68.20, 23.65),
        (67.75, 23.90),
        (67.40, 24.15),
        (67.30, 24.50),
        (67.45, 24.75),
    ),
    # the coast: Karachi, Cape Monze, Gaddani, Sonmiani, Kund Malir
    "KE|outside": (
        (67.45, 24.75),
        (67.00, 24.78),
        (66.65, 24.80),
        (66.72, 25.10),
        (66.55, 25.40),
        (65.90, 25.35),
        (65.25, 25.35),
    ),
    # the Makran coast to Gwadar Bay, Iran, then Afghanistan (Chagai, Chaman, Zhob)
    "QESCO|outside": (
        (65.25, 25.35),
        (64.60, 25.15),
        (63.50, 25.20),
        (62.35, 25.05),
        (61.75, 25.00),
        (61.60, 25.15),
        (61.85, 26.20),
        (62.30, 26.45),
        (63.20, 26.65),
        (63.30, 27.15),
        (62.80, 27.25),
        (62.80, 28.25),
        (61.90, 28.60),
        (61.50, 29.00),
        (60.87, 29.86),
        (62.45, 29.40),
        (64.10, 29.45),
        (65.00, 29.55),
        (66.25, 29.85),
        (66.35, 30.45),
        (66.35, 30.95),
        (66.75, 31.20),
        (67.30, 31.20),
        (67.75, 31.45),
        (68.20, 31.80),
        (68.80, 31.65),
        (69.25, 31.85),
    ),
}
"""Each boundary once, as (lon, lat) vertices [degrees] from one junction to the next."""

RINGS: dict[str, tuple[str, ...]] = {
    "PESCO": ("PESCO|outside", "PESCO|IESCO", "PESCO|FESCO", "PESCO|MEPCO", "PESCO|QESCO"),
    "IESCO": ("IESCO|outside", "IESCO|GEPCO", "IESCO|FESCO", "-PESCO|IESCO"),
    "GEPCO": ("GEPCO|outside", "GEPCO|LESCO", "GEPCO|FESCO", "-IESCO|GEPCO"),
    "LESCO": ("-GEPCO|LESCO", "LESCO|outside", "LESCO|MEPCO", "LESCO|FESCO"),
    "FESCO": (
        "-IESCO|FESCO",
        "-GEPCO|FESCO",
        "-LESCO|FESCO",
        "FESCO|MEPCO",
        "-PESCO|FESCO",
    ),
    "MEPCO": (
        "-FESCO|MEPCO",
        "-LESCO|MEPCO",
        "MEPCO|outside",
        "MEPCO|SEPCO",
        "MEPCO|QESCO",
        "-PESCO|MEPCO",
    ),
    "SEPCO": ("-MEPCO|SEPCO", "SEPCO|outside", "SEPCO|HESCO", "SEPCO|QESCO"),
    "HESCO": ("-SEPCO|HESCO", "HESCO|outside", "HESCO|KE", "HESCO|QESCO"),
    "KE": ("-HESCO|KE", "KE|outside", "KE|QESCO"),
    "QESCO": (
        "QESCO|outside",
        "-PESCO|QESCO",
        "-MEPCO|QESCO",
        "-SEPCO|QESCO",
        "-HESCO|QESCO",
        "-KE|QESCO",
    ),
}
"""Each region's edges, clockwise; a leading ``-`` walks an edge backwards."""

TOWNS: dict[str, tuple[tuple[str, float, float], ...]] = {
    "PESCO": (
        ("Peshawar", 71.58, 34.01),
        ("Mardan", 72.05, 34.20),
        ("Mingora", 72.36, 34.78),
        ("Chitral", 71.79, 35.85),
        ("Abbottabad", 73.21, 34.15),
        ("Mansehra", 73.20, 34.33),
        ("Kohat", 71.44, 33.59),
        ("Bannu", 70.60, 32.99),
        ("D.I. Khan", 70.90, 31.83),
        ("Parachinar", 70.09, 33.90),
        ("Miranshah", 70.07, 33.00),
        ("Wana", 69.57, 32.30),
        ("Haripur", 72.93, 33.99),
    ),
    "IESCO": (
        ("Islamabad", 73.05, 33.68),
        ("Rawalpindi", 73.07, 33.60),
        ("Attock", 72.36, 33.77),
        ("Jhelum", 73.73, 32.94),
        ("Chakwal", 72.85, 32.93),
        ("Murree", 73.39, 33.91),
        ("Talagang", 72.42, 32.93),
    ),
    "GEPCO": (
        ("Gujranwala", 74.19, 32.16),
        ("Sialkot", 74.53, 32.49),
        ("Gujrat", 74.08, 32.57),
        ("Narowal", 74.87, 32.10),
        ("Hafizabad", 73.69, 32.07),
        ("Mandi Bahauddin", 73.49, 32.58),
        ("Shakargarh", 75.16, 32.26),
    ),
    "LESCO": (
        ("Lahore", 74.34, 31.55),
        ("Kasur", 74.45, 31.12),
        ("Okara", 73.45, 30.81),
        ("Sheikhupura", 73.98, 31.71),
        ("Nankana Sahib", 73.71, 31.45),
        ("Depalpur", 73.65, 30.67),
    ),
    "FESCO": (
        ("Faisalabad", 73.08, 31.42),
        ("Jhang", 72.32, 31.27),
        ("Chiniot", 72.98, 31.72),
        ("Toba Tek Singh", 72.48, 30.97),
        ("Sargodha", 72.67, 32.08),
        ("Khushab", 72.35, 32.30),
        ("Mianwali", 71.53, 32.58),
        ("Bhakkar", 71.06, 31.63),
    ),
    "MEPCO": (
        ("Multan", 71.47, 30.20),
        ("Bahawalpur", 71.68, 29.40),
        ("Rahim Yar Khan", 70.30, 28.42),
        ("D.G. Khan", 70.64, 30.06),
        ("Rajanpur", 70.33, 29.10),
        ("Layyah", 70.94, 30.96),
        ("Muzaffargarh", 71.19, 30.07),
        ("Sahiwal", 73.10, 30.67),
        ("Pakpattan", 73.39, 30.34),
        ("Vehari", 72.35, 30.04),
        ("Bahawalnagar", 73.25, 29.99),
        ("Khanewal", 71.93, 30.30),
        ("Taunsa", 70.65, 30.70),
    ),
    "SEPCO": (
        ("Sukkur", 68.86, 27.70),
        ("Khairpur", 68.76, 27.53),
        ("Ghotki", 69.32, 28.00),
        ("Larkana", 68.21, 27.56),
        ("Jacobabad", 68.44, 28.28),
        ("Kashmore", 69.58, 28.43),
        ("Dadu", 67.78, 26.73),
        ("Shikarpur", 68.64, 27.96),
        ("Kandhkot", 69.18, 28.24),
    ),
    "QESCO": (
        ("Quetta", 66.98, 30.18),
        ("Zhob", 69.45, 31.34),
        ("Gwadar", 62.33, 25.12),
        ("Turbat", 63.05, 26.00),
        ("Sibi", 67.88, 29.54),
        ("Khuzdar", 66.61, 27.80),
        ("Dalbandin", 64.40, 28.89),
        ("Loralai", 68.60, 30.37),
        ("Dera Murad Jamali", 68.14, 28.55),
        ("Panjgur", 64.10, 26.97),
        ("Sui", 69.17, 28.64),
        ("Awaran", 65.23, 26.45),
        ("Barkhan", 69.53, 29.90),
    ),
    "HESCO": (
        ("Hyderabad", 68.37, 25.40),
        ("Thatta", 67.92, 24.75),
        ("Badin", 68.84, 24.66),
        ("Mithi", 69.80, 24.74),
        ("Mirpurkhas", 69.01, 25.53),
        ("Sanghar", 68.95, 26.05),
        ("Nawabshah", 68.41, 26.25),
        ("Jamshoro", 68.28, 25.43),
        ("Umerkot", 69.74, 25.36),
        ("Sehwan", 67.87, 26.42),
        ("Nagarparkar", 70.75, 24.35),
    ),
    "KE": (
        ("Karachi", 67.01, 24.86),
        ("Hub", 66.88, 25.05),
        ("Uthal", 66.62, 25.81),
        ("Bela", 66.31, 26.23),
    ),
}
"""District headquarters and other towns (name, lon, lat) that must fall inside each region."""

ASSET = (
    Path(__file__).resolve().parents[1] / "src/gridsurplus/data/pakistan" / FOLDER / OUTLINES_FILE
)
"""Where the drawn outlines are shipped: with the Pakistan dataset."""

NOTE = (
    "APPROXIMATE outlines of the ten gridsurplus regions of Pakistan (distribution companies' "
    "service areas and K-Electric), drawn by hand from district boundaries, a vertex every "
    "30-100 km; accuracy tens of kilometres. Not an official boundary. Azad Jammu and Kashmir "
    "and Gilgit-Baltistan are not model regions and are not drawn. Generated by "
    "scripts/build_pakistan_outlines.py; do not edit by hand."
)
CAPTION = (
    "Region outlines are approximate, drawn by hand from district boundaries.<br>"
    "Azad Jammu and Kashmir and Gilgit-Baltistan are not model regions."
)
"""What the report prints under the map."""


def _edge(name: str) -> list[Point]:
    """The vertices of an edge, backwards when ``name`` starts with ``-``."""
    if name.startswith("-"):
        return list(reversed(EDGES[name[1:]]))
    return list(EDGES[name])


def ring(region: str) -> list[Point]:
    """The closed outline of a region, clockwise, first vertex repeated at the end.

    Raises
    ------
    ValueError
        When consecutive edges do not meet.

    Examples
    --------
    >>> r = ring("KE")
    >>> r[0] == r[-1]
    True
    """
    points: list[Point] = []
    for name in RINGS[region]:
        edge = _edge(name)
        if points and points[-1] != edge[0]:
            raise ValueError(f"{region}: edge {name} starts at {edge[0]}, not at {points[-1]}")
        points += edge if not points else edge[1:]
    if points[0] != points[-1]:
        raise ValueError(f"{region}: outline does not close ({points[0]} vs {points[-1]})")
    return points


def signed_area(points: list[Point] | np.ndarray) -> float:
    """Shoelace area of a ring [square degrees]; negative when clockwise."""
    xy = np.asarray(points, dtype=float)
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def misplaced_towns() -> list[str]:
    """Towns of :data:`TOWNS` that fall outside their region or inside another one."""
    rings = {region: np.array(ring(region), dtype=float) for region in RINGS}
    wrong = []
    for region, towns in TOWNS.items():
        for name, lon, lat in towns:
            inside = [r for r, pts in rings.items() if contains(pts, lon, lat)]
            if inside != [region]:
                wrong.append(f"{name} ({region}) falls in {inside or 'no region'}")
    return wrong


def build_geojson() -> dict[str, Any]:
    """The outlines as a GeoJSON FeatureCollection (RFC 7946: counter-clockwise outer rings)."""
    features = []
    for region in RINGS:
        points = ring(region)[::-1]
        features.append(
            {
                "type": "Feature",
                "id": region,
                "properties": {"region": region, "approximate": True},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[lon, lat] for lon, lat in points]],
                },
            }
        )
    return {"type": "FeatureCollection", "note": NOTE, "caption": CAPTION, "features": features}


def write_geojson(path: str | Path = ASSET) -> Path:
    """Write :func:`build_geojson` to ``path`` (the shipped asset by default)."""
    path = Path(path)
    text = json.dumps(build_geojson(), separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover
    wrong = misplaced_towns()
    if wrong:
        raise SystemExit("towns outside their region:\n" + "\n".join(wrong))
    print(f"wrote {write_geojson()}")
