"""Wind and solar availability: monthly factors shaped hour by hour."""

from __future__ import annotations

import hashlib
import warnings
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.dataset import Dataset


def monthly_factor(ds: Dataset, profile: str) -> pd.Series:
    """Monthly factor of a profile (``monthly_factors`` table), indexed by month 1-12."""
    table = ds.table("monthly_factors")
    rows = table[table["profile"] == profile]
    return rows.set_index("month")["value"].astype(float)


def wind_profile(ds: Dataset) -> np.ndarray:
    """Hourly wind capacity factor [fraction] of the reference year.

    The month's capacity factor times a diurnal cycle ``1 + a cos(2 pi (h - h_peak) / 24)``
    whose mean is 1, so each month keeps its energy (``dataset.yaml: profiles:
    wind_diurnal_amplitude, wind_peak_hour``).
    """
    snapshots = ds.snapshots
    settings = ds.meta.get("profiles", {}) or {}
    amplitude = float(settings.get("wind_diurnal_amplitude", 0.0))
    peak = float(settings.get("wind_peak_hour", 15.0))
    cf = monthly_factor(ds, "wind").reindex(snapshots.month).to_numpy()
    diurnal = 1.0 + amplitude * np.cos(2.0 * np.pi * (snapshots.hour.to_numpy() - peak) / 24.0)
    return np.clip(cf * diurnal, 0.0, 1.0)


def solar_profile(ds: Dataset, lat: float, lon: float) -> np.ndarray:
    """Hourly PV output per MW of capacity [fraction] at a site.

    Clear-sky irradiance from the sun's position (pvlib, Ineichen model with its bundled
    Linke turbidity), transposed to a fixed south-facing plane, times the month's clear-sky
    index and a performance ratio (``dataset.yaml: profiles: solar_tilt_deg,
    solar_performance_ratio``). Each hour's value is taken at the middle of the hour.
    """
    snapshots = ds.snapshots
    settings = ds.meta.get("profiles", {}) or {}
    tilt = float(settings.get("solar_tilt_deg", 25.0))
    ratio = float(settings.get("solar_performance_ratio", 0.8))
    tz = str(ds.meta.get("timezone", "UTC"))
    poa = _clear_sky_poa(snapshots, tz, float(lat), float(lon), tilt)
    index = monthly_factor(ds, "solar").reindex(snapshots.month).to_numpy()
    return np.clip(poa / 1000.0 * ratio * index, 0.0, 1.0)


_POA_CACHE: dict[tuple[Any, ...], np.ndarray] = {}
"""Clear-sky irradiance on the panel by hours, place and tilt (the sun does not change with a
scenario: a sweep's rooftop solar asks for the same hours and places scenario after scenario)."""


def _clear_sky_poa(
    hours: pd.DatetimeIndex, tz: str, lat: float, lon: float, tilt: float
) -> np.ndarray:
    """Clear-sky plane-of-array irradiance [W/m2] at the middle of each hour (cached)."""
    digest = hashlib.sha1(np.ascontiguousarray(hours.asi8).tobytes()).hexdigest()
    cache_key = (digest, str(hours.dtype), tz, lat, lon, tilt)
    if cache_key in _POA_CACHE:
        return _POA_CACHE[cache_key]
    import pvlib

    times = (hours + pd.Timedelta(minutes=30)).tz_localize(tz)
    site = pvlib.location.Location(lat, lon, tz=tz)
    with warnings.catch_warnings():
        # pvlib calls pandas APIs that pandas 3 deprecates; that is pvlib's to fix, not ours
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        sun = site.get_solarposition(times)
        clear = site.get_clearsky(times, model="ineichen", solar_position=sun)
        poa = (
            pvlib.irradiance.get_total_irradiance(
                tilt,
                180.0,
                sun["apparent_zenith"],
                sun["azimuth"],
                clear["dni"],
                clear["ghi"],
                clear["dhi"],
            )["poa_global"]
            .fillna(0.0)
            .to_numpy()
        )
    poa.setflags(write=False)
    if len(_POA_CACHE) >= 256:
        _POA_CACHE.clear()
    _POA_CACHE[cache_key] = poa
    return poa
