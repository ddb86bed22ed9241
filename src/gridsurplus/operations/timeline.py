"""Which instruction binds a site at each minute: the precedence of OpenADR events.

The programme's precedence rule, applied the same way by the simulated sites and by settlement:

1. A published event is never edited. A change is a new event with a higher priority (a lower
   ``priority`` number); day-ahead events start at :data:`DAY_AHEAD_PRIORITY` and each
   re-publication of the same day takes the next lower number; real-time curtailments use
   :data:`CURTAILMENT_PRIORITY`, above every day-ahead event.
2. At any minute, the binding event is the one with the lowest ``priority`` number among those
   with an interval covering the minute; equal priorities go to the most recently created.
3. An event binds only ``grace`` minutes after it was created (the site's time to follow it):
   until then the event it replaces still binds. A day-ahead event published the day before
   binds from its first interval.
4. Where no event covers a minute, the allowance is zero.

Times are UTC :class:`pandas.Timestamp`; limits in kW; prices per kWh in the programme's
currency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

DAY_AHEAD_PRIORITY = 100
"""Priority number of the first day-ahead event of a day (re-publications count down)."""
CURTAILMENT_PRIORITY = 0
"""Priority number of real-time curtailments: above every day-ahead event."""
GRACE_MINUTES = 15
"""Minutes a site has to follow a new instruction before it binds."""
LIMIT = "IMPORT_CAPACITY_LIMIT"
PRICE = "PRICE"

_DURATION = re.compile(
    r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def parse_time(text: str) -> pd.Timestamp:
    """Read an RFC 3339 time as a UTC timestamp.

    >>> parse_time("2026-01-02T03:00:00+05:00")
    Timestamp('2026-01-01 22:00:00+0000', tz='UTC')
    """
    ts = pd.Timestamp(text)
    if ts.tzinfo is None:
        raise ValueError(f"time '{text}' has no time zone: write it with Z or an offset")
    return ts.tz_convert("UTC")


def format_time(ts: pd.Timestamp) -> str:
    """Write a UTC timestamp in RFC 3339 with Z.

    >>> format_time(pd.Timestamp("2026-01-01 22:00", tz="UTC"))
    '2026-01-01T22:00:00Z'
    """
    return ts.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_duration(text: str) -> pd.Timedelta:
    """Read an ISO 8601 duration of days, hours, minutes and seconds.

    >>> parse_duration("PT1H")
    Timedelta('0 days 01:00:00')
    >>> parse_duration("P1M")
    Traceback (most recent call last):
    ...
    ValueError: duration 'P1M' is not days, hours, minutes and seconds (e.g. PT1H)
    """
    match = _DURATION.match(text or "")
    if not match or text in ("P", "PT"):
        raise ValueError(f"duration '{text}' is not days, hours, minutes and seconds (e.g. PT1H)")
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    return pd.Timedelta(days=parts["d"], hours=parts["h"], minutes=parts["m"], seconds=parts["s"])


@dataclass(frozen=True)
class Interval:
    """One interval of an event: when, and its payload values."""

    id: int
    start: pd.Timestamp
    end: pd.Timestamp
    values: Mapping[str, float]


def event_intervals(event: Mapping[str, Any]) -> list[Interval]:
    """The intervals of an OpenADR event with their absolute times.

    An interval's own ``intervalPeriod`` wins; otherwise the n-th interval starts ``n``
    durations after the event's ``intervalPeriod.start``.
    """
    period = event.get("intervalPeriod") or {}
    out = []
    for n, interval in enumerate(event.get("intervals") or []):
        own = interval.get("intervalPeriod") or {}
        duration = parse_duration(own.get("duration") or period.get("duration") or "PT1H")
        if own.get("start"):
            start = parse_time(own["start"])
        elif period.get("start"):
            start = parse_time(period["start"]) + n * duration
        else:
            raise ValueError(f"event {event.get('id')} interval {interval.get('id')} has no start")
        values = {
            p["type"]: float(p["values"][0])
            for p in interval.get("payloads") or []
            if p.get("values") and isinstance(p["values"][0], (int, float))
        }
        out.append(Interval(int(interval["id"]), start, start + duration, values))
    return out


def _order(event: Mapping[str, Any]) -> tuple[int, float]:
    """Sort key: lowest precedence first (high priority number, then oldest)."""
    priority = event.get("priority")
    created = parse_time(event["createdDateTime"]).value
    return (-(priority if priority is not None else 10**9), created)


def minute_grid(
    events: Iterable[Mapping[str, Any]],
    start: pd.Timestamp,
    minutes: int,
    grace_minutes: int = GRACE_MINUTES,
) -> pd.DataFrame:
    """Binding limit and price at each minute from ``start``, by the precedence rule.

    Parameters
    ----------
    events : iterable of dict
        OpenADR events (server representation, with ``createdDateTime``) aimed at one site.
    start : pandas.Timestamp
        First minute (UTC).
    minutes : int
        How many minutes.
    grace_minutes : int
        Minutes after its creation before an event binds.

    Returns
    -------
    pandas.DataFrame
        Indexed by minute: ``limit_kw`` (0 where no event covers the minute), ``price``
        (NaN there) and ``event`` (id of the binding event, "" where none).
    """
    index = pd.date_range(start, periods=minutes, freq="min").as_unit("ns")
    t = index.asi8
    limit = np.zeros(minutes)
    price = np.full(minutes, np.nan)
    which = np.full(minutes, "", dtype=object)
    grace = pd.Timedelta(minutes=grace_minutes).value
    for event in sorted(events, key=_order):
        binds_from = parse_time(event["createdDateTime"]).value + grace
        for iv in event_intervals(event):
            mask = (t >= max(iv.start.value, binds_from)) & (t < iv.end.value)
            if not mask.any():
                continue
            if LIMIT in iv.values:
                limit[mask] = iv.values[LIMIT]
            if PRICE in iv.values:
                price[mask] = iv.values[PRICE]
            which[mask] = str(event.get("id", ""))
    return pd.DataFrame({"limit_kw": limit, "price": price, "event": which}, index=index)


def hourly_allowance(grid: pd.DataFrame) -> pd.DataFrame:
    """Energy allowed [kWh] and time-weighted price per hour from a :func:`minute_grid`.

    Returns
    -------
    pandas.DataFrame
        Indexed by hour start: ``allowance_kwh`` and ``price`` (NaN where no event priced the
        hour).
    """
    hour = grid.index.floor("h")
    allowance = (grid["limit_kw"] / 60.0).groupby(hour).sum()
    price = grid["price"].groupby(hour).mean()
    return pd.DataFrame({"allowance_kwh": allowance, "price": price})


__all__ = [
    "CURTAILMENT_PRIORITY",
    "DAY_AHEAD_PRIORITY",
    "GRACE_MINUTES",
    "LIMIT",
    "PRICE",
    "Interval",
    "event_intervals",
    "format_time",
    "hourly_allowance",
    "minute_grid",
    "parse_duration",
    "parse_time",
]
