"""Simulated sites: fetch their events, draw power as a real site would, report hourly usage.

Behaviour, minute by minute, deterministic for a seed:

- a miner follows its binding limit (:mod:`.timeline`, without grace: it sees the event at
  once) after a lag of 1 to :data:`MINER_MAX_LAG_MIN` minutes drawn per change of limit, and
  draws :data:`MINER_LOAD` of the lower of the limit and its MW; in a share
  :data:`MINER_OVERSHOOT_P` of its hours it overshoots the limit by
  :data:`MINER_OVERSHOOT` (never above its MW);
- an AI data centre runs flat at :data:`AI_LOAD` of its MW, whatever the limit.

:func:`run_sites` plays a day for sites of a credentials file against a VTN: each site polls
its events and posts one ``USAGE`` report per hour of the day.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.operations.timeline import format_time, minute_grid

MINER_LOAD = 0.98
MINER_MAX_LAG_MIN = 5
MINER_OVERSHOOT_P = 0.05
MINER_OVERSHOOT = 0.10
AI_LOAD = 0.95


def site_minutes(
    kind: str, mw: float, limit_kw: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Power drawn each minute [kW] by a site of ``kind`` and ``mw`` [MW] under ``limit_kw``.

    >>> rng = np.random.default_rng(0)
    >>> site_minutes("ai", 1.0, np.zeros(3), rng).tolist()
    [950.0, 950.0, 950.0]
    """
    cap = mw * 1000.0
    n = len(limit_kw)
    if kind == "ai":
        return np.full(n, AI_LOAD * cap)
    if kind != "mining":
        raise ValueError(f"site kind '{kind}' is neither mining nor ai")
    followed = limit_kw.astype(float).copy()
    changes = np.flatnonzero(np.diff(limit_kw) != 0) + 1
    for c in changes:  # keep the previous limit for the lag after each change
        lag = int(rng.integers(1, MINER_MAX_LAG_MIN + 1))
        followed[c : min(n, c + lag)] = limit_kw[c - 1]
    draw = MINER_LOAD * np.minimum(followed, cap)
    hours = n // 60
    over = rng.random(hours) < MINER_OVERSHOOT_P
    for h in np.flatnonzero(over):
        block = slice(60 * h, 60 * (h + 1))
        draw[block] = np.minimum(cap, np.minimum(followed[block], cap) * (1 + MINER_OVERSHOOT))
    return draw


def hourly_usage(minutes_kw: np.ndarray) -> np.ndarray:
    """Energy of each whole hour [kWh] from minute powers [kW]."""
    return minutes_kw[: len(minutes_kw) // 60 * 60].reshape(-1, 60).sum(axis=1) / 60.0


def day_usage(
    kind: str,
    mw: float,
    events: Sequence[Mapping[str, Any]],
    day_start: pd.Timestamp,
    seed: int,
) -> np.ndarray:
    """The 24 hourly usages [kWh] of a site from ``day_start`` (UTC) under its events."""
    grid = minute_grid(events, day_start, 24 * 60, grace_minutes=0)
    rng = np.random.default_rng(seed)
    return hourly_usage(site_minutes(kind, mw, grid["limit_kw"].to_numpy(), rng))


def usage_report(
    event: Mapping[str, Any], site: str, hours_utc: list[pd.Timestamp], kwh: list[float]
) -> dict[str, Any]:
    """A ``USAGE`` report of some hours, each interval with its own period."""
    return {
        "eventID": event["id"],
        "clientName": site,
        "reportName": f"usage {site} {format_time(hours_utc[0])}",
        "payloadDescriptors": [
            {
                "objectType": "REPORT_PAYLOAD_DESCRIPTOR",
                "payloadType": "USAGE",
                "readingType": "DIRECT_READ",
                "units": "KWH",
            }
        ],
        "resources": [
            {
                "resourceName": site,
                "intervals": [
                    {
                        "id": int(h.hour),
                        "intervalPeriod": {"start": format_time(h), "duration": "PT1H"},
                        "payloads": [{"type": "USAGE", "values": [round(float(v), 3)]}],
                    }
                    for h, v in zip(hours_utc, kwh, strict=True)
                ],
            }
        ],
    }


def day_start_utc(day: dt.date, tz: str) -> pd.Timestamp:
    """Local midnight of ``day`` in ``tz``, as UTC."""
    return pd.Timestamp(day).tz_localize(tz).tz_convert("UTC")


def run_sites(
    credentials: str | Path,
    url: str,
    day: dt.date,
    n: int | None = None,
    tz: str = "Asia/Karachi",
    seed: int = 0,
    http: Any = None,
) -> dict[str, Any]:
    """Play ``day`` for the first ``n`` sites of a credentials file against the VTN at ``url``.

    Each site fetches its events, draws power by the rules above and posts one report per
    hour against the event binding at the hour's start (its newest event if none binds).
    ``http`` may be an :class:`httpx.Client` to share (e.g. one bound to an in-process VTN).

    Returns
    -------
    dict
        Per site: ``kind``, ``usage_kwh`` (the day's total), ``reports`` posted.
    """
    import json

    from gridsurplus.operations.vtn_client import VtnClient

    creds = json.loads(Path(credentials).read_text(encoding="utf-8"))
    sites = sorted(creds.get("sites", {}).items())[:n]
    start = day_start_utc(day, tz)
    hours = list(pd.date_range(start, periods=24, freq="h"))
    out: dict[str, Any] = {}
    for site, c in sites:
        ven = VtnClient(url, c["client_id"], c["client_secret"], http=http)
        try:
            events = [e for e in ven.all("/events") if f"site:{site}" in (e.get("targets") or [])]
            if not events:
                out[site] = {"kind": c["kind"], "usage_kwh": 0.0, "reports": 0}
                continue
            kwh = day_usage(
                c["kind"], float(c["mw"]), events, start, seed * 100_003 + zlib.crc32(site.encode())
            )
            grid = minute_grid(events, start, 24 * 60, grace_minutes=0)
            fallback = max(events, key=lambda e: e["createdDateTime"])
            by_id = {e["id"]: e for e in events}
            for h, hour in enumerate(hours):
                binding = by_id.get(grid["event"].iloc[60 * h], fallback)
                ven.post("/reports", usage_report(binding, site, [hour], [kwh[h]]))
        finally:
            if http is None:
                ven.close()
        out[site] = {"kind": c["kind"], "usage_kwh": float(kwh.sum()), "reports": 24}
    return out


__all__ = [
    "AI_LOAD",
    "MINER_LOAD",
    "day_start_utc",
    "day_usage",
    "hourly_usage",
    "run_sites",
    "site_minutes",
    "usage_report",
]
