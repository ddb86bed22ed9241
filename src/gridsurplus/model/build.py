"""Build the linopy model: dispatch of the grid, and siting and dispatch of compute.

:func:`build_model` is a flat recipe: create the model, then call the ``add_*`` functions in a
fixed order. Each adds named variables and constraints and states the equation it writes.
Limits go on variable bounds, not constraints, wherever the limit is a number.

Notation: ``t`` hour, ``r`` region, ``g`` generator class, ``l`` link, ``s`` compute site,
``m`` month. All power in MW, energy in MWh, money in USD.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.model.inputs import ModelInputs

if TYPE_CHECKING:
    import linopy


def _da(values: np.ndarray | pd.Series, dim: str, index: pd.Index | list[str]) -> xr.DataArray:
    return xr.DataArray(np.asarray(values), coords={dim: list(index)}, dims=dim)


def check_coords(inp: ModelInputs) -> None:
    """Refuse inputs whose labels disagree, instead of letting xarray align them silently."""
    regions = pd.Index(inp.regions)
    gens = inp.gens.index
    for name, arr, dims in (
        ("demand", inp.demand, {"time": inp.snapshots, "region": regions}),
        ("p_max", inp.p_max, {"time": inp.snapshots, "gen": gens}),
        ("p_min", inp.p_min, {"time": inp.snapshots, "gen": gens}),
        ("reserve", inp.reserve, {"time": inp.snapshots}),
        *(
            [("unserved_max", inp.unserved_max, {"time": inp.snapshots, "region": regions})]
            if inp.unserved_max is not None
            else []
        ),
    ):
        for dim, expected in dims.items():
            got = pd.Index(arr.coords[dim].values)
            if not got.equals(pd.Index(expected)):
                raise ValueError(f"model input '{name}' has other '{dim}' labels than the model")
        if np.isnan(arr.values).any():
            raise ValueError(f"model input '{name}' has missing values")
    unknown = set(inp.gens["region"]) - set(regions)
    unknown |= set(inp.links["from_region"]) - set(regions)
    unknown |= set(inp.links["to_region"]) - set(regions)
    if unknown:
        raise ValueError(f"generators or links refer to unknown regions: {sorted(unknown)}")
    bad = (inp.p_min > inp.p_max + 1e-6).any("time")
    if bool(bad.any()):
        raise ValueError(f"minimum output above maximum for {list(gens[bad.values])}")
    if inp.compute is not None:
        sites = inp.compute.sites.index
        for name, arr in (("value", inp.compute.value), ("availability", inp.compute.availability)):
            if not pd.Index(arr.coords["site"].values).equals(sites) or not pd.Index(
                arr.coords["time"].values
            ).equals(inp.snapshots):
                raise ValueError(
                    f"compute input '{name}' has other site or time labels than the model"
                )
            if np.isnan(arr.values).any():
                raise ValueError(f"compute input '{name}' has missing values")


def add_generation(m: linopy.Model, inp: ModelInputs) -> None:
    """Add ``generation[t, g]`` with ``p_min[t, g] <= gen[t, g] <= p_max[t, g]`` (bounds) [MW]."""
    m.add_variables(lower=inp.p_min, upper=inp.p_max, name="generation")


def add_flows(m: linopy.Model, inp: ModelInputs) -> None:
    """Add link flows [MW].

    Lossless links get one signed ``flow[t, l]`` with ``-cap_back <= flow <= cap`` (bounds).
    Lossy links get ``flow_fwd[t, l]`` in ``[0, cap]`` and ``flow_bwd[t, l]`` in
    ``[0, cap_back]``; the receiving end gets ``(1 - loss)`` of what is sent.
    """
    links = inp.links
    time = inp.snapshots
    lossless = links[links["loss_fraction"] == 0]
    lossy = links[links["loss_fraction"] > 0]
    if len(lossless):
        lower = _da(-lossless["capacity_reverse_mw"], "link", lossless.index).expand_dims(time=time)
        upper = _da(lossless["capacity_mw"], "link", lossless.index).expand_dims(time=time)
        m.add_variables(lower=lower, upper=upper, name="flow")
    if len(lossy):
        up_f = _da(lossy["capacity_mw"], "link_lossy", lossy.index).expand_dims(time=time)
        up_b = _da(lossy["capacity_reverse_mw"], "link_lossy", lossy.index).expand_dims(time=time)
        m.add_variables(lower=0, upper=up_f, name="flow_fwd")
        m.add_variables(lower=0, upper=up_b, name="flow_bwd")


def add_unserved(m: linopy.Model, inp: ModelInputs) -> None:
    """Add ``unserved[t, r]`` in ``[0, min(demand[t, r], unserved_max[t, r])]`` [MW] (bounds).

    Penalised at the value of lost load. ``unserved_max`` is the base dispatch's unserved
    demand: demand first is a bound, so compute can never shed demand, whatever it is worth.
    """
    upper = inp.demand
    if inp.unserved_max is not None:
        upper = xr.where(inp.unserved_max < inp.demand, inp.unserved_max.clip(min=0.0), inp.demand)
    m.add_variables(lower=0, upper=upper, name="unserved")


def shedding_hours(inp: ModelInputs) -> xr.DataArray | None:
    """``[time, site]`` whether the site's region sheds demand in the base dispatch that hour.

    None when the model has no compute or no base dispatch to respect.
    """
    if inp.compute is None or inp.unserved_max is None:
        return None
    sites = inp.compute.sites
    shed = inp.unserved_max.sel(region=xr.DataArray(sites["region"].to_numpy(), dims="site"))
    return (shed > SHED_MW).assign_coords(site=list(sites.index)).transpose("time", "site")


SHED_MW = 1e-6
"""Unserved demand [MW] above which a region-hour counts as shedding."""


def add_compute(m: linopy.Model, inp: ModelInputs) -> None:
    """Add compute builds and consumption.

    - ``build[s]`` in ``[0, max_mw[s]]`` [MW] (or fixed to ``fixed_mw[s]``);
    - ``consume[t, s] >= 0`` [MW], and ``= 0`` (bound) in the hours the site's region sheds
      demand in the base dispatch (:func:`shedding_hours`), with
      ``consume[t, s] - availability[t, s] * build[s] <= 0``
      (``compute_cap``): a site never draws more than its built MW after heat derating;
    - ``sum_{s in r, kind} build[s] <= kind_cap[r, kind]`` (``host_cap``) and
      ``sum_s build[s] <= programme_mw`` (``programme``);
    - AI uptime (``uptime``): ``sum_{t in p} consume[t, s] + shortfall[p, s] >=
      uptime[s] * sum_{t in p} availability[t, s] * build[s]`` for every month ``p`` (or
      once over the window with ``uptime_period="year"``): the linear form of running at built
      MW in at least the tier's share of hours; ``shortfall`` is penalised at the value of
      lost load, so it is zero whenever the grid can serve the site.
    """
    c = inp.compute
    if c is None:
        return
    sites = c.sites
    lower = _da(np.zeros(len(sites)), "site", sites.index)
    upper = _da(sites["max_mw"], "site", sites.index)
    free = pd.Series(True, index=sites.index)
    if c.fixed_mw is not None:
        fixed = c.fixed_mw.reindex(sites.index)
        free = fixed.isna()
        lower = _da(fixed.fillna(0.0), "site", sites.index)
        upper = _da(fixed.fillna(sites["max_mw"]), "site", sites.index)
    build = m.add_variables(lower=lower, upper=upper, name="build")
    shed = shedding_hours(inp)
    if shed is None:
        consume = m.add_variables(lower=0, coords=[inp.snapshots, sites.index], name="consume")
    else:
        upper_c = xr.where(shed, 0.0, np.inf).assign_coords(time=inp.snapshots)
        consume = m.add_variables(lower=0, upper=upper_c, name="consume")
    m.add_constraints(consume - c.availability * build <= 0, name="compute_cap")
    if free.any():
        for (region, kind), group in sites.groupby(["region", "kind"]):
            cap = float(c.kind_caps.loc[region, kind]) if region in c.kind_caps.index else 0.0
            if cap < float(group["max_mw"].sum()):
                m.add_constraints(
                    build.sel(site=list(group.index)).sum() <= cap,
                    name=f"host_cap[{region},{kind}]",
                )
        if c.programme_mw < float(sites["max_mw"].sum()):
            m.add_constraints(build.sum() <= c.programme_mw, name="programme")
    ai = sites.index[sites["uptime"] > 0]
    if len(ai):
        uptime = _da(sites.loc[ai, "uptime"], "site", ai)
        if c.uptime_period == "month" and c.uptime_energy_mwh is None:
            month = xr.DataArray(
                inp.month, coords={"time": inp.snapshots}, dims="time", name="month"
            )
            months = list(pd.unique(inp.month))
            shortfall = m.add_variables(
                lower=0, coords=[pd.Index(months, name="month"), ai], name="shortfall"
            )
            drawn = consume.sel(site=ai).groupby(month).sum() + shortfall
            need = c.availability.sel(site=ai).groupby(month).sum() * uptime
            m.add_constraints(drawn - need * build.sel(site=ai) >= 0, name="uptime")
        else:
            shortfall = m.add_variables(lower=0, coords=[ai], name="shortfall")
            drawn = consume.sel(site=ai).sum("time") + shortfall
            if c.uptime_energy_mwh is not None:
                energy = _da(c.uptime_energy_mwh.reindex(ai).fillna(0.0), "site", ai)
                m.add_constraints(drawn >= energy, name="uptime")
            else:
                need = c.availability.sel(site=ai).sum("time") * uptime
                m.add_constraints(drawn - need * build.sel(site=ai) >= 0, name="uptime")


def add_ai_market(m: linopy.Model, inp: ModelInputs) -> None:
    """Add ``ai_market``: the AI builds may not exceed what the market would rent.

    ``sum_{s in AI} it_mw_per_mw[s] * build[s] <= ai_market_mw_it`` [MW IT], where
    ``it_mw_per_mw[s] = 1 / PUE_design[s]`` turns a site's grid connection into its IT load
    (the market's size is counted in MW of IT load). Added only when the cap is below the IT
    load of every AI site at its bound, and only when some site is sited freely.
    """
    c = inp.compute
    if c is None or not c.ai_market_binds():
        return
    if c.fixed_mw is not None and c.fixed_mw.reindex(c.sites.index).notna().all():
        return
    per_mw = c.ai_it_per_mw()
    build = m.variables["build"].sel(site=list(per_mw.index))
    m.add_constraints(
        (build * _da(per_mw, "site", per_mw.index)).sum() <= c.ai_market_mw_it, name="ai_market"
    )


def add_nodal_balance(m: linopy.Model, inp: ModelInputs) -> None:
    """Add ``balance[t, r]``: generation + imports - exports + unserved - compute = demand.

    ``sum_{g in r} gen[t, g] + sum_{l into r} (1 - loss_l) flow[t, l]
    - sum_{l out of r} flow[t, l] + unserved[t, r] - sum_{s in r} consume[t, s] = demand[t, r]``

    Its dual is the marginal cost of serving one more MW in region ``r`` at hour ``t``.
    """
    regions = pd.Index(inp.regions, name="region")
    gen_region = xr.DataArray(
        inp.gens["region"].to_numpy(), coords={"gen": inp.gens.index}, dims="gen", name="region"
    )
    lhs = m.variables["generation"].groupby(gen_region).sum().reindex(region=regions).fillna(0)
    links = inp.links
    lossless = links[links["loss_fraction"] == 0]
    if len(lossless):
        inc = np.zeros((len(lossless), len(regions)))
        for i, (a, b) in enumerate(
            zip(lossless["from_region"], lossless["to_region"], strict=True)
        ):
            inc[i, regions.get_loc(a)] -= 1.0
            inc[i, regions.get_loc(b)] += 1.0
        inc_da = xr.DataArray(
            inc, coords={"link": list(lossless.index), "region": regions}, dims=("link", "region")
        )
        lhs = lhs + (m.variables["flow"] * inc_da).sum("link")
    lossy = links[links["loss_fraction"] > 0]
    if len(lossy):
        fwd = np.zeros((len(lossy), len(regions)))
        bwd = np.zeros((len(lossy), len(regions)))
        for i, (a, b, loss) in enumerate(
            zip(lossy["from_region"], lossy["to_region"], lossy["loss_fraction"], strict=True)
        ):
            fwd[i, regions.get_loc(a)] -= 1.0
            fwd[i, regions.get_loc(b)] += 1.0 - loss
            bwd[i, regions.get_loc(b)] -= 1.0
            bwd[i, regions.get_loc(a)] += 1.0 - loss
        coords = {"link_lossy": list(lossy.index), "region": regions}
        lhs = lhs + (
            m.variables["flow_fwd"]
            * xr.DataArray(fwd, coords=coords, dims=("link_lossy", "region"))
        ).sum("link_lossy")
        lhs = lhs + (
            m.variables["flow_bwd"]
            * xr.DataArray(bwd, coords=coords, dims=("link_lossy", "region"))
        ).sum("link_lossy")
    lhs = lhs + m.variables["unserved"]
    if inp.compute is not None:
        site_region = xr.DataArray(
            inp.compute.sites["region"].to_numpy(),
            coords={"site": inp.compute.sites.index},
            dims="site",
            name="region",
        )
        lhs = lhs - m.variables["consume"].groupby(site_region).sum().reindex(
            region=regions
        ).fillna(0)
    m.add_constraints(lhs == inp.demand, name="balance")


def add_energy_budgets(m: linopy.Model, inp: ModelInputs) -> None:
    """Add energy limits over months or the year [MWh].

    - ``budget[m, g]``: ``sum_{t in m} generation[t, g] <= budget[m, g]`` (reservoir hydro);
    - ``fuel_limit[k]``: ``sum_{t in period k, g of fuel k} generation[t, g] <= or >= energy[k]``
      (a fuel-supply cap, or a take-or-pay floor), one row per limit; a limit with a penalty
      gets a slack ``fuel_limit_slack[k] >= 0`` priced at that penalty in the objective.
    """
    gen = m.variables["generation"]
    month = xr.DataArray(inp.month, coords={"time": inp.snapshots}, dims="time", name="month")
    budget = inp.budget
    budgeted = [g for g in budget.coords["gen"].values if bool(budget.sel(gen=g).notnull().any())]
    if budgeted:
        monthly = gen.sel(gen=budgeted).groupby(month).sum()
        rhs = budget.sel(gen=budgeted)
        m.add_constraints(monthly <= rhs.fillna(0.0), name="budget", mask=rhs.notnull())
    limits = inp.fuel_limits
    penalties = limits.get("penalty_usd_per_mwh", pd.Series(np.nan, index=limits.index))
    for i, (row, penalty) in enumerate(zip(limits.itertuples(index=False), penalties, strict=True)):
        gens = list(inp.gens.index[inp.gens["fuel"] == row.fuel])
        hours = inp.snapshots if row.period == "year" else inp.snapshots[inp.month == row.period]
        lhs = gen.sel(gen=gens, time=hours).sum()
        name = fuel_limit_name(i, row.fuel, row.period)
        if not np.isnan(penalty):
            slack = m.add_variables(lower=0, name=f"fuel_limit_slack[{i}]")
            lhs = lhs - slack if row.sense == "<=" else lhs + slack
        if row.sense == "<=":
            m.add_constraints(lhs <= row.energy_mwh, name=name)
        else:
            m.add_constraints(lhs >= row.energy_mwh, name=name)


def fuel_limit_name(i: int, fuel: str, period: str) -> str:
    """Name of the constraint of row ``i`` of ``fuel_limits`` (fuel, period) in the model.

    >>> fuel_limit_name(0, "rlng", "year")
    'fuel_limit[0:rlng:year]'
    """
    return f"fuel_limit[{i}:{fuel}:{period}]"


def add_reserve(m: linopy.Model, inp: ModelInputs) -> None:
    """Add ``reserve[t]``: spare available capacity of reserve-capable plants covers the reserve.

    ``sum_{g counts} (p_max[t, g] - gen[t, g]) + credit[t] >= reserve[t]``, where ``credit[t]``
    is the interruptible mining load that may count toward the reserve:
    ``credit[t] <= share * reserve[t]`` (bound) and ``credit[t] <= sum_{s mining} consume[t, s]``.
    Compute may therefore never eat into the reserve.
    """
    counts = inp.gens.index[inp.gens["counts_for_reserve"].to_numpy()]
    if float(inp.reserve.max()) <= 0 or len(counts) == 0:
        return
    headroom = inp.p_max.sel(gen=counts).sum("gen") - m.variables["generation"].sel(gen=counts).sum(
        "gen"
    )
    c = inp.compute
    if c is not None and c.reserve_share > 0 and (c.sites["kind"] == "mining").any():
        credit = m.add_variables(
            lower=0, upper=c.reserve_share * inp.reserve, name="reserve_credit"
        )
        mining = c.sites.index[c.sites["kind"] == "mining"]
        m.add_constraints(
            credit - m.variables["consume"].sel(site=mining).sum("site") <= 0,
            name="reserve_credit_cap",
        )
        headroom = headroom + credit
    m.add_constraints(headroom >= inp.reserve, name="reserve")


def add_objective(m: linopy.Model, inp: ModelInputs) -> None:
    """Minimise fuel cost + unserved penalty + capex annuities - value of compute [USD].

    ``sum cost[g] gen[t, g] + VOLL sum unserved[t, r] + share_of_year sum annuity[s] build[s]
    - sum value[t, s] consume[t, s] + VOLL sum shortfall[s]``. Its negative is the national
    welfare of the window; fixed capacity payments are sunk and left out.
    """
    cost = _da(inp.gens["cost_usd_per_mwh"], "gen", inp.gens.index)
    obj = (m.variables["generation"] * cost).sum() + inp.voll_usd_per_mwh * m.variables[
        "unserved"
    ].sum()
    c = inp.compute
    if c is not None:
        annuity = _da(c.sites["annuity_usd_per_mw_year"] * inp.year_share, "site", c.sites.index)
        obj = (
            obj + (m.variables["build"] * annuity).sum() - (m.variables["consume"] * c.value).sum()
        )
        if "shortfall" in m.variables:
            obj = obj + inp.voll_usd_per_mwh * m.variables["shortfall"].sum()
    if "penalty_usd_per_mwh" in inp.fuel_limits:
        for i, penalty in enumerate(inp.fuel_limits["penalty_usd_per_mwh"]):
            if not np.isnan(penalty):
                obj = obj + float(penalty) * m.variables[f"fuel_limit_slack[{i}]"]
    m.add_objective(obj)


def build_model(inp: ModelInputs) -> linopy.Model:
    """Build the dispatch (and, with compute inputs, siting) model for the inputs' hours.

    Parameters
    ----------
    inp : ModelInputs
        What to model; ``inp.compute`` None gives the base dispatch.

    Returns
    -------
    linopy.Model
        The model, not yet solved.
    """
    import linopy

    check_coords(inp)
    m = linopy.Model(force_dim_names=True)
    add_generation(m, inp)
    add_flows(m, inp)
    add_unserved(m, inp)
    add_compute(m, inp)
    add_ai_market(m, inp)
    add_nodal_balance(m, inp)
    add_energy_budgets(m, inp)
    add_reserve(m, inp)
    add_objective(m, inp)
    return m
