"""What the siting model needs from economics: value and availability per tech, region and hour.

:func:`compute_values` turns the dataset's ``compute_techs`` and ``markets`` tables and the
plan year's hourly temperatures into one :class:`xarray.Dataset`:

* ``value_usd_per_mwh[tech, region, time]``: gross value of one MWh of grid energy consumed.
  Mining: hashprice revenue per MWh of ASIC power, net of the pool fee, times ``fleet_factor``,
  divided by the hour's cooling overhead. AI: GPU rental revenue per MWh of IT power divided by
  the hour's PUE.
* ``availability[tech, region, time]``: the largest share of the built MW (the grid connection,
  sized for the design-day overhead) that can be drawn that hour. Mining:
  ``derating(T) * overhead(T) / overhead_max``; AI: ``PUE(T) / PUE_design``.
* per tech: ``annuity_usd_per_mw_year`` (at the tech's ``discount_rate``, plus fixed O&M),
  ``discount_rate``, ``uptime``, ``kind``, ``efficiency_j_per_th``, ``machine_value_usd_per_mwh``
  (before overhead/PUE), ``capex_usd_per_mw``, ``fixed_om_usd_per_mw_year``, ``design_overhead``,
  ``life_it_years``, ``life_facility_years``, ``hashprice_usd_per_ph_day`` (mining); attributes
  ``plan_start_year``, ``discount_rate`` (the default), ``ai_market_mw_it`` [MW IT, or inf];
* scalar ``network_hashrate_eh_s``: the difficulty-implied network hashrate (``D * 2**32 / 600``)
  behind the mining values, weighted like them over the valuation years. The siting model
  iterates ``fleet_factor = fleet_correction(network, fleet)`` with
  ``fleet = sum fleet_hashrate_eh_s(built_mw / design_overhead, efficiency_j_per_th)`` over
  mining techs and regions (nameplate ASIC MW; derated hours make the fleet's real share
  smaller).

**Levelised by default.** Each tech's value is the discount-weighted mean of its yearly values
over its machines' economic life (``life_it_years``) from the plan start year
(``plan_start_year`` in ``markets``), so the 2028 halving, the BTC price and difficulty paths
and the GPU price path all enter the siting decision. ``year=`` values one calendar year
instead. The hourly shape (heat) is the plan year's and the same in every year.

Per MWh of grid energy, the built MW are the grid connection in every variable; capex and
fixed O&M in ``compute_techs`` are per MW of grid connection.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from gridsurplus.economics.asics import find_asic, load_asic_catalogue
from gridsurplus.economics.bitcoin import check_efficiency_j_per_th, revenue_usd_per_mwh
from gridsurplus.economics.datacenter import (
    check_kw_per_gpu,
    gpu_value_usd_per_mwh_it,
    kw_per_gpu_of,
)
from gridsurplus.economics.errors import EconomicsInputError, require_fraction
from gridsurplus.economics.finance import annuity, levelise_weighted, life_weights
from gridsurplus.economics.heat import check_temperature, cooling_design
from gridsurplus.economics.markets import Markets, hashprice_in_year

if TYPE_CHECKING:
    import pandas as pd
    import xarray as xr

MINING_COOLING = ("air", "hydro", "immersion")
AI_COOLING = ("air", "liquid")
_TECH_DEFAULTS: dict[str, Any] = {
    "label": "",
    "efficiency_j_per_th": float("nan"),
    "kw_per_gpu": float("nan"),
    "utilisation": 1.0,
    "fixed_om_usd_per_mw_year": 0.0,
    "uptime": 0.0,
}
_TECH_REQUIRED = (
    "tech",
    "kind",
    "model",
    "cooling",
    "capex_facility_usd_per_mw",
    "capex_it_usd_per_mw",
    "life_facility_years",
    "life_it_years",
)


def resolve_techs(dataset: Any) -> pd.DataFrame:
    """Return the dataset's compute technologies with every parameter the values need.

    Mining efficiency comes from the ASIC catalogue when ``efficiency_j_per_th`` is blank;
    AI power per GPU from ``data/compute/gpu_systems.csv`` when ``kw_per_gpu`` is blank.

    Parameters
    ----------
    dataset : Dataset or pandas.DataFrame
        A dataset with a ``compute_techs`` table, or that table itself.

    Returns
    -------
    pandas.DataFrame
        Indexed by tech.

    Raises
    ------
    EconomicsInputError
        If a value is missing, impossible or in the wrong unit, or an ASIC is unknown.
    """
    import pandas as pd

    frame = dataset if isinstance(dataset, pd.DataFrame) else dataset.table("compute_techs")
    missing = [c for c in _TECH_REQUIRED if c not in frame.columns]
    if missing:
        raise EconomicsInputError(f"compute_techs lacks column(s) {', '.join(missing)}")
    techs = frame.copy()
    for col, default in _TECH_DEFAULTS.items():
        if col not in techs.columns:
            techs[col] = default
    techs = techs.set_index("tech")
    if techs.empty:
        raise EconomicsInputError("compute_techs has no rows")
    catalogue = None
    efficiency, kw = [], []
    for tech, row in techs.iterrows():
        kind, cooling = str(row["kind"]), str(row["cooling"])
        if kind == "mining":
            if cooling not in MINING_COOLING:
                raise EconomicsInputError(
                    f"compute_techs '{tech}': mining cooling must be one of {MINING_COOLING}"
                )
            eff = float(row["efficiency_j_per_th"])
            if math.isnan(eff):
                catalogue = load_asic_catalogue() if catalogue is None else catalogue
                eff = float(find_asic(str(row["model"]), catalogue)["efficiency_J_per_TH"])
            efficiency.append(check_efficiency_j_per_th(eff, f"efficiency of '{tech}'"))
            kw.append(float("nan"))
        elif kind == "ai":
            if cooling not in AI_COOLING:
                raise EconomicsInputError(
                    f"compute_techs '{tech}': AI cooling must be one of {AI_COOLING}"
                )
            k = float(row["kw_per_gpu"])
            kw.append(check_kw_per_gpu(kw_per_gpu_of(str(row["model"])) if math.isnan(k) else k))
            efficiency.append(float("nan"))
        else:
            raise EconomicsInputError(
                f"compute_techs '{tech}': kind must be mining or ai, got {kind!r}"
            )
        require_fraction(float(row["utilisation"]), f"utilisation of '{tech}'")
        require_fraction(float(row["uptime"]), f"uptime of '{tech}'")
        for col in ("capex_facility_usd_per_mw", "capex_it_usd_per_mw", "fixed_om_usd_per_mw_year"):
            if not float(row[col]) >= 0:
                raise EconomicsInputError(f"compute_techs '{tech}': {col} must be >= 0")
        for col in ("life_facility_years", "life_it_years"):
            if not float(row[col]) > 0:
                raise EconomicsInputError(f"compute_techs '{tech}': {col} must be above zero")
    techs["efficiency_j_per_th"] = efficiency
    techs["kw_per_gpu"] = kw
    return techs


def _temperature(temperature_c: xr.DataArray, dataset: Any) -> xr.DataArray:
    import xarray as xr

    if not isinstance(temperature_c, xr.DataArray):
        raise EconomicsInputError(
            "temperature_c must be an xarray DataArray with dims ('time', 'region')"
        )
    if set(temperature_c.dims) != {"time", "region"}:
        raise EconomicsInputError(
            f"temperature_c must have dims ('time', 'region'), got {temperature_c.dims}"
        )
    temp = temperature_c.transpose("time", "region")
    check_temperature(temp.values)
    for dim in ("time", "region"):
        if dim not in temp.coords:
            raise EconomicsInputError(f"temperature_c needs a '{dim}' coordinate")
        if len(set(temp[dim].values.tolist())) != temp.sizes[dim]:
            raise EconomicsInputError(f"temperature_c has duplicated {dim} labels")
    regions = getattr(dataset, "regions", None)
    if regions is not None:
        expected = {str(r) for r in regions.index}
        given = {str(r) for r in temp["region"].values}
        if expected != given:
            lacking, extra = sorted(expected - given), sorted(given - expected)
            parts = []
            if lacking:
                parts.append(f"no temperature for region(s) {', '.join(lacking)}")
            if extra:
                parts.append(f"region(s) {', '.join(extra)} are not in the dataset")
            raise EconomicsInputError(
                "temperature_c does not match the dataset's regions: " + "; ".join(parts)
            )
    return temp


def _years(start: int, life: float, rate: float, year: int | None) -> tuple[list[int], list[float]]:
    if year is not None:
        return [int(year)], [1.0]
    weights = life_weights(rate, life)
    return [start + k for k in range(len(weights))], weights


def compute_values(
    dataset: Any,
    temperature_c: xr.DataArray,
    *,
    year: int | None = None,
    markets: Mapping[str, Any] | None = None,
    fleet_factor: float = 1.0,
) -> xr.Dataset:
    """Value and availability of every compute technology in every region and hour.

    Parameters
    ----------
    dataset : gridsurplus.dataset.Dataset
        Needs ``compute_techs``; ``markets`` unless ``markets=`` gives every quantity used;
        its ``regions`` (if any) must match the temperature's regions.
    temperature_c : xarray.DataArray
        Hourly outdoor dry-bulb temperature of the plan year, dims ``("time", "region")``
        [degC].
    year : int, optional
        Value this calendar year's markets instead of levelising over the machines' life
        from ``plan_start_year`` (see the module).
    markets : mapping, optional
        Overrides of the ``markets`` table: ``{quantity: value}`` for every year or
        ``{quantity: {year: value}}`` (e.g. ``{"btc_price_usd": 150_000}``), canonical units.
    fleet_factor : float
        Multiplies every mining value: ``network / (network + fleet)`` from
        :func:`gridsurplus.economics.bitcoin.fleet_correction` [fraction in (0, 1]].

    Returns
    -------
    xarray.Dataset
        Coordinates ``tech``, ``region``, ``time``; variables as listed in the module.

    Raises
    ------
    EconomicsInputError
        On impossible inputs (a missing market quantity, an unknown ASIC, a temperature in
        kelvin, regions that do not match, ...).
    """
    import numpy as np
    import xarray as xr

    factor = float(fleet_factor)
    if not 0 < factor <= 1:
        raise EconomicsInputError(
            f"fleet_factor must lie in (0, 1] (network/(network+fleet)), got {fleet_factor!r}"
        )
    techs = resolve_techs(dataset)
    mk = Markets.from_dataset(dataset, markets)
    temp = _temperature(temperature_c, dataset)
    t = temp.values  # (time, region)
    start = mk.plan_start_year()
    rates = np.array([mk.discount_rate(tech=str(n), kind=str(k)) for n, k in techs["kind"].items()])
    n_tech, (n_time, n_region) = len(techs), t.shape
    value = np.empty((n_tech, n_region, n_time))
    avail = np.empty((n_tech, n_region, n_time))
    machine_value = np.empty(n_tech)
    hashprice_lev = np.full(n_tech, np.nan)
    design = np.empty(n_tech)
    annuities = np.empty(n_tech)
    network_by_tech: list[tuple[float, float]] = []  # (weighted hashrate sum, weight sum)
    hp_cache: dict[int, dict[str, float]] = {}

    for i, (tech, row) in enumerate(techs.iterrows()):
        rate = float(rates[i])
        years, weights = _years(start, float(row["life_it_years"]), rate, year)
        if row["kind"] == "mining":
            cool = cooling_design("mining", str(row["cooling"]))
            yearly, hps, nets = [], [], []
            for y in years:
                if y not in hp_cache:
                    hp_cache[y] = hashprice_in_year(mk, y)
                hp = hp_cache[y]
                yearly.append(
                    revenue_usd_per_mwh(
                        hp["usd_per_ph_day"], row["efficiency_j_per_th"], hp["pool_fee"]
                    )
                )
                hps.append(hp["usd_per_ph_day"])
                nets.append(hp["network_hashrate_eh_s"])
            machine_value[i] = levelise_weighted(yearly, weights)
            hashprice_lev[i] = levelise_weighted(hps, weights)
            w = [v * wt for v, wt in zip(yearly, weights, strict=True)]
            network_by_tech.append((sum(n * x for n, x in zip(nets, w, strict=True)), sum(w)))
            overhead = cool.overhead(t)
            value[i] = (machine_value[i] * factor / overhead).T
            avail[i] = (cool.derating(t) * overhead / cool.overhead_max).T
        else:
            cool = cooling_design("ai", str(row["cooling"]))
            yearly = [
                gpu_value_usd_per_mwh_it(
                    mk.gpu_hour_usd(y, str(tech)), float(row["utilisation"]), row["kw_per_gpu"]
                )
                for y in years
            ]
            machine_value[i] = levelise_weighted(yearly, weights)
            overhead = cool.overhead(t)
            value[i] = (machine_value[i] / overhead).T
            avail[i] = (overhead / cool.overhead_max).T
        design[i] = cool.overhead_max
        annuities[i] = (
            annuity(
                float(row["capex_facility_usd_per_mw"]), rate, float(row["life_facility_years"])
            )
            + annuity(float(row["capex_it_usd_per_mw"]), rate, float(row["life_it_years"]))
            + float(row["fixed_om_usd_per_mw_year"])
        )

    if network_by_tech:
        num = sum(a for a, _ in network_by_tech)
        den = sum(b for _, b in network_by_tech)
        network = (
            num / den if den > 0 else float(hashprice_in_year(mk, start)["network_hashrate_eh_s"])
        )
    else:
        network = float("nan")

    tech_dim = ("tech",)
    cube = ("tech", "region", "time")
    mode = f"year {year}" if year is not None else f"levelised over the machines' life from {start}"
    out = xr.Dataset(
        {
            "value_usd_per_mwh": (
                cube,
                value,
                {"units": "USD/MWh", "long_name": "value of one MWh of grid energy"},
            ),
            "availability": (
                cube,
                avail,
                {"units": "fraction", "long_name": "share of built MW that can be drawn"},
            ),
            "annuity_usd_per_mw_year": (tech_dim, annuities, {"units": "USD/MW/yr"}),
            "discount_rate": (tech_dim, rates, {"units": "fraction/yr"}),
            "uptime": (tech_dim, techs["uptime"].to_numpy(dtype=float), {"units": "fraction"}),
            "kind": (tech_dim, techs["kind"].astype(str).to_numpy(dtype=str)),
            "efficiency_j_per_th": (
                tech_dim,
                techs["efficiency_j_per_th"].to_numpy(dtype=float),
                {"units": "J/TH"},
            ),
            "machine_value_usd_per_mwh": (
                tech_dim,
                machine_value,
                {"units": "USD/MWh of ASIC or IT energy"},
            ),
            "hashprice_usd_per_ph_day": (tech_dim, hashprice_lev, {"units": "USD/(PH/s)/day"}),
            "capex_usd_per_mw": (
                tech_dim,
                (techs["capex_facility_usd_per_mw"] + techs["capex_it_usd_per_mw"]).to_numpy(
                    dtype=float
                ),
                {"units": "USD/MW"},
            ),
            "fixed_om_usd_per_mw_year": (
                tech_dim,
                techs["fixed_om_usd_per_mw_year"].to_numpy(dtype=float),
            ),
            "design_overhead": (
                tech_dim,
                design,
                {"units": "ratio", "long_name": "design-day overhead or PUE"},
            ),
            "life_it_years": (
                tech_dim,
                techs["life_it_years"].to_numpy(dtype=float),
                {"units": "years"},
            ),
            "life_facility_years": (
                tech_dim,
                techs["life_facility_years"].to_numpy(dtype=float),
                {"units": "years"},
            ),
            "network_hashrate_eh_s": ((), network, {"units": "EH/s"}),
        },
        coords={
            "tech": techs.index.astype(str).to_numpy(dtype=str),
            "region": temp["region"].values,
            "time": temp["time"].values,
        },
        attrs={
            "valuation": mode,
            "plan_start_year": start,
            "discount_rate": mk.discount_rate(),
            "ai_market_mw_it": mk.ai_market_mw_it(),
            "fleet_factor": factor,
            "exchange_rate": float(getattr(dataset, "exchange_rate", float("nan"))),
        },
    )
    return out


def network_hashrate_for(values: xr.Dataset) -> float:
    """Network hashrate [EH/s] behind a :func:`compute_values` result, for the fleet correction."""
    return float(values["network_hashrate_eh_s"])


def values_frame(values: xr.Dataset) -> pd.DataFrame:
    """Return the hourly variables of :func:`compute_values` as a tidy frame.

    Returns
    -------
    pandas.DataFrame
        Columns ``tech``, ``region``, ``time``, ``value_usd_per_mwh``, ``availability``.
    """
    return values[["value_usd_per_mwh", "availability"]].to_dataframe().reset_index()
