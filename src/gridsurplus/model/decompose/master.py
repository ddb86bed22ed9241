"""The master LP of the decomposition: builds, monthly shares and one cost per month."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from gridsurplus.model.decompose.month import INF, coupled_limits
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import solver_output_to_stderr

if TYPE_CHECKING:
    import highspy


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
        self.limits = coupled_limits(inp)
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
