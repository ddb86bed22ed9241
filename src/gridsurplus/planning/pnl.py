"""Who earns what: the grid, the operators and the nation, under each pricing lens.

- The **grid** sells energy to compute at the lens's price (the nodal marginal cost, or the
  posted tariff), pays the extra fuel that energy takes (fuel cost of the plan's dispatch minus
  that of the base dispatch), and keeps the difference as a contribution to the year's fixed
  capacity payments, which are sunk and paid in any case.
- Each **operator** earns the value of its compute (hashprice revenue after pool fee, or GPU
  rental), pays for power and fixed O&M, and recovers its capex (annuity and payback).
- The **nation** gains the BTC mined (at the plan's first year's hashprice) and the AI
  services sold, counted as foreign exchange if sold abroad, from energy that would otherwise
  not have been generated: no demand goes unserved beyond the base dispatch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.dataset import Dataset
from gridsurplus.economics.account import operator_account
from gridsurplus.economics.markets import Markets, hashprice_in_year
from gridsurplus.economics.mining import btc_per_mwh
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import Solution
from gridsurplus.planning.sites import site_tariff
from gridsurplus.planning.types import Lens, PlanRun
from gridsurplus.results import TABLE_COLUMNS


def fuel_cost_usd(sol: Solution, gens: pd.DataFrame) -> float:
    """Fuel (variable) cost of a dispatch [USD]."""
    return float((sol.generation.sum() * gens["cost_usd_per_mwh"]).sum())


def site_prices(lens: Lens, sites: pd.DataFrame) -> pd.DataFrame:
    """What each site pays per MWh, hour by hour ``[time x site]`` [USD/MWh]."""
    price = site_tariff(lens.price_usd_per_mwh, sites)
    return pd.DataFrame(price, index=lens.price_usd_per_mwh.index, columns=sites.index)


def capacity_payments_usd(ds: Dataset) -> float:
    """The fixed capacity payments in ``dataset.yaml`` [USD] (NaN if none)."""
    cp = ds.meta.get("capacity_payments") or {}
    if "amount" not in cp:
        return float("nan")
    amount = float(cp["amount"])
    currency = str(cp.get("currency", ds.currency))
    return amount if currency == "USD" else amount / ds.exchange_rate


def unserved_change_gwh(sol: Solution, base: Solution) -> float:
    """Demand left unserved beyond the base dispatch's [GWh] (0 when demand comes first)."""
    return float(sol.unserved.to_numpy().sum() - base.unserved.to_numpy().sum()) / 1000.0


def grid_pnl(run: PlanRun) -> pd.DataFrame:
    """The grid's account under each lens: energy sold, revenue, extra fuel, contribution.

    Returns
    -------
    pandas.DataFrame
        One row per lens, in USD and in the dataset's currency (``*_local``, named in
        ``currency``).
    """
    gens = run.inputs.gens
    sites = run.inputs.compute.sites  # type: ignore[union-attr]
    base_fuel = fuel_cost_usd(run.base, gens)
    cp = capacity_payments_usd(run.ds)
    fx = run.ds.exchange_rate
    rows = []
    for name, lens in run.lenses.items():
        sol = lens.solution
        consume = (
            sol.consume if sol.consume is not None else pd.DataFrame(index=sol.generation.index)
        )
        energy = float(consume.to_numpy().sum())
        revenue = float((site_prices(lens, sites) * consume).to_numpy().sum())
        fuel = fuel_cost_usd(sol, gens) - base_fuel
        contribution = revenue - fuel
        rows.append(
            {
                "lens": name,
                "energy_sold_gwh": energy / 1000.0,
                "revenue_usd": revenue,
                "revenue_local": revenue * fx,
                "fuel_cost_usd": fuel,
                "fuel_cost_local": fuel * fx,
                "contribution_usd": contribution,
                "contribution_local": contribution * fx,
                "capacity_payments_usd": cp,
                "capacity_payment_share": contribution / cp if cp == cp and cp > 0 else np.nan,
                "average_price_usd_per_mwh": revenue / energy if energy > 0 else np.nan,
                "unserved_change_gwh": unserved_change_gwh(sol, run.base),
                "currency": run.ds.currency,
            }
        )
    return pd.DataFrame(rows)


def operators_pnl(run: PlanRun) -> pd.DataFrame:
    """Each built site's account under each lens (USD and the dataset currency)."""
    c = run.inputs.compute
    assert c is not None
    values = run.values
    fx = run.ds.exchange_rate
    rows = []
    for name, lens in run.lenses.items():
        sol = lens.solution
        assert sol.build is not None and sol.consume is not None
        prices = site_prices(lens, c.sites)
        for site, row in c.sites.iterrows():
            mw = float(sol.build.get(site, 0.0))
            if mw <= 1e-6:
                continue
            tech = row["tech"]
            consume = sol.consume[site]
            account = operator_account(
                revenue_usd=float((lens.value_usd_per_mwh[site] * consume).sum()),
                power_cost_usd=float((prices[site] * consume).sum()),
                mw=mw,
                fixed_om_usd_per_mw_year=float(values["fixed_om_usd_per_mw_year"].sel(tech=tech)),
                annuity_usd_per_mw_year=float(values["annuity_usd_per_mw_year"].sel(tech=tech)),
                capex_usd_per_mw=float(values["capex_usd_per_mw"].sel(tech=tech)),
            )
            rows.append(
                {
                    "site": site,
                    "lens": name,
                    "region": row["region"],
                    "tech": tech,
                    "kind": row["kind"],
                    "mw": mw,
                    "energy_gwh": float(consume.sum()) / 1000.0,
                    "revenue_usd": account.revenue_usd,
                    "power_cost_usd": account.power_cost_usd,
                    "fixed_om_usd": account.fixed_om_usd,
                    "margin_usd": account.margin_usd,
                    "capex_annuity_usd": account.capex_annuity_usd,
                    "profit_usd": account.profit_usd,
                    "capex_usd": account.capex_usd,
                    "payback_years": account.payback_years,
                    "revenue_local": account.revenue_usd * fx,
                    "power_cost_local": account.power_cost_usd * fx,
                    "margin_local": account.margin_usd * fx,
                    "profit_local": account.profit_usd * fx,
                    "currency": run.ds.currency,
                }
            )
    return pd.DataFrame(rows, columns=TABLE_COLUMNS["pnl_operators"])


def btc_price_usd(ds: Dataset, markets: dict[str, Any] | None) -> float:
    """BTC price of the plan's first year [USD/BTC]."""
    m = Markets.from_dataset(ds, markets)
    return m.level("btc_price_usd", m.plan_start_year())


def btc_per_mwh_by_site(
    ds: Dataset,
    markets: dict[str, Any] | None,
    values: xr.Dataset,
    sites: pd.DataFrame,
    fleet_factor: float,
) -> pd.Series:
    """BTC each site earns per MWh of grid energy in the plan's first year [BTC/MWh] (AI: 0).

    :func:`gridsurplus.economics.bitcoin.btc_per_mwh` at the year's hashprice, times the
    fleet's own effect on difficulty.
    """
    m = Markets.from_dataset(ds, markets)
    year = hashprice_in_year(m, m.plan_start_year())
    out = {}
    for site, row in sites.iterrows():
        if row["kind"] != "mining":
            out[site] = 0.0
            continue
        out[site] = (
            btc_per_mwh(
                year["btc_per_ph_day"],
                float(values["efficiency_j_per_th"].sel(tech=row["tech"])),
                float(values["design_overhead"].sel(tech=row["tech"])),
                year["pool_fee"],
            )
            * fleet_factor
        )
    return pd.Series(out)


def nation_pnl(run: PlanRun) -> pd.DataFrame:
    """What the country gains under each lens: BTC mined and AI services sold.

    Foreign exchange, gross and net, is added by :func:`gridsurplus.planning.forex.forex_tables`.
    """
    c = run.inputs.compute
    assert c is not None
    price = btc_price_usd(run.ds, run.options.markets)
    per_mwh = btc_per_mwh_by_site(
        run.ds, run.options.markets, run.values, c.sites, run.fleet_factor
    )
    rows = []
    for name, lens in run.lenses.items():
        sol = lens.solution
        assert sol.consume is not None
        btc = 0.0
        ai_revenue = 0.0
        for site, row in c.sites.iterrows():
            energy = float(sol.consume[site].sum())
            if energy <= 0:
                continue
            if row["kind"] == "mining":
                btc += energy * float(per_mwh[site])
            else:
                ai_revenue += float((lens.value_usd_per_mwh[site] * sol.consume[site]).sum())
        energy_gwh = float(sol.consume.to_numpy().sum()) / 1000.0
        extra_unserved = unserved_change_gwh(sol, run.base)
        rows.append(
            {
                "lens": name,
                "compute_energy_gwh": energy_gwh,
                "btc_mined_per_year": btc,
                "btc_value_usd": btc * price,
                "ai_revenue_usd": ai_revenue,
                "energy_otherwise_unused_gwh": energy_gwh - max(extra_unserved, 0.0),
                "btc_price_usd": price,
                "currency": run.ds.currency,
            }
        )
    return pd.DataFrame(rows)


def breakeven_btc_price(run: PlanRun) -> pd.DataFrame:
    """BTC price at which one more MW of mining at each site just pays for itself.

    At the plan's nodal marginal costs ``p[t]``, a MW running whenever its value beats the
    price earns ``sum_t max(0, v[t] x P / P0 - p[t]) a[t]``; the break-even price ``P`` makes
    that equal to the annuity. Found by bisection (the earnings rise with ``P``).
    """
    c = run.inputs.compute
    assert c is not None
    lens = run.lenses["marginal_cost"]
    prices = site_prices(lens, c.sites)
    p0 = btc_price_usd(run.ds, run.options.markets)
    rows = []
    for site, row in c.sites[c.sites["kind"] == "mining"].iterrows():
        v = lens.value_usd_per_mwh[site].to_numpy()
        a = c.availability.sel(site=site).to_numpy()
        p = prices[site].to_numpy()
        annuity = float(row["annuity_usd_per_mw_year"]) * run.inputs.year_share
        ratio = bisect_breakeven(v, p, a, annuity)
        rows.append(
            {
                "site": site,
                "region": row["region"],
                "tech": row["tech"],
                "breakeven_btc_price_usd": ratio * p0,
                "btc_price_usd": p0,
                "breakeven_ratio": ratio,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "site",
            "region",
            "tech",
            "breakeven_btc_price_usd",
            "btc_price_usd",
            "breakeven_ratio",
        ],
    )


def bisect_breakeven(v: np.ndarray, p: np.ndarray, a: np.ndarray, annuity: float) -> float:
    """Smallest scale ``k`` of the values at which ``sum max(0, k v - p) a`` covers the annuity.

    >>> round(bisect_breakeven(np.array([10.0]), np.array([5.0]), np.array([1.0]), 15.0), 6)
    2.0
    """

    def earnings(scale: float) -> float:
        return float(np.sum(np.clip(v * scale - p, 0.0, None) * a))

    lo, hi = 0.0, 1.0
    while earnings(hi) < annuity and hi < 1e4:
        hi *= 2.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if earnings(mid) < annuity else (lo, mid)
    return hi


def case_account(
    inp: ModelInputs,
    sol: Solution,
    builds: pd.Series,
    *,
    value: xr.DataArray,
    paid: np.ndarray,
    gen_cost: np.ndarray,
    base: Solution,
    btc_per_mwh: pd.Series,
    capacity_payments_usd: float,
) -> dict[str, Any]:
    """A sensitivity case's key results under the posted tariff (one row of the table).

    Parameters
    ----------
    inp : ModelInputs
        The plan's inputs (sites and generators).
    sol : Solution
        The case solved under the posted tariff.
    builds : pandas.Series
        MW built per site in the case.
    value : xarray.DataArray
        What compute earns per MWh ``[time x site]`` [USD/MWh].
    paid : numpy.ndarray
        What each site pays ``[time x site]`` [USD/MWh].
    gen_cost : numpy.ndarray
        Variable cost per generator in the case [USD/MWh].
    base : Solution
        The case's base dispatch (nothing built).
    btc_per_mwh : pandas.Series
        BTC per MWh per site [BTC/MWh].
    capacity_payments_usd : float
        The year's capacity payments [USD].
    """
    c = inp.compute
    assert c is not None and sol.consume is not None
    gens_cost = pd.Series(gen_cost, index=inp.gens.index)
    fuel = float((sol.generation.sum() * gens_cost).sum())
    base_fuel = float((base.generation.sum() * gens_cost).sum())
    revenue = float((sol.consume * paid).to_numpy().sum())
    energy = float(sol.consume.to_numpy().sum())
    earned = float((value.transpose("time", "site").to_pandas() * sol.consume).to_numpy().sum())
    annuity = float((c.sites["annuity_usd_per_mw_year"] * builds.reindex(c.sites.index)).sum())
    kinds = builds.groupby(c.sites["kind"]).sum()
    return {
        "sites": int((builds > 1e-6).sum()),
        "sited_mw": float(builds.sum()),
        "mining_mw": float(kinds.get("mining", 0.0)),
        "ai_mw": float(kinds.get("ai", 0.0)),
        "compute_energy_gwh": energy / 1000.0,
        "grid_revenue_usd": revenue,
        "capacity_payment_recovered_usd": revenue - (fuel - base_fuel),
        "capacity_payments_usd": capacity_payments_usd,
        "btc_mined_per_year": float((sol.consume.sum() * btc_per_mwh.reindex(c.sites.index)).sum()),
        "operators_profit_usd": earned - revenue - annuity,
        # what the country gains from compute: its value, less the extra fuel and the capital
        "welfare_gain_usd": earned - (fuel - base_fuel) - annuity,
        "objective_usd": float(sol.objective_usd),
    }
