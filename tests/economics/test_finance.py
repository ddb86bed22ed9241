from __future__ import annotations

import math

import pytest

from gridsurplus.economics import finance as fin
from gridsurplus.economics.errors import EconomicsInputError


def test_annuity_factor_textbook_cases():
    # capital recovery factor at 10 %, 10 years: 0.1 / (1 - 1.1**-10) = 0.162745
    assert fin.annuity_factor(0.10, 10) == pytest.approx(0.162745, abs=1e-6)
    # at 8 %, 20 years: 0.101852
    assert fin.annuity_factor(0.08, 20) == pytest.approx(0.101852, abs=1e-6)
    assert fin.annuity_factor(0.0, 4) == 0.25
    assert fin.annuity(1_000_000, 0.10, 10) == pytest.approx(162_745.39, abs=0.01)
    assert fin.present_value_factor(0.10, 10) == pytest.approx(6.144567, abs=1e-6)


def test_npv_textbook_case():
    # -1000 + 500/1.1 + 500/1.21 + 500/1.331 = -1000 + 1243.43 = 243.43
    assert fin.npv(0.10, [-1000, 500, 500, 500]) == pytest.approx(243.426, abs=1e-3)
    assert fin.npv(0.0, [-1000, 500, 500, 500]) == 500


def test_irr_known_cases():
    assert fin.irr([-100, 110]) == pytest.approx(0.10)
    # -100 + 60/x + 60/x**2 = 0 -> x = (60 + sqrt(3600 + 24000)) / 200 = 1.130662
    assert fin.irr([-100, 60, 60]) == pytest.approx(0.130662, abs=1e-6)
    # three years of 500 on 1000: 23.375 %
    r = fin.irr([-1000, 500, 500, 500])
    assert r == pytest.approx(0.23375, abs=1e-5)
    assert fin.npv(r, [-1000, 500, 500, 500]) == pytest.approx(0, abs=1e-6)
    # a loss-making project has a negative IRR
    assert fin.irr([-100, 50, 40]) < 0


def test_irr_without_a_sign_change_is_refused():
    with pytest.raises(EconomicsInputError, match="never change sign"):
        fin.irr([100, 50])
    with pytest.raises(EconomicsInputError, match="never change sign"):
        fin.irr([-100, -50])


def test_payback():
    assert fin.payback_years([-1000, 400, 400, 400]) == 2.5  # 2 years + 200/400
    assert fin.payback_years([-1000, 100, 100]) == math.inf
    assert fin.payback_years([0, 10]) == 0.0
    # discounted at 10 %: 363.6, 330.6, 300.5 -> cumulative -305.8 after 2 years, +-5.3 after 3
    assert fin.discounted_payback_years(0.10, [-1000, 400, 400, 400]) == math.inf
    assert 3 < fin.discounted_payback_years(0.10, [-1000, 400, 400, 400, 400]) < 4


def test_levelise_by_hand():
    # (100 + 50/1.1) / (1 + 1/1.1) = 145.4545 / 1.909091 = 76.1905
    assert fin.levelise([100, 50], 0.10) == pytest.approx(76.1905, abs=1e-4)
    assert fin.levelise([80, 80, 80], 0.07) == pytest.approx(80)
    assert fin.life_weights(0.0, 2.5) == [1.0, 1.0, 0.5]
    assert fin.life_weights(0.10, 2) == pytest.approx([1.0, 1 / 1.1])


def test_currency_conversion():
    # Rs 23/kWh at 281 PKR/USD = 23 / 281 * 1000 = 81.85 USD/MWh
    assert fin.per_kwh_to_usd_per_mwh(23, 281) == pytest.approx(81.8505, abs=1e-4)
    assert fin.usd_per_mwh_to_per_kwh(81.8505338, 281) == pytest.approx(23)
    assert fin.to_usd(2810, 281) == 10
    assert fin.from_usd(10, 281) == 2810
    with pytest.raises(EconomicsInputError, match="exchange rate"):
        fin.to_usd(1, 0)


@pytest.mark.parametrize("rate", [10, -1.5, float("nan")])
def test_impossible_discount_rates(rate):
    with pytest.raises(EconomicsInputError, match="discount rate"):
        fin.npv(rate, [-1, 2])


def test_impossible_lives_and_capex():
    with pytest.raises(EconomicsInputError, match="life"):
        fin.annuity_factor(0.1, 0)
    with pytest.raises(EconomicsInputError, match="capex"):
        fin.annuity(-5, 0.1, 10)
