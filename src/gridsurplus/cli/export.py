"""``gridsurplus export-pypsa``: write the plan's problem as a PyPSA network file."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from gridsurplus.cli.app import app
from gridsurplus.cli.common import (
    check_output_file,
    check_window,
    iso_date,
    progress,
    stdout_for_results,
    user_errors,
    warn_shedding,
    window_end,
    write_file_atomically,
)


@app.command("export-pypsa")
def export_pypsa(
    out: Path = typer.Option(..., "--out", help="netCDF file to write (PyPSA's format)."),
    dataset: Path | None = typer.Option(
        None, "--dataset", help="Dataset folder (default: the embedded Pakistan dataset)."
    ),
    start: str | None = typer.Option(
        None,
        "--start",
        help="First day (or hour) of the window, ISO 8601: YYYY-MM-DD or YYYY-MM-DDTHH:MM "
        "(default: the year's first).",
    ),
    end: str | None = typer.Option(
        None,
        "--end",
        help="Last day (or hour) of the window, included, ISO 8601 as --start (default: the "
        "year's last).",
    ),
    programme_mw: float | None = typer.Option(
        None,
        "--programme-mw",
        min=0.0,
        help="National cap on compute [MW] (default: the plan's, 2,000).",
    ),
    verify: bool = typer.Option(
        False, "--verify", help="Also solve the written file with PyPSA and compare objectives."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages on stderr."),
) -> None:
    """Write the siting and dispatch problem as a PyPSA network.

    Compute sites are PyPSA's extendable consumers with a willingness to pay; AI sites, whose
    uptime requirement PyPSA cannot tie to an extendable capacity, are fixed at the MW our
    solve builds. Solving the file with PyPSA alone, pypsa.Network(FILE).optimize(), reaches
    the objective printed here as n.objective + n.objective_constant (USD).
    """
    import logging

    from gridsurplus.dataset import load_dataset
    from gridsurplus.model.pypsa import read_netcdf, solve_pypsa, to_pypsa, write_netcdf
    from gridsurplus.planning.export import compute_inputs_for_export
    from gridsurplus.profiles import build_profiles

    logging.basicConfig(level=logging.WARNING)  # before PyPSA sets the root logger to INFO
    first, last = iso_date(start, "--start"), iso_date(end, "--end")
    check_output_file(out)
    with user_errors(), stdout_for_results():
        progress("loading the dataset and building the hourly year ...", quiet)
        ds = load_dataset(dataset)
        check_window(first, last, ds.snapshots, ds.reference_label)
        start = None if first is None else first.isoformat()
        end = None if last is None else window_end(last).isoformat()
        profiles = build_profiles(ds)
        progress("solving the plan with gridsurplus ...", quiet)
        t0 = time.perf_counter()
        case = compute_inputs_for_export(
            ds, profiles, start, end, programme_mw, say=lambda msg: progress(msg, quiet)
        )
        ours = time.perf_counter() - t0
        inp = case.inputs
        if case.base_unserved is not None:
            warn_shedding(case.base_unserved)
        progress(f"writing {out} ...", quiet)
        n = to_pypsa(inp, fixed_ai_mw=case.fixed_ai_mw if len(case.fixed_ai_mw) else None)
        n.meta["gridsurplus"]["expected_objective_usd"] = case.objective_usd
        write_file_atomically(out, lambda tmp: write_netcdf(n, tmp))
    hours = len(inp.snapshots)
    typer.echo(
        f"wrote {out}: {ds.name}, {hours} hours ({inp.snapshots[0]:%Y-%m-%d %H:%M} to "
        f"{inp.snapshots[-1]:%Y-%m-%d %H:%M}), {len(n.buses)} buses, {len(n.generators)} "
        f"generators, {len(n.links)} links, {len(n.global_constraints)} global constraints"
    )
    if len(case.fixed_ai_mw):
        fixed = ", ".join(f"{s} {mw + 0.0:,.0f} MW" for s, mw in case.fixed_ai_mw.items())
        typer.echo(f"AI sites fixed at the MW the plan builds: {fixed}")
    typer.echo(
        f"objective PyPSA should reach: {case.objective_usd:,.2f} USD "
        f"(n.objective + n.objective_constant; our solve took {ours:.1f} s)"
    )
    if verify:
        with user_errors():
            t0 = time.perf_counter()
            theirs = solve_pypsa(read_netcdf(out))
        gap = abs(theirs - case.objective_usd) / max(abs(case.objective_usd), 1.0)
        typer.echo(
            f"PyPSA reached {theirs:,.2f} USD in {time.perf_counter() - t0:.1f} s "
            f"(relative difference {gap:.1e})"
        )
