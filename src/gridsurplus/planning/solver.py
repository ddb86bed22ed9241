"""Solve variants of one problem: by months kept warm in HiGHS, or as one LP each time.

Demand comes first as a guarantee, not a price: every solve with compute built bounds the
unserved demand of each region and hour by the base dispatch's (the last solve with nothing
built, for the same demand), and compute draws nothing where the base sheds demand.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.model.build import SHED_MW
from gridsurplus.model.decompose import MonthPool, MonthUpdate, solve_decomposed
from gridsurplus.model.decompose.kept import KeptModels
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import Solution, solve_inputs
from gridsurplus.planning.sites import mining_scale
from gridsurplus.planning.types import PlanOptions


class Solver:
    """Solve the plan's problem with some builds fixed and some values changed.

    With the decomposed method the month models are built once, here (or taken from
    ``models``, kept from an earlier plan of the same structure), and every later
    solve only changes their values (:class:`~gridsurplus.model.decompose.MonthUpdate`) and
    restarts from the last point.
    """

    def __init__(
        self,
        inp: ModelInputs,
        options: PlanOptions,
        progress: Callable[[str], None],
        models: KeptModels | None = None,
    ):
        self.inp = inp
        self.models = models
        self.options = options
        self.progress = progress
        self.pool: Any = None
        self.point: dict[str, np.ndarray] | None = None
        self.info: list[dict[str, Any]] = []
        self.build_seconds = 0.0
        self.solve_seconds = 0.0
        # the base dispatch's unserved demand [time, region], by the digest of its demand and
        # generator costs (a case that changes either has its own base)
        self.guards: dict[tuple[str, str], np.ndarray] = {}
        if options.method == "decomposed":
            t0 = time.perf_counter()
            if models is None:
                self.pool = MonthPool(inp, options.workers)
            else:
                self.pool = models.pool_for(inp, options.workers)
                self.point = models.point
            self.build_seconds += time.perf_counter() - t0

    def variant(
        self,
        *,
        fixed_mw: pd.Series | None = None,
        value: xr.DataArray | None = None,
        allowed: np.ndarray | None = None,
        gen_cost: np.ndarray | None = None,
        demand: xr.DataArray | None = None,
    ) -> ModelInputs:
        """The plan's inputs with these builds fixed and these values changed."""
        c = self.inp.compute
        assert c is not None
        compute = replace(c, fixed_mw=fixed_mw)
        inp = self.inp
        if value is not None:
            compute = replace(compute, value=value)
        if allowed is not None:
            compute = replace(compute, availability=c.availability * allowed)
        if gen_cost is not None:
            gens = inp.gens.copy()
            gens["cost_usd_per_mwh"] = gen_cost
            inp = replace(inp, gens=gens)
        if demand is not None:
            inp = replace(inp, demand=demand)
        return inp.with_compute(compute)

    def guard(self, inp: ModelInputs) -> np.ndarray | None:
        """The base dispatch's unserved demand for these inputs [MW], if solved yet.

        The base solved for the same demand and costs; else the last for the same demand (a
        case whose base was not solved again because it serves all demand).
        """
        key = _key(inp)
        if key in self.guards:
            return self.guards[key]
        same_demand = [g for (d, _), g in self.guards.items() if d == key[0]]
        return same_demand[-1] if same_demand else None

    def _remember_base(self, inp: ModelInputs, sol: Solution) -> None:
        unserved = sol.unserved.reindex(columns=inp.regions).to_numpy(float)
        self.guards[_key(inp)] = np.where(unserved > SHED_MW, unserved, 0.0)

    def solve(
        self,
        label: str,
        *,
        fixed_mw: pd.Series | None = None,
        mining_factor: float = 1.0,
        value: xr.DataArray | None = None,
        allowed: np.ndarray | None = None,
        gen_cost: np.ndarray | None = None,
        demand: xr.DataArray | None = None,
        tol: float | None = None,
    ) -> Solution:
        """Solve the problem with some builds fixed and some values changed."""
        inp = self.variant(
            fixed_mw=fixed_mw, value=value, allowed=allowed, gen_cost=gen_cost, demand=demand
        )
        is_base = fixed_mw is not None and bool((fixed_mw.to_numpy(float) == 0).all())
        guard = None if is_base else self.guard(inp)
        if guard is not None:
            inp = replace(inp, unserved_max=inp.demand.transpose("time", "region").copy(data=guard))
        if self.options.method == "monolithic":
            sol = self._solve_whole(label, inp, mining_factor)
        else:
            sol = self._solve_by_months(label, inp, mining_factor, allowed, tol)
        if is_base:
            self._remember_base(inp, sol)
        return sol

    def _solve_whole(self, label: str, inp: ModelInputs, mining_factor: float) -> Solution:
        c = inp.compute
        assert c is not None
        if mining_factor != 1.0:
            inp = inp.with_compute(replace(c, value=c.value * mining_scale(c.sites, mining_factor)))
        sol = solve_inputs(inp, self.options.solver_name)
        self.build_seconds += sol.build_seconds
        self.solve_seconds += sol.solve_seconds
        self.info.append({"label": label, "rounds": 1})
        return sol

    def _solve_by_months(
        self,
        label: str,
        inp: ModelInputs,
        mining_factor: float,
        allowed: np.ndarray | None,
        tol: float | None,
    ) -> Solution:
        c = inp.compute
        assert c is not None
        self.pool.update(
            MonthUpdate(
                value=c.value.transpose("time", "site").values,
                allowed=(
                    np.ones((len(inp.snapshots), len(c.sites)), bool)
                    if allowed is None
                    else np.asarray(allowed, bool)
                ),
                gen_cost=inp.gens["cost_usd_per_mwh"].to_numpy(float),
                demand=inp.demand.transpose("time", "region").values,
                unserved_max=(
                    np.full((len(inp.snapshots), len(inp.regions)), np.inf)
                    if inp.unserved_max is None
                    else inp.unserved_max.transpose("time", "region").values
                ),
            )
        )
        sol, info = solve_decomposed(
            inp,
            pool=self.pool,
            mining_factor=mining_factor,
            tol=self.options.tol if tol is None else tol,
            start=self.point,
        )
        self.point = info.point
        self.solve_seconds += info.solve_seconds
        self.info.append({"label": label, "rounds": info.iterations, "gap": info.gap})
        self.progress(
            f"  {label}: {info.iterations} rounds, gap {info.gap:.1e}, {info.solve_seconds:.1f} s"
        )
        return sol

    def close(self) -> None:
        """Stop the month workers (kept models stay, with the last point)."""
        if self.models is not None:
            self.models.point = self.point
        elif self.pool is not None:
            self.pool.close()


def _key(inp: ModelInputs) -> tuple[str, str]:
    """Digests of the inputs' demand and generator costs (what a base dispatch depends on)."""
    demand = np.ascontiguousarray(inp.demand.transpose("time", "region").values, dtype=float)
    cost = np.ascontiguousarray(inp.gens["cost_usd_per_mwh"].to_numpy(float))
    return hashlib.sha1(demand.tobytes()).hexdigest(), hashlib.sha1(cost.tobytes()).hexdigest()
