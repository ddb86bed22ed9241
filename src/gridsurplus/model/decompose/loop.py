"""The Benders loop: solve months at the master's point, add cuts, until the bounds agree."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.errors import SolverError
from gridsurplus.model.decompose.master import Master
from gridsurplus.model.decompose.month import INF
from gridsurplus.model.decompose.pool import MonthPool
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import Solution


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
