"""The gap policy: a load series put on whole hours, short gaps filled, long ones by policy.

Runs of missing hours up to ``max_gap_hours`` are always filled by linear interpolation. Longer
runs follow the policy:

- ``skip``: the hours are left out, so every rate and per-year figure counts measured hours
  only. Interpolating a straight line across a day or more would invent a flat load with no
  daily peaks and so understate curtailment. The default for files
  (:func:`gridsurplus.dataset.load_series.read_load_csv`).
- ``interpolate``: filled by a straight line like the short ones.
- ``error``: refused, naming each gap. The default for a series in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gridsurplus.errors import InputError, Problem

GAP_POLICIES: tuple[str, ...] = ("skip", "interpolate", "error")
MAX_INTERPOLATE_HOURS = 6
HOUR = pd.Timedelta(hours=1)


class LoadSeriesError(InputError):
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
    gridsurplus.dataset.load_gaps.LoadSeriesError: load_mw: 2 missing hours from 2024-01-01 ...
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
    off_grid = (index - index[0]) % HOUR != pd.Timedelta(0)
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
