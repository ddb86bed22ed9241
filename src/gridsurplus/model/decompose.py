"""Solve the siting LP exactly, month by month (Benders decomposition).

The siting and dispatch LP of a full year is large (about a million columns) but its
decisions that span the year are few: the MW built at each site, each AI site's yearly
uptime energy, and yearly fuel limits such as a take-or-pay floor. Given those, the months
are independent dispatch problems. So:

- the **master** holds the builds ``b[s]``, the share of each yearly requirement given to each
  month (AI energy ``e[m, a]``, fuel energy ``f[m, k]``) and one cost ``theta[m]`` per month:

  ``min sum_s annuity[s] b[s] + sum_m theta[m]``
  subject to the programme, AI market and hosting caps, ``sum_m e[m, a] >= uptime[a] A[a] b[a]``,
  ``e[m, a] <= A[m, a] b[a]``, ``sum_m f[m, k] >= (or <=) F[k]`` and the cuts below;

- each **month** is the dispatch LP with those values fixed (builds as fixed columns, the
  shares as right-hand sides, missing a share priced at the value of lost load so every
  month is always feasible). Its optimum ``phi[m]`` and duals give a cut
  ``theta[m] >= phi[m] + g_b . (b - b_k) + g_e . (e[m] - e_k) + g_f . (f[m] - f_k)``.

Months are kept as HiGHS models and re-solved warm (only bounds change between iterations),
on as many worker processes as asked. The loop stops when the master's lower bound and the
best month-by-month upper bound agree to ``tol``: the answer is the monolithic LP's optimum.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.errors import GridsurplusError, InfeasibleError, SolverError
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import Solution, solver_output_to_stderr

if TYPE_CHECKING:
    import highspy
    import linopy

INF = float("inf")
WARM_ITERATION_LIMIT = 1500
"""Simplex iterations a warm start may take before the month is solved again from cold."""


@dataclass
class DecompositionInfo:
    """How the decomposition went.

    Attributes
    ----------
    iterations : int
        Master solves (rounds of month solves).
    lower_bound, upper_bound : float
        Final bounds on the optimum [USD].
    gap : float
        ``(upper - lower) / max(1, |upper|)``.
    history : list of dict
        Bounds after each round.
    build_seconds, solve_seconds : float
        Time to build the month models, and to solve (all rounds and the master).
    """

    iterations: int
    lower_bound: float
    upper_bound: float
    gap: float
    history: list[dict[str, float]] = field(default_factory=list)
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    point: dict[str, np.ndarray] = field(default_factory=dict)


# --------------------------------------------------------------------------- the months


def _coupled_limits(inp: ModelInputs) -> pd.DataFrame:
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
    shared = _coupled_limits(inp).copy()
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
        from gridsurplus.model.build import build_model

        self.month = month
        self.hours = np.flatnonzero(np.asarray(inp.month) == month)  # positions in the year
        self.inp = month_inputs(inp, month)
        model = build_model(self.inp)
        self.highs = self._to_highs(model)
        M = model.matrices
        self._col = _position(M.vlabels)
        self._row = _position(M.clabels)
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
        n_local = int((inp.fuel_limits["period"] == month).sum())
        self.n_shared = len(_coupled_limits(inp))
        self.build_cols = self._cols("build")
        self.uptime_rows = self._rows("uptime") if self.shared_ai else np.array([], dtype=int)
        self.limit_rows = np.array(
            [self._row_of(name) for name in self._con_labels if name.startswith("fuel_limit[")],
            dtype=int,
        )[n_local:]
        self.limit_senses = list(_coupled_limits(inp)["sense"])
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

    def scale_mining(self, factor: float) -> None:
        """Multiply the value of every mining MWh by ``factor`` (the fleet's own effect)."""
        if not len(self.consume_cols) or factor == self._scale:
            return
        self._scale = factor
        self._set_compute_cost()

    def _set_compute_cost(self) -> None:
        cost = -self._value * np.where(self._mining, self._scale, 1.0)[None, :]
        self._set(self.consume_cols.reshape(cost.shape), cost, "cost")
        self._warm = False

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

    def update(self, changes: dict[str, np.ndarray]) -> None:
        """Change what the month sees without rebuilding it (all arrays cover the whole year).

        Keys: ``value`` ``[time, site]`` compute value [USD/MWh] (before the mining factor);
        ``allowed`` ``[time, site]`` whether a site may draw power that hour; ``gen_cost``
        ``[gen]`` [USD/MWh]; ``demand`` ``[time, region]`` [MW].
        """
        t = self.hours
        changes = {
            k: v
            for k, v in changes.items()
            if not self._same(k, np.asarray(v) if k == "gen_cost" else np.asarray(v)[t])
        }
        if "value" in changes and len(self.consume_cols):
            self._value = np.asarray(changes["value"], float)[t]
            self._set_compute_cost()
        if "allowed" in changes and len(self.consume_cols):
            ub = np.where(np.asarray(changes["allowed"], bool)[t], INF, 0.0)
            self._set(self.consume_cols.reshape(ub.shape), ub, "upper")
        if "gen_cost" in changes:
            cost = np.broadcast_to(np.asarray(changes["gen_cost"], float), self.gen_cols.shape)
            self._set(self.gen_cols, cost, "cost")
            self._warm = False
        if "demand" in changes:
            d = np.asarray(changes["demand"], float)[t]
            rows = self.balance_rows
            keep = rows >= 0
            self.highs.changeRowsBounds(  # type: ignore[attr-defined]
                int(keep.sum()), rows[keep].astype(np.int32), d[keep], d[keep]
            )
            self._set(self.unserved_cols, d, "upper")

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
        # Warm start from the last basis when only bounds moved (Benders rounds, demand); solve
        # from cold with presolve on a fresh model or after costs changed, and whenever a warm
        # start runs long: a warm simplex skips presolve and is slow per iteration here.
        with solver_output_to_stderr():
            status = None
            if self._warm:
                h.setOptionValue("simplex_iteration_limit", WARM_ITERATION_LIMIT)
                h.run()
                status = h.getModelStatus()
            if status is None or status == highspy.HighsModelStatus.kIterationLimit:
                h.clearSolver()
                h.setOptionValue("simplex_iteration_limit", 2**31 - 1)
                h.run()
                status = h.getModelStatus()
                self.cold_solves += 1
        self._warm = True
        if status == highspy.HighsModelStatus.kInfeasible:
            from gridsurplus.model.solve import diagnose_infeasibility

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


def _position(labels: np.ndarray) -> np.ndarray:
    labels = np.asarray(labels)
    pos = np.full(int(labels.max()) + 2 if len(labels) else 1, -1, dtype=np.int64)
    pos[labels] = np.arange(len(labels))
    pos[-1] = -1  # label -1 (masked) maps to no column
    return pos


# --------------------------------------------------------------------------- workers


class _Months:
    """Month models in this process."""

    def __init__(self, inp: ModelInputs, months: Sequence[str]):
        self.models = [MonthModel(inp, m) for m in months]

    def handle(self, command: str, payload: Any) -> Any:
        if command == "solve":
            build, uptime, limits, factor = payload
            out = []
            for mm, e, f in zip(self.models, uptime, limits, strict=True):
                mm.scale_mining(factor)
                out.append(mm.solve(build, e, f))
            return out
        if command == "solution":
            return [mm.solution() for mm in self.models]
        if command == "update":
            for mm in self.models:
                mm.update(payload)
            return [None] * len(self.models)
        raise ValueError(command)


def _worker(conn: Any, inp: ModelInputs, months: Sequence[str]) -> None:
    try:
        months_here = _Months(inp, months)
        conn.send(("ready", None))
        while True:
            command, payload = conn.recv()
            if command == "stop":
                break
            conn.send(("ok", months_here.handle(command, payload)))
    except Exception as exc:  # noqa: BLE001 - sent to the parent, which raises it
        conn.send(("error", (type(exc).__name__, str(exc))))
    finally:
        conn.close()


class MonthPool:
    """The months of a problem, split over worker processes (or kept here with one worker)."""

    def __init__(self, inp: ModelInputs, workers: int = 1):
        self.months = list(pd.unique(inp.month))
        workers = max(1, min(workers, len(self.months)))
        # give each worker a balanced share of hours
        self.groups: list[list[str]] = [[] for _ in range(workers)]
        for i, month in enumerate(self.months):
            self.groups[i % workers].append(month)
        self.order = [m for group in self.groups for m in group]
        self._local: _Months | None = None
        self._procs: list[tuple[Any, Any]] = []
        if workers == 1:
            self._local = _Months(inp, self.groups[0])
            return
        ctx = mp.get_context("fork")
        for group in self.groups:
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(child, inp, group), daemon=True)
            proc.start()
            self._procs.append((parent, proc))
        for parent, _ in self._procs:
            self._expect(parent)

    @staticmethod
    def _expect(conn: Any) -> Any:
        status, payload = conn.recv()
        if status == "error":
            kind, message = payload
            known = {"InfeasibleError": InfeasibleError, "SolverError": SolverError}
            if kind in known:
                raise known[kind](message)
            raise GridsurplusError(f"a month worker failed: {kind}: {message}")
        return payload

    def _call(self, command: str, per_group: list[Any]) -> list[Any]:
        if self._local is not None:
            return self._local.handle(command, per_group[0])
        for (parent, _), payload in zip(self._procs, per_group, strict=True):
            parent.send((command, payload))
        out: list[Any] = []
        for parent, _ in self._procs:
            out.extend(self._expect(parent))
        return out

    def solve(
        self,
        build: np.ndarray,
        uptime: dict[str, np.ndarray],
        limits: dict[str, np.ndarray],
        factor: float = 1.0,
    ) -> dict[str, tuple[float, np.ndarray, np.ndarray, np.ndarray]]:
        """Solve every month at the master's values; results by month."""
        payloads = [
            (build, [uptime[m] for m in group], [limits[m] for m in group], factor)
            for group in self.groups
        ]
        results = self._call("solve", payloads)
        return dict(zip(self.order, results, strict=True))

    def update(self, **changes: np.ndarray) -> None:
        """Change values in every month (see :meth:`MonthModel.update`), models kept warm."""
        self._call("update", [changes] * max(1, len(self._procs)))

    def solutions(self) -> dict[str, Solution]:
        """Each month's solution at the last values solved."""
        results = self._call("solution", [None] * max(1, len(self._procs)))
        return dict(zip(self.order, results, strict=True))

    def close(self) -> None:
        """Stop the workers."""
        for parent, proc in self._procs:
            with contextlib.suppress(BrokenPipeError, OSError):
                parent.send(("stop", None))
            proc.join(timeout=5)
        self._procs = []

    def __enter__(self) -> MonthPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- the master


class Master:
    """The master LP over builds, monthly shares and month costs, kept in HiGHS."""

    def __init__(self, inp: ModelInputs):
        import highspy

        c = inp.compute
        self.months = list(pd.unique(inp.month))
        M = len(self.months)
        self.sites = [] if c is None else list(c.sites.index)
        self.ai = (
            []
            if c is None or c.uptime_period != "year"
            else list(c.sites.index[c.sites["uptime"] > 0])
        )
        self.limits = _coupled_limits(inp)
        S, A, K = len(self.sites), len(self.ai), len(self.limits)
        self.n_b, self.n_e, self.n_f = S, M * A, M * K
        self.off_e, self.off_f, self.off_t = S, S + M * A, S + M * A + M * K
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        lower_b = np.zeros(S)
        upper_b = np.zeros(S)
        annuity = np.zeros(S)
        if c is not None:
            upper_b = c.sites["max_mw"].to_numpy(float)
            annuity = c.sites["annuity_usd_per_mw_year"].to_numpy(float) * inp.year_share
            if c.fixed_mw is not None:
                fixed = c.fixed_mw.reindex(c.sites.index)
                lower_b = fixed.fillna(0.0).to_numpy(float)
                upper_b = fixed.fillna(c.sites["max_mw"]).to_numpy(float)
        months_arr = np.asarray(inp.month)
        # AI availability energy per MW, by month and in the year
        if A:
            avail = c.availability.sel(site=self.ai).transpose("time", "site").to_numpy()  # type: ignore[union-attr]
            self.avail_month = np.array(
                [avail[months_arr == m].sum(axis=0) for m in self.months]
            )  # [M, A]
            uptime = c.sites.loc[self.ai, "uptime"].to_numpy(float)  # type: ignore[union-attr]
        # most energy each fuel can give in a month (upper bound of its share)
        fmax = np.zeros((M, K))
        for k, row in enumerate(self.limits.itertuples(index=False)):
            gens = list(inp.gens.index[inp.gens["fuel"] == row.fuel])
            pmax = inp.p_max.sel(gen=gens).sum("gen").to_numpy()
            fmax[:, k] = [pmax[months_arr == m].sum() for m in self.months]
        self.fmax = fmax
        n = S + M * A + M * K + M
        lower = np.concatenate([lower_b, np.zeros(M * A), np.zeros(M * K), np.full(M, -INF)])
        upper = np.concatenate([upper_b, np.full(M * A, INF), fmax.ravel(), np.full(M, INF)])
        cost = np.concatenate([annuity, np.zeros(M * A + M * K), np.ones(M)])
        h.addVars(n, lower, upper)
        h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        if c is not None and (c.fixed_mw is None or c.fixed_mw.reindex(c.sites.index).isna().any()):
            sites = c.sites
            if c.programme_mw < float(sites["max_mw"].sum()):
                self._row(h, range(S), np.ones(S), -INF, c.programme_mw)
            if c.ai_market_binds():  # sum_ai it_mw_per_mw[s] b[s] <= ai_market_mw_it
                per_mw = c.ai_it_per_mw()
                idx = [self.sites.index(s) for s in per_mw.index]
                self._row(h, idx, per_mw.to_numpy(float), -INF, c.ai_market_mw_it)
            for (region, kind), group in sites.groupby(["region", "kind"]):
                cap = float(c.kind_caps.loc[region, kind]) if region in c.kind_caps.index else 0.0
                if cap < float(group["max_mw"].sum()):
                    idx = [self.sites.index(s) for s in group.index]
                    self._row(h, idx, np.ones(len(idx)), -INF, cap)
        for a, site in enumerate(self.ai):
            b = self.sites.index(site)
            total = float(self.avail_month[:, a].sum())
            idx = [self.e_col(m, a) for m in range(M)] + [b]
            self._row(h, idx, np.r_[np.ones(M), -uptime[a] * total], 0.0, INF)
            for m in range(M):
                self._row(
                    h, [self.e_col(m, a), b], np.array([1.0, -self.avail_month[m, a]]), -INF, 0.0
                )
        for k, row in enumerate(self.limits.itertuples(index=False)):
            idx = [self.f_col(m, k) for m in range(M)]
            lo, up = (row.energy_mwh, INF) if row.sense == ">=" else (-INF, row.energy_mwh)
            self._row(h, idx, np.ones(M), lo, up)
        self.highs = h
        self.n_cols = n

    def e_col(self, m: int, a: int) -> int:
        """Column of month ``m``'s energy share of AI site ``a``."""
        return self.off_e + m * len(self.ai) + a

    def f_col(self, m: int, k: int) -> int:
        """Column of month ``m``'s share of yearly fuel limit ``k``."""
        return self.off_f + m * len(self.limits) + k

    @staticmethod
    def _row(h: highspy.Highs, idx: Sequence[int], coef: np.ndarray, lo: float, up: float) -> None:
        h.addRow(
            lo, up, len(idx), np.asarray(list(idx), dtype=np.int32), np.asarray(coef, dtype=float)
        )

    def add_cut(
        self,
        m: int,
        phi: float,
        point: dict[str, np.ndarray],
        g_b: np.ndarray,
        g_e: np.ndarray,
        g_f: np.ndarray,
    ) -> None:
        """``theta[m] - g . x >= phi - g . x_k``."""
        idx = [self.off_t + m]
        coef = [1.0]
        rhs = phi
        for j, g in enumerate(g_b):
            if g != 0.0:
                idx.append(j)
                coef.append(-g)
                rhs -= g * point["build"][j]
        for a, g in enumerate(g_e):
            if g != 0.0:
                idx.append(self.e_col(m, a))
                coef.append(-g)
                rhs -= g * point["uptime"][m, a]
        for k, g in enumerate(g_f):
            if g != 0.0:
                idx.append(self.f_col(m, k))
                coef.append(-g)
                rhs -= g * point["limits"][m, k]
        self._row(self.highs, idx, np.array(coef), rhs, INF)

    def solve(self) -> tuple[float, dict[str, np.ndarray]]:
        """Solve the master; its optimum and the point (builds, AI shares, fuel shares)."""
        h = self.highs
        with solver_output_to_stderr():
            h.run()
        x = np.asarray(h.getSolution().col_value)
        M, A, K = len(self.months), len(self.ai), len(self.limits)
        point = {
            "build": x[: self.n_b].copy(),
            "uptime": x[self.off_e : self.off_f].reshape(M, A).copy(),
            "limits": x[self.off_f : self.off_t].reshape(M, K).copy(),
        }
        return float(h.getInfo().objective_function_value), point

    def clip(self, point: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """A given point made to fit this master's bounds (e.g. after builds were fixed)."""
        lp = self.highs.getLp()
        lo, up = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
        build = np.clip(point["build"], lo[: self.n_b], up[: self.n_b])
        return {"build": build, "uptime": point["uptime"].copy(), "limits": point["limits"].copy()}

    def initial_point(self, inp: ModelInputs) -> dict[str, np.ndarray]:
        """Nothing built; yearly fuel limits shared among months by hours."""
        M = len(self.months)
        hours = pd.Series(inp.month).value_counts().reindex(self.months).to_numpy(float)
        limits = np.zeros((M, len(self.limits)))
        for k, row in enumerate(self.limits.itertuples(index=False)):
            limits[:, k] = np.minimum(row.energy_mwh * hours / hours.sum(), self.fmax[:, k])
        return {
            "build": np.zeros(len(self.sites)),
            "uptime": np.zeros((M, len(self.ai))),
            "limits": limits,
        }


# --------------------------------------------------------------------------- the loop


def solve_decomposed(
    inp: ModelInputs,
    *,
    tol: float = 1e-6,
    max_iterations: int = 200,
    workers: int = 1,
    mining_factor: float = 1.0,
    pool: MonthPool | None = None,
    start: dict[str, np.ndarray] | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[Solution, DecompositionInfo]:
    """Solve the siting and dispatch LP of ``inp`` by months, to the monolithic optimum.

    Parameters
    ----------
    inp : ModelInputs
        The whole problem (any number of months; compute optional).
    tol : float
        Stop when the bounds agree to this share of the objective.
    max_iterations : int
        Give up (with an error naming the gap) after this many rounds.
    workers : int
        Processes solving months in parallel.
    mining_factor : float
        Multiplier on every mining MWh's value (the fleet's own effect on difficulty).
    pool : MonthPool, optional
        Month models already built for ``inp`` (reused across calls: only values change).
    start : dict, optional
        A first point to try (builds and shares), e.g. a previous solution.
    progress : callable, optional
        Receives one line per round.

    Returns
    -------
    tuple
        The solution (all months joined; ``objective_usd`` includes the annuities) and how
        the decomposition went.
    """
    t0 = time.perf_counter()
    own_pool = pool is None
    pool = pool or MonthPool(inp, workers)
    t_built = time.perf_counter()
    try:
        master = Master(inp)
        annuity = master.highs.getLp().col_cost_[: master.n_b]
        point = master.initial_point(inp) if start is None else master.clip(start)
        best: dict[str, np.ndarray] | None = None
        best_results: dict[str, Any] | None = None
        history: list[dict[str, float]] = []
        lower = -INF
        upper = INF
        for iteration in range(1, max_iterations + 1):
            results = pool.solve(
                point["build"],
                _by_month(point["uptime"], master.months),
                _by_month(point["limits"], master.months),
                mining_factor,
            )
            value = float(np.dot(annuity, point["build"])) + sum(r[0] for r in results.values())
            if value < upper:
                upper, best = value, {k: v.copy() for k, v in point.items()}
                best_results = results
            for m, month in enumerate(master.months):
                phi, g_b, g_e, g_f = results[month]
                master.add_cut(m, phi, point, g_b, g_e, g_f)
            lower, point = master.solve()
            gap = (upper - lower) / max(1.0, abs(upper))
            history.append({"iteration": iteration, "lower": lower, "upper": upper, "gap": gap})
            if progress is not None:
                progress(
                    f"round {iteration}: gap {gap:.2e} (bounds {lower:,.0f} .. {upper:,.0f} USD)"
                )
            if gap <= tol:
                break
        else:
            raise SolverError(
                f"the decomposition did not converge in {max_iterations} rounds (gap {gap:.2e})"
            )
        assert best is not None
        if best_results is not results:
            pool.solve(
                best["build"],
                _by_month(best["uptime"], master.months),
                _by_month(best["limits"], master.months),
                mining_factor,
            )
        solutions = pool.solutions()
        solution = _join([solutions[m] for m in master.months], inp, upper)
        solution.build_seconds = t_built - t0
        solution.solve_seconds = time.perf_counter() - t_built
        info = DecompositionInfo(
            iterations=len(history),
            lower_bound=lower,
            upper_bound=upper,
            gap=history[-1]["gap"],
            history=history,
            build_seconds=solution.build_seconds,
            solve_seconds=solution.solve_seconds,
            point=best,
        )
        return solution, info
    finally:
        if own_pool:
            pool.close()


def _by_month(values: np.ndarray, months: list[str]) -> dict[str, np.ndarray]:
    return {m: values[i] for i, m in enumerate(months)}


def _join(parts: list[Solution], inp: ModelInputs, objective: float) -> Solution:
    def cat(name: str) -> pd.DataFrame | None:
        frames = [getattr(p, name) for p in parts]
        return None if frames[0] is None else pd.concat(frames)

    shortfall = None
    if parts[0].shortfall is not None:
        shortfall = sum(p.shortfall for p in parts)  # type: ignore[misc]
    return Solution(
        generation=cat("generation"),  # type: ignore[arg-type]
        flow=cat("flow"),  # type: ignore[arg-type]
        unserved=cat("unserved"),  # type: ignore[arg-type]
        price=cat("price"),  # type: ignore[arg-type]
        objective_usd=objective,
        build=parts[0].build,
        consume=cat("consume"),
        shortfall=shortfall,
        reserve_price=pd.concat([p.reserve_price for p in parts]),
        build_seconds=0.0,
        solve_seconds=0.0,
    )
