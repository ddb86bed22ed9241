"""Builders shared by the economics tests: a fake dataset, typed tables, synthetic temperatures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.dataset.validate import coerce_table
from gridsurplus.errors import DatasetError, Problem


@dataclass
class FakeDataset:
    """The attributes of gridsurplus.dataset.Dataset that the economics layer reads."""

    tables: dict[str, pd.DataFrame]
    region_ids: list[str] = field(default_factory=lambda: ["NORTH", "SOUTH"])
    exchange_rate: float = 281.0

    @property
    def regions(self) -> pd.DataFrame:
        return pd.DataFrame({"region": self.region_ids}).set_index("region")

    def table(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            raise DatasetError([Problem(f"{name}.csv", "missing")])
        return self.tables[name]


def typed(rows: list[dict[str, Any]], table) -> pd.DataFrame:
    """Rows typed and defaulted as the dataset loader would."""
    raw = pd.DataFrame(rows).astype(str).replace("nan", "")
    out, problems = coerce_table(raw, table, f"{table.name}.csv")
    assert not problems, problems
    return out


MINING_AIR = {
    "tech": "btc_air",
    "kind": "mining",
    "model": "Antminer S21 XP",
    "cooling": "air",
    "capex_facility_usd_per_mw": 400_000,
    "capex_it_usd_per_mw": 1_800_000,
    "life_facility_years": 10,
    "life_it_years": 4,
    "fixed_om_usd_per_mw_year": 35_000,
    "source": "test",
}
MINING_HYDRO = {
    **MINING_AIR,
    "tech": "btc_hydro",
    "model": "Antminer S21+ Hydro",
    "cooling": "hydro",
}
AI = {
    "tech": "ai_t3",
    "kind": "ai",
    "model": "DGX H100",
    "cooling": "air",
    "utilisation": 0.8,
    "capex_facility_usd_per_mw": 7_000_000,
    "capex_it_usd_per_mw": 14_000_000,
    "life_facility_years": 20,
    "life_it_years": 5,
    "fixed_om_usd_per_mw_year": 200_000,
    "uptime": 0.99982,
    "source": "test",
}

# Flat markets with round numbers, so values can be worked out by hand.
SIMPLE_MARKETS = [
    {"quantity": "plan_start_year", "year": 2026, "value": 2026, "unit": "year"},
    {"quantity": "btc_price_usd", "year": 2026, "value": 100_000, "unit": "USD/BTC"},
    {"quantity": "difficulty", "year": 2026, "value": 100, "unit": "T"},
    {"quantity": "fees_btc_per_block", "year": 2026, "value": 0, "unit": "BTC/block"},
    {"quantity": "pool_fee", "year": 2026, "value": 0.02, "unit": "fraction"},
    {"quantity": "gpu_hour_usd", "year": 2026, "value": 3.0, "unit": "USD/GPU-h"},
    {"quantity": "discount_rate", "year": 2026, "value": 0.10, "unit": "fraction/yr"},
]


def temperature(
    values: dict[str, list[float]] | np.ndarray, start: str = "2026-06-01"
) -> xr.DataArray:
    """Hourly temperatures [degC] with dims (time, region) from per-region lists."""
    if isinstance(values, dict):
        regions = list(values)
        data = np.array([values[r] for r in regions], dtype=float).T
    else:
        raise TypeError("give a dict region -> list of hourly temperatures")
    time = pd.date_range(start, periods=data.shape[0], freq="h", name="time")
    return xr.DataArray(data, dims=("time", "region"), coords={"time": time, "region": regions})


def year_of_temperatures(
    regions: dict[str, tuple[float, float, float]], year: int = 2026
) -> xr.DataArray:
    """8760 hours: mean + seasonal amplitude (peak mid-June) + daily amplitude (peak at 15 h)."""
    time = pd.date_range(f"{year}-01-01", periods=8760, freq="h", name="time")
    doy = time.day_of_year.to_numpy()
    hour = time.hour.to_numpy()
    cols = []
    for mean, seasonal, daily in regions.values():
        cols.append(
            mean
            + seasonal * np.cos(2 * np.pi * (doy - 166) / 365)
            + daily * np.cos(2 * np.pi * (hour - 15) / 24)
        )
    return xr.DataArray(
        np.array(cols).T, dims=("time", "region"), coords={"time": time, "region": list(regions)}
    )
