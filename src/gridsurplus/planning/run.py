"""Plan where the miners and data centres go and how they run: ``gridsurplus plan``.

:func:`plan` runs the stages in order, each a plain function of the one before:

1. profiles of the reference year and the model inputs (:mod:`gridsurplus.profiles`,
   :mod:`gridsurplus.model.inputs`);
2. the value of a MWh to every compute technology in every region and hour
   (:func:`gridsurplus.economics.values.compute_values`);
3. the base dispatch (nothing built), the siting and dispatch optimum, iterated with the
   fleet's own effect on Bitcoin difficulty until the mining MW settle
   (:mod:`~gridsurplus.planning.fleet`), and the same sites run under a posted tariff
   (:mod:`gridsurplus.model.decompose`, or one monolithic LP; :mod:`~gridsurplus.planning.solver`);
4. who earns what and the report's tables (:mod:`~gridsurplus.planning.pnl`,
   :mod:`~gridsurplus.planning.tables`), and the sensitivity re-solves
   (:mod:`~gridsurplus.planning.sensitivity`).

The month models are built once and kept warm: the base dispatch, every fleet iteration, the
tariff lens and the sensitivity cases only change their values.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.dataset import Dataset
from gridsurplus.economics.account import runs
from gridsurplus.economics.markets import posted_tariff
from gridsurplus.economics.values import compute_values, network_hashrate_for
from gridsurplus.model.decompose.kept import KeptModels
from gridsurplus.model.inputs import ModelInputs, model_inputs
from gridsurplus.planning.arguments import plan_arguments
from gridsurplus.planning.demand_first import base_unserved_bound
from gridsurplus.planning.fleet import FleetResult, site_with_fleet_effect
from gridsurplus.planning.sensitivity import SensitivityInputs, run_sensitivity
from gridsurplus.planning.sites import (
    compute_inputs,
    mining_scale,
    site_tariff,
    tariff_frame,
)
from gridsurplus.planning.solver import Solver
from gridsurplus.planning.tables import make_plan
from gridsurplus.planning.types import (
    DEFAULT_PROGRAMME_MW,
    Lens,
    PlanError,
    PlanOptions,
    PlanRun,
)
from gridsurplus.profiles import build_profiles
from gridsurplus.results import Plan


@dataclass
class Prepared:
    """What the solves start from: the inputs with compute, the values and the tariff."""

    ds: Dataset
    profiles: xr.Dataset
    temperature: xr.DataArray
    inputs: ModelInputs
    values: xr.Dataset
    tariff: Any
    tariff_usd: pd.DataFrame


def plan(
    ds: Dataset | None = None,
    options: PlanOptions | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    models: KeptModels | None = None,
    tables: str = "all",
    **kwargs: Any,
) -> Plan:
    """Site and dispatch compute on a dataset's surplus and report who earns what.

    Parameters
    ----------
    ds : Dataset or str or pathlib.Path, optional
        The dataset, or its folder (the embedded Pakistan dataset by default).
    options : PlanOptions, optional
        How to plan; keyword arguments override its fields. ``tariff`` may be a number (a flat
        tariff in the dataset's currency per kWh) or a tariff file, ``techs`` one string
        (``"btc_air"`` or ``"btc_air,btc_hydro"``); see :mod:`~gridsurplus.planning.arguments`.
    progress : callable, optional
        Receives a line per step.
    models : KeptModels, optional
        Month models kept from earlier plans (a sweep's worker): reused when this plan has
        the same structure, rebuilt otherwise (:mod:`gridsurplus.model.decompose.kept`).
    tables : {"all", "accounts"}
        ``accounts`` leaves out the base year's spare capacity and supply curve (the
        ``spare``, ``supply_curve`` and ``regions`` tables), which a sweep does not read.
    **kwargs
        Fields of :class:`PlanOptions` to override.

    Returns
    -------
    Plan
        Headline figures and tables (see :mod:`gridsurplus.results`).
    """
    if tables not in ("all", "accounts"):
        raise PlanError(f"tables must be 'all' or 'accounts', got {tables!r}")
    run = run_plan(ds, options, progress=progress, models=models, **kwargs)
    t0 = time.perf_counter()
    result = make_plan(run, surplus=tables == "all")
    result.headline["seconds"]["tables"] = time.perf_counter() - t0
    return result


def final_problem(run: PlanRun) -> ModelInputs:
    """The siting problem of a plan's final fleet iteration (mining at its corrected hashprice).

    Its optimum is the plan's (``run.optimum``); :mod:`gridsurplus.model.pypsa` writes it.
    Demand first is in it: unserved demand bounded by the base dispatch's.
    """
    c = run.inputs.compute
    assert c is not None
    scale = mining_scale(c.sites, run.fleet_factor)
    inp = run.inputs.with_compute(replace(c, value=(c.value * scale).transpose("time", "site")))
    return replace(inp, unserved_max=base_unserved_bound(inp, run.base))


def prepare(
    ds: Dataset, options: PlanOptions, profiles: xr.Dataset | None, say: Callable[[str], None]
) -> Prepared:
    """Profiles, model inputs with the candidate sites, compute values and the tariff."""
    say(f"building the hourly year of {ds.name} {ds.reference_label} ...")
    profiles = build_profiles(ds) if profiles is None else profiles
    base_inputs = model_inputs(ds, profiles)
    if options.window is not None:
        base_inputs = base_inputs.select(options.window)
    temperature = profiles["temperature_c"].sel(time=base_inputs.snapshots)
    values = compute_values(ds, temperature, markets=options.markets)
    programme = options.programme_mw
    if programme is None:
        programme = float(ds.meta.get("programme_mw", DEFAULT_PROGRAMME_MW))
    if programme < 0:
        raise PlanError(f"the programme must be >= 0 MW, got {programme:g}")
    compute = compute_inputs(
        ds, values, programme_mw=programme, techs=options.techs, uptime_period=options.uptime_period
    )
    share = options.mining_reserve_share
    if not 0.0 <= share <= 1.0:
        raise PlanError(f"the mining reserve share must be between 0 and 1, got {share:g}")
    if options.fixed_mw is not None:
        # sites fixed: model only the sites built (one fixed at 0 MW draws nothing), a far
        # smaller LP (a month of every candidate site is two thirds of its rows)
        fixed = fixed_builds(options.fixed_mw, compute.sites.index)
        assert fixed is not None
        built = fixed.index[fixed > 0]
        if len(built):
            compute = compute.subset(built)
    inp = base_inputs.with_compute(replace(compute, reserve_share=share))
    tariff = options.tariff if options.tariff is not None else posted_tariff(ds)
    return Prepared(
        ds=ds,
        profiles=profiles,
        temperature=temperature,
        inputs=inp,
        values=values,
        tariff=tariff,
        tariff_usd=tariff_frame(tariff, inp, ds.exchange_rate),
    )


def tariff_lens(solver: Solver, prep: Prepared, fleet: FleetResult) -> dict[str, Lens]:
    """The plan's sites under both lenses: marginal cost, and run under the posted tariff."""
    compute = prep.inputs.compute
    assert compute is not None
    value_now = compute.value * mining_scale(compute.sites, fleet.factor)
    paid = site_tariff(prep.tariff_usd, compute.sites)
    allowed = runs(value_now.transpose("time", "site").values, paid)
    tariff_value = xr.DataArray(paid, coords=value_now.coords, dims=("time", "site"))
    optimum = fleet.optimum
    under_tariff = solver.solve(
        "tariff lens", fixed_mw=optimum.build, value=tariff_value, allowed=allowed
    )
    return {
        "marginal_cost": Lens("marginal_cost", optimum, optimum.price, value_now.to_pandas()),
        "tariff": Lens("tariff", under_tariff, prep.tariff_usd, value_now.to_pandas()),
    }


def run_plan(
    ds: Dataset | None = None,
    options: PlanOptions | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    profiles: xr.Dataset | None = None,
    models: KeptModels | None = None,
    **kwargs: Any,
) -> PlanRun:
    """Solve a plan and keep everything it computed (see :func:`plan`)."""
    say = progress or (lambda _msg: None)
    ds, options = plan_arguments(ds, options, kwargs)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    prep = prepare(ds, options, profiles, say)
    seconds["inputs"] = time.perf_counter() - t0
    compute = prep.inputs.compute
    assert compute is not None

    say(f"building the model ({options.method}, {len(compute.sites)} candidate sites) ...")
    solver = Solver(prep.inputs, options, say, models)
    try:
        say("solving the base dispatch (nothing built) ...")
        base = solver.solve("base dispatch", fixed_mw=pd.Series(0.0, index=compute.sites.index))
        say("siting compute on the surplus ...")
        fleet = site_with_fleet_effect(
            solver,
            prep.inputs,
            prep.values,
            network_hashrate_for(prep.values),
            say,
            fixed_mw=fixed_builds(options.fixed_mw, compute.sites.index),
        )
        say("running the same sites under the posted tariff ...")
        lenses = tariff_lens(solver, prep, fleet)
        sensitivity = None
        if options.sensitivity != "off":
            say(f"sensitivity cases (sites {options.sensitivity}) ...")
            sensitivity = run_sensitivity(
                solver,
                SensitivityInputs(
                    ds=prep.ds,
                    inputs=prep.inputs,
                    values=prep.values,
                    temperature=prep.temperature,
                    tariff=prep.tariff,
                    options=options,
                    fleet_factor=fleet.factor,
                ),
                optimum=fleet.optimum,
                base=base,
                under_tariff=lenses["tariff"].solution,
                say=say,
            )
    finally:
        solver.close()
    seconds["build"] = solver.build_seconds
    seconds["solve"] = solver.solve_seconds
    seconds["total_solving"] = time.perf_counter() - t0
    return PlanRun(
        ds=prep.ds,
        options=options,
        inputs=prep.inputs,
        values=prep.values,
        base=base,
        optimum=fleet.optimum,
        lenses=lenses,
        fleet_factor=fleet.factor,
        fleet_iterations=fleet.history,
        tariff_usd_per_mwh=prep.tariff_usd,
        seconds=seconds,
        method_info=method_info(options, solver, prep.tariff),
        sensitivity=sensitivity,
        profiles=prep.profiles,
    )


def fixed_builds(fixed_mw: pd.Series | None, sites: pd.Index) -> pd.Series | None:
    """``fixed_mw`` [MW per site] on the candidate sites (absent ones 0), checked.

    >>> fixed_builds(pd.Series({"ai@A": 50.0}), pd.Index(["ai@A", "btc@A"])).to_dict()
    {'ai@A': 50.0, 'btc@A': 0.0}
    >>> fixed_builds(pd.Series({"ai@Z": 5.0}), pd.Index(["ai@A"]))
    Traceback (most recent call last):
    ...
    gridsurplus.planning.types.PlanError: fixed sites ai@Z are not candidate sites of this plan ...
    """
    if fixed_mw is None:
        return None
    mw = pd.to_numeric(pd.Series(fixed_mw), errors="coerce")
    unknown = sorted(str(s) for s in mw.index[mw.fillna(0) > 1e-9] if s not in sites)
    if unknown:
        raise PlanError(
            f"fixed sites {', '.join(unknown)} are not candidate sites of this plan (a technology "
            "left out, or a region whose hosting limit is zero); sites are named tech@region"
        )
    bad = mw.index[~np.isfinite(mw.to_numpy()) | (mw.to_numpy() < 0)]
    if len(bad):
        raise PlanError(f"fixed MW must be finite and >= 0: {', '.join(map(str, bad))}")
    return mw.reindex(sites).fillna(0.0).astype(float)


def method_info(options: PlanOptions, solver: Solver, tariff: Any) -> dict[str, Any]:
    """How the plan was solved, for ``plan.json``."""
    return {
        "method": options.method,
        "workers": options.workers,
        "solves": solver.info,
        "tariff": getattr(tariff, "name", ""),
        "tariff_unit": getattr(tariff, "unit", ""),
    }


__all__ = ["final_problem", "fixed_builds", "plan", "prepare", "run_plan"]
