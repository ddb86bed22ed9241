"""Who earns what: the grid, the operators and the nation, under each pricing lens.

- The **grid** sells energy to compute at the lens's price (the nodal marginal cost, or the
  posted tariff), pays the extra fuel that energy takes (fuel cost of the plan's dispatch minus
  that of the base dispatch), and keeps the difference as a contribution to the year's fixed
  capacity payments, which are sunk and paid in any case.
- Each **operator** earns the value of its compute (hashprice revenue after pool fee, or GPU
  rental), pays for power and fixed O&M, and recovers its capex (annuity and payback).
- The **nation** gains the BTC mined (at the plan's first year's hashprice) and the AI
  services sold, counted as foreign exchange if sold abroad, from energy that would otherwise
  not have been generated: demand is served exactly as in the base dispatch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from gridsurplus.dataset import Dataset
from gridsurplus.model.solve import Solution
from gridsurplus.results import TABLE_COLUMNS

if TYPE_CHECKING:
    from gridsurplus.planning import Lens, PlanRun


def fuel_cost_usd(sol: Solution, gens: pd.DataFrame) -> float:
    """Fuel (variable) cost of a dispatch [USD]."""
    return float((sol.generation.sum() * gens["cost_usd_per_mwh"]).sum())


def site_prices(lens: Lens, sites: pd.DataFrame) -> pd.DataFrame:
    """What each site pays per MWh, hour by hour ``[time x site]`` [USD/MWh]."""
    price = lens.price_usd_per_mwh[sites["region"]].to_numpy()
    return pd.DataFrame(price, index=lens.price_usd_per_mwh.index, columns=sites.index)


def capacity_payments_usd(run: PlanRun) -> float:
    """The reference year's fixed capacity payments [USD] (NaN if the dataset gives none)."""
    return capacity_payments_usd_of(run.ds)


def capacity_payments_usd_of(ds: Dataset) -> float:
    """The fixed capacity payments in ``dataset.yaml`` [USD] (NaN if none)."""
    cp = ds.meta.get("capacity_payments") or {}
    if "amount" not in cp:
        return float("nan")
    amount = float(cp["amount"])
    currency = str(cp.get("currency", ds.currency))
    return amount if currency == "USD" else amount / ds.exchange_rate


def grid_pnl(run: PlanRun) -> pd.DataFrame:
    """The grid's account under each lens: energy sold, revenue, extra fuel, contribution.

    Returns
    -------
    pandas.DataFrame
        One row per lens, in USD and in the dataset's currency (columns ``*_pkr`` carry the
        dataset currency, named for Pakistan's).
    """
    gens = run.inputs.gens
    sites = run.inputs.compute.sites  # type: ignore[union-attr]
    base_fuel = fuel_cost_usd(run.base, gens)
    cp = capacity_payments_usd(run)
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
                "revenue_pkr": revenue * fx,
                "fuel_cost_usd": fuel,
                "fuel_cost_pkr": fuel * fx,
                "contribution_usd": contribution,
                "contribution_pkr": contribution * fx,
                "capacity_payments_usd": cp,
                "capacity_payment_share": contribution / cp if cp == cp and cp > 0 else np.nan,
                "average_price_usd_per_mwh": revenue / energy if energy > 0 else np.nan,
                "unserved_change_gwh": float(
                    sol.unserved.to_numpy().sum() - run.base.unserved.to_numpy().sum()
                )
                / 1000.0,
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
            energy = float(consume.sum())
            revenue = float((lens.value_usd_per_mwh[site] * consume).sum())
            power = float((prices[site] * consume).sum())
            fixed_om = float(values["fixed_om_usd_per_mw_year"].sel(tech=tech)) * mw
            annuity = float(values["annuity_usd_per_mw_year"].sel(tech=tech)) * mw - fixed_om
            capex = float(values["capex_usd_per_mw"].sel(tech=tech)) * mw
            margin = revenue - power - fixed_om
            rows.append(
                {
                    "site": site,
                    "lens": name,
                    "region": row["region"],
                    "tech": tech,
                    "kind": row["kind"],
                    "mw": mw,
                    "energy_gwh": energy / 1000.0,
                    "revenue_usd": revenue,
                    "power_cost_usd": power,
                    "fixed_om_usd": fixed_om,
                    "margin_usd": margin,
                    "capex_annuity_usd": annuity,
                    "profit_usd": margin - annuity,
                    "capex_usd": capex,
                    "payback_years": capex / margin if margin > 0 else np.nan,
                    "revenue_pkr": revenue * fx,
                    "power_cost_pkr": power * fx,
                    "margin_pkr": margin * fx,
                    "profit_pkr": (margin - annuity) * fx,
                }
            )
    columns = TABLE_COLUMNS["pnl_operators"]
    return pd.DataFrame(rows, columns=columns)


def btc_per_mwh(run: PlanRun, tech: str) -> float:
    """BTC a mining fleet earns per MWh of grid energy in the plan's first year [BTC/MWh].

    ``1 MWh / (overhead x J/TH)`` gives ``1000 / (24 x overhead x J/TH)`` PH-days, times the
    year's BTC per PH-day after the pool fee and the fleet's own effect on difficulty.
    """
    from gridsurplus.economics.markets import Markets, hashprice_in_year

    markets = Markets.from_dataset(run.ds, run.options.markets)
    year = hashprice_in_year(markets, markets.plan_start_year())
    efficiency = float(run.values["efficiency_j_per_th"].sel(tech=tech))
    overhead = float(run.values["design_overhead"].sel(tech=tech))
    ph_days = 1000.0 / (24.0 * overhead * efficiency)
    return ph_days * year["btc_per_ph_day"] * (1.0 - year["pool_fee"]) * run.fleet_factor


def btc_price_usd(run: PlanRun) -> float:
    """BTC price of the plan's first year [USD/BTC]."""
    from gridsurplus.economics.markets import Markets

    markets = Markets.from_dataset(run.ds, run.options.markets)
    return markets.level("btc_price_usd", markets.plan_start_year())


def nation_pnl(run: PlanRun) -> pd.DataFrame:
    """What the country gains under each lens: BTC, AI services, foreign exchange."""
    c = run.inputs.compute
    assert c is not None
    price = btc_price_usd(run)
    fx = run.ds.exchange_rate
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
                btc += energy * btc_per_mwh(run, row["tech"])
            else:
                ai_revenue += float((lens.value_usd_per_mwh[site] * sol.consume[site]).sum())
        energy_gwh = float(sol.consume.to_numpy().sum()) / 1000.0
        extra_unserved = (
            float(sol.unserved.to_numpy().sum() - run.base.unserved.to_numpy().sum()) / 1000.0
        )
        fx_usd = btc * price + ai_revenue
        rows.append(
            {
                "lens": name,
                "compute_energy_gwh": energy_gwh,
                "btc_mined_per_year": btc,
                "btc_value_usd": btc * price,
                "ai_revenue_usd": ai_revenue,
                "foreign_exchange_usd": fx_usd,
                "foreign_exchange_pkr": fx_usd * fx,
                "energy_otherwise_unused_gwh": energy_gwh - max(extra_unserved, 0.0),
                "btc_price_usd": price,
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
    p0 = btc_price_usd(run)
    rows = []
    for site, row in c.sites[c.sites["kind"] == "mining"].iterrows():
        v = lens.value_usd_per_mwh[site].to_numpy()
        a = c.availability.sel(site=site).to_numpy()
        p = prices[site].to_numpy()
        annuity = float(row["annuity_usd_per_mw_year"]) * run.inputs.year_share

        def earnings(
            scale: float, v: np.ndarray = v, p: np.ndarray = p, a: np.ndarray = a
        ) -> float:
            return float(np.sum(np.clip(v * scale - p, 0.0, None) * a))

        lo, hi = 0.0, 1.0
        while earnings(hi) < annuity and hi < 1e4:
            hi *= 2.0
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if earnings(mid) < annuity else (lo, mid)
        rows.append(
            {
                "site": site,
                "region": row["region"],
                "tech": row["tech"],
                "breakeven_btc_price_usd": hi * p0,
                "btc_price_usd": p0,
                "breakeven_ratio": hi,
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
