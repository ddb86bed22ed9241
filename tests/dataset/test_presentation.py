"""A dataset's presentation files: read when present, neutral when absent, every fault named."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gridsurplus.dataset import default_dataset_path, load_dataset
from gridsurplus.dataset.presentation import (
    NEUTRAL_PALETTE,
    Presentation,
    check_outlines,
    find_presentation,
    load_presentation,
    presentation_of,
)
from gridsurplus.errors import DatasetError

SQUARE = [[70.0, 30.0], [72.0, 30.0], [72.0, 32.0], [70.0, 32.0], [70.0, 30.0]]


def _write(folder: Path, outlines: object = None, groups: str | None = None) -> Path:
    (folder / "presentation").mkdir(parents=True)
    if outlines is not None:
        text = outlines if isinstance(outlines, str) else json.dumps(outlines)
        (folder / "presentation" / "region_outlines.geojson").write_text(text, encoding="utf-8")
    if groups is not None:
        (folder / "presentation" / "mix_groups.csv").write_text(groups, encoding="utf-8")
    return folder


def _feature(region: str, ring: list[list[float]], kind: str = "Polygon") -> dict:
    coordinates = [[ring]] if kind == "MultiPolygon" else [ring]
    return {"type": "Feature", "id": region, "geometry": {"type": kind, "coordinates": coordinates}}


def test_the_embedded_dataset_has_outlines_and_colours_for_all_its_regions_and_groups() -> None:
    ds = load_dataset()
    pakistan = presentation_of(ds)
    assert set(pakistan.outlines) == set(ds.regions.index)
    assert set(pakistan.group_order) == set(ds.fuels["mix_group"])
    assert pakistan.group_order[:2] == ("nuclear", "hydel")  # must-run at the bottom
    assert pakistan.caption.startswith("Region outlines are approximate")


def test_a_dataset_without_presentation_files_is_neutral(tmp_path: Path) -> None:
    for look in (load_presentation(tmp_path), load_presentation(None), Presentation()):
        assert len(look.outlines) == 0 and look.caption == ""
        assert look.stack(["gas", "coal", "hydro"]) == ["gas", "coal", "hydro"]
        assert look.colors(["gas", "coal"]) == {
            "gas": NEUTRAL_PALETTE[0],
            "coal": NEUTRAL_PALETTE[1],
        }
        assert look.label("coal_local") == "Coal local"


def test_listed_groups_stack_first_in_their_order_and_keep_their_colours(tmp_path: Path) -> None:
    groups = "mix_group,label,color\nnuclear,Nuclear,#7b4fa0\nhydel,Hydel,#2f7ebc\n"
    look = load_presentation(_write(tmp_path, groups=groups))
    assert look.stack(["peaker", "hydel", "solar", "nuclear"]) == [
        "nuclear",
        "hydel",
        "peaker",
        "solar",
    ]
    assert look.colors(["peaker", "hydel", "solar"]) == {
        "peaker": NEUTRAL_PALETTE[0],
        "hydel": "#2f7ebc",
        "solar": NEUTRAL_PALETTE[1],
    }
    assert look.label("hydel") == "Hydel" and look.label("peaker") == "Peaker"
    assert len(look.outlines) == 0


def test_outlines_read_polygons_and_multipolygons_and_close_rings(tmp_path: Path) -> None:
    open_ring = SQUARE[:-1]
    outlines = {
        "type": "FeatureCollection",
        "caption": "drawn by hand",
        "features": [
            _feature("A", open_ring),
            {**_feature("B", SQUARE, "MultiPolygon"), "id": None, "properties": {"region": "B"}},
        ],
    }
    look = load_presentation(_write(tmp_path, outlines=outlines))
    assert look.caption == "drawn by hand"
    assert sorted(look.outlines) == ["A", "B"]
    assert np.array_equal(look.outlines["A"][0], np.array(SQUARE))  # closed on reading
    assert np.array_equal(look.outlines["B"][0], np.array(SQUARE))


def test_every_fault_in_the_presentation_files_is_named(tmp_path: Path) -> None:
    outlines = {
        "type": "FeatureCollection",
        "features": [
            _feature("A", SQUARE),
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [SQUARE]}},
            _feature("C", SQUARE[:2]),
            {**_feature("D", SQUARE), "geometry": {"type": "Point", "coordinates": [70, 30]}},
        ],
    }
    groups = "mix_group,label,color\nhydel,Hydel,blue\nhydel,Hydel again,#2f7ebc\n,None,#000\n"
    with pytest.raises(DatasetError) as caught:
        load_presentation(_write(tmp_path, outlines=outlines, groups=groups))
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        "presentation/region_outlines.geojson: feature 2: no region id (give the feature an 'id' "
        "or 'properties.region'); expected an id and a Polygon or MultiPolygon",
        "presentation/region_outlines.geojson: feature 3: region C: a ring needs at least 4 "
        "finite points; expected an id and a Polygon or MultiPolygon",
        "presentation/region_outlines.geojson: feature 4: region D: geometry type 'Point'; "
        "expected an id and a Polygon or MultiPolygon",
        "presentation/mix_groups.csv, row 1 (line 2), 'hydel', column 'color': expected a hex "
        "colour such as #2f7ebc, got 'blue'",
        "presentation/mix_groups.csv, row 2 (line 3), column 'mix_group': mix_group repeats an "
        "earlier row",
        "presentation/mix_groups.csv, row 3 (line 4), column 'mix_group': mix_group is empty",
    ]


@pytest.mark.parametrize(
    ("outlines", "groups", "message"),
    [
        ("{not json", None, "region_outlines.geojson: cannot be read as JSON"),
        ({"type": "Feature"}, None, "expected a GeoJSON FeatureCollection with 'features'"),
        (None, "mix_group,colour\nhydel,#fff\n", "missing column(s) label, color; expected"),
    ],
)
def test_an_unreadable_presentation_file_is_named(
    tmp_path: Path, outlines: object, groups: str | None, message: str
) -> None:
    with pytest.raises(DatasetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_presentation(_write(tmp_path, outlines=outlines, groups=groups))


def test_check_outlines_names_unknown_regions_and_misplaced_coordinates(tmp_path: Path) -> None:
    outlines = {
        "type": "FeatureCollection",
        "features": [_feature("A", SQUARE), _feature("Z", SQUARE)],
    }
    look = load_presentation(_write(tmp_path, outlines=outlines))
    regions = pd.DataFrame(
        {"region": ["A", "B"], "lat": [35.0, 31.0], "lon": [71.0, 71.0]}
    )  # A's coordinates lie outside its square; B has no outline (allowed)
    assert [str(p) for p in check_outlines(look, regions)] == [
        "presentation/region_outlines.geojson: outline of 'Z', which regions.csv does not list",
        "presentation/region_outlines.geojson: the outline of 'A' does not hold its coordinates "
        "(35 N, 71 E in regions.csv)",
    ]
    assert check_outlines(Presentation(), regions) == []


def test_find_presentation_by_folder_or_embedded_name(tmp_path: Path) -> None:
    folder = _write(tmp_path, groups="mix_group,label,color\nx,X,#123456\n")
    assert find_presentation("Pakistan", folder).group_order == ("x",)  # the folder wins
    assert len(find_presentation("Pakistan", tmp_path / "gone").outlines) == 10
    assert (
        find_presentation("Pakistan").group_order
        == load_presentation(default_dataset_path()).group_order
    )
    assert find_presentation("Somewhere else") == Presentation()
    assert find_presentation(None) == Presentation()


def test_validate_and_plan_refuse_an_outline_of_an_unknown_region(tmp_path) -> None:
    import shutil

    from typer.testing import CliRunner

    from gridsurplus.cli import app

    folder = tmp_path / "pk"
    shutil.copytree(default_dataset_path(), folder)
    path = folder / "presentation" / "region_outlines.geojson"
    geo = json.loads(path.read_text(encoding="utf-8"))
    geo["features"][0]["id"] = geo["features"][0]["properties"]["region"] = "LESCOO"
    path.write_text(json.dumps(geo), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["dataset", "validate", str(folder)])
    assert result.exit_code == 2
    assert "outline of 'LESCOO', which regions.csv does not list" in result.output
    out = tmp_path / "plan"
    result = runner.invoke(app, ["plan", "--dataset", str(folder), "--out", str(out), "-q"])
    assert result.exit_code == 2 and "LESCOO" in result.output
    assert not out.exists()
