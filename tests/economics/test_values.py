from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from economics_helpers import AI, MINING_AIR, SIMPLE_MARKETS, temperature, year_of_temperatures

from gridsurplus.dataset import load_dataset
from gridsurplus.dataset.schema import COMPUTE_TECHS, MARKETS
from gridsurplus.dataset.validate import coerce_table
from gridsurplus.economics import bitcoin as btc
from gridsurplus.economics.errors import EconomicsInputError, UnknownAsicError
from gridsurplus.economics.finance import annuity
from gridsurplus.economics.values import compute_values, network_hashrate_for, values_frame

PAKISTAN = Path(__file__).resolve().parents[2] / "src" / "gridsurplus" / "data" / "pakistan"

# D = 100T, P = 100,000 USD, subsidy 3.125, no fees:
# 1e15 * 86400 * 3.125 / (1e14 * 2**32) * 1e5 = 62.86427 USD/PH/day
HASHPRICE = 1e15 * 86400 * 3.125 / (100e12 * 2**32) * 100_000


def mild(n=4):
    return temperature({"NORTH": [10.0] * n, "SOUTH": [20.0] * n})


def test_shape_and_variables(make_dataset):
    v = compute_values(make_dataset(), mild())
    assert dict(v.sizes) == {"tech": 3, "region": 2, "time": 4}
    assert v["value_usd_per_mwh"].dims == ("tech", "region", "time")
    assert v["availability"].dims == ("tech", "region", "time")
    assert list(v["tech"].values) == ["btc_air", "btc_hydro", "ai_t3"]
    assert list(v["kind"].values) == ["mining", "mining", "ai"]
    assert v["uptime"].values.tolist() == [0.0, 0.0, 0.99982]
    assert v["efficiency_j_per_th"].values[:2].tolist() == [13.5, 15.0]  # from the catalogue
    assert np.isnan(v["efficiency_j_per_th"].values[2])
    assert float(v["availability"].min()) >= 0
    assert float(v["availability"].max()) <= 1
    assert v.attrs["plan_start_year"] == 2026


def test_mining_value_by_hand(make_dataset):
    v = compute_values(make_dataset(), mild(), year=2026)
    # S21 XP: 62.864 / (0.024 * 13.5) * (1 - 0.02) / 1.02 (air overhead) = 186.4167 USD/MWh
    expected = HASHPRICE / (0.024 * 13.5) * 0.98 / 1.02
    assert expected == pytest.approx(186.4167, abs=1e-4)
    assert v["value_usd_per_mwh"].sel(tech="btc_air").values == pytest.approx(expected)
    # hydro at 10 C and 20 C: overhead 1.04; 62.864 / (0.024 * 15) * 0.98 / 1.04
    hydro = HASHPRICE / (0.024 * 15) * 0.98 / 1.04
    assert v["value_usd_per_mwh"].sel(tech="btc_hydro").values == pytest.approx(hydro)
    # hydro availability = derating 1 * overhead 1.04 / design 1.10
    assert v["availability"].sel(tech="btc_hydro").values == pytest.approx(1.04 / 1.10)
    assert v["availability"].sel(tech="btc_air").values == pytest.approx(1.0)
    assert float(v["hashprice_usd_per_ph_day"].sel(tech="btc_air")) == pytest.approx(HASHPRICE)


def test_ai_value_by_hand(make_dataset):
    v = compute_values(make_dataset(), mild(), year=2026)
    # 3.0 USD/GPU-h * 0.8 / 1.275 kW * 1000 = 1882.35 USD/MWh of IT; PUE 1.30 at 10 and 18 C
    north = v["value_usd_per_mwh"].sel(tech="ai_t3", region="NORTH").values
    assert north == pytest.approx(3.0 * 0.8 / 1.275 * 1000 / 1.30)
    # SOUTH at 20 C: PUE 1.30 + 0.012 * 2 = 1.324
    south = v["value_usd_per_mwh"].sel(tech="ai_t3", region="SOUTH").values
    assert south == pytest.approx(1882.3529 / 1.324, rel=1e-6)
    assert v["availability"].sel(tech="ai_t3", region="SOUTH").values == pytest.approx(1.324 / 1.65)


def test_revenue_at_full_availability_is_machine_value_times_machine_mw(make_dataset):
    temps = temperature({"NORTH": [5.0, 30.0, 44.0, 50.0], "SOUTH": [20.0, 35.0, 46.0, 60.0]})
    v = compute_values(make_dataset(), temps, year=2026)
    revenue_per_built_mw = v["value_usd_per_mwh"] * v["availability"]
    # AI: value/PUE * PUE/PUE_design = IT value / PUE_design, the same in every hour
    ai = revenue_per_built_mw.sel(tech="ai_t3").values
    assert ai == pytest.approx(
        np.full_like(ai, float(v["machine_value_usd_per_mwh"].sel(tech="ai_t3")) / 1.65)
    )


def test_annuity_by_hand(make_dataset):
    v = compute_values(make_dataset(), mild())
    # S21 XP row: 400k over 10 y + 1.8 M over 4 y at 10 %, + 35k fixed O&M
    # 400,000 * 0.162745 + 1,800,000 * 0.315471 + 35,000 = 65,098 + 567,848 + 35,000 = 667,946
    expected = annuity(400_000, 0.10, 10) + annuity(1_800_000, 0.10, 4) + 35_000
    assert expected == pytest.approx(667_946, abs=1)
    assert float(v["annuity_usd_per_mw_year"].sel(tech="btc_air")) == pytest.approx(expected)


def test_levelised_value_is_the_discount_weighted_mean_of_the_years(make_dataset):
    techs = [dict(MINING_AIR, life_it_years=3), dict(AI, life_it_years=3)]
    markets = SIMPLE_MARKETS + [
        {"quantity": "network_hashrate_growth", "year": 2027, "value": 0.2, "unit": "fraction/yr"},
        {"quantity": "gpu_hour_usd_growth", "year": 2027, "value": -0.1, "unit": "fraction/yr"},
    ]
    ds = make_dataset(techs, markets)
    overrides = {"plan_start_year": 2027}
    lev = compute_values(ds, mild(), markets=overrides)
    by_year = [compute_values(ds, mild(), year=y, markets=overrides) for y in (2027, 2028, 2029)]
    w = np.array([1, 1 / 1.1, 1 / 1.21])
    for tech in ("btc_air", "ai_t3"):
        yearly = np.array([float(b["machine_value_usd_per_mwh"].sel(tech=tech)) for b in by_year])
        levelised = float(lev["machine_value_usd_per_mwh"].sel(tech=tech))
        assert levelised == pytest.approx((yearly * w).sum() / w.sum())
    # the 2028 halving and the difficulty growth lower the mining value year by year
    mining = [float(b["machine_value_usd_per_mwh"].sel(tech="btc_air")) for b in by_year]
    assert mining[0] > mining[1] > mining[2]
    assert mining[2] / mining[0] == pytest.approx(0.5 / 1.2**2)  # 1.5625/3.125, two years of +20 %


def test_fleet_factor_scales_mining_only(make_dataset):
    base = compute_values(make_dataset(), mild())
    cut = compute_values(make_dataset(), mild(), fleet_factor=0.88)
    ratio = cut["value_usd_per_mwh"] / base["value_usd_per_mwh"]
    assert ratio.sel(tech=["btc_air", "btc_hydro"]).values == pytest.approx(0.88)
    assert ratio.sel(tech="ai_t3").values == pytest.approx(1.0)
    assert (cut["availability"] == base["availability"]).all()
    for bad in (0, 1.2, -0.5):
        with pytest.raises(EconomicsInputError, match="fleet_factor"):
            compute_values(make_dataset(), mild(), fleet_factor=bad)


def test_network_hashrate_is_difficulty_implied(make_dataset):
    v = compute_values(make_dataset(), mild(), year=2026)
    assert network_hashrate_for(v) == pytest.approx(btc.network_hashrate_eh_s(100e12))
    fleet = btc.fleet_hashrate_eh_s(2000, float(v["efficiency_j_per_th"].sel(tech="btc_air")))
    assert 0.8 < btc.fleet_correction(network_hashrate_for(v), fleet) < 1


def test_heat_derating_in_the_values_never_rises_with_temperature(make_dataset):
    temps = np.linspace(-5, 60, 300)
    v = compute_values(
        make_dataset(regions=("JACOBABAD",)), temperature({"JACOBABAD": temps.tolist()})
    )
    for tech in ("btc_air", "btc_hydro"):
        # availability / (overhead / design) is the pure derating
        avail = v["availability"].sel(tech=tech, region="JACOBABAD").values
        value = v["value_usd_per_mwh"].sel(tech=tech, region="JACOBABAD").values
        overhead = float(v["machine_value_usd_per_mwh"].sel(tech=tech)) / value
        derating = avail / (overhead / float(v["design_overhead"].sel(tech=tech)))
        assert (np.diff(derating) <= 1e-12).all()
        assert (np.diff(overhead) >= -1e-12).all()
    ai_value = v["value_usd_per_mwh"].sel(tech="ai_t3", region="JACOBABAD").values
    pue = float(v["machine_value_usd_per_mwh"].sel(tech="ai_t3")) / ai_value
    assert (np.diff(pue) >= -1e-12).all()


def test_a_jacobabad_year_costs_air_cooled_mining_its_summer_afternoons(make_dataset):
    # Jacobabad: mean 29 C, +-11 C seasonal, +-9 C daily (June afternoons ~49 C); Gilgit: 12 C
    temps = year_of_temperatures({"JACOBABAD": (29.0, 11.0, 9.0), "GILGIT": (12.0, 12.0, 7.0)})
    v = compute_values(make_dataset(regions=("JACOBABAD", "GILGIT")), temps)
    air = v["availability"].sel(tech="btc_air")
    june = air.sel(region="JACOBABAD", time=air["time"].dt.month == 6)
    assert float(june.min()) == 0.0
    assert float(air.sel(region="GILGIT").min()) == 1.0
    hydro = v["availability"].sel(tech="btc_hydro", region="JACOBABAD")
    assert float(air.sel(region="JACOBABAD").mean()) < float(hydro.mean() / (1.04 / 1.10))
    frame = values_frame(v)
    assert list(frame.columns) == ["tech", "region", "time", "value_usd_per_mwh", "availability"]
    assert len(frame) == 3 * 2 * 8760


@pytest.mark.parametrize(
    ("temps", "match"),
    [
        (lambda: temperature({"NORTH": [300.0] * 2, "SOUTH": [290.0] * 2}), "kelvin"),
        (lambda: temperature({"NORTH": [20.0] * 2}), "no temperature for region"),
        (
            lambda: temperature({"NORTH": [20.0], "SOUTH": [20.0], "EAST": [1.0]}),
            "not in the dataset",
        ),
        (lambda: temperature({"NORTH": [20.0], "SOUTH": [20.0]}).rename(region="zone"), "dims"),
        (lambda: np.zeros((2, 2)), "DataArray"),
    ],
)
def test_bad_temperatures(make_dataset, temps, match):
    with pytest.raises(EconomicsInputError, match=match):
        compute_values(make_dataset(), temps())


@pytest.mark.parametrize(
    ("tech", "error", "match"),
    [
        (dict(MINING_AIR, model="Antminer S99"), UnknownAsicError, "unknown ASIC"),
        (dict(MINING_AIR, efficiency_j_per_th=0.0135), EconomicsInputError, "W/GH"),
        (dict(MINING_AIR, cooling="liquid"), EconomicsInputError, "mining cooling"),
        (dict(AI, kw_per_gpu=1275), EconomicsInputError, "not W"),
        (dict(AI, model="DGX Z9"), EconomicsInputError, "unknown GPU system"),
    ],
)
def test_bad_techs(make_dataset, tech, error, match):
    with pytest.raises(error, match=match):
        compute_values(make_dataset([tech]), mild())


def test_missing_market_quantity(make_dataset):
    markets = [m for m in SIMPLE_MARKETS if m["quantity"] != "gpu_hour_usd"]
    with pytest.raises(EconomicsInputError, match="'gpu_hour_usd' is needed"):
        compute_values(make_dataset(markets=markets), mild())
    # mining alone does not need a GPU price; and overrides can stand in for the table
    assert compute_values(make_dataset([MINING_AIR], markets), mild()).sizes["tech"] == 1
    overrides = {m["quantity"]: m["value"] for m in SIMPLE_MARKETS} | {"difficulty": "100T"}
    v = compute_values(make_dataset(markets=None), mild(), year=2026, markets=overrides)
    assert float(v["hashprice_usd_per_ph_day"].sel(tech="btc_air")) == pytest.approx(HASHPRICE)


# --- the embedded Pakistan files ---------------------------------------------------------------


def _pakistan_tables():
    tables = {}
    for name, schema in (("compute_techs", COMPUTE_TECHS), ("markets", MARKETS)):
        raw = pd.read_csv(PAKISTAN / f"{name}.csv", dtype=str, keep_default_na=False)
        tables[name], problems = coerce_table(raw, schema, f"{name}.csv")
        assert not problems, problems
    return tables


def test_pakistan_compute_files_are_valid_and_sourced():
    tables = _pakistan_tables()
    techs, markets = tables["compute_techs"], tables["markets"]
    assert 1 <= len(techs) <= 4
    assert set(techs["kind"]) == {"mining", "ai"}
    assert (techs["source"].str.len() > 20).all()
    assert (markets["source"].str.len() > 10).all()
    assert set(markets["status"]) <= {"sourced", "derived", "estimated", "scenario"}


def test_pakistan_values(make_dataset):
    tables = _pakistan_tables()
    from economics_helpers import FakeDataset

    ds = FakeDataset(tables, ["JACOBABAD", "GILGIT"])
    temps = year_of_temperatures({"JACOBABAD": (27.0, 10.0, 8.0), "GILGIT": (12.0, 12.0, 7.0)})
    v = compute_values(ds, temps)
    assert v.attrs["plan_start_year"] == 2027
    assert np.isfinite(v["value_usd_per_mwh"]).all()
    # levelised over 2027-2030 the halving pulls mining below its 2027 value
    y27 = compute_values(ds, temps, year=2027)
    lev_air = float(v["machine_value_usd_per_mwh"].sel(tech="btc_air"))
    assert lev_air < float(y27["machine_value_usd_per_mwh"].sel(tech="btc_air"))
    ai = v["value_usd_per_mwh"].sel(tech="ai_h100_t3")
    mining = v["value_usd_per_mwh"].sel(tech="btc_air")
    assert float(ai.min()) > 5 * float(mining.max())


def test_loads_from_a_dataset_folder(tmp_path):
    """A tiny dataset on disk: the schema's compute columns load and feed compute_values."""
    (tmp_path / "dataset.yaml").write_text(
        "name: tiny\nreference_year: {label: '2027', start: 2027-01-01}\n"
        "currency: PKR\nexchange_rate: 281\n"
    )
    pd.DataFrame(
        [
            {
                "region": "N",
                "lat": 35.9,
                "lon": 74.3,
                "climate_station": "Gilgit",
                "demand_share": 0.5,
            },
            {
                "region": "S",
                "lat": 28.3,
                "lon": 68.4,
                "climate_station": "Jacobabad",
                "demand_share": 0.5,
            },
        ]
    ).to_csv(tmp_path / "regions.csv", index=False)
    pd.DataFrame(
        [{"fuel": "gas", "mix_group": "gas", "marginal_cost_per_kwh": 20, "availability": 0.9}]
    ).to_csv(tmp_path / "fuels.csv", index=False)
    pd.DataFrame([{"plant": "P1", "region": "N", "fuel": "gas", "capacity_mw": 100}]).to_csv(
        tmp_path / "plants.csv", index=False
    )
    pd.DataFrame([{"link": "L1", "from_region": "N", "to_region": "S", "capacity_mw": 50}]).to_csv(
        tmp_path / "links.csv", index=False
    )
    climate = [
        {
            "station": s,
            "lat": 30,
            "lon": 70,
            "month": m,
            "mean_daily_max_c": hi,
            "mean_daily_min_c": hi - 12,
        }
        for s, hi in (("Gilgit", 20), ("Jacobabad", 40))
        for m in range(1, 13)
    ]
    pd.DataFrame(climate).to_csv(tmp_path / "climate.csv", index=False)
    pd.DataFrame([{"profile": "wind", "month": m, "value": 0.3} for m in range(1, 13)]).to_csv(
        tmp_path / "monthly_factors.csv", index=False
    )
    pd.DataFrame([{"month": f"2027-{m:02d}", "energy_gwh": 50} for m in range(1, 13)]).to_csv(
        tmp_path / "demand_monthly.csv", index=False
    )
    months = " ".join(map(str, range(1, 13)))
    shape = [{"season": "all", "months": months, "hour": h, "factor": 1.0} for h in range(24)]
    pd.DataFrame(shape).to_csv(tmp_path / "load_shape.csv", index=False)
    pd.DataFrame([MINING_AIR, AI]).to_csv(tmp_path / "compute_techs.csv", index=False)
    pd.DataFrame(SIMPLE_MARKETS).to_csv(tmp_path / "markets.csv", index=False)
    ds = load_dataset(tmp_path)
    temps = temperature({"N": [5.0, 10.0], "S": [35.0, 49.0]})
    v = compute_values(ds, temps, year=2026)
    assert v.attrs["exchange_rate"] == 281
    assert float(v["availability"].sel(tech="btc_air", region="S").isel(time=1)) == 0.0
    assert isinstance(v, xr.Dataset)


def test_each_technology_annuity_at_its_own_cost_of_capital(make_dataset):
    markets = [
        *SIMPLE_MARKETS,
        {"quantity": "discount_rate:mining", "year": 2026, "value": 0.15, "unit": "fraction/yr"},
        {"quantity": "discount_rate:btc_hydro", "year": 2026, "value": 0.20, "unit": ""},
    ]
    v = compute_values(make_dataset(markets=markets), mild())
    # btc_air takes its kind's 15 %; btc_hydro its own 20 %; AI the dataset's 10 %
    assert v["discount_rate"].sel(tech="btc_air") == 0.15
    assert v["discount_rate"].sel(tech="btc_hydro") == 0.20
    assert v["discount_rate"].sel(tech="ai_t3") == 0.10
    air = annuity(400_000, 0.15, 10) + annuity(1_800_000, 0.15, 4) + 35_000
    assert float(v["annuity_usd_per_mw_year"].sel(tech="btc_air")) == pytest.approx(air)
    # one rate for all, given as an override, replaces the kind and tech rows
    flat = compute_values(make_dataset(markets=markets), mild(), markets={"discount_rate": 0.10})
    assert set(flat["discount_rate"].values.tolist()) == {0.10}
