"""Hydro: monthly water releases spread over the plants, run-of-river following the season."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gridsurplus.calendar import hours_per_month, month_labels
from gridsurplus.dataset import Dataset
from gridsurplus.errors import DatasetError, Problem


def water_capacity_factor(ds: Dataset, plants: pd.DataFrame, fuel: str = "hydro") -> pd.Series:
    """Monthly capacity factor of a fuel's plants from its water budget.

    ``cf[m] = energy[m] / (capacity x hours[m])`` with the capacity of the fuel's plants that
    generate in the reference year.

    Parameters
    ----------
    ds : Dataset
        Dataset with an ``energy_budgets`` table (kind ``water``).
    plants : pandas.DataFrame
        Generating plants (``Dataset.plants(generating_only=True)``).
    fuel : str
        Fuel whose budget to use.

    Returns
    -------
    pandas.Series
        Capacity factor [fraction] indexed by ``YYYY-MM``.

    Raises
    ------
    DatasetError
        If a month's water needs more than the plants' capacity can deliver.
    """
    budgets = ds.table("energy_budgets")
    rows = budgets[(budgets["fuel"] == fuel) & (budgets["kind"] == "water")].set_index("month")
    cap = float(plants.loc[plants["fuel"] == fuel, "capacity_mw"].sum())
    hours = hours_per_month(ds.snapshots)
    cf = rows["energy_gwh"].reindex(hours.index) * 1000.0 / (cap * hours)
    too_high = cf[cf > 1.0]
    if len(too_high):
        file = ds.files.get("energy_budgets", "energy_budgets.csv")
        raise DatasetError(
            [
                Problem(
                    file,
                    f"{fuel} water in {m} ({rows.loc[m, 'energy_gwh']:,.0f} GWh) is more than "
                    f"its plants can generate ({cap:,.0f} MW x {hours[m]} h): lower the budget or "
                    "add capacity",
                    column="energy_gwh",
                    key=f"{fuel}/{m}",
                )
                for m in too_high.index
            ]
        )
    return cf


def hydro_profiles(
    ds: Dataset, plants: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Availability, minimum output and monthly budgets of the water-budgeted plants.

    Run-of-river plants may run at the month's capacity factor in every hour of the month.
    Reservoir plants may run up to their availability in any hour but release the month's
    water (capacity factor x capacity x hours) over the month, and never less than
    ``reservoir_min_share`` of the month's average flow (irrigation releases).

    Returns
    -------
    tuple of pandas.DataFrame
        ``p_max_pu`` [time, plant], ``p_min_pu`` [time, plant] and ``budget_mwh`` [month, plant]
        (budgets only for reservoir plants; run-of-river energy follows from ``p_max_pu``).
    """
    snapshots = ds.snapshots
    labels = month_labels(snapshots)
    settings = ds.meta.get("hydro", {}) or {}
    min_share = float(settings.get("reservoir_min_share", 0.0))
    budgets = ds.tables.get("energy_budgets")
    water_fuels = (
        sorted(set(budgets.loc[budgets["kind"] == "water", "fuel"])) if budgets is not None else []
    )
    p_max, p_min, budget = {}, {}, {}
    hours = hours_per_month(snapshots)
    for fuel in water_fuels:
        cf = water_capacity_factor(ds, plants, fuel)
        cf_hourly = cf.reindex(labels).to_numpy()
        for plant, row in plants[plants["fuel"] == fuel].iterrows():
            avail = float(row["availability"])
            if row["profile"] == "hydro_reservoir":
                p_max[plant] = np.full(len(snapshots), avail)
                p_min[plant] = np.minimum(min_share * cf_hourly, avail)
                budget[plant] = cf * hours * float(row["capacity_mw"])
            else:
                p_max[plant] = np.minimum(cf_hourly, avail)
                p_min[plant] = np.zeros(len(snapshots))
    return (
        pd.DataFrame(p_max, index=snapshots),
        pd.DataFrame(p_min, index=snapshots),
        pd.DataFrame(budget, index=hours.index),
    )
