"""Month models kept from one plan to the next: a sweep's worker plans many scenarios.

A scenario changes numbers, not the shape of the problem: demand, fuel costs, water, the value
of compute. Building the month models is a third of a plan's time, so a worker that plans
scenario after scenario keeps its models and only gives them the new numbers
(:meth:`MonthPool.rebase <gridsurplus.model.decompose.pool.MonthPool.rebase>`), warm from the
last scenario's basis. Two inputs share models when :func:`structure_key` agrees: the same
hours, generator classes, links, limits and sites, and the same compute availability (which
enters the matrix, not a bound or a cost). Anything else builds afresh, so a scenario that
changes the shape of the problem is still solved right, only slower.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any

import numpy as np

from gridsurplus.model.decompose.pool import MonthPool
from gridsurplus.model.inputs import ModelInputs

GEN_STRUCTURE_COLUMNS = ("region", "fuel", "counts_for_reserve")
"""Generator columns the model's matrix depends on (where a class sits, which fuel limits and
the reserve count it); costs, capacities (through the output bounds) and which plants a class
merges (classes merge plants of equal cost, so a fuel price can regroup them) are numbers."""

SITE_VALUE_COLUMNS = {"annuity_usd_per_mw_year", "max_mw"}
"""Site columns the months never see (the master holds builds and annuities)."""


def structure_key(inp: ModelInputs) -> str:
    """A digest of what the month models' matrices depend on (not their bounds or costs).

    >>> from dataclasses import replace
    >>> from gridsurplus.model.examples import two_hours
    >>> a = two_hours(ai=True)
    >>> structure_key(a) == structure_key(replace(a, demand=a.demand * 1.1))
    True
    >>> structure_key(a) == structure_key(a.with_compute(None))
    False
    """
    gens = inp.gens[[c for c in GEN_STRUCTURE_COLUMNS if c in inp.gens.columns]]
    limits = inp.fuel_limits.drop(columns=["energy_mwh"], errors="ignore")
    parts: list[Any] = [
        np.asarray(inp.snapshots.asi8),
        np.asarray(inp.month, dtype=str),
        list(inp.demand.coords["region"].values),
        gens.to_dict("list"),
        list(gens.index),
        inp.links.to_dict("list"),
        list(inp.links.index),
        float(inp.voll_usd_per_mwh),
        limits.to_dict("list"),
        # which months and classes have a water budget (the rows), not how much
        np.asarray(inp.budget.notnull().values),
        list(inp.budget.coords["gen"].values),
        bool(float(inp.reserve.max()) > 0),
        inp.unserved_max is None,
    ]
    c = inp.compute
    if c is None:
        parts.append(None)
    else:
        sites = c.sites.drop(columns=[x for x in SITE_VALUE_COLUMNS if x in c.sites.columns])
        parts += [
            sites.to_dict("list"),
            list(sites.index),
            np.ascontiguousarray(c.availability.transpose("time", "site").values, dtype=float),
            float(c.reserve_share),
            c.uptime_period,
            None if c.uptime_energy_mwh is None else list(c.uptime_energy_mwh.index),
        ]
    return hashlib.sha1(pickle.dumps(parts, protocol=5)).hexdigest()


class KeptModels:
    """One problem's month models kept across plans of the same structure.

    Give it to :func:`gridsurplus.planning.run_plan` (``models=``) plan after plan; it builds
    the month models for the first and rebases them for every later plan whose
    :func:`structure_key` agrees (a different one builds afresh and replaces them). The last
    decomposition point is kept too, the next plan's first guess.

    Attributes
    ----------
    built, rebased : int
        How many plans built their models, and how many took kept ones.
    point : dict or None
        The last plan's final master point (builds, AI energy and fuel shares).
    """

    def __init__(self) -> None:
        self.pool: MonthPool | None = None
        self.key: tuple[str, int] | None = None
        self.point: dict[str, np.ndarray] | None = None
        self.built = 0
        self.rebased = 0

    def pool_for(self, inp: ModelInputs, workers: int) -> MonthPool:
        """Month models for ``inp``: the kept ones with its numbers, or new ones."""
        key = (structure_key(inp), int(workers))
        if self.pool is not None and key == self.key:
            self.pool.rebase(inp)
            self.rebased += 1
            return self.pool
        self.close()
        self.pool = MonthPool(inp, workers)
        self.key = key
        self.point = None
        self.built += 1
        return self.pool

    def forget_basis(self) -> None:
        """The next plan starts as a plan on models built afresh would: from cold, no point."""
        if self.pool is not None:
            self.pool.forget_basis()
        self.point = None

    def close(self) -> None:
        """Stop the kept models' workers and forget them."""
        if self.pool is not None:
            self.pool.close()
        self.pool, self.key, self.point = None, None, None

    def __repr__(self) -> str:
        return f"KeptModels(built={self.built}, rebased={self.rebased})"


__all__ = ["KeptModels", "structure_key"]
