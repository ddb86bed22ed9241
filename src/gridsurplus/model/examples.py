"""Tiny inputs that can be solved by hand, shared by the tests and the docs' examples.

>>> inp = two_hours()
>>> list(inp.gens.index), float(inp.demand.sum())
(['coal'], 100.0)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.model.inputs import ComputeInputs, ModelInputs


def two_hours(ai: bool = False) -> ModelInputs:
    """Two hours in one region with one coal class, and optionally one AI site (examples)."""
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
