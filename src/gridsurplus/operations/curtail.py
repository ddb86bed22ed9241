"""Real-time curtailment: a limit on a region's (or one site's) draw, above the schedule.

``operate curtail --region R --limit-mw X --hours H`` shares ``X`` among the region's sites
hour by hour: AI data centres first, each up to what the schedule already allows it, pro rata
to that; miners get what is left, pro rata likewise. A curtailment never raises a site above
its schedule. Each site gets one event at :data:`~.timeline.CURTAILMENT_PRIORITY` (above every
day-ahead event) with one-hour intervals from the start, each carrying the limit [kW] and the
schedule's price of that hour; it binds after the grace period (:mod:`.timeline`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.operations.events import (
    payload_descriptors,
    site_target,
    usage_report_descriptor,
)
from gridsurplus.operations.timeline import (
    CURTAILMENT_PRIORITY,
    LIMIT,
    PRICE,
    format_time,
    minute_grid,
)


def allocate(limit_kw: float, caps_kw: pd.Series, kinds: pd.Series) -> pd.Series:
    """Share a limit among sites: AI first, then miners, each pro rata to its cap.

    Parameters
    ----------
    limit_kw : float
        Most the sites together may draw [kW].
    caps_kw : pandas.Series
        Most each site may draw anyway (its schedule) [kW], by site.
    kinds : pandas.Series
        ``ai`` or ``mining`` by site.

    Returns
    -------
    pandas.Series
        Each site's share [kW]; never above its cap, summing to at most ``limit_kw``.

    Examples
    --------
    >>> caps = pd.Series({"ai": 300.0, "m1": 400.0, "m2": 200.0})
    >>> kinds = pd.Series({"ai": "ai", "m1": "mining", "m2": "mining"})
    >>> allocate(600.0, caps, kinds).to_dict()
    {'ai': 300.0, 'm1': 200.0, 'm2': 100.0}
    """
    if limit_kw < 0:
        raise ValueError(f"a curtailment limit must be >= 0 kW, got {limit_kw}")
    out = pd.Series(0.0, index=caps_kw.index)
    left = float(limit_kw)
    for kind in ("ai", "mining"):
        caps = caps_kw[kinds.reindex(caps_kw.index) == kind].clip(lower=0.0)
        total = float(caps.sum())
        if total <= 0:
            continue
        share = min(1.0, left / total)
        out[caps.index] = caps * share
        left = max(0.0, left - total * share)
    return out


def curtailment_events(
    program_id: str,
    fleet: pd.DataFrame,
    events_by_site: Mapping[str, Sequence[Mapping[str, Any]]],
    limit_mw: float,
    start: pd.Timestamp,
    hours: int,
    currency: str,
    region: str | None = None,
    site: str | None = None,
) -> dict[str, dict[str, Any]]:
    """The curtailment event of every site concerned.

    Parameters
    ----------
    program_id : str
        The surplus-power program.
    fleet : pandas.DataFrame
        Enrolled sites (``site``, ``region``, ``kind``, ``mw`` [MW]).
    events_by_site : dict
        Events already aimed at each site (their schedule).
    limit_mw : float
        Most the sites concerned may draw together [MW].
    start : pandas.Timestamp
        When the curtailment starts (UTC, whole minutes).
    hours : int
        How long [h].
    currency : str
        The programme's currency.
    region, site : str, optional
        Exactly one: the region or the site curtailed.

    Returns
    -------
    dict
        Event request bodies by site.
    """
    if (region is None) == (site is None):
        raise ValueError("curtail either a region or a site")
    if hours < 1:
        raise ValueError(f"a curtailment lasts at least 1 hour, got {hours}")
    chosen = fleet[fleet["region"] == region] if region else fleet[fleet["site"] == site]
    if chosen.empty:
        what = f"region '{region}'" if region else f"site '{site}'"
        raise ValueError(f"no enrolled site in {what}; enrolled: {sorted(fleet['site'])}")
    start = start.floor("min")
    caps, prices = {}, {}
    for s in chosen["site"]:
        grid = minute_grid(events_by_site.get(s, []), start, 60 * hours)
        block = np.arange(len(grid)) // 60
        caps[s] = grid["limit_kw"].groupby(block).mean().to_numpy()
        prices[s] = grid["price"].groupby(block).mean().to_numpy()
    kinds = chosen.set_index("site")["kind"]
    limits = {s: np.zeros(hours) for s in chosen["site"]}
    for h in range(hours):
        share = allocate(limit_mw * 1000.0, pd.Series({s: caps[s][h] for s in caps}), kinds)
        for s in limits:
            limits[s][h] = round(float(share[s]), 0)
    what = f"region {region}" if region else f"site {site}"
    out = {}
    for s in chosen["site"]:
        intervals = []
        for h in range(hours):
            payloads: list[dict[str, Any]] = [{"type": LIMIT, "values": [float(limits[s][h])]}]
            if np.isfinite(prices[s][h]):
                payloads.append({"type": PRICE, "values": [round(float(prices[s][h]), 4)]})
            intervals.append({"id": h, "payloads": payloads})
        out[s] = {
            "programID": program_id,
            "eventName": f"curtail {what} to {limit_mw:g} MW from {format_time(start)}: {s}",
            "priority": CURTAILMENT_PRIORITY,
            "targets": [site_target(s)],
            "payloadDescriptors": payload_descriptors(currency),
            "reportDescriptors": [usage_report_descriptor()],
            "intervalPeriod": {"start": format_time(start), "duration": "PT1H"},
            "intervals": intervals,
        }
    return out


__all__ = ["allocate", "curtailment_events"]
