"""The grid as PyPSA components: carriers, regions, links, reserve, fuel meters, generators."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.pypsa.layout import (
    CREDIT_BUS,
    NO_LIMIT,
    RESERVE_BUS,
    TIER_PORT,
    Layout,
)

if TYPE_CHECKING:
    import pypsa


def series(values: Any, n: pypsa.Network) -> pd.Series:
    """Values over the network's snapshots, as floats."""
    return pd.Series(np.asarray(values, dtype=float), index=n.snapshots)


def meter_bus(fuel: str, tier: str) -> str:
    """Name of the bus that meters a fuel's energy for one tier of its limits."""
    return f"{fuel} energy meter ({tier})"


def add_carriers(n: pypsa.Network, inp: ModelInputs) -> None:
    """Add every carrier the network uses: fuels, compute kinds and bookkeeping."""
    names = ["AC", "transmission", "unserved", "reserve", "meter", "shortfall"]
    names += sorted(set(inp.gens["fuel"]))
    if inp.compute is not None:
        names += sorted(set(inp.compute.sites["kind"]))
    n.add("Carrier", list(dict.fromkeys(names)))


def add_regions(n: pypsa.Network, inp: ModelInputs) -> None:
    """Add per region a Bus, its demand (Load) and its unserved demand (Generator) [MW].

    ``0 <= unserved[t, r] <= p_nom * p_max_pu[t] = demand[t, r]``, priced at VOLL [USD/MWh]
    (and at most the base dispatch's ``unserved_max[t, r]`` when the inputs carry it).
    """
    regions = inp.regions
    n.add("Bus", regions, carrier="AC")
    demand = inp.demand.transpose("time", "region").to_numpy()
    loads = [f"demand {r}" for r in regions]
    n.add("Load", loads, bus=regions, p_set=pd.DataFrame(demand, n.snapshots, loads))
    unserved = [f"unserved {r}" for r in regions]
    p_nom = np.maximum(demand.max(axis=0), 1.0)
    cap = demand
    if inp.unserved_max is not None:
        cap = np.minimum(demand, inp.unserved_max.transpose("time", "region").to_numpy().clip(0))
    n.add(
        "Generator",
        unserved,
        bus=regions,
        carrier="unserved",
        p_nom=p_nom,
        p_max_pu=pd.DataFrame(cap / p_nom, n.snapshots, unserved),
        marginal_cost=inp.voll_usd_per_mwh,
    )


def add_transmission(n: pypsa.Network, inp: ModelInputs) -> None:
    """Add the links between regions [MW].

    Lossless: one Link, ``-capacity_reverse <= p <= capacity``. Lossy: Links ``l forward``
    and ``l backward``, each ``0 <= p <= capacity``, delivering ``(1 - loss) p``.
    """
    for name, row in inp.links.iterrows():
        a, b = str(row["from_region"]), str(row["to_region"])
        cap, back = float(row["capacity_mw"]), float(row["capacity_reverse_mw"])
        loss = float(row["loss_fraction"])
        if loss == 0 and cap > 0:
            n.add(
                "Link",
                str(name),
                bus0=a,
                bus1=b,
                carrier="transmission",
                p_nom=cap,
                p_min_pu=-back / cap,
            )
            continue
        for label, bus0, bus1, p_nom in (("forward", a, b, cap), ("backward", b, a, back)):
            if p_nom > 0:
                n.add(
                    "Link",
                    f"{name} {label}",
                    bus0=bus0,
                    bus1=bus1,
                    carrier="transmission",
                    p_nom=p_nom,
                    efficiency=1.0 - loss,
                )


def add_reserve(n: pypsa.Network, inp: ModelInputs, layout: Layout) -> None:
    """Add the reserve bus: ``sum_{g counts} gen[t, g] <= headroom[t] + credit[t]`` [MW].

    ``headroom[t] = sum_{g counts} p_max[t, g] - reserve[t]`` bounds the Generator
    ``reserve headroom``, from which counting groups draw their output. With mining credit,
    the Link ``reserve credit`` adds at most ``share * reserve[t]`` of the mining load.
    """
    if not len(layout.reserve_counts):
        return
    headroom = (inp.p_max.sel(gen=layout.reserve_counts).sum("gen") - inp.reserve).to_numpy()
    credit_max = np.zeros(len(inp.snapshots))
    if layout.credit:
        assert inp.compute is not None
        credit_max = inp.compute.reserve_share * inp.reserve.to_numpy()
    n.add("Bus", RESERVE_BUS, carrier="reserve")
    p_nom = max(float(np.abs(headroom).max()), float(credit_max.max()), 1.0)
    n.add(
        "Generator",
        "reserve headroom",
        bus=RESERVE_BUS,
        carrier="reserve",
        p_nom=p_nom,
        p_max_pu=series(headroom / p_nom, n),
        # never binding: counting output >= 0 and credit <= credit_max
        p_min_pu=series(np.minimum(headroom, -credit_max) / p_nom, n),
    )
    if layout.credit:
        n.add("Bus", CREDIT_BUS, carrier="reserve")
        credit_nom = max(float(credit_max.max()), 1.0)
        n.add(
            "Link",
            CREDIT_BUS,
            bus0=CREDIT_BUS,
            bus1=RESERVE_BUS,
            carrier="reserve",
            p_nom=credit_nom,
            p_max_pu=series(credit_max / credit_nom, n),
        )


def add_fuel_meters(n: pypsa.Network, inp: ModelInputs, layout: Layout) -> None:
    """Add the energy meters of the fuels with limits [MWh].

    Per fuel and tier a Bus; per period an absorbing Generator ``fuel energy period``
    (``sign = -1``), active in the period's hours only, with
    ``floor <= sum_{t in period} p <= cap``. A priced cap adds an absorber ``fuel excess
    period``, a priced floor a supplier ``fuel shortfall period``, each at the penalty.
    """
    for (fuel, tier), rows in layout.limits.groupby(["fuel", "tier"]):
        bus = meter_bus(str(fuel), str(tier))
        n.add("Bus", bus, carrier="meter")
        gens = inp.gens.index[inp.gens["fuel"] == fuel]
        p_nom = max(float(inp.p_max.sel(gen=gens).max("time").sum()), 1.0)
        periods = list(dict.fromkeys(inp.month)) if tier == "months" else ["year"]
        limits = rows.set_index("period")
        for period in periods:
            active = series(
                np.ones(len(inp.snapshots)) if period == "year" else inp.month == period, n
            )
            lim = limits.loc[period].to_dict() if period in limits.index else NO_LIMIT
            priced_floor = not np.isnan(lim["floor_penalty"])
            make_up = max(float(lim["floor"]), 0.0) / lim["hours"] if priced_floor else 0.0
            n.add(
                "Generator",
                f"{fuel} energy {period}",
                bus=bus,
                carrier="meter",
                sign=-1.0,
                p_nom=p_nom + make_up,
                p_max_pu=active,
                e_sum_max=float(lim["cap"]),
                e_sum_min=float(lim["floor"]),
            )
            if not np.isnan(lim["cap_penalty"]):
                n.add(
                    "Generator",
                    f"{fuel} excess {period}",
                    bus=bus,
                    carrier="meter",
                    sign=-1.0,
                    p_nom=p_nom,
                    p_max_pu=active,
                    marginal_cost=float(lim["cap_penalty"]),
                )
            if make_up > 0:
                n.add(
                    "Generator",
                    f"{fuel} shortfall {period}",
                    bus=bus,
                    carrier="meter",
                    p_nom=make_up,
                    p_max_pu=active,
                    marginal_cost=float(lim["floor_penalty"]),
                )


def add_generators(n: pypsa.Network, inp: ModelInputs, layout: Layout) -> None:
    """Add the generator classes [MW], split by month where they have an energy budget.

    ``p_min[t, g] <= p[t, g] <= p_max[t, g]``; ``sum_{t in m} p[t, g m] <= budget[m, g]``.
    Classes of a limited fuel or counting toward the reserve reach their region through
    their group's multi-port Link.
    """
    limited = set(layout.limits["fuel"])
    tiers = set(zip(layout.limits["fuel"], layout.limits["tier"], strict=True))
    counts = set(layout.reserve_counts)
    months = list(dict.fromkeys(inp.month))
    p_max = inp.p_max.transpose("time", "gen").to_pandas().set_axis(n.snapshots, axis=0)
    p_min = inp.p_min.transpose("time", "gen").to_pandas().set_axis(n.snapshots, axis=0)
    groups: dict[str, dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    for g, row in inp.gens.iterrows():
        g = str(g)
        p_nom = max(float(row["capacity_mw"]), float(p_max[g].max()))
        if p_nom <= 0:
            continue  # no output possible
        region, fuel = str(row["region"]), str(row["fuel"])
        bus = region
        if fuel in limited or g in counts:
            bus = f"{region} plants" + (f" of {fuel}" if fuel in limited else "")
            bus += " counted for reserve" if g in counts else ""
            group = groups.setdefault(
                bus,
                {
                    "region": region,
                    "fuel": fuel if fuel in limited else None,
                    "reserve": g in counts,
                    "p_nom": 0.0,
                },
            )
            group["p_nom"] += float(p_max[g].max())
        budget = _budget(inp, g, months)
        parts = [(g, np.ones(len(n.snapshots), dtype=bool), np.inf)]
        if budget is not None:
            parts = [(f"{g} {m}", inp.month == m, budget[m]) for m in months]
        for name, active, e_max in parts:
            rows.append(
                {
                    "name": name,
                    "bus": bus,
                    "carrier": fuel,
                    "p_nom": p_nom,
                    "marginal_cost": float(row["cost_usd_per_mwh"]),
                    "e_sum_max": e_max,
                    "p_max_pu": np.where(active, p_max[g].to_numpy() / p_nom, 0.0),
                    "p_min_pu": np.where(active, p_min[g].to_numpy() / p_nom, 0.0),
                }
            )
    for bus, group in groups.items():
        n.add("Bus", bus, carrier="AC")
        ports: dict[str, Any] = {}
        if group["reserve"]:
            ports.update(bus2=RESERVE_BUS, efficiency2=-1.0)
        for tier, port in TIER_PORT.items():
            if (group["fuel"], tier) in tiers:
                ports.update(
                    {f"bus{port}": meter_bus(group["fuel"], tier), f"efficiency{port}": 1.0}
                )
        n.add(
            "Link",
            f"{bus} connection",
            bus0=bus,
            bus1=group["region"],
            carrier="AC",
            p_nom=group["p_nom"],
            **ports,
        )
    if rows:
        names = [r["name"] for r in rows]

        def frame(key: str) -> pd.DataFrame:
            values = np.column_stack([r[key] for r in rows])
            return pd.DataFrame(values, index=n.snapshots, columns=names)

        n.add(
            "Generator",
            names,
            bus=[r["bus"] for r in rows],
            carrier=[r["carrier"] for r in rows],
            p_nom=[r["p_nom"] for r in rows],
            marginal_cost=[r["marginal_cost"] for r in rows],
            e_sum_max=[r["e_sum_max"] for r in rows],
            p_max_pu=frame("p_max_pu"),
            p_min_pu=frame("p_min_pu"),
        )


def _budget(inp: ModelInputs, gen: str, months: list[str]) -> dict[str, float] | None:
    """Monthly budget of a class for the months modelled [MWh] (inf: none), or None."""
    if gen not in set(inp.budget.coords["gen"].values):
        return None
    b = inp.budget.sel(gen=gen).to_series()
    out = {m: float(b[m]) if m in b.index and np.isfinite(b[m]) else np.inf for m in months}
    return out if any(np.isfinite(v) for v in out.values()) else None
