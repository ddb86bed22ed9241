"""Heat: how ambient temperature cuts a compute site's output and raises its cooling power.

Each cooling design (``data/compute/cooling.csv``, one row per kind and cooling, every figure
with its source or how it was estimated) has two curves of the outdoor dry-bulb temperature:

* **derating** (mining): the share of the nameplate hashrate (and power) the machines still
  deliver: 1 up to ``derate_start_c``, falling linearly to ``derate_end_fraction`` at
  ``derate_end_c``, 0 above it (the machines trip). It never rises with temperature.
* **overhead**: grid power over machine power (for AI sites this is the PUE):
  ``overhead_min`` up to ``overhead_start_c``, then ``+ overhead_per_c`` per degree, capped at
  ``overhead_max``. It never falls with temperature.

A Jacobabad site in June (afternoons of 45-50 C) thus loses much of an air-cooled fleet in the
hottest hours, while a hydro or immersion fleet keeps running at a higher cooling overhead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

from gridsurplus.economics.errors import EconomicsInputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    ArrayLike = npt.ArrayLike
else:
    ArrayLike = object

Kind = Literal["mining", "ai"]
PLAUSIBLE_C = (-60.0, 65.0)
"""Ambient temperatures accepted [degC]; outside them the figures are likely in kelvin or F."""


@dataclass(frozen=True)
class CoolingDesign:
    """Temperature response of one cooling design.

    Attributes
    ----------
    kind : {"mining", "ai"}
        What the site runs.
    cooling : str
        air, hydro, immersion (mining); air, liquid (ai).
    derate_start_c : float
        Ambient above which output falls [degC] (inf: never).
    derate_end_c : float
        Ambient above which the machines trip [degC] (inf: never).
    derate_end_fraction : float
        Share of output left just before the trip [fraction].
    overhead_min : float
        Grid power over machine power in cool weather [ratio >= 1].
    overhead_start_c : float
        Ambient above which the overhead rises [degC].
    overhead_per_c : float
        Rise of the overhead per degree [1/degC].
    overhead_max : float
        Highest overhead, the design point the grid connection is sized for [ratio].
    source : str
        Where the figures come from, or how they were estimated.
    """

    kind: str
    cooling: str
    derate_start_c: float = float("inf")
    derate_end_c: float = float("inf")
    derate_end_fraction: float = 1.0
    overhead_min: float = 1.0
    overhead_start_c: float = 25.0
    overhead_per_c: float = 0.0
    overhead_max: float = 1.0
    source: str = ""

    def __post_init__(self) -> None:
        problems = []
        if not self.derate_start_c <= self.derate_end_c:
            problems.append("derate_start_c must not exceed derate_end_c")
        if not 0 <= self.derate_end_fraction <= 1:
            problems.append("derate_end_fraction must lie in [0, 1]")
        if not 1 <= self.overhead_min <= self.overhead_max:
            problems.append("need 1 <= overhead_min <= overhead_max")
        if self.overhead_per_c < 0:
            problems.append("overhead_per_c must be >= 0")
        if problems:
            raise EconomicsInputError(
                f"cooling design {self.kind}/{self.cooling}: " + "; ".join(problems)
            )

    def derating(self, temperature_c: ArrayLike) -> np.ndarray:
        """Share of nameplate output available at each temperature [fraction], see module."""
        import numpy as np

        t = check_temperature(temperature_c)
        out = np.ones_like(t)
        if np.isfinite(self.derate_start_c):
            span = self.derate_end_c - self.derate_start_c
            ramp = (
                (t - self.derate_start_c) / span
                if span > 0
                else np.where(t > self.derate_start_c, 1.0, 0.0)
            )
            ramp = np.clip(ramp, 0.0, 1.0)
            out = 1.0 - ramp * (1.0 - self.derate_end_fraction)
        if np.isfinite(self.derate_end_c):
            out = np.where(t > self.derate_end_c, 0.0, out)
        return out

    def overhead(self, temperature_c: ArrayLike) -> np.ndarray:
        """Grid power over machine power at each temperature [ratio >= 1] (PUE for AI)."""
        import numpy as np

        t = check_temperature(temperature_c)
        rise = self.overhead_per_c * np.maximum(t - self.overhead_start_c, 0.0)
        return np.minimum(self.overhead_min + rise, self.overhead_max)


def check_temperature(temperature_c: ArrayLike) -> np.ndarray:
    """Return temperatures as a float array after checking they are plausible in degC.

    Parameters
    ----------
    temperature_c : array_like
        Ambient temperatures [degC].

    Returns
    -------
    numpy.ndarray
        The same values, float.

    Raises
    ------
    EconomicsInputError
        If any value is missing or lies outside -60..65 degC (kelvin or Fahrenheit, likely).

    Examples
    --------
    >>> check_temperature([300.0])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gridsurplus.economics.errors.EconomicsInputError: temperature 300 degC ... in kelvin ...
    """
    import numpy as np

    t = np.asarray(temperature_c, dtype=float)
    if np.isnan(t).any():
        raise EconomicsInputError("temperatures contain missing values (NaN); fill every hour")
    if t.size:
        low, high = PLAUSIBLE_C
        bad = t[(t < low) | (t > high)]
        if bad.size:
            raise EconomicsInputError(
                f"temperature {bad.flat[0]:g} degC is not plausible (expected {low:g} to {high:g} "
                "degC): is it in kelvin (subtract 273.15) or Fahrenheit?"
            )
    return t


@cache
def _designs() -> dict[tuple[str, str], CoolingDesign]:
    from gridsurplus.dataset.reference import read_cooling_designs

    def num(text: str, default: float) -> float:
        return float(text) if text.strip() else default

    out = {}
    for row in read_cooling_designs():
        design = CoolingDesign(
            kind=row["kind"],
            cooling=row["cooling"],
            derate_start_c=num(row["derate_start_c"], float("inf")),
            derate_end_c=num(row["derate_end_c"], float("inf")),
            derate_end_fraction=num(row["derate_end_fraction"], 1.0),
            overhead_min=num(row["overhead_min"], 1.0),
            overhead_start_c=num(row["overhead_start_c"], 25.0),
            overhead_per_c=num(row["overhead_per_c"], 0.0),
            overhead_max=num(row["overhead_max"], 1.0),
            source=row["source"],
        )
        out[(design.kind, design.cooling)] = design
    return out


def cooling_designs() -> list[CoolingDesign]:
    """Every packaged cooling design (see ``data/compute/cooling.csv``)."""
    return list(_designs().values())


def cooling_design(kind: str, cooling: str | CoolingDesign) -> CoolingDesign:
    """Return the packaged design for a kind of site and cooling (or the design passed in).

    Parameters
    ----------
    kind : {"mining", "ai"}
        What the site runs.
    cooling : str or CoolingDesign
        air, hydro or immersion for mining; air or liquid for AI.

    Returns
    -------
    CoolingDesign
        The design.

    Raises
    ------
    EconomicsInputError
        If there is no such design.
    """
    if isinstance(cooling, CoolingDesign):
        return cooling
    designs = _designs()
    if (kind, cooling) not in designs:
        known = ", ".join(c for k, c in designs if k == kind) or "none"
        raise EconomicsInputError(f"no cooling design '{cooling}' for {kind} sites; known: {known}")
    return designs[(kind, cooling)]


def hashrate_derating(temperature_c: ArrayLike, cooling: str | CoolingDesign = "air") -> np.ndarray:
    """Share of an ASIC fleet's nameplate hashrate and power left at each ambient temperature.

    Parameters
    ----------
    temperature_c : array_like
        Outdoor dry-bulb temperature [degC].
    cooling : str or CoolingDesign
        ``air``, ``hydro`` or ``immersion``, or a design of one's own.

    Returns
    -------
    numpy.ndarray
        Derating [fraction], non-increasing in temperature.

    Examples
    --------
    >>> hashrate_derating([30, 43.5, 47, 48], "air").round(2).tolist()
    [1.0, 0.75, 0.5, 0.0]
    """
    return cooling_design("mining", cooling).derating(temperature_c)


def cooling_overhead(temperature_c: ArrayLike, cooling: str | CoolingDesign = "air") -> np.ndarray:
    """Grid power over ASIC power (fans, pumps, dry coolers) at each ambient temperature.

    Parameters
    ----------
    temperature_c : array_like
        Outdoor dry-bulb temperature [degC].
    cooling : str or CoolingDesign
        ``air``, ``hydro`` or ``immersion``, or a design of one's own.

    Returns
    -------
    numpy.ndarray
        Overhead [ratio >= 1], non-decreasing in temperature.
    """
    return cooling_design("mining", cooling).overhead(temperature_c)
