from __future__ import annotations

import pandas as pd
import pytest

from gridsurplus.economics.asics import (
    EFFICIENCY,
    asic_economics,
    breakeven_table,
    find_asic,
    load_asic_catalogue,
)
from gridsurplus.economics.errors import EconomicsInputError, UnknownAsicError
from gridsurplus.errors import GridsurplusError


def test_catalogue_carries_the_shared_data_with_its_sources():
    cat = load_asic_catalogue()
    assert len(cat) == 20
    assert {"sources", "spec_confidence", "cooling", "indicative_price_usd_per_TH"} <= set(
        cat.columns
    )
    assert cat["sources"].str.len().min() > 10
    assert cat[EFFICIENCY].between(5, 200).all()
    # stated J/TH agrees with power / hashrate (S21 XP: 3645 W / 270 TH/s = 13.5)
    implied = cat["power_W"] / cat["hashrate_THs"]
    assert ((implied / cat[EFFICIENCY] - 1).abs() < 0.1).all()
    assert set(cat["cooling_type"]) == {"air", "hydro", "immersion"}


@pytest.mark.parametrize(
    "name", ["Antminer S21 XP", "antminer s21 xp", "S21 XP", "s21xp", "S21-XP"]
)
def test_find_asic_forgives_spelling(name):
    row = find_asic(name)
    assert row.name == "Antminer S21 XP"
    assert row[EFFICIENCY] == 13.5


def test_find_asic_strips_parenthetical_variants():
    assert find_asic("Antminer S19j Pro").name == "Antminer S19j Pro (104T)"


def test_unknown_asic_is_a_clear_error():
    with pytest.raises(
        UnknownAsicError, match="unknown ASIC model 'Antminer S99'; closest"
    ) as info:
        find_asic("Antminer S99")
    assert isinstance(info.value, GridsurplusError)
    assert isinstance(info.value, ValueError)


def test_user_rows_extend_and_override_the_catalogue(tmp_path):
    extra = [
        {"model": "Future X1", "hashrate_THs": 500, "power_W": 4000},  # 8 J/TH computed
        {"model": "Antminer S21 XP", "efficiency_J_per_TH": 14.0, "cooling": "air"},  # override
    ]
    cat = load_asic_catalogue(extra)
    assert cat.loc["Future X1", EFFICIENCY] == 8.0
    assert cat.loc["Future X1", "cooling_type"] == "air"
    assert cat.loc["Antminer S21 XP", EFFICIENCY] == 14.0
    assert len(cat) == 21
    path = tmp_path / "mine.csv"
    pd.DataFrame([{"model": "Tank T1", "efficiency_J_per_TH": 11, "cooling": "immersion"}]).to_csv(
        path, index=False
    )
    from_file = load_asic_catalogue(path)
    assert find_asic("tank t1", from_file)["cooling_type"] == "immersion"


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ({"model": "Bad", "efficiency_J_per_TH": 0.02}, "J/GH or W/GH"),
        ({"model": "Bad", "efficiency_J_per_TH": 20_000}, "J/PH or W/PH"),
        ({"model": "Bad"}, "has no efficiency"),
        (
            {"model": "Bad", "efficiency_J_per_TH": 15, "hashrate_THs": 200, "power_W": 4000},
            "disagrees",
        ),
        ({"model": "Bad", "efficiency_J_per_TH": 15, "cooling": "magic"}, "cooling"),
    ],
)
def test_user_rows_in_the_wrong_unit_are_refused(row, match):
    with pytest.raises(EconomicsInputError, match=match):
        load_asic_catalogue([row])


def test_missing_user_file():
    with pytest.raises(EconomicsInputError, match="does not exist"):
        load_asic_catalogue("/nonexistent/asics.csv")


def test_asic_economics_by_hand():
    # S21 XP at 39.53 USD/PH/day: 39.53 / (0.024 * 13.5) = 122.006 USD/MWh; 2 % pool fee: 119.57
    out = asic_economics(13.5, 39.53, power_price_usd_per_kwh=0.08, pool_fee=0.02)
    assert out["revenue_usd_per_mwh"] == pytest.approx(39.53 / 0.324 * 0.98)
    assert out["breakeven_usd_per_kwh"] == pytest.approx(out["revenue_usd_per_mwh"] / 1000)
    assert out["margin_usd_per_mwh"] == pytest.approx(out["revenue_usd_per_mwh"] - 80)
    assert asic_economics(13.5, 39.53)["margin_usd_per_mwh"] is None


def test_breakeven_table_is_sorted_and_keeps_the_identities():
    table = breakeven_table(39.53, power_price_usd_per_kwh=0.08)
    assert list(table["efficiency_j_per_th"]) == sorted(table["efficiency_j_per_th"])
    assert list(table["breakeven_usd_per_kwh"] * 1000) == pytest.approx(
        list(table["revenue_usd_per_mwh"])
    )
    assert table.loc["Antminer S21 XP", "breakeven_usd_per_kwh"] == pytest.approx(0.12201, rel=1e-4)
