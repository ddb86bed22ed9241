"""Turn a solved plan into the tables and headline figures of :class:`~gridsurplus.results.Plan`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.calendar import season_of
from gridsurplus.planning.assumptions import assumptions_table
from gridsurplus.planning.demand_first import base_shedding, held_back_sites
from gridsurplus.planning.forex import forex_tables
from gridsurplus.planning.pnl import (
    breakeven_btc_price,
    btc_price_usd,
    capacity_payments_usd,
    grid_pnl,
    nation_pnl,
    operators_pnl,
)
from gridsurplus.planning.types import PlanRun
from gridsurplus.results import LensFigures, Plan
from gridsurplus.surplus.curves import COST_LADDER_USD_PER_MWH, supply_curve
from gridsurplus.surplus.dispatch import net_import_mw
from gridsurplus.surplus.spare import spare_capacity


def sites_table(run: PlanRun) -> pd.DataFrame:
    """One row per candidate site: MW built, energy, hours run and curtailed, under both lenses."""
    c = run.inputs.compute
    assert c is not None
    opt = run.lenses["marginal_cost"].solution
    tar = run.lenses["tariff"].solution
    assert opt.build is not None and opt.consume is not None and tar.consume is not None
    techs = run.ds.tables.get("compute_techs")
    labels = (
        techs.set_index("tech")["label"]
        if techs is not None and "label" in techs
        else pd.Series(dtype=str)
    )
    rows = []
    for site, row in c.sites.iterrows():
        mw = float(opt.build[site])
        avail = c.availability.sel(site=site).to_pandas()
        rows.append(
            {
                "site": site,
                "region": row["region"],
                "tech": row["tech"],
                "kind": row["kind"],
                "label": str(labels.get(row["tech"], row["tech"])),
                "mw": mw,
                **_running(opt.consume[site], avail, mw, ""),
                **_running(tar.consume[site], avail, mw, "_tariff"),
            }
        )
    return pd.DataFrame(rows)


def _running(consume: pd.Series, avail: pd.Series, mw: float, suffix: str) -> dict[str, float]:
    energy = float(consume.sum())
    if mw <= 1e-6:
        return {
            f"energy_gwh{suffix}": 0.0,
            f"hours_run{suffix}": 0,
            f"hours_curtailed{suffix}": 0,
            f"capacity_factor{suffix}": 0.0,
        }
    running = consume > 1e-3 * mw
    full = consume >= avail * mw * (1 - 1e-6) - 1e-6
    return {
        f"energy_gwh{suffix}": energy / 1000.0,
        f"hours_run{suffix}": int(running.sum()),
        f"hours_curtailed{suffix}": int((~full).sum()),
        f"capacity_factor{suffix}": energy / (mw * len(consume)),
    }


def dispatch_table(run: PlanRun) -> pd.DataFrame:
    """National hourly dispatch of the plan (marginal-cost lens).

    Demand, generation by mix group, compute by kind and unserved demand [MW].
    """
    inp = run.inputs
    sol = run.lenses["marginal_cost"].solution
    gen = sol.generation.T.groupby(inp.gens["mix_group"]).sum().T.add_prefix("gen_")
    c = inp.compute
    assert c is not None and sol.consume is not None
    out = pd.DataFrame(
        {
            "time": inp.snapshots,
            "demand_mw": inp.demand.sum("region").to_numpy(),
            "unserved_mw": sol.unserved.sum(axis=1).to_numpy(),
            "mining_mw": sol.consume.loc[:, c.sites["kind"] == "mining"].sum(axis=1).to_numpy(),
            "ai_mw": sol.consume.loc[:, c.sites["kind"] == "ai"].sum(axis=1).to_numpy(),
            "mining_mw_tariff": _kind_sum(run, "tariff", "mining"),
            "ai_mw_tariff": _kind_sum(run, "tariff", "ai"),
        }
    )
    return pd.concat([out, gen.reset_index(drop=True).round(3)], axis=1)


def _kind_sum(run: PlanRun, lens: str, kind: str) -> np.ndarray:
    c = run.inputs.compute
    sol = run.lenses[lens].solution
    assert c is not None and sol.consume is not None
    return sol.consume.loc[:, c.sites["kind"] == kind].sum(axis=1).to_numpy()


def dispatch_region_table(run: PlanRun) -> pd.DataFrame:
    """Hourly dispatch per region (tidy: one row per hour and region)."""
    inp = run.inputs
    sol = run.lenses["marginal_cost"].solution
    c = inp.compute
    assert c is not None and sol.consume is not None
    gen = (
        sol.generation.T.groupby(inp.gens["region"])
        .sum()
        .T.reindex(columns=inp.regions, fill_value=0.0)
    )
    net = net_import_mw(inp.links, inp.regions, sol.flow)

    consume = sol.consume

    def by_region(kind: str) -> pd.DataFrame:
        cols = c.sites.index[c.sites["kind"] == kind]
        return (
            consume[cols]
            .T.groupby(c.sites.loc[cols, "region"])
            .sum()
            .T.reindex(columns=inp.regions, fill_value=0.0)
        )

    frames = {
        "demand_mw": inp.demand.transpose("time", "region").to_pandas(),
        "generation_mw": gen,
        "mining_mw": by_region("mining"),
        "ai_mw": by_region("ai"),
        "net_import_mw": net,
        "unserved_mw": sol.unserved.reindex(columns=inp.regions),
        "base_unserved_mw": run.base.unserved.reindex(columns=inp.regions),
        "price_usd_per_mwh": sol.price,
        "base_price_usd_per_mwh": run.base.price,
    }
    long = pd.concat({k: v.stack() for k, v in frames.items()}, axis=1).round(3)
    long.index.names = ["time", "region"]
    return long.reset_index()


def links_table(run: PlanRun) -> pd.DataFrame:
    """Each link's ratings and how much the plan uses it."""
    inp = run.inputs
    flow = run.lenses["marginal_cost"].solution.flow
    rows = []
    for link, row in inp.links.iterrows():
        f = flow[link]
        use = np.where(
            f >= 0, f / max(row["capacity_mw"], 1e-9), -f / max(row["capacity_reverse_mw"], 1e-9)
        )
        rows.append(
            {
                "link": link,
                "from_region": row["from_region"],
                "to_region": row["to_region"],
                "capacity_mw": float(row["capacity_mw"]),
                "capacity_reverse_mw": float(row["capacity_reverse_mw"]),
                "mean_flow_mw": float(f.mean()),
                "mean_use_share": float(np.mean(use)),
                "hours_congested": int((use >= 1 - 1e-6).sum()),
            }
        )
    return pd.DataFrame(rows)


def surplus_tables(run: PlanRun, price_usd: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Spare capacity of the base year at the tariff's price, and the supply curve."""
    base_inp = run.inputs.with_compute(None)
    ladder = sorted({*COST_LADDER_USD_PER_MWH, price_usd})
    by_cost = spare_capacity(base_inp, run.base, ladder)
    spare = by_cost[price_usd].round(1)
    spare.insert(0, "time", spare.index)
    return spare.reset_index(drop=True), supply_curve(by_cost).round(3)


def regions_table(run: PlanRun, spare: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Regions with their spare capacity (winter and summer means) and MW sited, for the map."""
    regions = run.ds.regions
    season = season_of(pd.DatetimeIndex(spare["time"]))
    sited = sites.groupby("region")["mw"].sum()
    by_kind = sites.pivot_table(
        index="region", columns="kind", values="mw", aggfunc="sum", fill_value=0.0
    )
    rows = []
    for region, row in regions.iterrows():
        rows.append(
            {
                "region": region,
                "name": row["name"],
                "lat": row["lat"],
                "lon": row["lon"],
                "spare_winter_mw": float(spare.loc[np.asarray(season == "winter"), region].mean()),
                "spare_summer_mw": float(spare.loc[np.asarray(season == "summer"), region].mean()),
                "sited_mw": float(sited.get(region, 0.0)),
                "mining_mw": float(by_kind.loc[region, "mining"])
                if "mining" in by_kind and region in by_kind.index
                else 0.0,
                "ai_mw": float(by_kind.loc[region, "ai"])
                if "ai" in by_kind and region in by_kind.index
                else 0.0,
                "max_mining_mw": float(row["max_mining_mw"]),
                "max_ai_mw": float(row["max_ai_mw"]),
            }
        )
    return pd.DataFrame(rows)


def make_plan(run: PlanRun, surplus: bool = True) -> Plan:
    """Assemble the :class:`Plan` of a solved run.

    ``surplus=False`` leaves out the base year's spare capacity (the ``spare``,
    ``supply_curve`` and ``regions`` tables), the slowest tables and not needed by a sweep.
    """
    ds = run.ds
    fx = ds.exchange_rate
    grid = grid_pnl(run)
    operators = operators_pnl(run)
    nation, bridge = forex_tables(run, operators, nation_pnl(run))
    sites = sites_table(run)
    price = float(run.tariff_usd_per_mwh.to_numpy().mean())
    spare, curve = surplus_tables(run, price) if surplus else (None, None)
    opt = run.lenses["marginal_cost"].solution
    assert opt.build is not None
    sited: dict[str, dict[str, float]] = {}
    for site, row in run.inputs.compute.sites.iterrows():  # type: ignore[union-attr]
        mw = float(opt.build[site])
        if mw > 1e-6:
            sited.setdefault(row["region"], {})[row["tech"]] = round(mw, 3)

    lenses = {
        name: LensFigures.of_tables(grid, nation, operators, name).to_dict() for name in run.lenses
    }
    seconds = dict(run.seconds)
    headline: dict[str, Any] = {
        "dataset": ds.name,
        "reference_year": ds.reference_label,
        "period": {
            "start": run.inputs.snapshots[0].isoformat(),
            "end": run.inputs.snapshots[-1].isoformat(),
            "hours": len(run.inputs.snapshots),
            "year_share": run.inputs.year_share,
        },
        "currency": ds.currency,
        "exchange_rate": fx,
        "btc_price_usd": btc_price_usd(ds, run.options.markets),
        "method": run.options.method,
        "method_detail": (
            "Benders decomposition by month (exact: stops when the bounds agree to "
            f"{run.options.tol:g} of the objective), months solved warm on "
            f"{run.options.workers} process(es)"
            if run.options.method == "decomposed"
            else "one linear program for all hours"
        ),
        "iterations": len(run.fleet_iterations),
        "fleet_iterations": run.fleet_iterations,
        "fleet_factor": run.fleet_factor,
        "solves": run.method_info["solves"],
        "programme_mw": run.inputs.compute.programme_mw,  # type: ignore[union-attr]
        "tariff": {
            "name": run.method_info.get("tariff"),
            "unit": run.method_info.get("tariff_unit"),
            "mean_usd_per_mwh": price,
        },
        "objective_usd": float(opt.objective_usd),
        "base_objective_usd": float(run.base.objective_usd),
        "welfare_gain_usd": float(run.base.objective_usd - opt.objective_usd),
        "sited_mw": float(opt.build.sum()),
        "sited_mw_by_region_and_tech": sited,
        "sited_mw_by_kind": sites.groupby("kind")["mw"].sum().round(3).to_dict(),
        **lenses["marginal_cost"],
        "headline_lens": "marginal_cost",
        "lenses": lenses,
        "capacity_payments_usd": capacity_payments_usd(run.ds),
        "base_unserved_gwh": float(run.base.unserved.to_numpy().sum()) / 1000.0,
        "base_shedding": base_shedding(run),
        "sites_held_back": held_back_sites(run),
        "build_seconds": seconds.get("build", 0.0),
        "solve_seconds": seconds.get("solve", 0.0),
        "seconds": seconds,
    }
    tables = {
        "sites": sites,
        "dispatch": dispatch_table(run),
        "dispatch_region": dispatch_region_table(run),
        "flows": run.lenses["marginal_cost"].solution.flow.round(3).reset_index(names="time"),
        "prices": opt.price.round(3).reset_index(names="time"),
        "pnl_grid": grid,
        "pnl_operators": operators,
        "pnl_nation": nation,
        "forex_bridge": bridge,
        "breakeven": breakeven_btc_price(run),
        "assumptions": assumptions_table(run),
        "regions": None if spare is None else regions_table(run, spare, sites),
        "links": links_table(run),
        "spare": spare,
        "supply_curve": curve,
    }
    tables = {name: table for name, table in tables.items() if table is not None}
    if run.sensitivity is not None:
        tables["sensitivity"] = run.sensitivity
    return Plan(headline=headline, tables=tables)
