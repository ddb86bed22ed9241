"""A tiny valid dataset for tests: three regions, a full reference year (see write_toy_dataset)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TOY_MONTHS = [f"2024-{m:02d}" for m in range(7, 13)] + [f"2025-{m:02d}" for m in range(1, 7)]


def write_toy_dataset(folder: Path) -> Path:
    """Write a three-region dataset small enough to solve a full year in about a second.

    North has hydro and an expensive gas plant, South cheap coal and wind, Port a little gas.
    South -> North carries at most 300 MW.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataset.yaml").write_text(
        "name: Toy\n"
        "reference_year: {label: FY2024-25, start: 2024-07-01}\n"
        "timezone: Asia/Karachi\n"
        "currency: PKR\n"
        "exchange_rate: 280\n"
        "voll_usd_per_mwh: 5000\n"
        "reserve: {mw: 50}\n"
        "capacity_payments: {amount: 1000000000, currency: PKR}\n",
        encoding="utf-8",
    )
    pd.DataFrame(
        {
            "region": ["NORTH", "SOUTH", "PORT"],
            "name": ["North", "South", "Port"],
            "lat": [33.7, 25.4, 24.9],
            "lon": [73.0, 68.4, 67.0],
            "climate_station": ["Islamabad", "Hyderabad", "Karachi"],
            "demand_share": [0.6, 0.3, 0.1],
            "max_mining_mw": [200.0, 200.0, 100.0],
            "max_ai_mw": [100.0, 50.0, 100.0],
            "source": ["test"] * 3,
        }
    ).to_csv(folder / "regions.csv", index=False)
    pd.DataFrame(
        {
            "fuel": ["hydro", "coal", "gas", "wind"],
            "mix_group": ["hydel", "coal", "gas", "wind"],
            "marginal_cost_per_kwh": [0.0, 5.6, 19.6, 0.0],
            "availability": [1.0, 0.9, 0.9, 1.0],
            "must_run": [True, False, False, True],
            "profile": ["hydro_ror", "flat", "flat", "wind"],
            "counts_for_reserve": [True, True, True, False],
            "source": ["test"] * 4,
        }
    ).to_csv(folder / "fuels.csv", index=False)
    pd.DataFrame(
        {
            "plant": ["N-HYDRO", "N-GAS", "S-COAL", "S-WIND", "P-GAS"],
            "region": ["NORTH", "NORTH", "SOUTH", "SOUTH", "PORT"],
            "fuel": ["hydro", "gas", "coal", "wind", "gas"],
            "capacity_mw": [400.0, 600.0, 700.0, 200.0, 150.0],
            "profile": ["hydro_reservoir", "", "", "", ""],
            "marginal_cost_per_kwh": ["", "", "", "", "22.4"],
        }
    ).to_csv(folder / "plants.csv", index=False)
    pd.DataFrame(
        {
            "link": ["S-N", "S-P"],
            "from_region": ["SOUTH", "SOUTH"],
            "to_region": ["NORTH", "PORT"],
            "capacity_mw": [300.0, 100.0],
        }
    ).to_csv(folder / "links.csv", index=False)
    pd.DataFrame({"month": TOY_MONTHS, "energy_gwh": [600.0] * 6 + [450.0] * 6}).to_csv(
        folder / "demand_monthly.csv", index=False
    )
    shape = []
    for season, months in (("warm", "4 5 6 7 8 9 10"), ("cool", "11 12 1 2 3")):
        for h in range(24):
            shape.append(
                {
                    "season": season,
                    "months": months,
                    "hour": h,
                    "factor": 1.2 if 18 <= h <= 22 else (0.8 if 10 <= h <= 14 else 1.0),
                }
            )
    sh = pd.DataFrame(shape)
    for season in ("warm", "cool"):  # normalise each day to mean 1
        rows = sh["season"] == season
        sh.loc[rows, "factor"] = sh.loc[rows, "factor"] / sh.loc[rows, "factor"].mean()
    sh.to_csv(folder / "load_shape.csv", index=False)
    climate = []
    for station, lat, lon, base in (
        ("Islamabad", 33.7, 73.0, 22.0),
        ("Hyderabad", 25.4, 68.4, 30.0),
        ("Karachi", 24.9, 67.0, 28.0),
    ):
        for m in range(1, 13):
            warm = 8.0 if m in (5, 6, 7, 8) else 0.0
            climate.append(
                {
                    "station": station,
                    "lat": lat,
                    "lon": lon,
                    "month": m,
                    "mean_daily_max_c": base + warm + 5,
                    "mean_daily_min_c": base + warm - 7,
                }
            )
    pd.DataFrame(climate).to_csv(folder / "climate.csv", index=False)
    pd.DataFrame(
        {
            "profile": ["wind"] * 12,
            "month": range(1, 13),
            "value": [0.2, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.4, 0.3, 0.2, 0.2, 0.2],
        }
    ).to_csv(folder / "monthly_factors.csv", index=False)
    # the posted tariff for compute (the surplus assessment's default price)
    (folder / "markets.csv").write_text(
        "quantity,year,value,unit,status,source,notes\n"
        "tariff_flat,2024,23,PKR/kWh,scenario,test,\n",
        encoding="utf-8",
    )
    pd.DataFrame(
        {
            "fuel": ["hydro"] * 12,
            "month": TOY_MONTHS,
            "energy_gwh": [200.0] * 3 + [80.0] * 6 + [150.0] * 3,
            "kind": ["water"] * 12,
        }
    ).to_csv(folder / "energy_budgets.csv", index=False)
    return folder
