"""Solve a built model and read its solution into tidy tables.

HiGHS is the default solver; any solver linopy knows can be named. When a model has no
solution, :func:`diagnose_infeasibility` re-solves it with priced slack on every balance,
budget and reserve row and names the region and hour that fail, with what would fix them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from gridsurplus.errors import InfeasibleError, SolverError
from gridsurplus.model.build import build_model
from gridsurplus.model.inputs import ModelInputs

if TYPE_CHECKING:
    import linopy

DEFAULT_SOLVER = "highs"


@dataclass
class Solution:
    """The solution of one model solve.

    Attributes
    ----------
    generation, flow, unserved, price : pandas.DataFrame
        ``[time x gen]``, ``[time x link]`` (positive from ``from_region`` to ``to_region``),
        ``[time x region]`` in MW, and the nodal marginal cost ``[time x region]`` [USD/MWh].
    objective_usd : float
        Objective value: cost minus value of compute [USD].
    build : pandas.Series or None
        MW built per compute site.
    consume : pandas.DataFrame or None
        ``[time x site]`` compute consumption [MW].
    reserve_price : pandas.Series
        Dual of the reserve constraint [USD/MW per hour] (0 where it does not bind).
    build_seconds, solve_seconds : float
        Wall time to build the model and to solve it (including the hand-off to the solver).
    """

    generation: pd.DataFrame
    flow: pd.DataFrame
    unserved: pd.DataFrame
    price: pd.DataFrame
    objective_usd: float
    build: pd.Series | None
    consume: pd.DataFrame | None
    shortfall: pd.Series | None
    reserve_price: pd.Series
    build_seconds: float
    solve_seconds: float


@contextlib.contextmanager
def solver_output_to_stderr() -> Iterator[None]:
    """Send what a solver library prints to stdout (HiGHS' banner) to stderr instead.

    Command-line output such as ``--json`` stays clean. Works at the file-descriptor level,
    since the solver writes from C, not through :data:`sys.stdout`.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # captured stdout (tests): nothing to redirect
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    try:
        os.dup2(sys.stderr.fileno(), fd)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, fd)
        os.close(saved)


@contextlib.contextmanager
def _quiet_linopy() -> Iterator[None]:
    """Silence linopy's own warning on infeasible models: we explain them ourselves."""
    logger = logging.getLogger("linopy")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _frame(arr: Any, columns: str) -> pd.DataFrame:
    return arr.transpose("time", columns).to_pandas()


def solve_inputs(
    inp: ModelInputs, solver_name: str = DEFAULT_SOLVER, **solver_options: Any
) -> Solution:
    """Build and solve the model for ``inp`` and return its solution.

    Parameters
    ----------
    inp : ModelInputs
        What to model.
    solver_name : str
        Any solver linopy supports (default HiGHS).
    **solver_options
        Passed to the solver.

    Returns
    -------
    Solution
        Tables of the optimal dispatch (and builds).

    Raises
    ------
    InfeasibleError
        With the region and hour that fail and what would fix them.
    SolverError
        If the solver stops for another reason.
    """
    t0 = time.perf_counter()
    m = build_model(inp)
    t1 = time.perf_counter()
    solve_model(m, inp, solver_name, **solver_options)
    t2 = time.perf_counter()
    return extract_solution(m, inp, build_seconds=t1 - t0, solve_seconds=t2 - t1)


def solve_model(
    m: linopy.Model, inp: ModelInputs, solver_name: str = DEFAULT_SOLVER, **solver_options: Any
) -> None:
    """Solve a built model in place, raising a clear error if it has no optimum."""
    options: dict[str, Any] = {"output_flag": False} if solver_name == "highs" else {}
    options.update(solver_options)
    if solver_name == "highs":
        options["progress"] = False
    with solver_output_to_stderr(), _quiet_linopy():
        status, condition = m.solve(
            solver_name=solver_name,
            io_api="direct" if solver_name == "highs" else None,
            **options,
        )
    if status == "ok":
        return
    if "infeasible" in str(condition).lower():
        raise InfeasibleError(diagnose_infeasibility(inp, solver_name))
    raise SolverError(
        f"the solver '{solver_name}' stopped without an optimal solution: "
        f"status {status}, condition {condition}"
    )


def extract_solution(
    m: linopy.Model, inp: ModelInputs, build_seconds: float = 0.0, solve_seconds: float = 0.0
) -> Solution:
    """Read a solved model into a :class:`Solution`."""
    v = m.variables
    flow_parts = []
    if "flow" in v:
        flow_parts.append(_frame(v["flow"].solution, "link"))
    if "flow_fwd" in v:
        fwd = _frame(v["flow_fwd"].solution, "link_lossy")
        bwd = _frame(v["flow_bwd"].solution, "link_lossy")
        flow_parts.append((fwd - bwd).rename_axis(columns="link"))
    flow = (
        pd.concat(flow_parts, axis=1) if flow_parts else pd.DataFrame(index=inp.snapshots)
    ).reindex(columns=inp.links.index)
    reserve_price = pd.Series(0.0, index=inp.snapshots)
    if "reserve" in m.constraints:
        reserve_price = m.constraints["reserve"].dual.to_pandas().reindex(inp.snapshots)
    compute = inp.compute is not None
    return Solution(
        generation=_frame(v["generation"].solution, "gen").reindex(columns=inp.gens.index),
        flow=flow,
        unserved=_frame(v["unserved"].solution, "region").reindex(columns=inp.regions),
        price=_frame(m.constraints["balance"].dual, "region").reindex(columns=inp.regions),
        objective_usd=float(m.objective.value or 0.0),
        build=v["build"].solution.to_pandas() if compute else None,
        consume=_frame(v["consume"].solution, "site") if compute else None,
        shortfall=_shortfall(v["shortfall"].solution) if "shortfall" in v else None,
        reserve_price=reserve_price,
        build_seconds=build_seconds,
        solve_seconds=solve_seconds,
    )


def _shortfall(arr: Any) -> pd.Series:
    """AI uptime shortfall per site [MWh], summed over months if kept monthly."""
    if "month" in arr.dims:
        arr = arr.sum("month")
    return arr.to_pandas()


def diagnose_infeasibility(inp: ModelInputs, solver_name: str = DEFAULT_SOLVER) -> str:
    """Explain why a model has no solution: which region and hour, and what would fix it.

    The model is re-solved with priced slack on the nodal balance (power that cannot be
    absorbed), the reserve (reserve that cannot be kept) and the monthly budgets (minimum
    output that needs more energy than the budget). The largest slacks name the culprits.

    Returns
    -------
    str
        A message for the user.
    """
    m = build_model(inp)
    big = 1e6
    regions = pd.Index(inp.regions, name="region")
    excess = m.add_variables(lower=0, coords=[inp.snapshots, regions], name="excess")
    con = m.constraints["balance"]
    con.update(lhs=con.lhs - excess)
    obj = m.objective.expression + big * excess.sum()
    if "reserve" in m.constraints:
        lack = m.add_variables(lower=0, coords=[inp.snapshots], name="reserve_lack")
        con = m.constraints["reserve"]
        con.update(lhs=con.lhs + lack)
        obj = obj + big * lack.sum()
    if "budget" in m.constraints:
        over = m.add_variables(
            lower=0, coords=m.constraints["budget"].lhs.const.coords, name="budget_over"
        )
        con = m.constraints["budget"]
        con.update(lhs=con.lhs - over)
        obj = obj + big * over.sum()
    m.objective = obj
    options: dict[str, Any] = (
        {"output_flag": False, "progress": False} if solver_name == "highs" else {}
    )
    with solver_output_to_stderr(), _quiet_linopy():
        status, _ = m.solve(
            solver_name=solver_name,
            io_api="direct" if solver_name == "highs" else None,
            **options,
        )
    if status != "ok":
        return (
            "the model has no solution, and it stays infeasible even when power may be "
            "spilled and the reserve and budgets relaxed: check the compute builds fixed in "
            "advance and the AI uptime requirements"
        )
    lines = []
    ex = _frame(m.variables["excess"].solution, "region")
    if float(ex.to_numpy().max()) > 1e-6:
        t, r = np.unravel_index(np.argmax(ex.to_numpy()), ex.shape)
        hours = int((ex.to_numpy() > 1e-6).sum())
        lines.append(
            f"the balance fails in region {ex.columns[r]} at {ex.index[t]:%Y-%m-%d %H:%M}: "
            f"{ex.iloc[t, r]:,.0f} MW of generation that must run (minimum output) can be neither "
            f"used there nor exported ({hours} region-hours fail in all); lower the plants' "
            f"minimum output there or raise the capacity of the links out of {ex.columns[r]}"
        )
    if "reserve_lack" in m.variables:
        lack_s = m.variables["reserve_lack"].solution.to_pandas()
        if float(lack_s.max()) > 1e-6:
            t = lack_s.idxmax()
            lines.append(
                f"the operating reserve cannot be kept at {t:%Y-%m-%d %H:%M}: "
                f"{lack_s.max():,.0f} MW short of the "
                f"{float(inp.reserve.sel(time=t)):,.0f} MW required "
                f"({int((lack_s > 1e-6).sum())} hours short); lower the reserve in dataset.yaml or "
                "make more capacity available"
            )
    if "budget_over" in m.variables:
        over_s = m.variables["budget_over"].solution.to_series()
        if float(over_s.max()) > 1e-6:
            month, gen = over_s.idxmax()
            lines.append(
                f"plant class {gen} needs {over_s.max():,.0f} MWh more than its {month} energy "
                "budget to keep its minimum output; lower its minimum output (dataset.yaml: hydro: "
                "reservoir_min_share) or raise the budget"
            )
    if not lines:
        return "the model has no solution, but no single balance, reserve or budget explains it"
    return "the model has no solution: " + "; ".join(lines)
