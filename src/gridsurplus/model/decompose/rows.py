"""The right-hand sides a scenario moves in a month model, computed as the model builder would.

A kept month model (:meth:`~gridsurplus.model.decompose.month.MonthModel.rebase`) takes a new
scenario's numbers without being rebuilt; the rows whose right-hand side depends on those
numbers are the month's water budgets, its operating reserve (``-sum gen + credit >= reserve -
sum p_max`` once linopy moves the constant across) and its own fuel limits. The yearly limits
the master shares out are set at every solve and are not here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from gridsurplus.model.build import fuel_limit_name
from gridsurplus.model.inputs import ModelInputs

INF = float("inf")

RowBounds = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Row positions in the HiGHS model, their lower and their upper bounds."""


def month_row_bounds(
    inp: ModelInputs, labels: dict[str, Any], rows_of: Callable[[str], np.ndarray]
) -> Iterator[RowBounds]:
    """The bounds of every row of a month's model that a scenario's numbers move.

    Parameters
    ----------
    inp : ModelInputs
        The month's inputs (:func:`~gridsurplus.model.decompose.month.month_inputs`).
    labels : dict
        The model's constraint labels by name (their coordinates say the rows' order).
    rows_of : callable
        Row positions of a constraint by name, in label order (-1 where masked).
    """
    if "budget" in labels:
        lab = labels["budget"]
        rhs = inp.budget.sel({d: list(lab.coords[d].values) for d in lab.dims})
        rhs = np.asarray(rhs.transpose(*lab.dims).fillna(0.0).values, float).ravel()
        yield _kept(rows_of("budget"), np.full(rhs.shape, -INF), rhs)
    if "reserve" in labels:
        counts = inp.gens.index[inp.gens["counts_for_reserve"].to_numpy()]
        spare = inp.p_max.sel(gen=list(counts)).sum("gen")
        lab = labels["reserve"]
        rhs = (inp.reserve - spare).sel(time=lab.coords["time"].values)
        rhs = np.asarray(rhs.values, float).ravel()
        yield _kept(rows_of("reserve"), rhs, np.full(rhs.shape, INF))
    limits = inp.fuel_limits
    shared = limits["shared"] if "shared" in limits else np.zeros(len(limits), bool)
    for i, (row, is_shared) in enumerate(zip(limits.itertuples(index=False), shared, strict=True)):
        if is_shared:
            continue
        name = fuel_limit_name(i, row.fuel, row.period)
        if name not in labels:
            continue
        e = float(row.energy_mwh)
        lower, upper = (-INF, e) if row.sense == "<=" else (e, INF)
        yield _kept(rows_of(name), np.array([lower]), np.array([upper]))


def in_year(month_values: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """A month's ``[time, ...]`` array at its ``hours`` of a year-long one (what updates take)."""
    year = np.zeros((int(hours.max()) + 1, *month_values.shape[1:]), month_values.dtype)
    year[hours] = month_values
    return year


def _kept(rows: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> RowBounds:
    keep = np.asarray(rows) >= 0
    return np.asarray(rows)[keep], np.asarray(lower, float)[keep], np.asarray(upper, float)[keep]


__all__ = ["RowBounds", "in_year", "month_row_bounds"]
