"""``gridsurplus export-pypsa``: write the plan's problem as a PyPSA network file."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gridsurplus.cli.app import app
from gridsurplus.cli.common import progress, user_errors
from gridsurplus.errors import GridsurplusError

if TYPE_CHECKING:
    import pandas as pd
    import xarray as xr

    from gridsurplus.dataset import Dataset
    from gridsurplus.model.inputs import ModelInputs


@dataclass(frozen=True)
class ExportCase:
    """The problem to export and what our own solve of it reached.

    Attributes
    ----------
    inputs : ModelInputs
        The window's inputs, with compute sites (builds free) if the dataset has any.
    fixed_ai_mw : pandas.Series
        Built MW of the sites with an uptime requirement, fixed in the export [MW].
    objective_usd : float
        Objective of our solve of ``inputs``, which PyPSA should reach [USD].
    """

    inputs: ModelInputs
    fixed_ai_mw: pd.Series
    objective_usd: float


def compute_inputs_for_export(
    ds: Dataset,
    profiles: xr.Dataset,
    start: str | None = None,
    end: str | None = None,
    programme_mw: float | None = None,
    *,
    workers: int = 2,
    say: Callable[[str], None] | None = None,
) -> ExportCase:
    """The plan's problem, with the values of its final iteration, over a window.

    Runs :func:`gridsurplus.planning.run_plan` (sensitivity off) and takes its final siting
    problem: mining valued at the hashprice the fleet's own effect settled on, AI sites to be
    fixed at the MW the plan builds. For the whole year the objective PyPSA must reach is the
    plan's; for a window, our own solve of the window with the same AI builds.

    Parameters
    ----------
    ds : Dataset
        The dataset; without a ``compute_techs`` table the base dispatch is exported.
    profiles : xarray.Dataset
        :func:`gridsurplus.profiles.build_profiles` of ``ds``.
    start, end : str, optional
        First and last day (or hour) of the window, e.g. ``2025-01-01``; default: the year.
    programme_mw : float, optional
        National cap on all compute [MW] (default: the plan's).
    workers : int
        Processes for the plan's decomposition.
    say : callable, optional
        Progress messages.

    Returns
    -------
    ExportCase
        The inputs, the AI builds and the objective our solve reached.

    Raises
    ------
    GridsurplusError
        If the window holds no hour of the reference year.
    """
    import pandas as pd

    from gridsurplus.model.inputs import model_inputs
    from gridsurplus.model.solve import solve_inputs
    from gridsurplus.planning import PlanOptions, final_problem, run_plan

    whole_year = start is None and end is None
    fixed = pd.Series(dtype=float)
    if "compute_techs" in ds.tables:
        run = run_plan(
            ds,
            PlanOptions(programme_mw=programme_mw, sensitivity="off", workers=workers),
            profiles=profiles,
            progress=say,
        )
        inp = final_problem(run)
        ai = inp.compute.sites.index[inp.compute.sites["uptime"] > 0]  # type: ignore[union-attr]
        assert run.optimum.build is not None
        fixed = run.optimum.build.reindex(ai).clip(lower=0.0) + 0.0  # no -0.0
        objective = run.optimum.objective_usd
    else:
        inp = model_inputs(ds, profiles)
        objective = float("nan")
    if not whole_year:
        keep = inp.snapshots.slice_indexer(start, end)
        if keep.stop - keep.start <= 0:
            raise GridsurplusError(
                f"no hour of {ds.reference_label} ({inp.snapshots[0]:%Y-%m-%d} to "
                f"{inp.snapshots[-1]:%Y-%m-%d}) lies between --start {start} and --end {end}"
            )
        inp = inp.select(slice(start, end))
    if not whole_year or inp.compute is None:
        pinned = inp
        if inp.compute is not None and len(fixed):
            pinned = inp.with_compute(replace(inp.compute, fixed_mw=fixed))
        objective = solve_inputs(pinned).objective_usd
    return ExportCase(inputs=inp, fixed_ai_mw=fixed, objective_usd=objective)


@app.command("export-pypsa")
def export_pypsa(
    out: Path = typer.Option(..., "--out", help="netCDF file to write (PyPSA's format)."),
    dataset: Path | None = typer.Option(
        None, "--dataset", help="Dataset folder (default: the embedded Pakistan dataset)."
    ),
    start: str | None = typer.Option(
        None, "--start", help="First day of the window, YYYY-MM-DD (default: the year's first)."
    ),
    end: str | None = typer.Option(
        None, "--end", help="Last day of the window, YYYY-MM-DD, included (default: the last)."
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
    from gridsurplus.profiles import build_profiles
    from gridsurplus.pypsa_export import read_netcdf, solve_pypsa, to_pypsa, write_netcdf

    logging.basicConfig(level=logging.WARNING)  # before PyPSA sets the root logger to INFO
    with user_errors():
        progress("loading the dataset and building the hourly year ...", quiet)
        ds = load_dataset(dataset)
        profiles = build_profiles(ds)
        progress("solving the plan with gridsurplus ...", quiet)
        t0 = time.perf_counter()
        case = compute_inputs_for_export(
            ds, profiles, start, end, programme_mw, say=lambda msg: progress(msg, quiet)
        )
        ours = time.perf_counter() - t0
        inp = case.inputs
        progress(f"writing {out} ...", quiet)
        n = to_pypsa(inp, fixed_ai_mw=case.fixed_ai_mw if len(case.fixed_ai_mw) else None)
        n.meta["gridsurplus"]["expected_objective_usd"] = case.objective_usd
        write_netcdf(n, out)
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
