"""Hours, months and seasons, defined once for every stage.

>>> HOURS_PER_YEAR
8760.0
>>> SEASONS[1], SEASON_MONTHS["summer"]
('winter', (6, 7, 8))
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pandas as pd

HOURS_PER_YEAR = 8760.0
"""Hours of a (non-leap) year [h]: the unit a yearly figure is scaled to."""
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
SEASON_MONTHS = MappingProxyType(
    {
        "winter": (12, 1, 2),
        "spring": (3, 4, 5),
        "summer": (6, 7, 8),
        "autumn": (9, 10, 11),
    }
)
"""Meteorological seasons (Dec-Feb winter, Jun-Aug summer): calendar months of each."""
SEASONS = MappingProxyType(
    {month: season for season, months in SEASON_MONTHS.items() for month in months}
)
"""Season of each calendar month 1-12."""


def season_of(index: pd.DatetimeIndex) -> np.ndarray:
    """Season of each time stamp.

    >>> season_of(pd.DatetimeIndex(["2025-01-05", "2025-07-01"])).tolist()
    ['winter', 'summer']
    """
    return np.asarray(index.month.map(dict(SEASONS)))


def month_labels(snapshots: pd.DatetimeIndex) -> np.ndarray:
    """Month of each snapshot as ``YYYY-MM`` text."""
    return np.asarray(snapshots.strftime("%Y-%m"))


def hours_per_month(snapshots: pd.DatetimeIndex) -> pd.Series:
    """Count the snapshots in each ``YYYY-MM`` month, in order of appearance."""
    labels = pd.Series(month_labels(snapshots))
    return labels.value_counts(sort=False).reindex(pd.unique(labels))


def mid_month_interpolation(monthly: pd.Series, snapshots: pd.DatetimeIndex) -> np.ndarray:
    """Interpolate values given per calendar month (1-12) to hours, anchored mid-month.

    The curve passes through each month's value at the middle of the month and is periodic
    over the year, so there is no jump at month boundaries.

    Parameters
    ----------
    monthly : pandas.Series
        Values indexed by calendar month 1-12.
    snapshots : pandas.DatetimeIndex
        Hours to interpolate to.

    Returns
    -------
    numpy.ndarray
        One value per snapshot.
    """
    doy = snapshots.day_of_year.to_numpy() - 1 + snapshots.hour.to_numpy() / 24.0
    days_in_month = np.array(DAYS_IN_MONTH, dtype=float)
    mid = np.cumsum(days_in_month) - days_in_month / 2.0
    values = monthly.reindex(range(1, 13)).to_numpy(dtype=float)
    # wrap one month either side so the curve is periodic
    x = np.concatenate([[mid[-1] - 365.0], mid, [mid[0] + 365.0]])
    y = np.concatenate([[values[-1]], values, [values[0]]])
    return np.interp(doy, x, y)
