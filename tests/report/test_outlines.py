"""Pakistan's approximate region outlines: shipped with the dataset as the script builds them,
closed, tiling, towns in their regions; and the map's plotting helpers."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from gridsurplus.dataset import default_dataset_path
from gridsurplus.dataset.presentation import check_outlines, load_presentation
from gridsurplus.report.geometry import label_point, lat_scale, polygon_path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_pakistan_outlines.py"
SHIPPED = default_dataset_path() / "presentation" / "region_outlines.geojson"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_pakistan_outlines", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build_regions = _load_script()


def test_shipped_outlines_are_what_the_build_script_writes() -> None:
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert shipped == build_regions.build_geojson()
    assert build_regions.ASSET.parts[-5:] == SHIPPED.parts[-5:]  # same file, installed or not
    assert "APPROXIMATE" in shipped["note"]
    assert shipped["caption"].startswith("Region outlines are approximate")


def test_every_model_region_has_an_outline_holding_its_centre() -> None:
    regions = pd.read_csv(default_dataset_path() / "regions.csv")
    pakistan = load_presentation(default_dataset_path())
    assert set(pakistan.outlines) == set(regions["region"])
    assert check_outlines(pakistan, regions) == []


def test_district_towns_fall_in_their_own_region_only() -> None:
    assert build_regions.misplaced_towns() == []
    assert sum(len(t) for t in build_regions.TOWNS.values()) > 80


def test_shared_edges_are_walked_once_each_way_so_regions_tile() -> None:
    uses = Counter(name.lstrip("-") for ring in build_regions.RINGS.values() for name in ring)
    for edge, count in uses.items():
        expected = 1 if edge.endswith("|outside") else 2
        assert count == expected, edge
    assert set(uses) == set(build_regions.EDGES)
    for region, ring in build_regions.RINGS.items():
        forward = [n for n in ring if not n.startswith("-")]
        backward = [n.lstrip("-") for n in ring if n.startswith("-")]
        # an edge "A|B" is walked forwards by A and backwards by B
        assert all(n.split("|")[0] == region for n in forward), region
        assert all(n.split("|")[1] == region for n in backward), region


def test_rings_are_closed_and_geojson_is_counter_clockwise() -> None:
    total = 0.0
    for region in build_regions.RINGS:
        ring = build_regions.ring(region)
        assert ring[0] == ring[-1]
        assert build_regions.signed_area(ring) < 0  # drawn clockwise
        total += -build_regions.signed_area(ring)
    for feature in build_regions.build_geojson()["features"]:
        assert build_regions.signed_area(feature["geometry"]["coordinates"][0]) > 0  # RFC 7946
    # Pakistan without AJK and Gilgit-Baltistan is about 796,000 km2
    km2 = total * 111.2 * 111.2 * np.cos(np.radians(30.0))
    assert km2 == pytest.approx(796_000, rel=0.05)


def test_a_broken_ring_names_the_edge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_regions, "RINGS", {"KE": ("KE|outside", "-HESCO|KE")})
    with pytest.raises(ValueError, match=re.escape("edge -HESCO|KE starts at")):
        build_regions.ring("KE")


def test_plotting_helpers() -> None:
    rings = [np.array([[0.0, 0.0], [0.0, 2.0], [2.0, 2.0], [2.0, 0.0], [0.0, 0.0]])]
    assert label_point(rings) == pytest.approx((1.0, 1.0))
    lon, lat = polygon_path(rings * 2)
    assert lon.count(None) == 1 and len(lon) == 11 and len(lat) == 11
    assert lat_scale(0.0) == pytest.approx(1.0)
    assert lat_scale(60.0) == pytest.approx(2.0)
