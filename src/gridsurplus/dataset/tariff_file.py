"""Read a time-of-use tariff file against a dataset, reporting every problem at once.

A tariff file is a CSV with one row per band (see :data:`TARIFF_FILE`)::

    region,months,hours,rate,unit
    *,all,all,23,PKR/kWh
    *,12 1 2,17-21,30,PKR/kWh
    LESCO KE,6 7 8,19-23,32,PKR/kWh

The row ``*, all, all`` is the base rate; every later row overrides it (and the rows before
it) in its regions, months and hours. Hours are local clock hours; a range ``17-21`` covers
17:00 to 20:59 and ``22-2`` runs across midnight. Rates are in the dataset's currency or in
USD: a tariff in a third currency cannot be converted with the dataset's exchange rate and
is an error, as are hours outside 0-23, months outside 1-12 and regions the dataset lacks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from gridsurplus.dataset.schema import MAX_COST_PER_KWH, Column, Table
from gridsurplus.dataset.validate import coerce_table, did_you_mean, show_value
from gridsurplus.errors import DatasetError, Problem

if TYPE_CHECKING:
    from gridsurplus.dataset.io import Dataset
    from gridsurplus.economics.tariffs import Tariff

TARIFF_FILE = Table(
    "tariff",
    "A band of a posted tariff: a rate in some regions, months and hours of the day.",
    min_rows=1,
    columns=(
        Column(
            "region",
            "str",
            description="Region ids separated by spaces, or '*' for every region.",
            default="*",
        ),
        Column(
            "months",
            "str",
            "1-12 list",
            "'all', or months such as '12 1 2' or '6-8' (inclusive).",
            default="all",
        ),
        Column(
            "hours",
            "str",
            "h (local)",
            "'all', or hours such as '17-21' (17:00 to 20:59), '22-2' (across midnight) or '3 4'.",
            default="all",
        ),
        Column(
            "rate",
            "float",
            "see unit",
            "Price of energy in the band.",
            min=0,
            max=MAX_COST_PER_KWH * 1000.0,
        ),
        Column(
            "unit",
            "str",
            description="CUR/kWh or CUR/MWh, CUR the dataset's currency or USD (PKR/kWh).",
        ),
        Column("source", "str", description="Where the rate comes from.", default=""),
        Column("notes", "str", description="Free text.", default=""),
    ),
)
"""The columns of a tariff file."""

_UNIT = re.compile(r"^\s*([A-Za-z]{3})\s*/\s*(kWh|MWh)\s*$")
_EVERYTHING = ("", "all", "*")


class TariffFileError(DatasetError):
    """A tariff file failed its checks; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], path: str | None = None):
        super().__init__(problems, path)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the tariff file {path or ''}".rstrip()
        self.args = ("\n".join([head + ":"] + [f"  - {p}" for p in self.problems]),)


def parse_span(text: str, low: int, high: int, *, end_exclusive: bool) -> frozenset[int]:
    """Numbers from ``"all"``, ``"12 1 2"`` or ranges ``"a-b"`` (wrapping past ``high``).

    Parameters
    ----------
    text : str
        The cell.
    low, high : int
        Smallest and largest valid number (1, 12 for months; 0, 23 for hours).
    end_exclusive : bool
        Whether a range's end is excluded (hours: ``17-21`` is 17 to 20, and ``b`` may be
        ``high + 1``, the end of the day).

    Returns
    -------
    frozenset of int
        The numbers covered.

    Raises
    ------
    ValueError
        With a message saying which number is wrong and what is valid.

    Examples
    --------
    >>> sorted(parse_span("22-2", 0, 23, end_exclusive=True))
    [0, 1, 22, 23]
    >>> parse_span("17-25", 0, 23, end_exclusive=True)
    Traceback (most recent call last):
    ...
    ValueError: 25 is outside 0-24 (a range ends at 24 at the latest; write 22-2 across midnight)
    """
    spec = text.strip().lower()
    if spec in _EVERYTHING:
        return frozenset(range(low, high + 1))
    span = high - low + 1
    out: set[int] = set()
    for part in re.split(r"[\s,;]+", spec):
        ends = part.split("-")
        try:
            numbers = [int(e) for e in ends]
        except ValueError:
            raise ValueError(f"cannot read {part!r} as a number or a range a-b") from None
        if len(numbers) == 1:
            if not low <= numbers[0] <= high:
                raise ValueError(f"{numbers[0]} is outside {low}-{high}")
            out.add(numbers[0])
            continue
        if len(numbers) != 2:
            raise ValueError(f"cannot read {part!r} as a range a-b")
        a, b = numbers
        top = high + 1 if end_exclusive else high
        if not low <= a <= high:
            raise ValueError(f"{a} is outside {low}-{high}")
        if not low <= b <= top:
            hint = f"a range ends at {top} at the latest; write 22-2 across midnight"
            raise ValueError(f"{b} is outside {low}-{top} ({hint})")
        end = b if end_exclusive else b + 1
        count = (end - a) % span
        if count == 0 and end_exclusive and a != b:
            count = span  # 0-24: the whole day
        if count == 0:
            raise ValueError(f"the range {part!r} covers nothing: give its first and end value")
        out.update(low + (a - low + k) % span for k in range(count))
    return frozenset(out)


def check_tariff_frame(
    raw: pd.DataFrame, file: str, currency: str, regions: list[str]
) -> tuple[
    list[tuple[int, float, frozenset[int], frozenset[int], frozenset[str] | None]],
    str,
    list[Problem],
]:
    """Check a tariff table row by row.

    Returns
    -------
    tuple
        The bands ``(row, rate, months, hours, regions or None)``, the unit, and the problems.
    """
    typed, problems = coerce_table(raw, TARIFF_FILE, file)
    bands = []
    units: dict[str, int] = {}
    for i, row in typed.iterrows():
        n = int(i) + 1
        unit = str(row["unit"] or "").strip()
        match = _UNIT.match(unit)
        if row["unit"] is not None and not match:
            problems.append(
                Problem(
                    file,
                    f"unknown unit {show_value(unit)}: use {currency}/kWh or {currency}/MWh "
                    "(or USD/kWh, USD/MWh)",
                    row=n,
                    column="unit",
                )
            )
        elif match:
            cur = match.group(1).upper()
            if cur not in (currency.upper(), "USD"):
                problems.append(
                    Problem(
                        file,
                        f"the rate is in {cur}, which this dataset cannot convert (it knows "
                        f"{currency} per USD only): give the rate in {currency} or USD",
                        row=n,
                        column="unit",
                    )
                )
            else:
                unit = f"{cur}/{match.group(2)}"
                units.setdefault(unit, n)
        spans = []
        for col, low, high, exclusive in (("months", 1, 12, False), ("hours", 0, 23, True)):
            try:
                spans.append(parse_span(str(row[col] or ""), low, high, end_exclusive=exclusive))
            except ValueError as exc:
                what = "months 1-12" if col == "months" else "hours 0-23"
                problems.append(
                    Problem(
                        file,
                        f"{exc}, in {show_value(row[col])}: give {what}, ranges a-b, or 'all'",
                        row=n,
                        column=col,
                    )
                )
        region_text = str(row["region"] or "").strip()
        where: frozenset[str] | None = None
        if region_text not in _EVERYTHING:
            where = frozenset(re.split(r"[\s,;]+", region_text))
            for r in sorted(where - set(regions)):
                problems.append(
                    Problem(
                        file,
                        f"unknown region {show_value(r)}{did_you_mean(r, regions)}: use the "
                        f"dataset's regions ({', '.join(regions)}) or '*' for all",
                        row=n,
                        column="region",
                    )
                )
        if len(spans) == 2 and row["rate"] is not None and row["rate"] == row["rate"]:
            bands.append((n, float(row["rate"]), spans[0], spans[1], where))
    if len(units) > 1:
        (first, _), *others = sorted(units.items(), key=lambda kv: kv[1])
        for unit, n in others:
            problems.append(
                Problem(
                    file,
                    f"unit {unit} differs from {first} (row {units[first]}): "
                    "give every row in one unit",
                    row=n,
                    column="unit",
                )
            )
    return bands, (min(units, key=lambda u: units[u]) if units else ""), problems


def read_tariff_file(path: str | Path, ds: Dataset) -> Tariff:
    """Read a tariff file, checked against the dataset's currency, regions and the clock.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV file with columns ``region, months, hours, rate, unit`` (see the module).
    ds : Dataset
        The dataset the tariff is posted in (its currency and regions).

    Returns
    -------
    Tariff
        The base rate and the bands in file order, named after the file.

    Raises
    ------
    TariffFileError
        A :class:`~gridsurplus.errors.DatasetError` listing every problem, each naming the
        row, the column and the fix.
    """
    from gridsurplus.economics.tariffs import ALL_HOURS, ALL_MONTHS, Tariff, TariffBand

    path = Path(path)
    file = path.name
    if not path.is_file():
        raise TariffFileError(
            [
                Problem(
                    str(path),
                    "no such file: give a CSV with columns region, months, hours, rate, unit",
                )
            ],
            str(path),
        )
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raw = pd.DataFrame(columns=TARIFF_FILE.column_names)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise TariffFileError([Problem(file, f"cannot be read as CSV: {exc}")], str(path)) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    regions = [str(r) for r in ds.regions.index]
    bands, unit, problems = check_tariff_frame(raw, file, ds.currency, regions)
    base = None
    out = []
    per_mwh = 1000.0 if unit.endswith("/kWh") else 1.0
    to_usd = 1.0 if unit.startswith("USD") else 1.0 / ds.exchange_rate
    for n, rate, months, hours, where in bands:
        usd_per_mwh = rate * per_mwh * to_usd
        if unit and usd_per_mwh > ds.voll_usd_per_mwh:
            problems.append(
                Problem(
                    file,
                    f"a rate of {rate:g} {unit} is {usd_per_mwh:,.0f} USD/MWh, above the value "
                    f"of lost load ({ds.voll_usd_per_mwh:,.0f} USD/MWh): check the rate and "
                    "whether the unit is per kWh or per MWh",
                    row=n,
                    column="rate",
                )
            )
        if where is None and months == ALL_MONTHS and hours == ALL_HOURS:
            if base is None:
                base = rate
                continue
            problems.append(
                Problem(
                    file,
                    "a second base row ('*, all, all') would override every row above it: "
                    "keep one base row and give the other rates as bands",
                    row=n,
                )
            )
        out.append(TariffBand(rate, months, hours, where))
    if base is None and len(bands) == len(raw) > 0:
        problems.append(
            Problem(
                file,
                f"no base rate: add a row '*,all,all,RATE,{ds.currency}/kWh' for the hours "
                "no band covers",
            )
        )
    if problems:
        raise TariffFileError(sorted(problems, key=lambda p: p.row or 0), str(path))
    assert base is not None
    return Tariff(base, unit, tuple(out), path.stem, str(path))


__all__ = ["TARIFF_FILE", "TariffFileError", "check_tariff_frame", "parse_span", "read_tariff_file"]
