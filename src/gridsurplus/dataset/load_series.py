"""Reading hourly load files as they come: trimmed, on whole hours, gaps handled by a policy.

Real demand files (the EIA-930 balancing-authority series is the usual source) end with blank
rows for hours not yet published, have gaps of a day or two, repeat or skip an hour when
daylight saving changes, come at 5- or 15-minute resolution, write ``12,345`` for twelve
thousand, or give GW or kW. :func:`read_load_csv` reads such a file into a clean series of
hourly load [MW] and says, in :attr:`LoadSeries.notices`, everything it did to it; every problem
it cannot mend is reported at once (file, row, column, value, fix) in one
:class:`LoadSeriesError`. :func:`fill_gaps` is the same gap policy for a series already in
memory. Nothing here computes anything from the load: that is :mod:`gridsurplus.surplus.headroom`.

The gap policy (:mod:`gridsurplus.dataset.load_gaps`) defaults here to ``skip``: runs of more
than ``max_interpolate_hours`` missing hours are left out, because a straight line across a day
or more would invent a flat load with no daily peaks. Cell by cell reading is in
:mod:`gridsurplus.dataset.load_cells`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gridsurplus.dataset.load_cells import (
    MISSING_TEXT,
    Notice,
    Problems,
    check_magnitude,
    check_steps,
    minutes,
    parse_times,
    parse_values,
    ranges,
)
from gridsurplus.dataset.load_gaps import (
    GAP_POLICIES,
    HOUR,
    MAX_INTERPOLATE_HOURS,
    Gap,
    GapReport,
    LoadSeriesError,
    fill_gaps,
)
from gridsurplus.errors import Problem

__all__ = [
    "GAP_POLICIES",
    "MAX_INTERPOLATE_HOURS",
    "Gap",
    "GapReport",
    "LoadSeries",
    "LoadSeriesError",
    "Notice",
    "fill_gaps",
    "read_load_csv",
]
UNITS_TO_MW = {"MW": 1.0, "GW": 1000.0, "kW": 0.001}
HOURS_PER_YEAR = 8760
# (column, format, hour-ending) for the timestamp, in order of preference
TIME_COLUMNS = (
    ("timestamp", "ISO8601", False),
    ("UTC Time at End of Hour", "%m/%d/%Y %I:%M:%S %p", True),  # EIA-930 balance files
)
LOAD_COLUMNS = ("load_mw", "Demand (MW)", "Demand (MW) (Adjusted)")


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
    problems = Problems(name)
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
                "blank", f"ignored {blank.sum()} empty rows (rows {ranges(rows[blank].tolist())})"
            )
        )
        stamps, text, missing, rows = stamps[~blank], text[~blank], missing[~blank], rows[~blank]

    values = parse_values(text, missing, rows, load_col, problems, notices)
    index, readable = parse_times(stamps, rows, time_col, fmt, tz, problems)
    factor = UNITS_TO_MW.get(unit, 1.0)
    check_magnitude(values, rows, load_col, unit, problems, notices)
    if index is not None:
        index = check_steps(index, rows[readable], time_col, problems)
    problems.raise_if_any()
    assert index is not None
    if hour_ending:
        index = index - HOUR
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
    span = (series.index[-1] - series.index[0]) / HOUR + 1
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


def _time_column(frame: pd.DataFrame, problems: Problems) -> tuple[str | None, str, bool]:
    for column, fmt, hour_ending in TIME_COLUMNS:
        if column in frame.columns:
            return column, fmt, hour_ending
    found = ", ".join(frame.columns) or "none"
    problems.add("column", f"missing column (found: {found})", None, "timestamp")
    return None, "", False


def _trim_message(where: str, rows: np.ndarray, stamps: np.ndarray) -> str:
    named = [s for s in stamps if s]
    span = f", {named[0]} to {named[-1]}" if len(set(named)) > 1 else ""
    span = f", {named[0]}" if len(set(named)) == 1 else span
    why = "hours not yet published, or blank lines" if where == "trailing" else "blank lines"
    return f"trimmed {rows.size} {where} rows with no load (rows {rows[0]}-{rows[-1]}{span}): {why}"


def _to_hourly(series: pd.Series, notices: list[Notice]) -> pd.Series:
    index = pd.DatetimeIndex(series.index)
    if index.size < 2 or ((index - index[0].floor("h")) % HOUR == pd.Timedelta(0)).all():
        return series
    step = pd.Series(index[1:] - index[:-1]).mode().iloc[0]
    if step >= HOUR:  # hourly, off the full hour (e.g. at :30): kept as it is
        return series
    per_hour = int(HOUR / step)
    hours = index.floor("h")
    grouped = series.groupby(hours)
    hourly = grouped.mean()
    partial = int((grouped.count() < per_hour).sum())
    incomplete = f"; {partial:,} hours from fewer than {per_hour} readings" if partial else ""
    notices.append(
        Notice(
            "resampled",
            f"{minutes(step)} data ({series.size:,} readings) averaged to {hourly.size:,} "
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
