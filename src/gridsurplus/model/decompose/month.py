"""One month of the decomposition: its inputs, and its LP kept warm in HiGHS."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.errors import InfeasibleError, SolverError
from gridsurplus.model.build import SHED_MW, build_model, fuel_limit_name
from gridsurplus.model.decompose.rows import in_year, month_row_bounds
from gridsurplus.model.decompose.update import MonthUpdate
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import Solution, diagnose_infeasibility, solver_output_to_stderr

if TYPE_CHECKING:
    import highspy
    import linopy

INF = float("inf")
WARM_ITERATION_LIMIT = 4000
"""Simplex iterations a warm start may take before the month is solved again from cold.

A cold solve presolves first and takes some 10,000-15,000 cheaper iterations on a Pakistan
month; past a few thousand warm iterations (no presolve) it is faster to start again. Measured
on a sweep's scenarios with the sites fixed (1,500: 2.9 s a scenario; 3,000: 1.8 s; 6,000:
1.6 s; 12,000: 1.7 s) and on the default plan."""


def coupled_limits(inp: ModelInputs) -> pd.DataFrame:
    """Fuel limits over the year: the ones the master shares out among months."""
    return inp.fuel_limits[inp.fuel_limits["period"] == "year"].reset_index(drop=True)


def month_inputs(inp: ModelInputs, month: str) -> ModelInputs:
    """Inputs of one month, ready to take values from the master.

    Builds are fixed (initially at zero), annuities left to the master, AI uptime given as an
    energy requirement, and yearly fuel limits turned into this month's share with a slack
    priced at the value of lost load.
    """
    sub = inp.select(inp.month == month)
    local = inp.fuel_limits[inp.fuel_limits["period"] == month].copy()
    local["penalty_usd_per_mwh"] = np.nan
    local["shared"] = False
    shared = coupled_limits(inp).copy()
    shared["shared"] = True
    shared["period"] = month
    shared["energy_mwh"] = 0.0
    shared["penalty_usd_per_mwh"] = inp.voll_usd_per_mwh
    limits = pd.concat([local, shared], ignore_index=True)
    compute = sub.compute
    if compute is not None:
        sites = compute.sites.copy()
        sites["annuity_usd_per_mw_year"] = 0.0
        ai = sites.index[sites["uptime"] > 0]
        compute = replace(
            compute,
            sites=sites,
            fixed_mw=pd.Series(0.0, index=sites.index),
            uptime_energy_mwh=pd.Series(0.0, index=ai) if compute.uptime_period == "year" else None,
        )
    return replace(sub, fuel_limits=limits, compute=compute)


class MonthModel:
    """One month's dispatch LP, kept in HiGHS and re-solved warm for new master values."""

    def __init__(self, inp: ModelInputs, month: str):
        self.month = month
        self.hours = np.flatnonzero(np.asarray(inp.month) == month)  # positions in the year
        self.inp = month_inputs(inp, month)
        model = build_model(self.inp)
        self.highs = self._to_highs(model)
        M = model.matrices
        self._col = label_positions(M.vlabels)
        self._row = label_positions(M.clabels)
        # keep only the label arrays that map HiGHS columns and rows back to the model's
        # variables and constraints; the linopy model itself is dropped (memory)
        self._var_labels = {name: model.variables[name].labels for name in model.variables}
        self._con_labels = {name: model.constraints[name].labels for name in model.constraints}
        del model, M
        c = self.inp.compute
        self.sites = [] if c is None else list(c.sites.index)
        self.ai_sites = [] if c is None else list(c.sites.index[c.sites["uptime"] > 0])
        # sites whose uptime the master shares out (yearly uptime only; monthly is kept here)
        self.shared_ai = self.ai_sites if c is not None and c.uptime_period == "year" else []
        self.n_shared = len(coupled_limits(inp))
        self.build_cols = self._cols("build")
        self.uptime_rows = self._rows("uptime") if self.shared_ai else np.array([], dtype=int)
        # the rows of the yearly limits the master shares out, by their key in the limits table
        limits = self.inp.fuel_limits
        self.limit_rows = np.array(
            [
                self._row_of(fuel_limit_name(i, row.fuel, row.period))
                for i, row in enumerate(limits.itertuples(index=False))
                if row.shared
            ],
            dtype=int,
        )
        self.limit_senses = list(coupled_limits(inp)["sense"])
        self.consume_cols = self._cols("consume")  # [time, site] flattened in label order
        if c is not None:
            self._value = np.asarray(c.value.transpose("time", "site").values, float)
            self._mining = np.asarray(c.sites["kind"] == "mining")
        self._scale = 1.0
        self.cold_solves = 0
        self._warm = False  # no basis yet
        self._applied: dict[str, np.ndarray] = {}
        self.gen_cols = self._cols("generation").reshape(len(self.hours), -1)  # [time, gen]
        self.unserved_cols = self._cols("unserved").reshape(len(self.hours), -1)  # [time, region]
        self.balance_rows = self._rows("balance").reshape(len(self.hours), -1)  # [time, region]
        # what the unserved and consume bounds are made of: demand, the base's unserved, and
        # the hours each site may draw power
        self._demand = np.asarray(self.inp.demand.transpose("time", "region").values, float)
        cap = self.inp.unserved_max
        self._cap = (
            np.full(self._demand.shape, INF)
            if cap is None
            else np.asarray(cap.transpose("time", "region").values, float)
        )
        self._allowed = np.ones((len(self.hours), len(self.sites)), bool)
        regions = list(self.inp.regions)
        self._site_region = (
            np.array([regions.index(r) for r in c.sites["region"]], int)
            if c is not None
            else np.array([], int)
        )

    @staticmethod
    def _to_highs(model: linopy.Model) -> highspy.Highs:
        from linopy.io import to_highspy

        with solver_output_to_stderr():
            h = to_highspy(model)
        h.setOptionValue("output_flag", False)
        return h

    def _cols(self, name: str) -> np.ndarray:
        if name not in self._var_labels:
            return np.array([], dtype=int)
        return self._col[np.asarray(self._var_labels[name].values).ravel()]

    def _rows(self, name: str) -> np.ndarray:
        if name not in self._con_labels:
            return np.array([], dtype=int)
        return self._row[np.asarray(self._con_labels[name].values).ravel()]

    def _row_of(self, name: str) -> int:
        return int(self._rows(name)[0])

    def forget_basis(self) -> None:
        """Solve the next time from cold (presolve, no basis): as a model built afresh would."""
        self._warm = False

    def scale_mining(self, factor: float) -> None:
        """Multiply the value of every mining MWh by ``factor`` (the fleet's own effect)."""
        if not len(self.consume_cols) or factor == self._scale:
            return
        self._scale = factor
        self._set_compute_cost()

    def _set_compute_cost(self) -> None:
        cost = -self._value * np.where(self._mining, self._scale, 1.0)[None, :]
        self._set(self.consume_cols.reshape(cost.shape), cost, "cost")

    def _set(self, cols: np.ndarray, values: np.ndarray, what: str) -> None:
        keep = cols >= 0
        idx = cols[keep].astype(np.int32)
        vals = np.asarray(values, float)[keep]
        if what == "cost":
            self.highs.changeColsCost(len(idx), idx, vals)
        else:
            self.highs.changeColsBounds(len(idx), idx, np.zeros(len(idx)), vals)

    def _same(self, key: str, values: np.ndarray) -> bool:
        """Whether ``values`` are what the month already holds (then HiGHS keeps its basis)."""
        seen = self._applied.get(key)
        if seen is not None and seen.shape == values.shape and np.array_equal(seen, values):
            return True
        self._applied[key] = values.copy()
        return False

    def update(self, update: MonthUpdate) -> None:
        """Change what the month sees without rebuilding it (see :class:`MonthUpdate`)."""
        t = self.hours
        changes = {
            k: v
            for k, v in update.items()
            if not self._same(k, np.asarray(v) if k == "gen_cost" else np.asarray(v)[t])
        }
        if "value" in changes and len(self.consume_cols):
            self._value = np.asarray(changes["value"], float)[t]
            self._set_compute_cost()
        if "allowed" in changes:
            self._allowed = np.asarray(changes["allowed"], bool)[t]
        if "unserved_max" in changes:
            self._cap = np.asarray(changes["unserved_max"], float)[t]
        if ("allowed" in changes or "unserved_max" in changes) and len(self.consume_cols):
            shed = np.isfinite(self._cap) & (self._cap > SHED_MW)
            ub = np.where(self._allowed & ~shed[:, self._site_region], INF, 0.0)
            self._set(self.consume_cols.reshape(ub.shape), ub, "upper")
        if "gen_cost" in changes:
            cost = np.broadcast_to(np.asarray(changes["gen_cost"], float), self.gen_cols.shape)
            self._set(self.gen_cols, cost, "cost")
        if "demand" in changes:
            d = np.asarray(changes["demand"], float)[t]
            rows = self.balance_rows
            keep = rows >= 0
            self.highs.changeRowsBounds(  # type: ignore[attr-defined]
                int(keep.sum()), rows[keep].astype(np.int32), d[keep], d[keep]
            )
            self._demand = d
        if "demand" in changes or "unserved_max" in changes:
            upper = np.minimum(self._demand, np.clip(self._cap, 0, None))
            self._set(self.unserved_cols, upper, "upper")

    def rebase(self, inp: ModelInputs) -> None:
        """Take another year of the same structure (another scenario): its numbers only.

        Output bounds, water budgets, the month's own fuel limits, the reserve, demand, costs
        and the value of compute are set from ``inp``; the basis is kept. The caller checks the
        structure (:func:`~gridsurplus.model.decompose.kept.structure_key`).
        """
        new = month_inputs(inp, self.month)
        h = self.highs
        lo = new.p_min.transpose("time", "gen").values
        up = new.p_max.transpose("time", "gen").values
        keep = self.gen_cols >= 0
        idx = self.gen_cols[keep].astype(np.int32)
        h.changeColsBounds(len(idx), idx, lo[keep].astype(float), up[keep].astype(float))
        for row, lower, upper in month_row_bounds(new, self._con_labels, self._rows):
            h.changeRowsBounds(len(row), row.astype(np.int32), lower, upper)
        credit = self._cols("reserve_credit")
        if len(credit) and new.compute is not None:
            share = new.compute.reserve_share * np.asarray(new.reserve.values, float)
            self._set(credit, share, "upper")
        self.inp = new
        self._applied.clear()
        c, t = new.compute, self.hours
        self.update(
            MonthUpdate(
                value=None if c is None else in_year(c.value.transpose("time", "site").values, t),
                gen_cost=new.gens["cost_usd_per_mwh"].to_numpy(float),
                demand=in_year(new.demand.transpose("time", "region").values, t),
                unserved_max=in_year(np.full(self._demand.shape, INF), t),
                allowed=in_year(np.ones((len(t), len(self.sites)), bool), t),
            )
        )

    def copy_for(self, inp: ModelInputs) -> MonthModel:
        """This month's model for another year of the same structure, without building it.

        HiGHS copies the LP (milliseconds, against most of a second to build it through
        linopy), then :meth:`rebase` gives it ``inp``'s numbers; it starts without a basis.
        """
        import highspy

        twin = copy.copy(self)
        twin.highs = highspy.Highs()
        twin.highs.setOptionValue("output_flag", False)
        twin.highs.passModel(self.highs.getLp())
        twin._applied, twin._warm, twin.cold_solves = {}, False, 0
        twin.rebase(inp)
        return twin

    def solve(
        self, build: np.ndarray, uptime: np.ndarray, limits: np.ndarray
    ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """Solve the month at the master's values.

        Returns
        -------
        tuple
            The month's optimum ``phi`` [USD] and its slopes with respect to the builds, the
            AI energy shares and the fuel-limit shares.
        """
        import highspy

        h = self.highs
        if len(self.build_cols):
            idx = self.build_cols.astype(np.int32)
            h.changeColsBounds(len(idx), idx, build, build)
        senses = [">="] * len(self.uptime_rows) + self.limit_senses
        rows = np.concatenate([self.uptime_rows, self.limit_rows]).astype(int)
        for row, value, sense in zip(rows, np.concatenate([uptime, limits]), senses, strict=True):
            if row >= 0:
                lo, up = (value, INF) if sense == ">=" else (-INF, value)
                h.changeRowBounds(int(row), lo, up)
        # Warm start from the last basis, whatever moved (bounds in Benders rounds, demand,
        # costs, another scenario's numbers); solve from cold with presolve on a fresh model
        # and whenever a warm start runs long: a warm simplex skips presolve and is slow per
        # iteration here.
        stopped = highspy.HighsModelStatus.kIterationLimit
        with solver_output_to_stderr():
            status = None
            if self._warm:
                h.setOptionValue("simplex_iteration_limit", WARM_ITERATION_LIMIT)
                h.run()
                status = h.getModelStatus()
            if status is None or status == stopped:
                h.clearSolver()
                h.setOptionValue("simplex_iteration_limit", 2**31 - 1)
                h.run()
                status = h.getModelStatus()
                self.cold_solves += 1
        self._warm = True
        if status == highspy.HighsModelStatus.kInfeasible:
            raise InfeasibleError(diagnose_infeasibility(self.inp))
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverError(
                f"month {self.month}: HiGHS stopped with {h.modelStatusToString(status)}"
            )
        sol = h.getSolution()
        obj = h.getInfo().objective_function_value
        col_dual = np.asarray(sol.col_dual)
        row_dual = np.asarray(sol.row_dual)
        g_b = col_dual[self.build_cols] if len(self.build_cols) else np.array([])
        g_e = np.array([row_dual[r] if r >= 0 else 0.0 for r in self.uptime_rows])
        g_f = np.array([row_dual[r] if r >= 0 else 0.0 for r in self.limit_rows])
        return obj, g_b, g_e, g_f

    def solution(self) -> Solution:
        """The month's solution at the last values solved."""
        sol = self.highs.getSolution()
        values = np.asarray(sol.col_value)
        duals = np.asarray(sol.row_dual)
        variables, constraints = self._var_labels, self._con_labels
        inp = self.inp

        def var(name: str, columns: str) -> pd.DataFrame:
            labels = variables[name]
            arr = xr.DataArray(
                values[self._col[np.asarray(labels.values)]], coords=labels.coords, dims=labels.dims
            )
            return arr.transpose("time", columns).to_pandas()

        flows = []
        if "flow" in variables:
            flows.append(var("flow", "link"))
        if "flow_fwd" in variables:
            flows.append(
                (var("flow_fwd", "link_lossy") - var("flow_bwd", "link_lossy")).rename_axis(
                    columns="link"
                )
            )
        flow = pd.concat(flows, axis=1) if flows else pd.DataFrame(index=inp.snapshots)
        bal = constraints["balance"]
        price = xr.DataArray(
            duals[self._row[np.asarray(bal.values)]], coords=bal.coords, dims=bal.dims
        )
        reserve = pd.Series(0.0, index=inp.snapshots)
        if "reserve" in constraints:
            rows = self._rows("reserve")
            reserve = pd.Series(np.where(rows >= 0, duals[rows], 0.0), index=inp.snapshots)
        compute = inp.compute is not None
        return Solution(
            generation=var("generation", "gen").reindex(columns=inp.gens.index),
            flow=flow.reindex(columns=inp.links.index),
            unserved=var("unserved", "region").reindex(columns=inp.regions),
            price=price.transpose("time", "region").to_pandas().reindex(columns=inp.regions),
            objective_usd=float(self.highs.getInfo().objective_function_value),
            build=pd.Series(values[self.build_cols], index=self.sites) if compute else None,
            consume=var("consume", "site") if compute else None,
            shortfall=(
                pd.Series(values[self._cols("shortfall")], index=self.ai_sites)
                if "shortfall" in variables
                else None
            ),
            reserve_price=reserve,
            build_seconds=0.0,
            solve_seconds=0.0,
        )


def label_positions(labels: np.ndarray) -> np.ndarray:
    """Position of each linopy label in the matrix (-1 for the masked label -1)."""
    labels = np.asarray(labels)
    pos = np.full(int(labels.max()) + 2 if len(labels) else 1, -1, dtype=np.int64)
    pos[labels] = np.arange(len(labels))
    pos[-1] = -1  # label -1 (masked) maps to no column
    return pos
