"""Reading hourly load files as they come: trimmed, on whole hours, gaps handled by a policy.

Real demand files (the EIA-930 balancing-authority series is the usual source) end with blank
rows for hours not yet published, have gaps of a day or two, repeat or skip an hour when
daylight saving changes, come at 5- or 15-minute resolution, write ``12,345`` for twelve
thousand, or give GW or kW. :func:`read_load_csv` reads such a file into a clean series of
hourly load [MW] and says, in :attr:`LoadSeries.notices`, everything it did to it; every problem
it cannot mend is reported at once (file, row, column, value, fix) in one
:class:`LoadSeriesError`. :func:`fill_gaps` is the same gap policy for a series already in
memory. Nothing here computes anything from the load: that is :mod:`gridsurplus.headroom`.

Gap policy for runs of missing hours longer than ``max_interpolate_hours`` (shorter runs are
always filled by linear interpolation):

- ``skip`` (the default): the hours are left out, so every rate and per-year figure counts
  measured hours only. Interpolating a straight line across a day or more would invent a flat
  load with no daily peaks and so understate curtailment.
- ``interpolate``: filled by a straight line like the short ones.
- ``error``: refused, naming each gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from gridsurplus.errors import GridsurplusError, Problem

GapPolicy = Literal["skip", "interpolate", "error"]
GAP_POLICIES: tuple[str, ...] = ("skip", "interpolate", "error")
UNITS_TO_MW = {"MW": 1.0, "GW": 1000.0, "kW": 0.001}
MAX_INTERPOLATE_HOURS = 6
MISSING_TEXT = frozenset({"", "na", "nan", "null", "none", "n/a", "-"})
LOW_PEAK_MW = 100.0  # a peak below this is more likely GW than MW for a grid's load
HIGH_PEAK_MW = 3_000_000.0  # above the largest grid's peak (China's ~1.5 TW): kW, not MW
HOURS_PER_YEAR = 8760
LISTED_PER_KIND = 20  # problems of one kind listed row by row; the rest are counted
# (column, format, hour-ending) for the timestamp, in order of preference
TIME_COLUMNS = (
    ("timestamp", "ISO8601", False),
    ("UTC Time at End of Hour", "%m/%d/%Y %I:%M:%S %p", True),  # EIA-930 balance files
)
LOAD_COLUMNS = ("load_mw", "Demand (MW)", "Demand (MW) (Adjusted)")
_HOUR = pd.Timedelta(hours=1)
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_OFFSET = r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"


class LoadSeriesError(GridsurplusError):
    """A load series or file cannot be used; ``problems`` lists every problem found.

    Examples
    --------
    >>> print(LoadSeriesError([Problem("a.csv", "expected a number >= 0 [MW], got 'x'", 3,
    ...                                "load_mw")]))
    a.csv, row 3 (line 4), column 'load_mw': expected a number >= 0 [MW], got 'x'
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        if n == 1:
            text = str(self.problems[0])
        else:
            text = "\n".join([f"{n} problems, nothing computed:", *(f"  - {p}" for p in problems)])
        super().__init__(text)


@dataclass(frozen=True)
class Gap:
    """A run of missing hours and what was done with it.

    Parameters
    ----------
    start : pandas.Timestamp
        First missing hour.
    hours : int
        Number of consecutive missing hours [h].
    action : str
        ``"interpolated"`` or ``"skipped"``.
    """

    start: pd.Timestamp
    hours: int
    action: str = "interpolated"


@dataclass(frozen=True)
class GapReport:
    """The gaps :func:`fill_gaps` found.

    Parameters
    ----------
    gaps : tuple of Gap
        Runs of missing hours, in time order.
    """

    gaps: tuple[Gap, ...] = ()

    @property
    def filled_hours(self) -> int:
        """Hours filled by interpolation [h]."""
        return sum(g.hours for g in self.gaps if g.action == "interpolated")

    @property
    def skipped_hours(self) -> int:
        """Hours left out [h]."""
        return sum(g.hours for g in self.gaps if g.action == "skipped")


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


@dataclass(frozen=True)
class LoadSeries:
    """A load file read and cleaned.

    Parameters
    ----------
    load_mw : pandas.Series
        Hourly load [MW] on whole hours; hours of skipped gaps are absent.
    notices : tuple of Notice
        Everything done to the data, in the order done.
    gap_policy : str
        The policy for long gaps: ``skip``, ``interpolate`` or ``error``.
    gaps : GapReport
        Every run of missing hours and what was done with it.
    source : str
        The file read.
    """

    load_mw: pd.Series
    notices: tuple[Notice, ...]
    gap_policy: str
    gaps: GapReport
    source: str


def fill_gaps(
    load_mw: pd.Series,
    max_gap_hours: int = MAX_INTERPOLATE_HOURS,
    *,
    gaps: str = "error",
    source: str = "load_mw",
) -> tuple[pd.Series, GapReport]:
    """Put a load series on whole hours, filling short gaps and treating long ones by a policy.

    Parameters
    ----------
    load_mw : pandas.Series
        Load [MW] indexed by a DatetimeIndex on whole-hour steps; missing hours may be absent
        or NaN. Filling is idempotent: a series this returned comes back unchanged.
    max_gap_hours : int
        Longest run of missing hours always filled by linear interpolation [h].
    gaps : {"error", "skip", "interpolate"}
        What to do with longer runs: refuse them, leave the hours out, or interpolate.
    source : str
        Name of the input, used in error messages (for example the file name).

    Returns
    -------
    pandas.Series
        Load [MW], sorted, as float, on every hour from first to last except skipped ones.
    GapReport
        Every run of missing hours and what was done with it.

    Raises
    ------
    LoadSeriesError
        If the index is not hourly or has duplicates, a value is negative or not finite, the
        first or last hour is missing, or (``gaps="error"``) a run is longer than
        ``max_gap_hours``; every long run is named.

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01", periods=5, freq="h")
    >>> s = pd.Series([10.0, None, None, 40.0, 50.0], index=idx)
    >>> filled, report = fill_gaps(s)
    >>> filled.tolist(), report.filled_hours
    ([10.0, 20.0, 30.0, 40.0, 50.0], 2)
    >>> fill_gaps(s, 1)
    Traceback (most recent call last):
    ...
    gridsurplus.dataset.load_series.LoadSeriesError: load_mw: 2 missing hours from 2024-01-01 ...
    """
    if gaps not in GAP_POLICIES:
        raise LoadSeriesError(
            [Problem(source, f"gaps: expected one of {GAP_POLICIES}, got {gaps!r}")]
        )
    index = load_mw.index
    if not isinstance(index, pd.DatetimeIndex):
        raise _one(source, f"expected a DatetimeIndex, got {type(index).__name__}")
    if len(index) == 0:
        raise _one(source, "the series is empty")
    if index.has_duplicates:
        raise _one(source, f"hour {index[index.duplicated()][0]} appears twice")
    try:
        values = pd.to_numeric(load_mw, errors="raise").astype(float)
    except (ValueError, TypeError) as exc:
        raise _one(source, f"load must be numeric ({exc})") from None
    values = values.sort_index()
    index = pd.DatetimeIndex(values.index)
    off_grid = (index - index[0]) % _HOUR != pd.Timedelta(0)
    if off_grid.any():
        raise _one(
            source,
            f"expected hourly data on whole-hour steps from {index[0]}, got {index[off_grid][0]}",
        )
    array = values.to_numpy()
    bad = (~np.isfinite(array) & ~np.isnan(array)) | (array < 0)
    if bad.any():
        at = index[bad][0]
        raise _one(source, f"load at {at} is {values[at]}; expected a number >= 0 [MW]")
    full = pd.date_range(index[0], index[-1], freq="h")
    values = values.reindex(full)
    missing = values.isna().to_numpy()
    if missing[0] or missing[-1]:
        at = full[0] if missing[0] else full[-1]
        raise _one(source, f"load at {at} is missing; cannot interpolate at an end")
    starts = np.flatnonzero(missing & ~np.r_[False, missing[:-1]])
    ends = np.flatnonzero(missing & ~np.r_[missing[1:], False])
    found, problems, skip = [], [], np.zeros(len(full), dtype=bool)
    for i, j in zip(starts, ends, strict=True):
        hours = int(j - i + 1)
        long = hours > max_gap_hours
        if long and gaps == "error":
            problems.append(
                Problem(
                    source,
                    f"{hours} missing hours from {full[i]} (at most {max_gap_hours} are filled "
                    "by interpolation); supply those hours, or pass gaps='skip' or 'interpolate'",
                )
            )
        if long and gaps == "skip":
            skip[i : j + 1] = True
        found.append(Gap(full[i], hours, "skipped" if long and gaps == "skip" else "interpolated"))
    if problems:
        raise LoadSeriesError(problems)
    if found:
        values = values.interpolate(method="linear")[~skip]
    values.name = load_mw.name
    return values, GapReport(tuple(found))


def _one(source: str, message: str) -> LoadSeriesError:
    return LoadSeriesError([Problem(source, message)])


class _Problems:
    """Problems found while reading: all counted, at most LISTED_PER_KIND listed per kind."""

    def __init__(self, name: str):
        self.name = name
        self.listed: list[Problem] = []
        self.count: dict[str, int] = {}
        self.more: dict[str, list[int]] = {}

    def add(
        self, kind: str, message: str, row: int | None = None, column: str | None = None
    ) -> None:
        self.count[kind] = self.count.get(kind, 0) + 1
        if self.count[kind] > LISTED_PER_KIND and row is not None:
            self.more.setdefault(kind, []).append(row)
        else:
            self.listed.append(Problem(self.name, message, row, column))

    def raise_if_any(self) -> None:
        if not self.listed:
            return
        problems = sorted(self.listed, key=lambda p: (p.row is not None, p.row or 0))
        for kind, rows in self.more.items():
            message = f"{len(rows)} more rows with {kind}: rows {_ranges(rows)}"
            problems.append(Problem(self.name, message))
        raise LoadSeriesError(problems)


def _ranges(rows: list[int]) -> str:
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


def read_load_csv(
    path: str | Path,
    tz: str | None = None,
    *,
    gaps: str = "skip",
    unit: str = "MW",
    max_interpolate_hours: int = MAX_INTERPOLATE_HOURS,
) -> LoadSeries:
    """Read an hourly (or sub-hourly) load CSV into clean hourly load, saying what was done.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV file with a ``timestamp`` column (ISO 8601, with or without a UTC offset, all rows
        alike) and a ``load_mw`` column; or an EIA-930 balance file (``UTC Time at End of
        Hour`` and ``Demand (MW)``, one balancing authority). Empty or ``NA`` load cells are
        missing hours; blank rows at the start and end are trimmed.
    tz : str or None
        IANA time zone (e.g. ``Asia/Karachi``) in which months and years are read: timestamps
        with an offset are converted to it, naive ones are taken to be in it (an hour repeated
        by daylight saving is then read in order). If None, timestamps with one common offset
        keep it, mixed offsets become UTC, naive ones stay naive.
    gaps : {"skip", "interpolate", "error"}
        What to do with runs of more than ``max_interpolate_hours`` missing hours (see the
        module's docstring).
    unit : {"MW", "GW", "kW"}
        Unit of the load values; they are converted to MW.
    max_interpolate_hours : int
        Longest run of missing hours always filled by linear interpolation [h].

    Returns
    -------
    LoadSeries
        Hourly load [MW], the notices and the gaps.

    Raises
    ------
    LoadSeriesError
        Listing every problem in the file, each with its row and column, the value and a fix.
    """
    path = Path(path)
    name = str(path)
    problems = _Problems(name)
    if gaps not in GAP_POLICIES:
        problems.add("option", f"--gaps: expected one of {', '.join(GAP_POLICIES)}, got '{gaps}'")
    if unit not in UNITS_TO_MW:
        problems.add("option", f"--unit: expected one of {', '.join(UNITS_TO_MW)}, got '{unit}'")
    if tz is not None and not _known_tz(tz):
        problems.add("option", f"unknown time zone '{tz}' (expected e.g. Asia/Karachi, UTC)")
    if not path.is_file():
        problems.add("file", "no such file")
    problems.raise_if_any()
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, skip_blank_lines=False, encoding="utf-8-sig"
        )
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        message = " ".join(str(exc).split())
        raise LoadSeriesError([Problem(name, f"cannot be read as CSV ({message})")]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.fillna("")
    notices: list[Notice] = []
    time_col, fmt, hour_ending = _time_column(frame, problems)
    load_col = next((c for c in LOAD_COLUMNS if c in frame.columns), None)
    if load_col is None:
        found = ", ".join(frame.columns) or "none"
        problems.add("column", f"missing column (found: {found})", None, "load_mw")
    if "Balancing Authority" in frame.columns:
        areas = sorted(set(frame["Balancing Authority"].str.strip()) - {""})
        if len(areas) > 1:
            problems.add(
                "areas",
                f"holds {len(areas)} balancing authorities ({', '.join(areas[:8])}"
                f"{', ...' if len(areas) > 8 else ''}); keep the rows of one",
                None,
                "Balancing Authority",
            )
    problems.raise_if_any()
    assert time_col is not None and load_col is not None
    if time_col != "timestamp" or load_col != "load_mw":
        ending = ", hour ending moved to hour beginning," if hour_ending else ""
        notices.append(
            Notice("layout", f"read time from '{time_col}'{ending} and load from '{load_col}'")
        )
    stamps = frame[time_col].str.strip().to_numpy()
    text = frame[load_col].str.strip().to_numpy()
    rows = np.arange(1, len(frame) + 1)

    missing = np.isin(np.char.lower(text.astype(str)), list(MISSING_TEXT))
    if missing.all():
        raise LoadSeriesError(
            [Problem(name, "no load values (every row is empty or NA)", None, load_col)]
        )
    first, last = np.flatnonzero(~missing)[[0, -1]]
    for where, cut in (("leading", slice(0, first)), ("trailing", slice(last + 1, None))):
        if rows[cut].size:
            notices.append(Notice("trimmed", _trim_message(where, rows[cut], stamps[cut])))
    keep = slice(first, last + 1)
    stamps, text, missing, rows = stamps[keep], text[keep], missing[keep], rows[keep]
    blank = missing & (stamps == "")
    if blank.any():
        notices.append(
            Notice(
                "blank", f"ignored {blank.sum()} empty rows (rows {_ranges(rows[blank].tolist())})"
            )
        )
        stamps, text, missing, rows = stamps[~blank], text[~blank], missing[~blank], rows[~blank]

    values = _parse_values(text, missing, rows, load_col, problems, notices)
    index, readable = _parse_times(stamps, rows, time_col, fmt, tz, problems)
    factor = UNITS_TO_MW.get(unit, 1.0)
    _check_magnitude(values, rows, load_col, unit, problems, notices)
    if index is not None:
        index = _check_steps(index, rows[readable], time_col, problems)
    problems.raise_if_any()
    assert index is not None
    if hour_ending:
        index = index - _HOUR
    if tz is not None and index.tz is not None:
        index = index.tz_convert(tz)
    series = pd.Series(values * factor, index=index, name="load_mw").sort_index()
    series = _to_hourly(series, notices)
    try:
        series, report = fill_gaps(series, max_interpolate_hours, gaps=gaps, source=name)
    except LoadSeriesError as exc:
        fixed = [
            Problem(
                p.file,
                p.message.replace(
                    "gaps='skip' or 'interpolate'", "--gaps skip or --gaps interpolate"
                ),
            )
            for p in exc.problems
        ]
        raise LoadSeriesError(fixed) from None
    notices += _gap_notices(report, gaps, max_interpolate_hours, tz, series)
    span = (series.index[-1] - series.index[0]) / _HOUR + 1
    if span < HOURS_PER_YEAR:
        notices.append(
            Notice(
                "short",
                f"only {len(series):,} h ({span / 24:.0f} days) of data: per-year figures "
                f"(h/yr, MWh/yr) are extrapolated to {HOURS_PER_YEAR} h, and the thresholds come "
                "from the months covered",
            )
        )
    return LoadSeries(series, tuple(notices), gaps, report, name)


def _time_column(frame: pd.DataFrame, problems: _Problems) -> tuple[str | None, str, bool]:
    for column, fmt, hour_ending in TIME_COLUMNS:
        if column in frame.columns:
            return column, fmt, hour_ending
    found = ", ".join(frame.columns) or "none"
    problems.add("column", f"missing column (found: {found})", None, "timestamp")
    return None, "", False


def _trim_message(where: str, rows: np.ndarray, stamps: np.ndarray) -> str:
    named = [s for s in stamps if s]
    span = f", {named[0]} to {named[-1]}" if named else ""
    why = "hours not yet published, or blank lines" if where == "trailing" else "blank lines"
    return f"trimmed {rows.size} {where} rows with no load (rows {rows[0]}-{rows[-1]}{span}): {why}"


def _parse_values(
    text: np.ndarray,
    missing: np.ndarray,
    rows: np.ndarray,
    column: str,
    problems: _Problems,
    notices: list[Notice],
) -> np.ndarray:
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


def _parse_times(
    stamps: np.ndarray, rows: np.ndarray, column: str, fmt: str, tz: str | None, problems: _Problems
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


def _check_steps(
    index: pd.DatetimeIndex, rows: np.ndarray, column: str, problems: _Problems
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
        step = steps.mode().iloc[0]
        grid = step if step < _HOUR and _HOUR % step == pd.Timedelta(0) else _HOUR
        origin = unique[0].floor("h") if grid < _HOUR else unique[0]
        off = (index - origin) % grid != pd.Timedelta(0)
        for i in np.flatnonzero(off):
            problems.add(
                "times off the step",
                f"{index[i]} is not on the file's {_minutes(grid)} steps from {origin}",
                int(rows[i]),
                column,
            )
            ok = False
    return index if ok else None


def _minutes(step: pd.Timedelta) -> str:
    return "hourly" if step == _HOUR else f"{int(step / pd.Timedelta(minutes=1))}-minute"


def _check_magnitude(
    values: np.ndarray,
    rows: np.ndarray,
    column: str,
    unit: str,
    problems: _Problems,
    notices: list[Notice],
) -> None:
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


def _to_hourly(series: pd.Series, notices: list[Notice]) -> pd.Series:
    index = pd.DatetimeIndex(series.index)
    if index.size < 2 or ((index - index[0].floor("h")) % _HOUR == pd.Timedelta(0)).all():
        return series
    step = pd.Series(index[1:] - index[:-1]).mode().iloc[0]
    per_hour = int(_HOUR / step)
    hours = index.floor("h")
    grouped = series.groupby(hours)
    hourly = grouped.mean()
    partial = int((grouped.count() < per_hour).sum())
    incomplete = f"; {partial:,} hours from fewer than {per_hour} readings" if partial else ""
    notices.append(
        Notice(
            "resampled",
            f"{_minutes(step)} data ({series.size:,} readings) averaged to {hourly.size:,} "
            f"hourly means [MW]{incomplete}",
        )
    )
    hourly.name = series.name
    return hourly


def _gap_notices(
    report: GapReport, policy: str, short: int, tz: str | None, series: pd.Series
) -> list[Notice]:
    out = []
    filled = [g for g in report.gaps if g.hours <= short]
    if filled:
        out.append(
            Notice(
                "gaps",
                f"{sum(g.hours for g in filled)} missing hours in {len(filled)} short gap"
                f"{'s' if len(filled) != 1 else ''} (at most {short} h) filled by interpolation",
            )
        )
    long = [g for g in report.gaps if g.hours > short]
    if long:
        listed = ", ".join(f"{g.start:%Y-%m-%d %H:%M} ({g.hours} h)" for g in long[:5])
        more = f" and {len(long) - 5} more" if len(long) > 5 else ""
        done = {
            "skip": "skipped: those hours are left out of every rate and per-year figure "
            "(--gaps skip, the default: a straight line across a day or more would invent a "
            "flat load with no daily peaks; --gaps interpolate fills them instead)",
            "interpolate": "filled by linear interpolation (--gaps interpolate; --gaps skip "
            "leaves them out instead)",
        }[policy]
        hours = sum(g.hours for g in long)
        out.append(
            Notice(
                "gaps",
                f"{hours:,} missing hours in {len(long)} long gap{'s' if len(long) != 1 else ''} "
                f"({listed}{more}) {done}",
            )
        )
    index = pd.DatetimeIndex(series.index)
    if tz is None and index.tz is None:
        for g in report.gaps:
            if (
                g.hours == 1
                and g.start.day_of_week == 6
                and g.start.hour <= 3
                and g.start.month in (3, 4, 9, 10)
            ):
                out.append(
                    Notice(
                        "dst",
                        f"the missing hour {g.start:%Y-%m-%d %H:%M} (a Sunday night in spring) "
                        "looks like a daylight-saving change; if the times are local clock "
                        "times, pass --tz with the zone",
                    )
                )
    return out


def _known_tz(tz: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
