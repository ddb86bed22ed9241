"""How robust the plan is: re-solve it with one input at a low and a high value.

Each case changes one input and re-solves, reusing the month models already built (only
their values change, and each month restarts from its last basis). The cases are a registry:
one small function per parameter (:func:`case`), so a new parameter is one function.

- ``btc_price``: BTC price [USD/BTC], all years;
- ``difficulty_growth``: network hashrate growth [fraction/yr], all years;
- ``tariff``: the posted tariff, scaled [share of the plan's];
- ``demand_growth``: demand in every hour and region, scaled by ``1 + g``;
- ``exchange_rate``: local currency per USD; fuel costs (in local currency) and the tariff
  move in USD.

With ``sites="fixed"`` (default) the plan's sites are kept and only their operation is
re-solved under the posted tariff; with ``"free"`` the siting is solved again first. The table
holds the results under the posted tariff (the lens a buyer and the grid would sign for).
Cases are solved to a relative gap of :data:`CASE_TOLERANCE`, ample for a tornado chart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.dataset import Dataset
from gridsurplus.economics.account import runs
from gridsurplus.economics.markets import Markets
from gridsurplus.economics.values import compute_values
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import Solution
from gridsurplus.planning.pnl import btc_per_mwh_by_site, capacity_payments_usd, case_account
from gridsurplus.planning.sites import by_site, mining_scale, site_tariff, tariff_frame
from gridsurplus.planning.solver import Solver
from gridsurplus.planning.types import PlanError, PlanOptions

CASE_TOLERANCE = 1e-4
"""Relative gap at which a sensitivity case's decomposition stops."""


@dataclass(frozen=True)
class SensitivityInputs:
    """What the plan was solved with, which every case starts from."""

    ds: Dataset
    inputs: ModelInputs
    values: xr.Dataset
    temperature: xr.DataArray
    tariff: Any
    options: PlanOptions
    fleet_factor: float


@dataclass
class Baseline:
    """The plan's own values, from which each case departs."""

    btc_price_usd: float
    exchange_rate: float
    tariff_usd: pd.DataFrame
    demand: xr.DataArray
    gen_cost: np.ndarray


@dataclass
class Change:
    """What one case changes (None or empty: as in the plan).

    Attributes
    ----------
    shown : float
        The parameter's value as the table shows it, in the parameter's unit.
    markets : dict
        Market overrides: the compute values are recomputed with them.
    tariff_usd : pandas.DataFrame or None
        The posted tariff ``[time x region]`` [USD/MWh].
    demand : xarray.DataArray or None
        Demand [MW].
    gen_cost : numpy.ndarray or None
        Variable cost per generator [USD/MWh].
    needs_base : bool
        Whether the base dispatch (nothing built) must be solved again for this case.
    base_stands_if_all_served : bool
        Every fuel cost scales alike: if the base dispatch serves all demand it stands (its
        fuel is costed at the case's prices) and is not solved again.
    capacity_payments_scale : float
        Factor on the year's capacity payments in USD (they are fixed in local currency).
    """

    shown: float
    markets: dict[str, Any] = field(default_factory=dict)
    tariff_usd: pd.DataFrame | None = None
    demand: xr.DataArray | None = None
    gen_cost: np.ndarray | None = None
    needs_base: bool = False
    base_stands_if_all_served: bool = False
    capacity_payments_scale: float = 1.0


@dataclass(frozen=True)
class Case:
    """A sensitivity parameter: its unit, default low and high values and what it changes."""

    unit: str
    low: float
    high: float
    change: Callable[[Baseline, float], Change]


CASES: dict[str, Case] = {}
"""The registry of parameters, in the order the table lists them."""


def case(
    name: str, unit: str, low: float, high: float
) -> Callable[[Callable[[Baseline, float], Change]], Callable[[Baseline, float], Change]]:
    """Register ``change(baseline, x) -> Change`` as the sensitivity parameter ``name``."""

    def register(
        change: Callable[[Baseline, float], Change],
    ) -> Callable[[Baseline, float], Change]:
        CASES[name] = Case(unit=unit, low=low, high=high, change=change)
        return change

    return register


@case("btc_price", "USD/BTC", 0.7, 1.3)
def btc_price(b: Baseline, x: float) -> Change:
    """BTC price, as a share of the plan's, in every year."""
    shown = x * b.btc_price_usd
    return Change(shown=shown, markets={"btc_price_usd": shown})


@case("difficulty_growth", "fraction/yr", 0.0, 0.30)
def difficulty_growth(b: Baseline, x: float) -> Change:
    """Network hashrate growth [fraction/yr], in every year."""
    return Change(shown=x, markets={"network_hashrate_growth": x})


@case("tariff", "USD/MWh (mean)", 20.0 / 23.0, 26.0 / 23.0)
def tariff(b: Baseline, x: float) -> Change:
    """The posted tariff, as a share of the plan's."""
    t_frame = b.tariff_usd * x
    return Change(shown=float(t_frame.to_numpy().mean()), tariff_usd=t_frame)


@case("demand_growth", "fraction", -0.05, 0.05)
def demand_growth(b: Baseline, x: float) -> Change:
    """Demand in every hour and region, scaled by ``1 + x``."""
    return Change(shown=x, demand=b.demand * (1.0 + x), needs_base=True)


@case("exchange_rate", "{currency}/USD", 250.0, 320.0)
def exchange_rate(b: Baseline, x: float) -> Change:
    """Local currency per USD: fuel costs, the tariff and capacity payments move in USD."""
    return Change(
        shown=x,
        gen_cost=b.gen_cost * b.exchange_rate / x,
        tariff_usd=b.tariff_usd * b.exchange_rate / x,
        needs_base=True,
        base_stands_if_all_served=True,
        capacity_payments_scale=b.exchange_rate / x,
    )


DEFAULT_RANGES: dict[str, tuple[float, float]] = {n: (c.low, c.high) for n, c in CASES.items()}
"""Low and high value of each parameter: ``btc_price`` and ``tariff`` as shares of the plan's
value, ``difficulty_growth`` in fraction per year, ``demand_growth`` as a fraction,
``exchange_rate`` in local currency per USD."""
UNITS = {n: c.unit for n, c in CASES.items()}
"""Unit of each parameter (``{currency}``: the dataset's)."""


class CaseRunner:
    """Solve one case after another on the plan's solver, under the posted tariff."""

    def __init__(
        self,
        solver: Solver,
        inputs: SensitivityInputs,
        optimum: Solution,
        base: Solution,
    ):
        self.solver = solver
        self.si = inputs
        self.optimum = optimum
        self.base = base
        c = inputs.inputs.compute
        assert c is not None and optimum.build is not None
        self.sites = c.sites
        markets = Markets.from_dataset(inputs.ds, inputs.options.markets)
        inp = inputs.inputs
        self.baseline = Baseline(
            btc_price_usd=markets.level("btc_price_usd", markets.plan_start_year()),
            exchange_rate=inputs.ds.exchange_rate,
            tariff_usd=tariff_frame(inputs.tariff, inp, inputs.ds.exchange_rate),
            demand=inp.demand,
            gen_cost=inp.gens["cost_usd_per_mwh"].to_numpy(float),
        )
        built = optimum.build.reindex(c.sites.index)
        self.mining_built = bool((built[c.sites["kind"] == "mining"] > 1e-6).any())
        self.base_unserved = float(base.unserved.to_numpy().sum())
        self.base_value = self.site_values({})

    def markets(self, overrides: dict[str, Any]) -> dict[str, Any]:
        """The plan's market overrides with a case's on top."""
        return {**(self.si.options.markets or {}), **overrides}

    def site_values(self, overrides: dict[str, Any]) -> xr.DataArray:
        """Compute values per site ``[time x site]`` with market overrides, fleet effect applied."""
        vals = compute_values(self.si.ds, self.si.temperature, markets=self.markets(overrides))
        return by_site(vals["value_usd_per_mwh"], self.sites) * mining_scale(
            self.sites, self.si.fleet_factor
        )

    def evaluate(
        self,
        label: str,
        change: Change,
        base: Solution,
        solved: Solution | None = None,
    ) -> dict[str, Any]:
        """Solve a case under the posted tariff (unless ``solved`` already is) and summarise it."""
        b = self.baseline
        value = self.site_values(change.markets) if change.markets else self.base_value
        tariff_usd = b.tariff_usd if change.tariff_usd is None else change.tariff_usd
        demand = b.demand if change.demand is None else change.demand
        cost = b.gen_cost if change.gen_cost is None else change.gen_cost
        builds = self.optimum.build
        if self.si.options.sensitivity == "free" and solved is None:
            sited = self.solver.solve(
                f"{label}: siting", value=value, demand=demand, gen_cost=cost, tol=CASE_TOLERANCE
            )
            builds = sited.build
        paid = site_tariff(tariff_usd, self.sites)
        sol = solved
        if sol is None:
            sol = self.solver.solve(
                label,
                fixed_mw=builds,
                value=xr.DataArray(
                    paid,
                    coords={"time": self.si.inputs.snapshots, "site": list(self.sites.index)},
                    dims=("time", "site"),
                ),
                allowed=runs(value.transpose("time", "site").values, paid),
                demand=demand,
                gen_cost=cost,
                tol=CASE_TOLERANCE,
            )
        assert builds is not None
        return case_account(
            self.si.inputs,
            sol,
            builds,
            value=value,
            paid=paid,
            gen_cost=cost,
            base=base,
            btc_per_mwh=btc_per_mwh_by_site(
                self.si.ds,
                self.markets(change.markets),
                self.si.values,
                self.sites,
                self.si.fleet_factor,
            ),
            capacity_payments_usd=capacity_payments_usd(self.si.ds),
        )

    def case_base(self, label: str, change: Change) -> Solution:
        """The base dispatch (nothing built) of a case, solved again only when it must be."""
        stands = change.base_stands_if_all_served and self.base_unserved <= 1e-6
        if not change.needs_base or stands:
            return self.base
        b = self.baseline
        return self.solver.solve(
            f"{label}: base",
            fixed_mw=pd.Series(0.0, index=self.sites.index),
            demand=b.demand if change.demand is None else change.demand,
            gen_cost=b.gen_cost if change.gen_cost is None else change.gen_cost,
            tol=CASE_TOLERANCE,
        )


def run_sensitivity(
    solver: Solver,
    inputs: SensitivityInputs,
    *,
    optimum: Solution,
    base: Solution,
    under_tariff: Solution,
    say: Callable[[str], None],
) -> pd.DataFrame:
    """Re-solve the plan for every case and tabulate its key results.

    Returns
    -------
    pandas.DataFrame
        One row per parameter and case (``base``, ``low``, ``high``): the input's value and
        the sites, MW, compute energy, grid revenue, capacity payments recovered, BTC mined,
        operators' profit and the national welfare gain (value of compute less extra fuel and
        capital) under the posted tariff; ``objective_usd`` is that case's LP objective.
    """
    ranges = dict(DEFAULT_RANGES)
    ranges.update(inputs.options.sensitivity_ranges or {})
    unknown = sorted(set(ranges) - set(CASES))
    if unknown:
        raise PlanError(f"unknown sensitivity parameters {unknown}: choose from {sorted(CASES)}")
    runner = CaseRunner(solver, inputs, optimum, base)
    plan_row = runner.evaluate("base", Change(shown=np.nan), base, solved=under_tariff)
    rows: list[dict[str, Any]] = [
        {"parameter": "plan", "case": "base", "value": np.nan, "unit": "", **plan_row}
    ]
    for parameter, (low, high) in ranges.items():
        for label_case, x in (("low", low), ("high", high)):
            change = CASES[parameter].change(runner.baseline, x)
            head = {
                "parameter": parameter,
                "case": label_case,
                "value": change.shown,
                "unit": UNITS[parameter].format(currency=inputs.ds.currency),
            }
            if (
                only_mining_values(change)
                and not runner.mining_built
                and (inputs.options.sensitivity == "fixed")
            ):
                # only mining values changed and no mining is built: the plan's result holds
                rows.append({**rows[0], **head})
                continue
            label = f"{parameter} {label_case}"
            result = runner.evaluate(label, change, runner.case_base(label, change))
            result["capacity_payments_usd"] *= change.capacity_payments_scale
            rows.append({**head, **result})
    say(f"  {len(rows) - 1} sensitivity cases solved")
    return pd.DataFrame(rows)


def only_mining_values(change: Change) -> bool:
    """Whether a case changes market inputs only (which move mining values alone)."""
    return (
        bool(change.markets)
        and change.tariff_usd is None
        and change.demand is None
        and (change.gen_cost is None)
    )
