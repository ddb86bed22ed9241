"""``gridsurplus operate enroll|schedule|curtail|collect|settle|simulate-sites``.

Thin commands on :mod:`gridsurplus.operations`; they register on the ``operate`` sub-app of
:mod:`gridsurplus.cli.operate`. Every command but ``simulate-sites`` works on the VTN's
database (``--db``) through the VTN's own routes, run in this process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from gridsurplus.cli.common import fail, print_json, user_errors
from gridsurplus.cli.operate import DB_HELP, operate_app

DATASET_HELP = "Dataset folder the plan was made from (default: the embedded Pakistan dataset)."


@contextmanager
def _errors() -> Iterator[None]:
    """Our own errors and bad values as one clear line, no traceback."""
    with user_errors():
        try:
            yield
        except (ValueError, OSError) as exc:
            fail(str(exc))


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--day '{text}' is not YYYY-MM-DD")
        raise


@operate_app.command("enroll")
def enroll_cmd(
    plan_dir: Path = typer.Argument(..., help="Folder written by `gridsurplus plan`."),
    credentials: Path = typer.Option(
        ..., "--credentials", help="JSON file for the sites' new credentials (mode 0600)."
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    dataset: Path | None = typer.Option(None, "--dataset", help=DATASET_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the enrolment as JSON."),
) -> None:
    """Enrol a plan's sites: the surplus-power program, one VEN client per site, targets."""
    from gridsurplus import load_dataset
    from gridsurplus.operations.enroll import enroll, write_credentials
    from gridsurplus.operations.programme import operator
    from gridsurplus.operations.schedule import read_fleet
    from gridsurplus.server.clients import create_client

    with _errors():
        fleet, headline = read_fleet(plan_dir)
        tz = str(load_dataset(dataset).meta.get("timezone") or "UTC")
        with operator(db, "enroll") as (bl, engine):
            result = enroll(
                bl, fleet, headline, tz, lambda name, role: create_client(db, name, role), engine
            )
        write_credentials(credentials, result)
    summary = {
        "program_id": result["program_id"],
        "enrolled": sorted(result["sites"]),
        "already_enrolled": sorted(set(fleet["site"]) - set(result["sites"])),
        "credentials": str(credentials),
    }
    if as_json:
        print_json(summary)
        return
    typer.echo(f"program {summary['program_id']}: {len(summary['enrolled'])} sites enrolled")
    for site in summary["enrolled"]:
        typer.echo(f"  {site}")
    if summary["already_enrolled"]:
        typer.echo(f"already enrolled: {', '.join(summary['already_enrolled'])}")
    typer.echo(f"credentials written to {credentials} (readable by you only)")


@operate_app.command("schedule")
def schedule_cmd(
    day: str = typer.Option(..., "--day", help="Local day to publish, YYYY-MM-DD."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    demand_forecast: Path | None = typer.Option(
        None,
        "--demand-forecast",
        help="CSV: time (local) and one column per region [MW]; hours not given keep the "
        "dataset's profile.",
    ),
    dataset: Path | None = typer.Option(None, "--dataset", help=DATASET_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the publication as JSON."),
) -> None:
    """Solve the day and the next (demand first) and publish one day-ahead event per site."""
    from gridsurplus.model.solve import solver_output_to_stderr
    from gridsurplus.operations.programme import operator, publish_day

    the_day = _day(day)
    with _errors(), operator(db, "schedule") as (bl, engine), solver_output_to_stderr():
        result = publish_day(bl, engine, the_day, dataset, demand_forecast)
    if as_json:
        print_json(result)
        return
    typer.echo(f"day-ahead {result['day']}: {len(result['events'])} events published")
    for site, ev in result["events"].items():
        typer.echo(
            f"  {site}: {result['allowed_mwh'][site]:,.1f} MWh allowed "
            f"(event {ev['id']}, priority {ev['priority']})"
        )
    if result["unserved_mwh"] > 0:
        typer.echo(f"the grid cannot serve {result['unserved_mwh']:,.1f} MWh of demand that day")


@operate_app.command("curtail")
def curtail_cmd(
    limit_mw: float = typer.Option(..., "--limit-mw", help="Most the sites may draw [MW].", min=0),
    hours: int = typer.Option(..., "--hours", help="How long [h].", min=1, max=168),
    region: str | None = typer.Option(None, "--region", help="Curtail every site in a region."),
    site: str | None = typer.Option(None, "--site", help="Curtail one site."),
    start: str = typer.Option(
        "now", "--from", help="now, or a time (local to the programme unless it has an offset)."
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the events as JSON."),
) -> None:
    """Publish a real-time curtailment that overrides the schedule from its start."""
    import pandas as pd

    from gridsurplus.operations.enroll import find_program
    from gridsurplus.operations.programme import operator, programme_facts, publish_curtailment

    if (region is None) == (site is None):
        fail("give exactly one of --region and --site")
    with _errors(), operator(db, "curtail") as (bl, engine):
        program = find_program(bl)
        tz = programme_facts(program)[0] if program else "UTC"
        if start == "now":
            when = pd.Timestamp.now(tz="UTC")
        else:
            when = pd.Timestamp(start)
            when = when.tz_localize(tz) if when.tzinfo is None else when
        result = publish_curtailment(
            bl, engine, limit_mw, when.tz_convert("UTC"), hours, region=region, site=site
        )
    if as_json:
        print_json(result)
        return
    for s, ev in result.items():
        typer.echo(f"{s}: event {ev['id']}, limits {ev['limits_kw']} kW")


@operate_app.command("collect")
def collect_cmd(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Record every new event and report version in the audit log."""
    from gridsurplus.operations.programme import collect, operator

    with _errors(), operator(db, "collect") as (bl, engine):
        counts = collect(bl, engine)
    typer.echo(f"audit log: {counts['events']} new event and {counts['reports']} report versions")


@operate_app.command("settle")
def settle_cmd(
    month: str = typer.Option(..., "--month", help="YYYY-MM (the programme's local time)."),
    out: Path = typer.Option(..., "--out", help="Folder for bills-MONTH.csv and .json."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    grace_minutes: int = typer.Option(15, "--grace-minutes", help="Minutes before an event binds."),
    penalty_multiple: float = typer.Option(
        2.0, "--penalty-multiple", help="Penalty per kWh over the allowance, times the price."
    ),
) -> None:
    """Bill a month: usage times price, overshoot above the allowance, penalty, total."""
    from gridsurplus.operations.programme import operator, settle_month
    from gridsurplus.operations.settle import Rules

    with _errors(), operator(db, "settle") as (bl, engine):
        bills = settle_month(bl, engine, month, out, Rules(grace_minutes, penalty_multiple))
    typer.echo(bills.to_string(index=False))
    typer.echo(f"written: {out / f'bills-{month}.csv'} and .json", err=True)


@operate_app.command("simulate-sites")
def simulate_cmd(
    credentials: Path = typer.Option(..., "--credentials", help="File written by enroll."),
    url: str = typer.Option(..., "--url", help="The VTN, e.g. http://127.0.0.1:8080."),
    day: str = typer.Option(..., "--day", help="Local day to play, YYYY-MM-DD."),
    n: int | None = typer.Option(None, "--n", help="Only the first N sites.", min=1),
    seed: int = typer.Option(0, "--seed", help="Seed of the sites' behaviour."),
    tz: str = typer.Option("Asia/Karachi", "--tz", help="The programme's time zone."),
    as_json: bool = typer.Option(False, "--json", help="Print per-site results as JSON."),
) -> None:
    """Play a day for simulated sites: fetch events, draw power, post hourly USAGE reports."""
    from gridsurplus.operations.simulate import run_sites

    with _errors():
        result = run_sites(credentials, url, _day(day), n=n, tz=tz, seed=seed)
    if as_json:
        print_json(result)
        return
    for site, r in result.items():
        typer.echo(f"{site} ({r['kind']}): {r['usage_kwh']:,.0f} kWh in {r['reports']} reports")
