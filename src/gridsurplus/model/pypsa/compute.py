"""Compute sites as PyPSA components: extendable consumers, uptime meters, hosting caps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from gridsurplus.model.build import shedding_hours
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.pypsa.layout import (
    CREDIT_BUS,
    Layout,
    PypsaExportError,
    PypsaExportUnsupported,
    uptime_periods,
)

if TYPE_CHECKING:
    import pypsa


def site_bus(inp: ModelInputs, layout: Layout, site: str) -> str:
    """Bus a compute site draws from: its region, or its region's mining bus with credit."""
    assert inp.compute is not None
    row = inp.compute.sites.loc[site]
    if layout.credit and row["kind"] == "mining":
        return f"{row['region']} mining"
    return str(row["region"])


def add_compute(n: pypsa.Network, inp: ModelInputs, layout: Layout) -> None:
    """Add the compute sites as extendable consumers with a willingness to pay [MW].

    ``0 <= p[t, s] <= availability[t, s] * p_nom[s]``, ``p_nom[s] <= max_mw[s]`` (or fixed),
    cost ``capital_cost * p_nom[s] - value[t, s] * p[t, s]``; sites with an energy
    requirement draw through their uptime meter: ``sum_t p[t, s] + shortfall[s] >= E[s]``.
    """
    c = inp.compute
    if c is None:
        return
    sites = c.sites
    value = c.value.transpose("time", "site").to_pandas().set_axis(n.snapshots, axis=0)
    avail = c.availability.transpose("time", "site").to_pandas().set_axis(n.snapshots, axis=0)
    shed = shedding_hours(inp)  # demand first: nothing drawn where the base sheds demand
    drawable = avail if shed is None else avail.where(~shed.to_pandas().to_numpy(), 0.0)
    capital = sites["annuity_usd_per_mw_year"].astype(float) * inp.year_share
    fixed, energy = layout.fixed_mw, layout.energy_mwh
    reach = fixed.reindex(sites.index).fillna(sites["max_mw"]) * avail.max().clip(lower=1.0)
    if layout.credit:
        mining = sites[sites["kind"] == "mining"]
        for region, group in mining.groupby("region"):
            n.add("Bus", f"{region} mining", carrier="AC")
            n.add(
                "Link",
                f"{region} mining connection",
                bus0=str(region),
                bus1=f"{region} mining",
                bus2=CREDIT_BUS,
                efficiency2=1.0,
                carrier="AC",
                p_nom=max(float(reach[group.index].sum()), 1.0),
            )
        n.add(
            "Generator",
            f"{CREDIT_BUS} unused",
            bus=CREDIT_BUS,
            carrier="reserve",
            sign=-1.0,
            p_nom=max(float(reach[mining.index].sum()), 1.0),
        )
    for s, row in sites.iterrows():
        s = str(s)
        attrs: dict[str, Any] = {
            "carrier": str(row["kind"]),
            "p_nom_extendable": True,
            "p_max_pu": drawable[s],
            "marginal_cost": -value[s],
            "capital_cost": float(capital[s]),
        }
        if s in fixed.index:
            attrs.update(p_nom_min=float(fixed[s]), p_nom_max=float(fixed[s]))
        else:
            attrs.update(p_nom_max=float(row["max_mw"]))
        bus = site_bus(inp, layout, s)
        if s not in energy.index:
            n.add("Generator", s, bus=bus, sign=-1.0, **attrs)
            continue
        meter = f"{s} uptime"
        n.add("Bus", meter, carrier="meter")
        n.add("Link", s, bus0=bus, bus1=meter, **attrs)
        for period, (active, required) in uptime_periods(inp, s, float(energy[s]), fixed).items():
            suffix = "" if period == "window" else f" {period}"
            make_up = required / max(int(active.sum()), 1)
            n.add(
                "Generator",
                f"{meter}{suffix}",
                bus=meter,
                carrier="meter",
                sign=-1.0,
                p_nom=float(reach[s]) + make_up,
                p_max_pu=pd.Series(active.astype(float), index=n.snapshots),
                e_sum_min=required,
            )
            n.add(
                "Generator",
                f"{s} shortfall{suffix}",
                bus=meter,
                carrier="shortfall",
                p_nom=make_up,
                p_max_pu=pd.Series(active.astype(float), index=n.snapshots),
                marginal_cost=inp.voll_usd_per_mwh,
            )
    if c.fixed_mw is None:
        add_caps(n, inp, layout)


def add_caps(n: pypsa.Network, inp: ModelInputs, layout: Layout) -> None:
    """Add the hosting caps per region and kind and the national programme [MW].

    ``sum_{s in r, kind} p_nom[s] <= kind_cap[r, kind]`` (all of a region's sites of a kind
    draw from one bus) and ``sum_{s of the kind sited} p_nom[s] <= programme - fixed MW of
    the other kinds``, written where our model writes them (a cap below the total ``max_mw``).
    """
    assert inp.compute is not None
    c = inp.compute
    sites, fixed = c.sites, layout.fixed_mw
    free = sites.index.difference(fixed.index)
    if c.ai_market_binds() and len(free.intersection(c.ai_it_per_mw().index)):
        raise PypsaExportUnsupported(
            f"the AI market cap ({c.ai_market_mw_it:g} MW of IT load) weighs each AI site by its "
            "PUE, which PyPSA's per-carrier limits cannot: fix the AI builds (fixed_ai_mw, or "
            "compute.fixed_mw)"
        )
    for (region, kind), group in sites.groupby(["region", "kind"]):
        cap = float(c.kind_caps.loc[region, kind]) if region in c.kind_caps.index else 0.0
        if cap >= float(group["max_mw"].sum()):
            continue
        if float(fixed.reindex(group.index).fillna(0.0).sum()) > cap + 1e-6:
            raise PypsaExportError(
                f"the fixed MW of the {kind} sites in {region} exceed its host cap of {cap:g} MW"
            )
        if len(group.index.intersection(free)):
            n.add(
                "GlobalConstraint",
                f"host cap {region} {kind}",
                type="tech_capacity_expansion_limit",
                carrier_attribute=str(kind),
                bus=site_bus(inp, layout, str(group.index[0])),
                sense="<=",
                constant=cap,
            )
    if c.programme_mw >= float(sites["max_mw"].sum()):
        return
    kinds = sorted(set(sites.loc[free, "kind"]))
    others = sites.index[~sites["kind"].isin(kinds)]
    left = c.programme_mw - float(fixed.reindex(others).fillna(0.0).sum())
    if left < -1e-6:
        raise PypsaExportError(f"the fixed MW exceed the programme cap of {c.programme_mw:g} MW")
    if len(kinds) > 1:
        raise PypsaExportUnsupported(
            f"the programme cap spans {' and '.join(kinds)} sites that are all sited freely, and "
            "PyPSA's tech_capacity_expansion_limit sums one carrier only: fix the builds of all "
            "kinds but one (fixed_ai_mw, or compute.fixed_mw)"
        )
    if kinds:
        n.add(
            "GlobalConstraint",
            "programme",
            type="tech_capacity_expansion_limit",
            carrier_attribute=kinds[0],
            sense="<=",
            constant=left,
        )
