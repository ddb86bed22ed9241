"""How robust the plan is: re-solve it with one input at a low and a high value.

Each case changes one input and re-solves, reusing the month models already built (only
their values change, and each month restarts from its last basis):

- ``btc_price``: BTC price [USD/BTC], all years;
- ``difficulty_growth``: network hashrate growth [fraction/yr], all years;
- ``tariff``: the posted tariff, scaled [share of the plan's];
- ``demand_growth``: demand in every hour and region, scaled by ``1 + g``;
- ``exchange_rate``: PKR per USD; fuel costs (in PKR) and the tariff move in USD.

With ``sites="fixed"`` (default) the plan's sites are kept and only their operation is
re-solved under the posted tariff; with ``"free"`` the siting is solved again first. The table
holds the results under the posted tariff (the lens a buyer and the grid would sign for).
Cases are solved to a relative gap of :data:`CASE_TOLERANCE`, ample for a tornado chart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.dataset import Dataset
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import Solution

if TYPE_CHECKING:
    from gridsurplus.planning import PlanOptions, _Solver

DEFAULT_RANGES: dict[str, tuple[float, float]] = {
    "btc_price": (0.7, 1.3),
    "difficulty_growth": (0.0, 0.30),
    "tariff": (20.0 / 23.0, 26.0 / 23.0),
    "demand_growth": (-0.05, 0.05),
    "exchange_rate": (250.0, 320.0),
}
"""Low and high value of each parameter: ``btc_price`` and ``tariff`` as shares of the plan's
value, ``difficulty_growth`` in fraction per year, ``demand_growth`` as a fraction,
``exchange_rate`` in PKR per USD."""

CASE_TOLERANCE = 1e-4
"""Relative gap at which a sensitivity case's decomposition stops."""

UNITS = {
    "btc_price": "USD/BTC",
    "difficulty_growth": "fraction/yr",
    "tariff": "USD/MWh (mean)",
    "demand_growth": "fraction",
    "exchange_rate": "PKR/USD",
}


def run_sensitivity(
    solver: _Solver,
    ds: Dataset,
    inp: ModelInputs,
    values: xr.Dataset,
    temperature: xr.DataArray,
    optimum: Solution,
    base: Solution,
    under_tariff: Solution,
    factor: float,
    tariff: Any,
    options: PlanOptions,
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
    from gridsurplus.economics.markets import Markets
    from gridsurplus.economics.values import compute_values
    from gridsurplus.planning import _by_site, tariff_frame

    ranges = dict(DEFAULT_RANGES)
    ranges.update(options.sensitivity_ranges or {})
    unknown = sorted(set(ranges) - set(DEFAULT_RANGES))
    if unknown:
        from gridsurplus.planning import PlanError

        raise PlanError(
            f"unknown sensitivity parameters {unknown}: choose from {sorted(DEFAULT_RANGES)}"
        )
    c = inp.compute
    assert c is not None
    markets = Markets.from_dataset(ds, options.markets)
    start = markets.plan_start_year()
    btc0 = markets.level("btc_price_usd", start)
    fx0 = ds.exchange_rate
    tariff0 = tariff_frame(tariff, inp, fx0)
    demand0 = inp.demand
    cost0 = inp.gens["cost_usd_per_mwh"].to_numpy(float)

    def case_values(overrides: dict[str, Any] | None) -> xr.DataArray:
        merged = dict(options.markets or {})
        merged.update(overrides or {})
        vals = compute_values(ds, temperature, markets=merged)
        return _by_site(vals["value_usd_per_mwh"], c.sites) * _mining_scale(c, factor)

    base_value = case_values(None)
    assert optimum.build is not None
    built = optimum.build.reindex(c.sites.index)
    mining_built = bool((built[c.sites["kind"] == "mining"] > 1e-6).any())
    base_unserved = float(base.unserved.to_numpy().sum())
    rows: list[dict[str, Any]] = []
    base_row = _evaluate(
        solver,
        "base",
        inp,
        optimum,
        base_value,
        tariff0,
        demand0,
        cost0,
        options,
        ds,
        btc_per_mwh=_btc_per_mwh(ds, options.markets, values, c, factor),
        base=base,
        solved=under_tariff,
    )
    rows.append({"parameter": "plan", "case": "base", "value": np.nan, "unit": "", **base_row})
    for parameter, (low, high) in ranges.items():
        for case, x in (("low", low), ("high", high)):
            value, t_frame, demand, cost, overrides, shown = (
                base_value,
                tariff0,
                demand0,
                cost0,
                None,
                x,
            )
            needs_base = False
            if parameter == "btc_price":
                shown = x * btc0
                overrides = {"btc_price_usd": shown}
            elif parameter == "difficulty_growth":
                overrides = {"network_hashrate_growth": x}
            elif parameter == "tariff":
                t_frame = tariff0 * x
                shown = float(t_frame.to_numpy().mean())
            elif parameter == "demand_growth":
                demand = demand0 * (1.0 + x)
                needs_base = True
            elif parameter == "exchange_rate":
                cost = cost0 * fx0 / x
                t_frame = tariff0 * fx0 / x
                needs_base = True
            if overrides is not None:
                value = case_values(overrides)
            label = f"{parameter} {case}"
            if overrides is not None and not mining_built and options.sensitivity == "fixed":
                # only mining values changed and no mining is built: the base case's result holds
                rows.append(
                    {
                        **rows[0],
                        "parameter": parameter,
                        "case": case,
                        "value": shown,
                        "unit": UNITS[parameter],
                    }
                )
                continue
            case_base = base
            if parameter == "exchange_rate" and base_unserved <= 1e-6:
                # every fuel cost scales alike and nothing is unserved: the base dispatch stands,
                # its fuel cost scaled (the case's own fuel is costed at the case's prices below)
                needs_base = False
            if needs_base:
                case_base = solver.solve(
                    f"{label}: base",
                    fixed_mw=pd.Series(0.0, index=c.sites.index),
                    demand=demand,
                    gen_cost=cost,
                    tol=CASE_TOLERANCE,
                )
            result = _evaluate(
                solver,
                label,
                inp,
                optimum,
                value,
                t_frame,
                demand,
                cost,
                options,
                ds,
                btc_per_mwh=_btc_per_mwh(
                    ds, {**(options.markets or {}), **(overrides or {})}, values, c, factor
                ),
                base=case_base,
            )
            if parameter == "exchange_rate":
                result["capacity_payments_usd"] = result["capacity_payments_usd"] * fx0 / x
            rows.append(
                {
                    "parameter": parameter,
                    "case": case,
                    "value": shown,
                    "unit": UNITS[parameter],
                    **result,
                }
            )
    say(f"  {len(rows) - 1} sensitivity cases solved")
    return pd.DataFrame(rows)


def _mining_scale(c: Any, factor: float) -> xr.DataArray:
    return xr.DataArray(
        np.where(c.sites["kind"] == "mining", factor, 1.0),
        coords={"site": list(c.sites.index)},
        dims="site",
    )


def _btc_per_mwh(
    ds: Dataset, markets: dict[str, Any] | None, values: xr.Dataset, c: Any, factor: float
) -> pd.Series:
    from gridsurplus.economics.markets import Markets, hashprice_in_year

    m = Markets.from_dataset(ds, markets)
    year = hashprice_in_year(m, m.plan_start_year())
    out = {}
    for site, row in c.sites.iterrows():
        if row["kind"] != "mining":
            out[site] = 0.0
            continue
        eff = float(values["efficiency_j_per_th"].sel(tech=row["tech"]))
        overhead = float(values["design_overhead"].sel(tech=row["tech"]))
        out[site] = (
            1000.0
            / (24.0 * overhead * eff)
            * year["btc_per_ph_day"]
            * (1 - year["pool_fee"])
            * factor
        )
    return pd.Series(out)


def _evaluate(
    solver: _Solver,
    label: str,
    inp: ModelInputs,
    optimum: Solution,
    value: xr.DataArray,
    tariff_usd: pd.DataFrame,
    demand: xr.DataArray,
    cost: np.ndarray,
    options: PlanOptions,
    ds: Dataset,
    *,
    btc_per_mwh: pd.Series,
    base: Solution,
    solved: Solution | None = None,
) -> dict[str, Any]:
    """Solve one case under the posted tariff (unless ``solved`` already is) and summarise it."""
    c = inp.compute
    assert c is not None
    builds = optimum.build
    if options.sensitivity == "free" and solved is None:
        sited = solver.solve(
            f"{label}: siting", value=value, demand=demand, gen_cost=cost, tol=CASE_TOLERANCE
        )
        builds = sited.build
    site_tariff = tariff_usd[c.sites["region"]].to_numpy()
    sol = solved
    if sol is None:
        allowed = value.transpose("time", "site").values >= site_tariff
        tariff_value = xr.DataArray(
            site_tariff,
            coords={"time": inp.snapshots, "site": list(c.sites.index)},
            dims=("time", "site"),
        )
        sol = solver.solve(
            label,
            fixed_mw=builds,
            value=tariff_value,
            allowed=allowed,
            demand=demand,
            gen_cost=cost,
            tol=CASE_TOLERANCE,
        )
    assert sol.consume is not None and builds is not None
    gens_cost = pd.Series(cost, index=inp.gens.index)
    fuel = float((sol.generation.sum() * gens_cost).sum())
    base_fuel = float((base.generation.sum() * gens_cost).sum())
    revenue = float((sol.consume * site_tariff).to_numpy().sum())
    energy = float(sol.consume.to_numpy().sum())
    earned = float((value.transpose("time", "site").to_pandas() * sol.consume).to_numpy().sum())
    annuity = float((c.sites["annuity_usd_per_mw_year"] * builds.reindex(c.sites.index)).sum())
    kinds = builds.groupby(c.sites["kind"]).sum()
    from gridsurplus.pnl import capacity_payments_usd_of

    return {
        "sites": int((builds > 1e-6).sum()),
        "sited_mw": float(builds.sum()),
        "mining_mw": float(kinds.get("mining", 0.0)),
        "ai_mw": float(kinds.get("ai", 0.0)),
        "compute_energy_gwh": energy / 1000.0,
        "grid_revenue_usd": revenue,
        "capacity_payment_recovered_usd": revenue - (fuel - base_fuel),
        "capacity_payments_usd": capacity_payments_usd_of(ds),
        "btc_mined_per_year": float((sol.consume.sum() * btc_per_mwh.reindex(c.sites.index)).sum()),
        "operators_profit_usd": earned - revenue - annuity,
        # what the country gains from compute: its value, less the extra fuel and the capital
        "welfare_gain_usd": earned - (fuel - base_fuel) - annuity,
        "objective_usd": float(sol.objective_usd),
    }
