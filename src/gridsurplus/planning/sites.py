"""Where compute may go and what it pays: candidate sites, their values and the posted tariff."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.dataset import Dataset
from gridsurplus.model.inputs import ComputeInputs, ModelInputs
from gridsurplus.planning.types import UPTIME_PERIODS, PlanError


def compute_inputs(
    ds: Dataset,
    values: xr.Dataset,
    *,
    programme_mw: float,
    techs: list[str] | None = None,
    uptime_period: str = "month",
) -> ComputeInputs:
    """Turn compute values into the model's sites: each technology in each region that hosts it.

    Parameters
    ----------
    ds : Dataset
        The dataset (hosting caps per region and kind: ``max_mining_mw``, ``max_ai_mw``).
    values : xarray.Dataset
        Output of :func:`gridsurplus.economics.values.compute_values` (its attribute
        ``ai_market_mw_it`` caps the AI builds, counted in IT load through each tech's
        design PUE).
    programme_mw : float
        National cap [MW].
    techs : list of str, optional
        Technologies to keep.
    uptime_period : {"month", "year"}
        Over what the AI tiers' uptime is kept.

    Returns
    -------
    ComputeInputs
        Sites named ``tech@region``.
    """
    all_techs = [str(t) for t in values.coords["tech"].values]
    if techs is not None:
        unknown = sorted(set(techs) - set(all_techs))
        if unknown:
            raise PlanError(f"unknown compute technologies {unknown}: choose from {all_techs}")
        all_techs = [t for t in all_techs if t in techs]
    caps = ds.regions[["max_mining_mw", "max_ai_mw"]].rename(
        columns={"max_mining_mw": "mining", "max_ai_mw": "ai"}
    )
    rows = []
    for tech in all_techs:
        kind = str(values["kind"].sel(tech=tech).item())
        for region in caps.index:
            cap = float(caps.loc[region, kind])
            if cap <= 0:
                continue
            rows.append(
                {
                    "site": f"{tech}@{region}",
                    "tech": tech,
                    "region": region,
                    "kind": kind,
                    "annuity_usd_per_mw_year": float(
                        values["annuity_usd_per_mw_year"].sel(tech=tech)
                    ),
                    "uptime": float(values["uptime"].sel(tech=tech)),
                    "max_mw": min(cap, programme_mw),
                    "it_mw_per_mw": 1.0 / float(values["design_overhead"].sel(tech=tech)),
                }
            )
    if not rows:
        raise PlanError(
            "no region can host any of the chosen compute technologies: raise "
            "max_mining_mw or max_ai_mw in regions.csv"
        )
    sites = pd.DataFrame(rows).set_index("site")
    value = by_site(values["value_usd_per_mwh"], sites)
    avail = by_site(values["availability"], sites)
    if uptime_period not in UPTIME_PERIODS:
        raise PlanError(f"uptime period must be 'month' or 'year', got '{uptime_period}'")
    return ComputeInputs(
        sites=sites,
        value=value,
        availability=avail,
        kind_caps=caps,
        programme_mw=float(programme_mw),
        ai_market_mw_it=float(values.attrs.get("ai_market_mw_it", float("inf"))),
        uptime_period=uptime_period,
    )


def by_site(arr: xr.DataArray, sites: pd.DataFrame) -> xr.DataArray:
    """A ``[tech, region, time]`` array laid out per site ``[time x site]``."""
    data = np.stack(
        [
            arr.sel(tech=t, region=r).transpose("time").values
            for t, r in zip(sites["tech"], sites["region"], strict=True)
        ],
        axis=1,
    )
    return xr.DataArray(
        data,
        coords={"time": arr.coords["time"].values, "site": list(sites.index)},
        dims=("time", "site"),
    )


def mining_scale(sites: pd.DataFrame, factor: float) -> xr.DataArray:
    """Per site: ``factor`` for mining (the fleet's effect on hashprice), 1 for AI ``[site]``."""
    return xr.DataArray(
        np.where(sites["kind"] == "mining", factor, 1.0),
        coords={"site": list(sites.index)},
        dims="site",
    )


def tariff_frame(tariff: Any, inp: ModelInputs, exchange_rate: float) -> pd.DataFrame:
    """A tariff as USD/MWh per hour and region ``[time x region]``."""
    return pd.DataFrame(
        {
            r: tariff.usd_per_mwh(inp.snapshots, region=r, exchange_rate=exchange_rate)
            for r in inp.regions
        },
        index=inp.snapshots,
    )


def site_tariff(tariff_usd: pd.DataFrame, sites: pd.DataFrame) -> np.ndarray:
    """What each site pays under a ``[time x region]`` tariff ``[time x site]`` [USD/MWh]."""
    return tariff_usd[sites["region"]].to_numpy()
