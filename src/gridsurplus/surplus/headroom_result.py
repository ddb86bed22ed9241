"""The results of curtailment-enabled headroom, and their plain JSON form."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.dataset.load_series import Gap
from gridsurplus.errors import InputError


class HeadroomError(InputError):
    """The load series or the request cannot be used; the message says where and why."""


@dataclass(frozen=True)
class RateResult:
    """Headroom at one curtailment limit.

    Parameters
    ----------
    rate_pct : float
        Curtailment limit: mean share of the new load's energy curtailed [%].
    headroom_mw : float
        Constant new load ``L`` whose mean curtailment rate equals the limit [MW].
    headroom_pct_of_peak : float
        ``L`` as a share of the series' peak load [%].
    curtailed_hours_per_year : float
        Hours with any curtailment, per 8760 h of series [h/yr].
    hours_half_served_per_year : float
        Curtailed hours in which at least half of ``L`` is still served, per 8760 h [h/yr].
    mean_event_hours : float
        Mean length of a curtailment event (a run of consecutive curtailed hours) [h];
        NaN when there is none.
    curtailed_mwh_per_year : float
        Curtailed energy per 8760 h of series [MWh/yr].
    note : str
        Why the headroom is zero, if it is; empty otherwise.
    """

    rate_pct: float
    headroom_mw: float
    headroom_pct_of_peak: float
    curtailed_hours_per_year: float
    hours_half_served_per_year: float
    mean_event_hours: float
    curtailed_mwh_per_year: float
    note: str = ""


@dataclass(frozen=True)
class HeadroomResult:
    """Result of :func:`curtailment_headroom`.

    Parameters
    ----------
    rates : tuple of RateResult
        One result per curtailment limit, in the order asked.
    thresholds : dict
        The thresholds used: ``kind`` is ``"seasonal"`` (with ``summer_mw``, ``winter_mw`` [MW]
        and the hours of those peaks) or ``"given"`` (with ``min_mw``, ``mean_mw``, ``max_mw``).
    years : pandas.DataFrame
        Index ``year``; columns ``hours`` covered [h], ``hours_in_year`` [h], ``coverage``
        (share of the year covered) and ``weight`` (share of the series' hours) [-].
    rates_by_year : pandas.DataFrame
        Index ``year``, one column per limit: the year's curtailment rate at that limit's
        ``L`` [%]; their ``weight``-weighted mean is the limit.
    start, end : pandas.Timestamp
        First and last hour of the series.
    hours : int
        Hours counted, filled ones included and skipped ones not [h].
    peak_load_mw, mean_load_mw : float
        Peak and mean of the existing load [MW].
    hours_at_threshold : int
        Hours where the existing load already reaches the threshold [h]: any new load is
        curtailed fully in them.
    filled_hours : int
        Missing hours filled by interpolation [h].
    gaps : tuple of Gap
        The runs of missing hours, each filled or skipped.
    skipped_hours : int
        Missing hours left out of every figure (gap policy ``skip``) [h].
    """

    rates: tuple[RateResult, ...]
    thresholds: dict[str, Any]
    years: pd.DataFrame
    rates_by_year: pd.DataFrame
    start: pd.Timestamp
    end: pd.Timestamp
    hours: int
    peak_load_mw: float
    mean_load_mw: float
    hours_at_threshold: int
    filled_hours: int = 0
    gaps: tuple[Gap, ...] = field(default=())
    skipped_hours: int = 0

    def to_frame(self) -> pd.DataFrame:
        """Return one row per curtailment limit, indexed by ``rate_pct`` [%]."""
        rows = [vars(r) for r in self.rates]
        return pd.DataFrame(rows).set_index("rate_pct")

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain JSON-ready values (NaN becomes ``None``)."""
        years = []
        for year, row in self.years.iterrows():
            by_rate = {
                rate_key(r): plain(self.rates_by_year.at[year, r]) for r in self.rates_by_year
            }
            years.append(
                {
                    "year": int(year),  # type: ignore[call-overload]
                    "hours": int(row["hours"]),
                    "hours_in_year": int(row["hours_in_year"]),
                    "coverage": plain(row["coverage"]),
                    "weight": plain(row["weight"]),
                    "rate_pct_by_limit": by_rate,
                }
            )
        return {
            "method": "curtailment-enabled headroom (Norris et al. 2025, Duke University)",
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "tz": None if self.start.tz is None else str(self.start.tz),
            "hours": self.hours,
            "filled_hours": self.filled_hours,
            "skipped_hours": self.skipped_hours,
            "gaps": [
                {"start": g.start.isoformat(), "hours": g.hours, "action": g.action}
                for g in self.gaps
            ],
            "peak_load_mw": plain(self.peak_load_mw),
            "mean_load_mw": plain(self.mean_load_mw),
            "hours_at_threshold": self.hours_at_threshold,
            "thresholds": {k: plain(v) for k, v in self.thresholds.items()},
            "years": years,
            "results": [{k: plain(v) for k, v in vars(r).items()} for r in self.rates],
        }


def rate_key(rate_pct: float) -> str:
    """Return the curtailment limit as a JSON key, ``0.5`` -> ``"0.5"``."""
    return f"{rate_pct:g}"


def plain(value: Any) -> Any:
    """Return a number or time as a plain JSON value (NaN becomes ``None``)."""
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    return value
