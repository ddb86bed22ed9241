"""Hourly demand per region from monthly energy and seasonal 24-hour shapes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gridsurplus.calendar import hours_per_month, mid_month_interpolation, month_labels
from gridsurplus.dataset import Dataset


def national_demand(ds: Dataset) -> pd.Series:
    """National hourly demand [MW] of the reference year.

    Each day takes its season's normalised 24-hour shape (with the midday dip that rooftop
    solar digs) times a daily level that moves smoothly through the monthly averages (anchored
    mid-month), so load rises and falls across a month as seasons turn instead of repeating
    one day 30 times; each month is then scaled so its hours sum exactly to its energy.

    Parameters
    ----------
    ds : Dataset
        Dataset with ``demand_monthly`` and ``load_shape`` (or ``demand_hourly``).

    Returns
    -------
    pandas.Series
        Demand [MW] indexed by the dataset's snapshots.
    """
    snapshots = ds.snapshots
    if ds.demand_hourly is not None:
        return ds.demand_hourly.sum(axis=1).rename("demand_mw")
    shape = ds.table("load_shape")
    factor_by_month_hour = np.zeros((13, 24))
    for _, rows in shape.groupby("season", sort=False):
        months = [int(m) for m in str(rows["months"].iloc[0]).replace(",", " ").split()]
        factors = rows.sort_values("hour")["factor"].to_numpy(dtype=float)
        for m in months:
            factor_by_month_hour[m] = factors
    labels = month_labels(snapshots)
    energy_mwh = ds.table("demand_monthly").set_index("month")["energy_gwh"] * 1000.0
    mean_mw = energy_mwh / hours_per_month(snapshots)
    by_calendar_month = pd.Series(mean_mw.to_numpy(), index=[int(m[5:]) for m in mean_mw.index])
    level = mid_month_interpolation(by_calendar_month.groupby(level=0).mean(), snapshots)
    raw = level * factor_by_month_hour[snapshots.month.to_numpy(), snapshots.hour.to_numpy()]
    raw_sum = pd.Series(raw).groupby(labels).transform("sum").to_numpy()
    mw = raw / raw_sum * energy_mwh.reindex(labels).to_numpy()
    return pd.Series(mw, index=snapshots, name="demand_mw")


def regional_demand(ds: Dataset) -> pd.DataFrame:
    """Hourly demand [MW] per region: the national series times each region's share.

    Returns
    -------
    pandas.DataFrame
        Indexed by snapshot, one column per region.
    """
    if ds.demand_hourly is not None:
        return ds.demand_hourly[list(ds.regions.index)]
    national = national_demand(ds)
    shares = ds.regions["demand_share"].astype(float)
    return pd.DataFrame(
        np.outer(national.to_numpy(), shares.to_numpy()), index=national.index, columns=shares.index
    )
