"""The foreign-exchange bridge on a hand case: every term worked out on paper."""

from __future__ import annotations

import pytest

from gridsurplus.economics.errors import EconomicsInputError
from gridsurplus.economics.forex import TechAccount, foreign_exchange_bridge, imported_fuel_usd


def _mining(**kw: float) -> TechAccount:
    args = dict(
        tech="btc_air",
        mw=10.0,
        revenue_usd=3_000_000.0,  # e.g. 30 BTC at 100,000 USD
        profit_usd=200_000.0,
        capex_it_usd_per_mw=1_000_000.0,
        capex_facility_usd_per_mw=500_000.0,
        life_it_years=4.0,
        life_facility_years=10.0,
        cost_of_capital=0.0,  # annuity = capex / life
        import_share_it=1.0,
        import_share_facility=0.4,
        foreign_ownership_share=0.8,
    )
    args.update(kw)
    return TechAccount(**args)  # type: ignore[arg-type]


def _ai(**kw: float) -> TechAccount:
    args = dict(
        tech="ai_h100_t3",
        mw=2.0,
        revenue_usd=4_000_000.0,
        profit_usd=-100_000.0,  # a loss: nothing repatriated, nothing counted in
        capex_it_usd_per_mw=1_000_000.0,
        capex_facility_usd_per_mw=2_000_000.0,
        life_it_years=1.0,
        life_facility_years=1.0,
        cost_of_capital=0.10,  # one-year annuity = capex * 1.1
        import_share_it=1.0,
        import_share_facility=0.5,
        foreign_ownership_share=0.5,
        abroad_share=0.75,
    )
    args.update(kw)
    return TechAccount(**args)  # type: ignore[arg-type]


FUEL = {
    "rlng": 1_000_000.0,
    "coal_imported": 400_000.0,
    "coal_local": 300_000.0,
    "gas_local": -200_000.0,
}
SHARE = {"rlng": 1.0, "coal_imported": 1.0, "coal_local": 0.0}


def test_every_term_of_the_bridge_by_hand():
    b = foreign_exchange_bridge(
        [_mining(), _ai()],
        mining_techs={"btc_air"},
        extra_fuel_cost_usd=FUEL,
        fuel_import_share=SHARE,
    )
    # gross: BTC 3.0 M + AI 0.75 x 4.0 M = 3.0 M
    assert b.btc_usd == 3_000_000.0
    assert b.ai_usd == 3_000_000.0
    assert b.gross_usd == 6_000_000.0
    # fuel: RLNG 1.0 M + imported coal 0.4 M; local coal and gas are domestic (gas_local absent)
    assert b.imported_fuel_usd == 1_400_000.0
    # hardware: mining 10 MW x (1.0 x 1.0 M / 4 + 0.4 x 0.5 M / 10) = 10 x 270,000 = 2.7 M;
    # AI 2 MW x (1.0 x 1.1 M + 0.5 x 2.2 M) = 4.4 M
    assert b.imported_hardware_usd == pytest.approx(7_100_000.0, abs=1e-6)
    # profit: 0.8 x 200,000 of mining; the AI loss counts nothing
    assert b.profit_repatriated_usd == pytest.approx(160_000.0, abs=1e-9)
    # net: 6.0 - 1.4 - 7.1 - 0.16 = -2.66 M
    assert b.net_usd == pytest.approx(-2_660_000.0, abs=1e-6)
    steps = b.steps()
    assert [name for name, _ in steps] == [
        "foreign_exchange_gross_usd",
        "imported_fuel_usd",
        "imported_hardware_usd",
        "profit_repatriated_usd",
        "foreign_exchange_net_usd",
    ]
    # the bridge sums: gross plus the signed steps is net
    assert sum(v for _, v in steps[:-1]) == pytest.approx(steps[-1][1], abs=1e-6)
    assert b.to_dict()["foreign_exchange_net_usd"] == b.net_usd


def test_nothing_built_nothing_earned_or_spent():
    b = foreign_exchange_bridge(
        [_mining(mw=0.0, revenue_usd=0.0, profit_usd=0.0)],
        mining_techs={"btc_air"},
        extra_fuel_cost_usd={},
        fuel_import_share=SHARE,
    )
    assert b.to_dict() == {
        "btc_revenue_usd": 0.0,
        "ai_revenue_usd": 0.0,
        "foreign_exchange_gross_usd": 0.0,
        "imported_fuel_usd": 0.0,
        "imported_hardware_usd": 0.0,
        "profit_repatriated_usd": 0.0,
        "foreign_exchange_net_usd": 0.0,
    }


def test_fully_domestic_operator_keeps_gross():
    b = foreign_exchange_bridge(
        [_mining(import_share_it=0.0, import_share_facility=0.0, foreign_ownership_share=0.0)],
        mining_techs={"btc_air"},
        extra_fuel_cost_usd={"coal_local": 5.0},
        fuel_import_share=SHARE,
    )
    assert b.net_usd == b.gross_usd == 3_000_000.0


def test_bad_shares_are_named():
    with pytest.raises(EconomicsInputError, match="foreign_ownership_share of 'btc_air'"):
        _mining(foreign_ownership_share=1.2)
    with pytest.raises(EconomicsInputError, match="import share of fuel 'rlng'"):
        imported_fuel_usd({"rlng": 1.0}, {"rlng": 80.0})


def test_a_window_of_the_year_carries_its_share_of_the_hardware_annuity():
    # January alone (744 of 8760 h): mining's 2.7 M/yr of imported hardware prorated
    january = _mining(year_share=744 / 8760).imported_hardware_usd()
    assert january == pytest.approx(2_700_000.0 * 744 / 8760, rel=1e-12)
    with pytest.raises(EconomicsInputError, match="year_share"):
        _mining(year_share=1.5)
