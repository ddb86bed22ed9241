"""The robust plan's master LP: builds shared, shares and one cost per (scenario, month).

Every scenario's month master (:class:`gridsurplus.model.decompose.Master`: builds ``b``, its
AI and fuel shares, ``theta[s, m]``) is stacked with the builds shared
(:func:`gridsurplus.scenarios.stack.stack`), so the master is

``min (1 - w) sum_s p_s (annuity_s . b + sum_m theta[s, m]) + w (eta + 1/(1-alpha) sum_s p_s u_s)``

subject to every scenario's caps and share rows, ``u_s + eta - annuity_s . b - sum_m
theta[s, m] >= -r_s`` (with CVaR) and the cuts of every (scenario, month) subproblem:

``theta[s, m] >= phi[s, m] + g_b . (b - b_k) + g_e . (e[s, m] - e_k) + g_f . (f[s, m] - f_k)``.
"""

from __future__ import annotations

import numpy as np

from gridsurplus.errors import SolverError
from gridsurplus.model.decompose import Master
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import solver_output_to_stderr
from gridsurplus.scenarios.risk import Risk
from gridsurplus.scenarios.spec import ScenarioError
from gridsurplus.scenarios.stack import INF, Block, first_stage_rows, stack


class RobustMaster:
    """One master over the shared builds, kept in HiGHS; cuts are added round by round."""

    def __init__(
        self,
        problems: list[ModelInputs],
        prob: np.ndarray,
        risk: Risk,
        reference: np.ndarray,
        fixed: np.ndarray | None = None,
        independent: bool = False,
        first_stage: ModelInputs | None = None,
    ):
        self.masters = [Master(inp) for inp in problems]
        first_master = self.masters[0]
        for s, m in enumerate(self.masters):
            if m.sites != first_master.sites:
                raise ScenarioError(
                    f"scenario {s} has other candidate sites than the first "
                    f"({', '.join(sorted(set(m.sites) ^ set(first_master.sites)))}): a robust plan "
                    "shares its builds, so every scenario must keep the same sites"
                )
            if m.months != first_master.months:
                raise ScenarioError(f"scenario {s} covers other months than the first")
        self.n_b = first_master.n_b
        self.months = first_master.months
        self.annuity = np.array([m.highs.getLp().col_cost_[: m.n_b] for m in self.masters]).reshape(
            len(problems), self.n_b
        )
        blocks = [Block.from_highs(m.highs) for m in self.masters]
        first = None
        if first_stage is not None:
            point = Master(first_stage)
            if point.sites != first_master.sites:
                raise ScenarioError(
                    "the point forecast has other candidate sites than the scenarios: a robust "
                    "plan needs the same sites in both"
                )
            first = Block.from_highs(point.highs)
        blocks = first_stage_rows(blocks, self.n_b, first, fixed is not None)
        # independent: every scenario its own builds (perfect information), nothing shared
        shared = 0 if independent else self.n_b
        self.stacked = stack(blocks, shared, prob, risk, reference, fixed)
        self.highs = self.stacked.highs

    def add_cut(
        self,
        s: int,
        m: int,
        phi: float,
        point: dict[str, np.ndarray],
        g_b: np.ndarray,
        g_e: np.ndarray,
        g_f: np.ndarray,
    ) -> None:
        """``theta[s, m] - g . x >= phi - g . x_k`` for scenario ``s``, month ``m``."""
        ms, col = self.masters[s], self.stacked.col
        idx = [col(s, ms.off_t + m)]
        coef = [1.0]
        rhs = phi
        for j, g in enumerate(g_b):
            if g != 0.0:
                idx.append(col(s, j))
                coef.append(-g)
                rhs -= g * point["build"][j]
        for a, g in enumerate(g_e):
            if g != 0.0:
                idx.append(col(s, ms.e_col(m, a)))
                coef.append(-g)
                rhs -= g * point["uptime"][m, a]
        for k, g in enumerate(g_f):
            if g != 0.0:
                idx.append(col(s, ms.f_col(m, k)))
                coef.append(-g)
                rhs -= g * point["limits"][m, k]
        self.highs.addRow(
            rhs, INF, len(idx), np.asarray(idx, dtype=np.int32), np.asarray(coef, float)
        )

    def solve(self) -> tuple[float, list[dict[str, np.ndarray]]]:
        """The master's optimum (a lower bound on F, constant added) and each scenario's point."""
        import highspy

        h = self.highs
        with solver_output_to_stderr():
            h.run()
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverError(
                f"the robust master: HiGHS stopped with {h.modelStatusToString(status)} (are "
                "the scenarios' build limits compatible with each other and the fixed builds?)"
            )
        x = np.asarray(h.getSolution().col_value)
        points = []
        for s, ms in enumerate(self.masters):
            M, A, K = len(ms.months), len(ms.ai), len(ms.limits)
            lo = self.stacked.col(s, ms.off_e)
            mid = self.stacked.col(s, ms.off_f)
            hi = self.stacked.col(s, ms.off_t)
            builds = [self.stacked.col(s, j) for j in range(self.n_b)]
            points.append(
                {
                    "build": x[builds].copy(),
                    "uptime": x[lo:mid].reshape(M, A).copy(),
                    "limits": x[mid:hi].reshape(M, K).copy(),
                }
            )
        return float(h.getInfo().objective_function_value) + self.stacked.constant, points

    def initial_points(
        self, problems: list[ModelInputs], build: np.ndarray | None = None
    ) -> list[dict[str, np.ndarray]]:
        """Each scenario's first point: nothing built (or ``build``), fuel shared by hours."""
        points = [m.initial_point(inp) for m, inp in zip(self.masters, problems, strict=True)]
        if build is not None:
            for p in points:
                p["build"] = np.asarray(build, float).copy()
        return points
