"""Check a dataset against its schema and collect every problem, not just the first.

Each check returns :class:`~gridsurplus.errors.Problem` objects naming the file, the row,
the column and what is expected; :func:`validate_tables` runs them all so a user sees every
problem of a file in one run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from gridsurplus.dataset.schema import DEMAND_HOURLY_NAME, TABLES, Column, Table
from gridsurplus.errors import Problem

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _show(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def convert_cell(value: Any, col: Column) -> tuple[Any, str | None]:
    """Convert one cell to the column's type.

    Parameters
    ----------
    value : Any
        The cell as read (text from CSV, a native value from Parquet).
    col : Column
        Its declaration.

    Returns
    -------
    tuple
        ``(converted, None)`` or ``(None, message)`` when the value is invalid.

    Examples
    --------
    >>> from gridsurplus.dataset.schema import PLANTS
    >>> convert_cell("-5", PLANTS.column("capacity_mw"))
    (None, "expected a number >= 0, got '-5'")
    """
    if _is_blank(value):
        if col.required:
            return None, f"a value is required here: {col.expectation()}"
        return col.default, None
    if col.dtype == "bool":
        text = str(value).strip().lower()
        if isinstance(value, bool):
            return value, None
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return None, f"expected {col.expectation()}, got {_show(value)}"
    if col.dtype in ("float", "int"):
        try:
            number = (
                float(str(value).replace(",", "").strip())
                if isinstance(value, str)
                else float(value)
            )
        except (TypeError, ValueError):
            return None, f"expected {col.expectation()}, got {_show(value)}"
        if math.isnan(number) or math.isinf(number):
            return None, f"expected {col.expectation()}, got {_show(value)}"
        if col.dtype == "int":
            if number != int(number):
                return None, f"expected {col.expectation()}, got {_show(value)}"
            number = int(number)
        if (col.min is not None and number < col.min) or (col.max is not None and number > col.max):
            return None, f"expected {col.expectation()}, got {_show(value)}"
        return number, None
    text = str(value).strip()
    if col.choices is not None and text not in col.choices:
        return None, f"expected {col.expectation()}, got {_show(value)}"
    return text, None


def _row_key(raw: pd.DataFrame, table: Table, i: int) -> str | None:
    if not table.key:
        return None
    parts = [str(raw.iloc[i][k]) for k in table.key if k in raw.columns]
    return "/".join(parts) if parts else None


def coerce_table(raw: pd.DataFrame, table: Table, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Type every declared column, fill defaults, and check keys.

    Parameters
    ----------
    raw : pandas.DataFrame
        The table as read, every cell as text or a native value.
    table : Table
        The table's declaration.
    file : str
        File name used in problems.

    Returns
    -------
    tuple
        The typed table (undeclared columns kept as text) and the problems found.
    """
    problems: list[Problem] = []
    missing = [c.name for c in table.columns if c.required and c.name not in raw.columns]
    for name in missing:
        col = table.column(name)
        problems.append(
            Problem(
                file,
                f"required column is missing: add a column '{name}' ({col.description} "
                f"Expected {col.expectation()}{', in ' + col.unit if col.unit else ''}).",
                column=name,
            )
        )
    out = raw.copy()
    for col in table.columns:
        if col.name not in raw.columns:
            # a missing required column is already a problem; fill it so later checks can run
            out[col.name] = col.default if not col.required else None
            continue
        values = []
        for i, cell in enumerate(raw[col.name].tolist()):
            converted, message = convert_cell(cell, col)
            if message is not None:
                problems.append(
                    Problem(file, message, row=i + 1, column=col.name, key=_row_key(raw, table, i))
                )
            values.append(converted)
        out[col.name] = pd.Series(values, index=raw.index, dtype=object)
    for col in table.columns:
        if col.dtype == "float":
            out[col.name] = pd.to_numeric(out[col.name], errors="coerce").astype(float)
        elif col.dtype == "int" and not any(p.column == col.name for p in problems):
            out[col.name] = pd.to_numeric(out[col.name], errors="coerce").astype("Int64")
    if table.key and all(k in raw.columns for k in table.key):
        keys = raw[list(table.key)].astype(str).agg("/".join, axis=1)
        dup = keys[keys.duplicated(keep="first")]
        for i, key in dup.items():
            first = int(keys[keys == key].index[0]) + 1
            problems.append(
                Problem(
                    file,
                    f"duplicated {'/'.join(table.key)} '{key}' (first seen in row {first}); "
                    "each row needs its own identifier",
                    row=int(i) + 1,
                    column=table.key[0],
                    key=key,
                )
            )
    return out, problems


def check_references(tables: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    """Check every foreign key (``Column.references``) against the referenced table."""
    problems: list[Problem] = []
    for name, df in tables.items():
        table = TABLES[name]
        for col in table.columns:
            if not col.references or col.name not in df.columns:
                continue
            ref_table, ref_col = col.references.split(".")
            if ref_table not in tables:
                continue
            known = set(tables[ref_table][ref_col].dropna().astype(str))
            for i, value in enumerate(df[col.name].tolist()):
                if _is_blank(value) or str(value) in known:
                    continue
                sample = ", ".join(sorted(known)[:12])
                problems.append(
                    Problem(
                        files[name],
                        f"unknown {ref_col} {_show(value)}: it must be one of the "
                        f"{ref_col}s in {files[ref_table]} "
                        f"({sample}{', ...' if len(known) > 12 else ''})",
                        row=i + 1,
                        column=col.name,
                        key=_row_key(df, table, i),
                    )
                )
    return problems


def _months_of_year(start: pd.Timestamp) -> list[str]:
    return [p.strftime("%Y-%m") for p in pd.period_range(start, periods=12, freq="M")]


def check_semantics(
    tables: dict[str, pd.DataFrame], files: dict[str, str], start: pd.Timestamp | None
) -> list[Problem]:
    """Check what spans rows: shares that must sum to 1, months that must all be present, ..."""
    problems: list[Problem] = []
    regions = tables.get("regions")
    if regions is not None and "demand_share" in regions and "demand_hourly" not in files:
        shares = regions["demand_share"]
        if shares.isna().any():
            for i in shares.index[shares.isna()]:
                problems.append(
                    Problem(
                        files["regions"],
                        "a demand share is required when demand is given monthly "
                        "(demand_monthly + load_shape)",
                        row=int(i) + 1,
                        column="demand_share",
                        key=str(regions.loc[i, "region"]),
                    )
                )
        elif abs(float(shares.sum()) - 1.0) > 1e-3:
            problems.append(
                Problem(
                    files["regions"],
                    f"demand shares must sum to 1, they sum to {shares.sum():.4f}",
                    column="demand_share",
                )
            )
    links = tables.get("links")
    if links is not None:
        for i, row in links.iterrows():
            if row["from_region"] == row["to_region"]:
                problems.append(
                    Problem(
                        files["links"],
                        "a link must join two different regions, both ends are "
                        f"'{row['from_region']}'",
                        row=int(i) + 1,
                        column="to_region",
                        key=str(row["link"]),
                    )
                )
    shape = tables.get("load_shape")
    if shape is not None and {"season", "months", "hour"} <= set(shape.columns):
        seen: dict[int, str] = {}
        for season, group in shape.groupby("season", sort=False):
            hours = sorted(int(h) for h in group["hour"].dropna())
            if hours != list(range(24)):
                missing = sorted(set(range(24)) - set(hours))
                problems.append(
                    Problem(
                        files["load_shape"],
                        f"season '{season}' must have one row for each hour 0-23; "
                        f"missing hours {missing}"
                        if missing
                        else f"season '{season}' repeats hours",
                        column="hour",
                    )
                )
            for text in set(group["months"].astype(str)):
                try:
                    months = [int(m) for m in text.replace(",", " ").split()]
                except ValueError:
                    problems.append(
                        Problem(
                            files["load_shape"],
                            f"months must be numbers 1-12 separated by spaces, got {_show(text)}",
                            column="months",
                            key=str(season),
                        )
                    )
                    continue
                for m in months:
                    if m in seen and seen[m] != season:
                        problems.append(
                            Problem(
                                files["load_shape"],
                                f"month {m} is in two seasons ('{seen[m]}' and '{season}')",
                                column="months",
                            )
                        )
                    seen[m] = str(season)
        missing_months = sorted(set(range(1, 13)) - set(seen))
        if missing_months:
            problems.append(
                Problem(
                    files["load_shape"],
                    f"months {missing_months} are in no season: every month needs a shape",
                    column="months",
                )
            )
    if start is not None:
        year_months = _months_of_year(start)
        demand = tables.get("demand_monthly")
        if demand is not None:
            given = set(demand["month"].astype(str))
            absent = [m for m in year_months if m not in given]
            if absent:
                problems.append(
                    Problem(
                        files["demand_monthly"],
                        "the demand series does not cover the reference year: "
                        f"months {absent} "
                        f"are missing (the year runs {year_months[0]} to {year_months[-1]})",
                        column="month",
                    )
                )
            for i, m in enumerate(demand["month"].astype(str)):
                if m not in year_months:
                    problems.append(
                        Problem(
                            files["demand_monthly"],
                            f"month {_show(m)} is outside the "
                            f"reference year ({year_months[0]} to {year_months[-1]}, as YYYY-MM)",
                            row=i + 1,
                            column="month",
                            key=m,
                        )
                    )
        budgets = tables.get("energy_budgets")
        if budgets is not None:
            for i, m in enumerate(budgets["month"].astype(str)):
                if m not in year_months and m != "year":
                    problems.append(
                        Problem(
                            files["energy_budgets"],
                            f"month {_show(m)} is outside the "
                            "reference year: use YYYY-MM from "
                            f"{year_months[0]} to {year_months[-1]}, "
                            "or 'year' for the whole year",
                            row=i + 1,
                            column="month",
                            key=str(budgets.iloc[i]["fuel"]),
                        )
                    )
            water = budgets[budgets["kind"] == "water"]
            for fuel, group in water.groupby("fuel"):
                absent = [m for m in year_months if m not in set(group["month"].astype(str))]
                if absent:
                    problems.append(
                        Problem(
                            files["energy_budgets"],
                            f"fuel '{fuel}' has no water budget for "
                            f"months {absent}: give all 12 months",
                            column="month",
                        )
                    )
    climate = tables.get("climate")
    if climate is not None:
        for station, group in climate.groupby("station"):
            got = set(int(m) for m in group["month"].dropna())
            if got != set(range(1, 13)):
                problems.append(
                    Problem(
                        files["climate"],
                        f"station '{station}' needs all 12 months, "
                        f"missing {sorted(set(range(1, 13)) - got)}",
                        column="month",
                    )
                )
    factors = tables.get("monthly_factors")
    if factors is not None:
        for profile, group in factors.groupby("profile"):
            got = set(int(m) for m in group["month"].dropna())
            if got != set(range(1, 13)):
                problems.append(
                    Problem(
                        files["monthly_factors"],
                        f"profile '{profile}' needs all 12 months, "
                        f"missing {sorted(set(range(1, 13)) - got)}",
                        column="month",
                    )
                )
    return problems


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
                    f"column '{c}' is not a region; columns after "
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
                f"expected an ISO 8601 timestamp, got {_show(raw.loc[i, 'timestamp'])}",
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
        bad = numbers.isna() | (numbers < 0)
        for i in numbers.index[bad][:20]:
            problems.append(
                Problem(
                    file,
                    f"expected a number >= 0 (MW), got {_show(raw.loc[i, c])}",
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


def check_meta(meta: dict[str, Any], file: str = "dataset.yaml") -> list[Problem]:
    """Check ``dataset.yaml``: name, reference year, currency and a positive exchange rate."""
    problems: list[Problem] = []
    for key in ("name", "currency"):
        if _is_blank(meta.get(key)):
            problems.append(Problem(file, f"'{key}' is missing: add `{key}: ...`", column=key))
    rate = meta.get("exchange_rate")
    if _is_blank(rate):
        problems.append(
            Problem(
                file,
                "the exchange rate is missing: add `exchange_rate: N` "
                "(units of the dataset currency per USD, e.g. 281 for PKR)",
                column="exchange_rate",
            )
        )
    else:
        try:
            if float(str(rate)) <= 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    file,
                    f"exchange_rate must be a number > 0 (currency per USD), got {_show(rate)}",
                    column="exchange_rate",
                )
            )
    ref = meta.get("reference_year")
    if not isinstance(ref, dict) or _is_blank(ref.get("start")):
        problems.append(
            Problem(
                file,
                "reference_year is missing: add `reference_year: {label: "
                "FY2024-25, start: 2024-07-01}`",
                column="reference_year",
            )
        )
    else:
        try:
            pd.Timestamp(str(ref["start"]))
        except ValueError:
            problems.append(
                Problem(
                    file,
                    f"reference_year.start must be a date (YYYY-MM-DD), got {_show(ref['start'])}",
                    column="reference_year",
                )
            )
    for key in ("voll_usd_per_mwh",):
        if key in meta:
            try:
                if float(meta[key]) <= 0:
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(Problem(file, f"{key} must be a number > 0", column=key))
    return problems


__all__ = [
    "DEMAND_HOURLY_NAME",
    "check_hourly_demand",
    "check_meta",
    "check_references",
    "check_semantics",
    "coerce_table",
    "convert_cell",
]
