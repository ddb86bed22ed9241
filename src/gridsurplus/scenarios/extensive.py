"""The robust plan's extensive form: every scenario's whole model in one LP, for checking.

Each scenario's siting and dispatch model is built with linopy
(:func:`gridsurplus.model.build.build_model`), handed to HiGHS, and the scenarios' LPs are
stacked with their builds shared and the objective of :mod:`gridsurplus.scenarios.risk`
(:func:`gridsurplus.scenarios.stack.stack`); HiGHS solves the result as one LP. Its size grows
with scenarios times hours: use it on small cases, and the decomposition
(:func:`gridsurplus.scenarios.robust.solve_robust`) otherwise.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from gridsurplus.errors import SolverError
from gridsurplus.model.decompose.month import label_positions
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import solver_output_to_stderr
from gridsurplus.scenarios.risk import Risk, probabilities, risk_value
from gridsurplus.scenarios.robust import RobustResult, build_array
from gridsurplus.scenarios.stack import Block, first_stage_rows, stack


def scenario_block(inp: ModelInputs) -> Block:
    """One scenario's whole LP, its build columns first (in the order of the sites)."""
    from linopy.io import to_highspy

    from gridsurplus.model.build import build_model

    model = build_model(inp)
    with solver_output_to_stderr():
        h = to_highspy(model)
    first = np.array([], dtype=int)
    if "build" in model.variables:
        cols = label_positions(model.matrices.vlabels)
        first = cols[np.asarray(model.variables["build"].labels.values).ravel()]
    return Block.from_highs(h, first)


def solve_extensive(
    problems: list[ModelInputs],
    prob: np.ndarray | None = None,
    *,
    risk: Risk | None = None,
    reference: np.ndarray | None = None,
    fixed_build: np.ndarray | pd.Series | None = None,
    first_stage: ModelInputs | None = None,
) -> RobustResult:
    """Solve the robust plan as one LP (arguments as in :func:`.robust.solve_robust`).

    The result's ``site_margin_usd_per_mw`` is left empty (no per-scenario duals are read).
    """
    import highspy

    risk = risk or Risk()
    n = len(problems)
    p = probabilities(n, prob)
    ref = np.zeros(n) if reference is None else np.asarray(reference, float)
    t0 = time.perf_counter()
    blocks = [scenario_block(inp) for inp in problems]
    c = problems[0].compute
    sites = [] if c is None else list(c.sites.index)
    fixed = None if fixed_build is None else build_array(fixed_build, problems[0])
    first = None if first_stage is None else scenario_block(first_stage)
    blocks = first_stage_rows(blocks, len(sites), first, fixed is not None)
    stacked = stack(blocks, len(sites), p, risk, ref, fixed)
    t1 = time.perf_counter()
    h = stacked.highs
    with solver_output_to_stderr():
        h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise SolverError(f"the extensive form: HiGHS stopped with {h.modelStatusToString(status)}")
    x = np.asarray(h.getSolution().col_value)
    cost = np.array(
        [
            float(b.cost[: len(sites)] @ x[: len(sites)])
            + float(b.cost[len(sites) :] @ x[off : off + len(b.cost) - len(sites)])
            for b, off in zip(blocks, stacked.offsets, strict=True)
        ]
    )
    objective = float(h.getInfo().objective_function_value) + stacked.constant
    return RobustResult(
        build=pd.Series(x[: len(sites)], index=sites, name="mw"),
        objective_usd=risk_value(cost - ref, p, risk),
        lower_bound_usd=objective,
        gap=0.0,
        scenario_build=pd.DataFrame([x[: len(sites)]] * n, columns=sites),
        scenario_cost_usd=cost,
        site_margin_usd_per_mw=pd.DataFrame(columns=sites, dtype=float),
        iterations=1,
        build_seconds=t1 - t0,
        solve_seconds=time.perf_counter() - t1,
        method="monolithic",
    )
