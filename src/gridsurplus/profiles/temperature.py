"""Hourly air temperature from monthly normals of daily maximum and minimum."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gridsurplus.calendar import mid_month_interpolation
from gridsurplus.dataset import Dataset

HOUR_MIN = 6.0
"""Local hour of the daily minimum (around sunrise) [h]."""
HOUR_MAX = 15.0
"""Local hour of the daily maximum (mid afternoon) [h]."""


def diurnal_fraction(hour: np.ndarray) -> np.ndarray:
    """Position between the day's minimum (0) and maximum (1) at a local hour.

    A half cosine rises from the minimum at :data:`HOUR_MIN` to the maximum at
    :data:`HOUR_MAX`, and another falls back over the remaining hours.

    Examples
    --------
    >>> diurnal_fraction(np.array([6.0, 15.0]))
    array([0., 1.])
    """
    hour = np.asarray(hour, dtype=float)
    rise = HOUR_MAX - HOUR_MIN
    since_min = (hour - HOUR_MIN) % 24.0
    rising = since_min <= rise
    phase = np.where(rising, since_min / rise, 1.0 + (since_min - rise) / (24.0 - rise))
    return 0.5 - 0.5 * np.cos(np.pi * phase)


def station_temperature(ds: Dataset) -> pd.DataFrame:
    """Hourly temperature [degC] at each climate station.

    Monthly mean daily maxima and minima are interpolated to each day (anchored mid-month,
    so there are no jumps between months), and each day follows :func:`diurnal_fraction`.
    These are climate normals: they carry no heat waves or cold snaps.

    Returns
    -------
    pandas.DataFrame
        Indexed by snapshot, one column per station.
    """
    snapshots = ds.snapshots
    climate = ds.table("climate")
    frac = diurnal_fraction(snapshots.hour.to_numpy())
    out = {}
    for station, rows in climate.groupby("station"):
        rows = rows.set_index("month")
        tmax = mid_month_interpolation(rows["mean_daily_max_c"], snapshots)
        tmin = mid_month_interpolation(rows["mean_daily_min_c"], snapshots)
        out[station] = tmin + (tmax - tmin) * frac
    return pd.DataFrame(out, index=snapshots)


def regional_temperature(ds: Dataset) -> pd.DataFrame:
    """Hourly temperature [degC] per region, from the region's climate station."""
    stations = station_temperature(ds)
    regions = ds.regions
    return pd.DataFrame(
        {r: stations[regions.loc[r, "climate_station"]].to_numpy() for r in regions.index},
        index=stations.index,
    )
