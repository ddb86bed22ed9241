"""The surplus assessment of a reference year: :func:`assess_surplus`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.calendar import season_of
from gridsurplus.dataset import Dataset
from gridsurplus.economics.markets import posted_tariff
from gridsurplus.profiles import build_profiles
from gridsurplus.surplus.curves import (
    COST_LADDER_USD_PER_MWH,
    firm_surplus,
    national_headroom,
    supply_curve,
)
from gridsurplus.surplus.dispatch import DispatchResult, calibration, run_dispatch
from gridsurplus.surplus.spare import spare_capacity


def default_price_per_kwh(ds: Dataset) -> float:
    """The dataset's posted tariff (``tariff_flat``) in its currency per kWh (Pakistan: Rs 23)."""
    tariff = posted_tariff(ds)
    if tariff.unit.replace(" ", "").lower() == f"{ds.currency}/kwh".lower():
        return tariff.base_rate
    usd_per_mwh = float(
        tariff.usd_per_mwh(pd.DatetimeIndex(["2000-01-01"]), exchange_rate=ds.exchange_rate)[0]
    )
    return usd_per_mwh * ds.exchange_rate / 1000.0


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
        mask = season_of(self.spare.index) == season
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


def assess_surplus(
    ds: Dataset,
    *,
    price_per_kwh: float | None = None,
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
        kWh; by default the dataset's posted tariff (:func:`default_price_per_kwh`, Rs 23/kWh
        for Pakistan). Plants costing more do not count.
    dispatch : DispatchResult, optional
        A base dispatch already solved for the dataset.
    solver_name : str
        Solver for the base dispatch.

    Returns
    -------
    SurplusAssessment
        Spare capacity, marginal cost, supply curves, firm surplus and headroom.
    """
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    if dispatch is None:
        profiles = build_profiles(ds)
        seconds["profiles"] = time.perf_counter() - t0
        dispatch = run_dispatch(ds, profiles, solver_name=solver_name)
    seconds["build"] = dispatch.solution.build_seconds
    seconds["solve"] = dispatch.solution.solve_seconds
    t1 = time.perf_counter()
    if price_per_kwh is None:
        price_per_kwh = default_price_per_kwh(ds)
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
