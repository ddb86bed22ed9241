"""The figures on the console's pages, computed from the programme and its readings.

- A site's allowance at a minute is the ``IMPORT_CAPACITY_LIMIT`` of the event binding it then,
  by the programme's precedence rule and grace period (:mod:`gridsurplus.operations.timeline`).
- The grid's surplus for the programme in an hour is the sum of the sites' allowances [MW]: the
  power the day-ahead schedule (demand first) and any curtailment leave to the fleet. An hour is
  *short* when that is below the enrolled fleet's MW, and *dry* when it is zero.
- Compliance and the bill come from :func:`gridsurplus.operations.settle.site_hours` and
  :func:`gridsurplus.operations.settle.settle`, exactly as the month's settlement computes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.operations.settle import month_bounds, settle, site_hours
from gridsurplus.operations.timeline import (
    CURTAILMENT_PRIORITY,
    event_intervals,
    hourly_allowance,
    minute_grid,
    parse_time,
)
from gridsurplus.server.console.data import Programme


@dataclass(frozen=True)
class DaySurplus:
    """The fleet's hourly allowance over one local day.

    Attributes
    ----------
    day : datetime.date
        The local day.
    mw : numpy.ndarray
        24 hourly allowances of the whole fleet [MW] (hour-average).
    fleet_mw : float
        The enrolled fleet [MW].
    published : bool
        Whether any event covers the day.
    """

    day: dt.date
    mw: np.ndarray
    fleet_mw: float
    published: bool

    @property
    def mwh(self) -> float:
        """Energy the fleet may draw over the day [MWh]."""
        return float(self.mw.sum())

    @property
    def short_hours(self) -> list[int]:
        """Local hours in which the fleet may not draw its full MW."""
        return [h for h in range(24) if self.mw[h] < self.fleet_mw - 1e-6]

    @property
    def dry_hours(self) -> list[int]:
        """Local hours with no surplus at all for the fleet."""
        return [h for h in range(24) if self.mw[h] < 1e-6]


def hours_text(hours: list[int]) -> str:
    """Hours as compact ranges: ``[0, 1, 2, 5]`` -> ``'00-03, 05-06'``.

    >>> hours_text([0, 1, 2, 5, 23])
    '00-03, 05-06, 23-24'
    >>> hours_text([])
    'none'
    """
    if not hours:
        return "none"
    runs: list[list[int]] = []
    for h in sorted(hours):
        if runs and h == runs[-1][1]:
            runs[-1][1] = h + 1
        else:
            runs.append([h, h + 1])
    return ", ".join(f"{a:02d}-{b:02d}" for a, b in runs)


@dataclass(frozen=True)
class FleetGrid:
    """Every site's binding limit minute by minute over a window, computed once per page.

    Attributes
    ----------
    start : pandas.Timestamp
        First minute (UTC).
    limit_kw : dict
        Per site, the binding limit of each minute [kW].
    covered : dict
        Per site, whether some event binds each minute.
    """

    start: pd.Timestamp
    limit_kw: dict[str, np.ndarray]
    covered: dict[str, np.ndarray]

    def window(self, site: str, start: pd.Timestamp, minutes: int) -> np.ndarray | None:
        """The site's limits [kW] of ``minutes`` minutes from ``start``, None if outside."""
        offset = int((start - self.start) / pd.Timedelta(minutes=1))
        if site not in self.limit_kw or offset < 0 or offset + minutes > len(self.limit_kw[site]):
            return None
        return self.limit_kw[site][offset : offset + minutes]


def fleet_grid(programme: Programme, start: pd.Timestamp, minutes: int) -> FleetGrid:
    """:func:`~gridsurplus.operations.timeline.minute_grid` of every site, once."""
    limits, covered = {}, {}
    for site in programme.sites:
        grid = minute_grid(programme.events.get(site, []), start, minutes)
        limits[site] = grid["limit_kw"].to_numpy()
        covered[site] = (grid["event"] != "").to_numpy()
    return FleetGrid(start, limits, covered)


def _limits(
    programme: Programme, grid: FleetGrid | None, site: str, start: pd.Timestamp, minutes: int
) -> np.ndarray:
    found = grid.window(site, start, minutes) if grid is not None else None
    if found is not None:
        return found
    return minute_grid(programme.events.get(site, []), start, minutes)["limit_kw"].to_numpy()


def day_surplus(programme: Programme, day: dt.date, grid: FleetGrid | None = None) -> DaySurplus:
    """The fleet's allowance hour by hour over a local day (from ``grid`` when it covers it)."""
    start = programme.day_start(day)
    minutes = int((programme.day_start(day + dt.timedelta(days=1)) - start).total_seconds() // 60)
    total = np.zeros(24)
    published = False
    for site in programme.sites:
        if grid is not None and grid.window(site, start, minutes) is not None:
            offset = int((start - grid.start) / pd.Timedelta(minutes=1))
            published = published or bool(grid.covered[site][offset : offset + minutes].any())
        else:
            g = minute_grid(programme.events.get(site, []), start, minutes)
            published = published or bool((g["event"] != "").any())
        limits = _limits(programme, grid, site, start, minutes)
        hours = minutes // 60
        hourly = limits[: hours * 60].reshape(hours, 60).mean(axis=1)[:24]
        total[: len(hourly)] += hourly / 1000.0
    return DaySurplus(day, total.round(6), float(programme.fleet["mw"].sum()), published)


def site_now(
    programme: Programme,
    readings: pd.DataFrame,
    now: pd.Timestamp,
    grid: FleetGrid | None = None,
) -> list[dict[str, Any]]:
    """Each site's allowance now [kW] and its last reported use (average [kW] over the interval).

    Returns
    -------
    list of dict
        ``site``, ``region``, ``kind``, ``mw``, ``allowance_kw``, ``last_kw`` (None if the site
        never reported), ``last_at`` (local start of that interval, text), ``over`` (whether the
        last reported use was above the allowance binding then).
    """
    minute = now.floor("min")
    newest = readings.sort_values("end").groupby("site").tail(1).set_index("site")
    out = []
    for row in programme.fleet.sort_values("site").to_dict("records"):
        site = row["site"]
        allowance = float(_limits(programme, grid, site, minute, 1)[0])
        last_kw = last_at = None
        over = False
        if site in newest.index:
            last = newest.loc[site]
            hours = (last["end"] - last["start"]) / pd.Timedelta(hours=1)
            last_kw = float(last["usage_kwh"]) / max(hours, 1e-9)
            last_at = last["start"].tz_convert(programme.tz).strftime("%d %b %H:%M")
            then = _limits(programme, grid, site, last["start"], max(1, int(round(hours * 60))))
            over = bool(last["usage_kwh"] > then.sum() / 60.0 + 1e-6)
        out.append(
            {
                "site": site,
                "region": row["region"],
                "kind": row["kind"],
                "mw": row["mw"],
                "allowance_kw": allowance,
                "last_kw": last_kw,
                "last_at": last_at,
                "over": over,
            }
        )
    return out


def site_day(programme: Programme, readings: pd.DataFrame, site: str, day: dt.date) -> pd.DataFrame:
    """One site's local day, hour by hour.

    Returns
    -------
    pandas.DataFrame
        24 rows (``hour`` 0-23 local): ``day_ahead_kwh`` (allowance of the day-ahead events
        alone), ``allowance_kwh`` (binding, curtailments included), ``usage_kwh``,
        ``reported``, ``overshoot_kwh``, ``price``, ``energy_charge``, ``penalty``.
    """
    start = programme.day_start(day)
    end = programme.day_start(day + dt.timedelta(days=1))
    events = programme.events.get(site, [])
    hours = site_hours(readings[readings["site"] == site], events, start, end)
    day_ahead = [e for e in events if not is_curtailment(e)]
    da = hourly_allowance(minute_grid(day_ahead, start, int((end - start).total_seconds() // 60)))
    hours["day_ahead_kwh"] = da["allowance_kwh"].reindex(hours.index).fillna(0.0)
    for column in ("allowance_kwh", "day_ahead_kwh", "overshoot_kwh"):
        hours[column] = hours[column].round(6)  # sums of minutes: no 29999.999...
    hours = hours.iloc[:24].reset_index(drop=True)
    hours.index.name = "hour"
    return hours


def is_curtailment(event: dict[str, Any]) -> bool:
    """Whether an event is a real-time curtailment (priority above every day-ahead event)."""
    return event.get("priority") == CURTAILMENT_PRIORITY


def event_rows(programme: Programme, site: str, since: pd.Timestamp) -> list[dict[str, Any]]:
    """The site's events that end after ``since``, newest first, for the events table."""
    rows = []
    for e in programme.events.get(site, []):
        ivs = event_intervals(e)
        if not ivs or ivs[-1].end <= since:
            continue
        limits = [iv.values.get("IMPORT_CAPACITY_LIMIT", np.nan) for iv in ivs]
        rows.append(
            {
                "name": e.get("eventName", e["id"]),
                "kind": "curtailment" if is_curtailment(e) else "day-ahead",
                "priority": e.get("priority"),
                "start": ivs[0].start.tz_convert(programme.tz).strftime("%d %b %H:%M"),
                "end": ivs[-1].end.tz_convert(programme.tz).strftime("%d %b %H:%M"),
                "created": parse_time(e["createdDateTime"])
                .tz_convert(programme.tz)
                .strftime("%d %b %H:%M"),
                "min_kw": float(np.nanmin(limits)) if limits else 0.0,
                "max_kw": float(np.nanmax(limits)) if limits else 0.0,
                "_created": e["createdDateTime"],
            }
        )
    rows.sort(key=lambda r: r["_created"], reverse=True)
    return rows


def month_bill(
    programme: Programme, readings: pd.DataFrame, site: str, day: dt.date
) -> dict[str, Any]:
    """The bill of the site's month (the month of ``day``) so far, as settlement computes it."""
    month = f"{day.year:04d}-{day.month:02d}"
    mine = readings[readings["site"] == site]
    bills = settle(mine, {site: programme.events.get(site, [])}, month, tz=programme.tz)
    row = bills.iloc[0].to_dict() if not bills.empty else {}
    row["month"] = month
    row["start"], row["end"] = month_bounds(month, programme.tz)
    return row


__all__ = [
    "DaySurplus",
    "FleetGrid",
    "day_surplus",
    "event_rows",
    "fleet_grid",
    "hours_text",
    "is_curtailment",
    "month_bill",
    "site_day",
    "site_now",
]
