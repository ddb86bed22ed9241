"""Dispatch cases small enough to solve by hand: exact objective, generation and prices."""

from __future__ import annotations

import numpy as np
import pytest

from gridsurplus.errors import InfeasibleError
from gridsurplus.model.solve import solve_inputs

from .tiny import tiny_inputs

TWO_REGIONS = dict(
    demand={"A": [50.0, 50.0, 50.0], "B": [80.0, 20.0, 120.0]},
    gens=[
        {"name": "cheap", "region": "A", "cost": 10.0, "cap": 100.0},
        {"name": "dear", "region": "B", "cost": 50.0, "cap": 100.0},
    ],
    links=[{"name": "AB", "from": "A", "to": "B", "cap": 30.0}],
)


def test_congested_link_splits_prices() -> None:
    sol = solve_inputs(tiny_inputs(**TWO_REGIONS))
    # hour 0: A makes 50 + 30 exported (link full), B makes 80 - 30 = 50
    # hour 1: B needs 20 < 30, so A makes 70 and B nothing; one price, set by cheap: 10
    # hour 2: A makes 80 (link full), B makes 90
    assert sol.generation["cheap"].tolist() == pytest.approx([80.0, 70.0, 80.0])
    assert sol.generation["dear"].tolist() == pytest.approx([50.0, 0.0, 90.0])
    assert sol.flow["AB"].tolist() == pytest.approx([30.0, 20.0, 30.0])
    assert sol.objective_usd == pytest.approx(10 * 230 + 50 * 140)
    assert sol.price["A"].tolist() == pytest.approx([10.0, 10.0, 10.0])
    assert sol.price["B"].tolist() == pytest.approx([50.0, 10.0, 50.0])


def test_shortage_is_unserved_at_voll() -> None:
    case = dict(TWO_REGIONS, demand={"A": [50.0], "B": [140.0]})
    sol = solve_inputs(tiny_inputs(**case))
    # B can get 100 + 30 = 130 of its 140: 10 MW unserved, price there = VOLL (1000)
    assert sol.unserved["B"].tolist() == pytest.approx([10.0])
    assert sol.price["B"].tolist() == pytest.approx([1000.0])
    assert sol.objective_usd == pytest.approx(10 * 80 + 50 * 100 + 1000 * 10)


def test_lossy_link_delivers_less() -> None:
    case = dict(TWO_REGIONS, demand={"A": [0.0], "B": [45.0]})
    case["links"] = [{"name": "AB", "from": "A", "to": "B", "cap": 100.0, "loss": 0.1}]
    sol = solve_inputs(tiny_inputs(**case))
    # 45 MW delivered needs 50 MW sent; cheap 50 MW at 10 beats dear at 50
    assert sol.generation["cheap"].tolist() == pytest.approx([50.0])
    assert sol.flow["AB"].tolist() == pytest.approx([50.0])
    assert sol.price["B"].tolist() == pytest.approx([10.0 / 0.9])


def test_reserve_keeps_spare_capacity() -> None:
    inp = tiny_inputs(
        demand={"A": [150.0]},
        gens=[
            {"name": "g1", "region": "A", "cost": 10.0, "cap": 100.0},
            {"name": "g2", "region": "A", "cost": 20.0, "cap": 100.0},
            {
                "name": "wind",
                "region": "A",
                "cost": 0.0,
                "cap": 100.0,
                "p_max_pu": [0.5],
                "reserve": False,
            },
        ],
        reserve=60.0,
    )
    sol = solve_inputs(inp)
    # wind 50, then 100 more from g1/g2; reserve needs 60 MW spare among g1+g2 (200 MW),
    # so they make at most 140 -- not binding here (they make 100)
    assert sol.generation.loc[:, "wind"].item() == pytest.approx(50.0)
    assert sol.generation[["g1", "g2"]].to_numpy().sum() == pytest.approx(100.0)
    tight = tiny_inputs(
        demand={"A": [150.0]},
        gens=[
            {"name": "g1", "region": "A", "cost": 10.0, "cap": 100.0},
            {"name": "g2", "region": "A", "cost": 20.0, "cap": 100.0},
        ],
        reserve=60.0,
    )
    sol = solve_inputs(tight)
    # 150 MW from 200 MW leaves 50 < 60: 10 MW must go unserved (cheapest way to keep reserve)
    assert sol.unserved["A"].item() == pytest.approx(10.0)
    assert float(sol.reserve_price.iloc[0]) == pytest.approx(1000.0 - 20.0)


def test_monthly_budget_moves_water_to_the_dear_hours() -> None:
    inp = tiny_inputs(
        demand={"A": [100.0, 100.0, 100.0]},
        gens=[
            {"name": "hydro", "region": "A", "cost": 0.0, "cap": 100.0},
            {"name": "gas", "region": "A", "cost": 70.0, "cap": 100.0, "p_max_pu": [1.0, 1.0, 0.5]},
        ],
        budget={"hydro": 120.0},
    )
    sol = solve_inputs(inp)
    # hour 2 can only get 50 from gas, so hydro gives it 50; the other 70 MWh go anywhere
    assert sol.generation["hydro"].iloc[2] >= 50.0 - 1e-6
    assert sol.generation["hydro"].sum() == pytest.approx(120.0)
    assert sol.objective_usd == pytest.approx(70.0 * (300.0 - 120.0))


def test_take_or_pay_floor_and_supply_cap() -> None:
    gens = [
        {"name": "coal", "region": "A", "cost": 20.0, "cap": 100.0, "fuel": "coal"},
        {"name": "lng", "region": "A", "cost": 70.0, "cap": 100.0, "fuel": "lng"},
    ]
    limits = [
        {"fuel": "lng", "period": "year", "sense": ">=", "energy_mwh": 90.0},
        {"fuel": "coal", "period": "2025-01", "sense": "<=", "energy_mwh": 150.0},
    ]
    sol = solve_inputs(
        tiny_inputs(demand={"A": [100.0, 100.0, 100.0]}, gens=gens, fuel_limits=limits)
    )
    # 300 MWh: LNG at least 90, coal at most 150 -> coal 150, LNG 150
    assert sol.generation["coal"].sum() == pytest.approx(150.0)
    assert sol.generation["lng"].sum() == pytest.approx(150.0)
    assert sol.objective_usd == pytest.approx(20 * 150 + 70 * 150)


def test_energy_balance_re_derived_in_every_region_and_hour() -> None:
    sol = solve_inputs(tiny_inputs(**TWO_REGIONS))
    inp = tiny_inputs(**TWO_REGIONS)
    gen_by_region = sol.generation.T.groupby(inp.gens["region"]).sum().T
    net_import = {"A": -sol.flow["AB"], "B": sol.flow["AB"]}
    for r in ("A", "B"):
        lhs = gen_by_region[r] + net_import[r] + sol.unserved[r]
        np.testing.assert_allclose(lhs.to_numpy(), inp.demand.sel(region=r).to_numpy(), atol=1e-6)


def test_infeasible_model_names_region_and_hour() -> None:
    inp = tiny_inputs(
        demand={"A": [10.0, 10.0], "B": [5.0, 5.0]},
        gens=[
            {"name": "must", "region": "A", "cost": 0.0, "cap": 100.0, "p_min": 60.0},
            {"name": "other", "region": "B", "cost": 5.0, "cap": 10.0},
        ],
        links=[{"name": "AB", "from": "A", "to": "B", "cap": 20.0}],
    )
    with pytest.raises(InfeasibleError) as info:
        solve_inputs(inp)
    msg = str(info.value)
    # A must make 60 but uses 10 and B can take only its 5 (the link's 20 MW is not the limit):
    # 45 MW too much in both hours
    assert "the balance fails in region A at 2025-01-01 00:00: 45 MW" in msg
    assert "(2 region-hours fail in all)" in msg
    assert "raise the capacity of the links out of A" in msg


def test_infeasible_reserve_is_explained() -> None:
    inp = tiny_inputs(
        demand={"A": [50.0]},
        gens=[{"name": "g", "region": "A", "cost": 1.0, "cap": 100.0, "p_min": 80.0}],
        reserve=40.0,
    )
    with pytest.raises(InfeasibleError) as info:
        solve_inputs(inp)
    assert "operating reserve cannot be kept" in str(info.value) or "balance fails" in str(
        info.value
    )
