"""How a dataset asks to be drawn: its region outlines and the colours of its generation groups.

Nothing here changes a result; it only tells the report how to draw one. A dataset may carry,
in a ``presentation/`` folder beside its tables, two optional files:

``region_outlines.geojson``
    A GeoJSON FeatureCollection of Polygons or MultiPolygons in lon/lat [degrees], one feature
    per region, the feature's ``id`` (or ``properties.region``) the region id. An optional
    top-level ``"caption"`` is printed under the map (for example that the outlines are
    approximate). Holes are ignored.
``mix_groups.csv``
    Columns ``mix_group``, ``label``, ``color`` (a CSS hex colour such as ``#2f7ebc``), one row
    per generation group of ``fuels.mix_group``, in bottom-to-top order of a generation stack.

A dataset without them is drawn with a neutral palette (:data:`NEUTRAL_PALETTE`, in the order the
groups appear) and its regions placed schematically at their coordinates.

Examples
--------
>>> from gridsurplus.dataset import default_dataset_path
>>> pakistan = load_presentation(default_dataset_path())
>>> sorted(pakistan.outlines)[:3]
['FESCO', 'GEPCO', 'HESCO']
>>> pakistan.label("rlng"), pakistan.colors(["hydel"])
('RLNG', {'hydel': '#2f7ebc'})
>>> neutral = Presentation()
>>> len(neutral.outlines), neutral.label("gas_local")
(0, 'Gas local')
>>> neutral.colors(["gas", "coal"]) == {"gas": NEUTRAL_PALETTE[0], "coal": NEUTRAL_PALETTE[1]}
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from gridsurplus.errors import DatasetError, Problem

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from gridsurplus.dataset.io import Dataset

FOLDER = "presentation"
"""The folder of a dataset that holds its presentation files."""
OUTLINES_FILE = "region_outlines.geojson"
MIX_GROUPS_FILE = "mix_groups.csv"
MIX_GROUP_COLUMNS = ("mix_group", "label", "color")

NEUTRAL_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#76b7b2",
    "#edc948",
    "#9c755f",
    "#e15759",
    "#b07aa1",
    "#ff9da7",
    "#bab0ac",
)
"""Colours of groups a dataset gives none for, in the order the groups come (Tableau 10)."""

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


@dataclass(frozen=True)
class Presentation:
    """How to draw a dataset's regions and generation groups (neutral when empty).

    Attributes
    ----------
    outlines : Mapping of str to tuple of numpy.ndarray
        Per region, one closed ``[n x 2]`` ring of (lon, lat) [degrees] per polygon.
    caption : str
        What to say under the map about the outlines ("" when there is nothing to say).
    group_labels, group_colors : Mapping of str to str
        Label and CSS colour of each listed generation group.
    group_order : tuple of str
        The listed groups, bottom to top of a generation stack.
    """

    outlines: Mapping[str, tuple[np.ndarray, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    caption: str = ""
    group_labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    group_colors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    group_order: tuple[str, ...] = ()

    def label(self, group: str) -> str:
        """The listed label of a group, else its id in words (``coal_local`` -> ``Coal local``)."""
        return self.group_labels.get(group) or group.replace("_", " ").capitalize()

    def stack(self, groups: Iterable[str]) -> list[str]:
        """Groups bottom to top: listed groups in the listed order, then the others as given."""
        rank = {g: i for i, g in enumerate(self.group_order)}
        groups = list(groups)
        return sorted(groups, key=lambda g: (rank.get(g, len(rank)), groups.index(g)))

    def colors(self, groups: Sequence[str]) -> dict[str, str]:
        """Colour of each group: its listed colour, else the neutral palette in order of ``groups``.

        Call it with every group a figure may draw, so the same group keeps its colour in every
        chart built from the same list.
        """
        out: dict[str, str] = {}
        unlisted = 0
        for group in groups:
            if group in self.group_colors:
                out[group] = self.group_colors[group]
            elif group not in out:
                out[group] = NEUTRAL_PALETTE[unlisted % len(NEUTRAL_PALETTE)]
                unlisted += 1
        return out


def load_presentation(folder: str | Path | None) -> Presentation:
    """Read the presentation files of a dataset folder (neutral for what is absent).

    Parameters
    ----------
    folder : str or pathlib.Path or None
        The dataset folder (the one holding ``dataset.yaml``); ``None`` for a neutral look.

    Returns
    -------
    Presentation
        Outlines, caption and group styles found in ``folder/presentation/``.

    Raises
    ------
    DatasetError
        When a presentation file exists but is malformed: every problem, with file, row and
        column.
    """
    if folder is None:
        return Presentation()
    base = Path(folder) / FOLDER
    problems: list[Problem] = []
    outlines: dict[str, tuple[np.ndarray, ...]] = {}
    caption = ""
    if (base / OUTLINES_FILE).is_file():
        outlines, caption, found = read_outlines(base / OUTLINES_FILE)
        problems += found
    labels: dict[str, str] = {}
    colors: dict[str, str] = {}
    if (base / MIX_GROUPS_FILE).is_file():
        labels, colors, found = read_mix_groups(base / MIX_GROUPS_FILE)
        problems += found
    if problems:
        raise DatasetError(problems, str(folder))
    return Presentation(
        outlines=MappingProxyType(outlines),
        caption=caption,
        group_labels=MappingProxyType(labels),
        group_colors=MappingProxyType(colors),
        group_order=tuple(labels),
    )


def presentation_of(ds: Dataset) -> Presentation:
    """The presentation of a loaded dataset, read from its folder (neutral when it has none).

    Call it right after loading the dataset, so a malformed presentation file is reported
    before any solve: the files' own problems, and outlines that do not match the regions
    (:func:`check_outlines`), all at once.

    Raises
    ------
    DatasetError
        Every problem of the presentation files, with file, row and column.
    """
    presentation = load_presentation(ds.path)
    regions = ds.tables.get("regions")
    problems = [] if regions is None else check_outlines(presentation, regions)
    if problems:
        raise DatasetError(problems, str(ds.path))
    return presentation


def find_presentation(name: str | None = None, folder: str | Path | None = None) -> Presentation:
    """The presentation of a dataset known by its folder or, for the embedded one, its name.

    Parameters
    ----------
    name : str, optional
        The dataset's name (``dataset.yaml``'s ``name``), as a plan records it.
    folder : str or pathlib.Path, optional
        The dataset's folder, when known; used when it still exists.

    Returns
    -------
    Presentation
        From ``folder`` when it exists; else the embedded dataset's when ``name`` is its name;
        else neutral.

    Examples
    --------
    >>> len(find_presentation("Pakistan").outlines), len(find_presentation("Elsewhere").outlines)
    (10, 0)
    """
    import yaml

    from gridsurplus.dataset.io import default_dataset_path

    if folder is not None and Path(folder).is_dir():
        return load_presentation(folder)
    embedded = default_dataset_path()
    meta = yaml.safe_load((embedded / "dataset.yaml").read_text(encoding="utf-8"))
    if name is not None and name == meta.get("name"):
        return load_presentation(embedded)
    return Presentation()


def read_outlines(
    path: Path,
) -> tuple[dict[str, tuple[np.ndarray, ...]], str, list[Problem]]:
    """Outer rings of each feature of a GeoJSON file, its caption, and what is wrong with it."""
    name = f"{FOLDER}/{path.name}"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, "", [Problem(name, f"cannot be read as JSON: {exc}")]
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        return {}, "", [Problem(name, "expected a GeoJSON FeatureCollection with 'features'")]
    outlines: dict[str, list[np.ndarray]] = {}
    problems = []
    for i, feature in enumerate(data["features"], start=1):
        try:
            region, rings = _feature_rings(feature)
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(
                Problem(name, f"feature {i}: {exc}; expected an id and a Polygon or MultiPolygon")
            )
            continue
        outlines.setdefault(region, []).extend(rings)
    caption = str(data.get("caption", ""))
    return {r: tuple(rings) for r, rings in outlines.items()}, caption, problems


def _feature_rings(feature: dict[str, Any]) -> tuple[str, list[np.ndarray]]:
    region = feature.get("id") or feature.get("properties", {}).get("region")
    if not region:
        raise ValueError("no region id (give the feature an 'id' or 'properties.region')")
    geometry = feature["geometry"]
    kind = geometry["type"]
    if kind not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"region {region}: geometry type {kind!r}")
    polygons = [geometry["coordinates"]] if kind == "Polygon" else geometry["coordinates"]
    rings = []
    for polygon in polygons:
        ring = np.array([(float(x), float(y)) for x, y, *_ in polygon[0]], dtype=float)
        if len(ring) < 4 or not np.isfinite(ring).all():
            raise ValueError(f"region {region}: a ring needs at least 4 finite points")
        if not (ring[0] == ring[-1]).all():
            ring = np.vstack([ring, ring[:1]])
        rings.append(ring)
    return str(region), rings


def read_mix_groups(path: Path) -> tuple[dict[str, str], dict[str, str], list[Problem]]:
    """Labels and colours of ``mix_groups.csv`` in stack order, and what is wrong with it."""
    import pandas as pd

    name = f"{FOLDER}/{path.name}"
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        return {}, {}, [Problem(name, f"cannot be read as CSV: {exc}")]
    missing = [c for c in MIX_GROUP_COLUMNS if c not in table.columns]
    if missing:
        expected = ", ".join(MIX_GROUP_COLUMNS)
        return (
            {},
            {},
            [Problem(name, f"missing column(s) {', '.join(missing)}; expected {expected}")],
        )
    labels: dict[str, str] = {}
    colors: dict[str, str] = {}
    problems = []
    for row, (group, label, color) in enumerate(
        table[list(MIX_GROUP_COLUMNS)].itertuples(index=False), start=1
    ):
        group, color = str(group).strip(), str(color).strip()
        if not group or group in labels:
            why = "is empty" if not group else "repeats an earlier row"
            problems.append(Problem(name, f"mix_group {why}", row=row, column="mix_group"))
            continue
        if not _HEX.match(color):
            problems.append(
                Problem(
                    name,
                    f"expected a hex colour such as #2f7ebc, got '{color}'",
                    row=row,
                    column="color",
                    key=group,
                )
            )
        labels[group] = str(label).strip()
        colors[group] = color
    return labels, colors, problems


def contains(ring: np.ndarray, lon: float, lat: float) -> bool:
    """Whether a point lies inside a closed ring (even-odd rule).

    Examples
    --------
    >>> square = np.array([[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]], dtype=float)
    >>> contains(square, 1.0, 1.0), contains(square, 3.0, 1.0)
    (True, False)
    """
    x0, y0, x1, y1 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
    straddles = (y0 > lat) != (y1 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_cross = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
    return bool(np.count_nonzero(straddles & (lon < x_cross)) % 2)


def check_outlines(presentation: Presentation, regions: pd.DataFrame) -> list[Problem]:
    """Outlines that name no region, and regions whose coordinates fall outside their outline.

    Parameters
    ----------
    presentation : Presentation
        With the outlines to check (none: nothing to check).
    regions : pandas.DataFrame
        The dataset's regions table: ``region``, ``lat``, ``lon`` [degrees].

    Returns
    -------
    list of Problem
        Empty when every outline names a region and holds its coordinates. A region without an
        outline is no problem: the report then draws the regions schematically.
    """
    if not presentation.outlines:
        return []
    name = f"{FOLDER}/{OUTLINES_FILE}"
    known = set(regions["region"].astype(str))
    problems = [
        Problem(name, f"outline of '{region}', which regions.csv does not list")
        for region in presentation.outlines
        if region not in known
    ]
    for row in regions.itertuples(index=False):
        rings = presentation.outlines.get(str(row.region), ())
        lon, lat = float(row.lon), float(row.lat)
        if rings and not any(contains(r, lon, lat) for r in rings):
            problems.append(
                Problem(
                    name,
                    f"the outline of '{row.region}' does not hold its coordinates "
                    f"({lat:g} N, {lon:g} E in regions.csv)",
                )
            )
    return problems


__all__ = [
    "FOLDER",
    "MIX_GROUPS_FILE",
    "NEUTRAL_PALETTE",
    "OUTLINES_FILE",
    "Presentation",
    "check_outlines",
    "contains",
    "find_presentation",
    "load_presentation",
    "presentation_of",
    "read_mix_groups",
    "read_outlines",
]
