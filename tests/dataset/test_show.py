from __future__ import annotations

import json

from typer.testing import CliRunner

from gridsurplus.cli import app
from gridsurplus.dataset import load_dataset
from gridsurplus.dataset.summary import summarise


def test_pakistan_summary_matches_the_plant_list() -> None:
    s = summarise(load_dataset())
    assert [r["region"] for r in s["regions"]] == [
        "PESCO",
        "IESCO",
        "GEPCO",
        "LESCO",
        "FESCO",
        "MEPCO",
        "SEPCO",
        "QESCO",
        "HESCO",
        "KE",
    ]
    # merit-pool capacity of the shared plant list (SOURCES.md: about 38.7 GW)
    assert round(s["generating_capacity_mw"]) == 38708
    assert s["capacity_mw_by_fuel"]["nuclear"] == 3530.0
    assert s["annual_demand_gwh"] == 127158.0  # the monthly series of FY2024-25
    hvdc = next(link for link in s["links"] if link["link"] == "HVDC-MATIARI-LAHORE")
    assert (hvdc["from"], hvdc["to"], hvdc["capacity_mw"]) == ("HESCO", "LESCO", 2200.0)
    assert sum(r["demand_share"] for r in s["regions"]) == 1.0


def test_cli_show_text_and_json() -> None:
    runner = CliRunner()
    text = runner.invoke(app, ["dataset", "show"])
    assert text.exit_code == 0
    assert "Generating capacity (merit pool): 38,708 MW" in text.output
    as_json = runner.invoke(app, ["dataset", "show", "--json"])
    assert json.loads(as_json.output)["name"] == "Pakistan"


def test_every_plant_and_fuel_row_carries_a_source() -> None:
    ds = load_dataset()
    for name in (
        "plants",
        "fuels",
        "regions",
        "links",
        "demand_monthly",
        "energy_budgets",
        "monthly_factors",
        "climate",
        "load_shape",
        "reference_mix",
    ):
        table = ds.tables[name]
        assert (table["source"].str.strip() != "").all(), name
