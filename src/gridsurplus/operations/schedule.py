"""The day-ahead schedule: how much each enrolled site may draw in each hour, and at what price.

The grid is dispatched for the day and the next (48 hours, so the first day's last hours see
what follows) with the enrolled fleet's MW fixed. Demand comes first: compute is a load the
model may serve only with power nobody else needs, because its value is below the value of
lost load, and the operating reserve stays a hard limit. Miners are curtailed before AI data
centres because the model values their energy less (:data:`MINING_BID_USD_PER_MWH` and
:data:`AI_BID_USD_PER_MWH`); a miner's bid below a plant's cost also keeps the miner off
expensive plants. A site's allowance in an hour is what the dispatch gives it [kW].

The price of an hour is the nodal marginal cost of the site's region (the dual of the
balance), floored at zero and capped at the costliest plant's running cost, so that in hours
when a site's own bid sets the price it pays for the costliest generation, not for its bid.
Money is converted to the dataset's currency per kWh at the dataset's exchange rate.

Demand is the dataset's profile for the same calendar day of the reference year (29 February
falls back to the 28th), or a forecast file (:func:`read_demand_forecast`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.errors import InputError

if TYPE_CHECKING:
    from gridsurplus.model.inputs import ModelInputs

MINING_BID_SHARE_OF_VOLL = 0.1
"""Value the schedule puts on a miner's MWh, as a share of the value of lost load."""
AI_BID_SHARE_OF_VOLL = 0.3
"""Value the schedule puts on an AI data centre's MWh: above mining's, below lost load."""
FLEET_COLUMNS = ["site", "region", "tech", "kind", "mw"]


class ScheduleError(InputError, ValueError):
    """A schedule cannot be made from the inputs given (the message says how to fix them)."""


def read_fleet(plan_dir: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The sites a plan builds (MW above zero) and its headline figures.

    Parameters
    ----------
    plan_dir : str or Path
        Folder written by ``gridsurplus plan`` (``plan.json`` and ``tables/sites.csv``).

    Returns
    -------
    (pandas.DataFrame, dict)
        The fleet (:data:`FLEET_COLUMNS`, ``mw`` [MW]) and ``plan.json``.
    """
    folder = Path(plan_dir)
    sites_csv = folder / "tables" / "sites.csv"
    plan_json = folder / "plan.json"
    for path in (plan_json, sites_csv):
        if not path.is_file():
            raise ScheduleError(f"{path} is missing: give the folder written by gridsurplus plan")
    headline = json.loads(plan_json.read_text(encoding="utf-8"))
    sites = pd.read_csv(sites_csv)
    missing = [c for c in FLEET_COLUMNS if c not in sites.columns]
    if missing:
        raise ScheduleError(f"{sites_csv} lacks the columns {missing}")
    bad = sites.index[~sites["kind"].isin(["mining", "ai"])]
    if len(bad):
        raise ScheduleError(
            f"{sites_csv} row {int(bad[0]) + 2}, column kind: '{sites.loc[bad[0], 'kind']}' is "
            "neither mining nor ai"
        )
    fleet = sites.loc[sites["mw"] > 1e-6, FLEET_COLUMNS].reset_index(drop=True)
    if fleet.empty:
        raise ScheduleError(f"{sites_csv}: the plan builds no site (every mw is 0)")
    return fleet, headline


def reference_hours(snapshots: pd.DatetimeIndex, day: dt.date, days: int = 2) -> pd.DatetimeIndex:
    """The reference-year hours of the same calendar days as ``day`` and the days after it.

    >>> idx = pd.date_range("2024-07-01", "2025-06-30 23:00", freq="h")
    >>> h = reference_hours(idx, dt.date(2027, 6, 30))
    >>> str(h[0]), str(h[24])
    ('2025-06-30 00:00:00', '2024-07-01 00:00:00')
    """
    out = []
    for k in range(days):
        d = day + dt.timedelta(days=k)
        month, dom = d.month, d.day
        if (month, dom) == (2, 29) and not ((snapshots.month == 2) & (snapshots.day == 29)).any():
            dom = 28
        match = snapshots[(snapshots.month == month) & (snapshots.day == dom)]
        if len(match) != 24:
            raise ScheduleError(
                f"the dataset's reference year has {len(match)} hours on {month:02d}-{dom:02d}, "
                "not 24: give a demand forecast file or a dataset with a full year"
            )
        out.append(match)
    return pd.DatetimeIndex(np.concatenate([m.values for m in out]), name="time")


def read_demand_forecast(
    path: str | Path, regions: list[str], day: dt.date, tz: str
) -> pd.DataFrame:
    """Read a demand forecast: a ``time`` column (local time) and one column per region [MW].

    Rows may cover the day or the day and the next; the hours not given keep the profile.

    Returns
    -------
    pandas.DataFrame
        ``[local hour x region]`` demand [MW], hours as offsets 0..47 from the day's start.
    """
    path = Path(path)
    try:
        table = pd.read_csv(path)
    except (OSError, pd.errors.ParserError) as exc:
        raise ScheduleError(f"{path}: cannot read it as CSV ({exc})") from exc
    if "time" not in table.columns:
        raise ScheduleError(f"{path}: no 'time' column (local time of each hour)")
    unknown = [c for c in table.columns if c != "time" and c not in regions]
    if unknown:
        raise ScheduleError(f"{path}: columns {unknown} are not regions; regions are {regions}")
    start = pd.Timestamp(day)
    rows = {}
    for i, row in table.iterrows():
        where = f"{path} row {int(i) + 2}"  # type: ignore[call-overload]
        try:
            t = pd.Timestamp(row["time"])
        except ValueError as exc:
            raise ScheduleError(f"{where}, column time: '{row['time']}' is not a time") from exc
        if t.tzinfo is not None:
            t = t.tz_convert(tz).tz_localize(None)
        offset = (t - start) / pd.Timedelta(hours=1)
        if offset != int(offset) or not 0 <= offset < 48:
            raise ScheduleError(
                f"{where}, column time: {row['time']} is not a whole hour of {day} or the next day"
            )
        values = {}
        for region in table.columns.drop("time"):
            v = pd.to_numeric(row[region], errors="coerce")
            if not np.isfinite(v) or v < 0:
                raise ScheduleError(f"{where}, column {region}: demand must be a number >= 0 MW")
            values[region] = float(v)
        rows[int(offset)] = values
    return pd.DataFrame.from_dict(rows, orient="index").sort_index()


def schedule_inputs(
    base: ModelInputs,
    fleet: pd.DataFrame,
    hours: pd.DatetimeIndex,
    demand: pd.DataFrame | None = None,
    mining_bid: float | None = None,
    ai_bid: float | None = None,
) -> ModelInputs:
    """The model of the scheduled hours with the enrolled fleet fixed.

    Parameters
    ----------
    base : ModelInputs
        The dataset's inputs (a full reference year, or any hours containing ``hours``).
    fleet : pandas.DataFrame
        :data:`FLEET_COLUMNS`; ``mw`` [MW].
    hours : pandas.DatetimeIndex
        Hours of ``base`` to model, in order.
    demand : pandas.DataFrame, optional
        Demand by hour offset into ``hours`` and region [MW], replacing the profile there.
    mining_bid, ai_bid : float, optional
        Value of a MWh to miners and to AI [USD/MWh]; both must lie below the value of lost
        load, mining's below AI's (default :data:`MINING_BID_SHARE_OF_VOLL` and
        :data:`AI_BID_SHARE_OF_VOLL` of it).

    Returns
    -------
    ModelInputs
        Ready for :func:`gridsurplus.model.solve.solve_inputs`.
    """
    from gridsurplus.model.inputs import ComputeInputs

    voll = base.voll_usd_per_mwh
    mining_bid = MINING_BID_SHARE_OF_VOLL * voll if mining_bid is None else mining_bid
    ai_bid = AI_BID_SHARE_OF_VOLL * voll if ai_bid is None else ai_bid
    if not 0 <= mining_bid < ai_bid < base.voll_usd_per_mwh:
        raise ScheduleError(
            f"bids must satisfy 0 <= mining ({mining_bid}) < AI ({ai_bid}) < value of lost load "
            f"({base.voll_usd_per_mwh}) USD/MWh, so that demand comes first and miners go first"
        )
    unknown = sorted(set(fleet["region"]) - set(base.regions))
    if unknown:
        raise ScheduleError(f"enrolled sites lie in regions {unknown} the dataset does not have")
    missing = hours.difference(base.snapshots)
    if len(missing):
        raise ScheduleError(f"the dataset has no hour {missing[0]}")
    inp = base.select(hours)
    # select keeps the dataset's order; the last day of the reference year wraps to its first
    t = {"time": hours}
    pos = inp.snapshots.get_indexer(hours)
    inp = replace(
        inp,
        snapshots=pd.DatetimeIndex(hours, name="time"),
        month=inp.month[pos],
        demand=inp.demand.sel(t),
        p_max=inp.p_max.sel(t),
        p_min=inp.p_min.sel(t),
        reserve=inp.reserve.sel(t),
    )
    if demand is not None:
        d = inp.demand.to_pandas()
        for offset, row in demand.iterrows():
            for region, value in row.dropna().items():
                d.iloc[int(offset), d.columns.get_loc(region)] = value  # type: ignore[call-overload]
        inp = replace(inp, demand=xr.DataArray(d, dims=("time", "region")))
    sites = fleet.set_index("site")
    table = pd.DataFrame(
        {
            "tech": sites["tech"],
            "region": sites["region"],
            "kind": sites["kind"],
            "annuity_usd_per_mw_year": 0.0,
            "uptime": 0.0,
            "max_mw": sites["mw"].astype(float),
        }
    )
    bid = np.where(table["kind"] == "mining", mining_bid, ai_bid)
    coords = {"time": inp.snapshots, "site": list(table.index)}
    value = xr.DataArray(
        np.broadcast_to(bid, (len(inp.snapshots), len(table))).copy(),
        coords=coords,
        dims=("time", "site"),
    )
    compute = ComputeInputs(
        sites=table,
        value=value,
        availability=xr.ones_like(value),
        kind_caps=pd.DataFrame(columns=["mining", "ai"], dtype=float),
        programme_mw=float(table["max_mw"].sum()),
        fixed_mw=table["max_mw"],
    )
    return inp.with_compute(compute)


@dataclass(frozen=True)
class DaySchedule:
    """The schedule of one day: hourly allowance and price per site.

    Attributes
    ----------
    day : datetime.date
        The local calendar day.
    hours_utc : pandas.DatetimeIndex
        Start of each of its 24 hours (UTC).
    allowance_kw : pandas.DataFrame
        ``[hour x site]`` allowance [kW].
    price : pandas.DataFrame
        ``[hour x site]`` price [currency per kWh].
    unserved_mw : pandas.DataFrame
        ``[hour x region]`` demand the grid cannot serve [MW], over all hours solved (offsets
        from the day's first hour).
    consume_mw : pandas.DataFrame
        ``[hour x site]`` what the dispatch gives each site [MW], over all hours solved.
    currency : str
        Currency of ``price``.
    """

    day: dt.date
    hours_utc: pd.DatetimeIndex
    allowance_kw: pd.DataFrame
    price: pd.DataFrame
    unserved_mw: pd.DataFrame
    consume_mw: pd.DataFrame
    currency: str


def solve_schedule(
    inp: ModelInputs,
    fleet: pd.DataFrame,
    day: dt.date,
    tz: str,
    exchange_rate: float,
    currency: str,
) -> DaySchedule:
    """Solve the scheduled hours and read the first day's allowances and prices.

    Parameters
    ----------
    inp : ModelInputs
        Output of :func:`schedule_inputs` (48 hours, or 24).
    fleet : pandas.DataFrame
        The enrolled sites.
    day : datetime.date
        The local day the first 24 hours are.
    tz : str
        The dataset's time zone.
    exchange_rate : float
        Currency units per USD.
    currency : str
        The dataset's currency.

    Returns
    -------
    DaySchedule
        The day's 24 hours.
    """
    from gridsurplus.model.solve import solve_inputs

    sol = solve_inputs(inp)
    assert sol.consume is not None
    n = len(inp.snapshots)
    offsets = pd.RangeIndex(n, name="hour")
    consume = pd.DataFrame(sol.consume.to_numpy(), index=offsets, columns=sol.consume.columns)
    unserved = pd.DataFrame(sol.unserved.to_numpy(), index=offsets, columns=sol.unserved.columns)
    cap = float(inp.gens["cost_usd_per_mwh"].max())
    nodal = sol.price.clip(lower=0.0, upper=cap).to_numpy()
    regions = list(sol.price.columns)
    per_kwh = nodal * exchange_rate / 1000.0
    sites = list(fleet["site"])
    region_of = dict(zip(fleet["site"], fleet["region"], strict=True))
    local = pd.date_range(pd.Timestamp(day), periods=24, freq="h").tz_localize(tz)
    hours_utc = local.tz_convert("UTC")
    price = pd.DataFrame(
        {s: per_kwh[:24, regions.index(region_of[s])] for s in sites}, index=hours_utc
    ).round(4)
    allowance = pd.DataFrame(
        (consume.iloc[:24][sites].to_numpy() * 1000.0).round(0), index=hours_utc, columns=sites
    )
    return DaySchedule(day, hours_utc, allowance, price, unserved, consume, currency)


__all__ = [
    "AI_BID_SHARE_OF_VOLL",
    "FLEET_COLUMNS",
    "MINING_BID_SHARE_OF_VOLL",
    "DaySchedule",
    "ScheduleError",
    "read_demand_forecast",
    "read_fleet",
    "reference_hours",
    "schedule_inputs",
    "solve_schedule",
]
