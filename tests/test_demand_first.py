"""Demand first as a guarantee: compute never adds to the demand the grid sheds.

The toy grid is islanded (every link at 0 MW) and Port's gas plant cut to 100 MW, so Port sheds
demand at its evening peaks even without compute. The plan must leave no more demand unserved
than the base dispatch in any region and hour, run no compute where demand is shed, hold back
Port's AI site (its uptime cannot be met without shedding) and say so.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from gridsurplus.cli import app
from gridsurplus.dataset import default_dataset_path, load_dataset
from gridsurplus.planning import PlanOptions, run_plan
from gridsurplus.planning.tables import make_plan
from gridsurplus.results import check_tables

JULY = slice("2024-07-01", "2024-07-31 23:00")


def islanded_toy(folder):
    """The toy with compute, every link at 0 MW and Port short of plant."""
    from toy_dataset_files import write_toy_dataset

    folder = write_toy_dataset(folder)
    for name in ("compute_techs.csv", "markets.csv"):
        shutil.copy(default_dataset_path() / name, folder / name)
    links = pd.read_csv(folder / "links.csv")
    links["capacity_mw"] = 0.0
    links.to_csv(folder / "links.csv", index=False)
    plants = pd.read_csv(folder / "plants.csv")
    plants.loc[plants["plant"] == "P-GAS", "capacity_mw"] = 100.0
    plants.to_csv(folder / "plants.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def island(tmp_path_factory):
    return islanded_toy(tmp_path_factory.mktemp("island") / "toy")


@pytest.fixture(scope="module", params=["decomposed", "monolithic"])
def island_run(request, island):
    ds = load_dataset(island)
    run = run_plan(ds, PlanOptions(workers=1, method=request.param, sensitivity="off", window=JULY))
    return run, make_plan(run)


def test_the_base_itself_sheds_demand_in_port(island_run) -> None:
    run, plan = island_run
    shed = (run.base.unserved > 1e-6).sum()
    assert shed["PORT"] > 0
    assert shed["NORTH"] == 0 and shed["SOUTH"] == 0
    assert plan.headline["base_unserved_gwh"] == pytest.approx(
        run.base.unserved.to_numpy().sum() / 1000.0
    )
    assert [r["region"] for r in plan.headline["base_shedding"]] == ["PORT"]
    assert plan.headline["base_shedding"][0]["hours"] == int(shed["PORT"])


def test_no_lens_sheds_more_than_the_base_in_any_region_and_hour(island_run) -> None:
    run, _ = island_run
    for lens in run.lenses.values():
        excess = lens.solution.unserved - run.base.unserved
        assert float(excess.to_numpy().max()) <= 1e-6, lens.name


def test_no_compute_runs_where_demand_is_shed(island_run) -> None:
    run, _ = island_run
    sites = run.inputs.compute.sites
    shed = run.base.unserved > 1e-6
    for lens in run.lenses.values():
        by_region = (
            lens.solution.consume.T.groupby(sites["region"])
            .sum()
            .T.reindex(columns=shed.columns, fill_value=0.0)
        )
        assert float(by_region.where(shed, 0.0).to_numpy().max()) <= 1e-6, lens.name


def test_an_ai_site_whose_uptime_would_shed_demand_is_not_built_and_named(island_run) -> None:
    run, plan = island_run
    assert run.optimum.build["ai_h100_t3@PORT"] <= 1e-6
    assert run.optimum.build["ai_h100_t3@NORTH"] > 1  # the others still are
    held = {s["site"]: s for s in plan.headline["sites_held_back"]}
    assert set(held) == {"ai_h100_t3@PORT"}
    port = held["ai_h100_t3@PORT"]
    assert port["region"] == "PORT" and port["mw_built"] == 0.0
    assert port["hours_shed"] == int((run.base.unserved["PORT"] > 1e-6).sum())
    assert "not built" in port["why"]


def test_dispatch_region_carries_the_plan_and_base_unserved(island_run) -> None:
    run, plan = island_run
    assert check_tables(plan) == ["table sensitivity"]  # sensitivity is off here
    d = plan.tables["dispatch_region"].set_index(["time", "region"])
    port = d.xs("PORT", level="region")
    np.testing.assert_allclose(
        port["base_unserved_mw"].to_numpy(), run.base.unserved["PORT"].round(3).to_numpy()
    )
    assert (d["unserved_mw"] <= d["base_unserved_mw"] + 1e-3).all()


def test_the_summary_does_not_claim_demand_is_served(island_run) -> None:
    from gridsurplus.cli.plan import summary_text
    from gridsurplus.report.html import demand_first_sentence

    _, plan = island_run
    text = summary_text(plan.headline)
    assert "served exactly" not in text
    assert "sheds" in text and "PORT" in text
    assert "held back: ai_h100_t3@PORT" in text
    sentence = demand_first_sentence(plan.headline)
    assert "served first" not in sentence
    assert "held back" in sentence and "ai_h100_t3@PORT (PORT" in sentence


def test_the_surplus_command_warns_where_the_grid_sheds_and_keeps_going(island, tmp_path) -> None:
    result = CliRunner().invoke(
        app, ["surplus", "--dataset", str(island), "--out", str(tmp_path / "s"), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "warning: the grid cannot serve all its demand" in err
    assert "PORT:" in err and "worst" in err and "GWh" in err
    assert "NORTH:" not in err
    assert (tmp_path / "s" / "surplus.json").exists()
