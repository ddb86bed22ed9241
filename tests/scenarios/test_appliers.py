"""Each applier on hand-checkable cases, and the errors of inputs the planner lacks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gridsurplus.economics.markets import Markets
from gridsurplus.profiles.demand import regional_demand
from gridsurplus.profiles.renewables import solar_profile
from gridsurplus.scenarios.appliers import (
    APPLIERS,
    Inputs,
    apply_scenario,
    check_appliers,
)
from gridsurplus.scenarios.evaluate import base_options
from gridsurplus.scenarios.spec import ScenarioError, parse_spec

from .helpers import param


@pytest.fixture
def base(sweep_toy) -> Inputs:
    return Inputs(sweep_toy, {}, base_options())


def apply(inp: Inputs, name: str, value: float, **options) -> Inputs:
    return APPLIERS[name](inp, value, **options)


def test_market_levels_are_set_in_their_year_and_grow_after(base) -> None:
    inp = apply(base, "btc_price_usd", 100_000.0)
    inp = apply(inp, "btc_price_growth", 0.10)
    inp = apply(inp, "network_hashrate_growth", -0.05)
    inp = apply(inp, "gpu_hour_usd", 2.0)
    inp = apply(inp, "gpu_hour_usd_growth", -0.20)
    inp = apply(inp, "discount_rate", 0.08)
    m = Markets.from_dataset(inp.ds, inp.markets)
    assert m.level("btc_price_usd", 2026) == 100_000.0  # the dataset's BTC row is 2026
    assert m.level("btc_price_usd", 2028) == pytest.approx(100_000.0 * 1.1**2)
    d26 = m.level("difficulty", 2026)
    assert m.level("difficulty", 2028) == pytest.approx(d26 * 0.95**2)
    # the GPU price falls from the plan's start (2027), not from its 2026 row
    assert m.gpu_hour_usd(2026) == 2.0 and m.gpu_hour_usd(2027) == pytest.approx(2.0 * 0.8)
    assert m.discount_rate() == 0.08
    assert base.markets == {}  # nothing changed in place


def test_tariff_and_programme_are_plan_options(base) -> None:
    inp = apply(apply(base, "tariff_pkr_per_kwh", 30.0), "programme_mw", 120.0)
    assert inp.options.tariff.base_rate == 30.0 and inp.options.tariff.unit == "PKR/kWh"
    assert inp.options.programme_mw == 120.0 and base.options.tariff is None


def test_demand_growth_compounds_over_the_years(base) -> None:
    inp = apply(base, "demand_growth", 0.10, years=2)
    before = base.ds.tables["demand_monthly"]["energy_gwh"]
    after = inp.ds.tables["demand_monthly"]["energy_gwh"]
    np.testing.assert_allclose(after, before * 1.21)
    np.testing.assert_allclose(regional_demand(inp.ds), regional_demand(base.ds) * 1.21)


def test_rooftop_solar_lowers_demand_by_its_output_and_never_below_zero(base) -> None:
    mw, share = 100.0, 0.5
    inp = apply(base, "rooftop_solar_mw", mw, grid_displacement_share=share)
    before, after = regional_demand(base.ds), regional_demand(inp.ds)
    regions = base.ds.regions
    shares = regions["demand_share"] / regions["demand_share"].sum()
    for r in before.columns:
        pv = solar_profile(base.ds, regions.loc[r, "lat"], regions.loc[r, "lon"])
        np.testing.assert_allclose(before[r] - after[r], mw * share * shares[r] * pv, atol=1e-9)
    night = before.index.hour == 2
    np.testing.assert_allclose(after[night], before[night])  # no sun, no change
    assert (before - after).to_numpy().max() > 10.0  # a real midday dip
    huge = apply(base, "rooftop_solar_mw", 1e6)
    assert regional_demand(huge.ds).to_numpy().min() == 0.0


def test_rooftop_solar_then_growth_order_is_fixed(base) -> None:
    spec = parse_spec(
        {
            "parameters": {
                "rooftop_solar_mw": param("fixed", value=100.0),
                "demand_growth": param("fixed", value=0.1, options={"years": 1}),
            }
        }
    )
    inp = apply_scenario(base, spec, {"rooftop_solar_mw": 100.0, "demand_growth": 0.1})
    by_hand = apply(apply(base, "demand_growth", 0.1, years=1), "rooftop_solar_mw", 100.0)
    pd.testing.assert_frame_equal(regional_demand(inp.ds), regional_demand(by_hand.ds))


def test_hydrology_scales_water_and_caps_a_full_month(base) -> None:
    inp = apply(base, "hydro_energy_multiplier", 0.8)
    water = lambda i: i.ds.tables["energy_budgets"].set_index("month")["energy_gwh"]  # noqa: E731
    np.testing.assert_allclose(water(inp), water(base) * 0.8)
    wet = apply(base, "hydro_energy_multiplier", 3.0)
    # 400 MW of hydro in a 31-day month can give at most 297.6 GWh
    assert water(wet)["2024-07"] == pytest.approx(400 * 744 / 1000)
    assert water(wet)["2024-10"] == pytest.approx(80 * 3.0)


def test_fuel_price_and_exchange_rate_move_costs_as_stated(base) -> None:
    ds = base.ds
    gas0 = ds.plants()["marginal_cost_usd_per_mwh"]
    inp = apply(base, "fuel_price", 15.0, fuels=("gas",), reference=10.0, fuel_share_of_cost=0.8)
    gas1 = inp.ds.plants()["marginal_cost_usd_per_mwh"]
    is_gas = ds.plants()["fuel"] == "gas"
    np.testing.assert_allclose(gas1[is_gas], gas0[is_gas] * 1.4)  # 1 + 0.8 x (15/10 - 1)
    np.testing.assert_allclose(gas1[~is_gas], gas0[~is_gas])
    fx = apply(base, "exchange_rate", 350.0, imported_fuels=("gas",))
    cost = fx.ds.plants()["marginal_cost_usd_per_mwh"]
    assert fx.ds.exchange_rate == 350.0
    np.testing.assert_allclose(cost[is_gas], gas0[is_gas])  # imported: same USD
    np.testing.assert_allclose(cost[~is_gas], gas0[~is_gas] * 280 / 350)  # local: PKR fixed
    with pytest.raises(ScenarioError, match="fuel\\(s\\) lng are not in"):
        apply(base, "fuel_price", 1.0, fuels=("lng",))


def test_hosting_limits_scale(base) -> None:
    inp = apply(base, "hosting_limit_scale", 0.5, kinds=("ai",))
    np.testing.assert_allclose(inp.ds.regions["max_ai_mw"], base.ds.regions["max_ai_mw"] * 0.5)
    np.testing.assert_allclose(inp.ds.regions["max_mining_mw"], base.ds.regions["max_mining_mw"])


def test_cost_of_capital_ai_market_and_ownership_reach_the_planner_inputs(base) -> None:
    from gridsurplus.economics.markets import Markets

    inp = apply(base, "discount_rate_by_tech", 0.15, tech="mining")
    inp = apply(inp, "discount_rate_by_tech", 0.08, tech="ai_h100_t3")
    inp = apply(inp, "ai_market_mw", 120.0)
    markets = Markets.from_dataset(inp.ds, inp.markets)
    assert markets.discount_rate(tech="btc_air", kind="mining") == 0.15
    assert markets.discount_rate(tech="ai_h100_t3", kind="ai") == 0.08
    assert markets.ai_market_mw_it() == 120.0
    owned = apply(base, "foreign_ownership_share", 0.6, tech="mining").ds.tables["compute_techs"]
    share = owned.set_index("tech")["foreign_ownership_share"]
    before = base.ds.tables["compute_techs"].set_index("tech")["foreign_ownership_share"]
    mining = owned.set_index("tech")["kind"] == "mining"
    assert (share[mining] == 0.6).all() and share[~mining].equals(before[~mining])


@pytest.mark.parametrize(
    ("name", "value", "options", "message"),
    [
        ("discount_rate_by_tech", 0.1, {"tech": "btc_airr"}, "neither a technology nor a kind"),
        ("foreign_ownership_share", 1.5, {}, "within 0-1"),
        ("foreign_ownership_share", 0.5, {"tech": "nope"}, "no technology or kind 'nope'"),
        ("ai_market_mw", -1.0, {}, "must be >= 0 MW IT"),
    ],
)
def test_bad_values_of_the_new_inputs_are_refused(base, name, value, options, message) -> None:
    with pytest.raises(ScenarioError, match=message):
        apply(base, name, value, **options)


def test_a_spec_naming_an_unknown_applier_or_option_is_refused() -> None:
    bad = parse_spec({"parameters": {"x": param("fixed", value=1, applier="nope")}}, "f.yaml")
    with pytest.raises(ScenarioError, match="f.yaml: parameter 'x' names applier 'nope'"):
        check_appliers(bad)
    bad = parse_spec({"parameters": {"demand_growth": param("fixed", value=0, options={"yrs": 2})}})
    with pytest.raises(ScenarioError, match="takes no option\\(s\\) yrs \\(it takes: years\\)"):
        check_appliers(bad)
