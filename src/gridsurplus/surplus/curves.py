"""Surplus supply curves by season, firm surplus and the national headroom."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.calendar import season_of
from gridsurplus.surplus.dispatch import DispatchResult
from gridsurplus.surplus.headroom import curtailment_headroom

FIRM_SHARES = (0.90, 0.99, 0.999)
COST_LADDER_USD_PER_MWH = (
    0.0,
    10.0,
    20.0,
    30.0,
    40.0,
    50.0,
    60.0,
    70.0,
    80.0,
    90.0,
    100.0,
    125.0,
    150.0,
)


def firm_surplus(spare: pd.DataFrame, shares: tuple[float, ...] = FIRM_SHARES) -> pd.DataFrame:
    """MW available in at least each share of hours.

    The largest ``x`` such that at least ``share`` of the hours have ``spare >= x``: an order
    statistic, never interpolated upward.

    Examples
    --------
    >>> s = pd.DataFrame({"a": np.arange(1000.0)})
    >>> float(firm_surplus(s, (0.9,)).loc["a", 0.9])  # 900 of the 1000 hours have >= 100
    100.0
    """
    values = np.sort(spare.to_numpy(), axis=0)
    n = len(values)
    out = {}
    for share in shares:
        k = n - int(np.ceil(share * n - 1e-9))
        out[share] = pd.Series(values[max(k, 0)], index=spare.columns)
    return pd.DataFrame(out)


def supply_curve(spare_by_cost: pd.DataFrame) -> pd.DataFrame:
    """Tidy supply curve from spare capacity at several cost thresholds.

    Parameters
    ----------
    spare_by_cost : pandas.DataFrame
        ``[time x (max_cost, area)]`` spare MW, as :func:`gridsurplus.surplus.spare.spare_capacity`
        returns for a list of costs.

    Returns
    -------
    pandas.DataFrame
        ``area``, ``season`` (the four seasons and ``year``), ``max_cost_usd_per_mwh``,
        ``energy_gwh``.
    """
    seasonal = spare_by_cost.groupby(season_of(spare_by_cost.index)).sum() / 1000.0
    seasonal.loc["year"] = spare_by_cost.sum() / 1000.0
    tidy = (
        seasonal.stack(["max_cost", "region"], future_stack=True).rename("energy_gwh").reset_index()
    )
    tidy.columns = ["season", "max_cost_usd_per_mwh", "area", "energy_gwh"]
    return tidy[["area", "season", "max_cost_usd_per_mwh", "energy_gwh"]]


def national_headroom(
    dispatch: DispatchResult,
    spare_any_cost: pd.Series,
    rates_pct: tuple[float, ...] = (0.25, 0.5, 1.0, 5.0),
) -> dict[str, Any]:
    """Curtailment-enabled headroom of the national load (Norris et al. 2025).

    Two thresholds: the load's own seasonal peaks (the paper's method), and the capacity that
    could serve load in each hour (the load plus the national spare capacity, reserve kept).
    """
    load = dispatch.inputs.demand.sum("region").to_pandas()
    own = curtailment_headroom(load, rates_pct)
    capacity = curtailment_headroom(load, rates_pct, threshold_mw=load + spare_any_cost)
    return {"own_peaks": own.to_dict(), "capacity": capacity.to_dict()}
