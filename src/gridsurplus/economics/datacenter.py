"""AI data centres: GPU rental revenue per MWh, PUE against temperature, uptime tiers, capex.

Revenue per MWh of IT power is ``GPU-hour price * utilisation / kW per GPU * 1000``; per MWh of
grid (facility) power it is that divided by the hour's PUE. kW per GPU includes the server's
CPUs, NICs and fans (DGX H100: 10.2 kW / 8 GPUs = 1.275 kW); GPUs are assumed to draw that
power in every hour, rented or not, so the value is conservative for idle hours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gridsurplus.calendar import HOURS_PER_YEAR
from gridsurplus.economics.errors import EconomicsInputError, require_fraction, require_positive
from gridsurplus.economics.heat import CoolingDesign, cooling_design

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

UPTIME_TIERS: dict[str, float] = {
    "I": 0.99671,
    "II": 0.99741,
    "III": 0.99982,
    "IV": 0.99995,
}
"""Uptime Institute tier availability [fraction]: 28.8 h, 22 h, 1.6 h and 26 min down a year."""

KW_PER_GPU_RANGE = (0.3, 5.0)
"""Plausible power per GPU with its server share [kW]; outside it the unit is likely W."""


def check_kw_per_gpu(kw_per_gpu: float) -> float:
    """Return ``kw_per_gpu`` if plausible in kW per GPU (0.3-5), else say which unit it looks like.

    Examples
    --------
    >>> check_kw_per_gpu(1275)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gridsurplus.economics.errors.EconomicsInputError: power per GPU 1275 kW ...: give kW, not W
    """
    value = require_positive(kw_per_gpu, "power per GPU", "kW")
    low, high = KW_PER_GPU_RANGE
    if not low <= value <= high:
        hint = "give kW, not W" if value > high else "include the server, CPU and network share"
        raise EconomicsInputError(
            f"power per GPU {value:g} kW is not plausible (expected {low:g}-{high:g} kW per GPU "
            f"incl. its server share): {hint}"
        )
    return value


def gpu_value_usd_per_mwh_it(gpu_hour_usd: float, utilisation: float, kw_per_gpu: float) -> float:
    """Rental revenue per MWh of IT power: ``price * utilisation / kW per GPU * 1000``.

    Parameters
    ----------
    gpu_hour_usd : float
        Rental price of one GPU for one hour [USD/GPU-h].
    utilisation : float
        Share of hours the GPUs are rented [fraction].
    kw_per_gpu : float
        IT power per GPU including its share of server and network [kW].

    Returns
    -------
    float
        Revenue [USD/MWh of IT energy].

    Examples
    --------
    >>> round(gpu_value_usd_per_mwh_it(2.95, 0.8, 1.275), 1)  # 2.95*0.8/1.275*1000
    1851.0
    """
    price = require_positive(gpu_hour_usd, "GPU-hour price", "USD/GPU-h")
    if price > 100:
        raise EconomicsInputError(
            f"GPU-hour price {price:g} USD is implausible: give USD per GPU per hour"
        )
    util = require_fraction(utilisation, "GPU utilisation")
    return price * util / check_kw_per_gpu(kw_per_gpu) * 1000.0


def gpu_value_usd_per_mwh(
    gpu_hour_usd: float, utilisation: float, kw_per_gpu: float, pue: float | npt.ArrayLike
) -> float | np.ndarray:
    """Rental revenue per MWh of grid (facility) power: IT value divided by the PUE.

    Parameters
    ----------
    gpu_hour_usd : float
        Rental price [USD/GPU-h].
    utilisation : float
        Share of hours rented [fraction].
    kw_per_gpu : float
        IT power per GPU with its server share [kW].
    pue : float or array_like
        Facility power over IT power [ratio >= 1].

    Returns
    -------
    float or numpy.ndarray
        Revenue [USD/MWh of grid energy].

    Examples
    --------
    >>> round(gpu_value_usd_per_mwh(2.95, 0.8, 1.275, 1.4), 1)  # 1851.0 / 1.4
    1322.1
    """
    import numpy as np

    p = np.asarray(pue, dtype=float)
    if np.isnan(p).any() or (p < 1).any():
        raise EconomicsInputError(f"PUE must be 1 or more (facility over IT power), got {pue!r}")
    value = gpu_value_usd_per_mwh_it(gpu_hour_usd, utilisation, kw_per_gpu) / p
    return float(value) if value.ndim == 0 else value


def pue(temperature_c: npt.ArrayLike, cooling: str | CoolingDesign = "air") -> np.ndarray:
    """Power usage effectiveness of an AI hall at each ambient temperature.

    Parameters
    ----------
    temperature_c : array_like
        Outdoor dry-bulb temperature [degC].
    cooling : str or CoolingDesign
        ``air`` (air-cooled hall with chillers and evaporative assist) or ``liquid``
        (direct-to-chip), or a design of one's own (``data/compute/cooling.csv``).

    Returns
    -------
    numpy.ndarray
        PUE [ratio >= 1], never falling as temperature rises.

    Examples
    --------
    >>> pue([5, 18, 30, 60], "air").round(3).tolist()  # Gilgit winter ... Jacobabad June
    [1.3, 1.3, 1.444, 1.65]
    """
    return cooling_design("ai", cooling).overhead(temperature_c)


def design_pue(cooling: str | CoolingDesign = "air") -> float:
    """Return the PUE on the design day, which sizes the grid connection [ratio]."""
    return cooling_design("ai", cooling).overhead_max


def grid_share_at_full_it(
    temperature_c: npt.ArrayLike, cooling: str | CoolingDesign = "air"
) -> np.ndarray:
    """Share of the grid connection drawn at full IT load: ``PUE(t) / design PUE`` [fraction]."""
    design = cooling_design("ai", cooling)
    return design.overhead(temperature_c) / design.overhead_max


def uptime_for_tier(tier: str | int) -> float:
    """Availability an Uptime Institute tier promises [fraction].

    Parameters
    ----------
    tier : str or int
        ``"III"``, ``3`` or ``"Tier III"``.

    Returns
    -------
    float
        Availability [fraction].

    Examples
    --------
    >>> uptime_for_tier(3)
    0.99982
    """
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
    key = (
        roman.get(tier, str(tier))
        if isinstance(tier, int)
        else str(tier).upper().replace("TIER", "").strip()
    )
    key = roman.get(int(key), key) if key.isdigit() else key
    if key not in UPTIME_TIERS:
        raise EconomicsInputError(f"unknown Uptime tier {tier!r}; use I, II, III or IV")
    return UPTIME_TIERS[key]


def curtailable_hours(uptime: float, hours: float = HOURS_PER_YEAR) -> float:
    """Hours a year a site may be off and still meet its uptime: ``(1 - uptime) * hours`` [h].

    Examples
    --------
    >>> round(curtailable_hours(uptime_for_tier("III")), 2)  # 0.018 % of 8760 h
    1.58
    """
    return (1.0 - require_fraction(uptime, "uptime")) * hours


def load_gpu_systems() -> pd.DataFrame:
    """GPU systems with their power per GPU (``data/compute/gpu_systems.csv``), by system."""
    from gridsurplus.dataset.reference import read_gpu_systems

    return read_gpu_systems()


def kw_per_gpu_of(system: str) -> float:
    """Power per GPU with its server share for a named system [kW] (``DGX H100``: 1.275).

    Raises
    ------
    EconomicsInputError
        If the system is not in ``gpu_systems.csv``.
    """
    table = load_gpu_systems()
    index = {s.lower().replace(" ", ""): s for s in table.index}
    key = str(system).lower().replace(" ", "")
    if key not in index:
        raise EconomicsInputError(
            f"unknown GPU system {system!r}; known: {', '.join(table.index)} (or give kw_per_gpu)"
        )
    return float(table.loc[index[key], "kw_per_gpu"])


def capex_per_mw_grid(capex_usd_per_mw_it: float, pue_design: float) -> float:
    """Turn a cost per MW of IT load into one per MW of grid connection: ``/ design PUE``.

    Parameters
    ----------
    capex_usd_per_mw_it : float
        Cost per MW of critical IT load [USD/MW] (Cushman & Wakefield 2025: 9.3-15.0 M, avg 11.7 M
        for the facility; GPUs ~25-35 M per MW of IT).
    pue_design : float
        PUE on the design day [ratio].

    Returns
    -------
    float
        Cost per MW of grid connection [USD/MW].
    """
    if capex_usd_per_mw_it < 0:
        raise EconomicsInputError(f"capex must be >= 0, got {capex_usd_per_mw_it:g} USD/MW")
    if pue_design < 1:
        raise EconomicsInputError(f"design PUE must be >= 1, got {pue_design:g}")
    return capex_usd_per_mw_it / pue_design
