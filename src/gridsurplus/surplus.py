"""Where the surplus is: spare capacity, its marginal cost, supply curves, firm surplus, headroom.

:func:`assess_surplus` runs the base dispatch of the reference year and derives

- per region and hour, the spare capacity a new load could use after demand and reserve, over
  the links' unused capacity (:mod:`gridsurplus.spare`), and the marginal cost of one more MW
  there (the dual of the nodal balance);
- the surplus supply curve: MWh per year available at or below each marginal cost, nationally
  and per region, by season;
- firm surplus: the MW available in at least 90%, 99% and 99.9% of hours below a price;
- curtailment-enabled headroom (Norris et al. 2025) of the national load, against its own
  seasonal peaks and against the capacity available to serve it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.dataset import Dataset
from gridsurplus.dispatch import DispatchResult, calibration, run_dispatch

SEASONS = {
    12: "winter",
    1: "winter",
    2: "winter",
    3: "spring",
    4: "spring",
    5: "spring",
    6: "summer",
    7: "summer",
    8: "summer",
    9: "autumn",
    10: "autumn",
    11: "autumn",
}
"""Meteorological seasons (Dec-Feb winter, Jun-Aug summer)."""
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
DEFAULT_PRICE_PER_KWH = 23.0
"""Default price for firm surplus, in the dataset currency per kWh (Rs 23/kWh, the surplus
tariff discussed in 2025)."""


@dataclass
class SurplusAssessment:
    """The surplus of the reference year, hour by hour and region by region.

    Attributes
    ----------
    dispatch : DispatchResult
        The base dispatch it is derived from.
    price : pandas.DataFrame
        ``[time x region]`` marginal cost of one more MW [USD/MWh].
    spare : pandas.DataFrame
        ``[time x (region, national)]`` spare capacity at or below ``price_usd_per_mwh`` [MW].
    spare_any_cost : pandas.DataFrame
        The same, whatever the plants' cost [MW].
    supply_curve : pandas.DataFrame
        Tidy: ``area`` (region or national), ``season`` (or ``year``), ``max_cost_usd_per_mwh``,
        ``energy_gwh`` available at or below that cost.
    firm : pandas.DataFrame
        ``[area x share]`` MW available in at least that share of hours below the price.
    headroom : dict
        Curtailment-enabled headroom of the national load: ``own_peaks`` and ``capacity``.
    price_usd_per_mwh : float
        The price used for ``spare`` and ``firm`` [USD/MWh].
    seconds : dict
        Wall time of each step.
    """

    dispatch: DispatchResult
    price: pd.DataFrame
    spare: pd.DataFrame
    spare_any_cost: pd.DataFrame
    supply_curve: pd.DataFrame
    firm: pd.DataFrame
    headroom: dict[str, Any]
    price_usd_per_mwh: float
    calibration: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)

    def seasonal_mean_mw(self, season: str) -> pd.Series:
        """Mean spare capacity [MW] per area over a season's hours, at or below the price."""
        mask = self.spare.index.month.map(SEASONS) == season
        return self.spare.loc[mask].mean()

    def surplus_gwh(self) -> pd.Series:
        """Spare energy [GWh/yr] per area at or below the price."""
        return self.spare.sum() / 1000.0

    def summary(self) -> dict[str, Any]:
        """Headline figures as a JSON-ready dict."""
        d = self.dispatch
        gen_by_fuel = d.annual_gwh_by("fuel")
        return {
            "price_usd_per_mwh": self.price_usd_per_mwh,
            "annual_generation_gwh": d.total_gwh,
            "generation_gwh_by_fuel": {k: float(v) for k, v in gen_by_fuel.items()},
            "generation_gwh_by_group": {
                k: float(v) for k, v in d.annual_gwh_by("mix_group").items()
            },
            "unserved_gwh": float(d.solution.unserved.to_numpy().sum() / 1000.0),
            "fuel_cost_usd": d.fuel_cost_usd,
            "surplus_gwh_by_region": {k: float(v) for k, v in self.surplus_gwh().items()},
            "surplus_gwh_any_cost_by_region": {
                k: float(v) for k, v in (self.spare_any_cost.sum() / 1000.0).items()
            },
            "winter_surplus_mw_by_region": {
                k: float(v) for k, v in self.seasonal_mean_mw("winter").items()
            },
            "summer_surplus_mw_by_region": {
                k: float(v) for k, v in self.seasonal_mean_mw("summer").items()
            },
            "mean_marginal_cost_usd_per_mwh_by_region": {
                k: float(v) for k, v in self.price.mean().items()
            },
            "firm_surplus_mw": {
                area: {
                    f"{100 * share:g}%": float(self.firm.loc[area, share])
                    for share in self.firm.columns
                }
                for area in self.firm.index
            },
            "headroom": self.headroom,
            "calibration": self.calibration,
            "seconds": self.seconds,
        }


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
        ``[time x (max_cost, area)]`` spare MW, as :func:`gridsurplus.spare.spare_capacity`
        returns for a list of costs.

    Returns
    -------
    pandas.DataFrame
        ``area``, ``season`` (the four seasons and ``year``), ``max_cost_usd_per_mwh``,
        ``energy_gwh``.
    """
    season = spare_by_cost.index.month.map(SEASONS)
    seasonal = spare_by_cost.groupby(np.asarray(season)).sum() / 1000.0
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
    from gridsurplus.headroom import curtailment_headroom

    load = dispatch.inputs.demand.sum("region").to_pandas()
    own = curtailment_headroom(load, rates_pct)
    capacity = curtailment_headroom(load, rates_pct, threshold_mw=load + spare_any_cost)
    return {"own_peaks": own.to_dict(), "capacity": capacity.to_dict()}


def assess_surplus(
    ds: Dataset,
    *,
    price_per_kwh: float = DEFAULT_PRICE_PER_KWH,
    dispatch: DispatchResult | None = None,
    solver_name: str = "highs",
) -> SurplusAssessment:
    """Assess the surplus of a dataset's reference year.

    Parameters
    ----------
    ds : Dataset
        The dataset.
    price_per_kwh : float
        Price for the spare capacity and firm surplus tables, in the dataset's currency per
        kWh (Rs 23/kWh for Pakistan by default). Plants costing more do not count.
    dispatch : DispatchResult, optional
        A base dispatch already solved for the dataset.
    solver_name : str
        Solver for the base dispatch.

    Returns
    -------
    SurplusAssessment
        Spare capacity, marginal cost, supply curves, firm surplus and headroom.
    """
    from gridsurplus.spare import spare_capacity

    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    if dispatch is None:
        from gridsurplus.profiles import build_profiles

        profiles = build_profiles(ds)
        seconds["profiles"] = time.perf_counter() - t0
        dispatch = run_dispatch(ds, profiles, solver_name=solver_name)
    seconds["build"] = dispatch.solution.build_seconds
    seconds["solve"] = dispatch.solution.solve_seconds
    t1 = time.perf_counter()
    price_usd = ds.to_usd(price_per_kwh) * 1000.0
    ladder = sorted({*COST_LADDER_USD_PER_MWH, price_usd, np.inf})
    by_cost = spare_capacity(dispatch.inputs, dispatch.solution, ladder)
    spare = by_cost[price_usd]
    spare_any = by_cost[np.inf]
    seconds["spare"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    curve = supply_curve(by_cost.drop(columns=[np.inf], level=0))
    firm = firm_surplus(spare)
    headroom = national_headroom(dispatch, spare_any["national"])
    seconds["curves_and_headroom"] = time.perf_counter() - t2
    return SurplusAssessment(
        dispatch=dispatch,
        price=dispatch.solution.price,
        spare=spare,
        spare_any_cost=spare_any,
        supply_curve=curve,
        firm=firm,
        headroom=headroom,
        price_usd_per_mwh=price_usd,
        calibration=calibration(ds, dispatch),
        seconds=seconds,
    )
