"""The hourly year keeps the monthly facts it was built from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gridsurplus.dataset import load_dataset
from gridsurplus.profiles import build_profiles
from gridsurplus.profiles.temperature import diurnal_fraction


@pytest.fixture(scope="module")
def pakistan():
    ds = load_dataset()
    return ds, build_profiles(ds)


def test_demand_sums_to_each_months_energy_and_shares(pakistan) -> None:
    ds, p = pakistan
    national = p["demand_mw"].sum("region").to_pandas()
    monthly = national.groupby(national.index.strftime("%Y-%m")).sum() / 1000.0
    published = ds.table("demand_monthly").set_index("month")["energy_gwh"]
    np.testing.assert_allclose(monthly.reindex(published.index), published, rtol=1e-9)
    shares = p["demand_mw"].sum("time") / p["demand_mw"].sum()
    np.testing.assert_allclose(
        shares.to_pandas().reindex(ds.regions.index), ds.regions["demand_share"], rtol=1e-9
    )


def test_demand_has_the_solar_dip_and_a_single_day_peak(pakistan) -> None:
    _, p = pakistan
    national = p["demand_mw"].sum("region").to_pandas()
    july = national["2024-07"]
    by_hour = july.groupby(july.index.hour).mean()
    assert by_hour.idxmin() in (11, 12, 13)  # midday trough (rooftop solar)
    assert by_hour.idxmax() in (21, 22, 23, 0)  # night peak
    top = national.nlargest(3)
    assert top.index.normalize().nunique() == 3  # the three highest hours fall on three days
    assert 23_000 < national.max() < 26_000  # record served peak 25,516 MW (Aug 2023)


def test_temperature_reaches_the_normals_mid_month(pakistan) -> None:
    ds, p = pakistan
    clim = ds.table("climate").set_index(["station", "month"])
    temp = p["temperature_c"].sel(region="SEPCO").to_pandas()
    day = temp["2025-06-15"]  # Sukkur, June
    assert day.max() == pytest.approx(clim.loc[("Sukkur", 6), "mean_daily_max_c"], abs=0.3)
    assert day.min() == pytest.approx(clim.loc[("Sukkur", 6), "mean_daily_min_c"], abs=0.3)
    assert day.idxmax().hour == 15 and day.idxmin().hour == 6


def test_diurnal_fraction_rises_then_falls() -> None:
    h = np.arange(0, 24, 0.5)
    f = diurnal_fraction(h)
    assert f.min() == 0.0 and f.max() == 1.0
    rising = (h >= 6) & (h <= 15)
    assert np.all(np.diff(f[rising]) >= 0)


def test_hydro_wind_and_nuclear_energy_match_the_year(pakistan) -> None:
    ds, p = pakistan
    plants = ds.plants(generating_only=True)
    cap = plants["capacity_mw"].to_xarray().rename(plant="plant")
    energy = (p["p_max_pu"] * cap).sum("time").to_pandas()
    budgets = ds.table("energy_budgets")
    water = budgets[budgets["kind"] == "water"]["energy_gwh"].sum() * 1000
    ror = plants.index[(plants["fuel"] == "hydro") & (plants["profile"] == "hydro_ror")]
    reservoir_water = float(p["budget_mwh"].sum())
    assert energy[ror].sum() + reservoir_water == pytest.approx(water, rel=1e-9)
    wind = plants.index[plants["fuel"] == "wind"]
    assert energy[wind].sum() / 1000 == pytest.approx(3840.0, rel=2e-3)  # FY25 wind, derived
    nuclear = plants.index[plants["fuel"] == "nuclear"]
    assert energy[nuclear].sum() / 1000 == pytest.approx(22456.0, rel=2e-3)  # FY25 nuclear


def test_solar_follows_the_sun(pakistan) -> None:
    ds, p = pakistan
    solar = p["p_max_pu"].sel(plant="SOL-QASP").to_pandas()
    assert solar[solar.index.hour.isin([0, 1, 2, 3, 22, 23])].max() == 0.0
    cf = solar.mean()
    assert 0.14 < cf < 0.21  # utility PV in Punjab
    winter_noon = solar[(solar.index.month == 12) & (solar.index.hour == 12)].mean()
    assert winter_noon > 0.4


def test_profiles_of_a_toy_dataset(toy_dataset) -> None:
    ds = load_dataset(toy_dataset)
    p = build_profiles(ds)
    assert p.sizes == {"time": 8760, "region": 3, "plant": 5, "month": 12}
    assert not bool(np.isnan(p["p_max_pu"]).any())
    res = p["budget_mwh"].sel(plant="N-HYDRO").to_pandas()
    assert res.sum() / 1000 == pytest.approx(1530.0)
    assert isinstance(p.indexes["time"], pd.DatetimeIndex)
