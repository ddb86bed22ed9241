"""Check a dataset against its schema and collect every problem, not just the first.

Each check returns :class:`~gridsurplus.errors.Problem` objects naming the file, the row,
the column, the value and what is expected. This module checks cells and whole tables against
:mod:`gridsurplus.dataset.schema`; :mod:`gridsurplus.dataset.checks` checks what spans rows and
tables, :mod:`gridsurplus.dataset.meta` checks ``dataset.yaml``, and
:func:`gridsurplus.dataset.load_dataset` runs them all so a user sees every problem in one run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import zoneinfo
from collections.abc import Iterable
from functools import cache
from typing import Any

import pandas as pd

from gridsurplus.dataset.schema import TABLES, Column, Table
from gridsurplus.errors import Problem

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def is_blank(value: Any) -> bool:
    """Whether a cell is empty: None, NaN or only spaces."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def show_value(value: Any) -> str:
    """A cell value as quoted in a message, cut to 40 characters."""
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to ``name`` (a likely misspelling), or None.

    Examples
    --------
    >>> closest("capacity_reverse", ["capacity_mw", "capacity_reverse_mw", "kind"])
    'capacity_reverse_mw'
    """
    known = list(known)
    by_lower = {k.lower(): k for k in known}
    if name.lower() in by_lower:
        return by_lower[name.lower()]
    match = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[match[0]] if match else None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` for the closest known name, or ``""``."""
    match = closest(name, known)
    return f" (did you mean '{match}'?)" if match else ""


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _loads_as_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None  # YAML's yes/no are not numbers
    try:
        if isinstance(value, str):
            return float(value.replace(",", "").replace("_", "").strip())
        return float(value)
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> tuple[dt.date | None, str | None]:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            return None, "the reference year starts at midnight: give a date YYYY-MM-DD"
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text), None
    except ValueError as exc:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return None, f"{show_value(value)} is not a date of the calendar ({exc})"
        return None, f"expected a date YYYY-MM-DD (ISO 8601), got {show_value(value)}"


def convert_cell(value: Any, col: Column) -> tuple[Any, str | None]:
    """Convert one cell to the column's type and check it lies in the plausible range.

    Parameters
    ----------
    value : Any
        The cell as read (text from CSV, a native value from Parquet or YAML).
    col : Column
        Its declaration.

    Returns
    -------
    tuple
        ``(converted, None)`` or ``(None, message)`` when the value is invalid.

    Examples
    --------
    >>> from gridsurplus.dataset.schema import PLANTS, META
    >>> convert_cell("-5", PLANTS.column("capacity_mw"))
    (None, "expected a number between 0 and 50000 [MW], got '-5'")
    >>> convert_cell("Asia/Karachy", META.column("timezone"))[1]
    "unknown time zone 'Asia/Karachy' (did you mean 'Asia/Karachi'?)"
    """
    if is_blank(value):
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
        return None, f"expected {col.expectation()}, got {show_value(value)}"
    if col.dtype in ("float", "int"):
        unit = f" [{col.unit}]" if col.unit and col.unit != "see unit" else ""
        wrong = f"expected {col.expectation()}{unit}, got {show_value(value)}"
        number = _number(value)
        if number is None or math.isnan(number) or math.isinf(number):
            return None, wrong
        if col.dtype == "int":
            if number != int(number):
                return None, wrong
            number = int(number)
        too_low = col.min is not None and (number <= col.min if col.above_min else number < col.min)
        if too_low or (col.max is not None and number > col.max):
            return None, wrong
        return number, None
    if col.dtype == "date":
        day, message = _date(value)
        if message is not None:
            return None, message
        if col.min is not None and day is not None and not col.min <= day.year <= (col.max or 9999):
            return None, f"expected a year from {col.min:g} to {col.max:g}, got {show_value(value)}"
        return day, None
    text = str(value).strip()
    if col.dtype == "timezone":
        if text not in _timezones() and not _loads_as_zone(text):
            return None, f"unknown time zone {show_value(value)}{did_you_mean(text, _timezones())}"
        return text, None
    if col.dtype == "currency":
        if not _CURRENCY.match(text):
            hint = f" (did you mean '{text.upper()}'?)" if _CURRENCY.match(text.upper()) else ""
            return None, f"expected {col.expectation()}, got {show_value(value)}{hint}"
        return text, None
    if col.choices is not None and text not in col.choices:
        hint = did_you_mean(text, [c for c in col.choices if c])
        return None, f"expected {col.expectation()}, got {show_value(value)}{hint}"
    return text, None


def _row_key(raw: pd.DataFrame, table: Table, i: int) -> str | None:
    if not table.key:
        return None
    parts = [str(raw.iloc[i][k]) for k in table.key if k in raw.columns]
    return "/".join(parts) if parts else None


def unknown_columns(columns: Iterable[str], table: Table, file: str) -> list[Problem]:
    """One problem per column the table does not declare, naming the closest declared one.

    A misspelt optional column (``capacity_reverse``) would otherwise be ignored and the
    results change without a word.
    """
    problems = []
    for name in columns:
        if name in table.column_names:
            continue
        guess = closest(name, table.column_names)
        if guess:
            fix = f"did you mean '{guess}'? Rename the column"
        else:
            fix = "known columns: " + ", ".join(table.column_names)
        if "notes" in table.column_names:
            fix += "; free text belongs in 'notes'"
        problems.append(Problem(file, f"unknown column '{name}': {fix}", column=name))
    return problems


def coerce_table(raw: pd.DataFrame, table: Table, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Type every declared column, fill defaults, and check keys and unknown columns.

    Parameters
    ----------
    raw : pandas.DataFrame
        The table as read, every cell as text or a native value (no rows is fine).
    table : Table
        The table's declaration.
    file : str
        File name used in problems.

    Returns
    -------
    tuple
        The typed table (declared columns only) and the problems found.
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
    problems += unknown_columns([str(c) for c in raw.columns], table, file)
    if len(raw) < table.min_rows:
        problems.append(
            Problem(
                file,
                f"the table has no rows: add at least {table.min_rows} below the header "
                f"(one row is: {table.description[0].lower()}{table.description[1:]})",
            )
        )
    raw = raw.reset_index(drop=True)
    out = pd.DataFrame(index=raw.index)
    for col in table.columns:
        if col.name not in raw.columns:
            # a missing required column is already a problem; fill it so later checks can run
            out[col.name] = pd.Series(
                [col.default if not col.required else None] * len(raw),
                index=raw.index,
                dtype=object,
            )
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
        elif col.dtype == "bool" and not any(p.column == col.name for p in problems):
            out[col.name] = out[col.name].astype(bool)
        elif col.dtype == "str":
            out[col.name] = out[col.name].astype(object)
    problems += _duplicated_keys(raw, table, file)
    return out, problems


def _duplicated_keys(raw: pd.DataFrame, table: Table, file: str) -> list[Problem]:
    if not table.key or raw.empty or not all(k in raw.columns for k in table.key):
        return []
    keys = pd.Series(
        ["/".join(str(v) for v in row) for row in raw[list(table.key)].itertuples(index=False)],
        index=raw.index,
    )
    problems = []
    for i, key in keys[keys.duplicated(keep="first")].items():
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
    return problems


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
            if not known:
                problems += _refers_to_empty(df, col, files[name], files[ref_table], ref_table)
                continue
            for i, value in enumerate(df[col.name].tolist()):
                if is_blank(value) or str(value) in known:
                    continue
                sample = ", ".join(sorted(known)[:12])
                problems.append(
                    Problem(
                        files[name],
                        f"unknown {ref_col} {show_value(value)}{did_you_mean(str(value), known)}: "
                        f"it must be one of the "
                        f"{ref_col}s in {files[ref_table]} "
                        f"({sample}{', ...' if len(known) > 12 else ''})",
                        row=i + 1,
                        column=col.name,
                        key=_row_key(df, table, i),
                    )
                )
    return problems


def _refers_to_empty(
    df: pd.DataFrame, col: Column, file: str, ref_file: str, ref_table: str
) -> list[Problem]:
    """One problem for a whole column that refers to a table without rows."""
    if TABLES[ref_table].min_rows > 0:
        return []  # the empty table is reported by itself
    values = sorted({str(v) for v in df[col.name].tolist() if not is_blank(v)})
    if not values:
        return []
    shown = ", ".join(values[:6]) + (", ..." if len(values) > 6 else "")
    return [
        Problem(
            ref_file,
            f"the table has no rows, but {file} column '{col.name}' refers to {shown}: "
            f"add their rows to {ref_file}",
        )
    ]


__all__ = [
    "check_references",
    "closest",
    "coerce_table",
    "convert_cell",
    "did_you_mean",
    "unknown_columns",
]
