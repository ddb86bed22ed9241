"""``gridsurplus headroom``: curtailment-enabled headroom of any hourly load series."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gridsurplus.cli.app import app
from gridsurplus.cli.common import fail, print_json

if TYPE_CHECKING:  # pragma: no cover
    from gridsurplus.dataset.load_series import LoadSeries
    from gridsurplus.surplus.headroom import HeadroomResult

BAD_INPUT = 2  # exit status for input the user can fix; nothing is written


HELP = (
    "Constant new load [MW] a grid can take if it accepts rare curtailment: the method of "
    'Norris et al. 2025 ("Rethinking Load Growth", Duke University). Thresholds are the '
    "series' highest summer (Jun-Aug) load, applied Apr-Oct, and highest winter (Dec-Feb) load, "
    "applied Nov-Mar; L is solved so that the new load's mean yearly curtailment equals each limit."
)
LoadCsv = Annotated[
    Path,
    typer.Option(
        "--load-csv",
        help="CSV of hourly (or 5/15/30-minute) load: a 'timestamp' column (ISO 8601, with or "
        "without a UTC offset) and a 'load_mw' column [MW]; or an EIA-930 balance file of one "
        "balancing authority ('UTC Time at End of Hour', 'Demand (MW)'). Several years are fine. "
        "Blank rows at the ends are trimmed, runs of up to 6 missing hours interpolated, "
        "sub-hourly data averaged to hours, '12,345' read as 12345; all of it is reported.",
    ),
]
Rates = Annotated[
    str,
    typer.Option(
        "--rates",
        help="Curtailment limits to solve for, comma-separated: mean share of the new load's "
        "annual energy that may be curtailed [%], each between 0 and 100.",
    ),
]
Tz = Annotated[
    str | None,
    typer.Option(
        "--tz",
        help="Time zone (IANA name, e.g. Asia/Karachi) in which months and years are read: "
        "timestamps with an offset are converted to it, naive ones are taken to be in it. "
        "Default: the file's own offset, or naive times as given.",
    ),
]
Gaps = Annotated[
    str,
    typer.Option(
        "--gaps",
        help="Runs of more than 6 missing hours: 'skip' leaves them out of every figure (the "
        "default: a straight line across a day or more would invent a flat load with no daily "
        "peaks), 'interpolate' fills them linearly, 'error' refuses the file.",
    ),
]
Unit = Annotated[
    str,
    typer.Option("--unit", help="Unit of the load values: MW, GW or kW (converted to MW)."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")]


@app.command("headroom", help=HELP)
def headroom(
    load_csv: LoadCsv,
    rates: Rates = "0.25,0.5,1,5",
    tz: Tz = None,
    gaps: Gaps = "skip",
    unit: Unit = "MW",
    as_json: AsJson = False,
) -> None:
    """Print the curtailment-enabled headroom of an hourly load CSV."""
    from gridsurplus.dataset.load_series import read_load_csv
    from gridsurplus.errors import GridsurplusError
    from gridsurplus.surplus.headroom import curtailment_headroom

    rates_pct = _parse_rates(rates)
    try:
        series = read_load_csv(load_csv, tz=tz, gaps=gaps, unit=unit)
        result = curtailment_headroom(series.load_mw, rates_pct, gaps=series.gap_policy)
    except GridsurplusError as exc:
        fail(str(exc), BAD_INPUT)
    result = dataclasses.replace(
        result,
        filled_hours=series.gaps.filled_hours,
        gaps=series.gaps.gaps,
        skipped_hours=series.gaps.skipped_hours,
    )
    if as_json:
        out = result.to_dict()
        out["file"] = str(load_csv)
        out["gap_policy"] = series.gap_policy
        out["notices"] = [{"code": n.code, "message": n.message} for n in series.notices]
        print_json(out)
    else:
        typer.echo(_text(result, series))


def _parse_rates(text: str) -> tuple[float, ...]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    values = []
    for part in parts:
        try:
            value = float(part.rstrip("%"))
        except ValueError:
            value = math.nan
        if not 0.0 < value < 100.0:
            fail(
                f"--rates: expected comma-separated percentages between 0 and 100, got '{part}'",
                BAD_INPUT,
            )
        values.append(value)
    if not values:
        fail("--rates: give at least one curtailment limit [%], e.g. 0.25,0.5,1,5", BAD_INPUT)
    return tuple(dict.fromkeys(values))


def _text(result: HeadroomResult, series: LoadSeries) -> str:
    def when(ts: object) -> str:
        return f"{ts:%Y-%m-%d %H:%M}"

    tz = "" if result.start.tz is None else f", {result.start.tz}"
    filled_gaps = [g for g in result.gaps if g.action == "interpolated"]
    if result.filled_hours:
        n_gaps = len(filled_gaps)
        filled = (
            f"{result.filled_hours} missing hours filled by interpolation "
            f"({n_gaps} gap{'s' if n_gaps != 1 else ''})"
        )
    else:
        filled = "no missing hours filled"
    if result.skipped_hours:
        filled += f", {result.skipped_hours:,} skipped"
    filled += f" (--gaps {series.gap_policy})"
    th = result.thresholds
    if th["kind"] == "seasonal":
        parts = []
        for season, months in (("summer", "Apr-Oct"), ("winter", "Nov-Mar")):
            if th[f"{season}_mw"] is not None:
                parts.append(
                    f"{season} {th[f'{season}_mw']:,.0f} MW ({months}; peak at "
                    f"{when(th[f'{season}_peak_at'])})"
                )
        thresholds = ", ".join(parts)
    else:
        thresholds = f"given, {th['min_mw']:,.0f} to {th['max_mw']:,.0f} MW"
    years = ", ".join(
        f"{year} ({int(row['hours']):,} h, weight {row['weight']:.3f})"
        for year, row in result.years.iterrows()
    )
    lines = [
        f"Curtailment-enabled headroom (Norris et al. 2025) of {series.source}",
        f"  hours       {result.hours:,} from {when(result.start)} to {when(result.end)}{tz}; "
        f"{filled}",
        f"  load        peak {result.peak_load_mw:,.0f} MW, mean {result.mean_load_mw:,.0f} MW",
        f"  thresholds  {thresholds}",
        f"  years       {years}",
        *(f"  note        {n.message}" for n in series.notices),
        "",
        "  limit   headroom   of peak   curtailed   half served   mean event   curtailed energy",
        "    [%]       [MW]       [%]      [h/yr]        [h/yr]          [h]           [MWh/yr]",
    ]
    notes = []
    for r in result.rates:
        event = "-" if math.isnan(r.mean_event_hours) else f"{r.mean_event_hours:.1f}"
        lines.append(
            f"  {r.rate_pct:>5g}  {r.headroom_mw:>9,.1f}  {r.headroom_pct_of_peak:>8.1f}  "
            f"{r.curtailed_hours_per_year:>10,.1f}  {r.hours_half_served_per_year:>12,.1f}  "
            f"{event:>11}  {r.curtailed_mwh_per_year:>17,.0f}"
        )
        if r.note:
            notes.append(f"  {r.rate_pct:g} %: {r.note}")
    lines += [
        "",
        "  Per year = per 8760 h of series; half served = curtailed hours in which at least "
        "half of the new load still runs.",
        *notes,
    ]
    return "\n".join(lines)
