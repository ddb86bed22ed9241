"""Hourly profiles of the reference year, built offline from monthly and seasonal facts.

:func:`build_profiles` returns one :class:`xarray.Dataset` with

- ``demand_mw[time, region]``: seasonal 24-hour shapes scaled to the monthly energy;
- ``temperature_c[time, region]``: monthly normals with a daily cycle;
- ``p_max_pu[time, plant]`` and ``p_min_pu[time, plant]``: what each generating plant may
  produce per MW of capacity (availability, hydro season, wind, solar, monthly availability
  such as nuclear refuelling or the cane-crushing season);
- ``budget_mwh[month, plant]``: monthly energy of reservoir hydro plants (NaN elsewhere).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.calendar import hours_per_month, month_labels
from gridsurplus.dataset import Dataset
from gridsurplus.profiles.demand import national_demand, regional_demand
from gridsurplus.profiles.hydro import hydro_profiles
from gridsurplus.profiles.renewables import monthly_factor, solar_profile, wind_profile
from gridsurplus.profiles.temperature import regional_temperature


def plant_availability(
    ds: Dataset, plants: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per-unit availability of every generating plant, hour by hour.

    Returns
    -------
    tuple of pandas.DataFrame
        ``p_max_pu`` and ``p_min_pu`` [time, plant], and ``budget_mwh`` [month, plant].
    """
    snapshots = ds.snapshots
    hydro_max, hydro_min, budgets = hydro_profiles(ds, plants)
    cols_max, cols_min = {}, {}
    wind = None
    regions = ds.regions
    for plant, row in plants.iterrows():
        if plant in hydro_max.columns:
            cols_max[plant] = hydro_max[plant].to_numpy()
            cols_min[plant] = hydro_min[plant].to_numpy()
            continue
        avail = float(row["availability"])
        profile = row["profile"]
        if profile == "wind":
            wind = wind_profile(ds) if wind is None else wind
            values = wind * avail
        elif profile == "solar":
            lat, lon = row["lat"], row["lon"]
            if pd.isna(lat) or pd.isna(lon):
                lat, lon = regions.loc[row["region"], ["lat", "lon"]]
            values = solar_profile(ds, float(lat), float(lon)) * avail
        elif profile == "monthly":
            values = monthly_factor(ds, str(row["fuel"])).reindex(snapshots.month).to_numpy()
        else:  # flat; a hydro plant without a water budget also runs at its availability
            values = np.full(len(snapshots), avail)
        cols_max[plant] = values
        cols_min[plant] = np.zeros(len(snapshots))
    return (
        pd.DataFrame(cols_max, index=snapshots),
        pd.DataFrame(cols_min, index=snapshots),
        budgets,
    )


def build_profiles(ds: Dataset) -> xr.Dataset:
    """Build the reference year hour by hour.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.

    Returns
    -------
    xarray.Dataset
        See the module docstring for the variables; coordinates ``time``, ``region``,
        ``plant`` and ``month`` (``YYYY-MM``), and ``time_month`` on ``time``.
    """
    plants = ds.plants(generating_only=True)
    demand = regional_demand(ds)
    temperature = regional_temperature(ds)
    p_max, p_min, budgets = plant_availability(ds, plants)
    months = hours_per_month(ds.snapshots).index
    budget = budgets.reindex(index=months, columns=plants.index)
    out = xr.Dataset(
        {
            "demand_mw": (("time", "region"), demand.to_numpy()),
            "temperature_c": (("time", "region"), temperature[demand.columns].to_numpy()),
            "p_max_pu": (("time", "plant"), p_max[plants.index].to_numpy()),
            "p_min_pu": (("time", "plant"), p_min[plants.index].to_numpy()),
            "budget_mwh": (("month", "plant"), budget.to_numpy()),
        },
        coords={
            "time": ds.snapshots,
            "region": list(demand.columns),
            "plant": list(plants.index),
            "month": list(months),
            "time_month": ("time", month_labels(ds.snapshots)),
        },
    )
    out["demand_mw"].attrs["units"] = "MW"
    out["temperature_c"].attrs["units"] = "degC"
    return out


__all__ = ["build_profiles", "national_demand", "plant_availability", "regional_demand"]
