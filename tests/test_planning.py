"""The plan: physics re-derived from its solution, its two lenses, and the command."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from gridsurplus.cli import app
from gridsurplus.dataset import load_dataset
from gridsurplus.planning import PlanOptions, run_plan
from gridsurplus.planning.tables import make_plan
from gridsurplus.results import Plan, check_tables

REQUIRED = {
    "objective_usd",
    "sited_mw_by_region_and_tech",
    "compute_energy_gwh",
    "grid_revenue_usd",
    "capacity_payment_recovered_usd",
    "btc_mined_per_year",
    "solve_seconds",
    "build_seconds",
    "method",
    "iterations",
}


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory):
    from toy_dataset_files import write_toy_dataset

    folder = write_toy_dataset(tmp_path_factory.mktemp("toy") / "toy")
    from gridsurplus.dataset import default_dataset_path

    for name in ("compute_techs.csv", "markets.csv"):
        (folder / name).write_text((default_dataset_path() / name).read_text())
    fuels = pd.read_csv(folder / "fuels.csv")
    fuels["import_share"] = (fuels["fuel"] == "gas").astype(float)  # gas imported, coal not
    fuels.to_csv(folder / "fuels.csv", index=False)
    ds = load_dataset(folder)
    run = run_plan(ds, PlanOptions(workers=1))
    return run, make_plan(run)


def test_plan_has_every_table_and_figure(toy_run) -> None:
    _, plan = toy_run
    assert set(plan.headline) >= REQUIRED
    assert check_tables(plan) == []
    assert plan.headline["method"] == "decomposed"
    assert plan.headline["sited_mw"] > 0


def test_energy_balance_of_every_region_and_hour(toy_run) -> None:
    run, plan = toy_run
    inp = run.inputs
    from energy_balance import balance_residual

    for lens in run.lenses.values():
        assert balance_residual(inp, lens.solution) < 1e-6
    # and the table written for the report says the same, to its three decimals
    d = plan.tables["dispatch_region"]
    residual = (
        d["generation_mw"] + d["net_import_mw"] - d["demand_mw"] - d["mining_mw"] - d["ai_mw"]
    )
    assert float(residual.abs().max()) < 5e-3


def test_compute_never_exceeds_built_mw_times_derating(toy_run) -> None:
    run, _ = toy_run
    sol = run.optimum
    c = run.inputs.compute
    cap = c.availability.transpose("time", "site").to_pandas() * sol.build
    assert (sol.consume <= cap + 1e-6).all().all()
    assert (sol.consume >= -1e-9).all().all()


def test_ai_uptime_is_met_every_month(toy_run) -> None:
    run, _ = toy_run
    sol, c = run.optimum, run.inputs.compute
    ai = c.sites.index[c.sites["uptime"] > 0]
    months = pd.Series(run.inputs.month, index=run.inputs.snapshots)
    avail = c.availability.transpose("time", "site").to_pandas()
    for site in ai:
        if sol.build[site] <= 1e-6:
            continue
        drawn = sol.consume[site].groupby(months.to_numpy()).sum()
        need = (
            c.sites.loc[site, "uptime"]
            * avail[site].groupby(months.to_numpy()).sum()
            * sol.build[site]
        )
        assert (drawn >= need - 1e-3).all(), site


def test_unserved_demand_is_unchanged_by_compute(toy_run) -> None:
    run, _ = toy_run
    for lens in run.lenses.values():
        np.testing.assert_allclose(
            lens.solution.unserved.to_numpy(), run.base.unserved.to_numpy(), atol=1e-6
        )


def test_the_grid_account_adds_up(toy_run) -> None:
    run, plan = toy_run
    grid = plan.tables["pnl_grid"].set_index("lens")
    for lens in ("marginal_cost", "tariff"):
        row = grid.loc[lens]
        assert row["contribution_usd"] == pytest.approx(row["revenue_usd"] - row["fuel_cost_usd"])
        assert row["revenue_local"] == pytest.approx(row["revenue_usd"] * 280.0)
    # at marginal cost the grid sells at its own marginal cost, so never below the extra fuel
    assert grid.loc["marginal_cost", "contribution_usd"] >= -1e-3
    tariff = run.tariff_usd_per_mwh.to_numpy().mean()
    assert grid.loc["tariff", "average_price_usd_per_mwh"] == pytest.approx(tariff)


def test_tariff_lens_runs_compute_only_where_its_value_covers_the_tariff(toy_run) -> None:
    run, _ = toy_run
    lens = run.lenses["tariff"]
    c = run.inputs.compute
    tariff = run.tariff_usd_per_mwh[c.sites["region"]].to_numpy()
    below = lens.value_usd_per_mwh.to_numpy() < tariff
    assert float(lens.solution.consume.to_numpy()[below].max(initial=0.0)) <= 1e-6


def test_plan_round_trips_through_its_folder(toy_run, tmp_path) -> None:
    _, plan = toy_run
    plan.write(tmp_path)
    back = Plan.read(tmp_path)
    assert back.headline["objective_usd"] == pytest.approx(plan.headline["objective_usd"])
    assert set(back.tables) == set(plan.tables)
    assert len(back.tables["dispatch"]) == 8760


def test_sensitivity_table_has_low_and_high_of_every_parameter(toy_run) -> None:
    _, plan = toy_run
    sens = plan.tables["sensitivity"]
    for parameter in ("btc_price", "difficulty_growth", "tariff", "demand_growth", "exchange_rate"):
        assert set(sens.loc[sens["parameter"] == parameter, "case"]) == {"low", "high"}
    tariff = sens[sens["parameter"] == "tariff"].set_index("case")
    # a dearer tariff never earns the grid less from the same sites
    assert tariff.loc["high", "grid_revenue_usd"] >= tariff.loc["low", "grid_revenue_usd"] - 1e-6


def test_decomposition_reaches_the_monolithic_optimum_on_a_reduced_year() -> None:
    """Four weeks of Pakistan with every candidate site: the two methods agree."""
    from gridsurplus.economics.values import compute_values
    from gridsurplus.model.decompose import solve_decomposed
    from gridsurplus.model.inputs import model_inputs
    from gridsurplus.model.solve import solve_inputs
    from gridsurplus.planning.sites import compute_inputs
    from gridsurplus.profiles import build_profiles

    ds = load_dataset()
    profiles = build_profiles(ds)
    values = compute_values(ds, profiles["temperature_c"], markets={"btc_price_usd": 200_000})
    for period in ("month", "year"):
        c = compute_inputs(ds, values, programme_mw=2600.0, uptime_period=period)
        inp = model_inputs(ds, profiles).with_compute(c)
        weeks = [
            pd.date_range(f"{m}-08", periods=24 * 7, freq="h")
            for m in ("2024-07", "2024-10", "2025-01", "2025-04")
        ]
        inp = inp.select(pd.DatetimeIndex(np.concatenate(weeks)))
        mono = solve_inputs(inp)
        dec, info = solve_decomposed(inp, tol=1e-7)
        assert dec.objective_usd == pytest.approx(mono.objective_usd, rel=1e-6), period
        assert info.gap <= 1e-7
        # builds agree by technology: at a cost of capital this high only a few sites pay, and
        # regions with the same weather and no congestion between them (hydro-cooled mining in
        # cool weeks, AI in LESCO and GEPCO, both Lahore) are equal candidates, a tie either
        # method may break either way
        by_tech = [sol.build.groupby(c.sites["tech"].to_numpy()).sum() for sol in (dec, mono)]
        np.testing.assert_allclose(by_tech[0].to_numpy(), by_tech[1].to_numpy(), atol=1e-3)
        mining = dec.build[c.sites["kind"] == "mining"].sum()
        assert mining > 500.0  # mining and AI both built: a real siting choice
        ai_it = (dec.build * c.sites["it_mw_per_mw"])[c.sites["kind"] == "ai"].sum()
        assert ai_it == pytest.approx(50.0)  # the AI market (50 MW of IT load) binds


def test_fleet_effect_is_iterated_to_a_fixed_point(toy_with_compute) -> None:
    ds = load_dataset(toy_with_compute)
    run = run_plan(
        ds,
        PlanOptions(
            workers=1, techs=["btc_air"], sensitivity="off", markets={"btc_price_usd": 250_000.0}
        ),
    )
    history = run.fleet_iterations
    assert len(history) >= 2
    assert history[-1]["mining_mw"] > 0
    assert (
        abs(history[-1]["mining_mw"] - history[-2]["mining_mw"]) <= 0.005 * history[-2]["mining_mw"]
    )
    # the fleet's hashrate lowers hashprice: factor = N / (N + F) of the last fleet
    last = history[-2]
    assert run.fleet_factor == pytest.approx(
        last["network_eh_s"] / (last["network_eh_s"] + last["fleet_eh_s"])
    )
    assert run.fleet_factor < 1.0


def test_cli_plan_on_the_toy(toy_with_compute, tmp_path) -> None:
    out = tmp_path / "plan"
    tariff = tmp_path / "tou.csv"
    tariff.write_text(
        "region,months,hours,rate,unit\n*,all,all,20,PKR/kWh\n*,all,18-22,30,PKR/kWh\n"
    )
    result = CliRunner().invoke(
        app,
        [
            "plan",
            "--dataset",
            str(toy_with_compute),
            "--out",
            str(out),
            "--tariff-file",
            str(tariff),
            "--sensitivity",
            "off",
            "--workers",
            "1",
            "--no-report",
            "--json",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    headline = json.loads(result.output)
    assert set(headline) >= REQUIRED
    assert headline["tariff"]["name"] == "tou"
    assert (out / "plan.json").exists() and (out / "tables" / "sites.csv").exists()
    assert not (out / "report.html").exists()


def test_cli_plan_rejects_bad_options(toy_with_compute, tmp_path) -> None:
    runner = CliRunner()
    both = runner.invoke(
        app,
        [
            "plan",
            "--dataset",
            str(toy_with_compute),
            "--tariff",
            "23",
            "--tariff-file",
            "x.csv",
            "--out",
            str(tmp_path / "a"),
        ],
    )
    assert both.exit_code == 2 and "not both" in both.output
    techs = runner.invoke(
        app,
        [
            "plan",
            "--dataset",
            str(toy_with_compute),
            "--techs",
            "quantum",
            "--out",
            str(tmp_path / "b"),
            "-q",
        ],
    )
    assert techs.exit_code == 2 and "unknown compute technology 'quantum'" in techs.output
    missing = runner.invoke(
        app,
        [
            "plan",
            "--dataset",
            str(toy_with_compute),
            "--tariff-file",
            str(tmp_path / "none.csv"),
            "--out",
            str(tmp_path / "c"),
            "-q",
        ],
    )
    assert missing.exit_code == 2 and "no such file" in missing.output
    assert not any((tmp_path / d).exists() for d in ("a", "b", "c"))


def test_cli_plan_that_cannot_be_solved_says_where(toy_with_compute, tmp_path) -> None:
    meta = yaml.safe_load((toy_with_compute / "dataset.yaml").read_text())
    meta["reserve"] = {"mw": 5000}  # more than the toy's 2,050 MW of plant
    (toy_with_compute / "dataset.yaml").write_text(yaml.safe_dump(meta))
    out = tmp_path / "plan"
    result = CliRunner().invoke(
        app,
        [
            "plan",
            "--dataset",
            str(toy_with_compute),
            "--out",
            str(out),
            "-q",
            "--sensitivity",
            "off",
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 1
    assert "the operating reserve cannot be kept at 2024-07-01" in result.output
    assert "lower the reserve in dataset.yaml" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.slow
def test_cli_plan_on_pakistan(tmp_path) -> None:
    out = tmp_path / "plan"
    result = CliRunner().invoke(app, ["plan", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    headline = json.loads((out / "plan.json").read_text())
    assert set(headline) >= REQUIRED
    assert headline["sited_mw"] <= 2000.0 + 1e-6
    assert headline["lenses"]["tariff"]["unserved_change_gwh"] == pytest.approx(0.0, abs=1e-6)
    report = out / "report.html"
    assert report.exists() and report.stat().st_size < 10e6


def test_foreign_exchange_bridge_term_by_term(toy_run) -> None:
    from gridsurplus.economics.finance import annuity

    run, plan = toy_run
    gens = run.inputs.gens
    gas = gens.index[gens["fuel"] == "gas"]
    techs = run.ds.table("compute_techs").set_index("tech")
    # the cost of capital of each kind of investor, from the dataset's markets rows
    rate = {"btc_air": 0.15, "btc_hydro": 0.15, "ai_h100_t3": 0.095}
    for tech, r in rate.items():
        assert float(run.values["discount_rate"].sel(tech=tech)) == r
    nation = plan.tables["pnl_nation"].set_index("lens")
    ops = plan.tables["pnl_operators"]
    for lens, n in nation.iterrows():
        sol = run.lenses[lens].solution
        assert n["foreign_exchange_gross_usd"] == pytest.approx(
            n["btc_value_usd"] + n["ai_revenue_usd"]
        )
        # fuel: the extra gas burned over the base dispatch, at its cost; coal is domestic
        burned = sol.generation[gas].sum() - run.base.generation[gas].sum()
        fuel = float((burned * gens.loc[gas, "cost_usd_per_mwh"]).sum())
        assert n["imported_fuel_usd"] == pytest.approx(fuel, abs=1e-6)
        hardware = profit = 0.0
        for tech, o in ops[ops["lens"] == lens].groupby("tech"):
            t = techs.loc[tech]
            hardware += o["mw"].sum() * (
                t["import_share_it"]
                * annuity(t["capex_it_usd_per_mw"], rate[tech], t["life_it_years"])
                + t["import_share_facility"]
                * annuity(t["capex_facility_usd_per_mw"], rate[tech], t["life_facility_years"])
            )
            profit += t["foreign_ownership_share"] * max(o["profit_usd"].sum(), 0.0)
        assert hardware > 0
        assert n["imported_hardware_usd"] == pytest.approx(hardware)
        assert n["profit_repatriated_usd"] == pytest.approx(profit)
        net = n["foreign_exchange_gross_usd"] - fuel - hardware - profit
        assert n["foreign_exchange_net_usd"] == pytest.approx(net)
        steps = plan.tables["forex_bridge"].query("lens == @lens").sort_values("step")
        assert steps["usd"].iloc[:-1].sum() == pytest.approx(steps["usd"].iloc[-1])
        assert plan.headline["lenses"][lens]["foreign_exchange_net_usd"] == pytest.approx(net)
    headline_net = plan.headline["lenses"]["marginal_cost"]["foreign_exchange_net_usd"]
    assert plan.headline["foreign_exchange_net_usd"] == headline_net
