"""A synthetic Plan with the shapes of a real one, so the report can be built and tested alone.

The numbers are made up but plausible for Pakistan FY2024-25: ten regions with the real ids and
coordinates, a full year of hourly spare capacity and dispatch (winter surplus, summer evening
peaks), a few mining and AI sites, both lenses, a sensitivity table and the assumptions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gridsurplus.results import Plan

PKR_PER_USD = 280.8
TARIFF_USD_PER_MWH = 81.9
CAPACITY_PAYMENTS_USD = 2.1e12 / PKR_PER_USD
BTC_PRICE_USD = 95_000.0
BRIDGE = {
    "foreign_exchange_gross_usd": 1.0,
    "imported_fuel_usd": 0.1,
    "imported_hardware_usd": 0.4,
    "profit_repatriated_usd": 0.05,
    "foreign_exchange_net_usd": 0.45,
}
"""The foreign-exchange bridge as shares of gross: gross, three outflows, net."""

REGIONS = pd.DataFrame(
    {
        "region": [
            "PESCO",
            "IESCO",
            "GEPCO",
            "LESCO",
            "FESCO",
            "MEPCO",
            "SEPCO",
            "QESCO",
            "HESCO",
            "KE",
        ],
        "name": [
            "Peshawar",
            "Islamabad",
            "Gujranwala",
            "Lahore",
            "Faisalabad",
            "Multan",
            "Sukkur",
            "Quetta (Balochistan)",
            "Hyderabad",
            "K-Electric (Karachi)",
        ],
        "lat": [34.01, 33.68, 32.16, 31.55, 31.42, 30.2, 27.7, 30.18, 25.4, 24.86],
        "lon": [71.58, 73.05, 74.19, 74.34, 73.08, 71.47, 68.86, 66.98, 68.37, 67.01],
        "demand_share": [0.123, 0.090, 0.084, 0.185, 0.114, 0.147, 0.034, 0.048, 0.042, 0.133],
        "gen_share": [0.22, 0.12, 0.03, 0.07, 0.09, 0.11, 0.05, 0.04, 0.16, 0.11],
        "spare_winter": [900, 700, 300, 500, 800, 1200, 600, 900, 1800, 1700],
        "spare_summer": [400, 300, 100, 200, 350, 600, 250, 550, 900, 700],
    }
)

LINKS = pd.DataFrame(
    {
        "link": [
            "HVDC-MATIARI-LAHORE",
            "AC-HESCO-SEPCO",
            "AC-SEPCO-MEPCO",
            "AC-SEPCO-QESCO",
            "KE-INTERCONNECTION",
            "AC-MEPCO-LESCO",
            "AC-MEPCO-FESCO",
            "AC-FESCO-LESCO",
            "AC-LESCO-GEPCO",
            "AC-GEPCO-IESCO",
            "AC-FESCO-IESCO",
            "AC-IESCO-PESCO",
        ],
        "from_region": [
            "HESCO",
            "HESCO",
            "SEPCO",
            "SEPCO",
            "HESCO",
            "MEPCO",
            "MEPCO",
            "FESCO",
            "LESCO",
            "GEPCO",
            "FESCO",
            "IESCO",
        ],
        "to_region": [
            "LESCO",
            "SEPCO",
            "MEPCO",
            "QESCO",
            "KE",
            "LESCO",
            "FESCO",
            "LESCO",
            "GEPCO",
            "IESCO",
            "IESCO",
            "PESCO",
        ],
        "capacity_mw": [2200, 3500, 3000, 1000, 2000, 3000, 2500, 3000, 3000, 3500, 2500, 5000],
        "capacity_reverse_mw": [
            2200,
            3500,
            3000,
            1000,
            1000,
            3000,
            2500,
            3000,
            3000,
            3500,
            2500,
            5000,
        ],
    }
)

SITES = [
    # region, tech, kind, label, mw
    ("HESCO", "asic_s21xp_hyd", "mining", "Bitcoin mining (S21 XP Hyd)", 600.0),
    ("MEPCO", "asic_s21xp_hyd", "mining", "Bitcoin mining (S21 XP Hyd)", 400.0),
    ("FESCO", "asic_s21xp_hyd", "mining", "Bitcoin mining (S21 XP Hyd)", 300.0),
    ("QESCO", "asic_s21xp_hyd", "mining", "Bitcoin mining (S21 XP Hyd)", 200.0),
    ("KE", "gpu_h100_dc", "ai", "AI data centre (H100)", 200.0),
    ("IESCO", "gpu_h100_dc", "ai", "AI data centre (H100)", 150.0),
    ("LESCO", "gpu_h100_dc", "ai", "AI data centre (H100)", 100.0),
]

MIX = {  # mix group: capacity MW available to fill residual demand, in merit order
    "coal_local": 2600.0,
    "gas_local": 2200.0,
    "coal_imported": 4500.0,
    "rlng": 7000.0,
    "rfo": 4000.0,
}

SEASON_OF_MONTH = {
    m: s
    for s, ms in {
        "winter": (12, 1, 2),
        "spring": (3, 4, 5),
        "summer": (6, 7, 8),
        "autumn": (9, 10, 11),
    }.items()
    for m in ms
}


def _time() -> pd.DatetimeIndex:
    return pd.date_range("2024-07-01", periods=8760, freq="h", name="time")


def _winterness(time: pd.DatetimeIndex) -> np.ndarray:
    """1 in mid-January, 0 in mid-July."""
    doy = time.day_of_year.to_numpy()
    return (np.cos(2 * np.pi * (doy - 15) / 365.25) + 1) / 2


def _evening(time: pd.DatetimeIndex) -> np.ndarray:
    """A bump over the evening peak (18-23 h), 0 otherwise."""
    hour = time.hour.to_numpy()
    return np.exp(-0.5 * ((hour - 20.5) / 1.8) ** 2)


def _spare(time: pd.DatetimeIndex, rng: np.random.Generator) -> pd.DataFrame:
    w = _winterness(time)
    evening = _evening(time)
    cols = {}
    for row in REGIONS.itertuples(index=False):
        level = row.spare_summer + (row.spare_winter - row.spare_summer) * w
        dip = 1 - evening * (0.75 - 0.45 * w)  # summer evenings eat most of the spare
        noise = (
            1
            + 0.15 * np.convolve(rng.standard_normal(len(time) + 23), np.ones(24) / 24, "valid") * 4
        )
        cols[row.region] = np.clip(level * dip * noise, 0.0, None)
    spare = pd.DataFrame(cols, index=time)
    spare["national"] = 0.8 * spare.sum(axis=1)
    return spare


def _sites(spare: pd.DataFrame, time: pd.DatetimeIndex) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sites table and their hourly consumption [MW] (``[time x site]``)."""
    runs = {}
    rows = []
    for region in REGIONS["region"]:
        for tech, kind, label in (
            ("asic_s21xp_hyd", "mining", "Bitcoin mining (S21 XP Hyd)"),
            ("gpu_h100_dc", "ai", "AI data centre (H100)"),
        ):
            mw = next((s[4] for s in SITES if s[0] == region and s[1] == tech), 0.0)
            site = f"{region}-{tech}"
            if kind == "mining":
                share = np.clip(spare[region].to_numpy() / max(mw, 1.0) - 0.6, 0.0, 1.0)
                share[share < 0.35] = 0.0  # miners switch off rather than run at a third
            else:
                share = np.where(_evening(time) > 0.9, 0.9, 0.98)
            run = mw * share
            runs[site] = run
            hours_run = int(np.count_nonzero(run > 1e-3 * mw)) if mw else 0
            hours_full = int(np.count_nonzero(run >= 0.999 * mw * (0.98 if kind == "ai" else 1.0)))
            tariff_share = 0.82 if kind == "mining" else 0.97
            rows.append(
                {
                    "site": site,
                    "region": region,
                    "tech": tech,
                    "kind": kind,
                    "label": label,
                    "mw": mw,
                    "energy_gwh": run.sum() / 1000.0,
                    "hours_run": hours_run,
                    "hours_curtailed": (8760 - hours_full) if mw else 0,
                    "capacity_factor": run.mean() / mw if mw else 0.0,
                    "energy_gwh_tariff": tariff_share * run.sum() / 1000.0,
                    "hours_run_tariff": int(tariff_share * hours_run),
                    "hours_curtailed_tariff": (8760 - int(tariff_share * hours_full)) if mw else 0,
                    "capacity_factor_tariff": tariff_share * run.mean() / mw if mw else 0.0,
                }
            )
    return pd.DataFrame(rows), pd.DataFrame(runs, index=time)


def _dispatch(
    time: pd.DatetimeIndex, sites: pd.DataFrame, runs: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    w = _winterness(time)
    hour = time.hour.to_numpy()
    evening = _evening(time)
    demand = (27000 - 14500 * w) * (
        0.82 + 0.18 * evening + 0.05 * np.sin((hour - 9) / 24 * 2 * np.pi)
    )
    demand *= 1 + 0.03 * rng.standard_normal(len(time))
    mining = runs[sites.loc[sites["kind"] == "mining", "site"]].sum(axis=1).to_numpy()
    ai = runs[sites.loc[sites["kind"] == "ai", "site"]].sum(axis=1).to_numpy()
    load = demand + mining + ai
    gen = {
        "nuclear": np.full(len(time), 3400.0) * np.where(time.month.isin([3, 4]), 0.7, 1.0),
        "hydel": 1800 + 7200 * (1 - w) ** 1.5,
        "wind": 400 + 900 * (1 - w) * (0.6 + 0.4 * np.sin(hour / 24 * 2 * np.pi)),
        "other": 300 * np.clip(np.sin((hour - 6) / 12 * np.pi), 0, None) + 200,
    }
    residual = load - sum(gen.values())
    for group, cap in MIX.items():
        take = np.clip(residual, 0.0, cap)
        gen[group] = take
        residual = residual - take
    dispatch = pd.DataFrame(
        {
            "time": time,
            "demand_mw": demand,
            "unserved_mw": np.clip(residual, 0.0, None),
            "mining_mw": mining,
            "ai_mw": ai,
            **{f"gen_{k}": v for k, v in gen.items()},
        }
    )
    generation = sum(gen.values())
    base_price = 38 + 55 * (1 - w) * (0.5 + evening) + 6 * np.sin(hour / 24 * 2 * np.pi)
    frames = []
    for row in REGIONS.itertuples(index=False):
        reg_sites = sites[sites["region"] == row.region]
        reg_mining = runs[reg_sites.loc[reg_sites["kind"] == "mining", "site"]].sum(axis=1)
        reg_ai = runs[reg_sites.loc[reg_sites["kind"] == "ai", "site"]].sum(axis=1)
        reg_demand = demand * row.demand_share
        reg_gen = generation * row.gen_share
        frames.append(
            pd.DataFrame(
                {
                    "time": time,
                    "region": row.region,
                    "demand_mw": reg_demand,
                    "generation_mw": reg_gen,
                    "mining_mw": reg_mining.to_numpy(),
                    "ai_mw": reg_ai.to_numpy(),
                    "net_import_mw": reg_demand
                    + reg_mining.to_numpy()
                    + reg_ai.to_numpy()
                    - reg_gen,
                    "price_usd_per_mwh": base_price * (1 + 0.02 * row.lat / 30) + 2.0,
                    "base_price_usd_per_mwh": base_price * (1 + 0.02 * row.lat / 30),
                }
            )
        )
    return dispatch, pd.concat(frames, ignore_index=True)


def _flows(time: pd.DatetimeIndex) -> pd.DataFrame:
    w = _winterness(time)
    evening = _evening(time)
    flows = {"time": time}
    for row in LINKS.itertuples(index=False):
        north = 0.55 + 0.35 * (1 - w) * evening - 0.2 * w
        flows[row.link] = np.clip(
            row.capacity_mw * north, -row.capacity_reverse_mw, row.capacity_mw
        )
    return pd.DataFrame(flows)


def _pnl(
    sites: pd.DataFrame, dispatch_region: pd.DataFrame, runs: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    built = sites[sites["mw"] > 0]
    price = dispatch_region.pivot(index="time", columns="region", values="price_usd_per_mwh")
    operators = []
    for lens in ("marginal_cost", "tariff"):
        for site in built.itertuples(index=False):
            share = (
                1.0
                if lens == "marginal_cost"
                else site.energy_gwh_tariff / max(site.energy_gwh, 1e-9)
            )
            energy_mwh = runs[site.site].sum() * share
            unit_price = (
                float(
                    (runs[site.site] * price[site.region].to_numpy()).sum()
                    / max(runs[site.site].sum(), 1e-9)
                )
                if lens == "marginal_cost"
                else TARIFF_USD_PER_MWH
            )
            value = 105.0 if site.kind == "mining" else 420.0
            revenue = energy_mwh * value
            power = energy_mwh * unit_price
            capex = site.mw * (0.55e6 if site.kind == "mining" else 9.0e6)
            fixed = site.mw * (15e3 if site.kind == "mining" else 120e3)
            annuity = capex * (0.36 if site.kind == "mining" else 0.2)
            margin = revenue - power - fixed
            operators.append(
                {
                    "site": site.site,
                    "lens": lens,
                    "region": site.region,
                    "tech": site.tech,
                    "mw": site.mw,
                    "energy_gwh": energy_mwh / 1000.0,
                    "revenue_usd": revenue,
                    "power_cost_usd": power,
                    "fixed_om_usd": fixed,
                    "margin_usd": margin,
                    "capex_annuity_usd": annuity,
                    "profit_usd": margin - annuity,
                    "capex_usd": capex,
                    "payback_years": capex / margin if margin > 0 else np.nan,
                    "revenue_local": revenue * PKR_PER_USD,
                    "power_cost_local": power * PKR_PER_USD,
                    "margin_local": margin * PKR_PER_USD,
                    "profit_local": (margin - annuity) * PKR_PER_USD,
                }
            )
    ops = pd.DataFrame(operators)
    grid, nation, bridge = [], [], []
    for lens, group in ops.groupby("lens", sort=False):
        revenue = group["power_cost_usd"].sum()
        energy = group["energy_gwh"].sum()
        fuel = energy * 1000 * 52.0
        contribution = revenue - fuel
        grid.append(
            {
                "lens": lens,
                "energy_sold_gwh": energy,
                "revenue_usd": revenue,
                "revenue_local": revenue * PKR_PER_USD,
                "fuel_cost_usd": fuel,
                "fuel_cost_local": fuel * PKR_PER_USD,
                "contribution_usd": contribution,
                "contribution_local": contribution * PKR_PER_USD,
                "capacity_payments_usd": CAPACITY_PAYMENTS_USD,
                "capacity_payment_share": contribution / CAPACITY_PAYMENTS_USD,
                "average_price_usd_per_mwh": revenue / (energy * 1000),
                "unserved_change_gwh": 0.0,
            }
        )
        mining = group[group["tech"].str.startswith("asic")]
        ai = group[group["tech"].str.startswith("gpu")]
        btc_value = mining["revenue_usd"].sum()
        fx = btc_value + ai["revenue_usd"].sum()
        nation.append(
            {
                "lens": lens,
                "compute_energy_gwh": energy,
                "btc_mined_per_year": btc_value / BTC_PRICE_USD,
                "btc_value_usd": btc_value,
                "ai_revenue_usd": ai["revenue_usd"].sum(),
                "energy_otherwise_unused_gwh": 0.93 * energy,
                "btc_price_usd": BTC_PRICE_USD,
                **{term: share * fx for term, share in BRIDGE.items()},
                "foreign_exchange_gross_local": fx * PKR_PER_USD,
                "foreign_exchange_net_local": BRIDGE["foreign_exchange_net_usd"] * fx * PKR_PER_USD,
            }
        )
        for step, (term, share) in enumerate(BRIDGE.items()):
            sign = -1.0 if 0 < step < len(BRIDGE) - 1 else 1.0
            bridge.append(
                {
                    "lens": lens,
                    "step": step,
                    "term": term,
                    "label": term.replace("_usd", "").replace("_", " "),
                    "usd": sign * share * fx,
                    "local": sign * share * fx * PKR_PER_USD,
                    "currency": "PKR",
                }
            )
    return {
        "pnl_operators": ops,
        "pnl_grid": pd.DataFrame(grid),
        "pnl_nation": pd.DataFrame(nation),
        "forex_bridge": pd.DataFrame(bridge),
    }


def _sensitivity(base: dict[str, float]) -> pd.DataFrame:
    cases = [
        ("btc_price", "BTC price", "USD", 60_000, 130_000, -0.45, 0.35),
        ("difficulty_growth", "network difficulty growth", "%/yr", 20, 60, 0.15, -0.2),
        ("tariff", "tariff", "PKR/kWh", 18, 28, 0.25, -0.3),
        ("demand_growth", "demand growth", "%/yr", 0, 6, 0.06, -0.1),
        ("exchange_rate", "exchange rate", "PKR/USD", 250, 320, -0.04, 0.03),
    ]
    rows = []
    for parameter, _label, unit, low, high, d_low, d_high in cases:
        for case, value, delta in (("low", low, d_low), ("high", high, d_high)):
            scale = 1 + delta
            rows.append(
                {
                    "parameter": parameter,
                    "case": case,
                    "value": value,
                    "unit": unit,
                    "sites": 7,
                    "objective_usd": base["objective_usd"] * scale,
                    "welfare_gain_usd": base["welfare_gain_usd"] * scale,
                    "operators_profit_usd": base["operators_profit_usd"] * (1 + 1.5 * delta),
                    "sited_mw": base["sited_mw"] * (1 + 0.6 * delta),
                    "mining_mw": base["mining_mw"] * (1 + 0.8 * delta),
                    "ai_mw": base["ai_mw"],
                    "compute_energy_gwh": base["compute_energy_gwh"] * (1 + 0.7 * delta),
                    "grid_revenue_usd": base["grid_revenue_usd"] * (1 + 0.7 * delta),
                    "capacity_payment_recovered_usd": base["capacity_payment_recovered_usd"]
                    * (1 + 0.9 * delta),
                    "btc_mined_per_year": base["btc_mined_per_year"] * (1 + 0.8 * delta),
                }
            )
    return pd.DataFrame(rows)


def _supply_curve(spare_any: pd.DataFrame) -> pd.DataFrame:
    ladder = [0.0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 125, 150]
    season = spare_any.index.month.map(SEASON_OF_MONTH)
    rows = []
    for area in spare_any.columns:
        for s in ("winter", "spring", "summer", "autumn", "year"):
            mask = np.ones(len(spare_any), bool) if s == "year" else np.asarray(season == s)
            total = spare_any.loc[mask, area].sum() / 1000.0
            for cost in ladder:
                share = 0.0 if cost < 40 else min(1.0, ((cost - 35) / 90) ** 0.7)
                rows.append(
                    {
                        "area": area,
                        "season": s,
                        "max_cost_usd_per_mwh": cost,
                        "energy_gwh": total * share,
                    }
                )
    return pd.DataFrame(rows)


def _assumptions() -> pd.DataFrame:
    rows = [
        ("markets", "BTC price", 95_000, "USD", "sourced", "CoinGecko close 2025-09-30"),
        (
            "markets",
            "network difficulty",
            142.3e12,
            "hashes",
            "sourced",
            "mempool.space, block 915,000",
        ),
        ("markets", "difficulty growth", 40, "%/yr", "estimated", "estimated: 2023-25 trend"),
        (
            "markets",
            "transaction fees",
            1.2,
            "% of subsidy",
            "sourced",
            "mempool.space 2025 average",
        ),
        (
            "markets",
            "GPU-hour price (H100)",
            2.1,
            "USD/h",
            "estimated",
            "estimated: 2025 cloud list prices",
        ),
        (
            "tariff",
            "surplus tariff",
            23.0,
            "PKR/kWh",
            "sourced",
            "Ministry of Energy statement, 2025",
        ),
        (
            "finance",
            "exchange rate",
            PKR_PER_USD,
            "PKR/USD",
            "sourced",
            "SBP interbank rate 2025-09-30",
        ),
        ("finance", "discount rate", 12, "%/yr", "estimated", "estimated"),
        (
            "finance",
            "capacity payments FY25",
            2.1e12,
            "PKR",
            "sourced",
            "NEPRA State of Industry 2025",
        ),
        ("compute", "ASIC efficiency (S21 XP Hyd)", 12.0, "J/TH", "sourced", "Bitmain datasheet"),
        ("compute", "ASIC price", 18, "USD/TH", "estimated", "estimated: hashrateindex 2025"),
        ("compute", "H100 server power", 10.2, "kW", "sourced", "NVIDIA DGX H100 datasheet"),
        ("compute", "AI uptime requirement", 97, "%", "estimated", "estimated"),
        (
            "grid",
            "operating reserve",
            1000,
            "MW",
            "estimated",
            "estimated: NTDC grid code practice",
        ),
        ("grid", "HVDC Matiari-Lahore limit", 2200, "MW", "sourced", "Dawn 2024-12-01"),
        (
            "grid",
            "hosting limit per region",
            1000,
            "MW",
            "estimated",
            "estimated: 500/220 kV transformation",
        ),
    ]
    return pd.DataFrame(rows, columns=["group", "item", "value", "unit", "status", "source"])


def synthetic_plan(seed: int = 7) -> Plan:
    """A full-year Plan with seven sites (four mining, three AI) in ten regions."""
    rng = np.random.default_rng(seed)
    time = _time()
    spare = _spare(time, rng)
    sites, runs = _sites(spare, time)
    dispatch, dispatch_region = _dispatch(time, sites, runs, rng)
    pnl = _pnl(sites, dispatch_region, runs)
    built = sites[sites["mw"] > 0]
    winter = np.isin(time.month, [12, 1, 2])
    summer = np.isin(time.month, [6, 7, 8])
    regions = REGIONS[["region", "name", "lat", "lon"]].copy()
    regions["spare_winter_mw"] = [spare.loc[winter, r].mean() for r in regions["region"]]
    regions["spare_summer_mw"] = [spare.loc[summer, r].mean() for r in regions["region"]]
    regions["sited_mw"] = [built.loc[built["region"] == r, "mw"].sum() for r in regions["region"]]
    flows = _flows(time)
    links = LINKS.copy()
    links["mean_use_share"] = [
        float((flows[link].abs() / cap).mean())
        for link, cap in zip(links["link"], links["capacity_mw"], strict=True)
    ]
    links["hours_congested"] = [
        int((flows[link].abs() >= 0.99 * cap).sum())
        for link, cap in zip(links["link"], links["capacity_mw"], strict=True)
    ]
    grid = pnl["pnl_grid"].set_index("lens")
    nation = pnl["pnl_nation"].set_index("lens")
    lenses = {
        lens: {
            "compute_energy_gwh": float(nation.loc[lens, "compute_energy_gwh"]),
            "grid_revenue_usd": float(grid.loc[lens, "revenue_usd"]),
            "capacity_payment_recovered_usd": float(grid.loc[lens, "contribution_usd"]),
            "btc_mined_per_year": float(nation.loc[lens, "btc_mined_per_year"]),
        }
        for lens in ("marginal_cost", "tariff")
    }
    mining_mw = float(built.loc[built["kind"] == "mining", "mw"].sum())
    ai_mw = float(built.loc[built["kind"] == "ai", "mw"].sum())
    base = {
        "objective_usd": 3.1e8,
        "welfare_gain_usd": 9.0e8,
        "operators_profit_usd": 2.4e8,
        "sited_mw": mining_mw + ai_mw,
        "mining_mw": mining_mw,
        "ai_mw": ai_mw,
        **lenses["marginal_cost"],
    }
    breakeven = built[built["kind"] == "mining"][["site", "region", "tech"]].copy()
    breakeven["breakeven_btc_price_usd"] = [52_000.0, 58_500.0, 61_000.0, 66_000.0]
    breakeven["btc_price_usd"] = BTC_PRICE_USD
    headline = {  # the keys gridsurplus.planning.tables.make_plan writes
        "dataset": "Pakistan FY2024-25 (synthetic plan for tests)",
        "reference_year": "FY2024-25",
        "currency": "PKR",
        "exchange_rate": PKR_PER_USD,
        "btc_price_usd": BTC_PRICE_USD,
        "method": "decomposed",
        "iterations": 3,
        "programme_mw": 2000.0,
        "tariff": {"name": "flat", "unit": "PKR/kWh", "mean_usd_per_mwh": TARIFF_USD_PER_MWH},
        "objective_usd": base["objective_usd"],
        "welfare_gain_usd": base["welfare_gain_usd"],
        "operators_profit_usd": base["operators_profit_usd"],
        "sited_mw": mining_mw + ai_mw,
        "sited_mw_by_region_and_tech": {
            r: {t: float(m) for t, m in zip(g["tech"], g["mw"], strict=True)}
            for r, g in built.groupby("region")
        },
        **lenses["marginal_cost"],
        "headline_lens": "marginal_cost",
        "lenses": lenses,
        "capacity_payments_usd": CAPACITY_PAYMENTS_USD,
        "solve_seconds": 41.2,
        "build_seconds": 6.3,
    }
    tables = {
        "sites": sites,
        "dispatch": dispatch,
        "dispatch_region": dispatch_region,
        "flows": flows,
        **pnl,
        "sensitivity": _sensitivity(base),
        "breakeven": breakeven.reset_index(drop=True),
        "assumptions": _assumptions(),
        "regions": regions,
        "links": links,
        "spare": spare.reset_index(),
        "supply_curve": _supply_curve(spare * 1.3),
    }
    return Plan(headline=headline, tables=tables)


def empty_plan() -> Plan:
    """The same grid with nothing sited: no mining, no AI, no P&L rows, no break-even."""
    plan = synthetic_plan()
    t = plan.tables
    t["sites"] = t["sites"].assign(
        mw=0.0,
        energy_gwh=0.0,
        hours_run=0,
        hours_curtailed=0,
        capacity_factor=0.0,
        energy_gwh_tariff=0.0,
        hours_run_tariff=0,
        hours_curtailed_tariff=0,
        capacity_factor_tariff=0.0,
    )
    t["dispatch"] = t["dispatch"].assign(mining_mw=0.0, ai_mw=0.0)
    t["dispatch_region"] = t["dispatch_region"].assign(mining_mw=0.0, ai_mw=0.0)
    t["regions"] = t["regions"].assign(sited_mw=0.0)
    for name in ("pnl_operators", "breakeven", "sensitivity"):
        t[name] = t[name].iloc[0:0]
    t["pnl_grid"] = t["pnl_grid"].assign(
        energy_sold_gwh=0.0,
        revenue_usd=0.0,
        revenue_local=0.0,
        fuel_cost_usd=0.0,
        fuel_cost_local=0.0,
        contribution_usd=0.0,
        contribution_local=0.0,
        capacity_payment_share=0.0,
    )
    t["forex_bridge"] = t["forex_bridge"].assign(usd=0.0, local=0.0)
    t["pnl_nation"] = t["pnl_nation"].assign(
        compute_energy_gwh=0.0,
        btc_mined_per_year=0.0,
        btc_value_usd=0.0,
        ai_revenue_usd=0.0,
        **{term: 0.0 for term in BRIDGE},
        foreign_exchange_gross_local=0.0,
        foreign_exchange_net_local=0.0,
        energy_otherwise_unused_gwh=0.0,
    )
    plan.headline = {
        **plan.headline,
        "sited_mw_by_region_and_tech": {},
        "compute_energy_gwh": 0.0,
        "grid_revenue_usd": 0.0,
        "capacity_payment_recovered_usd": 0.0,
        "btc_mined_per_year": 0.0,
        "lenses": {},
    }
    return plan
