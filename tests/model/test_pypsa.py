"""The PyPSA export: every feature solved both ways reaches the same objective (1e-6 relative)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from typer.testing import CliRunner

from gridsurplus.cli import app
from gridsurplus.dataset import load_dataset
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.pypsa import (
    PypsaExportError,
    PypsaExportUnsupported,
    read_netcdf,
    solve_pypsa,
    to_pypsa,
    write_netcdf,
)
from gridsurplus.model.solve import Solution, solve_inputs
from gridsurplus.profiles import build_profiles
from model.tiny import tiny_compute, tiny_inputs

pytest.importorskip("pypsa")

RTOL = 1e-6

TWO = dict(
    demand={"A": [50.0, 50.0, 50.0], "B": [80.0, 20.0, 120.0]},
    gens=[
        {"name": "cheap", "region": "A", "cost": 10.0, "cap": 100.0},
        {"name": "dear", "region": "B", "cost": 50.0, "cap": 100.0},
    ],
    links=[{"name": "AB", "from": "A", "to": "B", "cap": 30.0}],
)


def both_ways(inp: ModelInputs, fixed_ai_mw: dict[str, float] | None = None) -> Solution:
    """Solve with our model and with PyPSA; the objectives must agree to RTOL."""
    ours = solve_inputs(inp)
    theirs = solve_pypsa(to_pypsa(inp, fixed_ai_mw=fixed_ai_mw))
    assert theirs == pytest.approx(ours.objective_usd, rel=RTOL, abs=1e-6)
    return ours


def ai_builds(sol: Solution, inp: ModelInputs) -> dict[str, float]:
    assert inp.compute is not None and sol.build is not None
    ai = inp.compute.sites.index[inp.compute.sites["uptime"] > 0]
    return {str(s): float(sol.build[s]) for s in ai}


def two_months(inp: ModelInputs, budget: dict[str, list[float]] | None = None) -> ModelInputs:
    """Label the first half of the hours 2025-01 and the rest 2025-02, with monthly budgets."""
    n = len(inp.snapshots)
    month = np.array(["2025-01"] * (n // 2) + ["2025-02"] * (n - n // 2))
    b = np.full((2, len(inp.gens)), np.nan)
    for gen, values in (budget or {}).items():
        b[:, inp.gens.index.get_loc(gen)] = values
    coords = {"month": ["2025-01", "2025-02"], "gen": list(inp.gens.index)}
    return replace(inp, month=month, budget=xr.DataArray(b, coords=coords, dims=("month", "gen")))


# --------------------------------------------------------------------------- dispatch


def test_congested_link() -> None:
    sol = both_ways(tiny_inputs(**TWO))
    assert sol.objective_usd == pytest.approx(10 * 230 + 50 * 140)


def test_lossy_link_both_ways_with_other_reverse_capacity() -> None:
    case = dict(TWO, demand={"A": [0.0, 130.0, 60.0], "B": [45.0, 0.0, 150.0]})
    case["links"] = [{"name": "AB", "from": "A", "to": "B", "cap": 100.0, "cap_back": 20.0,
                      "loss": 0.1}]  # fmt: skip
    sol = both_ways(tiny_inputs(**case))
    assert sol.flow["AB"].iloc[1] == pytest.approx(-20.0)  # B sends its 20 MW back to A
    assert sol.generation["cheap"].iloc[0] == pytest.approx(50.0)  # 45 MW delivered


@pytest.mark.parametrize(("cap", "cap_back"), [(0.0, 40.0), (10.0, 40.0), (40.0, 0.0)])
def test_lossless_link_with_other_reverse_capacity(cap: float, cap_back: float) -> None:
    case = dict(
        TWO, links=[{"name": "AB", "from": "A", "to": "B", "cap": cap, "cap_back": cap_back}]
    )
    case["demand"] = {"A": [150.0, 50.0], "B": [10.0, 130.0]}
    both_ways(tiny_inputs(**case))


def test_unserved_at_voll() -> None:
    sol = both_ways(tiny_inputs(**dict(TWO, demand={"A": [50.0], "B": [140.0]})))
    assert sol.unserved["B"].tolist() == pytest.approx([10.0])
    assert sol.objective_usd == pytest.approx(10 * 80 + 50 * 100 + 1000 * 10)


def test_reserve_binding() -> None:
    inp = tiny_inputs(
        demand={"A": [150.0, 100.0]},
        gens=[
            {"name": "g1", "region": "A", "cost": 10.0, "cap": 100.0},
            {"name": "g2", "region": "A", "cost": 20.0, "cap": 100.0, "p_max_pu": [1.0, 0.8]},
            {"name": "g3", "region": "A", "cost": 30.0, "cap": 100.0, "reserve": False},
        ],
        reserve=80.0,
    )
    sol = both_ways(inp)
    # hour 0: g1 + g2 <= 200 - 80 = 120, so g3 makes 30; hour 1: g1 + g2 <= 180 - 80 = 100
    assert sol.generation["g3"].tolist() == pytest.approx([30.0, 0.0])
    assert sol.reserve_price.iloc[0] > 0
    assert sol.objective_usd == pytest.approx(10 * 100 + 20 * 20 + 30 * 30 + 10 * 100)


def test_monthly_budget_with_minimum_output() -> None:
    inp = tiny_inputs(
        demand={"A": [80.0] * 4},
        gens=[
            {"name": "hydro", "region": "A", "cost": 0.0, "cap": 100.0, "p_min": 10.0},
            {"name": "gas", "region": "A", "cost": 40.0, "cap": 200.0},
        ],
    )
    sol = both_ways(two_months(inp, {"hydro": [60.0, 150.0]}))
    # January: 60 MWh of water, gas makes 100; February: 150 of 160, gas makes 10
    assert sol.generation["hydro"].sum() == pytest.approx(210.0)
    assert sol.objective_usd == pytest.approx(40 * 110)


def fuel_case(limits: list[dict]) -> ModelInputs:
    inp = tiny_inputs(
        demand={"A": [100.0] * 4, "B": [60.0] * 4},
        gens=[
            {"name": "gasA", "region": "A", "fuel": "gas", "cost": 20.0, "cap": 100.0},
            {"name": "gasB", "region": "B", "fuel": "gas", "cost": 25.0, "cap": 100.0},
            {"name": "rlngB", "region": "B", "fuel": "rlng", "cost": 60.0, "cap": 100.0},
            {"name": "oilA", "region": "A", "fuel": "oil", "cost": 50.0, "cap": 200.0},
        ],
        links=[{"name": "AB", "from": "A", "to": "B", "cap": 50.0}],
        reserve=20.0,
        fuel_limits=limits,
    )
    return two_months(inp, {"gasB": [60.0, 150.0]})


def test_fuel_caps_and_floor_over_months_and_year() -> None:
    limits = [
        {"fuel": "gas", "period": "2025-01", "sense": "<=", "energy_mwh": 200.0},
        {"fuel": "gas", "period": "2025-01", "sense": "<=", "energy_mwh": 260.0},  # looser
        {"fuel": "gas", "period": "year", "sense": "<=", "energy_mwh": 450.0},
        {"fuel": "rlng", "period": "year", "sense": ">=", "energy_mwh": 100.0},
    ]
    sol = both_ways(fuel_case(limits))
    gas = sol.generation[["gasA", "gasB"]].sum(axis=1)
    assert gas.iloc[:2].sum() == pytest.approx(200.0)  # the month cap binds
    assert gas.sum() == pytest.approx(450.0)  # the cap on all hours binds
    assert sol.generation["rlngB"].sum() == pytest.approx(100.0)  # the take-or-pay floor binds
    assert sol.generation["oilA"].sum() == pytest.approx(90.0)


def test_priced_fuel_limits() -> None:
    if "penalty_usd_per_mwh" not in (ModelInputs.__doc__ or ""):  # pragma: no cover
        pytest.skip("this model has no priced fuel limits")
    limits = pd.DataFrame(
        [
            {"fuel": "gas", "period": "2025-02", "sense": "<=", "energy_mwh": 200.0,
             "penalty_usd_per_mwh": 5.0},
            {"fuel": "rlng", "period": "year", "sense": ">=", "energy_mwh": 150.0,
             "penalty_usd_per_mwh": 5.0},
            {"fuel": "gas", "period": "2025-01", "sense": ">=", "energy_mwh": 100.0},
        ]
    )  # fmt: skip
    inp = replace(fuel_case([]), fuel_limits=limits)
    sol = both_ways(inp)
    # cheaper to pay 5 USD/MWh than to burn oil (50) or RLNG (60) instead of gas (20-25)
    assert sol.generation[["gasA", "gasB"]].iloc[2:].sum().sum() > 200.0 + 1.0
    assert sol.generation["rlngB"].sum() < 150.0 - 1.0


# --------------------------------------------------------------------------- compute

MINING = [
    {"name": "mA1", "tech": "s21", "region": "A", "kind": "mining", "annuity": 175_200.0,
     "value": [60.0, 60.0, 60.0, 20.0]},
    {"name": "mA2", "tech": "s19", "region": "A", "kind": "mining", "annuity": 175_200.0,
     "value": [55.0, 55.0, 58.0, 20.0], "availability": [1.0, 0.9, 0.8, 1.0]},
    {"name": "mB", "tech": "s21", "region": "B", "kind": "mining", "annuity": 175_200.0,
     "value": [90.0, 90.0, 90.0, 90.0]},
]  # fmt: skip


def compute_grid(**demand: list[float]) -> ModelInputs:
    return tiny_inputs(
        demand=demand or {"A": [50.0] * 4, "B": [40.0] * 4},
        gens=[
            {"name": "cheap", "region": "A", "cost": 10.0, "cap": 300.0},
            {"name": "dear", "region": "B", "cost": 50.0, "cap": 100.0},
        ],
        links=[{"name": "AB", "from": "A", "to": "B", "cap": 50.0}],
    )


def test_mining_siting_with_programme_and_region_caps() -> None:
    inp = tiny_compute(
        compute_grid(), MINING, programme_mw=150.0, kind_caps={("A", "mining"): 100.0}
    )
    sol = both_ways(inp)
    assert sol.build is not None
    assert sol.build[["mA1", "mA2"]].sum() == pytest.approx(100.0)  # region cap binds
    assert sol.build.sum() == pytest.approx(150.0)  # programme binds


def test_ai_fixed_with_uptime() -> None:
    ai = {"name": "dc", "region": "A", "kind": "ai", "annuity": 100_000.0, "uptime": 0.75,
          "value": [300.0, 300.0, 5.0, 5.0], "max_mw": 80.0}  # fmt: skip
    inp = tiny_compute(compute_grid(), [*MINING, ai], programme_mw=200.0)
    sol = solve_inputs(inp)
    fixed = ai_builds(sol, inp)
    assert fixed["dc"] > 0
    assert sol.consume is not None and sol.consume["dc"].iloc[2:].sum() > 0  # runs at a loss
    both_ways(inp, fixed_ai_mw=fixed)


def test_ai_shortfall_at_voll() -> None:
    # 200 MW fixed in B, where at most 100 + 50 MW can ever reach it
    ai = {"name": "dc", "region": "B", "kind": "ai", "annuity": 10_000.0, "uptime": 1.0,
          "value": [300.0] * 4, "max_mw": 300.0}  # fmt: skip
    inp = tiny_compute(compute_grid(), [MINING[0], ai], fixed_mw={"mA1": 20.0, "dc": 200.0})
    sol = both_ways(inp)
    assert sol.shortfall is not None and sol.shortfall["dc"] == pytest.approx(4 * 50.0)


def test_ai_energy_requirement_sited_freely() -> None:
    ai = {"name": "dc", "region": "A", "kind": "ai", "annuity": 150_000.0, "uptime": 0.5,
          "value": [300.0, 300.0, 5.0, 5.0], "max_mw": 80.0}  # fmt: skip
    inp = tiny_compute(compute_grid(), [*MINING, ai], kind_caps={("A", "ai"): 60.0})
    assert inp.compute is not None
    if not hasattr(inp.compute, "uptime_energy_mwh"):  # pragma: no cover
        pytest.skip("uptime requirements as energy not in the model")
    compute = replace(inp.compute, uptime_energy_mwh=pd.Series({"dc": 150.0}))
    both_ways(inp.with_compute(compute))


def test_mining_counts_toward_reserve() -> None:
    grid = tiny_inputs(
        demand={"A": [150.0, 150.0, 150.0, 100.0]},
        gens=[
            {"name": "g1", "region": "A", "cost": 10.0, "cap": 200.0},
            {"name": "g2", "region": "A", "cost": 80.0, "cap": 100.0, "reserve": False},
        ],
        reserve=100.0,
    )
    base = solve_inputs(tiny_compute(grid, MINING[:2]))
    inp = tiny_compute(grid, MINING[:2], reserve_share=0.5)
    sol = both_ways(inp)
    assert sol.objective_usd < base.objective_usd - 1.0  # the credit is worth something


def test_every_build_fixed() -> None:
    ai = {"name": "dc", "region": "B", "kind": "ai", "annuity": 100_000.0, "uptime": 0.9,
          "value": [300.0] * 4, "max_mw": 80.0}  # fmt: skip
    fixed = {"mA1": 30.0, "mA2": 0.0, "mB": 10.0, "dc": 20.0}
    inp = tiny_compute(compute_grid(), [*MINING, ai], fixed_mw=fixed)
    both_ways(inp)


def test_docstring_examples() -> None:
    import doctest

    import gridsurplus.model.pypsa.network as module

    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def test_ai_without_fixed_mw_is_refused() -> None:
    ai = {"name": "dc", "region": "A", "kind": "ai", "uptime": 0.9, "value": [300.0] * 4}
    inp = tiny_compute(compute_grid(), [*MINING, ai])
    with pytest.raises(PypsaExportError, match="dc have an uptime requirement"):
        to_pypsa(inp)
    with pytest.raises(PypsaExportError, match="not compute sites with an uptime"):
        to_pypsa(inp, fixed_ai_mw={"dc": 10.0, "mB": 5.0})


def test_programme_over_two_free_kinds_is_unsupported() -> None:
    ai = {"name": "dc", "region": "A", "kind": "ai", "value": [300.0] * 4}  # no uptime
    inp = tiny_compute(compute_grid(), [*MINING, ai], programme_mw=100.0)
    with pytest.raises(PypsaExportUnsupported, match="ai and mining"):
        to_pypsa(inp)


# --------------------------------------------------------------------------- dataset and file


def test_toy_week_with_compute(toy_with_compute: Path) -> None:
    from gridsurplus.planning.export import compute_inputs_for_export

    ds = load_dataset(toy_with_compute)
    case = compute_inputs_for_export(ds, build_profiles(ds), "2025-01-06", "2025-01-12")
    inp = case.inputs
    assert inp.compute is not None and len(inp.snapshots) == 168
    # cheaper mining than the dataset's, so that mining is sited against the caps
    sites = inp.compute.sites.copy()
    mining = sites["kind"] == "mining"
    sites.loc[mining, "annuity_usd_per_mw_year"] = [150_000.0, 250_000.0] * 3
    inp = inp.with_compute(replace(inp.compute, sites=sites, programme_mw=600.0))
    sol = solve_inputs(inp)
    assert sol.build is not None and sol.build[mining].sum() > 1.0
    both_ways(inp, fixed_ai_mw=ai_builds(sol, inp))


# PyPSA 1.4's own notices when used with its defaults under pandas 3
@pytest.mark.filterwarnings("ignore:pandas infers the `str` dtype:FutureWarning")
@pytest.mark.filterwarnings(
    "ignore:The default value of `include_objective_constant`:FutureWarning"
)
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.set_index is deprecated")
def test_netcdf_round_trip_solved_by_pypsa_alone(tmp_path: Path) -> None:
    import pypsa

    ai = {"name": "dc", "region": "B", "kind": "ai", "annuity": 100_000.0, "uptime": 0.8,
          "value": [300.0, 300.0, 5.0, 5.0], "max_mw": 80.0}  # fmt: skip
    limits = [{"fuel": "rlng", "period": "year", "sense": ">=", "energy_mwh": 80.0}]
    inp = tiny_compute(fuel_case(limits), [*MINING, ai], programme_mw=120.0,
                       kind_caps={("A", "mining"): 70.0}, reserve_share=0.3)  # fmt: skip
    ours = solve_inputs(inp)
    path = write_netcdf(to_pypsa(inp, fixed_ai_mw=ai_builds(ours, inp)), tmp_path / "case.nc")
    n = pypsa.Network(path)
    status, _ = n.optimize()
    assert status == "ok"
    assert n.objective_constant == 0.0  # pinned capacities are extendables with p_nom 0
    assert n.objective == pytest.approx(ours.objective_usd, rel=RTOL)
    assert n.meta["gridsurplus"]["fixed_mw"] == pytest.approx(ai_builds(ours, inp))
    assert solve_pypsa(read_netcdf(path)) == pytest.approx(ours.objective_usd, rel=RTOL)


def test_export_pypsa_command(toy_with_compute: Path, tmp_path: Path) -> None:
    out = tmp_path / "week.nc"
    result = CliRunner().invoke(
        app,
        ["export-pypsa", "--dataset", str(toy_with_compute), "--out", str(out),
         "--start", "2025-01-06", "--end", "2025-01-07", "--verify", "--quiet"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: Toy, 48 hours" in result.output
    assert "AI sites fixed at the MW the plan builds" in result.output
    gap = re.search(r"relative difference ([0-9.e+-]+)", result.output)
    assert gap is not None and float(gap.group(1)) < RTOL


def test_export_pypsa_command_refuses_an_empty_window(toy_dataset: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["export-pypsa", "--dataset", str(toy_dataset), "--out", str(tmp_path / "x.nc"),
         "--start", "2030-01-01", "--end", "2030-01-02"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "holds no hour of FY2024-25" in result.output
    assert not (tmp_path / "x.nc").exists()
