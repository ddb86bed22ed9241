"""The nation's account in foreign exchange under each lens: gross, the bridge, net.

Gross is what compute sells abroad: the BTC mined at the plan's first-year price and the AI
services sold (as :func:`~gridsurplus.planning.pnl.nation_pnl` counts them). The bridge to net
(:func:`gridsurplus.economics.forex.foreign_exchange_bridge`) takes off:

- the imported fuel burned to serve compute: the extra cost of each fuel over the base dispatch
  times its ``import_share`` (``fuels``);
- the imported hardware: ``import_share_it`` and ``import_share_facility`` of each
  technology's capex (``compute_techs``), as annuities at its own cost of capital;
- the profit repatriated: ``foreign_ownership_share`` of the operators' profit.
"""

from __future__ import annotations

import pandas as pd

from gridsurplus.economics.forex import ForexBridge, TechAccount, foreign_exchange_bridge
from gridsurplus.planning.pnl import btc_per_mwh_by_site, btc_price_usd
from gridsurplus.planning.types import PlanRun

LABELS = {
    "foreign_exchange_gross_usd": "gross: BTC and<br>AI services sold",
    "imported_fuel_usd": "imported fuel<br>burned",
    "imported_hardware_usd": "imported hardware<br>(annuity)",
    "profit_repatriated_usd": "profit<br>repatriated",
    "foreign_exchange_net_usd": "net",
}
"""Label of each step of the bridge, in its order."""
SHARES = ("import_share_it", "import_share_facility", "foreign_ownership_share")
"""The ``compute_techs`` columns the bridge reads (0 where a dataset leaves them out)."""


def extra_fuel_cost_by_fuel(run: PlanRun, lens: str) -> pd.Series:
    """Extra cost of each fuel burned under a lens over the base dispatch [USD/yr]."""
    gens = run.inputs.gens
    used = run.lenses[lens].solution.generation.sum() - run.base.generation.sum()
    return (used * gens["cost_usd_per_mwh"]).groupby(gens["fuel"]).sum()


def fuel_import_share(run: PlanRun) -> dict[str, float]:
    """Share of each fuel's cost paid abroad [fraction] (``fuels.import_share``, else 0)."""
    fuels = run.ds.table("fuels").set_index("fuel")
    if "import_share" not in fuels.columns:
        return {}
    return {str(f): float(s) for f, s in fuels["import_share"].fillna(0.0).items()}


def lens_bridge(run: PlanRun, lens: str, operators: pd.DataFrame) -> ForexBridge:
    """The foreign-exchange bridge of one lens.

    Parameters
    ----------
    run : PlanRun
        The solved plan.
    lens : str
        ``marginal_cost`` or ``tariff``.
    operators : pandas.DataFrame
        The plan's ``pnl_operators`` table (profit per site and lens).

    Returns
    -------
    ForexBridge
        Gross, imported fuel, imported hardware, profit repatriated and net [USD/yr].
    """
    c = run.inputs.compute
    assert c is not None
    sol = run.lenses[lens].solution
    assert sol.build is not None and sol.consume is not None
    value = run.lenses[lens].value_usd_per_mwh
    per_btc = btc_per_mwh_by_site(
        run.ds, run.options.markets, run.values, c.sites, run.fleet_factor
    ) * btc_price_usd(run.ds, run.options.markets)
    energy = sol.consume.sum()
    revenue = pd.Series(
        {
            s: float(energy[s] * per_btc[s])
            if kind == "mining"
            else float((value[s] * sol.consume[s]).sum())
            for s, kind in c.sites["kind"].items()
        }
    )
    tech_of = c.sites["tech"]
    ops = operators[operators["lens"] == lens]
    profit = ops.groupby("tech")["profit_usd"].sum()
    mw = sol.build.reindex(c.sites.index).fillna(0.0).groupby(tech_of).sum()
    by_tech = revenue.groupby(tech_of).sum()
    techs = run.ds.table("compute_techs").set_index("tech")
    accounts = []
    for tech in mw.index[mw > 1e-6]:
        t = techs.loc[tech]
        accounts.append(
            TechAccount(
                tech=str(tech),
                mw=float(mw[tech]),
                revenue_usd=float(by_tech[tech]),
                profit_usd=float(profit.get(tech, 0.0)),
                capex_it_usd_per_mw=float(t["capex_it_usd_per_mw"]),
                capex_facility_usd_per_mw=float(t["capex_facility_usd_per_mw"]),
                life_it_years=float(t["life_it_years"]),
                life_facility_years=float(t["life_facility_years"]),
                cost_of_capital=float(run.values["discount_rate"].sel(tech=tech)),
                year_share=run.inputs.year_share,
                **{k: float(t[k]) if k in t.index else 0.0 for k in SHARES},
            )
        )
    mining = set(tech_of[c.sites["kind"] == "mining"])
    return foreign_exchange_bridge(
        accounts,
        mining_techs=mining,
        extra_fuel_cost_usd=extra_fuel_cost_by_fuel(run, lens).to_dict(),
        fuel_import_share=fuel_import_share(run),
    )


def forex_tables(
    run: PlanRun, operators: pd.DataFrame, nation: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The nation's table with gross and net, and the bridge as a table of steps.

    Parameters
    ----------
    run : PlanRun
        The solved plan.
    operators, nation : pandas.DataFrame
        The plan's ``pnl_operators`` and ``pnl_nation`` tables.

    Returns
    -------
    nation : pandas.DataFrame
        ``pnl_nation`` with ``foreign_exchange_gross_usd``, the three outflows and
        ``foreign_exchange_net_usd``, and their ``*_local`` figures.
    bridge : pandas.DataFrame
        ``forex_bridge``: one row per lens and step (``lens``, ``step``, ``term``, ``label``,
        ``usd``, ``local``, ``currency``); the steps of a lens sum from gross to net.
    """
    fx = run.ds.exchange_rate
    rows, steps = [], []
    for lens in nation["lens"]:
        bridge = lens_bridge(run, str(lens), operators)
        d = bridge.to_dict()
        rows.append(
            {
                "foreign_exchange_gross_usd": d["foreign_exchange_gross_usd"],
                "foreign_exchange_gross_local": d["foreign_exchange_gross_usd"] * fx,
                "imported_fuel_usd": d["imported_fuel_usd"],
                "imported_hardware_usd": d["imported_hardware_usd"],
                "profit_repatriated_usd": d["profit_repatriated_usd"],
                "foreign_exchange_net_usd": d["foreign_exchange_net_usd"],
                "foreign_exchange_net_local": d["foreign_exchange_net_usd"] * fx,
            }
        )
        for i, (term, usd) in enumerate(bridge.steps()):
            steps.append(
                {
                    "lens": lens,
                    "step": i,
                    "term": term,
                    "label": LABELS[term],
                    "usd": usd,
                    "local": usd * fx,
                    "currency": run.ds.currency,
                }
            )
    extra = pd.DataFrame(rows, index=nation.index)
    out = pd.concat([nation.drop(columns=["currency"]), extra, nation[["currency"]]], axis=1)
    return out, pd.DataFrame(steps)
