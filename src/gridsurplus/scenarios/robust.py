"""One plan over all the scenarios at once: the month decomposition extended to scenarios.

The builds are chosen once, before the scenario is known; every scenario then runs its own
dispatch year. With scenario ``s`` of probability ``p_s``, LP objective ``c_s . x_s`` (costs
minus compute value, annuities included; its negative is the national welfare) and loss
``L_s = c_s . x_s - r_s`` (minus the welfare the programme adds, against a reference ``r_s``),
the robust plan solves

``min_b  (1 - w) sum_s p_s L_s(b) + w CVaR_alpha(L(b))``,

``CVaR_alpha(L) = min_eta eta + 1 / (1 - alpha) sum_s p_s max(0, L_s - eta)`` (Rockafellar and
Uryasev), ``w = 0`` giving the expected value. It is solved by Benders cuts: one master over the
builds with a cost ``theta[s, m]`` per (scenario, month)
(:class:`~gridsurplus.scenarios.robust_master.RobustMaster`), every (scenario, month)
subproblem kept warm in HiGHS (:class:`~gridsurplus.scenarios.robust_pool.ScenarioPool`, on a
local process pool), until the master's lower bound and the best upper bound agree to ``tol``
(the same 1e-6 relative gap as the ordinary plan, relative to the whole LP objective). Its
optimum is the extensive form's (:func:`gridsurplus.scenarios.extensive.solve_extensive`).

The build-stage limits (site maxima, hosting and programme caps) are those of ``first_stage``
(the point forecast's problem) in every scenario when it is given, else every scenario's own
(their intersection). The subproblems run on a local process pool (``fork``), not on Dask.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.errors import SolverError
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.scenarios.risk import Risk, probabilities, risk_value
from gridsurplus.scenarios.robust_master import RobustMaster
from gridsurplus.scenarios.robust_pool import ScenarioPool


@dataclass
class RobustResult:
    """A robust (or fixed-build) solve over scenarios.

    Attributes
    ----------
    build : pandas.Series
        MW built per site.
    objective_usd : float
        ``F`` of the builds (upper bound at the best point) [USD].
    lower_bound_usd, gap : float
        The master's bound [USD] and ``(F - lower) / max(1, |F + E[r]|)``.
    scenario_build : pandas.DataFrame
        ``[scenario x site]`` MW built (all rows equal unless ``independent``).
    scenario_cost_usd : numpy.ndarray
        ``c_s . x_s`` per scenario at the builds [USD] (minus each scenario's welfare).
    site_margin_usd_per_mw : pandas.DataFrame
        ``[scenario x site]`` what one more MW at a site adds to welfare in each scenario,
        its annuity paid [USD/MW]: the site pays in a scenario where this is >= 0.
    iterations : int
        Rounds (master solves).
    build_seconds, solve_seconds : float
        Building the (scenario, month) models, and all rounds.
    history : list of dict
        Bounds after each round.
    """

    build: pd.Series
    objective_usd: float
    lower_bound_usd: float
    gap: float
    scenario_build: pd.DataFrame
    scenario_cost_usd: np.ndarray
    site_margin_usd_per_mw: pd.DataFrame
    iterations: int
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    history: list[dict[str, float]] = field(default_factory=list)
    method: str = "decomposed"


def solve_robust(
    problems: list[ModelInputs],
    prob: np.ndarray | None = None,
    *,
    risk: Risk | None = None,
    reference: np.ndarray | None = None,
    fixed_build: np.ndarray | pd.Series | None = None,
    independent: bool = False,
    first_stage: ModelInputs | None = None,
    tol: float = 1e-6,
    max_iterations: int = 500,
    workers: int = 1,
    pool: ScenarioPool | None = None,
    progress: Callable[[str], None] | None = None,
) -> RobustResult:
    """Choose the builds shared by every scenario (or evaluate given builds) by Benders cuts.

    Parameters
    ----------
    problems : list of ModelInputs
        One per scenario: same sites and hours, any values (compute values with the mining
        factor already applied).
    prob : numpy.ndarray, optional
        Scenario probabilities (equal by default).
    risk : Risk, optional
        Expected value (default) or a CVaR blend.
    reference : numpy.ndarray, optional
        ``r_s`` per scenario [USD] (default 0): the CVaR is of ``c_s . x_s - r_s``.
    fixed_build : array, optional
        Builds fixed at these MW: then only the operation (and the shares) is solved.
    independent : bool
        Every scenario its own builds (the wait-and-see solutions of perfect information).
    first_stage : ModelInputs, optional
        The problem whose build-stage limits (site maxima, hosting and programme caps) bind
        the builds in every scenario, e.g. the point forecast's (default: every scenario's own
        limits hold). Ignored with ``fixed_build``: a built plan is evaluated as built.
    tol : float
        Relative gap at which to stop.
    max_iterations : int
        Give up after this many rounds.
    workers : int
        Processes holding the (scenario, month) models.
    pool : ScenarioPool, optional
        Models already built for ``problems`` (reused: they stay warm).
    progress : callable, optional
        One line per round.

    Returns
    -------
    RobustResult
    """
    risk = risk or Risk()
    n = len(problems)
    p = probabilities(n, prob)
    ref = np.zeros(n) if reference is None else np.asarray(reference, float)
    t0 = time.perf_counter()
    own_pool = pool is None
    pool = pool or ScenarioPool(problems, workers)
    t_built = time.perf_counter()
    try:
        fixed = None if fixed_build is None else build_array(fixed_build, problems[0])
        master = RobustMaster(problems, p, risk, ref, fixed, independent, first_stage)
        points = master.initial_points(problems, fixed)
        months = master.months
        upper, lower, gap = np.inf, -np.inf, np.inf
        best: tuple[list[dict[str, np.ndarray]], dict[Any, Any], np.ndarray] | None = None
        history: list[dict[str, float]] = []
        for iteration in range(1, max_iterations + 1):
            results = pool.solve(points)
            cost = np.array(
                [
                    float(master.annuity[s] @ points[s]["build"])
                    + sum(results[(s, m)][0] for m in months)
                    for s in range(n)
                ]
            )
            value = risk_value(cost - ref, p, risk)
            if value < upper:
                upper, best = value, (points, results, cost)
            for s in range(n):
                for i, m in enumerate(months):
                    phi, g_b, g_e, g_f = results[(s, m)]
                    master.add_cut(s, i, phi, points[s], g_b, g_e, g_f)
            lower, points = master.solve()
            scale = max(1.0, abs(upper + float(np.dot(p, ref))))
            gap = (upper - lower) / scale
            history.append({"iteration": iteration, "lower": lower, "upper": upper, "gap": gap})
            if progress is not None:
                progress(f"round {iteration}: gap {gap:.2e} ({n} scenarios)")
            if gap <= tol:
                break
        else:
            raise SolverError(
                f"the robust decomposition did not converge in {max_iterations} rounds "
                f"(gap {gap:.2e})"
            )
        assert best is not None
        best_points, best_results, best_cost = best
        sites = master.masters[0].sites
        margin = np.array(
            [-(master.annuity[s] + sum(best_results[(s, m)][1] for m in months)) for s in range(n)]
        ).reshape(n, len(sites))
        t_end = time.perf_counter()
        return RobustResult(
            build=pd.Series(best_points[0]["build"], index=sites, name="mw"),
            scenario_build=pd.DataFrame([q["build"] for q in best_points], columns=sites),
            objective_usd=upper,
            lower_bound_usd=lower,
            gap=gap,
            scenario_cost_usd=best_cost,
            site_margin_usd_per_mw=pd.DataFrame(margin, columns=sites),
            iterations=len(history),
            build_seconds=t_built - t0,
            solve_seconds=t_end - t_built,
            history=history,
        )
    finally:
        if own_pool:
            pool.close()


def build_array(build: np.ndarray | pd.Series, inp: ModelInputs) -> np.ndarray:
    """MW per site of ``inp``'s sites, in their order (a Series is aligned by site) [MW]."""
    c = inp.compute
    if c is None:
        return np.zeros(0)
    if isinstance(build, pd.Series):
        return build.reindex(c.sites.index).fillna(0.0).to_numpy(float)
    return np.asarray(build, float)
