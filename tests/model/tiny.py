"""Build tiny hand-solvable model inputs directly (no dataset)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.model.inputs import ComputeInputs, ModelInputs


def tiny_inputs(
    demand: dict[str, Sequence[float]],
    gens: list[dict],
    links: list[dict] | None = None,
    reserve: float = 0.0,
    voll: float = 1000.0,
    budget: dict[str, float] | None = None,
    fuel_limits: list[dict] | None = None,
) -> ModelInputs:
    """Inputs over ``len(demand[...])`` hours of one month (2025-01).

    ``gens`` rows: name, region, cost, cap, and optionally p_max_pu (list), p_min (MW),
    fuel, reserve (counts for reserve, default True).
    """
    regions = list(demand)
    n = len(next(iter(demand.values())))
    time = pd.date_range("2025-01-01", periods=n, freq="h", name="time")
    d = xr.DataArray(
        np.array([demand[r] for r in regions], dtype=float).T,
        coords={"time": time, "region": regions},
        dims=("time", "region"),
    )
    names = [g["name"] for g in gens]
    table = pd.DataFrame(
        {
            "region": [g["region"] for g in gens],
            "fuel": [g.get("fuel", g["name"]) for g in gens],
            "mix_group": [g.get("fuel", g["name"]) for g in gens],
            "cost_usd_per_mwh": [float(g["cost"]) for g in gens],
            "capacity_mw": [float(g["cap"]) for g in gens],
            "must_run": False,
            "counts_for_reserve": [bool(g.get("reserve", True)) for g in gens],
            "plants": names,
        },
        index=pd.Index(names, name="gen"),
    )
    pu = np.array([g.get("p_max_pu", [1.0] * n) for g in gens], dtype=float).T
    p_max = xr.DataArray(
        pu * table["capacity_mw"].to_numpy(),
        coords={"time": time, "gen": names},
        dims=("time", "gen"),
    )
    p_min = xr.zeros_like(p_max) + xr.DataArray(
        [float(g.get("p_min", 0.0)) for g in gens], coords={"gen": names}, dims="gen"
    )
    b = np.full((1, len(names)), np.nan)
    for name, value in (budget or {}).items():
        b[0, names.index(name)] = value
    link_rows = links or []
    link_table = pd.DataFrame(
        {
            "from_region": [lk["from"] for lk in link_rows],
            "to_region": [lk["to"] for lk in link_rows],
            "capacity_mw": [float(lk["cap"]) for lk in link_rows],
            "capacity_reverse_mw": [float(lk.get("cap_back", lk["cap"])) for lk in link_rows],
            "loss_fraction": [float(lk.get("loss", 0.0)) for lk in link_rows],
        },
        index=pd.Index([lk["name"] for lk in link_rows], name="link"),
    )
    return ModelInputs(
        snapshots=time,
        month=np.array(["2025-01"] * n),
        demand=d,
        gens=table,
        p_max=p_max,
        p_min=p_min.transpose("time", "gen"),
        budget=xr.DataArray(b, coords={"month": ["2025-01"], "gen": names}, dims=("month", "gen")),
        fuel_limits=pd.DataFrame(
            fuel_limits or [], columns=["fuel", "period", "sense", "energy_mwh"]
        ),
        links=link_table,
        reserve=xr.DataArray(np.full(n, float(reserve)), coords={"time": time}, dims="time"),
        voll_usd_per_mwh=voll,
    )


def tiny_compute(
    inp: ModelInputs,
    sites: list[dict],
    programme_mw: float = 1e9,
    kind_caps: dict[tuple[str, str], float] | None = None,
    fixed_mw: dict[str, float] | None = None,
    reserve_share: float = 0.0,
    ai_market_mw_it: float = float("inf"),
) -> ModelInputs:
    """Add compute sites: rows with name, tech, region, kind, annuity (USD/MW-yr), value (list,
    USD/MWh), availability (list), uptime, max_mw, it_mw_per_mw (MW IT per MW built)."""
    n = len(inp.snapshots)
    names = [s["name"] for s in sites]
    table = pd.DataFrame(
        {
            "tech": [s.get("tech", s["name"]) for s in sites],
            "region": [s["region"] for s in sites],
            "kind": [s["kind"] for s in sites],
            "annuity_usd_per_mw_year": [float(s.get("annuity", 0.0)) for s in sites],
            "uptime": [float(s.get("uptime", 0.0)) for s in sites],
            "max_mw": [float(s.get("max_mw", 1e6)) for s in sites],
            "it_mw_per_mw": [float(s.get("it_mw_per_mw", 1.0)) for s in sites],
        },
        index=pd.Index(names, name="site"),
    )
    value = xr.DataArray(
        np.array([s["value"] for s in sites], dtype=float).T,
        coords={"time": inp.snapshots, "site": names},
        dims=("time", "site"),
    )
    avail = xr.DataArray(
        np.array([s.get("availability", [1.0] * n) for s in sites], dtype=float).T,
        coords={"time": inp.snapshots, "site": names},
        dims=("time", "site"),
    )
    caps = pd.DataFrame(1e9, index=inp.regions, columns=["mining", "ai"])
    for (region, kind), cap in (kind_caps or {}).items():
        caps.loc[region, kind] = cap
    return inp.with_compute(
        ComputeInputs(
            sites=table,
            value=value,
            availability=avail,
            kind_caps=caps,
            programme_mw=programme_mw,
            fixed_mw=None if fixed_mw is None else pd.Series(fixed_mw),
            reserve_share=reserve_share,
            ai_market_mw_it=ai_market_mw_it,
        )
    )
