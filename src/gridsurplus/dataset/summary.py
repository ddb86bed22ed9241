"""A readable summary of a dataset: regions, capacity by fuel and region, demand, links."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gridsurplus.dataset.io import Dataset


def annual_demand_gwh(ds: Dataset) -> float:
    """Energy to serve in the reference year [GWh]."""
    if ds.demand_hourly is not None:
        return float(ds.demand_hourly.to_numpy().sum() / 1000.0)
    return float(ds.table("demand_monthly")["energy_gwh"].sum())


def summarise(ds: Dataset) -> dict[str, Any]:
    """Summarise a dataset as a JSON-ready dict.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.

    Returns
    -------
    dict
        ``name``, ``reference_year``, ``regions`` (id, name, demand share), capacity [MW] by
        fuel, by region and by status, ``generating_capacity_mw``, ``annual_demand_gwh`` and
        ``links`` (from, to, MW each way).
    """
    plants = ds.plants()
    generating = ds.plants(generating_only=True)
    regions = ds.regions
    by_fuel = generating.groupby("fuel")["capacity_mw"].sum().sort_values(ascending=False)
    by_region_fuel = generating.pivot_table(
        index="region", columns="mix_group", values="capacity_mw", aggfunc="sum", fill_value=0.0
    ).reindex(regions.index, fill_value=0.0)
    by_status = plants.groupby("status")["capacity_mw"].sum().sort_values(ascending=False)
    links = ds.links
    return {
        "name": ds.name,
        "reference_year": ds.reference_label,
        "currency": ds.currency,
        "exchange_rate": ds.exchange_rate,
        "regions": [
            {
                "region": r,
                "name": row["name"],
                "demand_share": _num(row["demand_share"]),
                "climate_station": row["climate_station"],
            }
            for r, row in regions.iterrows()
        ],
        "generating_capacity_mw": float(generating["capacity_mw"].sum()),
        "capacity_mw_by_fuel": {k: float(v) for k, v in by_fuel.items()},
        "capacity_mw_by_region_and_group": {
            r: {g: float(v) for g, v in row.items() if v > 0}
            for r, row in by_region_fuel.iterrows()
        },
        "capacity_mw_by_status": {k: float(v) for k, v in by_status.items()},
        "annual_demand_gwh": annual_demand_gwh(ds),
        "links": [
            {
                "link": lid,
                "from": row["from_region"],
                "to": row["to_region"],
                "capacity_mw": float(row["capacity_mw"]),
                "capacity_reverse_mw": float(row["capacity_reverse_mw"]),
                "kind": row["kind"],
            }
            for lid, row in links.iterrows()
        ],
    }


def _num(x: Any) -> float | None:
    return None if pd.isna(x) else float(x)


def summary_text(s: dict[str, Any]) -> str:
    """Render :func:`summarise` output as plain text tables."""
    lines = [
        f"{s['name']} - reference year {s['reference_year']} "
        f"({s['currency']}, {s['exchange_rate']:g} per USD)",
        "",
    ]
    lines.append(f"Demand: {s['annual_demand_gwh']:,.0f} GWh in the year")
    lines.append(f"Generating capacity (merit pool): {s['generating_capacity_mw']:,.0f} MW")
    lines += ["", "Regions", f"  {'region':<8} {'share':>7}  {'station':<11} name"]
    for r in s["regions"]:
        share = "" if r["demand_share"] is None else f"{100 * r['demand_share']:.1f}%"
        lines.append(f"  {r['region']:<8} {share:>7}  {r['climate_station']:<11} {r['name']}")
    lines += ["", "Generating capacity by fuel [MW]"]
    for fuel, mw in s["capacity_mw_by_fuel"].items():
        lines.append(f"  {fuel:<20} {mw:>9,.0f}")
    groups = sorted({g for v in s["capacity_mw_by_region_and_group"].values() for g in v})
    lines += [
        "",
        "Generating capacity by region [MW]",
        "  " + f"{'region':<8}" + "".join(f"{g[:9]:>10}" for g in groups) + f"{'total':>10}",
    ]
    for region, row in s["capacity_mw_by_region_and_group"].items():
        cells = "".join(f"{row.get(g, 0):>10,.0f}" for g in groups)
        lines.append(f"  {region:<8}{cells}{sum(row.values()):>10,.0f}")
    lines += [
        "",
        "Capacity by status [MW] (only merit-pool plants with an operating status generate)",
    ]
    for status, mw in s["capacity_mw_by_status"].items():
        lines.append(f"  {status:<20} {mw:>9,.0f}")
    lines += ["", "Links [MW]"]
    for link in s["links"]:
        lines.append(
            f"  {link['from']:>6} -> {link['to']:<6} {link['capacity_mw']:>7,.0f} "
            f"(back {link['capacity_reverse_mw']:,.0f})  {link['kind']}  {link['link']}"
        )
    return "\n".join(lines)
