"""``gridsurplus sweep``: many plans over what we do not know, on Dask; and their report."""

from __future__ import annotations

from pathlib import Path

import typer

from gridsurplus.cli.app import app
from gridsurplus.cli.common import fail, progress, user_errors

_HELP = """Plan every scenario of a scenario file on Dask; record them in --out.

\b
gridsurplus sweep [SCENARIOS.yaml] --out DIR [--samples N] [--seed S]
    [--sites fixed|free] [--plan PLAN_DIR] [--workers N | --scheduler ADDR]
gridsurplus sweep report DIR    the sweep's offline report, DIR/report.html

Without a scenario file the dataset's own (scenarios.yaml) is used. Results
stream into DIR/summary, one Parquet part per finished scenario; run the
same command again to finish a sweep that was stopped.
"""


@app.command("sweep", help=_HELP)
def sweep(
    args: list[str] = typer.Argument(
        None, help="[SCENARIOS.yaml], or 'report DIR'.", show_default=False
    ),
    out: Path | None = typer.Option(None, "--out", help="Sweep folder (results and report)."),
    dataset: Path | None = typer.Option(
        None, "--dataset", help="Dataset folder (default: the embedded Pakistan dataset)."
    ),
    samples: int | None = typer.Option(
        None, "--samples", min=1, help="Random draws (default: the scenario file's 'samples')."
    ),
    seed: int | None = typer.Option(
        None, "--seed", help="Seed of the draws (default: the scenario file's 'seed')."
    ),
    sites: str = typer.Option(
        "free",
        "--sites",
        help="'free' plans each scenario's sites afresh; 'fixed' keeps the sites of --plan "
        "(or of the default plan) and solves only their operation.",
    ),
    plan_dir: Path | None = typer.Option(
        None, "--plan", help="Plan folder whose tables/sites.csv gives the fixed sites."
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="Local Dask worker processes (default: one per core)."
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786."
    ),
    quiet: bool = typer.Option(False, "--quiet", help="No progress on stderr."),
) -> None:
    """Run a sweep, or write a sweep's report (see the help text)."""
    args = list(args or [])
    with user_errors():
        if args and args[0] == "report":
            if len(args) != 2:
                fail("usage: gridsurplus sweep report DIR")
            from gridsurplus.scenarios.report import write_report

            path = write_report(Path(args[1]))
            typer.echo(str(path))
            return
        if len(args) > 1:
            fail("give at most one scenario file (or 'report DIR')")
        if out is None:
            fail("give --out DIR: the folder the sweep's results go to")
            return
        if workers is not None and scheduler is not None:
            fail("give --workers (a local cluster) or --scheduler (an existing one), not both")
        if plan_dir is not None and sites != "fixed":
            fail("--plan gives the sites to keep: use it with --sites fixed")
        from gridsurplus.dataset import load_dataset
        from gridsurplus.scenarios.evaluate import read_plan_sites
        from gridsurplus.scenarios.runner import run_sweep
        from gridsurplus.scenarios.spec import dataset_spec_path, read_spec

        ds = load_dataset(dataset)
        spec = read_spec(Path(args[0]) if args else dataset_spec_path(ds))
        fixed = read_plan_sites(plan_dir) if plan_dir is not None else None
        summary = run_sweep(
            spec,
            out,
            ds=ds,
            samples=samples,
            seed=seed,
            sites=sites,
            fixed_mw=fixed,
            workers=workers,
            scheduler=scheduler,
            progress=not quiet,
            say=lambda msg: progress(msg, quiet),
        )
        ok = int((summary["status"] == "ok").sum()) if len(summary) else 0
        progress(
            f"{len(summary)} scenarios recorded in {out / 'summary'} ({ok} ok, "
            f"{len(summary) - ok} failed); report: gridsurplus sweep report {out}",
            quiet,
        )
