"""``gridsurplus plan``: where the miners and data centres go, how they run, who earns what."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import typer

from gridsurplus.cli.app import app
from gridsurplus.cli.common import (
    check_output_folder,
    check_window,
    fail,
    iso_date,
    print_json,
    progress,
    stdout_for_results,
    user_errors,
    window_end,
    write_atomically,
)


@app.command("plan")
def plan(
    dataset: Path | None = typer.Option(
        None,
        "--dataset",
        help="Dataset folder (default: the embedded Pakistan dataset, FY2024-25).",
    ),
    tariff: float | None = typer.Option(
        None,
        "--tariff",
        help="Posted flat tariff for compute, in the dataset's currency per kWh (PKR/kWh for "
        "Pakistan; default: the dataset's tariff_flat market row, Rs 23/kWh).",
        min=0.0,
    ),
    tariff_file: Path | None = typer.Option(
        None,
        "--tariff-file",
        help="Time-of-use tariff as CSV with columns region ('*' for all), months ('all' or e.g. "
        "'12 1 2'), hours ('all' or e.g. '17-21', 0-23), rate and unit (the dataset's currency "
        "or USD per kWh or MWh, e.g. PKR/kWh); the row '*, all, all' is the base rate, later "
        "rows override earlier ones.",
    ),
    programme_mw: float | None = typer.Option(
        None,
        "--programme-mw",
        help="National cap on all compute built [MW] (default 2,000: Pakistan's first phase).",
        min=0.0,
    ),
    techs: str | None = typer.Option(
        None,
        "--techs",
        help="Comma-separated compute technologies to consider (default: all in compute_techs).",
    ),
    out: Path = typer.Option(
        Path("plan"), "--out", help="Folder for plan.json, tables/ and report.html."
    ),
    method: str = typer.Option(
        "decomposed",
        "--method",
        help="'decomposed': exact month-by-month Benders decomposition (fast); "
        "'monolithic': one LP.",
    ),
    workers: int = typer.Option(
        2, "--workers", help="Processes solving months in parallel.", min=1
    ),
    sensitivity: str = typer.Option(
        "fixed",
        "--sensitivity",
        help="Sensitivity re-solves for the tornado chart: 'fixed' keeps the plan's sites, 'free' "
        "re-sites each case, 'off' skips them.",
    ),
    uptime_period: str = typer.Option(
        "month",
        "--uptime-period",
        help="Keep the AI tier's uptime every 'month' (as SLAs measure it) or over the 'year'.",
    ),
    mining_reserve_share: float = typer.Option(
        0.0,
        "--mining-reserve-share",
        min=0.0,
        max=1.0,
        help="Share of the operating reserve that interruptible mining may provide "
        "[fraction, 0-1]; 0 (default) keeps the whole reserve on power plants.",
    ),
    start: str | None = typer.Option(
        None, "--start", help="Plan only from this day (YYYY-MM-DD; annuities prorated)."
    ),
    end: str | None = typer.Option(
        None, "--end", help="Plan only up to this day, included (YYYY-MM-DD)."
    ),
    scenarios: str | None = typer.Option(
        None,
        "--scenarios",
        help="Also choose one robust plan over the scenarios of this file (the sweep's "
        "format), or 'default' for the dataset's own: builds shared, each scenario its own year.",
    ),
    samples: int | None = typer.Option(
        None, "--samples", min=1, help="Scenarios drawn (default: the scenario file's)."
    ),
    seed: int | None = typer.Option(
        None, "--seed", help="Seed of the draws (default: the scenario file's)."
    ),
    risk: str = typer.Option(
        "expected",
        "--risk",
        help="Robust objective: 'expected' welfare, or 'cvar:ALPHA:WEIGHT' to blend in the "
        "CVaR of welfare at level ALPHA with weight WEIGHT.",
    ),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="With --scenarios: a running Dask scheduler (tcp://host:8786) whose workers hold "
        "the (scenario, month) models; default a local cluster of --workers workers.",
    ),
    no_report: bool = typer.Option(
        False, "--no-report", help="Skip report.html (for scripted runs)."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print plan.json's figures as one JSON object."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages on stderr."),
) -> None:
    """Site Bitcoin mining and AI data centres on the surplus, demand first.

    Runs them hour by hour and reports who earns what, at marginal cost and under a posted
    tariff.
    """
    from gridsurplus.dataset import load_dataset
    from gridsurplus.dataset.presentation import presentation_of
    from gridsurplus.planning import METHODS, PlanOptions
    from gridsurplus.planning import plan as make_plan
    from gridsurplus.surplus.shedding import warning_text

    if tariff is not None and tariff_file is not None:
        fail("give --tariff or --tariff-file, not both")
    if method not in METHODS:
        fail(f"--method must be one of {', '.join(METHODS)}, got '{method}'")
    if sensitivity not in ("fixed", "free", "off"):
        fail(f"--sensitivity must be fixed, free or off, got '{sensitivity}'")
    if uptime_period not in ("month", "year"):
        fail(f"--uptime-period must be month or year, got '{uptime_period}'")
    first, last = iso_date(start, "--start"), iso_date(end, "--end")
    check_output_folder(out)
    t0 = time.perf_counter()

    def say(msg: str) -> None:
        progress(msg, quiet)

    with user_errors(), stdout_for_results():
        say("loading the dataset ...")
        ds = load_dataset(dataset)
        presentation = presentation_of(ds)
        check_window(first, last, ds.snapshots, ds.reference_label)
        window = None
        if first is not None or last is not None:
            window = slice(first, None if last is None else window_end(last))
        options = PlanOptions(
            tariff=_tariff(tariff, tariff_file, ds),
            programme_mw=programme_mw,
            techs=techs.split(",") if techs is not None else None,
            method=method,
            workers=workers,
            sensitivity=sensitivity,
            uptime_period=uptime_period,
            mining_reserve_share=mining_reserve_share,
            window=window,
        )
        if scenarios is not None:
            from gridsurplus.cli.robust import robust_plan

            result = robust_plan(
                ds,
                options,
                scenarios,
                samples=samples,
                seed=seed,
                risk=risk,
                scheduler=scheduler,
                say=say,
            )
        else:
            result = make_plan(ds, options, progress=say)
        shedding = warning_text(result.headline.get("base_shedding") or [])
        if shedding:
            typer.echo(shedding, err=True)

        def write(folder: Path) -> None:
            result.write(folder)
            if not no_report:
                from gridsurplus.report.html import write_report

                say("writing report.html ...")
                t = time.perf_counter()
                write_report(result, folder / "report.html", presentation=presentation)
                result.headline["seconds"]["report"] = time.perf_counter() - t

        say(f"writing {out}/ ...")
        write_atomically(out, write)
    result.headline["seconds"]["total"] = time.perf_counter() - t0
    if as_json:
        print_json(result.headline)
        return
    typer.echo(summary_text(result.headline))
    if scenarios is not None:
        from gridsurplus.cli.robust import robust_text

        typer.echo(robust_text(result.headline))
    files = "plan.json, tables/" + ("" if no_report else " and report.html")
    typer.echo(f"\nwrote {files} to {out}/ in {result.headline['seconds']['total']:.0f} s")


def _tariff(rate: float | None, path: Path | None, ds: Any) -> Any:
    """The posted tariff of ``--tariff`` or ``--tariff-file`` (None: the dataset's)."""
    from gridsurplus.dataset.tariff_file import read_tariff_file
    from gridsurplus.economics.tariffs import Tariff

    if rate is not None:
        return Tariff.flat(
            rate,
            f"{ds.currency}/kWh",
            name=f"flat {rate:g} {ds.currency}/kWh",
            source="--tariff",
        )
    if path is None:
        return None
    return read_tariff_file(path, ds)


def _cell(value: float, fmt: str) -> str:
    return "-" if value != value else format(value, fmt)


def summary_text(h: dict[str, Any]) -> str:
    """Readable summary of a plan's headline figures."""
    lines = [
        f"Plan for {h['dataset']}, {h['reference_year']} - programme {h['programme_mw']:,.0f} MW, "
        f"method: {h['method']}",
        "",
    ]
    sited = h["sited_mw_by_region_and_tech"]
    if sited:
        lines.append("Sited [MW]:")
        for region, techs in sited.items():
            cells = ", ".join(f"{tech} {mw:,.0f}" for tech, mw in techs.items())
            lines.append(f"  {region:<7} {cells}")
    else:
        lines.append(
            "Nothing is worth building at these prices (see the break-even BTC price in tables/)."
        )
    lines.append("")
    mc, tar = h["lenses"]["marginal_cost"], h["lenses"]["tariff"]
    rows = [
        ("compute energy [GWh/yr]", "compute_energy_gwh", 1.0, ",.0f"),
        ("grid revenue [M USD/yr]", "grid_revenue_usd", 1e-6, ",.0f"),
        ("extra fuel cost [M USD/yr]", "grid_fuel_cost_usd", 1e-6, ",.0f"),
        ("capacity payments recovered [M USD/yr]", "capacity_payment_recovered_usd", 1e-6, ",.0f"),
        ("  share of the year's capacity payments [%]", "capacity_payment_share", 100.0, ".1f"),
        ("operators' margin [M USD/yr]", "operators_margin_usd", 1e-6, ",.0f"),
        ("BTC mined [BTC/yr]", "btc_mined_per_year", 1.0, ",.0f"),
        ("foreign exchange, gross [M USD/yr]", "foreign_exchange_gross_usd", 1e-6, ",.0f"),
        ("  less imported fuel [M USD/yr]", "imported_fuel_usd", 1e-6, ",.0f"),
        ("  less imported hardware [M USD/yr]", "imported_hardware_usd", 1e-6, ",.0f"),
        ("  less profit repatriated [M USD/yr]", "profit_repatriated_usd", 1e-6, ",.0f"),
        ("foreign exchange, net [M USD/yr]", "foreign_exchange_net_usd", 1e-6, ",.0f"),
    ]
    period = h.get("period") or {}
    if float(period.get("year_share", 1.0)) < 0.999:  # a window: its own totals, not a year's
        rows = [(label.replace("/yr]", "]"), key, scale, fmt) for label, key, scale, fmt in rows]
        lines.append(
            f"Figures are totals over the window {period['start'][:10]} to "
            f"{period['end'][:10]} ({period['hours']:,} h), not a year's."
        )
    tariff = h["tariff"]
    lines.append(f"{'':<44}{'at marginal cost':>18}{'at the tariff':>16}")
    lines.append(
        f"{'price paid [USD/MWh]':<44}{_cell(mc['average_price_usd_per_mwh'], '.1f'):>18}"
        f"{_cell(tar['average_price_usd_per_mwh'], '.1f'):>16}"
    )
    for label, key, scale, fmt in rows:
        lines.append(
            f"{label:<44}{_cell(mc[key] * scale, fmt):>18}{_cell(tar[key] * scale, fmt):>16}"
        )
    lines += [
        "",
        f"tariff: {tariff['name']} ({tariff['mean_usd_per_mwh']:.1f} USD/MWh on average)",
        demand_line(h),
        *held_back_lines(h),
        f"fleet effect on difficulty: {len(h['fleet_iterations'])} iteration(s), hashprice x "
        f"{h['fleet_factor']:.3f}",
        f"build {h['build_seconds']:.1f} s, solve {h['solve_seconds']:.1f} s",
    ]
    return "\n".join(lines)


def demand_line(h: dict[str, Any]) -> str:
    """What the plan can truthfully say about demand (never "served" when the base sheds)."""
    change = h["lenses"]["marginal_cost"]["unserved_change_gwh"]
    base = float(h.get("base_unserved_gwh") or 0.0)
    if base <= 1e-9:
        return f"demand served exactly as without compute (unserved change {change:+.3f} GWh)"
    regions = ", ".join(r["region"] for r in h.get("base_shedding") or [])
    return (
        f"the grid sheds {base:,.3f} GWh of demand even without compute ({regions}); compute "
        f"adds none (unserved change {change:+.3f} GWh) and never runs where demand is shed"
    )


def held_back_lines(h: dict[str, Any]) -> list[str]:
    """One line per AI site held back because its uptime would shed demand."""
    return [f"held back: {s['site']}: {s['why']}" for s in h.get("sites_held_back") or []]
