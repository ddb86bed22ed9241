"""What the robust plan is worth: VSS, EVPI, regret by scenario, where each site pays.

With ``r_s`` the cost of scenario ``s`` with nothing built and ``C_s(b)`` its cost with builds
``b`` (LP objectives [USD]), the welfare the programme adds in ``s`` is ``W_s(b) = r_s - C_s(b)``
and the loss ``L_s = -W_s``; ``F`` is the plan's objective
(:func:`~gridsurplus.scenarios.risk.risk_value`, the expected loss unless a CVaR is blended
in). Then, with ``b*`` the robust builds, ``b0`` the point-forecast plan's and ``b_s`` scenario
``s``'s own best builds:

- ``expected_welfare_usd = sum_s p_s W_s(b*)``;
- ``vss_usd = F(L(b0)) - F(L(b*))`` (the value of the stochastic solution; ``>= 0`` at the
  optimum, since ``b0`` is one of the builds the robust plan could choose);
- ``evpi_usd = F(L(b*)) - F(L_s(b_s))`` (the expected value of perfect information, ``>= 0``);
- ``regret_s = W_s(b_s) - W_s(b*)``, by scenario (and the point plan's beside it);
- a site *pays* in ``s`` if one more MW there adds welfare after its annuity (the month LPs'
  reduced costs at ``b*``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gridsurplus.model.inputs import ModelInputs
from gridsurplus.scenarios.risk import Risk, probabilities, risk_value
from gridsurplus.scenarios.robust import RobustResult


@dataclass
class RobustFigures:
    """The robust plan beside the point forecast's.

    Attributes
    ----------
    expected_welfare_usd, expected_welfare_point_usd : float
        Expected welfare the programme adds with the robust and the point plan's builds [USD].
    vss_usd, evpi_usd : float
        Value of the stochastic solution and expected value of perfect information [USD].
    regret : pandas.DataFrame
        One row per scenario: its inputs, welfare of each plan and of its own best [USD],
        regret of each plan [USD].
    sites : pandas.DataFrame
        One row per candidate site: region, tech, kind, ``point_mw``, ``robust_mw``,
        ``pays_share`` [fraction of scenarios].
    """

    expected_welfare_usd: float
    expected_welfare_point_usd: float
    vss_usd: float
    evpi_usd: float
    regret: pd.DataFrame
    sites: pd.DataFrame


def robust_figures(
    problem: ModelInputs,
    scenarios: pd.DataFrame,
    reference: np.ndarray,
    robust: RobustResult,
    point: RobustResult,
    best: RobustResult,
    risk: Risk,
    prob: np.ndarray | None = None,
    tol: float = 1e-6,
) -> RobustFigures:
    """VSS, EVPI, regret and where each site pays (see the module's definitions)."""
    n = len(scenarios)
    p = probabilities(n, prob)
    ref = np.asarray(reference, float)
    w_robust = ref - robust.scenario_cost_usd
    w_point = ref - point.scenario_cost_usd
    w_best = ref - best.scenario_cost_usd
    f_robust = risk_value(-w_robust, p, risk)
    regret = scenarios.copy()
    regret["probability"] = p
    regret["welfare_robust_usd"] = w_robust
    regret["welfare_point_usd"] = w_point
    regret["welfare_best_usd"] = w_best
    regret["regret_robust_usd"] = w_best - w_robust
    regret["regret_point_usd"] = w_best - w_point
    regret = regret.reset_index()
    c = problem.compute
    assert c is not None
    sites = (
        c.sites[["region", "tech", "kind"]].copy()
        if "tech" in c.sites
        else c.sites[["region", "kind"]].copy()
    )
    sites["point_mw"] = point.build.reindex(sites.index).to_numpy(float)
    sites["robust_mw"] = robust.build.reindex(sites.index).to_numpy(float)
    margin = robust.site_margin_usd_per_mw.reindex(columns=sites.index)
    annuity = c.sites["annuity_usd_per_mw_year"].to_numpy(float) * problem.year_share
    slack = tol * (np.abs(annuity) + 1.0)
    pays = (margin.to_numpy(float) >= -slack[None, :]).astype(float)
    sites["pays_share"] = p @ pays if len(margin) else np.nan
    sites = sites.rename_axis("site").reset_index()
    return RobustFigures(
        expected_welfare_usd=float(p @ w_robust),
        expected_welfare_point_usd=float(p @ w_point),
        vss_usd=risk_value(-w_point, p, risk) - f_robust,
        evpi_usd=f_robust - risk_value(-w_best, p, risk),
        regret=regret,
        sites=sites,
    )
