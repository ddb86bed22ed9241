from __future__ import annotations

import pandas as pd
import pytest

from gridsurplus.economics import bitcoin as btc
from gridsurplus.economics.errors import EconomicsInputError
from gridsurplus.economics.markets import Markets, hashprice_in_year, hashprice_path


def frame(rows):
    return pd.DataFrame(rows, columns=["quantity", "year", "value", "unit"])


BASE = [
    ("plan_start_year", 2027, 2027, "year"),
    ("btc_price_usd", 2026, 90_000, "USD/BTC"),
    ("btc_price_usd", 2030, 130_000, "USD/BTC"),
    ("difficulty", 2026, 150, "T"),
    ("network_hashrate_growth", 2027, 0.15, "fraction/yr"),
    ("network_hashrate_growth", 2028, 0.0, "fraction/yr"),
    ("network_hashrate_growth", 2029, 10, "%/yr"),
    ("fee_share", 2026, 0.55, "%"),
    ("pool_fee", 2026, 0.02, "fraction"),
    ("gpu_hour_usd", 2026, 3.0, "USD/GPU-h"),
    ("gpu_hour_usd_growth", 2027, -0.15, "fraction/yr"),
    ("gpu_hour_usd:ai_b200", 2026, 5.0, "USD/GPU-h"),
    ("discount_rate", 2026, 0.10, "fraction/yr"),
    ("tariff_flat", 2024, 23, "PKR/kWh"),
]


def test_levels_interpolate_and_stay_flat_outside():
    mk = Markets.from_frame(frame(BASE))
    assert mk.level("btc_price_usd", 2025) == 90_000
    assert mk.level("btc_price_usd", 2028) == 110_000  # halfway from 2026 to 2030
    assert mk.level("btc_price_usd", 2035) == 130_000


def test_difficulty_grows_with_network_hashrate_after_the_last_year_given():
    mk = Markets.from_frame(frame(BASE))
    d26 = 150e12
    assert mk.level("difficulty", 2026) == d26
    assert mk.level("difficulty", 2027) == pytest.approx(d26 * 1.15)
    assert mk.level("difficulty", 2028) == pytest.approx(d26 * 1.15)  # flat in 2028
    assert mk.level("difficulty", 2030) == pytest.approx(d26 * 1.15 * 1.10 * 1.10)


def test_gpu_price_path_and_per_tech_price():
    mk = Markets.from_frame(frame(BASE))
    assert mk.gpu_hour_usd(2026) == 3.0
    assert mk.gpu_hour_usd(2028) == pytest.approx(3.0 * 0.85 * 0.85)
    assert mk.gpu_hour_usd(2028, "ai_b200") == pytest.approx(5.0 * 0.85 * 0.85)
    assert mk.gpu_hour_usd(2028, "ai_other") == pytest.approx(3.0 * 0.85 * 0.85)


def test_rates_step_and_percent_units():
    mk = Markets.from_frame(frame(BASE))
    assert mk.step("fee_share", 2030) == pytest.approx(0.0055)
    assert mk.step("pool_fee", 2020) == 0.02  # before the first row: the first row
    assert mk.step("network_hashrate_growth", 2026) == 0.0  # growth before its first year: zero
    assert mk.step("network_hashrate_growth", 2031) == pytest.approx(0.10)
    assert mk.discount_rate() == 0.10
    assert mk.plan_start_year() == 2027
    tariff = mk.flat_tariff()
    assert (tariff.base_rate, tariff.unit) == (23, "PKR/kWh")


def test_overrides_replace_the_table():
    mk = Markets.from_frame(frame(BASE), {"btc_price_usd": 150_000, "difficulty": "200T"})
    assert mk.level("btc_price_usd", 2031) == 150_000
    assert mk.level("difficulty", 2000) == 200e12
    mk = Markets.from_frame(
        None, {"btc_price_usd": {2027: 100_000, 2029: 200_000}, "plan_start_year": 2027}
    )
    assert mk.level("btc_price_usd", 2028) == 150_000


def test_hashprice_in_a_year_matches_the_point_formula():
    mk = Markets.from_frame(frame(BASE))
    row = hashprice_in_year(mk, 2026)
    point = btc.hashprice(90_000, 150e12, fee_share=0.0055, block_height=950_000)
    assert row["usd_per_ph_day"] == pytest.approx(point.usd_per_ph_day)
    assert row["network_hashrate_eh_s"] == pytest.approx(point.network_hashrate_eh_s)
    assert row["pool_fee"] == 0.02


def test_hashprice_path_carries_the_2028_halving():
    rows = [r for r in BASE if r[0] != "btc_price_usd"] + [
        ("btc_price_usd", 2026, 90_000, "USD/BTC")
    ]
    path = hashprice_path(Markets.from_frame(frame(rows)), range(2027, 2030))
    # flat price, flat difficulty in 2028: the USD hashprice falls with the mean subsidy
    ratio = path.loc[2028, "usd_per_ph_day"] / path.loc[2027, "usd_per_ph_day"]
    assert ratio == pytest.approx(btc.mean_subsidy_in_year(2028) / 3.125)
    assert path.loc[2029, "subsidy_btc"] == 1.5625


@pytest.mark.parametrize(
    ("rows", "match"),
    [
        ([("btc_prise_usd", 2026, 1, "")], "unknown quantity"),
        ([("btc_price_usd", 2026, -5, "USD/BTC")], "above zero"),
        ([("difficulty", 2026, 0, "T")], "difficulty"),
        ([("difficulty", 2026, 150, "EH/s")], "difficulty unit"),
        ([("difficulty", 2026, 148.26, "")], "give unit T"),
        ([("fee_share", 2026, 0.1, ""), ("fees_btc_per_block", 2026, 0.02, "")], "not both"),
        ([("pool_fee", 2026, 2, "fraction")], "fraction"),
        ([("btc_price_usd", 2026, 1, ""), ("btc_price_usd", 2026, 2, "")], "twice"),
        ([("gpu_hour_usd", 2026, 3, "EUR/month")], "unit"),
        ([("tariff_flat", 2026, 23, "PKR per unit")], "tariff unit"),
        ([("discount_rate", 2026, 10, "fraction/yr")], "0.10 for 10"),
    ],
)
def test_impossible_markets(rows, match):
    with pytest.raises(EconomicsInputError, match=match):
        Markets.from_frame(frame(rows))


def test_a_missing_quantity_names_itself():
    mk = Markets.from_frame(frame([("plan_start_year", 2027, 2027, "year")]))
    with pytest.raises(EconomicsInputError, match="'btc_price_usd' is needed"):
        hashprice_in_year(mk, 2027)


def test_cost_of_capital_by_technology_then_kind_then_all():
    rows = [
        *BASE,
        ("discount_rate:mining", 2026, 15, "%/yr"),
        ("discount_rate:ai_b200", 2026, 0.13, "fraction/yr"),
    ]
    mk = Markets.from_frame(frame(rows))
    assert mk.discount_rate(tech="btc_air", kind="mining") == pytest.approx(0.15)
    assert mk.discount_rate(tech="ai_b200", kind="ai") == 0.13
    assert mk.discount_rate(tech="ai_h100", kind="ai") == 0.10
    flat = Markets.from_frame(frame(rows), {"discount_rate": 0.08})
    assert flat.discount_rate(tech="ai_b200", kind="ai") == 0.08
    assert flat.discount_rate(tech="btc_air", kind="mining") == 0.08


def test_ai_market_in_mw_of_it_load():
    assert Markets.from_frame(frame(BASE)).ai_market_mw_it() == float("inf")
    mk = Markets.from_frame(frame([*BASE, ("ai_market_mw_it", 2030, 50, "MW IT")]))
    assert mk.ai_market_mw_it() == 50  # before its first year: the first row's value
    assert Markets.from_frame(frame(BASE), {"ai_market_mw_it": 300}).ai_market_mw_it() == 300
    with pytest.raises(EconomicsInputError, match="ai_market_mw_it in 2030 must be >= 0"):
        Markets.from_frame(frame([*BASE, ("ai_market_mw_it", 2030, -1, "MW IT")]))
    with pytest.raises(EconomicsInputError, match="unit 'GW'"):
        Markets.from_frame(frame([*BASE, ("ai_market_mw_it", 2030, 1, "GW")]))
