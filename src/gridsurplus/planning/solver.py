"""Solve variants of one problem: by months kept warm in HiGHS, or as one LP each time."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.model.decompose import MonthPool, MonthUpdate, solve_decomposed
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import Solution, solve_inputs
from gridsurplus.planning.sites import mining_scale
from gridsurplus.planning.types import PlanOptions


class Solver:
    """Solve the plan's problem with some builds fixed and some values changed.

    With the decomposed method the month models are built once, here, and every later
    solve only changes their values (:class:`~gridsurplus.model.decompose.MonthUpdate`) and
    restarts from the last point.
    """

    def __init__(self, inp: ModelInputs, options: PlanOptions, progress: Callable[[str], None]):
        self.inp = inp
        self.options = options
        self.progress = progress
        self.pool: Any = None
        self.point: dict[str, np.ndarray] | None = None
        self.info: list[dict[str, Any]] = []
        self.build_seconds = 0.0
        self.solve_seconds = 0.0
        if options.method == "decomposed":
            t0 = time.perf_counter()
            self.pool = MonthPool(inp, options.workers)
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
        if self.options.method == "monolithic":
            return self._solve_whole(label, inp, mining_factor)
        return self._solve_by_months(label, inp, mining_factor, allowed, tol)

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
        """Stop the month workers."""
        if self.pool is not None:
            self.pool.close()
