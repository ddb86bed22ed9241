"""Market inputs as yearly paths: the dataset's ``markets`` table read, checked and extended.

The table has one row per quantity and year (``quantity, year, value, unit, status, source``).
Levels (BTC price, difficulty, GPU-hour price) are interpolated linearly between the years
given and held flat before the first; after the last given year a level grows by its
``*_growth`` quantity when one is given (``network_hashrate_growth`` drives difficulty),
else it stays flat. Rates and shares (fees, pool fee, discount rate, growth) hold from their
year until the next row; before their first year they take the first row's value, except growth,
which is zero before its first year.

Quantities (:data:`QUANTITIES` gives each one's unit):

``plan_start_year`` (year of first operation; values are levelised from it), ``btc_price_usd``,
``btc_price_growth``, ``difficulty`` (unit ``T`` for 1e12 or blank for plain),
``network_hashrate_growth``, ``fee_share`` or ``fees_btc_per_block``, ``pool_fee``,
``gpu_hour_usd`` (and ``gpu_hour_usd:<tech>`` for one AI technology), ``gpu_hour_usd_growth``,
``discount_rate`` (real cost of capital; ``discount_rate:<kind>`` or ``:<tech>`` for one kind
of investor or technology; an override of ``discount_rate`` replaces those rows too),
``tariff_flat`` (``CUR/kWh``) and ``ai_market_mw_it`` (a national cap on AI builds [MW IT]).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gridsurplus.economics.bitcoin import (
    block_reward_btc,
    hashprice_btc_per_ph_day,
    mean_subsidy_in_year,
    network_hashrate_eh_s,
    parse_difficulty,
)
from gridsurplus.economics.errors import EconomicsInputError
from gridsurplus.economics.tariffs import Tariff, parse_unit

if TYPE_CHECKING:
    import pandas as pd

QUANTITIES: dict[str, tuple[str, str]] = {
    "plan_start_year": (
        "year",
        "First year of operation; values are levelised over the machines' life from it.",
    ),
    "btc_price_usd": ("USD/BTC", "Bitcoin price (yearly mean)."),
    "btc_price_growth": ("fraction/yr", "Growth of the BTC price after the last year given."),
    "difficulty": ("T", "Network difficulty (unit T = 1e12, or blank for plain units)."),
    "network_hashrate_growth": (
        "fraction/yr",
        "Growth of network hashrate, hence difficulty, after the last difficulty given.",
    ),
    "fee_share": ("fraction", "Transaction fees as a share of the whole block reward."),
    "fees_btc_per_block": ("BTC/block", "Mean transaction fees per block (instead of fee_share)."),
    "pool_fee": ("fraction", "Pool fee taken from mining payouts (FPPS)."),
    "gpu_hour_usd": (
        "USD/GPU-h",
        "GPU rental price per GPU-hour; 'gpu_hour_usd:<tech>' for one technology.",
    ),
    "gpu_hour_usd_growth": (
        "fraction/yr",
        "Change of the GPU-hour price per year after the last year given.",
    ),
    "discount_rate": ("fraction/yr", "Real cost of capital [USD]; ':<kind>' or ':<tech>' for one."),
    "ai_market_mw_it": ("MW IT", "IT load of AI the market would rent: a cap on AI builds."),
    "tariff_flat": ("CUR/kWh", "A flat tariff offered to compute loads, for business cases."),
}
"""Every quantity the markets table may hold: canonical unit and meaning."""

_FRACTION_UNITS = {"", "fraction", "fraction/yr", "1/yr", "share", "%", "%/yr", "percent"}
_UNITS: dict[str, set[str]] = {
    "plan_start_year": {"", "year"},
    "btc_price_usd": {"", "usd/btc", "usd"},
    "difficulty": {"", "t", "plain", "difficulty"},
    "fees_btc_per_block": {"", "btc/block", "btc"},
    "gpu_hour_usd": {"", "usd/gpu-h", "usd/gpu-hour", "usd/gpuh", "usd/h"},
    "ai_market_mw_it": {"", "mwit", "mw(it)", "mw_it"},
}
_PER_TECH = ("gpu_hour_usd", "discount_rate")
_LEVEL_GROWTH = {
    "btc_price_usd": "btc_price_growth",
    "difficulty": "network_hashrate_growth",
    "gpu_hour_usd": "gpu_hour_usd_growth",
}


def _base(quantity: str) -> str:
    return quantity.split(":", 1)[0]


def _convert(quantity: str, value: Any, unit: str) -> float:
    base = _base(quantity)
    u = str(unit).strip().lower().replace(" ", "")
    if base == "difficulty":
        if isinstance(value, str):
            number = parse_difficulty(value)
        else:
            number = parse_difficulty(float(value))
        if u not in _UNITS["difficulty"]:
            raise EconomicsInputError(
                f"markets: difficulty unit {unit!r} unknown; use T or leave blank"
            )
        return number * (1e12 if u == "t" else 1.0)
    if base == "tariff_flat":
        return float(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise EconomicsInputError(f"markets: {quantity} value {value!r} is not a number") from None
    allowed = _UNITS.get(base, _FRACTION_UNITS)
    if u not in allowed:
        raise EconomicsInputError(
            f"markets: unit {unit!r} of {quantity} not understood; use {QUANTITIES[base][0]}"
        )
    if u.startswith("%") or u == "percent":
        number /= 100.0
    return number


def _check_value(quantity: str, year: int, value: float) -> None:
    base = _base(quantity)
    where = f"markets: {quantity} in {year}"
    if not math.isfinite(value):
        raise EconomicsInputError(f"{where} must be a finite number")
    if base in ("btc_price_usd", "gpu_hour_usd", "difficulty") and value <= 0:
        raise EconomicsInputError(f"{where} must be above zero, got {value:g}")
    if base == "difficulty" and value < 1e9:
        raise EconomicsInputError(
            f"{where} is {value:g}, implausibly small for the network: give unit T for trillions "
            "(148.26 T) or the plain number (1.4826e14)"
        )
    if base in ("fee_share", "pool_fee") and not 0 <= value < 1:
        raise EconomicsInputError(
            f"{where} must be a fraction in [0, 1), got {value:g} (0.02 for 2 %)"
        )
    if base.endswith("growth") and not -1 < value <= 5:
        raise EconomicsInputError(
            f"{where} must be a yearly fraction above -1, got {value:g} (0.2 for +20 %)"
        )
    if base == "discount_rate" and not -1 < value <= 1:
        raise EconomicsInputError(
            f"{where} must be a fraction per year, got {value:g} (0.10 for 10 %)"
        )
    if base in ("fees_btc_per_block", "tariff_flat", "ai_market_mw_it") and value < 0:
        raise EconomicsInputError(f"{where} must be >= 0, got {value:g}")
    if base == "plan_start_year" and not (2000 <= value <= 2100 and value == int(value)):
        raise EconomicsInputError(f"{where} must be a calendar year, got {value:g}")


@dataclass(frozen=True)
class Markets:
    """Market quantities by year, in canonical units (see :data:`QUANTITIES`).

    Attributes
    ----------
    series : dict of str to dict of int to float
        ``{quantity: {year: value}}``.
    units : dict of str to str
        Unit each quantity was given in (tariffs keep theirs).
    """

    series: Mapping[str, Mapping[int, float]]
    units: Mapping[str, str]

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame | None, overrides: Mapping[str, Any] | None = None
    ) -> Markets:
        """Read a markets table and apply overrides.

        Parameters
        ----------
        frame : pandas.DataFrame or None
            Columns ``quantity``, ``year``, ``value``, ``unit`` (as in the dataset).
        overrides : mapping, optional
            ``{quantity: value}`` (every year) or ``{quantity: {year: value}}``, in the
            canonical unit (difficulty may be text such as ``"150T"``); replaces the table's
            rows of that quantity.

        Returns
        -------
        Markets
            The checked quantities.
        """
        series: dict[str, dict[int, float]] = {}
        units: dict[str, str] = {}
        if frame is not None and len(frame):
            for col in ("quantity", "year", "value"):
                if col not in frame.columns:
                    raise EconomicsInputError(f"markets table needs a '{col}' column")
            unit_col = frame["unit"] if "unit" in frame.columns else [""] * len(frame)
            for q, y, v, u in zip(
                frame["quantity"], frame["year"], frame["value"], unit_col, strict=True
            ):
                quantity = str(q).strip()
                _known(quantity)
                year = int(y)
                if year in series.get(quantity, {}):
                    raise EconomicsInputError(f"markets: {quantity} is given twice for {year}")
                series.setdefault(quantity, {})[year] = _convert(
                    quantity, v, "" if u is None else str(u)
                )
                units[quantity] = "" if u is None else str(u)
        for quantity, given in (overrides or {}).items():
            _known(quantity)
            if quantity == "discount_rate":
                for own in [q for q in series if _base(q) == "discount_rate"]:
                    del series[own]
            unit = units.get(quantity, "USD/MWh") if _base(quantity) == "tariff_flat" else ""
            if isinstance(given, Mapping):
                series[quantity] = {int(y): _convert(quantity, v, unit) for y, v in given.items()}
            else:
                series[quantity] = {2000: _convert(quantity, given, unit)}
            if _base(quantity) != "tariff_flat":
                units[quantity] = QUANTITIES[_base(quantity)][0]
        for quantity, by_year in series.items():
            for year, value in by_year.items():
                _check_value(quantity, year, value)
        if "tariff_flat" in series:
            parse_unit(units.get("tariff_flat", ""))
        if "fee_share" in series and "fees_btc_per_block" in series:
            raise EconomicsInputError(
                "markets: give fees as fee_share or as fees_btc_per_block, not both"
            )
        return cls({q: dict(sorted(v.items())) for q, v in series.items()}, units)

    @classmethod
    def from_dataset(cls, dataset: Any, overrides: Mapping[str, Any] | None = None) -> Markets:
        """Read a dataset's ``markets`` table (if it has one) and apply overrides."""
        tables = getattr(dataset, "tables", {})
        frame = tables.get("markets") if isinstance(tables, Mapping) else None
        return cls.from_frame(frame, overrides)

    def has(self, quantity: str) -> bool:
        """Whether the quantity is given."""
        return quantity in self.series

    def _need(self, quantity: str) -> Mapping[int, float]:
        if quantity not in self.series:
            unit, meaning = QUANTITIES[_base(quantity)]
            raise EconomicsInputError(
                f"markets: '{quantity}' is needed ({meaning} [{unit}]); add a row to markets.csv "
                "or pass markets={...}"
            )
        return self.series[quantity]

    def step(self, quantity: str, year: int, default: float | None = None) -> float:
        """Value of a rate or share in a year: the latest row at or before it.

        Before the first row: the first row's value, or zero for a growth rate. A quantity
        that is not given at all takes ``default`` (an error if None).
        """
        if quantity not in self.series and default is not None:
            return default
        rows = self._need(quantity)
        before = [y for y in rows if y <= year]
        if before:
            return rows[max(before)]
        return 0.0 if _base(quantity).endswith("growth") else rows[min(rows)]

    def level(self, quantity: str, year: int) -> float:
        """Value of a level (price, difficulty) in a year: interpolated, then grown (see module)."""
        rows = self._need(quantity)
        years = sorted(rows)
        if year <= years[0]:
            return rows[years[0]]
        if year <= years[-1]:
            hi = next(y for y in years if y >= year)
            lo = max(y for y in years if y <= year)
            if hi == lo:
                return rows[lo]
            return rows[lo] + (rows[hi] - rows[lo]) * (year - lo) / (hi - lo)
        return self._grow(rows[years[-1]], _LEVEL_GROWTH.get(_base(quantity)), years[-1], year)

    def _grow(self, value: float, growth: str | None, from_year: int, to_year: int) -> float:
        if growth is None:
            return value
        for y in range(from_year + 1, to_year + 1):
            value *= 1.0 + self.step(growth, y, default=0.0)
        return value

    def plan_start_year(self) -> int:
        """First year of operation: ``plan_start_year``, else the first year any level is given."""
        if "plan_start_year" in self.series:
            return int(next(iter(self.series["plan_start_year"].values())))
        years = [y for q, rows in self.series.items() if _base(q) in _LEVEL_GROWTH for y in rows]
        if not years:
            raise EconomicsInputError("markets: give plan_start_year (the first year of operation)")
        return min(years)

    def discount_rate(
        self, year: int | None = None, *, tech: str | None = None, kind: str | None = None
    ) -> float:
        """Real cost of capital [fraction/yr]: the tech's row, else its kind's, else the default."""
        y = self.plan_start_year() if year is None else year
        own = [f"discount_rate:{o}" for o in (tech, kind) if f"discount_rate:{o}" in self.series]
        return self.step(own[0] if own else "discount_rate", y)

    def ai_market_mw_it(self, year: int | None = None) -> float:
        """MW of AI IT load the market would rent [MW IT]; ``inf`` when not given."""
        return self.step("ai_market_mw_it", year or self.plan_start_year(), default=math.inf)

    def flat_tariff(self, year: int | None = None) -> Tariff:
        """Return the ``tariff_flat`` offered to compute loads as a :class:`Tariff`."""
        y = self.plan_start_year() if year is None else year
        return Tariff.flat(
            self.step("tariff_flat", y),
            self.units.get("tariff_flat", "USD/MWh"),
            name="markets: tariff_flat",
        )

    def gpu_hour_usd(self, year: int, tech: str | None = None) -> float:
        """GPU-hour price in a year [USD/GPU-h], the technology's own row if it has one."""
        own = f"gpu_hour_usd:{tech}"
        if tech is not None and own in self.series:
            return self.level(own, year)
        return self.level("gpu_hour_usd", year)


def posted_tariff(dataset: Any) -> Tariff:
    """The dataset's posted tariff for compute: its ``tariff_flat`` market row.

    Raises
    ------
    EconomicsInputError
        If the dataset gives none (add a ``tariff_flat`` row to ``markets.csv``).
    """
    markets = Markets.from_dataset(dataset)
    if not markets.has("tariff_flat"):
        currency = getattr(dataset, "currency", "CUR")
        raise EconomicsInputError(
            f"{getattr(dataset, 'name', 'the dataset')} has no posted tariff: add a row "
            f"'tariff_flat,YEAR,RATE,{currency}/kWh,...' to markets.csv, or give one (--tariff)"
        )
    # the plan's first year, or the latest year the tariff is given for
    year = (
        markets.plan_start_year()
        if markets.has("plan_start_year")
        else max(markets.series["tariff_flat"])
    )
    t = markets.flat_tariff(year)
    return Tariff.flat(t.base_rate, t.unit, name=f"flat {t.base_rate:g} {t.unit}", source=t.source)


def _known(quantity: str) -> None:
    if _base(quantity) not in QUANTITIES or (":" in quantity and _base(quantity) not in _PER_TECH):
        raise EconomicsInputError(
            f"markets: unknown quantity {quantity!r}; known: {', '.join(QUANTITIES)}"
        )


def hashprice_in_year(markets: Markets, year: int, **pace: Any) -> dict[str, float]:
    """Yearly-mean hashprice from the market paths and the block-weighted mean subsidy.

    Parameters
    ----------
    markets : Markets
        The market paths.
    year : int
        Calendar year.
    **pace
        Passed to :func:`gridsurplus.economics.bitcoin.height_at` (``blocks_per_day``, ...).

    Returns
    -------
    dict
        ``year``, ``btc_price_usd``, ``difficulty``, ``network_hashrate_eh_s``,
        ``subsidy_btc`` (mean), ``reward_btc``, ``fees_btc_per_block``, ``btc_per_ph_day``,
        ``usd_per_ph_day`` and ``pool_fee``.
    """
    price = markets.level("btc_price_usd", year)
    difficulty = markets.level("difficulty", year)
    subsidy = mean_subsidy_in_year(year, **pace)
    if markets.has("fees_btc_per_block"):
        reward = block_reward_btc(
            subsidy, fees_btc_per_block=markets.step("fees_btc_per_block", year)
        )
    else:
        reward = block_reward_btc(subsidy, fee_share=markets.step("fee_share", year, default=0.0))
    btc = hashprice_btc_per_ph_day(difficulty, reward)
    return {
        "year": year,
        "btc_price_usd": price,
        "difficulty": difficulty,
        "network_hashrate_eh_s": network_hashrate_eh_s(difficulty),
        "subsidy_btc": subsidy,
        "reward_btc": reward,
        "fees_btc_per_block": reward - subsidy,
        "btc_per_ph_day": btc,
        "usd_per_ph_day": btc * price,
        "pool_fee": markets.step("pool_fee", year, default=0.0),
    }


def hashprice_path(markets: Markets, years: range | list[int], **pace: Any) -> pd.DataFrame:
    """:func:`hashprice_in_year` for several years, one row per year (indexed by year)."""
    import pandas as pd

    return pd.DataFrame([hashprice_in_year(markets, y, **pace) for y in years]).set_index("year")
