"""The cells of a load file: values and times read row by row, every problem kept with its row.

Helpers of :func:`gridsurplus.dataset.load_series.read_load_csv`: each takes the columns as
text, records what it cannot read in a :class:`Problems` and what it changed as a
:class:`Notice`, and goes on, so one run reports every problem in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gridsurplus.dataset.load_gaps import HOUR, LoadSeriesError
from gridsurplus.errors import Problem

MISSING_TEXT = frozenset({"", "na", "nan", "null", "none", "n/a", "-"})
LOW_PEAK_MW = 100.0  # a peak below this is more likely GW than MW for a grid's load
HIGH_PEAK_MW = 3_000_000.0  # above the largest grid's peak (China's ~1.5 TW): kW, not MW
LISTED_PER_KIND = 20  # problems of one kind listed row by row; the rest are counted
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_OFFSET = r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"


@dataclass(frozen=True)
class Notice:
    """Something done to the file's data, or to be aware of.

    Parameters
    ----------
    code : str
        Short kind: ``layout``, ``trimmed``, ``blank``, ``thousands``, ``resampled``, ``units``,
        ``gaps``, ``dst``, ``short``.
    message : str
        What was found and done, and how to change it.
    """

    code: str
    message: str


class Problems:
    """Problems found while reading: all counted, at most LISTED_PER_KIND listed per kind."""

    def __init__(self, name: str):
        self.name = name
        self.listed: list[Problem] = []
        self.count: dict[str, int] = {}
        self.more: dict[str, list[int]] = {}

    def add(
        self, kind: str, message: str, row: int | None = None, column: str | None = None
    ) -> None:
        """Record one problem of a kind; beyond LISTED_PER_KIND of a kind only its row is kept."""
        self.count[kind] = self.count.get(kind, 0) + 1
        if self.count[kind] > LISTED_PER_KIND and row is not None:
            self.more.setdefault(kind, []).append(row)
        else:
            self.listed.append(Problem(self.name, message, row, column))

    def raise_if_any(self) -> None:
        """Raise every problem recorded, in row order, as one :class:`LoadSeriesError`."""
        if not self.listed:
            return
        problems = sorted(self.listed, key=lambda p: (p.row is not None, p.row or 0))
        for kind, rows in self.more.items():
            message = f"{len(rows)} more rows with {kind}: rows {ranges(rows)}"
            problems.append(Problem(self.name, message))
        raise LoadSeriesError(problems)


def ranges(rows: list[int]) -> str:
    """'3-5, 9' for [3, 4, 5, 9]."""
    parts = []
    start = prev = rows[0]
    for cur in [*rows[1:], None]:
        if cur != prev + 1:
            parts.append(f"{start}" if start == prev else f"{start}-{prev}")
            if cur is not None:
                start = cur
        if cur is not None:
            prev = cur
    return ", ".join(parts)


def parse_values(
    text: np.ndarray,
    missing: np.ndarray,
    rows: np.ndarray,
    column: str,
    problems: Problems,
    notices: list[Notice],
) -> np.ndarray:
    """Load values [MW] from text; missing cells NaN, ``12,345`` read as 12345.

    Parameters
    ----------
    text : numpy.ndarray
        The load cells, stripped.
    missing : numpy.ndarray
        Which cells are empty or NA (missing hours).
    rows : numpy.ndarray
        The 1-based data row of each cell.
    column : str
        The column's name in the file.
    problems : Problems
        Gets one problem per value that is not a number >= 0.
    notices : list of Notice
        Gets a notice if thousands separators were read.

    Returns
    -------
    numpy.ndarray
        Load [file's unit]; NaN where missing or bad.
    """
    grouped = np.array([bool(_THOUSANDS.match(t)) for t in text], dtype=bool)
    if grouped.any():
        notices.append(
            Notice(
                "thousands",
                f"{grouped.sum():,} values with thousands separators (e.g. '{text[grouped][0]}') "
                "read without them",
            )
        )
    clean = pd.Series(np.where(grouped, np.char.replace(text.astype(str), ",", ""), text))
    values = pd.to_numeric(clean.where(~missing), errors="coerce").to_numpy(dtype=float, copy=True)
    bad = (np.isnan(values) & ~missing) | np.isinf(values) | (values < 0)
    for i in np.flatnonzero(bad):
        problems.add(
            "values that are not a load",
            f"expected a number >= 0 [MW] (or empty for a missing hour), got '{text[i]}'",
            int(rows[i]),
            column,
        )
    values[bad] = np.nan
    return values


def parse_times(
    stamps: np.ndarray, rows: np.ndarray, column: str, fmt: str, tz: str | None, problems: Problems
) -> tuple[pd.DatetimeIndex | None, np.ndarray]:
    """The times of the rows that can be read, and which rows those are."""
    text = pd.Series(stamps)
    if fmt == "ISO8601":
        has_offset = text.str.contains(_OFFSET, case=False, regex=True).to_numpy()
        n_aware = 2 * int(has_offset.sum())  # the majority's form; row 1's on a tie
        aware = n_aware > has_offset.size or (n_aware == has_offset.size and bool(has_offset[0]))
        for i in np.flatnonzero(has_offset != aware):
            kind = "has a UTC offset" if has_offset[i] else "has no UTC offset"
            problems.add(
                "mixed time forms",
                f"'{stamps[i]}' {kind} but most rows do not; use one form"
                if has_offset[i]
                else f"'{stamps[i]}' {kind} but most rows have one; use one form",
                int(rows[i]),
                column,
            )
    else:
        aware = True  # EIA-930's UTC column
    parsed = pd.to_datetime(text, format=fmt, errors="coerce", utc=aware)
    example = "2024-01-31T13:00+05:00" if fmt == "ISO8601" else "01/31/2024 1:00:00 PM"
    for i in np.flatnonzero(parsed.isna().to_numpy()):
        what = "is not an ISO 8601 time" if fmt == "ISO8601" else "is not a time"
        message = f"'{stamps[i]}' {what} (e.g. {example})"
        if not stamps[i]:
            message = f"no time for this row's load; give its hour (e.g. {example}) or delete it"
        problems.add("unreadable times", message, int(rows[i]), column)
    readable = parsed.notna().to_numpy()
    index = pd.DatetimeIndex(parsed[readable])
    if aware and tz is None and fmt == "ISO8601":
        try:  # one common offset: keep it, so months and years are local
            return pd.DatetimeIndex(pd.to_datetime(text[readable], format="ISO8601")), readable
        except ValueError:
            return index, readable
    if not aware and tz is not None:
        try:
            return index.tz_localize(tz, ambiguous="infer", nonexistent="raise"), readable
        except ValueError as exc:  # a time skipped or repeated by daylight saving
            reason = str(exc).split(". Try")[0]
            problems.add("time zone", f"cannot read the times in {tz}: {reason}", None, column)
            return None, readable
    return index, readable


def check_steps(
    index: pd.DatetimeIndex, rows: np.ndarray, column: str, problems: Problems
) -> pd.DatetimeIndex | None:
    """Duplicates (with a --tz hint) and times off the file's step; None if any."""
    ok = True
    dup = index.duplicated(keep="first")
    for i in np.flatnonzero(dup):
        first = int(rows[np.flatnonzero(index == index[i])[0]])
        hint = (
            "; if the times are local clock times, daylight saving repeats an hour in autumn: "
            "pass --tz with the zone (e.g. --tz America/New_York) or give UTC offsets"
            if index.tz is None
            else "; keep one of the two rows"
        )
        problems.add(
            "repeated times", f"{index[i]} is also in row {first}{hint}", int(rows[i]), column
        )
        ok = False
    unique = index[~dup].sort_values()
    if unique.size > 1:
        steps = pd.Series(unique[1:] - unique[:-1])
        fine = steps[steps <= HOUR].value_counts()
        if fine.empty:
            if unique.size > 2:  # no two readings within an hour: daily or coarser data
                problems.add(
                    "coarse steps",
                    f"no two times are an hour or less apart (the closest: {steps.min()}); "
                    "expected hourly or finer (5, 15, 30-minute) load",
                    None,
                    column,
                )
                return None
            fine = pd.Series([1], index=[HOUR])
        step = fine[fine == fine.max()].index.max()  # the commonest step; on a tie the longest
        grid = step if step < HOUR and HOUR % step == pd.Timedelta(0) else HOUR
        origin = unique[0].floor("h") if grid < HOUR else unique[0]
        off = (index - origin) % grid != pd.Timedelta(0)
        for i in np.flatnonzero(off):
            problems.add(
                "times off the step",
                f"{index[i]} is not on the file's {minutes(grid)} steps from {origin}",
                int(rows[i]),
                column,
            )
            ok = False
    return index if ok else None


def minutes(step: pd.Timedelta) -> str:
    """Name a step: ``"hourly"`` or ``"15-minute"``."""
    return "hourly" if step == HOUR else f"{int(step / pd.Timedelta(minutes=1))}-minute"


def check_magnitude(
    values: np.ndarray,
    rows: np.ndarray,
    column: str,
    unit: str,
    problems: Problems,
    notices: list[Notice],
) -> None:
    """Flag values whose size says they are not MW.

    A peak above HIGH_PEAK_MW is a problem (kW?), one below LOW_PEAK_MW a notice (GW?); a unit
    other than MW gets a notice of the conversion.

    Parameters
    ----------
    values : numpy.ndarray
        Load [``unit``], NaN where missing.
    rows, column, problems, notices
        As in :func:`parse_values`.
    unit : str
        The unit the user gave: ``MW``, ``GW`` or ``kW``.
    """
    if unit != "MW":
        notices.append(Notice("units", f"values read as {unit} and converted to MW"))
        return
    if np.isnan(values).all():
        return
    i = int(np.nanargmax(values))
    peak = float(values[i])
    if peak > HIGH_PEAK_MW:
        problems.add(
            "units",
            f"peak {peak:,.0f} MW is larger than any grid's; the values look like kW: "
            "pass --unit kW (or --unit GW / MW if that is what they are)",
            int(rows[i]),
            column,
        )
    elif peak < LOW_PEAK_MW:
        notices.append(
            Notice(
                "units",
                f"peak load is only {peak:g} MW (row {rows[i]}); if the values are GW, as for a "
                "national or regional grid, pass --unit GW (the headroom in % of peak is the "
                "same either way)",
            )
        )
