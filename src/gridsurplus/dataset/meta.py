"""Check ``dataset.yaml`` field by field against :data:`~gridsurplus.dataset.schema.META`.

Every scalar is typed and range-checked the way table cells are
(:func:`~gridsurplus.dataset.validate.convert_cell`); a field the schema does not know is an
error naming the closest known field, so a misspelt ``voll_usd_per_mhw`` is not ignored.
Free text fields (``source``, ``note``, ``*_source``, ``*_note``) may appear anywhere.
"""

from __future__ import annotations

import copy
import datetime as dt
import zoneinfo
from typing import Any

from gridsurplus.dataset.schema import FREE_TEXT_SUFFIXES, META, META_GROUPS, META_LISTS, Column
from gridsurplus.dataset.validate import convert_cell, did_you_mean, is_blank, show_value
from gridsurplus.errors import Problem

_FREE_TEXT = ("source", "note", "notes")
_EXAMPLES = {
    "name": "name: My grid",
    "currency": "currency: PKR",
    "exchange_rate": "exchange_rate: 281",
    "reference_year.start": "reference_year: {label: FY2024-25, start: 2024-07-01}",
    "sources.key": "sources: [{key: EMO2025, title: ...}]",
}


def _free_text(key: str) -> bool:
    return key in _FREE_TEXT or key.endswith(FREE_TEXT_SUFFIXES)


def _known(prefix: str) -> list[str]:
    """Field names directly under ``prefix`` ("" for the top level)."""
    names = []
    for col in META.columns:
        if prefix and col.name.startswith(prefix + "."):
            names.append(col.name[len(prefix) + 1 :])
        elif not prefix:
            names.append(col.name.split(".")[0])
    return list(dict.fromkeys(names))


def _unknown_keys(mapping: dict[Any, Any], prefix: str, file: str) -> list[Problem]:
    known = _known(prefix)
    problems = []
    for key in mapping:
        key_text = str(key)
        if key_text in known or _free_text(key_text):
            continue
        where = f"{prefix}.{key_text}" if prefix else key_text
        shown = [f"{prefix}.{k}" if prefix else k for k in known]
        problems.append(
            Problem(
                file,
                f"unknown field '{where}'{did_you_mean(where, shown)}: known fields are "
                f"{', '.join(shown)} (free text goes in 'source' or a '*_note' field)",
                column=where,
            )
        )
    return problems


def _check_field(
    col: Column, value: Any, file: str, where: str, row: int | None = None
) -> tuple[Any, Problem | None]:
    if isinstance(value, float) and value != value:  # an explicit .nan is not a blank
        if col.dtype not in ("float", "int"):
            return None, Problem(
                file, f"expected {col.expectation()}, got 'nan'", row=row, column=where
            )
        value = "nan"
    if is_blank(value) and col.required:
        example = _EXAMPLES.get(col.name, f"{col.name}: ...")
        return None, Problem(
            file,
            f"{where} is missing: add `{example}` ({col.description} Expected "
            f"{col.expectation()}{' in ' + col.unit if col.unit else ''}.)",
            row=row,
            column=where,
        )
    if isinstance(value, (dict, list)):
        return None, Problem(
            file,
            f"expected {col.expectation()}, got a {type(value).__name__} {show_value(value)}",
            row=row,
            column=where,
        )
    converted, message = convert_cell(value, col)
    if message is not None:
        return None, Problem(file, message, row=row, column=where)
    return converted, None


def coerce_meta(
    meta: dict[str, Any], file: str = "dataset.yaml"
) -> tuple[dict[str, Any], list[Problem]]:
    """Check every field of ``dataset.yaml`` and type its numbers.

    Parameters
    ----------
    meta : dict
        ``dataset.yaml`` as read.
    file : str
        File name used in problems.

    Returns
    -------
    tuple
        A copy of ``meta`` with numbers as floats and dates as dates (absent fields stay
        absent: their defaults live where they are used) and every problem found.

    Examples
    --------
    >>> meta = {"name": "X", "currency": "PKR", "exchange_rate": 0,
    ...         "reference_year": {"start": "2024-02-30"}, "timezone": "Asia/Karachy",
    ...         "reserve": {"mw": "lots"}}
    >>> for p in coerce_meta(meta)[1]:
    ...     print(p)  # doctest: +NORMALIZE_WHITESPACE
    dataset.yaml, column 'reference_year.start': '2024-02-30' is not a date of the calendar
      (day is out of range for month)
    dataset.yaml, column 'timezone': unknown time zone 'Asia/Karachy'
      (did you mean 'Asia/Karachi'?)
    dataset.yaml, column 'exchange_rate': expected a number > 0 and <= 1e+07 [currency/USD],
      got '0'
    dataset.yaml, column 'reserve.mw': expected a number between 0 and 100000 [MW], got 'lots'
    """
    problems = _unknown_keys(meta, "", file)
    out = copy.deepcopy(meta)
    groups: dict[str, dict[Any, Any]] = {}
    for group in META_GROUPS:
        value = meta.get(group)
        if value is None:
            groups[group] = {}
            continue
        if not isinstance(value, dict):
            fields = ", ".join(f"{k}: ..." for k in _known(group) if not _free_text(k))
            problems.append(
                Problem(
                    file,
                    f"{group} must be a mapping of fields, `{group}: {{{fields}}}`, "
                    f"got {show_value(value)}",
                    column=group,
                )
            )
            groups[group] = {}
            continue
        groups[group] = value
        problems += _unknown_keys(value, group, file)
    for col in META.columns:
        group, _, key = col.name.rpartition(".")
        if group in META_LISTS:
            continue
        container = groups[group] if group else meta
        if group and group not in meta and not col.required:
            continue
        converted, problem = _check_field(col, container.get(key), file, col.name)
        if problem is not None:
            problems.append(problem)
        elif key in container and _needs_typing(container[key], col):
            (out[group] if group else out)[key] = converted
    for name in META_LISTS:
        problems += _check_list(meta.get(name), name, file)
    problems += _check_currencies(meta, groups, file)
    if not any(p.column in ("timezone", "reference_year.start") for p in problems):
        start = groups["reference_year"].get("start")
        problems += _check_clock(str(meta.get("timezone", "UTC")).strip(), _as_date(start), file)
    return out, problems


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _check_clock(zone_name: str, start: dt.date, file: str) -> list[Problem]:
    """The dataset's hours are a clock without daylight saving: refuse a zone that shifts.

    A zone whose clocks change within the reference year has a missing and a repeated hour,
    which the hourly profiles cannot place.
    """
    zone = zoneinfo.ZoneInfo(zone_name)
    day = dt.datetime(start.year, start.month, start.day, 12)
    offsets = []
    for k in range(366):
        moment = (day + dt.timedelta(days=k)).replace(tzinfo=zone)
        offsets.append((moment.utcoffset(), moment.dst(), day + dt.timedelta(days=k)))
    if len({o for o, _, _ in offsets}) <= 1:
        return []
    standard = next((o for o, d, _ in offsets if not d), offsets[0][0]) or dt.timedelta(0)
    first_shift = next(t for (o, _, t) in offsets if o != offsets[0][0])
    hours, rest = divmod(int(standard.total_seconds()), 3600)
    fix = (
        f"give the standard-time zone 'Etc/GMT{-hours:+d}' (UTC{hours:+03d}:00)"
        if not rest
        else "give a zone without daylight saving time"
    )
    return [
        Problem(
            file,
            f"time zone '{zone_name}' changes its clocks within the reference year (on "
            f"{first_shift:%Y-%m-%d}); the dataset's hours are a clock without daylight "
            f"saving: {fix} and give hourly data in that clock",
            column="timezone",
        )
    ]


def _needs_typing(value: Any, col: Column) -> bool:
    """Whether a valid value must be replaced by its typed form (text such as "1,100")."""
    if col.dtype == "date":
        return True
    if col.dtype in ("float", "int"):
        return isinstance(value, (str, bool)) or not isinstance(value, (int, float))
    return False


def _check_list(items: Any, name: str, file: str) -> list[Problem]:
    if items is None:
        return []
    fields = [c for c in META.columns if c.name.startswith(name + ".")]
    example = "{" + ", ".join(f"{c.name.split('.', 1)[1]}: ..." for c in fields) + "}"
    if not isinstance(items, list):
        return [
            Problem(
                file, f"{name} must be a list of {example}, got {show_value(items)}", column=name
            )
        ]
    problems: list[Problem] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(
                Problem(
                    file,
                    f"item {i + 1} must be a mapping {example}, got {show_value(item)}",
                    column=name,
                )
            )
            continue
        problems += [
            Problem(p.file, f"item {i + 1}: {p.message}", column=p.column)
            for p in _unknown_keys(item, name, file)
        ]
        for col in fields:
            _, problem = _check_field(col, item.get(col.name.split(".", 1)[1]), file, col.name)
            if problem is not None:
                problems.append(
                    Problem(problem.file, f"item {i + 1}: {problem.message}", column=col.name)
                )
    return problems


def _check_currencies(
    meta: dict[str, Any], groups: dict[str, dict[Any, Any]], file: str
) -> list[Problem]:
    """Money in another currency than the dataset's or USD cannot be converted: say so."""
    currency = str(meta.get("currency", "")).strip()
    other = str(groups["capacity_payments"].get("currency", "") or "").strip()
    if not currency or not other or other in (currency, "USD"):
        return []
    return [
        Problem(
            file,
            f"capacity payments in {other} cannot be converted: the dataset only knows the "
            f"{currency}/USD rate; give the amount in {currency} or USD",
            column="capacity_payments.currency",
        )
    ]


def check_meta(meta: dict[str, Any], file: str = "dataset.yaml") -> list[Problem]:
    """Every problem of ``dataset.yaml`` (see :func:`coerce_meta`)."""
    return coerce_meta(meta, file)[1]


__all__ = ["check_meta", "coerce_meta"]
