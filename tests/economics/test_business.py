from __future__ import annotations

import math

import pytest
from economics_helpers import AI, MINING_AIR, temperature

from gridsurplus.economics.business import business_case
from gridsurplus.economics.errors import EconomicsInputError
from gridsurplus.economics.finance import annuity, present_value_factor
from gridsurplus.economics.tariffs import Tariff
from gridsurplus.economics.values import compute_values

# D = 100T, P = 100,000 USD, 3.125 BTC, pool fee 2 %: S21 XP earns
# 62.86427 / (0.024 * 13.5) * 0.98 = 190.1460 USD per MWh of ASIC power, / 1.02 per MWh of grid
MINING_VALUE = 1e15 * 86400 * 3.125 / (100e12 * 2**32) * 100_000 / (0.024 * 13.5) * 0.98 / 1.02


@pytest.fixture
def values(make_dataset):
    temps = temperature({"NORTH": [10.0] * 24, "SOUTH": [10.0] * 24})
    return compute_values(make_dataset([MINING_AIR, AI]), temps, year=2026)


def test_mining_business_case_by_hand(values):
    case = business_case(values, "btc_air", "NORTH", Tariff.flat(60, "USD/MWh"), capacity_mw=10)
    # value 186.42 > 60 in every hour: runs 8760 h at availability 1 on 10 MW
    assert case.energy_mwh == pytest.approx(87_600)
    assert case.hours_run == pytest.approx(8760)
    assert case.revenue_usd == pytest.approx(87_600 * MINING_VALUE)
    assert case.power_cost_usd == pytest.approx(87_600 * 60)
    assert case.fixed_om_usd == pytest.approx(350_000)
    margin = 87_600 * (MINING_VALUE - 60) - 350_000
    assert case.operating_margin_usd == pytest.approx(margin)
    capex_annuity = 10 * (annuity(400_000, 0.10, 10) + annuity(1_800_000, 0.10, 4))
    assert case.capex_annuity_usd == pytest.approx(capex_annuity)
    assert case.profit_usd == pytest.approx(margin - capex_annuity)
    assert case.capex_usd == pytest.approx(22_000_000)
    assert case.payback_years == pytest.approx(22_000_000 / margin)
    assert case.npv_usd == pytest.approx((margin - capex_annuity) * present_value_factor(0.10, 10))
    assert case.value_usd_per_mwh == pytest.approx(MINING_VALUE)


def test_miners_stay_off_when_the_tariff_beats_their_value(values):
    case = business_case(values, "btc_air", "NORTH", Tariff.flat(0.2, "USD/kWh"))
    assert case.energy_mwh == 0
    assert case.payback_years == math.inf
    assert case.profit_usd < 0


def test_time_of_use_tariff_in_pkr_with_the_dataset_exchange_rate(values):
    # peak 17-21 h at Rs 60/kWh = 213.5 USD/MWh > 186.4: miners stop 4 hours a day
    tou = Tariff.time_of_use(23, 60, [("all", "17-21")], "PKR/kWh")
    case = business_case(values, "btc_air", "SOUTH", tou)
    assert case.hours_run == pytest.approx(8760 * 20 / 24)
    assert case.tariff_usd_per_mwh == pytest.approx(23 / 281 * 1000)


def test_ai_runs_every_hour(values):
    case = business_case(values, "ai_t3", "NORTH", Tariff.flat(23, "PKR/kWh"), capacity_mw=1)
    # at 10 C the PUE is 1.30: availability 1.30 / 1.65 of the 1 MW connection, every hour
    assert case.energy_mwh == pytest.approx(8760 * 1.30 / 1.65)
    # revenue = IT value * IT MW = 3.0 * 0.8 / 1.275 * 1000 * (1 / 1.65) * 8760
    assert case.revenue_usd == pytest.approx(3.0 * 0.8 / 1.275 * 1000 / 1.65 * 8760)
    assert case.kind == "ai"
    assert set(case.to_dict()) >= {"energy_mwh", "revenue_usd", "power_cost_usd", "payback_years"}


def test_bad_business_case_inputs(values):
    with pytest.raises(EconomicsInputError, match="unknown tech"):
        business_case(values, "btc_gas", "NORTH", Tariff.flat(60))
    with pytest.raises(EconomicsInputError, match="unknown region"):
        business_case(values, "btc_air", "MARS", Tariff.flat(60))
    with pytest.raises(EconomicsInputError, match="capacity"):
        business_case(values, "btc_air", "NORTH", Tariff.flat(60), capacity_mw=0)
