"""``gridsurplus plan --scenarios``: the robust plan beside the point-forecast plan.

Stages: the ordinary plan on the point forecast (its sites, and the fleet's own effect on
difficulty, whose hashprice factor is then held for every scenario); each scenario's inputs
through the appliers (its own compute values, demand, solar, water and fuel prices:
:func:`scenario_problems`); the robust builds (:func:`gridsurplus.scenarios.robust.solve_robust`,
or the extensive form with ``method="monolithic"``); and the figures that compare them
(:mod:`gridsurplus.scenarios.metrics`): every scenario solved with nothing built (the welfare
reference), with the point plan's builds, and with its own best builds (perfect information).
All of them reuse the same (scenario, month) models, kept warm.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.model.inputs import ModelInputs
from gridsurplus.scenarios.appliers import Inputs, apply_scenario
from gridsurplus.scenarios.metrics import RobustFigures, robust_figures
from gridsurplus.scenarios.risk import Risk
from gridsurplus.scenarios.robust import RobustResult, solve_robust
from gridsurplus.scenarios.spec import ScenarioSpec


@dataclass
class RobustRun:
    """The point-forecast plan, the scenarios and the robust plan's figures."""

    point_plan: Any  # gridsurplus.results.Plan
    scenarios: pd.DataFrame  # one row per scenario, its input values
    robust: RobustResult
    figures: RobustFigures
    risk: Risk
    seconds: dict[str, float]


def scenario_problems(
    base: Inputs, spec: ScenarioSpec, table: pd.DataFrame, mining_factor: float = 1.0
) -> list[ModelInputs]:
    """Each scenario's siting problem: its values applied, hashprice times ``mining_factor``."""
    from gridsurplus.planning.run import prepare
    from gridsurplus.planning.sites import mining_scale

    problems = []
    for _, row in table.iterrows():
        inp = apply_scenario(base, spec, {k: float(v) for k, v in row.items()})
        options = replace(inp.options, markets={**(inp.options.markets or {}), **inp.markets})
        prepared = prepare(inp.ds, options, None, lambda _msg: None)
        c = prepared.inputs.compute
        assert c is not None
        value = (c.value * mining_scale(c.sites, mining_factor)).transpose("time", "site")
        problems.append(prepared.inputs.with_compute(replace(c, value=value)))
    return problems


def plan_robust(
    base: Inputs,
    spec: ScenarioSpec,
    table: pd.DataFrame,
    *,
    risk: Risk | None = None,
    method: str | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> RobustRun:
    """The robust plan over the scenarios of ``table``, beside the point-forecast plan.

    Parameters
    ----------
    base : Inputs
        Dataset, market overrides and plan options of the point forecast.
    spec : ScenarioSpec
        The scenario file (how each value is applied).
    table : pandas.DataFrame
        The scenarios, one row each (:func:`gridsurplus.scenarios.sample.draw`).
    risk : Risk, optional
        Expected value (default) or a CVaR blend.
    method : {"decomposed", "monolithic"}, optional
        The robust builds by the decomposition, or by the extensive form in one LP (default:
        the plan options' method).
    workers : int
        Dask workers holding the (scenario, month) models, on a LocalCluster (1: all in this
        process, no cluster).
    scheduler : str, optional
        Address of a running Dask scheduler whose workers hold the models instead.
    progress : callable, optional
        One line per step.
    """
    import gridsurplus

    say = progress or (lambda _msg: None)
    risk = risk or Risk()
    method = method or base.options.method
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    say("the plan on the point forecast ...")
    options = replace(base.options, markets={**(base.options.markets or {}), **base.markets})
    point_plan = gridsurplus.plan(base.ds, options, progress=None)
    factor = float(point_plan.headline.get("fleet_factor", 1.0))
    seconds["point_plan"] = time.perf_counter() - t0
    t = time.perf_counter()
    say(f"inputs of {len(table)} scenarios ...")
    problems = scenario_problems(base, spec, table, factor)
    from gridsurplus.planning.run import prepare

    # the build-stage limits (hosting, programme, site maxima) of the point forecast bind the
    # shared builds in every scenario: the robust plan chooses among the point plan's options
    first_stage = prepare(base.ds, options, None, lambda _msg: None).inputs
    seconds["inputs"] = time.perf_counter() - t
    sites = list(problems[0].compute.sites.index)  # type: ignore[union-attr]
    point_build = (
        point_plan.tables["sites"].set_index("site")["mw"].reindex(sites).fillna(0.0).astype(float)
    )
    t = time.perf_counter()
    with scenario_pool(problems, workers, scheduler, say) as pool:
        seconds["build"] = time.perf_counter() - t
        tol = base.options.tol
        say("every scenario with nothing built (the welfare reference) ...")
        reference = solve_robust(problems, pool=pool, fixed_build=np.zeros(len(sites)), tol=tol)
        ref = reference.scenario_cost_usd
        say(f"the robust plan ({method}, {risk.label}) ...")
        t = time.perf_counter()
        if method == "monolithic":
            from gridsurplus.scenarios.extensive import solve_extensive

            chosen = solve_extensive(problems, risk=risk, reference=ref, first_stage=first_stage)
            robust = solve_robust(
                problems, pool=pool, risk=risk, reference=ref, fixed_build=chosen.build, tol=tol
            )
            robust.method = "monolithic"
            robust.solve_seconds = chosen.solve_seconds
        else:
            robust = solve_robust(
                problems,
                pool=pool,
                risk=risk,
                reference=ref,
                first_stage=first_stage,
                tol=tol,
                progress=say,
            )
        seconds["robust"] = time.perf_counter() - t
        say("the point-forecast plan's sites in every scenario ...")
        point = solve_robust(
            problems, pool=pool, risk=risk, reference=ref, fixed_build=point_build, tol=tol
        )
        say("every scenario with its own best sites (perfect information) ...")
        t = time.perf_counter()
        best = solve_robust(
            problems,
            pool=pool,
            reference=ref,
            independent=True,
            first_stage=first_stage,
            tol=tol,
        )
        seconds["perfect_information"] = time.perf_counter() - t
    figures = robust_figures(problems[0], table, ref, robust, point, best, risk, tol=tol)
    seconds["total"] = time.perf_counter() - t0
    return RobustRun(point_plan, table, robust, figures, risk, seconds)


@contextmanager
def scenario_pool(
    problems: list[ModelInputs], workers: int, scheduler: str | None, say: Callable[[str], None]
) -> Iterator[Any]:
    """Where the (scenario, month) models live: here (one worker) or on Dask workers."""
    from gridsurplus.scenarios.robust_pool import ScenarioPool

    if workers <= 1 and not scheduler:
        with ScenarioPool(problems, 1) as pool:
            yield pool
        return
    from gridsurplus.scenarios.robust_dask import DaskScenarioPool
    from gridsurplus.scenarios.runner import open_client

    with open_client(workers, scheduler) as client:
        n = len(client.scheduler_info()["workers"])
        months = len(pd.unique(problems[0].month))
        say(f"building {len(problems)} x {months} month models on {n} Dask worker(s) ...")
        with DaskScenarioPool(problems, client) as pool:
            yield pool


def attach(run: RobustRun) -> Any:
    """The point-forecast plan with the robust plan added: ``headline['robust']`` and tables."""
    plan = run.point_plan
    f = run.figures
    plan.headline["robust"] = {
        "scenarios": len(run.scenarios),
        "risk": run.risk.label,
        "method": run.robust.method,
        "iterations": run.robust.iterations,
        "gap": run.robust.gap,
        "objective_usd": run.robust.objective_usd,
        "expected_welfare_usd": f.expected_welfare_usd,
        "expected_welfare_point_usd": f.expected_welfare_point_usd,
        "vss_usd": f.vss_usd,
        "evpi_usd": f.evpi_usd,
        "robust_mw_by_site": {k: v for k, v in run.robust.build.items() if v > 1e-6},
        "point_mw_by_site": {
            k: v for k, v in f.sites.set_index("site")["point_mw"].items() if v > 1e-6
        },
        "seconds": run.seconds,
    }
    plan.tables["robust_sites"] = f.sites
    plan.tables["robust_regret"] = f.regret
    return plan
