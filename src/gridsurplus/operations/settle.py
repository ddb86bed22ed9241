"""Settlement: from usage reports and the events that bound each site, one bill per site.

The bill of a site for a month, hour by hour (``h``), in the programme's currency:

- ``energy_charge = sum_h usage[h] * price[h]``: usage [kWh] at the hour's price [per kWh],
  the time-weighted price of the events binding in the hour;
- ``overshoot[h] = max(0, usage[h] - allowance[h])``: usage above the hour's allowance, the
  integral of the binding ``IMPORT_CAPACITY_LIMIT`` [kW] over the hour, where an event binds
  only :data:`~gridsurplus.operations.timeline.GRACE_MINUTES` after it was published (the
  grace period; see :mod:`gridsurplus.operations.timeline`);
- ``penalty = sum_h overshoot[h] * penalty_multiple * price[h]``;
- ``total = energy_charge + penalty``.

Usage in an hour that no event priced is charged, and penalised, at the site's highest price
of the month. Money is rounded to 0.01 per site, not per hour.

Usage reports are deduplicated here, over the audit log of every report version received
(:mod:`gridsurplus.operations.audit`): a reading is keyed by (site, interval start, interval
end); the same reading received twice counts once, and a later reading of the same interval,
in a new report or an updated one, replaces the earlier (which stays in the audit log).
Sites are known by the ``clientID`` the server stamps on their reports, never by the
``clientName`` they write themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.operations.timeline import (
    GRACE_MINUTES,
    event_intervals,
    hourly_allowance,
    minute_grid,
    parse_duration,
    parse_time,
)

USAGE = "USAGE"
BILL_COLUMNS = [
    "site",
    "energy_kwh",
    "allowance_kwh",
    "energy_charge_pkr",
    "overshoot_kwh",
    "penalty_pkr",
    "total_pkr",
    "hours_reported",
    "hours_over",
]


@dataclass(frozen=True)
class Rules:
    """The settlement rules of the programme.

    Attributes
    ----------
    grace_minutes : int
        Minutes after its publication before an event binds [min].
    penalty_multiple : float
        Penalty per kWh of overshoot, as a multiple of the hour's price [-].
    """

    grace_minutes: int = GRACE_MINUTES
    penalty_multiple: float = 2.0


DEFAULT_RULES = Rules()
"""Fifteen minutes of grace, penalty twice the price."""


def usage_readings(
    reports: Iterable[Mapping[str, Any]],
    client_site: Mapping[str, str],
    events: Mapping[str, Mapping[str, Any]],
) -> pd.DataFrame:
    """The usage readings that count, one per (site, interval), latest received wins.

    Parameters
    ----------
    reports : iterable of dict
        Every version of every report, in the order received (the audit log's order).
    client_site : dict
        Site of each VEN ``clientID``; reports of other clients are ignored.
    events : dict
        Events by id, to place intervals that a report names only by the event's interval id.

    Returns
    -------
    pandas.DataFrame
        ``site``, ``start``, ``end`` (UTC), ``usage_kwh``, ``report`` (id of the report that
        gave the reading), ``corrected`` (how many earlier differing readings it replaced).
    """
    latest: dict[tuple[str, pd.Timestamp, pd.Timestamp], dict[str, Any]] = {}
    for report in reports:
        site = client_site.get(str(report.get("clientID", "")))
        if site is None:
            continue
        event = events.get(str(report.get("eventID")))
        by_id = {iv.id: iv for iv in event_intervals(event)} if event else {}
        for res in report.get("resources") or []:
            period = res.get("intervalPeriod") or {}
            for n, interval in enumerate(res.get("intervals") or []):
                value = _usage(interval)
                if value is None:
                    continue
                start, end = _place(interval, n, period, by_id, report)
                key = (site, start, end)
                old = latest.get(key)
                corrected = 0 if old is None else old["corrected"]
                if old is not None and old["usage_kwh"] != value:
                    corrected += 1
                latest[key] = {
                    "site": site,
                    "start": start,
                    "end": end,
                    "usage_kwh": value,
                    "report": str(report.get("id", "")),
                    "corrected": corrected,
                }
    columns = ["site", "start", "end", "usage_kwh", "report", "corrected"]
    return pd.DataFrame(list(latest.values()), columns=columns)


def _usage(interval: Mapping[str, Any]) -> float | None:
    for payload in interval.get("payloads") or []:
        if payload.get("type") == USAGE and payload.get("values"):
            return float(payload["values"][0])
    return None


def _place(
    interval: Mapping[str, Any],
    n: int,
    period: Mapping[str, Any],
    by_id: Mapping[int, Any],
    report: Mapping[str, Any],
) -> tuple[pd.Timestamp, pd.Timestamp]:
    own = interval.get("intervalPeriod") or {}
    if own.get("start") or period.get("start"):
        duration = parse_duration(own.get("duration") or period.get("duration") or "PT1H")
        start = (
            parse_time(own["start"])
            if own.get("start")
            else parse_time(period["start"]) + n * duration
        )
        return start, start + duration
    iv = by_id.get(int(interval["id"]))
    if iv is None:
        raise ValueError(
            f"report {report.get('id')} interval {interval.get('id')} has no interval period and "
            f"event {report.get('eventID')} has no interval with that id"
        )
    return iv.start, iv.end


def month_bounds(month: str, tz: str = "UTC") -> tuple[pd.Timestamp, pd.Timestamp]:
    """First instant of ``YYYY-MM`` and of the next month, in ``tz``, as UTC.

    >>> month_bounds("2026-02", "Asia/Karachi")[0]
    Timestamp('2026-01-31 19:00:00+0000', tz='UTC')
    """
    try:
        first = pd.Timestamp(f"{month}-01").tz_localize(tz)
    except ValueError as exc:
        raise ValueError(f"month '{month}' is not YYYY-MM") from exc
    return first.tz_convert("UTC"), (first + pd.offsets.MonthBegin(1)).tz_convert("UTC")


def site_hours(
    readings: pd.DataFrame,
    events: Iterable[Mapping[str, Any]],
    start: pd.Timestamp,
    end: pd.Timestamp,
    rules: Rules = DEFAULT_RULES,
) -> pd.DataFrame:
    """Hour by hour for one site: usage, allowance, price, overshoot, charge and penalty.

    Parameters
    ----------
    readings : pandas.DataFrame
        This site's rows of :func:`usage_readings`.
    events : iterable of dict
        Every event aimed at this site.
    start, end : pandas.Timestamp
        The period billed (UTC, whole hours).
    rules : Rules
        Grace period and penalty.

    Returns
    -------
    pandas.DataFrame
        Indexed by hour: ``usage_kwh``, ``allowance_kwh``, ``price``, ``overshoot_kwh``,
        ``energy_charge``, ``penalty``.
    """
    minutes = int((end - start) / pd.Timedelta(minutes=1))
    hours = hourly_allowance(minute_grid(events, start, minutes, rules.grace_minutes))
    inside = readings[(readings["start"] >= start) & (readings["start"] < end)]
    usage = inside.groupby(inside["start"].dt.floor("h"))["usage_kwh"].sum()
    hours["usage_kwh"] = usage.reindex(hours.index).fillna(0.0)
    fallback = float(hours["price"].max()) if hours["price"].notna().any() else 0.0
    hours["price"] = hours["price"].fillna(fallback)
    hours["overshoot_kwh"] = np.maximum(hours["usage_kwh"] - hours["allowance_kwh"], 0.0)
    hours["energy_charge"] = hours["usage_kwh"] * hours["price"]
    hours["penalty"] = hours["overshoot_kwh"] * rules.penalty_multiple * hours["price"]
    hours["reported"] = usage.reindex(hours.index).notna()
    return hours


def settle(
    readings: pd.DataFrame,
    events_by_site: Mapping[str, Sequence[Mapping[str, Any]]],
    month: str,
    tz: str = "UTC",
    rules: Rules = DEFAULT_RULES,
) -> pd.DataFrame:
    """One bill row per site for a month.

    Parameters
    ----------
    readings : pandas.DataFrame
        Output of :func:`usage_readings`.
    events_by_site : dict
        Every event aimed at each enrolled site (sites without events are billed too).
    month : str
        ``YYYY-MM`` in the time zone ``tz``.
    tz : str
        The programme's time zone (the dataset's), in which months begin.
    rules : Rules
        Grace period and penalty.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`BILL_COLUMNS`; money in the programme's currency.
    """
    start, end = month_bounds(month, tz)
    rows = []
    for site in sorted(set(events_by_site) | set(readings["site"])):
        h = site_hours(
            readings[readings["site"] == site], events_by_site.get(site, []), start, end, rules
        )
        charge = round(float(h["energy_charge"].sum()), 2)
        penalty = round(float(h["penalty"].sum()), 2)
        rows.append(
            {
                "site": site,
                "energy_kwh": float(h["usage_kwh"].sum()),
                "allowance_kwh": float(h["allowance_kwh"].sum()),
                "energy_charge_pkr": charge,
                "overshoot_kwh": float(h["overshoot_kwh"].sum()),
                "penalty_pkr": penalty,
                "total_pkr": round(charge + penalty, 2),
                "hours_reported": int(h["reported"].sum()),
                "hours_over": int((h["overshoot_kwh"] > 1e-9).sum()),
            }
        )
    return pd.DataFrame(rows, columns=BILL_COLUMNS)


__all__ = [
    "BILL_COLUMNS",
    "DEFAULT_RULES",
    "USAGE",
    "Rules",
    "month_bounds",
    "settle",
    "site_hours",
    "usage_readings",
]
