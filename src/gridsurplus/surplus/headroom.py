"""Curtailment-enabled headroom: constant new load a grid can take if it accepts rare curtailment.

The method of Norris, Profeta, Patiño-Echeverri and Cowie-Haskell (2025), "Rethinking Load
Growth", Duke University. A new load of ``L`` [MW] is added in every hour. Each hour has a
threshold the total may not exceed: by default the highest summer (June-August) load of the
whole series, applied April-October, and the highest winter (December-February) load, applied
November-March; or a given hourly series such as the available generating capacity. The new
load gives up what would cross the threshold::

    c_t(L) = min(L, max(0, load_t + L - threshold_t))                            [MW]

Each calendar year's curtailment rate is its curtailed energy over what the new load would draw
in the hours the series covers, ``r_y = sum_y c_t / (L * H_y)``, and the rates are averaged with
weights ``w_y = H_y / sum(H)``. For a full year of 8760 h this is the paper's
``sum c_t / (L * 8760)``; a partly covered year counts for its share of the hours. The weighted
mean equals ``sum c_t / (L * sum(H))``, so where calendar years cut the series (a mid-year start,
another time zone) does not change the answer. (The paper divides a leap year by 8760 h too; we
divide by its 8784 h, which keeps that invariance.) ``L`` is solved with
:func:`scipy.optimize.brentq` so that the mean rate equals each limit.

``c_t`` is capped at ``L``: the new load cannot give up more than it draws. The cap only binds
in hours where the existing load already reaches the threshold (the peak hours themselves, or
load above the available capacity); the paper's thresholds are seasonal maxima, so it binds there
only at the peaks, where both formulas agree.

This module is pure: it takes series and reads no file. Load files are read, trimmed and put on
whole hours by :mod:`gridsurplus.dataset.load_series`, whose gap policy this module shares: hours
of a skipped gap are absent from the series and simply not counted.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.calendar import HOURS_PER_YEAR
from gridsurplus.dataset.load_series import (
    MAX_INTERPOLATE_HOURS,
    Gap,
    LoadSeriesError,
    fill_gaps,
)
from gridsurplus.surplus.headroom_result import HeadroomError, HeadroomResult, RateResult

DEFAULT_RATES_PCT: tuple[float, ...] = (0.25, 0.5, 1.0, 5.0)
SUMMER_PEAK_MONTHS = (6, 7, 8)
WINTER_PEAK_MONTHS = (12, 1, 2)
SUMMER_MONTHS = (4, 5, 6, 7, 8, 9, 10)  # the summer threshold applies April-October
_HOUR = pd.Timedelta(hours=1)

__all__ = ["Gap", "HeadroomError", "HeadroomResult", "RateResult", "curtailment_headroom"]


def seasonal_thresholds(load_mw: pd.Series) -> tuple[pd.Series, dict[str, Any]]:
    """Hourly threshold from the series' highest summer and winter loads.

    The summer threshold is the highest June-August load over all years and applies
    April-October; the winter one is the highest December-February load and applies
    November-March. Months are read in the index's own time zone.

    Parameters
    ----------
    load_mw : pandas.Series
        Hourly load [MW] on a DatetimeIndex.

    Returns
    -------
    pandas.Series
        Threshold [MW] for every hour of ``load_mw``.
    dict
        ``summer_mw``, ``summer_peak_at``, ``winter_mw``, ``winter_peak_at`` (None for a season
        the series has no hours to apply to).

    Raises
    ------
    HeadroomError
        If the series has hours a season's threshold applies to but none of its peak months.
    """
    index = pd.DatetimeIndex(load_mw.index)
    months = index.month
    in_summer = np.isin(months, SUMMER_MONTHS)
    info: dict[str, Any] = {"kind": "seasonal"}
    threshold = np.empty(len(index))
    seasons = (
        ("summer", SUMMER_PEAK_MONTHS, in_summer, "June-August", "April-October"),
        ("winter", WINTER_PEAK_MONTHS, ~in_summer, "December-February", "November-March"),
    )
    for season, peak_months, applies, peak_text, applies_text in seasons:
        info[f"{season}_mw"] = info[f"{season}_peak_at"] = None
        if not applies.any():
            continue
        peaks = load_mw[np.isin(months, peak_months)]
        if peaks.empty:
            raise HeadroomError(
                f"the series has hours in {applies_text} but none in {peak_text}, so the {season} "
                f"threshold (the highest {peak_text} load) is undefined; give a series that covers "
                f"{peak_text} or pass threshold_mw"
            )
        info[f"{season}_mw"] = float(peaks.max())
        info[f"{season}_peak_at"] = peaks.idxmax()
        threshold[applies] = info[f"{season}_mw"]
    return pd.Series(threshold, index=index, name="threshold_mw"), info


def curtailment_rate(slack_mw: np.ndarray, new_load_mw: float) -> float:
    """Share of a constant new load's energy curtailed, over all hours given [-].

    Parameters
    ----------
    slack_mw : numpy.ndarray
        Threshold minus existing load in each hour [MW].
    new_load_mw : float
        Constant new load ``L`` [MW], > 0.

    Returns
    -------
    float
        ``sum_t min(L, max(0, L - slack_t)) / (L * hours)`` [-].

    Examples
    --------
    >>> curtailment_rate(np.array([0.0, 10.0, 100.0, 100.0]), 20.0)  # (20 + 10 + 0 + 0) / 80
    0.375
    """
    curtailed = np.clip(new_load_mw - slack_mw, 0.0, new_load_mw)
    return float(curtailed.sum() / (new_load_mw * slack_mw.size))


def _solve_headroom(slack_mw: np.ndarray, limit: float) -> float:
    """Largest ``L`` [MW] whose curtailment rate is ``limit`` [-]; 0 if even a tiny L exceeds it."""
    from scipy.optimize import brentq

    at_threshold = np.count_nonzero(slack_mw <= 0) / slack_mw.size
    if at_threshold > limit:
        return 0.0
    positive = slack_mw[slack_mw > 0]
    low = float(positive.min())  # for 0 < L <= low the rate is at_threshold <= limit
    high = 2.0 * float(positive.max())  # every hour then loses >= half of L: rate >= 0.5
    for _ in range(200):
        if curtailment_rate(slack_mw, high) > limit:
            break
        high *= 2.0
    return float(brentq(lambda x: curtailment_rate(slack_mw, x) - limit, low, high, maxiter=500))


def curtailment_headroom(
    load_mw: pd.Series,
    rates_pct: tuple[float, ...] | list[float] = DEFAULT_RATES_PCT,
    *,
    threshold_mw: pd.Series | None = None,
    max_gap_hours: int = MAX_INTERPOLATE_HOURS,
    gaps: str = "error",
) -> HeadroomResult:
    """Constant new load that can be added if it accepts a mean curtailment rate.

    Parameters
    ----------
    load_mw : pandas.Series
        Existing hourly load [MW] on a DatetimeIndex (naive or tz-aware; months and years are
        read in its time zone), possibly over several years. Runs of up to ``max_gap_hours``
        missing hours are filled by linear interpolation; longer ones follow ``gaps``.
    rates_pct : sequence of float
        Curtailment limits: mean share of the new load's energy curtailed [%], each in (0, 100).
    threshold_mw : pandas.Series or None
        Hourly threshold [MW] on the same (complete) hourly index, e.g. the available
        generating capacity. If None, the seasonal peak thresholds of
        :func:`seasonal_thresholds` are used.
    max_gap_hours : int
        Longest run of missing hours always filled [h].
    gaps : {"error", "skip", "interpolate"}
        Longer runs: refused, left out of every figure, or interpolated too (see
        :func:`gridsurplus.dataset.load_series.fill_gaps`).

    Returns
    -------
    HeadroomResult
        Per limit: headroom ``L`` [MW], curtailed hours, hours with at least half of ``L``
        served, mean event length, curtailed energy; and the thresholds and year weights used.

    Raises
    ------
    HeadroomError
        If the series or threshold cannot be used or a limit is outside (0, 100).

    Examples
    --------
    A flat 100 MW load with one 150 MW hour in January and one in July: both seasonal
    thresholds are 150 MW. For L <= 50 MW only the two peak hours are curtailed; above,
    ``(2 L + 8758 (L - 50)) / (8760 L) = 1 %`` gives ``L = 437,900 / 8,672.4`` MW.

    >>> idx = pd.date_range("2023-01-01", periods=8760, freq="h")
    >>> load = pd.Series(100.0, index=idx)
    >>> load["2023-01-16 18:00"] = load["2023-07-16 15:00"] = 150.0
    >>> result = curtailment_headroom(load, [1.0])
    >>> round(result.rates[0].headroom_mw, 3), round(437_900 / 8_672.4, 3)
    (50.494, 50.494)

    A limit outside (0, 100) is refused:

    >>> curtailment_headroom(load, [0.0])
    Traceback (most recent call last):
    ...
    gridsurplus.surplus.headroom_result.HeadroomError: rates_pct: expected ... got 0.0
    """
    rates = tuple(float(r) for r in rates_pct)
    if not rates:
        raise HeadroomError("rates_pct: give at least one curtailment limit [%]")
    for rate in rates:
        if not 0.0 < rate < 100.0:
            raise HeadroomError(f"rates_pct: expected percentages in (0, 100), got {rate}")
    try:
        load, report = fill_gaps(load_mw, max_gap_hours, gaps=gaps, source="load_mw")
    except LoadSeriesError as exc:
        raise HeadroomError(str(exc)) from None
    index = pd.DatetimeIndex(load.index)
    if threshold_mw is None:
        threshold, info = seasonal_thresholds(load)
    else:
        threshold = _check_threshold(threshold_mw, index)
        info = {
            "kind": "given",
            "min_mw": float(threshold.min()),
            "mean_mw": float(threshold.mean()),
            "max_mw": float(threshold.max()),
        }
    slack = threshold.to_numpy() - load.to_numpy()
    after = np.r_[False, (index[1:] - index[:-1]) == _HOUR]  # follows the hour before
    hours = slack.size
    per_year = HOURS_PER_YEAR / hours
    years = _year_table(index)
    year_of_hour = index.year
    peak = float(load.max())

    results = []
    by_year = {}
    for rate in rates:
        new_load = _solve_headroom(slack, rate / 100.0)
        curtailed = np.clip(new_load - slack, 0.0, new_load)
        is_curtailed = curtailed > 0
        n_curtailed = int(is_curtailed.sum())
        n_events = int(np.count_nonzero(is_curtailed & ~(np.r_[False, is_curtailed[:-1]] & after)))
        half_served = is_curtailed & (curtailed <= 0.5 * new_load)
        note = ""
        if new_load == 0.0:
            n_at = int(np.count_nonzero(slack <= 0))
            note = (
                f"no headroom: the load already reaches the threshold in {n_at} of {hours} h "
                f"({100 * n_at / hours:.3g} %), where any new load is curtailed fully; that is "
                f"more than the {rate:g} % limit"
            )
        results.append(
            RateResult(
                rate_pct=rate,
                headroom_mw=new_load,
                headroom_pct_of_peak=100 * new_load / peak if peak > 0 else math.nan,
                curtailed_hours_per_year=n_curtailed * per_year,
                hours_half_served_per_year=int(half_served.sum()) * per_year,
                mean_event_hours=n_curtailed / n_events if n_events else math.nan,
                curtailed_mwh_per_year=float(curtailed.sum()) * per_year,
                note=note,
            )
        )
        energy = pd.Series(curtailed).groupby(year_of_hour).sum()
        by_year[rate] = (
            100 * energy / (new_load * years["hours"]) if new_load > 0 else energy * math.nan
        )
    rates_by_year = pd.DataFrame(by_year, index=years.index)
    return HeadroomResult(
        rates=tuple(results),
        thresholds=info,
        years=years,
        rates_by_year=rates_by_year,
        start=index[0],
        end=index[-1],
        hours=hours,
        peak_load_mw=peak,
        mean_load_mw=float(load.mean()),
        hours_at_threshold=int(np.count_nonzero(slack <= 0)),
        filled_hours=report.filled_hours,
        gaps=report.gaps,
        skipped_hours=report.skipped_hours,
    )


def _check_threshold(threshold_mw: pd.Series, index: pd.DatetimeIndex) -> pd.Series:
    given = threshold_mw.index
    if not isinstance(given, pd.DatetimeIndex):
        raise HeadroomError("threshold_mw: expected a DatetimeIndex like load_mw's")
    if (given.tz is None) != (index.tz is None):
        raise HeadroomError(
            "threshold_mw: its index and load_mw's must both have a time zone or neither"
        )
    if given.tz is not None:
        threshold_mw = threshold_mw.tz_convert(index.tz)
    threshold = pd.to_numeric(threshold_mw, errors="coerce").astype(float).sort_index()
    if not threshold.index.equals(index):
        absent = index.difference(threshold.index)
        extra = threshold.index.difference(index)
        what = f"has no value for {absent[0]}" if len(absent) else f"has an extra hour {extra[0]}"
        raise HeadroomError(f"threshold_mw: {what}; it must cover exactly load_mw's hours")
    bad = ~np.isfinite(threshold.to_numpy())
    if bad.any():
        raise HeadroomError(f"threshold_mw: value at {index[bad][0]} is missing or not a number")
    return threshold


def _year_table(index: pd.DatetimeIndex) -> pd.DataFrame:
    covered = pd.Series(1, index=index.year).groupby(level=0).sum()
    years = pd.DataFrame({"hours": covered})
    years.index.name = "year"
    years["hours_in_year"] = [
        int((pd.Timestamp(y + 1, 1, 1, tz=index.tz) - pd.Timestamp(y, 1, 1, tz=index.tz)) / _HOUR)
        for y in years.index
    ]
    years["coverage"] = years["hours"] / years["hours_in_year"]
    years["weight"] = years["hours"] / years["hours"].sum()
    return years
