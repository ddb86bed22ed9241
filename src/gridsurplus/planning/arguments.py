"""Check a plan's arguments before anything is built, and accept their obvious forms.

:func:`gridsurplus.plan` is called from Python and notebooks, where a path, a number or a
string is the natural thing to pass. Each argument is checked once here; what cannot be read
raises :class:`~gridsurplus.planning.types.PlanError` (or the dataset's own
:class:`~gridsurplus.errors.DatasetError`) naming the argument and what would do, never a raw
``AttributeError`` or ``TypeError`` from deep inside the run.

- ``ds``: a :class:`~gridsurplus.dataset.Dataset`, or a folder (str or path), loaded;
- ``tariff``: a :class:`~gridsurplus.economics.tariffs.Tariff`; a number, a flat tariff in the
  dataset's currency per kWh (as ``--tariff``); or a tariff file (str or path), read with
  :func:`~gridsurplus.dataset.tariff_file.read_tariff_file`;
- ``techs``: a list of technologies, or one string (``"btc_air"`` or ``"btc_air,btc_hydro"``);
- ``method``, ``sensitivity``, ``uptime_period``: one of their choices;
- ``programme_mw``, ``mining_reserve_share``, ``workers``, ``tol``: numbers in range;
- ``markets``, ``sensitivity_ranges``: dicts;
- ``window``: a slice of ISO 8601 dates (``slice("2025-01-01", "2025-01-31")``) holding at
  least one hour of the dataset's reference year.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import fields, replace
from numbers import Real
from pathlib import Path
from typing import Any

from gridsurplus.dataset import Dataset, load_dataset
from gridsurplus.planning.types import METHODS, PlanError, PlanOptions

CHOICES = {
    "method": METHODS,
    "sensitivity": ("fixed", "free", "off"),
    "uptime_period": ("month", "year"),
}


def closest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for the choice nearest to ``word``, or nothing.

    >>> closest("btc_aír", ["btc_air", "btc_hydro"])
    " (did you mean 'btc_air'?)"
    """
    near = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.5)
    return f" (did you mean '{near[0]}'?)" if near else ""


def plan_arguments(
    ds: Any, options: PlanOptions | None, kwargs: dict[str, Any]
) -> tuple[Dataset, PlanOptions]:
    """The dataset and the options of a plan, checked (see the module).

    >>> plan_arguments(None, None, {"sensitivity": "bogus"})
    Traceback (most recent call last):
    ...
    gridsurplus.planning.types.PlanError: sensitivity must be one of fixed, free, off, got 'bogus'
    """
    if options is not None and not isinstance(options, PlanOptions):
        raise PlanError(f"options must be a PlanOptions, got {type(options).__name__}")
    names = [f.name for f in fields(PlanOptions)]
    unknown = [k for k in kwargs if k not in names]
    if unknown:
        raise PlanError(
            f"unknown plan option '{unknown[0]}'{closest(unknown[0], names)}: "
            f"choose from {', '.join(names)}"
        )
    opts = replace(options or PlanOptions(), **kwargs)
    for name, choices in CHOICES.items():
        value = getattr(opts, name)
        if value not in choices:
            raise PlanError(
                f"{name} must be one of {', '.join(choices)}, got {value!r}"
                f"{closest(str(value), choices)}"
            )
    _number(opts.programme_mw, "programme_mw", 0.0, math.inf, optional=True)
    _number(opts.mining_reserve_share, "mining_reserve_share", 0.0, 1.0)
    _number(opts.tol, "tol", 0.0, 1.0)
    if isinstance(opts.workers, bool) or not isinstance(opts.workers, int) or opts.workers < 1:
        raise PlanError(f"workers must be a whole number >= 1, got {opts.workers!r}")
    for name in ("markets", "sensitivity_ranges"):
        value = getattr(opts, name)
        if value is not None and not isinstance(value, dict):
            raise PlanError(f"{name} must be a dict (name: value), got {type(value).__name__}")
    dataset = _dataset(ds)
    _window(opts.window, dataset)
    return dataset, replace(
        opts, techs=_techs(opts.techs, dataset), tariff=_tariff(opts.tariff, dataset)
    )


def _number(value: Any, name: str, low: float, high: float, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, Real) or not low <= float(value) <= high:
        span = f">= {low:g}" if math.isinf(high) else f"between {low:g} and {high:g}"
        raise PlanError(f"{name} must be a number {span}, got {value!r}")


def _window(window: Any, ds: Dataset) -> None:
    import re

    import pandas as pd

    if window is None:
        return
    if not isinstance(window, slice) or window.step is not None:
        raise PlanError(f"window must be a slice of two dates, got {window!r}")
    for end in (window.start, window.stop):
        text = str(end)
        iso = re.fullmatch(r"\d{4}-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2})?)?)?)?", text)
        if end is not None and not isinstance(end, pd.Timestamp) and not iso:
            raise PlanError(
                f"window: '{text}' is not an ISO 8601 date: give YYYY-MM-DD (e.g. 2025-03-01)"
            )
    hours = ds.snapshots
    try:
        n = len(hours[hours.slice_indexer(window.start, window.stop)])
    except (ValueError, KeyError) as exc:
        raise PlanError(f"window {window.start} to {window.stop} cannot be read: {exc}") from None
    if n == 0:
        raise PlanError(
            f"window {window.start} to {window.stop} holds no hour of {ds.reference_label} "
            f"({hours[0]:%Y-%m-%d} to {hours[-1]:%Y-%m-%d})"
        )


def _dataset(ds: Any) -> Dataset:
    if ds is None:
        return load_dataset()
    if isinstance(ds, Dataset):
        return ds
    if isinstance(ds, (str, Path)):
        return load_dataset(ds)
    raise PlanError(
        f"ds must be a Dataset or a dataset folder (str or path), got {type(ds).__name__}"
    )


def _techs(techs: Any, ds: Dataset) -> list[str] | None:
    if techs is None:
        return None
    if isinstance(techs, str):
        techs = techs.split(",")
    if not isinstance(techs, (list, tuple, set)) or not all(isinstance(t, str) for t in techs):
        raise PlanError(
            f"techs must be a list of technology names or one comma-separated string, got {techs!r}"
        )
    names = [t.strip() for t in techs if t.strip()]
    if not names:
        raise PlanError("techs is empty: name at least one compute technology, or give None")
    table = ds.tables.get("compute_techs")
    known = [] if table is None else [str(t) for t in table["tech"]]
    for name in names:
        if name not in known:
            raise PlanError(
                f"unknown compute technology '{name}'{closest(name, known)}: choose from "
                f"{', '.join(known) or 'none (the dataset has no compute_techs table)'}"
            )
    return names


def _tariff(tariff: Any, ds: Dataset) -> Any:
    from gridsurplus.dataset.tariff_file import read_tariff_file
    from gridsurplus.economics.tariffs import Tariff

    if tariff is None or isinstance(tariff, Tariff):
        return tariff
    if isinstance(tariff, (str, Path)):
        return read_tariff_file(tariff, ds)
    if isinstance(tariff, Real) and not isinstance(tariff, bool):
        rate = float(tariff)
        if not 0.0 <= rate < math.inf:
            raise PlanError(f"tariff must be a rate >= 0 {ds.currency}/kWh, got {tariff!r}")
        unit = f"{ds.currency}/kWh"
        return Tariff.flat(rate, unit, name=f"flat {rate:g} {unit}", source="tariff=")
    raise PlanError(
        f"tariff must be a Tariff, a flat rate in {ds.currency}/kWh or a tariff file, "
        f"got {type(tariff).__name__}"
    )
