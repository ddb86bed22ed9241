"""How each uncertain input enters a plan: one small function per parameter.

An applier takes :class:`Inputs` (the dataset, the market overrides and the plan options) and
the sampled value, and returns new ones; nothing is changed in place. A new parameter plugs in
as one function registered in :data:`APPLIERS` (and placed in :data:`APPLY_ORDER` when it must
come before or after another, such as demand growth before rooftop solar).

Where the planner has no input for a parameter yet, its applier raises a
:class:`~gridsurplus.scenarios.spec.ScenarioError` that names the missing input, so a sweep
refuses to start instead of running plans that ignore it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.dataset import Dataset
from gridsurplus.scenarios.spec import ScenarioError, ScenarioSpec

AI_MARKET_QUANTITY = "ai_market_mw_it"
"""The markets quantity that caps the programme's AI builds [MW IT]."""


@dataclass(frozen=True)
class Inputs:
    """What a scenario changes: the dataset, market overrides and plan options.

    Attributes
    ----------
    ds : Dataset
        The dataset.
    markets : dict
        Overrides of the ``markets`` table, as ``PlanOptions.markets`` takes them.
    options : PlanOptions
        Plan options (their ``markets`` field is replaced by ``markets`` when planning).
    """

    ds: Dataset
    markets: dict[str, Any]
    options: Any


Applier = Callable[..., Inputs]


# --------------------------------------------------------------------------- helpers


def _with_tables(ds: Dataset, **tables: pd.DataFrame) -> Dataset:
    return replace(ds, tables={**ds.tables, **tables})


def _option(inp: Inputs, name: str, value: Any) -> Inputs:
    if name not in {f.name for f in fields(inp.options)}:
        raise ScenarioError(f"the plan options have no '{name}' field, which this parameter sets")
    return replace(inp, options=replace(inp.options, **{name: value}))


def _markets(inp: Inputs) -> Any:
    from gridsurplus.economics.markets import Markets

    return Markets.from_dataset(inp.ds, {**(inp.options.markets or {}), **inp.markets})


def _first_year(inp: Inputs, quantity: str) -> int:
    """Year of the dataset's first row of a level (the year a sampled level stands for)."""
    series = _markets(inp).series.get(quantity)
    return int(min(series)) if series else int(_markets(inp).plan_start_year())


def _set_market(inp: Inputs, quantity: str, value: Any) -> Inputs:
    return replace(inp, markets={**inp.markets, quantity: value})


# --------------------------------------------------------------------------- markets


def btc_price_usd(inp: Inputs, value: float, year: int | None = None) -> Inputs:
    """BTC price [USD/BTC] in ``year`` (default: the dataset's first BTC price row).

    Later years follow ``btc_price_growth`` (0 unless sampled).
    """
    return _set_market(inp, "btc_price_usd", {year or _first_year(inp, "btc_price_usd"): value})


def btc_price_growth(inp: Inputs, value: float) -> Inputs:
    """Yearly change of the BTC price after its level's year [fraction/yr]."""
    return _set_market(inp, "btc_price_growth", value)


def network_hashrate_growth(inp: Inputs, value: float) -> Inputs:
    """Network hashrate growth (hence difficulty) every year after the last given [fraction/yr]."""
    return _set_market(inp, "network_hashrate_growth", value)


def gpu_hour_usd(inp: Inputs, value: float, year: int | None = None) -> Inputs:
    """GPU-hour rent [USD/GPU-h] in ``year`` (default: the dataset's first GPU price row)."""
    return _set_market(inp, "gpu_hour_usd", {year or _first_year(inp, "gpu_hour_usd"): value})


def gpu_hour_usd_growth(inp: Inputs, value: float) -> Inputs:
    """Yearly change of the GPU-hour price from the plan's start [fraction/yr]."""
    start = int(_markets(inp).plan_start_year())
    return _set_market(inp, "gpu_hour_usd_growth", {start: value})


def discount_rate(inp: Inputs, value: float) -> Inputs:
    """Real cost of capital in USD of every investor and technology [fraction/yr]."""
    return _set_market(inp, "discount_rate", value)


def discount_rate_by_tech(inp: Inputs, value: float, tech: str = "") -> Inputs:
    """Real cost of capital of one kind of investor or technology [fraction/yr].

    ``tech`` is a kind (``mining``, ``ai``) or a technology of ``compute_techs``; it sets the
    markets quantity ``discount_rate:<tech>``, which wins over the kind's and the plain rate.
    """
    techs = inp.ds.tables["compute_techs"]
    known = set(techs["tech"].astype(str)) | set(techs["kind"].astype(str))
    if tech not in known:
        raise ScenarioError(
            f"cost of capital: '{tech}' is neither a technology nor a kind of compute_techs "
            f"({', '.join(sorted(known))})"
        )
    return _set_market(inp, f"discount_rate:{tech}", value)


def foreign_ownership_share(inp: Inputs, value: float, tech: str = "") -> Inputs:
    """Share of the operators' profit repatriated abroad [fraction], of one tech or kind or all.

    Sets the ``foreign_ownership_share`` column of ``compute_techs`` for the rows whose ``tech``
    or ``kind`` is ``tech`` (every row when ``tech`` is empty).
    """
    if not 0.0 <= value <= 1.0:
        raise ScenarioError(f"foreign ownership share must be within 0-1, got {value:g}")
    techs = inp.ds.tables["compute_techs"].copy()
    rows = (techs["tech"] == tech) | (techs["kind"] == tech) if tech else techs["tech"].notna()
    if not rows.any():
        raise ScenarioError(f"foreign ownership: no technology or kind '{tech}' in compute_techs")
    techs.loc[rows, "foreign_ownership_share"] = float(value)
    return replace(inp, ds=_with_tables(inp.ds, compute_techs=techs))


def tariff_pkr_per_kwh(inp: Inputs, value: float) -> Inputs:
    """Posted flat tariff for compute [dataset currency/kWh]."""
    from gridsurplus.economics.tariffs import Tariff

    unit = f"{inp.ds.currency}/kWh"
    return _option(inp, "tariff", Tariff.flat(value, unit, name=f"flat {value:.4g} {unit}"))


def programme_mw(inp: Inputs, value: float) -> Inputs:
    """National cap on all compute [MW]."""
    return _option(inp, "programme_mw", float(value))


def ai_market_mw(inp: Inputs, value: float) -> Inputs:
    """IT load of AI the market would rent from the country [MW IT]: a cap on AI builds.

    Sets the markets quantity ``ai_market_mw_it``; a hall's grid connection is its IT load
    times its design PUE.
    """
    if value < 0:
        raise ScenarioError(f"AI market must be >= 0 MW IT, got {value:g}")
    return _set_market(inp, AI_MARKET_QUANTITY, float(value))


# --------------------------------------------------------------------------- the grid


def hosting_limit_scale(
    inp: Inputs, value: float, kinds: tuple[str, ...] = ("mining", "ai")
) -> Inputs:
    """Scale the regions' hosting limits (``max_mining_mw``, ``max_ai_mw``) [factor]."""
    if value < 0:
        raise ScenarioError(f"hosting limit scale must be >= 0, got {value:g}")
    regions = inp.ds.tables["regions"].copy()
    for kind in kinds:
        col = {"mining": "max_mining_mw", "ai": "max_ai_mw"}[kind]
        regions[col] = regions[col].astype(float) * value
    return replace(inp, ds=_with_tables(inp.ds, regions=regions))


def demand_growth(inp: Inputs, value: float, years: float = 2.0) -> Inputs:
    """Demand growth [fraction/yr] over ``years`` from the reference year: demand x (1+g)^years."""
    factor = (1.0 + value) ** years
    ds = inp.ds
    if ds.demand_hourly is not None:
        return replace(inp, ds=replace(ds, demand_hourly=ds.demand_hourly * factor))
    monthly = ds.tables["demand_monthly"].copy()
    monthly["energy_gwh"] = monthly["energy_gwh"].astype(float) * factor
    return replace(inp, ds=_with_tables(ds, demand_monthly=monthly))


def rooftop_solar_mw(inp: Inputs, value: float, grid_displacement_share: float = 1.0) -> Inputs:
    """Rooftop (behind-the-meter) solar added [MW]: lowers each region's demand hour by hour.

    The MW are shared among regions by ``demand_share``; each region's demand falls by its MW
    times the PV output per MW at the region's centre (the dataset's solar profile) times
    ``grid_displacement_share`` (the part of the panels' output that replaces grid power rather
    than diesel or unserved load), never below zero.
    """
    from gridsurplus.profiles.demand import regional_demand
    from gridsurplus.profiles.renewables import solar_profile

    if value < 0:
        raise ScenarioError(f"rooftop solar added must be >= 0 MW, got {value:g}")
    ds = inp.ds
    demand = regional_demand(ds).astype(float)
    regions = ds.regions
    shares = regions["demand_share"].astype(float)
    shares = shares / shares.sum()
    cut = pd.DataFrame(
        {
            r: value
            * grid_displacement_share
            * shares[r]
            * solar_profile(ds, float(regions.loc[r, "lat"]), float(regions.loc[r, "lon"]))
            for r in demand.columns
        },
        index=demand.index,
    )
    if cut.isna().to_numpy().any():
        raise ScenarioError(
            "rooftop solar: the dataset's monthly_factors table has no full 'solar' profile "
            "(12 months of clear-sky index), which the solar output per MW needs"
        )
    return replace(inp, ds=replace(ds, demand_hourly=(demand - cut).clip(lower=0.0)))


def hydro_energy_multiplier(inp: Inputs, value: float, fuel: str = "hydro") -> Inputs:
    """Scale every month's water (``energy_budgets`` rows of kind ``water``) [factor].

    A month is capped at what its plants can generate in it (wet months can be full already).
    """
    from gridsurplus.calendar import hours_per_month

    if value < 0:
        raise ScenarioError(f"hydro energy multiplier must be >= 0, got {value:g}")
    ds = inp.ds
    budgets = ds.tables["energy_budgets"].copy()
    rows = (budgets["fuel"] == fuel) & (budgets["kind"] == "water")
    if not rows.any():
        raise ScenarioError(f"hydrology: the dataset has no water budget for fuel '{fuel}'")
    plants = ds.plants(generating_only=True)
    cap_mw = float(plants.loc[plants["fuel"] == fuel, "capacity_mw"].sum())
    hours = hours_per_month(ds.snapshots)
    most = budgets.loc[rows, "month"].map(hours).astype(float) * cap_mw / 1000.0
    scaled = budgets.loc[rows, "energy_gwh"].astype(float) * value
    budgets.loc[rows, "energy_gwh"] = np.minimum(scaled, most)
    return replace(inp, ds=_with_tables(ds, energy_budgets=budgets))


def _scale_fuel_cost(ds: Dataset, fuels_: list[str], factor: float) -> Dataset:
    plants = ds.tables["plants"].copy()
    fuels = ds.tables["fuels"].copy()
    unknown = sorted(set(fuels_) - set(fuels["fuel"]))
    if unknown:
        raise ScenarioError(f"fuel(s) {', '.join(unknown)} are not in the dataset's fuels table")
    f_rows = fuels["fuel"].isin(fuels_)
    fuels.loc[f_rows, "marginal_cost_per_kwh"] = (
        fuels.loc[f_rows, "marginal_cost_per_kwh"].astype(float) * factor
    )
    p_rows = plants["fuel"].isin(fuels_)
    plants.loc[p_rows, "marginal_cost_per_kwh"] = (
        plants.loc[p_rows, "marginal_cost_per_kwh"].astype(float) * factor
    )
    return _with_tables(ds, plants=plants, fuels=fuels)


def fuel_price(
    inp: Inputs,
    value: float,
    fuels: tuple[str, ...] = ("rlng",),
    reference: float = 1.0,
    fuel_share_of_cost: float = 1.0,
) -> Inputs:
    """A fuel's price [its unit]: plants burning it get a marginal cost scaled accordingly.

    ``cost = cost_ref x (1 + fuel_share_of_cost x (value / reference - 1))``: ``reference`` is
    the fuel price behind the dataset's marginal costs and ``fuel_share_of_cost`` the fuel's
    share of them (the rest is variable O&M).
    """
    if value < 0 or reference <= 0:
        raise ScenarioError("a fuel price must be >= 0 and its reference above zero")
    factor = 1.0 + fuel_share_of_cost * (value / reference - 1.0)
    return replace(inp, ds=_scale_fuel_cost(inp.ds, list(fuels), factor))


def exchange_rate(
    inp: Inputs, value: float, imported_fuels: tuple[str, ...] = ("rlng", "coal_imported")
) -> Inputs:
    """Local currency per USD: local costs, the tariff and capacity payments move in USD.

    Imported fuels keep their USD cost (their local-currency cost moves with the rate).
    """
    if value <= 0:
        raise ScenarioError(f"exchange rate must be above zero, got {value:g}")
    ds = inp.ds
    ds = _scale_fuel_cost(ds, list(imported_fuels), value / ds.exchange_rate)
    return replace(inp, ds=replace(ds, meta={**ds.meta, "exchange_rate": float(value)}))


APPLIERS: dict[str, Applier] = {
    f.__name__: f
    for f in (
        btc_price_usd,
        btc_price_growth,
        network_hashrate_growth,
        gpu_hour_usd,
        gpu_hour_usd_growth,
        discount_rate,
        discount_rate_by_tech,
        foreign_ownership_share,
        tariff_pkr_per_kwh,
        programme_mw,
        ai_market_mw,
        hosting_limit_scale,
        demand_growth,
        rooftop_solar_mw,
        hydro_energy_multiplier,
        fuel_price,
        exchange_rate,
    )
}
"""Every applier by name (the ``applier`` field of a scenario file's parameter)."""

APPLY_ORDER = (
    "fuel_price",  # fuel prices in their own unit, then the exchange rate moves local costs
    "exchange_rate",
    "demand_growth",  # demand grows before rooftop solar takes its bite
    "rooftop_solar_mw",
)
"""Appliers that must run in this order; all others run first, in file order."""


def _rank(applier: str) -> int:
    return APPLY_ORDER.index(applier) + 1 if applier in APPLY_ORDER else 0


def check_appliers(spec: ScenarioSpec) -> None:
    """Refuse a spec whose parameters name no applier, or give it unknown options."""
    import inspect

    for p in spec.active:
        if p.applier not in APPLIERS:
            raise ScenarioError(
                f"{spec.path or 'scenario file'}: parameter '{p.name}' names applier "
                f"'{p.applier}', which does not exist; known: {', '.join(APPLIERS)}"
            )
        accepted = set(inspect.signature(APPLIERS[p.applier]).parameters) - {"inp", "value"}
        unknown = sorted(set(p.options) - accepted)
        if unknown:
            raise ScenarioError(
                f"{spec.path or 'scenario file'}: parameter '{p.name}': applier '{p.applier}' "
                f"takes no option(s) {', '.join(unknown)} (it takes: "
                f"{', '.join(sorted(accepted)) or 'none'})"
            )


def apply_scenario(base: Inputs, spec: ScenarioSpec, values: dict[str, float]) -> Inputs:
    """Apply one scenario's values to the base inputs, each through its applier.

    Parameters
    ----------
    base : Inputs
        The dataset, market overrides and plan options before the scenario.
    spec : ScenarioSpec
        The scenario file.
    values : dict
        Sampled value of each enabled parameter.

    Returns
    -------
    Inputs
        The scenario's inputs.
    """
    params = sorted(spec.active, key=lambda p: _rank(p.applier))
    inp = base
    for p in params:
        if p.name not in values:
            raise ScenarioError(f"scenario lacks a value for parameter '{p.name}'")
        options = {k: tuple(v) if isinstance(v, list) else v for k, v in p.options.items()}
        inp = APPLIERS[p.applier](inp, float(values[p.name]), **options)
    return inp
