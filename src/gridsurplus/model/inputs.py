"""Everything the optimisation model needs, as plain labelled arrays (no file access).

:func:`model_inputs` turns a dataset and its profiles into :class:`ModelInputs`: generator
classes (plants of the same region, fuel, profile and cost merged, which is exact for a
linear model), links, demand, reserve and, optionally, the compute sites that may be built.
:meth:`ModelInputs.select` cuts a time window out of it (a month for the decomposition, a week
for tests) with budgets and uptime requirements scaled to the window.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.calendar import HOURS_PER_YEAR
from gridsurplus.dataset import Dataset


@dataclass(frozen=True)
class ComputeInputs:
    """Compute sites that may be built, and what a MWh is worth to them each hour.

    Attributes
    ----------
    sites : pandas.DataFrame
        Indexed by site (``tech@region``): ``tech``, ``region``, ``kind`` (mining/ai),
        ``annuity_usd_per_mw_year``, ``uptime`` [fraction], ``max_mw`` (per-site bound, MW),
        and optionally ``it_mw_per_mw``: MW of IT load per MW of grid connection (``1 /``
        design PUE) for AI sites, which the AI market cap counts in (default 1).
    value : xarray.DataArray
        ``[time, site]`` value of one MWh of grid energy consumed [USD/MWh].
    availability : xarray.DataArray
        ``[time, site]`` largest share of the built MW that can be drawn [fraction].
    kind_caps : pandas.DataFrame
        ``[region, kind]`` most MW of each kind the region can host (shared by its techs).
    programme_mw : float
        National cap on all compute built [MW].
    ai_market_mw_it : float
        IT load of AI the market would rent from the country [MW IT]: a national cap on the
        AI sites' builds converted to IT load (``inf``: no cap).
    fixed_mw : pandas.Series or None
        Builds fixed in advance [MW] (sites fixed rather than sited), or None; a site missing
        from the series or NaN in it is sited freely.
    reserve_share : float
        Share of the operating reserve that interruptible mining may provide [fraction].
    uptime_energy_mwh : pandas.Series or None
        Energy each AI site must draw in the hours modelled [MWh], instead of
        ``uptime * sum_t availability * build`` (the decomposition hands each month its share
        of the year's requirement this way).
    uptime_period : {"month", "year"}
        Over what the uptime share is kept: every month (as service-level agreements measure
        availability; the default) or over the whole window.
    """

    sites: pd.DataFrame
    value: xr.DataArray
    availability: xr.DataArray
    kind_caps: pd.DataFrame
    programme_mw: float
    ai_market_mw_it: float = float("inf")
    fixed_mw: pd.Series | None = None
    reserve_share: float = 0.0
    uptime_energy_mwh: pd.Series | None = None
    uptime_period: str = "month"

    def subset(self, sites: pd.Index | list[str]) -> ComputeInputs:
        """Only these sites; the others are not modelled (as if fixed at 0 MW)."""
        keep = list(sites)
        return replace(
            self,
            sites=self.sites.loc[keep],
            value=self.value.sel(site=keep),
            availability=self.availability.sel(site=keep),
            fixed_mw=None if self.fixed_mw is None else self.fixed_mw.reindex(keep),
            uptime_energy_mwh=(
                None
                if self.uptime_energy_mwh is None
                else self.uptime_energy_mwh[self.uptime_energy_mwh.index.isin(keep)]
            ),
        )

    def ai_it_per_mw(self) -> pd.Series:
        """MW of IT load per MW built of each AI site [MW IT/MW] (``1 / PUE_design``)."""
        ai = self.sites[self.sites["kind"] == "ai"]
        if "it_mw_per_mw" not in ai.columns:
            return pd.Series(1.0, index=ai.index)
        return ai["it_mw_per_mw"].astype(float).fillna(1.0)

    def ai_market_binds(self) -> bool:
        """Whether the AI market cap could bind: below the IT load of every AI site at its bound."""
        per_mw = self.ai_it_per_mw()
        most = float((self.sites.loc[per_mw.index, "max_mw"] * per_mw).sum())
        return len(per_mw) > 0 and self.ai_market_mw_it < most


@dataclass(frozen=True)
class ModelInputs:
    """Inputs of the dispatch and siting model over a set of hours.

    Attributes
    ----------
    snapshots : pandas.DatetimeIndex
        The hours modelled.
    month : numpy.ndarray
        ``YYYY-MM`` of each snapshot.
    demand : xarray.DataArray
        ``[time, region]`` demand to serve [MW].
    gens : pandas.DataFrame
        Generator classes: ``region``, ``fuel``, ``mix_group``, ``cost_usd_per_mwh``,
        ``capacity_mw``, ``must_run``, ``counts_for_reserve``, ``plants`` (merged ids).
    p_max, p_min : xarray.DataArray
        ``[time, gen]`` output bounds [MW].
    budget : xarray.DataArray
        ``[month, gen]`` energy a class may generate in the month [MWh] (NaN: no budget).
    fuel_limits : pandas.DataFrame
        Energy limits on a fuel's generation: ``fuel``, ``period`` (``YYYY-MM`` or ``year``),
        ``sense`` (``<=`` cap, ``>=`` floor) and ``energy_mwh`` for the hours modelled, and
        optionally ``penalty_usd_per_mwh``: a price on missing the limit instead of a hard limit
        (the decomposition gives each month a share of a yearly limit this way).
    links : pandas.DataFrame
        ``from_region``, ``to_region``, ``capacity_mw``, ``capacity_reverse_mw``, ``loss_fraction``.
    reserve : xarray.DataArray
        ``[time]`` operating reserve to keep [MW].
    voll_usd_per_mwh : float
        Penalty on unserved demand [USD/MWh].
    compute : ComputeInputs or None
        Compute sites, if the model sites compute.
    unserved_max : xarray.DataArray or None
        ``[time, region]`` most demand the model may leave unserved [MW]: the base dispatch's
        (nothing built), so that compute never sheds demand; None: up to the demand itself.
    """

    snapshots: pd.DatetimeIndex
    month: np.ndarray
    demand: xr.DataArray
    gens: pd.DataFrame
    p_max: xr.DataArray
    p_min: xr.DataArray
    budget: xr.DataArray
    fuel_limits: pd.DataFrame
    links: pd.DataFrame
    reserve: xr.DataArray
    voll_usd_per_mwh: float
    compute: ComputeInputs | None = None
    unserved_max: xr.DataArray | None = None

    @property
    def regions(self) -> list[str]:
        """Region ids, in dataset order."""
        return list(self.demand.coords["region"].values)

    @property
    def year_share(self) -> float:
        """Share of a year the snapshots cover (scales annuities) [fraction]."""
        return len(self.snapshots) / HOURS_PER_YEAR

    def select(self, hours: pd.DatetimeIndex | slice | np.ndarray) -> ModelInputs:
        """Cut out a window of hours.

        Monthly budgets and caps are kept for the months the window touches, pro rata to the
        share of each month's hours it covers (so a one-week window gets a week's water).

        Parameters
        ----------
        hours : pandas.DatetimeIndex, slice or boolean array
            The hours to keep.

        Returns
        -------
        ModelInputs
            A model of the window only.
        """
        if isinstance(hours, slice):
            keep = np.zeros(len(self.snapshots), dtype=bool)
            keep[self.snapshots.slice_indexer(hours.start, hours.stop)] = True
        elif isinstance(hours, np.ndarray) and hours.dtype == bool:
            keep = hours
        else:
            keep = np.asarray(self.snapshots.isin(pd.DatetimeIndex(hours)))
        snapshots = self.snapshots[keep]
        month = self.month[keep]
        all_counts = pd.Series(self.month).value_counts()
        kept_counts = pd.Series(month).value_counts()
        months = list(pd.unique(month))
        month_share = kept_counts.reindex(months) / all_counts.reindex(months)
        share = xr.DataArray(month_share.to_numpy(), coords={"month": months}, dims="month")
        limits = self.fuel_limits[self.fuel_limits["period"].isin([*months, "year"])].copy()
        factor = limits["period"].map(month_share).fillna(len(snapshots) / len(self.snapshots))
        limits["energy_mwh"] = limits["energy_mwh"] * factor
        t = {"time": snapshots}
        compute = self.compute
        if compute is not None:
            compute = replace(
                compute,
                value=compute.value.sel(t),
                availability=compute.availability.sel(t),
            )
        return replace(
            self,
            snapshots=snapshots,
            month=month,
            demand=self.demand.sel(t),
            p_max=self.p_max.sel(t),
            p_min=self.p_min.sel(t),
            budget=self.budget.sel(month=months) * share,
            fuel_limits=limits,
            reserve=self.reserve.sel(t),
            compute=compute,
            unserved_max=None if self.unserved_max is None else self.unserved_max.sel(t),
        )

    def with_compute(self, compute: ComputeInputs | None) -> ModelInputs:
        """Return a copy with other compute sites (None: the base dispatch)."""
        return replace(self, compute=compute)


def _merge_key(plants: pd.DataFrame) -> pd.Series:
    cost = plants["marginal_cost_usd_per_mwh"].round(4).astype(str)
    return plants["region"] + "|" + plants["fuel"] + "|" + plants["profile"] + "|" + cost


def model_inputs(ds: Dataset, profiles: xr.Dataset) -> ModelInputs:
    """Assemble the base dispatch inputs from a dataset and its profiles.

    Plants with the same region, fuel, profile and marginal cost are merged into one class;
    their hourly bounds and monthly budgets add up, which leaves the linear model's optimum
    unchanged.

    Parameters
    ----------
    ds : Dataset
        The dataset.
    profiles : xarray.Dataset
        Output of :func:`gridsurplus.profiles.build_profiles` for the same dataset.

    Returns
    -------
    ModelInputs
        Inputs for the full reference year, without compute.
    """
    plants = ds.plants(generating_only=True).loc[list(profiles.coords["plant"].values)]
    key = _merge_key(plants)
    cap = xr.DataArray(
        plants["capacity_mw"].to_numpy(), coords={"plant": plants.index}, dims="plant"
    )
    group = xr.DataArray(key.to_numpy(), coords={"plant": plants.index}, dims="plant", name="gen")
    p_max = (profiles["p_max_pu"] * cap).groupby(group).sum()
    p_min = (profiles["p_min_pu"] * cap).groupby(group).sum()
    budget = profiles["budget_mwh"].groupby(group).sum(min_count=1)
    first = plants.groupby(key, sort=True).first()
    gens = pd.DataFrame(
        {
            "region": first["region"],
            "fuel": first["fuel"],
            "mix_group": first["mix_group"],
            "cost_usd_per_mwh": first["marginal_cost_usd_per_mwh"].astype(float),
            "capacity_mw": plants.groupby(key)["capacity_mw"].sum(),
            "must_run": first["must_run"].astype(bool),
            "counts_for_reserve": first["counts_for_reserve"].astype(bool),
            "plants": plants.index.to_series().groupby(key).agg(" ".join),
        }
    )
    gens.index = pd.Index(
        [f"{r}-{f}" + (f"-{i}" if n > 1 else "") for (r, f), i, n in _numbered(gens)], name="gen"
    )
    rename = dict(zip(first.index, gens.index, strict=True))
    p_max = p_max.assign_coords(gen=[rename[g] for g in p_max.coords["gen"].values]).sel(
        gen=gens.index
    )
    p_min = p_min.assign_coords(gen=[rename[g] for g in p_min.coords["gen"].values]).sel(
        gen=gens.index
    )
    budget = budget.assign_coords(gen=[rename[g] for g in budget.coords["gen"].values]).sel(
        gen=gens.index
    )
    fuel_limits = pd.DataFrame(
        [
            {
                "fuel": row["fuel"],
                "period": row["month"],
                "sense": "<=" if row["kind"] == "cap" else ">=",
                "energy_mwh": float(row["energy_gwh"]) * 1000.0,
            }
            for _, row in (
                ds.tables.get("energy_budgets", pd.DataFrame(columns=["kind"])).iterrows()
            )
            if row["kind"] in ("cap", "floor") and row["fuel"] in set(gens["fuel"])
        ],
        columns=["fuel", "period", "sense", "energy_mwh"],
    )
    demand = profiles["demand_mw"]
    reserve_cfg = ds.meta.get("reserve", {}) or {}
    reserve = float(reserve_cfg.get("mw", 0.0)) + float(
        reserve_cfg.get("share_of_load", 0.0)
    ) * demand.sum("region")
    reserve = xr.zeros_like(demand.isel(region=0), dtype=float).drop_vars("region") + reserve
    return ModelInputs(
        snapshots=pd.DatetimeIndex(profiles.coords["time"].values, name="time"),
        month=np.asarray(profiles.coords["time_month"].values),
        demand=demand.drop_vars("time_month", errors="ignore"),
        gens=gens,
        p_max=p_max.drop_vars("time_month", errors="ignore"),
        p_min=p_min.drop_vars("time_month", errors="ignore"),
        budget=budget,
        fuel_limits=fuel_limits,
        links=ds.links[
            ["from_region", "to_region", "capacity_mw", "capacity_reverse_mw", "loss_fraction"]
        ],
        reserve=reserve.drop_vars("time_month", errors="ignore"),
        voll_usd_per_mwh=ds.voll_usd_per_mwh,
    )


def _numbered(gens: pd.DataFrame):  # type: ignore[no-untyped-def]
    counts = gens.groupby(["region", "fuel"]).size()
    seen: dict[tuple[str, str], int] = {}
    for region, fuel in zip(gens["region"], gens["fuel"], strict=True):
        k = (region, fuel)
        seen[k] = seen.get(k, 0) + 1
        yield k, seen[k], counts[k]
