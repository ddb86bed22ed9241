"""The mining fleet's own effect on difficulty, iterated to a fixed point with the siting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import xarray as xr

from gridsurplus.economics.mining import fleet_correction, fleet_hashrate_eh_s
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import Solution
from gridsurplus.planning.solver import Solver
from gridsurplus.planning.types import FLEET_TOLERANCE

MAX_FLEET_ITERATIONS = 12


@dataclass
class FleetResult:
    """The siting once the fleet's effect settled.

    Attributes
    ----------
    optimum : Solution
        The last siting solved.
    factor : float
        The hashprice multiplier it was solved at [-].
    history : list of dict
        One row per iteration: factor, mining MW, fleet and network hashrate [EH/s].
    """

    optimum: Solution
    factor: float
    history: list[dict[str, float]] = field(default_factory=list)


def mining_fleet_eh_s(sol: Solution, inp: ModelInputs, values: xr.Dataset) -> tuple[float, float]:
    """Mining MW built and the fleet's mean hashrate [EH/s] in a solution."""
    c = inp.compute
    assert c is not None and sol.build is not None and sol.consume is not None
    mining = c.sites.index[c.sites["kind"] == "mining"]
    built = float(sol.build.reindex(mining).sum())
    eh = 0.0
    for site in mining:
        tech = c.sites.loc[site, "tech"]
        mean_mw = float(sol.consume[site].mean())
        if mean_mw <= 0:
            continue
        overhead = float(values["design_overhead"].sel(tech=tech))
        eh += fleet_hashrate_eh_s(
            mean_mw / overhead, float(values["efficiency_j_per_th"].sel(tech=tech))
        )
    return built, eh


def next_factor(history: list[dict[str, float]], target: float) -> float:
    """Next hashprice multiplier: the fixed point N/(N+F), damped once it oscillates."""
    if len(history) >= 3:
        a, b = history[-2]["fleet_factor"], history[-1]["fleet_factor"]
        return 0.5 * (target + 0.5 * (a + b))
    return target


def settled(history: list[dict[str, float]]) -> bool:
    """Whether the mining MW stopped moving (or none is built at the first try)."""
    mining_mw = history[-1]["mining_mw"]
    if len(history) == 1:
        return mining_mw == 0.0
    prev = history[-2]["mining_mw"]
    return abs(mining_mw - prev) <= FLEET_TOLERANCE * max(prev, 1e-9) or mining_mw == prev


def site_with_fleet_effect(
    solver: Solver,
    inp: ModelInputs,
    values: xr.Dataset,
    network_eh_s: float,
    say: Callable[[str], None],
    fixed_mw: pd.Series | None = None,
) -> FleetResult:
    """Site compute, then re-site with mining valued at ``N/(N+F)`` until the MW settle.

    With ``fixed_mw`` [MW per site] the builds stay fixed and only operation is re-solved.
    """
    factor = 1.0
    history: list[dict[str, float]] = []
    optimum = solver.solve("siting", mining_factor=factor, fixed_mw=fixed_mw)
    while True:
        mining_mw, fleet = mining_fleet_eh_s(optimum, inp, values)
        history.append(
            {
                "iteration": len(history) + 1,
                "fleet_factor": factor,
                "mining_mw": mining_mw,
                "fleet_eh_s": fleet,
                "network_eh_s": network_eh_s,
            }
        )
        if settled(history):
            break
        if len(history) >= MAX_FLEET_ITERATIONS:
            say("  the fleet's own effect did not settle in 12 iterations; keeping the last")
            break
        factor = next_factor(history, fleet_correction(network_eh_s, fleet))
        say(
            f"  fleet effect: {mining_mw:,.0f} MW of mining ({fleet:,.1f} EH/s)"
            f" -> hashprice x {factor:.4f}"
        )
        optimum = solver.solve(
            f"siting, fleet iteration {len(history) + 1}", mining_factor=factor, fixed_mw=fixed_mw
        )
    return FleetResult(optimum=optimum, factor=factor, history=history)
