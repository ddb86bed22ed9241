"""Every input that drove a plan, with its source or how it was estimated."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gridsurplus.planning.types import PlanRun


def assumptions_table(run: PlanRun) -> pd.DataFrame:
    """Every input that drove the result, with its source or how it was estimated."""
    ds = run.ds
    rows: list[dict[str, Any]] = []
    meta = ds.meta

    def add(group: str, item: str, value: Any, unit: str, status: str, source: str) -> None:
        rows.append(
            {
                "group": group,
                "item": item,
                "value": value,
                "unit": unit,
                "status": status,
                "source": source,
            }
        )

    add(
        "system",
        "exchange rate",
        ds.exchange_rate,
        f"{ds.currency}/USD",
        "sourced",
        str(meta.get("exchange_rate_source", "")).strip(),
    )
    add(
        "system",
        "value of lost load",
        ds.voll_usd_per_mwh,
        "USD/MWh",
        "estimated",
        str(meta.get("voll_source", "")).strip(),
    )
    reserve = meta.get("reserve") or {}
    add(
        "system",
        "operating reserve",
        reserve.get("mw", 0.0),
        "MW",
        "estimated",
        str(reserve.get("source", "")).strip(),
    )
    cp = meta.get("capacity_payments") or {}
    add(
        "system",
        "capacity payments of the year",
        cp.get("amount", ""),
        cp.get("currency", ds.currency),
        "sourced",
        str(cp.get("source", "")).strip(),
    )
    add(
        "plan",
        "programme cap",
        run.inputs.compute.programme_mw,  # type: ignore[union-attr]
        "MW",
        "scenario",
        "Finance Ministry, May 2025: 2,000 MW in the first phase (default; --programme-mw)",
    )
    add(
        "plan",
        "posted tariff",
        run.method_info.get("tariff", ""),
        run.method_info.get("tariff_unit", ""),
        "scenario",
        "--tariff / --tariff-file, or the dataset's tariff_flat market row",
    )
    for _, r in ds.table("markets").iterrows():
        add(
            "markets",
            f"{r['quantity']} {r['year']}",
            str(int(r["value"])) if r["unit"] == "year" else r["value"],
            r["unit"],
            r["status"],
            r["source"],
        )
    if "compute_techs" in ds.tables:
        for _, r in ds.table("compute_techs").iterrows():
            add("compute", r["tech"], r.get("label", ""), "", "see source", r["source"])
    for fuel, r in ds.fuels.iterrows():
        add(
            "fuels",
            f"{fuel}: cost {r['marginal_cost_per_kwh']:g} {ds.currency}/kWh, availability "
            f"{r['availability']:g}",
            r["marginal_cost_per_kwh"],
            f"{ds.currency}/kWh",
            "",
            r["source"],
        )
    for link, r in ds.links.iterrows():
        add(
            "links",
            f"{link} ({r['from_region']} - {r['to_region']})",
            r["capacity_mw"],
            "MW",
            r["status"],
            r["source"],
        )
    for region, r in ds.regions.iterrows():
        add(
            "regions",
            f"{region} demand share and hosting limits",
            r["demand_share"],
            "fraction",
            "",
            f"{r['source']}; hosting: mining {r['max_mining_mw']:g} MW, "
            f"AI {r['max_ai_mw']:g} MW ({r['notes']})",
        )
    if "energy_budgets" in ds.tables:
        budgets = ds.table("energy_budgets")
        for (fuel, kind), group in budgets.groupby(["fuel", "kind"]):
            add(
                "energy budgets",
                f"{fuel} {kind}",
                float(group["energy_gwh"].sum()),
                "GWh",
                ", ".join(sorted(set(group["status"]))),
                str(group["source"].iloc[0]),
            )
    return pd.DataFrame(rows)
