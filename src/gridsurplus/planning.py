"""Plan where the miners and data centres go and how they run: ``gridsurplus plan``.

:func:`plan` runs the stages in order, each a plain function of the one before:

1. profiles of the reference year and the model inputs (:mod:`gridsurplus.profiles`,
   :mod:`gridsurplus.model.inputs`);
2. the value of a MWh to every compute technology in every region and hour
   (:func:`gridsurplus.economics.values.compute_values`);
3. the base dispatch (nothing built), the siting and dispatch optimum, iterated with the
   fleet's own effect on Bitcoin difficulty until the mining MW settle, and the same sites run
   under a posted tariff (:mod:`gridsurplus.model.decompose`, or one monolithic LP);
4. who earns what and the report's tables (:mod:`gridsurplus.pnl`,
   :mod:`gridsurplus.plan_tables`), and the sensitivity re-solves
   (:mod:`gridsurplus.sensitivity`).

The month models are built once and kept warm: the base dispatch, every fleet iteration, the
tariff lens and the sensitivity cases only change their values.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.dataset import Dataset
from gridsurplus.errors import GridsurplusError
from gridsurplus.model.inputs import ComputeInputs, ModelInputs, model_inputs
from gridsurplus.model.solve import Solution, solve_inputs
from gridsurplus.results import Plan

DEFAULT_PROGRAMME_MW = 2000.0
"""Pakistan's first phase (Finance Ministry, May 2025)."""
FLEET_TOLERANCE = 0.005
"""Stop iterating the fleet's own effect when the mining MW change by less than this share."""
METHODS = ("decomposed", "monolithic")


class PlanError(GridsurplusError):
    """A plan cannot be made with these options; the message says which and why."""


@dataclass
class PlanOptions:
    """How to plan.

    Attributes
    ----------
    tariff : Tariff or None
        Posted tariff for the second lens (default: the dataset's ``tariff_flat`` market row,
        Rs 23/kWh for Pakistan).
    programme_mw : float or None
        National cap on all compute [MW] (default ``dataset.yaml: programme_mw`` or 2,000).
    techs : list of str or None
        Compute technologies to consider (default: every row of ``compute_techs``).
    method : {"decomposed", "monolithic"}
        Month-by-month Benders decomposition (default), or one LP for all hours.
    workers : int
        Processes solving months in parallel.
    markets : dict or None
        Overrides of market inputs, as :func:`compute_values` takes them.
    sensitivity : {"fixed", "free", "off"}
        Re-solve each sensitivity case with the sites fixed at the plan's (fast) or sited
        afresh, or skip the sensitivity table.
    sensitivity_ranges : dict or None
        Low and high value of each sensitivity parameter (see :mod:`gridsurplus.sensitivity`).
    solver_name : str
        Solver for the monolithic method (the decomposition uses HiGHS).
    uptime_period : {"month", "year"}
        Keep the AI tiers' uptime every month (as service-level agreements measure it, the
        default) or over the year.
    mining_reserve_share : float
        Share of the operating reserve that interruptible mining may provide (0 by default:
        the reserve is kept by plants alone).
    """

    tariff: Any = None
    programme_mw: float | None = None
    techs: list[str] | None = None
    method: str = "decomposed"
    workers: int = field(default_factory=lambda: min(2, os.cpu_count() or 1))
    markets: dict[str, Any] | None = None
    sensitivity: str = "fixed"
    sensitivity_ranges: dict[str, tuple[float, float]] | None = None
    solver_name: str = "highs"
    tol: float = 1e-6
    uptime_period: str = "month"
    mining_reserve_share: float = 0.0


@dataclass
class Lens:
    """A solution seen under one pricing lens."""

    name: str
    solution: Solution
    price_usd_per_mwh: pd.DataFrame  # [time x region] what compute pays
    value_usd_per_mwh: pd.DataFrame  # [time x site] what compute earns per MWh


@dataclass
class PlanRun:
    """Everything a plan computed, before it is turned into tables."""

    ds: Dataset
    options: PlanOptions
    inputs: ModelInputs  # with compute, builds free
    values: xr.Dataset
    base: Solution
    optimum: Solution
    lenses: dict[str, Lens]
    fleet_factor: float
    fleet_iterations: list[dict[str, float]]
    tariff_usd_per_mwh: pd.DataFrame  # [time x region]
    seconds: dict[str, float]
    method_info: dict[str, Any]
    sensitivity: pd.DataFrame | None = None
    profiles: xr.Dataset | None = None


# --------------------------------------------------------------------------- inputs


def compute_inputs(
    ds: Dataset,
    values: xr.Dataset,
    *,
    programme_mw: float,
    techs: list[str] | None = None,
    uptime_period: str = "month",
) -> ComputeInputs:
    """Turn compute values into the model's sites: each technology in each region that hosts it.

    Parameters
    ----------
    ds : Dataset
        The dataset (hosting caps per region and kind: ``max_mining_mw``, ``max_ai_mw``).
    values : xarray.Dataset
        Output of :func:`gridsurplus.economics.values.compute_values` (its attribute
        ``ai_market_mw_it`` caps the AI builds, counted in IT load through each tech's
        design PUE).
    programme_mw : float
        National cap [MW].
    techs : list of str, optional
        Technologies to keep.
    uptime_period : {"month", "year"}
        Over what the AI tiers' uptime is kept.

    Returns
    -------
    ComputeInputs
        Sites named ``tech@region``.
    """
    all_techs = [str(t) for t in values.coords["tech"].values]
    if techs is not None:
        unknown = sorted(set(techs) - set(all_techs))
        if unknown:
            raise PlanError(f"unknown compute technologies {unknown}: choose from {all_techs}")
        all_techs = [t for t in all_techs if t in techs]
    caps = ds.regions[["max_mining_mw", "max_ai_mw"]].rename(
        columns={"max_mining_mw": "mining", "max_ai_mw": "ai"}
    )
    rows = []
    for tech in all_techs:
        kind = str(values["kind"].sel(tech=tech).item())
        for region in caps.index:
            cap = float(caps.loc[region, kind])
            if cap <= 0:
                continue
            rows.append(
                {
                    "site": f"{tech}@{region}",
                    "tech": tech,
                    "region": region,
                    "kind": kind,
                    "annuity_usd_per_mw_year": float(
                        values["annuity_usd_per_mw_year"].sel(tech=tech)
                    ),
                    "uptime": float(values["uptime"].sel(tech=tech)),
                    "max_mw": min(cap, programme_mw),
                    "it_mw_per_mw": 1.0 / float(values["design_overhead"].sel(tech=tech)),
                }
            )
    if not rows:
        raise PlanError(
            "no region can host any of the chosen compute technologies: raise "
            "max_mining_mw or max_ai_mw in regions.csv"
        )
    sites = pd.DataFrame(rows).set_index("site")
    value = _by_site(values["value_usd_per_mwh"], sites)
    avail = _by_site(values["availability"], sites)
    if uptime_period not in ("month", "year"):
        raise PlanError(f"uptime period must be 'month' or 'year', got '{uptime_period}'")
    return ComputeInputs(
        sites=sites,
        value=value,
        availability=avail,
        kind_caps=caps,
        programme_mw=float(programme_mw),
        ai_market_mw_it=float(values.attrs.get("ai_market_mw_it", float("inf"))),
        uptime_period=uptime_period,
    )


def _by_site(arr: xr.DataArray, sites: pd.DataFrame) -> xr.DataArray:
    data = np.stack(
        [
            arr.sel(tech=t, region=r).transpose("time").values
            for t, r in zip(sites["tech"], sites["region"], strict=True)
        ],
        axis=1,
    )
    return xr.DataArray(
        data,
        coords={"time": arr.coords["time"].values, "site": list(sites.index)},
        dims=("time", "site"),
    )


def default_tariff(ds: Dataset) -> Any:
    """The dataset's posted tariff (``markets: tariff_flat``), else Rs 23/kWh."""
    from gridsurplus.economics.markets import Markets
    from gridsurplus.economics.tariffs import Tariff

    markets = Markets.from_dataset(ds)
    if markets.has("tariff_flat"):
        t = markets.flat_tariff()
        return Tariff.flat(
            t.base_rate, t.unit, name=f"flat {t.base_rate:g} {t.unit}", source=t.source
        )
    return Tariff.flat(
        23.0,
        f"{ds.currency}/kWh",
        name=f"flat 23 {ds.currency}/kWh",
        source="default: Rs 23/kWh (Power Division proposal, Nov 2024)",
    )


def tariff_frame(tariff: Any, inp: ModelInputs, exchange_rate: float) -> pd.DataFrame:
    """A tariff as USD/MWh per hour and region ``[time x region]``."""
    return pd.DataFrame(
        {
            r: tariff.usd_per_mwh(inp.snapshots, region=r, exchange_rate=exchange_rate)
            for r in inp.regions
        },
        index=inp.snapshots,
    )


# --------------------------------------------------------------------------- solving


class _Solver:
    """Solve variants of one problem, by months kept warm or as one LP each time."""

    def __init__(self, inp: ModelInputs, options: PlanOptions, progress: Callable[[str], None]):
        self.inp = inp
        self.options = options
        self.progress = progress
        self.pool: Any = None
        self.point: dict[str, np.ndarray] | None = None
        self.info: list[dict[str, Any]] = []
        self.build_seconds = 0.0
        self.solve_seconds = 0.0
        if options.method == "decomposed":
            from gridsurplus.model.decompose import MonthPool

            t0 = time.perf_counter()
            self.pool = MonthPool(inp, options.workers)
            self.build_seconds += time.perf_counter() - t0

    def solve(
        self,
        label: str,
        *,
        fixed_mw: pd.Series | None = None,
        mining_factor: float = 1.0,
        value: xr.DataArray | None = None,
        allowed: np.ndarray | None = None,
        gen_cost: np.ndarray | None = None,
        demand: xr.DataArray | None = None,
        tol: float | None = None,
    ) -> Solution:
        """Solve the problem with some builds fixed and some values changed."""
        c = self.inp.compute
        assert c is not None
        compute = replace(c, fixed_mw=fixed_mw)
        inp = self.inp
        if value is not None:
            compute = replace(compute, value=value)
        if allowed is not None:
            compute = replace(compute, availability=c.availability * allowed)
        if gen_cost is not None:
            gens = inp.gens.copy()
            gens["cost_usd_per_mwh"] = gen_cost
            inp = replace(inp, gens=gens)
        if demand is not None:
            inp = replace(inp, demand=demand)
        inp = inp.with_compute(compute)
        if self.options.method == "monolithic":
            if mining_factor != 1.0:
                scale = xr.DataArray(
                    np.where(c.sites["kind"] == "mining", mining_factor, 1.0),
                    coords={"site": list(c.sites.index)},
                    dims="site",
                )
                assert inp.compute is not None
                inp = inp.with_compute(replace(inp.compute, value=inp.compute.value * scale))
            sol = solve_inputs(inp, self.options.solver_name)
            self.build_seconds += sol.build_seconds
            self.solve_seconds += sol.solve_seconds
            self.info.append({"label": label, "rounds": 1})
            return sol
        from gridsurplus.model.decompose import solve_decomposed

        changes: dict[str, np.ndarray] = {}
        changes["value"] = compute.value.transpose("time", "site").values
        changes["allowed"] = (
            np.ones((len(inp.snapshots), len(c.sites)), bool)
            if allowed is None
            else np.asarray(allowed, bool)
        )
        changes["gen_cost"] = inp.gens["cost_usd_per_mwh"].to_numpy(float)
        changes["demand"] = inp.demand.transpose("time", "region").values
        self.pool.update(**changes)
        sol, info = solve_decomposed(
            inp,
            pool=self.pool,
            mining_factor=mining_factor,
            tol=self.options.tol if tol is None else tol,
            start=self.point,
        )
        self.point = info.point
        self.solve_seconds += info.solve_seconds
        self.info.append({"label": label, "rounds": info.iterations, "gap": info.gap})
        self.progress(
            f"  {label}: {info.iterations} rounds, gap {info.gap:.1e}, {info.solve_seconds:.1f} s"
        )
        return sol

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


def _mining_fleet_eh_s(sol: Solution, inp: ModelInputs, values: xr.Dataset) -> tuple[float, float]:
    """Mining MW built and the fleet's mean hashrate [EH/s] in a solution."""
    from gridsurplus.economics.bitcoin import fleet_hashrate_eh_s

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


def plan(
    ds: Dataset | None = None,
    options: PlanOptions | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    **kwargs: Any,
) -> Plan:
    """Site and dispatch compute on a dataset's surplus and report who earns what.

    Parameters
    ----------
    ds : Dataset, optional
        The dataset (the embedded Pakistan dataset by default).
    options : PlanOptions, optional
        How to plan; keyword arguments override its fields.
    progress : callable, optional
        Receives a line per step.
    **kwargs
        Fields of :class:`PlanOptions` to override.

    Returns
    -------
    Plan
        Headline figures and tables (see :mod:`gridsurplus.results`).
    """
    run = run_plan(ds, options, progress=progress, **kwargs)
    from gridsurplus.plan_tables import make_plan

    t0 = time.perf_counter()
    result = make_plan(run)
    result.headline["seconds"]["tables"] = time.perf_counter() - t0
    return result


def final_problem(run: PlanRun) -> ModelInputs:
    """The siting problem of a plan's final fleet iteration (mining at its corrected hashprice).

    Its optimum is the plan's (``run.optimum``); :mod:`gridsurplus.pypsa_export` writes it.
    """
    c = run.inputs.compute
    assert c is not None
    scale = xr.DataArray(
        np.where(c.sites["kind"] == "mining", run.fleet_factor, 1.0),
        coords={"site": list(c.sites.index)},
        dims="site",
    )
    return run.inputs.with_compute(replace(c, value=(c.value * scale).transpose("time", "site")))


def run_plan(
    ds: Dataset | None = None,
    options: PlanOptions | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    profiles: xr.Dataset | None = None,
    **kwargs: Any,
) -> PlanRun:
    """Solve a plan and keep everything it computed (see :func:`plan`)."""
    from gridsurplus.dataset import load_dataset
    from gridsurplus.economics.values import compute_values, network_hashrate_for
    from gridsurplus.profiles import build_profiles

    say = progress or (lambda _msg: None)
    options = replace(options or PlanOptions(), **kwargs)
    if options.method not in METHODS:
        raise PlanError(f"unknown method '{options.method}': choose from {', '.join(METHODS)}")
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    ds = ds if ds is not None else load_dataset()
    say(f"building the hourly year of {ds.name} {ds.reference_label} ...")
    profiles = build_profiles(ds) if profiles is None else profiles
    base_inputs = model_inputs(ds, profiles)
    values = compute_values(ds, profiles["temperature_c"], markets=options.markets)
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
    compute = replace(compute, reserve_share=share)
    inp = base_inputs.with_compute(compute)
    tariff = options.tariff if options.tariff is not None else default_tariff(ds)
    tariff_usd = tariff_frame(tariff, inp, ds.exchange_rate)
    seconds["inputs"] = time.perf_counter() - t0

    say(f"building the model ({options.method}, {len(compute.sites)} candidate sites) ...")
    solver = _Solver(inp, options, say)
    try:
        say("solving the base dispatch (nothing built) ...")
        base = solver.solve("base dispatch", fixed_mw=pd.Series(0.0, index=compute.sites.index))
        say("siting compute on the surplus ...")
        network = network_hashrate_for(values)
        factor = 1.0
        history: list[dict[str, float]] = []
        optimum = solver.solve("siting", mining_factor=factor)
        while True:
            mining_mw, fleet = _mining_fleet_eh_s(optimum, inp, values)
            history.append(
                {
                    "iteration": len(history) + 1,
                    "fleet_factor": factor,
                    "mining_mw": mining_mw,
                    "fleet_eh_s": fleet,
                    "network_eh_s": network,
                }
            )
            target = network / (network + fleet)
            if len(history) > 1:
                prev = history[-2]["mining_mw"]
                if abs(mining_mw - prev) <= FLEET_TOLERANCE * max(prev, 1e-9) or mining_mw == prev:
                    break
            elif mining_mw == 0.0:
                break
            if len(history) >= 12:
                say("  the fleet's own effect did not settle in 12 iterations; keeping the last")
                break
            factor = _next_factor(history, target)
            say(
                f"  fleet effect: {mining_mw:,.0f} MW of mining ({fleet:,.1f} EH/s)"
                f" -> hashprice x {factor:.4f}"
            )
            optimum = solver.solve(
                f"siting, fleet iteration {len(history) + 1}", mining_factor=factor
            )
        say("running the same sites under the posted tariff ...")
        value_now = compute.value * xr.DataArray(
            np.where(compute.sites["kind"] == "mining", factor, 1.0),
            coords={"site": list(compute.sites.index)},
            dims="site",
        )
        site_tariff = tariff_usd[compute.sites["region"]].to_numpy()
        allowed = value_now.transpose("time", "site").values >= site_tariff
        tariff_value = xr.DataArray(site_tariff, coords=value_now.coords, dims=("time", "site"))
        under_tariff = solver.solve(
            "tariff lens", fixed_mw=optimum.build, value=tariff_value, allowed=allowed
        )
        lenses = {
            "marginal_cost": Lens("marginal_cost", optimum, optimum.price, value_now.to_pandas()),
            "tariff": Lens("tariff", under_tariff, tariff_usd, value_now.to_pandas()),
        }
        sensitivity = None
        if options.sensitivity != "off":
            from gridsurplus.sensitivity import run_sensitivity

            say(f"sensitivity cases (sites {options.sensitivity}) ...")
            sensitivity = run_sensitivity(
                solver,
                ds,
                inp,
                values,
                profiles["temperature_c"],
                optimum,
                base,
                under_tariff,
                factor,
                tariff,
                options,
                say,
            )
    finally:
        solver.close()
    seconds["build"] = solver.build_seconds
    seconds["solve"] = solver.solve_seconds
    seconds["total_solving"] = time.perf_counter() - t0
    return PlanRun(
        ds=ds,
        options=options,
        inputs=inp,
        values=values,
        base=base,
        optimum=optimum,
        lenses=lenses,
        fleet_factor=factor,
        fleet_iterations=history,
        tariff_usd_per_mwh=tariff_usd,
        seconds=seconds,
        method_info={
            "method": options.method,
            "workers": options.workers,
            "solves": solver.info,
            "tariff": getattr(tariff, "name", ""),
            "tariff_unit": getattr(tariff, "unit", ""),
        },
        sensitivity=sensitivity,
        profiles=profiles,
    )


def _next_factor(history: list[dict[str, float]], target: float) -> float:
    """Next hashprice multiplier: the fixed point N/(N+F), damped once it oscillates."""
    if len(history) >= 3:
        a, b = history[-2]["fleet_factor"], history[-1]["fleet_factor"]
        return 0.5 * (target + 0.5 * (a + b))
    return target
