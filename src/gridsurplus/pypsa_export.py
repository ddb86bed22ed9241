"""Write the dispatch and siting problem as a PyPSA network that reaches the same optimum.

The field's reference engine is PyPSA. :func:`to_pypsa` encodes the linear program that
:func:`gridsurplus.model.build.build_model` writes as a :class:`pypsa.Network` made of PyPSA's
own components only (no ``extra_functionality``), so that ``pypsa.Network(path).optimize()``
reaches the objective of :func:`gridsurplus.model.solve.solve_inputs` on the same inputs.
:func:`pypsa_objective` reads a solved network's objective on our convention,
:func:`solve_pypsa` solves one quietly, :func:`write_netcdf` and :func:`read_netcdf` write
and read one.

Mapping (``t`` hour, ``r`` region, ``g`` generator class, ``s`` compute site; PyPSA 1.4, all
snapshot weightings 1):

- **Region** ``r``: a Bus ``r`` (carrier AC); its demand a Load ``demand r`` with ``p_set``.
- **Unserved demand**: a Generator ``unserved r`` at ``marginal_cost`` = VOLL, with
  ``p_nom * p_max_pu[t] = demand[t, r]`` so that it never exceeds the demand, as ours.
- **Generator class** ``g``: a Generator ``g`` (carrier = fuel), ``p_nom`` = capacity,
  ``p_max_pu``/``p_min_pu`` = ``p_max``/``p_min`` over ``p_nom``, ``marginal_cost`` = cost.
  A class with a **monthly energy budget** is split into one Generator ``g YYYY-MM`` per
  month modelled, active only in that month's hours, with ``e_sum_max`` = the budget.
- **Transmission**: a lossless link is one Link with ``p_min_pu = -capacity_reverse /
  capacity``; a lossy link is two directed Links ``l forward``/``l backward`` with
  efficiency ``1 - loss``.
- **Bookkeeping groups.** Classes of a fuel with an energy limit, or that count toward the
  operating reserve, are not attached to their region directly: each group of classes with
  the same region, limited fuel and reserve role sits on a Bus ``r plants ...`` and reaches
  ``r`` through a multi-port Link ``r plants ... connection`` (``bus1`` = ``r``, efficiency
  1) whose other ports keep the books: ``bus2`` = ``reserve`` with ``efficiency2 = -1``,
  ``bus3``/``bus4`` = the fuel's energy meters (months / window) with efficiency 1.
- **Fuel limit** (a cap ``<=`` or a floor ``>=`` on a fuel's energy in a month or in all the
  hours modelled, ``period = year``): per fuel and tier a meter Bus receives the fuel's
  generation every hour; on it one absorbing Generator (``sign = -1``) per period, active in
  that period's hours only, carries ``e_sum_max`` = cap and ``e_sum_min`` = floor. In every
  hour exactly one absorber of a meter is active, so its energy is the fuel's energy in its
  period. A limit priced instead of hard (``penalty_usd_per_mwh``) gets a second absorber
  ``fuel excess period`` (cap) or a supplier ``fuel shortfall period`` (floor) at the penalty.
- **Operating reserve** ``sum_{g counts} (p_max[t, g] - gen[t, g]) + credit[t] >=
  reserve[t]``: a Bus ``reserve`` with a Generator ``reserve headroom`` of at most
  ``sum_{g counts} p_max[t, g] - reserve[t]``; every counting group's Link draws its output
  from it (``efficiency2 = -1``), so counting generation never exceeds headroom + credit.
- **Mining reserve credit** (``reserve_share > 0``): a region's mining sites draw from a Bus
  ``r mining`` fed by a Link ``r mining connection`` whose ``bus2`` = ``reserve credit``
  (efficiency 1) counts their load; a Link ``reserve credit`` of at most
  ``share * reserve[t]`` carries it to ``reserve``; a Generator ``reserve credit unused``
  (``sign = -1``) takes the rest. So ``credit <= share * reserve`` and ``credit <= sum
  consume``, as ours.
- **Compute site** ``s``: an extendable consumer with a willingness to pay, as PyPSA models
  one: a Generator ``s`` with ``sign = -1`` (its ``p`` is the MW it draws), carrier = kind,
  ``p_max_pu[t]`` = availability, ``marginal_cost[t] = -value[t, s]``, ``capital_cost`` =
  annuity * share of the year modelled (PyPSA takes ``capital_cost`` as the cost of the
  modelled horizon), ``p_nom_extendable`` with ``p_nom_max`` = ``max_mw``. Hosting caps per
  region and kind: GlobalConstraints ``tech_capacity_expansion_limit`` (carrier = kind,
  ``bus`` = the sites' bus); the national programme: the same without ``bus``.
- **AI uptime** ``sum_t consume + shortfall >= E``: a site with a requirement is a Link ``s``
  (the same attributes, ``bus0`` = its region) that delivers what it draws to a meter Bus
  ``s uptime``, where an absorber ``s uptime`` has ``e_sum_min = E`` and a Generator
  ``s shortfall`` at VOLL makes up what the grid does not serve. With
  ``E = uptime * sum_t availability * build`` PyPSA cannot tie the energy to an extendable
  capacity without extra_functionality, so such a site is exported with its MW fixed
  (``fixed_ai_mw``, e.g. the plan's optimal builds); fixing a variable at its optimal value
  leaves the optimum unchanged, so the objectives still agree. The programme cap left for
  the kind sited freely is reduced by the fixed MW of the other kinds. A requirement given as
  energy (``uptime_energy_mwh``) needs no fixing.
- **Fixed capacity** is an extendable ``p_nom`` pinned by ``p_nom_min = p_nom_max`` (bounds,
  with ``p_nom = 0``), so its capital cost is in PyPSA's objective exactly as in ours (PyPSA
  leaves the capital cost of non-extendable components out; :func:`pypsa_objective` adds it
  back for networks that have some).

PyPSA's ``n.objective + n.objective_constant`` is then our objective: fuel cost + VOLL *
unserved + annuities - value of compute + VOLL * shortfall (+ penalties of priced limits).
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from gridsurplus.errors import GridsurplusError, SolverError
from gridsurplus.model.build import _check_coords
from gridsurplus.model.inputs import ModelInputs

if TYPE_CHECKING:
    import pypsa

RESERVE_BUS = "reserve"
CREDIT_BUS = "reserve credit"
_TIER_PORT = {"months": "3", "window": "4"}
_NO_LIMIT = {
    "hours": 1,
    "cap": np.inf,
    "cap_penalty": np.nan,
    "floor": -np.inf,
    "floor_penalty": np.nan,
}  # a period without a limit on its meter


class PypsaExportError(GridsurplusError, ValueError):
    """The inputs cannot be written as a PyPSA network (the message says what to change)."""


class PypsaExportUnsupported(GridsurplusError, NotImplementedError):
    """The inputs use a model option the PyPSA export cannot encode exactly."""


@dataclass(frozen=True)
class _Layout:
    """What the network needs besides one component per input row."""

    reserve_counts: pd.Index  # generator classes counting toward the reserve (empty: none)
    credit: bool  # mining load counts toward the reserve
    limits: pd.DataFrame  # fuel, period, tier, hours, cap, cap_penalty, floor, floor_penalty
    fixed_mw: pd.Series  # compute sites with fixed capacity [MW]
    energy_mwh: pd.Series  # compute sites with an energy requirement > 0 [MWh]


@contextlib.contextmanager
def _pypsa_options() -> Iterator[None]:
    """Run PyPSA quietly: its string handling kept explicitly, INFO messages held back.

    PyPSA 1.4 warns that it converts pandas 3 strings unless told to; its and linopy's
    progress messages go to the root logger at INFO, which PyPSA configures itself.
    """
    import pypsa

    loggers = [logging.getLogger(name) for name in ("pypsa", "linopy")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    try:
        with pypsa.option_context("api.legacy_string_dtype", True):
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def to_pypsa(
    inp: ModelInputs, fixed_ai_mw: Mapping[str, float] | pd.Series | None = None
) -> pypsa.Network:
    """Write the model of ``inp`` as a PyPSA network with the same optimum.

    Parameters
    ----------
    inp : ModelInputs
        What to model (the base dispatch, or with compute sites).
    fixed_ai_mw : mapping or pandas.Series, optional
        Built MW of the compute sites with an uptime requirement [MW], e.g. the plan's optimal
        builds. Required for every such site unless the inputs give the requirement as energy
        (``uptime_energy_mwh``) or fix every build already (``fixed_mw``).

    Returns
    -------
    pypsa.Network
        Not solved; ``n.meta["gridsurplus"]`` records the window and the fixed MW.

    Raises
    ------
    PypsaExportError
        If AI sites lack fixed MW, or the inputs cannot be met.
    PypsaExportUnsupported
        If the programme cap spans two kinds of compute that are both sited freely, or a
        fuel limit repeats with penalties.

    Examples
    --------
    >>> inp = _example_inputs()
    >>> n = to_pypsa(inp)
    >>> sorted(n.generators.index), list(n.loads.index)
    (['coal', 'unserved A'], ['demand A'])
    >>> to_pypsa(_example_inputs(ai=True))
    Traceback (most recent call last):
    ...
    gridsurplus.pypsa_export.PypsaExportError: compute site(s) dc@A have an uptime ...
    >>> n = to_pypsa(_example_inputs(ai=True), fixed_ai_mw={"dc@A": 10.0})
    >>> site = n.links.loc["dc@A"]
    >>> site["bus0"], site["bus1"], float(site["p_nom_min"]), float(site["p_nom_max"])
    ('A', 'dc@A uptime', 10.0, 10.0)
    """
    import pypsa

    _check_coords(inp)
    layout = _layout(inp, fixed_ai_mw)
    with _pypsa_options():
        n = pypsa.Network(name="gridsurplus")
        n.set_snapshots(inp.snapshots)
        add_carriers(n, inp)
        add_regions(n, inp)
        add_transmission(n, inp)
        add_reserve(n, inp, layout)
        add_fuel_meters(n, inp, layout)
        add_generators(n, inp, layout)
        add_compute(n, inp, layout)
    n.meta = {
        "gridsurplus": {
            "objective": "n.objective + n.objective_constant = fuel cost + VOLL * unserved "
            "+ annuities - value of compute + VOLL * shortfall [USD]",
            "start": str(inp.snapshots[0]),
            "end": str(inp.snapshots[-1]),
            "fixed_mw": {str(k): float(v) for k, v in layout.fixed_mw.items()},
        }
    }
    return n


# --------------------------------------------------------------------------- layout


def _layout(inp: ModelInputs, fixed_ai_mw: Mapping[str, float] | pd.Series | None) -> _Layout:
    counts = inp.gens.index[inp.gens["counts_for_reserve"].to_numpy(dtype=bool)]
    if float(inp.reserve.max()) <= 0:
        counts = counts[:0]
    c = inp.compute
    credit = bool(
        len(counts)
        and c is not None
        and c.reserve_share > 0
        and (c.sites["kind"] == "mining").any()
    )
    fixed = _fixed_mw(inp, fixed_ai_mw)
    return _Layout(
        reserve_counts=counts,
        credit=credit,
        limits=_fuel_limits(inp),
        fixed_mw=fixed,
        energy_mwh=_energy_mwh(inp, fixed),
    )


def _fixed_mw(inp: ModelInputs, fixed_ai_mw: Mapping[str, float] | pd.Series | None) -> pd.Series:
    """Built MW of the sites exported with fixed capacity [MW]."""
    c = inp.compute
    given = pd.Series(dict(fixed_ai_mw if fixed_ai_mw is not None else {}), dtype=float)
    if c is None:
        if len(given):
            raise PypsaExportError("fixed_ai_mw given, but the inputs have no compute sites")
        return given
    sites = c.sites
    if (sites["uptime"] > 1).any():
        raise PypsaExportError("an uptime requirement above 1 cannot be met")
    if c.fixed_mw is not None:
        if len(given):
            raise PypsaExportError(
                "the inputs fix every build already (compute.fixed_mw): leave fixed_ai_mw out"
            )
        fixed = c.fixed_mw.reindex(sites.index)
        if fixed.isna().any():
            free = ", ".join(fixed.index[fixed.isna()])
            raise PypsaExportError(
                f"the inputs fix some builds but leave {free} free (compute.fixed_mw); the export "
                "takes every build fixed, or none fixed with fixed_ai_mw for the AI sites"
            )
        return fixed.astype(float)
    ai = sites.index[sites["uptime"] > 0]
    extra = given.index.difference(ai)
    if len(extra):
        raise PypsaExportError(
            f"fixed_ai_mw names {', '.join(map(str, extra))}, which are not compute sites with "
            "an uptime requirement; only those are fixed, PyPSA sites the others"
        )
    missing = ai.difference(given.index)
    if len(missing) and getattr(c, "uptime_energy_mwh", None) is None:
        raise PypsaExportError(
            f"compute site(s) {', '.join(missing)} have an uptime requirement, which PyPSA "
            "cannot tie to an extendable capacity: pass their built MW as fixed_ai_mw "
            "(e.g. the plan's optimal builds)"
        )
    if given.isna().any() or (given < 0).any():
        raise PypsaExportError("fixed_ai_mw must be numbers >= 0 [MW]")
    over = given[given > sites.loc[given.index, "max_mw"] + 1e-6]
    if len(over):
        raise PypsaExportError(f"fixed_ai_mw exceeds max_mw for {', '.join(over.index)}")
    return given


def _energy_mwh(inp: ModelInputs, fixed: pd.Series) -> pd.Series:
    """Energy each site with an uptime requirement must draw or make up [MWh] (> 0 only)."""
    c = inp.compute
    if c is None:
        return pd.Series(dtype=float)
    sites = c.sites
    ai = sites.index[sites["uptime"] > 0]
    given = getattr(c, "uptime_energy_mwh", None)
    if given is not None:
        energy = given.reindex(ai).fillna(0.0).astype(float)
    else:
        avail = c.availability.sel(site=list(ai)).sum("time").to_series().reindex(ai)
        energy = sites.loc[ai, "uptime"].astype(float) * avail * fixed.reindex(ai)
    return energy[energy > 0]


def _uptime_periods(
    inp: ModelInputs, site: str, energy: float, fixed: pd.Series
) -> dict[str, tuple[np.ndarray, float]]:
    """Hours and energy [MWh] of each period over which a site's uptime is kept.

    Monthly uptime (``uptime_period="month"``, the model's default) gives one requirement per
    month, ``uptime * sum_{t in m} availability * MW``; otherwise one over the whole window.
    """
    c = inp.compute
    assert c is not None
    if (
        getattr(c, "uptime_period", "year") != "month"
        or getattr(c, "uptime_energy_mwh", None) is not None
    ):
        return {"window": (np.ones(len(inp.snapshots), bool), energy)}
    avail = c.availability.sel(site=site).to_numpy()
    share = float(c.sites.loc[site, "uptime"]) * float(fixed[site])
    out = {}
    for month in pd.unique(inp.month):
        active = np.asarray(inp.month) == month
        out[str(month)] = (active, share * float(avail[active].sum()))
    return out


def _fuel_limits(inp: ModelInputs) -> pd.DataFrame:
    """One row per fuel and period with its cap and floor [MWh] and their penalties."""
    months = set(inp.month)
    fuels = set(inp.gens["fuel"])
    limits = inp.fuel_limits
    penalties = limits.get("penalty_usd_per_mwh", pd.Series(np.nan, index=limits.index))
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for row, penalty in zip(limits.itertuples(index=False), penalties, strict=True):
        fuel, period, energy = str(row.fuel), str(row.period), float(row.energy_mwh)
        penalty = float(penalty)
        kind = "cap" if row.sense == "<=" else "floor"
        if fuel not in fuels or (period != "year" and period not in months):
            # our model sums no generation here: 0 <= cap, or 0 >= floor
            if (kind == "cap" and energy >= 0) or (kind == "floor" and energy <= 0):
                continue
            if np.isnan(penalty):
                raise PypsaExportError(
                    f"the {fuel} {kind} of {energy:,.0f} MWh in {period} applies to no "
                    "generation modelled and cannot be met"
                )
            raise PypsaExportUnsupported(
                f"the priced {fuel} {kind} in {period} applies to no generation modelled: its "
                "penalty would be a constant, which a PyPSA network cannot carry"
            )
        entry = rows.setdefault(
            (fuel, period),
            {
                "fuel": fuel,
                "period": period,
                "tier": "window" if period == "year" else "months",
                "hours": len(inp.snapshots)
                if period == "year"
                else int((inp.month == period).sum()),
                "cap": np.inf,
                "cap_penalty": np.nan,
                "floor": -np.inf,
                "floor_penalty": np.nan,
            },
        )
        if np.isfinite(entry[kind]) and not (
            np.isnan(penalty) and np.isnan(entry[f"{kind}_penalty"])
        ):
            raise PypsaExportUnsupported(
                f"two {fuel} {kind}s in {period}, one of them priced: give one {kind} per "
                "fuel and period"
            )
        tighter = min if kind == "cap" else max
        entry[kind] = tighter(entry[kind], energy) if np.isfinite(entry[kind]) else energy
        entry[f"{kind}_penalty"] = penalty
    columns = ["fuel", "period", "tier", "hours", "cap", "cap_penalty", "floor", "floor_penalty"]
    return pd.DataFrame(list(rows.values()), columns=columns)


# --------------------------------------------------------------------------- recipe


def _series(values: Any, n: pypsa.Network) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=n.snapshots)


def _meter_bus(fuel: str, tier: str) -> str:
    return f"{fuel} energy meter ({tier})"


def _site_bus(inp: ModelInputs, layout: _Layout, site: str) -> str:
    """Bus a compute site draws from: its region, or its region's mining bus with credit."""
    assert inp.compute is not None
    row = inp.compute.sites.loc[site]
    if layout.credit and row["kind"] == "mining":
        return f"{row['region']} mining"
    return str(row["region"])


def add_carriers(n: pypsa.Network, inp: ModelInputs) -> None:
    """Add every carrier the network uses: fuels, compute kinds and bookkeeping."""
    names = ["AC", "transmission", "unserved", "reserve", "meter", "shortfall"]
    names += sorted(set(inp.gens["fuel"]))
    if inp.compute is not None:
        names += sorted(set(inp.compute.sites["kind"]))
    n.add("Carrier", list(dict.fromkeys(names)))


def add_regions(n: pypsa.Network, inp: ModelInputs) -> None:
    """Add per region a Bus, its demand (Load) and its unserved demand (Generator) [MW].

    ``0 <= unserved[t, r] <= p_nom * p_max_pu[t] = demand[t, r]``, priced at VOLL [USD/MWh].
    """
    regions = inp.regions
    n.add("Bus", regions, carrier="AC")
    demand = inp.demand.transpose("time", "region").to_numpy()
    loads = [f"demand {r}" for r in regions]
    n.add("Load", loads, bus=regions, p_set=pd.DataFrame(demand, n.snapshots, loads))
    unserved = [f"unserved {r}" for r in regions]
    p_nom = np.maximum(demand.max(axis=0), 1.0)
    n.add(
        "Generator",
        unserved,
        bus=regions,
        carrier="unserved",
        p_nom=p_nom,
        p_max_pu=pd.DataFrame(demand / p_nom, n.snapshots, unserved),
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


def add_reserve(n: pypsa.Network, inp: ModelInputs, layout: _Layout) -> None:
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
        p_max_pu=_series(headroom / p_nom, n),
        # never binding: counting output >= 0 and credit <= credit_max
        p_min_pu=_series(np.minimum(headroom, -credit_max) / p_nom, n),
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
            p_max_pu=_series(credit_max / credit_nom, n),
        )


def add_fuel_meters(n: pypsa.Network, inp: ModelInputs, layout: _Layout) -> None:
    """Add the energy meters of the fuels with limits [MWh].

    Per fuel and tier a Bus; per period an absorbing Generator ``fuel energy period``
    (``sign = -1``), active in the period's hours only, with
    ``floor <= sum_{t in period} p <= cap``. A priced cap adds an absorber ``fuel excess
    period``, a priced floor a supplier ``fuel shortfall period``, each at the penalty.
    """
    for (fuel, tier), rows in layout.limits.groupby(["fuel", "tier"]):
        bus = _meter_bus(str(fuel), str(tier))
        n.add("Bus", bus, carrier="meter")
        gens = inp.gens.index[inp.gens["fuel"] == fuel]
        p_nom = max(float(inp.p_max.sel(gen=gens).max("time").sum()), 1.0)
        periods = list(dict.fromkeys(inp.month)) if tier == "months" else ["year"]
        limits = rows.set_index("period")
        for period in periods:
            active = _series(
                np.ones(len(inp.snapshots)) if period == "year" else inp.month == period, n
            )
            lim = limits.loc[period].to_dict() if period in limits.index else _NO_LIMIT
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


def add_generators(n: pypsa.Network, inp: ModelInputs, layout: _Layout) -> None:
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
        for tier, port in _TIER_PORT.items():
            if (group["fuel"], tier) in tiers:
                ports.update(
                    {f"bus{port}": _meter_bus(group["fuel"], tier), f"efficiency{port}": 1.0}
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


def add_compute(n: pypsa.Network, inp: ModelInputs, layout: _Layout) -> None:
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
            "p_max_pu": avail[s],
            "marginal_cost": -value[s],
            "capital_cost": float(capital[s]),
        }
        if s in fixed.index:
            attrs.update(p_nom_min=float(fixed[s]), p_nom_max=float(fixed[s]))
        else:
            attrs.update(p_nom_max=float(row["max_mw"]))
        bus = _site_bus(inp, layout, s)
        if s not in energy.index:
            n.add("Generator", s, bus=bus, sign=-1.0, **attrs)
            continue
        meter = f"{s} uptime"
        n.add("Bus", meter, carrier="meter")
        n.add("Link", s, bus0=bus, bus1=meter, **attrs)
        for period, (active, required) in _uptime_periods(inp, s, float(energy[s]), fixed).items():
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
        _add_caps(n, inp, layout)


def _add_caps(n: pypsa.Network, inp: ModelInputs, layout: _Layout) -> None:
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
                bus=_site_bus(inp, layout, str(group.index[0])),
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


# --------------------------------------------------------------------------- solve and write


def pypsa_objective(n: pypsa.Network) -> float:
    """Objective of a solved network on our convention [USD].

    Fuel cost + VOLL * unserved + annuities - value of compute (+ VOLL * shortfall):
    ``n.objective + n.objective_constant``, plus the capital cost of non-extendable
    components, which PyPSA leaves out of its objective (a network from :func:`to_pypsa` has
    none: its fixed capacities are pinned extendables).

    Raises
    ------
    ValueError
        If the network has not been solved.
    """
    if getattr(n, "_objective", None) is None:
        raise ValueError("the network has not been solved: call n.optimize() first")
    total = float(n.objective or 0.0) + float(n.objective_constant or 0.0)
    for static in (n.generators, n.links):
        if static.empty:
            continue
        fixed = ~static["p_nom_extendable"].astype(bool)
        total += float((static["capital_cost"] * static["p_nom"])[fixed].sum())
    return total


def solve_pypsa(n: pypsa.Network, solver_name: str = "highs", **solver_options: Any) -> float:
    """Solve a network with PyPSA alone, quietly, and return :func:`pypsa_objective` [USD].

    PyPSA's own defaults otherwise (``n.optimize()``: the LP goes to HiGHS through a file);
    ``solver_options`` go to ``n.optimize`` (e.g. ``io_api="direct"``).

    Raises
    ------
    SolverError
        If PyPSA finds no optimum.
    """
    from gridsurplus.model.solve import solver_output_to_stderr

    options: dict[str, Any] = {"log_to_console": False, "progress": False}
    options.update(solver_options)
    with _pypsa_options(), solver_output_to_stderr():
        status, condition = n.optimize(
            solver_name=solver_name, include_objective_constant=False, **options
        )
    if status != "ok":
        raise SolverError(f"PyPSA found no optimum: status {status}, condition {condition}")
    return pypsa_objective(n)


def write_netcdf(n: pypsa.Network, path: str | Path) -> Path:
    """Write a network to a netCDF file (PyPSA's own format) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    deprecation = getattr(pd.errors, "Pandas4Warning", FutureWarning)
    with _pypsa_options(), warnings.catch_warnings():
        # PyPSA 1.4 sets pandas' deprecated 'future.infer_string' option while it writes
        warnings.filterwarnings(
            "ignore", message="The 'future.infer_string' option is deprecated", category=deprecation
        )
        n.export_to_netcdf(path)
    return path


def read_netcdf(path: str | Path) -> pypsa.Network:
    """Read a network written by :func:`write_netcdf` (or any PyPSA netCDF file)."""
    import pypsa

    with _pypsa_options(), warnings.catch_warnings():
        # PyPSA 1.4 reads with pandas' deprecated set_index(inplace=True)
        warnings.filterwarnings(
            "ignore", message="The inplace keyword in DataFrame.set_index is deprecated"
        )
        return pypsa.Network(Path(path))


def _example_inputs(ai: bool = False) -> ModelInputs:
    """Two hours in one region with one coal class, and optionally one AI site (examples)."""
    import xarray as xr

    from gridsurplus.model.inputs import ComputeInputs

    time = pd.date_range("2025-01-01", periods=2, freq="h", name="time")

    def hourly(value: float, dim: str, label: str) -> xr.DataArray:
        return xr.DataArray(
            np.full((2, 1), value), coords={"time": time, dim: [label]}, dims=("time", dim)
        )

    gens = pd.DataFrame(
        {
            "region": "A",
            "fuel": "coal",
            "cost_usd_per_mwh": 20.0,
            "capacity_mw": 100.0,
            "counts_for_reserve": False,
        },
        index=pd.Index(["coal"], name="gen"),
    )
    inp = ModelInputs(
        snapshots=time,
        month=np.array(["2025-01", "2025-01"]),
        demand=hourly(50.0, "region", "A"),
        gens=gens,
        p_max=hourly(100.0, "gen", "coal"),
        p_min=hourly(0.0, "gen", "coal"),
        budget=xr.DataArray(
            [[np.nan]], coords={"month": ["2025-01"], "gen": ["coal"]}, dims=("month", "gen")
        ),
        fuel_limits=pd.DataFrame(columns=["fuel", "period", "sense", "energy_mwh"]),
        links=pd.DataFrame(
            columns=[
                "from_region",
                "to_region",
                "capacity_mw",
                "capacity_reverse_mw",
                "loss_fraction",
            ]
        ),
        reserve=xr.DataArray(np.zeros(2), coords={"time": time}, dims="time"),
        voll_usd_per_mwh=1000.0,
    )
    if not ai:
        return inp
    sites = pd.DataFrame(
        {
            "tech": "dc",
            "region": "A",
            "kind": "ai",
            "annuity_usd_per_mw_year": 1e5,
            "uptime": 0.9,
            "max_mw": 10.0,
        },
        index=pd.Index(["dc@A"], name="site"),
    )
    caps = pd.DataFrame({"mining": [0.0], "ai": [10.0]}, index=["A"])
    compute = ComputeInputs(
        sites, hourly(200.0, "site", "dc@A"), hourly(1.0, "site", "dc@A"), caps, 10.0
    )
    return inp.with_compute(compute)
