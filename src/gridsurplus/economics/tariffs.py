"""Tariff schedules: flat or time-of-use by hour and season, per region, in any currency.

A :class:`Tariff` is a base rate and a list of bands; each band sets the rate in some months,
hours of the day and regions, later bands overriding earlier ones. Rates are in the tariff's
unit (``PKR/kWh``, ``USD/MWh``, ``USD/kWh``, any ``CUR/kWh`` or ``CUR/MWh``) and convert to
USD/MWh with the dataset's exchange rate. Hours are local clock hours at hourly resolution.

Examples
--------
Pakistan's proposed marginal-cost tariff for energy-intensive users (Rs 22-23/kWh, Nov 2024)
and a DISCO-style peak window (IESCO/GEPCO/LESCO: Dec-Feb 17-21 h, Jun-Aug 19-23 h, else
18-22 h; the peak rate here is an example, not a NEPRA figure):

>>> flat = Tariff.flat(23.0, "PKR/kWh")
>>> round(float(flat.usd_per_mwh(["2027-01-01 03:00"], exchange_rate=281)[0]), 2)
81.85
>>> tou = Tariff.time_of_use(
...     offpeak=23.0, peak=30.0, unit="PKR/kWh",
...     windows=[("12 1 2", "17-21"), ("3 4 5 9 10 11", "18-22"), ("6 7 8", "19-23")])
>>> tou.rate(["2027-01-15 17:00", "2027-01-15 21:00", "2027-07-15 22:00"]).tolist()
[30.0, 23.0, 30.0]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gridsurplus.economics.errors import EconomicsInputError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

ALL_MONTHS = frozenset(range(1, 13))
ALL_HOURS = frozenset(range(24))
_UNIT = re.compile(r"^\s*([A-Za-z]{3})\s*/\s*(kWh|MWh)\s*$")


def parse_unit(unit: str) -> tuple[str, float]:
    """Split a tariff unit into currency and the factor to a price per MWh.

    Parameters
    ----------
    unit : str
        ``"PKR/kWh"``, ``"USD/MWh"``, ...

    Returns
    -------
    tuple
        ``(currency, factor)``: a rate times ``factor`` is per MWh (1000 for kWh, 1 for MWh).

    Examples
    --------
    >>> parse_unit("PKR/kWh")
    ('PKR', 1000.0)
    """
    match = _UNIT.match(str(unit))
    if not match:
        raise EconomicsInputError(
            f"unknown tariff unit {unit!r}: use CUR/kWh or CUR/MWh (PKR/kWh, USD/MWh)"
        )
    return match.group(1).upper(), 1000.0 if match.group(2) == "kWh" else 1.0


def parse_months(text: str | Iterable[int]) -> frozenset[int]:
    """Months from ``"all"``, ``"12 1 2"``, ``"3-5"`` or a list of ints [1-12]."""
    return _parse_set(text, ALL_MONTHS, "month", 1, 12, inclusive_end=True)


def parse_hours(text: str | Iterable[int]) -> frozenset[int]:
    """Hours of the day from ``"all"``, ``"17-21"`` (17 to 20), ``"22-2"`` or a list [0-23]."""
    return _parse_set(text, ALL_HOURS, "hour", 0, 23, inclusive_end=False)


def _parse_set(
    text: str | Iterable[int],
    everything: frozenset[int],
    what: str,
    low: int,
    high: int,
    *,
    inclusive_end: bool,
) -> frozenset[int]:
    if not isinstance(text, str):
        items = {int(x) for x in text}
    else:
        spec = text.strip().lower()
        if spec in ("", "all", "*"):
            return everything
        items = set()
        for part in re.split(r"[\s,;]+", spec):
            if "-" in part:
                a_text, b_text = part.split("-", 1)
                try:
                    a, b = int(a_text), int(b_text)
                except ValueError:
                    raise EconomicsInputError(f"cannot read {what}s {text!r}") from None
                span = high - low + 1
                end = b + 1 if inclusive_end else b
                n = (end - a) % span or (span if end != a else 0)
                items.update(low + (a - low + k) % span for k in range(n))
            else:
                try:
                    items.add(int(part))
                except ValueError:
                    raise EconomicsInputError(f"cannot read {what}s {text!r}") from None
    bad = sorted(x for x in items if not low <= x <= high)
    if bad:
        raise EconomicsInputError(f"{what} {bad[0]} is out of range {low}-{high}")
    return frozenset(items)


@dataclass(frozen=True)
class TariffBand:
    """A rate that applies in some months, hours and regions.

    Attributes
    ----------
    rate : float
        Price [the tariff's unit].
    months : frozenset of int
        Calendar months [1-12].
    hours : frozenset of int
        Local clock hours the band covers [0-23] (hour ``h`` is ``h:00-h:59``).
    regions : frozenset of str or None
        Regions it applies to; None for every region.
    """

    rate: float
    months: frozenset[int] = ALL_MONTHS
    hours: frozenset[int] = ALL_HOURS
    regions: frozenset[str] | None = None


@dataclass(frozen=True)
class Tariff:
    """A tariff schedule: a base rate overridden by bands (see the module).

    Attributes
    ----------
    base_rate : float
        Rate wherever no band applies [unit].
    unit : str
        ``CUR/kWh`` or ``CUR/MWh``.
    bands : tuple of TariffBand
        Later bands override earlier ones.
    name : str
        Label.
    source : str
        Where the rates come from, or "estimated: how".
    """

    base_rate: float
    unit: str = "USD/MWh"
    bands: tuple[TariffBand, ...] = ()
    name: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        parse_unit(self.unit)
        for rate in [self.base_rate, *(b.rate for b in self.bands)]:
            if not rate >= 0:
                raise EconomicsInputError(f"tariff rates must be >= 0, got {rate!r} {self.unit}")

    @classmethod
    def flat(
        cls, rate: float, unit: str = "USD/MWh", *, name: str = "flat", source: str = ""
    ) -> Tariff:
        """One rate in every hour and region [unit]."""
        return cls(float(rate), unit, (), name, source)

    @classmethod
    def time_of_use(
        cls,
        offpeak: float,
        peak: float,
        windows: Sequence[tuple[str | Iterable[int], str | Iterable[int]]],
        unit: str = "USD/MWh",
        *,
        regions: Iterable[str] | None = None,
        name: str = "time of use",
        source: str = "",
    ) -> Tariff:
        """Off-peak rate with a peak rate in the given (months, hours) windows.

        Parameters
        ----------
        offpeak, peak : float
            Rates [unit].
        windows : sequence of (months, hours)
            E.g. ``[("12 1 2", "17-21"), ("6 7 8", "19-23")]``.
        unit : str
            ``CUR/kWh`` or ``CUR/MWh``.
        regions : iterable of str, optional
            Regions the peak windows apply to (every region by default).
        name, source : str
            Label and provenance.

        Returns
        -------
        Tariff
            The schedule.
        """
        reg = None if regions is None else frozenset(regions)
        bands = tuple(
            TariffBand(float(peak), parse_months(m), parse_hours(h), reg) for m, h in windows
        )
        return cls(float(offpeak), unit, bands, name, source)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, name: str = "", source: str = "") -> Tariff:
        """Build a schedule from a table with ``region``, ``months``, ``hours``, ``rate``, ``unit``.

        The row with region ``*``, months ``all`` and hours ``all`` is the base rate; every
        other row is a band, in order. One unit for all rows.
        """
        needed = {"rate", "unit"}
        if not needed <= set(frame.columns):
            raise EconomicsInputError(
                "a tariff table needs columns rate and unit (and region, months, hours)"
            )
        units = set(frame["unit"].astype(str))
        if len(units) != 1:
            raise EconomicsInputError(f"a tariff table needs one unit, got {sorted(units)}")
        base = None
        bands = []
        for _, row in frame.iterrows():
            region = str(row.get("region", "*")).strip() or "*"
            months = parse_months(str(row.get("months", "all")))
            hours = parse_hours(str(row.get("hours", "all")))
            if region == "*" and months == ALL_MONTHS and hours == ALL_HOURS and base is None:
                base = float(row["rate"])
                continue
            regions = None if region == "*" else frozenset(r.strip() for r in region.split())
            bands.append(TariffBand(float(row["rate"]), months, hours, regions))
        if base is None:
            raise EconomicsInputError(
                "a tariff table needs a base row (region *, months all, hours all)"
            )
        return cls(base, units.pop(), tuple(bands), name, source)

    def rate(self, time: Iterable[Any], region: str | None = None) -> np.ndarray:
        """Rate in each hour for one region [the tariff's unit].

        Parameters
        ----------
        time : iterable of timestamps
            Hours (local clock).
        region : str, optional
            Region id; bands restricted to other regions are skipped.

        Returns
        -------
        numpy.ndarray
            Rate per hour [unit].
        """
        import numpy as np
        import pandas as pd

        index = pd.DatetimeIndex(pd.to_datetime(list(time)))
        out = np.full(len(index), self.base_rate, dtype=float)
        months = index.month.to_numpy()
        hours = index.hour.to_numpy()
        for band in self.bands:
            if band.regions is not None and (region is None or region not in band.regions):
                continue
            mask = np.isin(months, sorted(band.months)) & np.isin(hours, sorted(band.hours))
            out[mask] = band.rate
        return out

    def usd_per_mwh(
        self, time: Iterable[Any], region: str | None = None, *, exchange_rate: float | None = None
    ) -> np.ndarray:
        """Rate in each hour converted to USD per MWh.

        Parameters
        ----------
        time : iterable of timestamps
            Hours (local clock).
        region : str, optional
            Region id.
        exchange_rate : float, optional
            Units of the tariff's currency per USD (the dataset's ``exchange_rate``); needed
            unless the tariff is in USD.

        Returns
        -------
        numpy.ndarray
            Rate per hour [USD/MWh].
        """
        currency, factor = parse_unit(self.unit)
        rate = self.rate(time, region) * factor
        if currency == "USD":
            return rate
        if exchange_rate is None or not exchange_rate > 0:
            raise EconomicsInputError(
                f"the tariff is in {currency}: give the exchange rate ({currency} per USD)"
            )
        return rate / float(exchange_rate)
