"""``gridsurplus surplus``: where the surplus is, when, and what it costs at the margin."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import typer

from gridsurplus.cli.app import app
from gridsurplus.cli.common import (
    check_output_folder,
    print_json,
    progress,
    stdout_for_results,
    user_errors,
    warn_shedding,
    write_atomically,
)


@app.command("surplus")
def surplus(
    dataset: Path | None = typer.Option(
        None,
        "--dataset",
        help="Dataset folder (default: the embedded Pakistan dataset, FY2024-25).",
    ),
    out: Path = typer.Option(
        Path("surplus"),
        "--out",
        help="Folder for surplus.json and tables/ (created; replaced files only).",
    ),
    price: float | None = typer.Option(
        None,
        "--price",
        help="Price for firm surplus and spare capacity, in the dataset's currency per kWh "
        "(default: the dataset's posted tariff, its tariff_flat market row; Rs 23/kWh for "
        "Pakistan). "
        "Plants with a higher marginal cost do not count.",
        min=0.0,
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the headline figures as one JSON object."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages on stderr."),
) -> None:
    """Assess the surplus of the reference year from its base dispatch.

    Spare capacity and marginal cost per region and hour, supply curves, firm surplus and
    curtailment-enabled headroom.
    """
    from gridsurplus.dataset import load_dataset
    from gridsurplus.surplus import assess_surplus, default_price_per_kwh

    check_output_folder(out)
    t0 = time.perf_counter()
    with user_errors(), stdout_for_results():
        progress("loading the dataset ...", quiet)
        ds = load_dataset(dataset)
        progress(
            f"building the hourly year and solving the base dispatch of {ds.reference_label} ...",
            quiet,
        )
        price = default_price_per_kwh(ds) if price is None else price
        result = assess_surplus(ds, price_per_kwh=price)
        warn_shedding(result.dispatch.solution.unserved)
        progress(f"writing {out}/ ...", quiet)
        summary = result.summary()
        summary["dataset"] = ds.name
        summary["reference_year"] = ds.reference_label
        summary["price_per_kwh"] = {"value": price, "currency": ds.currency}
        write_atomically(out, lambda tmp: _write(tmp, result, summary))
    summary["seconds"]["total"] = time.perf_counter() - t0
    if as_json:
        print_json(summary)
    else:
        typer.echo(summary_text(summary, ds.currency, price))
        typer.echo(
            f"\nwrote {out}/surplus.json and {out}/tables/ in {summary['seconds']['total']:.0f} s"
        )


def _write(folder: Path, result: Any, summary: dict[str, Any]) -> None:
    tables = folder / "tables"
    tables.mkdir()
    (folder / "surplus.json").write_text(
        json.dumps(summary, indent=2, default=float), encoding="utf-8"
    )
    result.spare.round(1).to_csv(tables / "spare_mw.csv", index_label="time")
    result.spare_any_cost.round(1).to_csv(tables / "spare_any_cost_mw.csv", index_label="time")
    result.price.round(3).to_csv(tables / "marginal_cost_usd_per_mwh.csv", index_label="time")
    result.supply_curve.round(3).to_csv(tables / "supply_curve.csv", index=False)
    firm = result.firm.copy()
    firm.columns = [f"{100 * c:g}%" for c in firm.columns]
    firm.round(1).to_csv(tables / "firm_surplus_mw.csv", index_label="area")
    d = result.dispatch
    d.generation_by("mix_group").round(1).to_csv(
        tables / "generation_mw_by_group.csv", index_label="time"
    )
    d.generation_by("region").round(1).to_csv(
        tables / "generation_mw_by_region.csv", index_label="time"
    )
    d.solution.flow.round(1).to_csv(tables / "flow_mw.csv", index_label="time")
    d.inputs.demand.transpose("time", "region").to_pandas().round(1).to_csv(
        tables / "demand_mw.csv", index_label="time"
    )


def summary_text(s: dict[str, Any], currency: str, price: float) -> str:
    """Readable summary of :meth:`SurplusAssessment.summary`."""
    lines = [
        f"Surplus of {s['dataset']}, {s['reference_year']}",
        f"price for spare and firm surplus: {price:g} {currency}/kWh"
        f" = {s['price_usd_per_mwh']:.1f} USD/MWh",
        "",
    ]
    cal = s["calibration"]["annual"]
    lines.append(
        f"base dispatch: {s['annual_generation_gwh']:,.0f} GWh generated "
        f"(published {cal['published_gwh']:,.0f}, {cal['error_pct']:+.1f}%), "
        f"unserved {s['unserved_gwh']:,.1f} GWh, fuel cost {s['fuel_cost_usd'] / 1e9:,.2f} bn USD"
    )
    if "mix" in s["calibration"]:
        mix = s["calibration"]["mix"]
        lines.append(
            "mix, model vs published [%]: "
            + ", ".join(
                f"{g} {v['model_pct']:.1f}/{v['published_pct']:.1f}"
                for g, v in mix.items()
                if v["published_pct"] == v["published_pct"]
            )
        )
    lines += [
        "",
        f"{'area':<9}{'winter MW':>10}{'summer MW':>10}{'GWh/yr':>9}{'MC USD/MWh':>11}"
        f"{'firm 90%':>9}{'99%':>7}{'99.9%':>7}",
    ]
    for area in s["surplus_gwh_by_region"]:
        firm = s["firm_surplus_mw"][area]
        mc = s["mean_marginal_cost_usd_per_mwh_by_region"].get(area)
        lines.append(
            f"{area:<9}{s['winter_surplus_mw_by_region'][area]:>10,.0f}"
            f"{s['summer_surplus_mw_by_region'][area]:>10,.0f}{s['surplus_gwh_by_region'][area]:>9,.0f}"
            f"{'' if mc is None else f'{mc:.1f}':>11}"
            f"{firm['90%']:>9,.0f}{firm['99%']:>7,.0f}{firm['99.9%']:>7,.0f}"
        )
    lines += [
        "",
        "winter = Dec-Feb mean, summer = Jun-Aug mean; a region's figure is what a load there "
        "could take alone (over the links' unused capacity), national if it sat where the spare "
        "is;",
        "MC = mean marginal cost of one more MW (dual of the nodal balance)",
        "",
        "curtailment-enabled headroom of the national load (Norris et al. 2025) [MW]:",
    ]
    for name, label in (
        ("own_peaks", "against its seasonal peaks"),
        ("capacity", "against available capacity"),
    ):
        res = s["headroom"][name]["results"]
        cells = ", ".join(f"{r['rate_pct']:g}%: {r['headroom_mw']:,.0f}" for r in res)
        lines.append(f"  {label:<28} {cells}")
        notes = {r["note"] for r in res if r.get("note")}
        lines += [f"    note: {n}" for n in sorted(notes)]
    return "\n".join(lines)
