"""Hourly demand tables: every hour of the reference year once, plausible MW, known regions."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from gridsurplus.dataset.schema import MAX_DEMAND_MW
from gridsurplus.dataset.validate import did_you_mean, show_value
from gridsurplus.errors import Problem


def check_hourly_demand(
    raw: pd.DataFrame, file: str, snapshots: pd.DatetimeIndex, regions: Iterable[str]
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Check an hourly demand table: every hour of the year once, numbers >= 0, known regions.

    Returns
    -------
    tuple
        The demand as a float frame indexed by the snapshots (or None) and the problems.
    """
    problems: list[Problem] = []
    if "timestamp" not in raw.columns:
        return None, [
            Problem(
                file,
                "required column is missing: add a 'timestamp' column "
                "(ISO 8601, local time, one row per hour)",
                column="timestamp",
            )
        ]
    known = set(regions)
    region_cols = [c for c in raw.columns if c != "timestamp"]
    for c in region_cols:
        if c not in known:
            problems.append(
                Problem(
                    file,
                    f"column '{c}' is not a region{did_you_mean(c, known)}; columns after "
                    f"'timestamp' must be region ids ({', '.join(sorted(known))})",
                    column=c,
                )
            )
    for r in sorted(known - set(region_cols)):
        problems.append(
            Problem(file, f"no demand column for region '{r}': add one in MW", column=r)
        )
    stamps = pd.to_datetime(raw["timestamp"], errors="coerce")
    for i in stamps.index[stamps.isna()]:
        problems.append(
            Problem(
                file,
                f"expected an ISO 8601 timestamp, got {show_value(raw.loc[i, 'timestamp'])}",
                row=int(i) + 1,
                column="timestamp",
            )
        )
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    dup = stamps[stamps.duplicated() & stamps.notna()]
    for i, ts in dup.items():
        problems.append(
            Problem(file, f"hour {ts} appears twice", row=int(i) + 1, column="timestamp")
        )
    present = pd.DatetimeIndex(stamps.dropna().unique())
    missing = snapshots.difference(present)
    if len(missing):
        gaps = _runs(missing)
        shown = "; ".join(f"{a} to {b}" if a != b else str(a) for a, b in gaps[:5])
        problems.append(
            Problem(
                file,
                f"the demand series does not cover the year: {len(missing)} hours are "
                f"missing ({shown}{'; ...' if len(gaps) > 5 else ''})",
                column="timestamp",
            )
        )
    outside = present.difference(snapshots)
    if len(outside):
        problems.append(
            Problem(
                file,
                f"{len(outside)} timestamps fall outside the reference year "
                f"({snapshots[0]} to {snapshots[-1]}), first {outside[0]}",
                column="timestamp",
            )
        )
    values = pd.DataFrame(index=raw.index)
    for c in region_cols:
        numbers = pd.to_numeric(raw[c], errors="coerce")
        bad = numbers.isna() | ~numbers.between(0.0, MAX_DEMAND_MW)
        for i in numbers.index[bad][:20]:
            problems.append(
                Problem(
                    file,
                    f"expected a number between 0 and {MAX_DEMAND_MW:g} [MW], "
                    f"got {show_value(raw.loc[i, c])}",
                    row=int(i) + 1,
                    column=c,
                )
            )
        if bad.sum() > 20:
            problems.append(
                Problem(file, f"... and {int(bad.sum()) - 20} more bad values", column=c)
            )
        values[c] = numbers
    if problems:
        return None, problems
    values.index = pd.DatetimeIndex(stamps)
    return values.reindex(snapshots).astype(float), problems


def _runs(index: pd.DatetimeIndex) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    runs: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    start = prev = None
    for ts in index:
        if prev is not None and ts - prev == pd.Timedelta(hours=1):
            prev = ts
            continue
        if start is not None:
            runs.append((start, prev))
        start = prev = ts
    if start is not None:
        runs.append((start, prev))
    return runs


__all__ = ["check_hourly_demand"]
