"""Bad input gets errors that name the file, row, column and what is expected."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from gridsurplus.cli import app
from gridsurplus.dataset import load_dataset
from gridsurplus.errors import DatasetError


def _edit(folder: Path, table: str, fn) -> None:  # type: ignore[no-untyped-def]
    """Apply ``fn`` to a table; ``fn`` edits in place or returns the new frame."""
    path = folder / f"{table}.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    new = fn(df)
    (df if new is None else new).to_csv(path, index=False)


def _problems(folder: Path) -> list[str]:
    with pytest.raises(DatasetError) as info:
        load_dataset(folder)
    return [str(p) for p in info.value.problems]


def test_embedded_and_toy_datasets_are_valid(toy_dataset: Path) -> None:
    assert load_dataset().name == "Pakistan"
    assert load_dataset(toy_dataset).name == "Toy"


def test_missing_column_names_file_and_column(toy_dataset: Path) -> None:
    _edit(toy_dataset, "plants", lambda df: df.drop(columns=["capacity_mw"]))
    (msg,) = _problems(toy_dataset)
    assert msg.startswith("plants.csv")
    assert "column 'capacity_mw'" in msg and "required column is missing" in msg


def test_non_numeric_and_negative_capacity_reported_together(toy_dataset: Path) -> None:
    def bad(df: pd.DataFrame) -> None:
        df.loc[1, "capacity_mw"] = "lots"
        df.loc[3, "capacity_mw"] = "-5"

    _edit(toy_dataset, "plants", bad)
    msgs = _problems(toy_dataset)
    assert len(msgs) == 2
    assert msgs[0] == (
        "plants.csv, row 2 (line 3), 'N-GAS', column 'capacity_mw': "
        "expected a number between 0 and 50000 [MW], got 'lots'"
    )
    assert msgs[1] == (
        "plants.csv, row 4 (line 5), 'S-WIND', column 'capacity_mw': "
        "expected a number between 0 and 50000 [MW], got '-5'"
    )


def test_link_to_unknown_region(toy_dataset: Path) -> None:
    _edit(toy_dataset, "links", lambda df: df.__setitem__("to_region", ["NORTH", "ATLANTIS"]))
    (msg,) = _problems(toy_dataset)
    assert msg.startswith(
        "links.csv, row 2 (line 3), 'S-P', column 'to_region': unknown region 'ATLANTIS'"
    )
    assert "NORTH, PORT, SOUTH" in msg


def test_duplicated_id(toy_dataset: Path) -> None:
    _edit(toy_dataset, "plants", lambda df: df.__setitem__("plant", ["A", "B", "A", "C", "D"]))
    (msg,) = _problems(toy_dataset)
    assert msg.startswith(
        "plants.csv, row 3 (line 4), 'A', column 'plant': duplicated plant 'A' (first seen in row 1)"
    )


def test_availability_above_one(toy_dataset: Path) -> None:
    _edit(toy_dataset, "fuels", lambda df: df.__setitem__("availability", ["1", "1.2", "0.9", "1"]))
    (msg,) = _problems(toy_dataset)
    assert (
        msg
        == "fuels.csv, row 2 (line 3), 'coal', column 'availability': expected a number between 0 and 1 [fraction], got '1.2'"
    )


def test_exchange_rate_missing(toy_dataset: Path) -> None:
    meta = yaml.safe_load((toy_dataset / "dataset.yaml").read_text())
    del meta["exchange_rate"]
    (toy_dataset / "dataset.yaml").write_text(yaml.safe_dump(meta))
    (msg,) = _problems(toy_dataset)
    assert msg.startswith(
        "dataset.yaml, column 'exchange_rate': exchange_rate is missing: add `exchange_rate: 281`"
    )


def test_monthly_demand_not_covering_the_year(toy_dataset: Path) -> None:
    _edit(toy_dataset, "demand_monthly", lambda df: df.drop(index=[2, 3]))
    (msg,) = _problems(toy_dataset)
    assert "does not cover the reference year: months ['2024-09', '2024-10'] are missing" in msg


def test_hourly_demand_with_gap_and_outside_hours(toy_dataset: Path) -> None:
    (toy_dataset / "demand_monthly.csv").unlink()
    (toy_dataset / "load_shape.csv").unlink()
    hours = pd.date_range("2024-07-01", "2025-06-30 23:00", freq="h")
    df = pd.DataFrame(
        {
            "timestamp": hours.strftime("%Y-%m-%dT%H:%M"),
            "NORTH": 600.0,
            "SOUTH": 300.0,
            "PORT": 100.0,
        }
    )
    df = df.drop(index=range(100, 106))  # a six-hour gap
    df.loc[len(df) + 10] = ["2026-01-01T00:00", 1.0, 1.0, 1.0]
    df.to_csv(toy_dataset / "demand_hourly.csv", index=False)
    msgs = _problems(toy_dataset)
    assert any(
        "6 hours are missing (2024-07-05 04:00:00 to 2024-07-05 09:00:00)" in m for m in msgs
    )
    assert any("1 timestamps fall outside the reference year" in m for m in msgs)


def test_valid_hourly_demand_is_used(toy_dataset: Path) -> None:
    (toy_dataset / "demand_monthly.csv").unlink()
    (toy_dataset / "load_shape.csv").unlink()
    hours = pd.date_range("2024-07-01", "2025-06-30 23:00", freq="h")
    pd.DataFrame(
        {
            "timestamp": hours.strftime("%Y-%m-%dT%H:%M"),
            "NORTH": 600.0,
            "SOUTH": 300.0,
            "PORT": 100.0,
        }
    ).to_csv(toy_dataset / "demand_hourly.csv", index=False)
    ds = load_dataset(toy_dataset)
    assert ds.demand_hourly is not None
    assert float(ds.demand_hourly.to_numpy().sum()) == pytest.approx(1000.0 * 8760)


def test_many_problems_across_files_in_one_run(toy_dataset: Path) -> None:
    _edit(
        toy_dataset,
        "plants",
        lambda df: df.__setitem__("fuel", ["hydro", "unobtainium", "coal", "wind", "gas"]),
    )
    _edit(toy_dataset, "regions", lambda df: df.__setitem__("lat", ["33.7", "95", "24.9"]))
    msgs = _problems(toy_dataset)
    assert any(
        m.startswith("plants.csv, row 2") and "unknown fuel 'unobtainium'" in m for m in msgs
    )
    assert any(m.startswith("regions.csv, row 2") and "between -90 and 90" in m for m in msgs)


def test_cli_validate_reports_and_writes_nothing(toy_dataset: Path, tmp_path: Path) -> None:
    _edit(
        toy_dataset,
        "plants",
        lambda df: df.__setitem__("capacity_mw", ["400", "x", "700", "200", "150"]),
    )
    runner = CliRunner()
    result = runner.invoke(app, ["dataset", "validate", str(toy_dataset)])
    assert result.exit_code == 2
    assert "plants.csv, row 2 (line 3), 'N-GAS', column 'capacity_mw'" in result.output
    out = tmp_path / "out"
    result = runner.invoke(app, ["surplus", "--dataset", str(toy_dataset), "--out", str(out), "-q"])
    assert result.exit_code == 2
    assert not out.exists()
    assert "Traceback" not in result.output


def test_cli_validate_ok(toy_dataset: Path) -> None:
    result = CliRunner().invoke(app, ["dataset", "validate", str(toy_dataset)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: Toy")


def test_schema_docs_cover_every_column() -> None:
    from gridsurplus.dataset.schema import META, TABLES, schema_markdown

    text = schema_markdown()
    for col in META.columns:
        assert f"| `{col.name}` | {col.dtype} |" in text
    for table in TABLES.values():
        assert f"## {table.name}" in text
        for col in table.columns:
            assert f"`{col.name}`" in text
