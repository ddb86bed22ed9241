"""Tiny robust-plan cases that can be solved by hand: one region, a coal plant, mining sites."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.model.inputs import ComputeInputs, ModelInputs

HOURS = 2


def mining_case(
    values: list[float] | float,
    *,
    annuity_window_usd_per_mw: list[float] | float = 30.0,
    max_mw: list[float] | float = 50.0,
    coal_cost: float = 20.0,
    demand_mw: float = 50.0,
    coal_mw: float = 100.0,
    hours: int = HOURS,
    months: int = 1,
) -> ModelInputs:
    """One region, ``hours`` hours, coal ``coal_mw`` at ``coal_cost`` USD/MWh, demand ``demand_mw``.

    One mining site per entry of ``values`` (its value [USD/MWh], the same every hour), each up
    to ``max_mw``, costing ``annuity_window_usd_per_mw`` [USD/MW] over the window (the annuity
    per MW-year is that over the window's share of the year). ``months`` splits the hours into
    that many months (for the decomposition).
    """
    values = [values] if np.isscalar(values) else list(values)  # type: ignore[list-item]
    n = len(values)
    annuity = np.broadcast_to(np.asarray(annuity_window_usd_per_mw, float), (n,))
    cap = np.broadcast_to(np.asarray(max_mw, float), (n,))
    time = pd.date_range("2025-01-01", periods=hours, freq="h", name="time")
    month = np.array([f"2025-{1 + (i * months) // hours:02d}" for i in range(hours)])
    month_labels = list(pd.unique(month))
    names = [f"btc{i}@A" for i in range(n)]
    gens = pd.DataFrame(
        {
            "region": "A",
            "fuel": "coal",
            "cost_usd_per_mwh": coal_cost,
            "capacity_mw": coal_mw,
            "counts_for_reserve": False,
        },
        index=pd.Index(["coal"], name="gen"),
    )

    def hourly(value: float | np.ndarray, dim: str, labels: list[str]) -> xr.DataArray:
        data = np.broadcast_to(np.asarray(value, float), (hours, len(labels))).copy()
        return xr.DataArray(data, coords={"time": time, dim: labels}, dims=("time", dim))

    inp = ModelInputs(
        snapshots=time,
        month=month,
        demand=hourly(demand_mw, "region", ["A"]),
        gens=gens,
        p_max=hourly(coal_mw, "gen", ["coal"]),
        p_min=hourly(0.0, "gen", ["coal"]),
        budget=xr.DataArray(
            np.full((len(month_labels), 1), np.nan),
            coords={"month": month_labels, "gen": ["coal"]},
            dims=("month", "gen"),
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
        reserve=xr.DataArray(np.zeros(hours), coords={"time": time}, dims="time"),
        voll_usd_per_mwh=1000.0,
    )
    sites = pd.DataFrame(
        {
            "tech": [f"btc{i}" for i in range(n)],
            "region": "A",
            "kind": "mining",
            "annuity_usd_per_mw_year": annuity / inp.year_share,
            "uptime": 0.0,
            "max_mw": cap,
        },
        index=pd.Index(names, name="site"),
    )
    caps = pd.DataFrame({"mining": [float(cap.sum())], "ai": [0.0]}, index=["A"])
    compute = ComputeInputs(
        sites,
        hourly(np.asarray(values, float), "site", names),
        hourly(1.0, "site", names),
        caps,
        float(cap.sum()),
    )
    return inp.with_compute(compute)
