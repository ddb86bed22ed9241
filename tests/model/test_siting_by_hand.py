"""Siting cases solved by hand: exact objective, builds and prices, both ways of solving."""

from __future__ import annotations

import pytest

from gridsurplus.model.decompose import solve_decomposed
from gridsurplus.model.solve import solve_inputs

from .tiny import tiny_compute, tiny_inputs

HOURS = 3
PER_HOUR = 8760.0  # an annuity of x * 8760 USD/MW-yr costs x USD per MW in each hour modelled


def grid():
    # A: 100 MW at 10 USD/MWh; B: 100 MW at 50; A -> B carries 30 MW; each region needs 50 MW.
    # Without compute A makes 80 (exports 30, link full), B makes 20: prices 10 and 50.
    return tiny_inputs(
        demand={"A": [50.0] * HOURS, "B": [50.0] * HOURS},
        gens=[
            {"name": "cheap", "region": "A", "cost": 10.0, "cap": 100.0},
            {"name": "dear", "region": "B", "cost": 50.0, "cap": 100.0},
        ],
        links=[{"name": "AB", "from": "A", "to": "B", "cap": 30.0}],
    )


MINING = [
    # worth 40 USD/MWh, capital 5 USD per MW-hour
    {
        "name": "mine@A",
        "region": "A",
        "kind": "mining",
        "annuity": 5 * PER_HOUR,
        "value": [40.0] * HOURS,
    },
    {
        "name": "mine@B",
        "region": "B",
        "kind": "mining",
        "annuity": 5 * PER_HOUR,
        "value": [40.0] * HOURS,
    },
]
AI = {
    "name": "dc@B",
    "region": "B",
    "kind": "ai",
    "annuity": 80 * PER_HOUR,
    "uptime": 2 / 3,
    "value": [200.0, 200.0, 20.0],
    "max_mw": 50.0,
}


def both(inp):
    mono = solve_inputs(inp)
    decomposed, info = solve_decomposed(inp)
    return mono, decomposed, info


def test_mining_takes_the_cheap_spare_capacity_only() -> None:
    mono, dec, _ = both(tiny_compute(grid(), MINING))
    for sol in (mono, dec):
        # mining at A earns 40 - 10 - 5 = 25 per MW-hour on A's 20 spare MW; one more MW there
        # would displace B's 50 USD plant via the link; at B power costs 50 > 40: nothing
        assert sol.build["mine@A"] == pytest.approx(20.0)
        assert sol.build["mine@B"] == pytest.approx(0.0, abs=1e-9)
        assert sol.consume["mine@A"].tolist() == pytest.approx([20.0] * HOURS)
        # fuel 3 h x (100 x 10 + 20 x 50) = 6,000; compute -40 x 20 x 3 = -2,400; capital 5 x 20 x 3
        assert sol.objective_usd == pytest.approx(6000.0 - 2400.0 + 300.0)
    # B's price is its plant's cost; at A, one more MW of demand displaces a MW of mining: its
    # value net of capital, 40 - 5 = 35 on average (the split across hours is not unique)
    assert mono.price["B"].tolist() == pytest.approx([50.0] * HOURS)
    assert mono.price["A"].sum() == pytest.approx(3 * 35.0)


def test_ai_uptime_binds_and_runs_in_the_best_hours() -> None:
    mono, dec, _ = both(tiny_compute(grid(), [*MINING, AI]))
    for sol in (mono, dec):
        # AI at B: 200 - 50 = 150 in hours 1-2, too little value in hour 3 (20 < 50); uptime 2/3
        # of 3 hours = 2 hours at full, met exactly; per MW 2 x 150 - 3 x 80 = +60 > 0: build 50
        assert sol.build["dc@B"] == pytest.approx(50.0)
        assert sol.consume["dc@B"].tolist() == pytest.approx([50.0, 50.0, 0.0], abs=1e-9)
        assert sol.build["mine@A"] == pytest.approx(20.0)
        # fuel: A 3 x 1,000 + B (70 + 70 + 20) x 50 = 11,000; mining -2,400 + 300;
        # AI -200 x 50 x 2 + 80 x 50 x 3 = -8,000
        assert sol.objective_usd == pytest.approx(11000.0 - 2100.0 - 8000.0)
        assert float(sol.shortfall.sum()) == pytest.approx(0.0, abs=1e-9)


def test_programme_and_host_caps() -> None:
    # a 10 MW programme: all of it goes to the better site (A)
    _, dec, _ = both(tiny_compute(grid(), MINING, programme_mw=10.0))
    assert dec.build["mine@A"] == pytest.approx(10.0)
    # A may host at most 5 MW of mining
    mono, dec, _ = both(tiny_compute(grid(), MINING, kind_caps={("A", "mining"): 5.0}))
    for sol in (mono, dec):
        assert sol.build["mine@A"] == pytest.approx(5.0)


def test_compute_never_takes_power_demand_needs() -> None:
    # B is short: 140 MW of demand, 100 + 30 of supply; AI worth 2,000 USD/MWh, VOLL 10,000
    short = tiny_inputs(
        demand={"A": [50.0] * HOURS, "B": [140.0] * HOURS},
        gens=[
            {"name": "cheap", "region": "A", "cost": 10.0, "cap": 100.0},
            {"name": "dear", "region": "B", "cost": 50.0, "cap": 100.0},
        ],
        links=[{"name": "AB", "from": "A", "to": "B", "cap": 30.0}],
        voll=10_000.0,
    )
    base = solve_inputs(short)
    rich = {
        "name": "dc@A",
        "region": "A",
        "kind": "ai",
        "annuity": 0.0,
        "uptime": 0.0,
        "value": [2000.0] * HOURS,
        "max_mw": 50.0,
    }
    with_compute = solve_inputs(tiny_compute(short, [rich]))
    assert base.unserved["B"].tolist() == pytest.approx([10.0] * HOURS)
    assert with_compute.unserved.to_numpy() == pytest.approx(base.unserved.to_numpy())
    # the AI site takes only A's 20 MW left after B's import: demand first
    assert with_compute.consume["dc@A"].tolist() == pytest.approx([20.0] * HOURS)


def test_interruptible_mining_may_carry_part_of_the_reserve() -> None:
    # one region, 100 MW plant at 10 USD/MWh, 60 MW demand, 30 MW reserve: without help the plant
    # may make at most 70, so mining (value 40) gets 10 MW; if mining may carry half the reserve
    # (15 MW), the plant may make 85 and mining takes 25 (it counts its own 25 MW of load, >= 15)
    one = tiny_inputs(
        demand={"A": [60.0]},
        gens=[{"name": "g", "region": "A", "cost": 10.0, "cap": 100.0}],
        reserve=30.0,
    )
    mine = [{"name": "m", "region": "A", "kind": "mining", "value": [40.0], "max_mw": 100.0}]
    assert solve_inputs(tiny_compute(one, mine)).consume["m"].item() == pytest.approx(10.0)
    assert solve_inputs(tiny_compute(one, mine, reserve_share=0.5)).consume[
        "m"
    ].item() == pytest.approx(25.0)


def test_the_ai_market_caps_ai_builds_in_mw_of_it_load() -> None:
    # two AI halls worth 200 USD/MWh, capital 80 USD per MW-hour: at A (power 10) a MW of grid
    # connection is a MW of IT; at B (power 50) a liquid-cooled hall draws 2 MW per MW of IT
    # (it_mw_per_mw 0.5). Per MW of IT and hour A earns 200 - 10 - 80 = 110, B 2 x (200 - 50 -
    # 80) = 140, so the market's 20 MW of IT all go to B: 40 MW of grid connection there.
    halls = [
        {
            "name": "dc@A",
            "region": "A",
            "kind": "ai",
            "annuity": 80 * PER_HOUR,
            "value": [200.0] * HOURS,
        },
        {
            "name": "dc@B",
            "region": "B",
            "kind": "ai",
            "annuity": 80 * PER_HOUR,
            "value": [200.0] * HOURS,
            "it_mw_per_mw": 0.5,
        },
    ]
    free = solve_inputs(tiny_compute(grid(), halls))
    assert free.build.sum() == pytest.approx(100.0)  # uncapped: every spare MW of both plants
    mono, dec, _ = both(tiny_compute(grid(), halls, ai_market_mw_it=20.0))
    for sol in (mono, dec):
        assert sol.build["dc@B"] == pytest.approx(40.0)
        assert sol.build["dc@A"] == pytest.approx(0.0, abs=1e-6)
        # fuel: A 80 x 10 x 3 + B (20 + 40) x 50 x 3 = 2,400 + 9,000; compute -200 x 40 x 3;
        # capital 80 x 40 x 3
        assert sol.objective_usd == pytest.approx(11_400.0 - 24_000.0 + 9_600.0)
    # a market at least as large as the halls' IT load changes nothing
    roomy = solve_inputs(tiny_compute(grid(), halls, ai_market_mw_it=1e9))
    assert roomy.objective_usd == pytest.approx(free.objective_usd)


def test_demand_first_is_a_bound_even_when_compute_is_worth_more_than_lost_load() -> None:
    # B is short as above: 10 MW unserved every hour without compute. AI at A is worth 20,000
    # USD/MWh, twice the value of lost load: priced alone, it would take A's whole 50 MW and
    # leave B 40 MW short. Bounded by the base's unserved demand, it takes A's 20 spare MW only.
    from dataclasses import replace

    short = tiny_inputs(
        demand={"A": [50.0] * HOURS, "B": [140.0] * HOURS},
        gens=[
            {"name": "cheap", "region": "A", "cost": 10.0, "cap": 100.0},
            {"name": "dear", "region": "B", "cost": 50.0, "cap": 100.0},
        ],
        links=[{"name": "AB", "from": "A", "to": "B", "cap": 30.0}],
        voll=10_000.0,
    )
    base = solve_inputs(short)
    greedy = {**AI, "name": "dc@A", "region": "A", "annuity": 0.0, "uptime": 0.0}
    greedy.update(value=[20_000.0] * HOURS, max_mw=50.0)
    priced = solve_inputs(tiny_compute(short, [greedy]))
    assert priced.unserved["B"].tolist() == pytest.approx([40.0] * HOURS)  # a price only
    bound = short.demand.copy(data=base.unserved.to_numpy())
    guarded = replace(tiny_compute(short, [greedy]), unserved_max=bound)
    mono, dec, _ = both(guarded)
    for sol in (mono, dec):
        assert sol.unserved.to_numpy() == pytest.approx(base.unserved.to_numpy())
        assert sol.consume["dc@A"].tolist() == pytest.approx([20.0] * HOURS)


def test_an_ai_site_whose_uptime_would_shed_demand_is_not_built() -> None:
    # B sheds 10 MW every hour without compute, so no compute may run there; an AI site at B
    # that must run half its hours cannot, whatever it is worth: not built, and the problem
    # stays feasible (the uptime row holds at zero MW built).
    from dataclasses import replace

    short = tiny_inputs(
        demand={"A": [50.0] * HOURS, "B": [140.0] * HOURS},
        gens=[
            {"name": "cheap", "region": "A", "cost": 10.0, "cap": 100.0},
            {"name": "dear", "region": "B", "cost": 50.0, "cap": 100.0},
        ],
        links=[{"name": "AB", "from": "A", "to": "B", "cap": 30.0}],
        voll=10_000.0,
    )
    base = solve_inputs(short)
    site = {**AI, "annuity": 0.0, "uptime": 0.5, "value": [20_000.0] * HOURS}
    guarded = replace(
        tiny_compute(short, [site]), unserved_max=short.demand.copy(data=base.unserved.to_numpy())
    )
    mono, dec, _ = both(guarded)
    for sol in (mono, dec):
        assert sol.build["dc@B"] == pytest.approx(0.0, abs=1e-9)
        assert sol.consume["dc@B"].abs().max() == pytest.approx(0.0, abs=1e-9)
        assert sol.objective_usd == pytest.approx(base.objective_usd)
