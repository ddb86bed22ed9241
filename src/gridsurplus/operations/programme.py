"""The operator's day, step by step over the VTN: publish, curtail, collect, settle.

Each function takes the operator's :class:`~.vtn_client.VtnClient` (BL role) and the database
engine that holds the audit log; :func:`operator` opens both for a database URL, with a BL
client of its own for the run (named after the command and the time, so the audit log says
which run published what). Every event published and every report version collected is
recorded in the audit log, and settlement reads only the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from gridsurplus.operations import audit
from gridsurplus.operations.curtail import curtailment_events
from gridsurplus.operations.enroll import attribute, enrolled
from gridsurplus.operations.events import day_ahead_event
from gridsurplus.operations.schedule import (
    ScheduleError,
    read_demand_forecast,
    reference_hours,
    schedule_inputs,
    solve_schedule,
)
from gridsurplus.operations.settle import DEFAULT_RULES, Rules, settle, usage_readings
from gridsurplus.operations.timeline import DAY_AHEAD_PRIORITY
from gridsurplus.operations.vtn_client import VtnClient


@contextmanager
def operator(db_url: str | None, purpose: str) -> Iterator[tuple[VtnClient, Any]]:
    """A BL client of the VTN on ``db_url`` in this process, and the database engine."""
    from gridsurplus.server.clients import create_client
    from gridsurplus.server.db import open_engine

    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    client_id, secret = create_client(
        db_url, f"operate {purpose} {stamp} {secrets.token_hex(3)}", "bl"
    )
    engine = open_engine(db_url)
    audit.ensure(engine)
    client = VtnClient.in_process(db_url, client_id, secret)
    try:
        yield client, engine
    finally:
        client.close()
        engine.dispose()


def programme_facts(program: dict[str, Any]) -> tuple[str, str, float, str]:
    """Time zone, currency, exchange rate and dataset name recorded on the program."""
    return (
        str(attribute(program, "TIMEZONE", "UTC")),
        str(attribute(program, "CURRENCY", "PKR")),
        float(attribute(program, "EXCHANGE_RATE", 1.0)),
        str(attribute(program, "DATASET", "")),
    )


def events_by_site(bl: VtnClient, program_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every event of the program, grouped by the sites it targets."""
    out: dict[str, list[dict[str, Any]]] = {}
    for event in bl.all("/events", programID=program_id):
        for target in event.get("targets") or []:
            if target.startswith("site:"):
                out.setdefault(target[5:], []).append(event)
    return out


def next_day_ahead_priority(events: list[dict[str, Any]], day: dt.date) -> int:
    """Priority of a new day-ahead event of ``day``: one above the day's latest, at most 1.

    >>> next_day_ahead_priority([], dt.date(2026, 1, 1))
    100
    >>> ev = {"eventName": "day-ahead 2026-01-01 s", "priority": 100}
    >>> next_day_ahead_priority([ev], dt.date(2026, 1, 1))
    99
    """
    prefix = f"day-ahead {day.isoformat()} "
    used = [
        int(e["priority"])
        for e in events
        if str(e.get("eventName", "")).startswith(prefix) and e.get("priority") is not None
    ]
    if not used:
        return DAY_AHEAD_PRIORITY
    if min(used) <= 1:
        raise ScheduleError(f"day {day} was re-published {len(used)} times: no priority left")
    return min(used) - 1


def publish_day(
    bl: VtnClient,
    engine: Any,
    day: dt.date,
    dataset: str | Path | None = None,
    demand_forecast: str | Path | None = None,
) -> dict[str, Any]:
    """Solve the day and the next and publish one day-ahead event per enrolled site.

    Returns
    -------
    dict
        ``day``, ``events`` (site -> id and priority), ``allowed_mwh`` per site and
        ``unserved_mwh`` of the day.
    """
    from gridsurplus import load_dataset
    from gridsurplus.model.inputs import model_inputs
    from gridsurplus.profiles import build_profiles

    program, fleet = enrolled(bl)
    if fleet.empty:
        raise ScheduleError("no site is enrolled: run gridsurplus operate enroll first")
    tz, currency, rate, name = programme_facts(program)
    ds = load_dataset(dataset)
    if name and ds.meta.get("name") != name:
        raise ScheduleError(
            f"the programme was enrolled from dataset '{name}', not '{ds.meta.get('name')}': "
            "give the same dataset with --dataset"
        )
    base = model_inputs(ds, build_profiles(ds))
    hours = reference_hours(base.snapshots, day)
    demand = None
    if demand_forecast is not None:
        demand = read_demand_forecast(demand_forecast, base.regions, day, tz)
    schedule = solve_schedule(
        schedule_inputs(base, fleet, hours, demand), fleet, day, tz, rate, currency
    )
    existing = events_by_site(bl, program["id"])
    published = {}
    for site in fleet["site"]:
        priority = next_day_ahead_priority(existing.get(site, []), day)
        event = bl.post("/events", day_ahead_event(program["id"], site, schedule, priority))
        audit.append(engine, "event", event["id"], event, bl.client_id)
        published[site] = {"id": event["id"], "priority": priority}
    return {
        "day": day.isoformat(),
        "events": published,
        "allowed_mwh": (schedule.allowance_kw.sum() / 1000.0).round(3).to_dict(),
        "unserved_mwh": float(schedule.unserved_mw.iloc[:24].to_numpy().sum()),
    }


def publish_curtailment(
    bl: VtnClient,
    engine: Any,
    limit_mw: float,
    start: pd.Timestamp,
    hours: int,
    region: str | None = None,
    site: str | None = None,
) -> dict[str, Any]:
    """Publish a real-time curtailment of a region or a site; returns the events by site."""
    program, fleet = enrolled(bl)
    _, currency, _, _ = programme_facts(program)
    bodies = curtailment_events(
        program["id"],
        fleet,
        events_by_site(bl, program["id"]),
        limit_mw,
        start,
        hours,
        currency,
        region=region,
        site=site,
    )
    out = {}
    for s, body in bodies.items():
        event = bl.post("/events", body)
        audit.append(engine, "event", event["id"], event, bl.client_id)
        out[s] = {
            "id": event["id"],
            "limits_kw": [iv["payloads"][0]["values"][0] for iv in body["intervals"]],
        }
    return out


def collect(bl: VtnClient, engine: Any) -> dict[str, int]:
    """Record in the audit log every event and report version the server holds now.

    Versions already recorded are not recorded again, so this may run as often as wished
    (each run catches the reports corrected since the last).
    """
    program, _ = enrolled(bl)
    counts = {"events": 0, "reports": 0}
    for event in bl.all("/events", programID=program["id"]):
        counts["events"] += audit.append(engine, "event", event["id"], event, "")
    for report in bl.all("/reports", programID=program["id"]):
        counts["reports"] += audit.append(
            engine, "report", report["id"], report, str(report.get("clientID", ""))
        )
    return counts


def bill_from_audit(engine: Any, month: str, rules: Rules = DEFAULT_RULES) -> pd.DataFrame:
    """The month's bills from the audit log alone (reproducible at any later time)."""
    programs = [r["body"] for r in audit.records(engine, "program")]
    if not programs:
        raise ScheduleError("the audit log holds no program: enrol and collect first")
    tz = str(attribute(programs[-1], "TIMEZONE", "UTC"))
    vens = [r["body"] for r in audit.records(engine, "ven")]
    client_site = {str(v.get("clientID")): v["venName"] for v in vens}
    events: dict[str, dict[str, Any]] = {}
    for r in audit.records(engine, "event"):
        events[r["object_id"]] = r["body"]  # an event is never edited; the last version wins
    by_site: dict[str, list[dict[str, Any]]] = {v["venName"]: [] for v in vens}
    for event in events.values():
        for target in event.get("targets") or []:
            if target.startswith("site:"):
                by_site.setdefault(target[5:], []).append(event)
    reports = (r["body"] for r in audit.records(engine, "report"))
    readings = usage_readings(reports, client_site, events)
    return settle(readings, by_site, month, tz=tz, rules=rules)


def settle_month(
    bl: VtnClient, engine: Any, month: str, out_dir: str | Path, rules: Rules = DEFAULT_RULES
) -> pd.DataFrame:
    """Collect, bill the month from the audit log, write ``bills-<month>.csv`` and ``.json``."""
    collect(bl, engine)
    bills = bill_from_audit(engine, month, rules)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    bills.to_csv(out / f"bills-{month}.csv", index=False)
    payload = {
        "month": month,
        "rules": {"grace_minutes": rules.grace_minutes, "penalty_multiple": rules.penalty_multiple},
        "bills": bills.to_dict("records"),
    }
    (out / f"bills-{month}.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    audit.append(engine, "bill", month, payload, bl.client_id)
    return bills


__all__ = [
    "bill_from_audit",
    "collect",
    "events_by_site",
    "next_day_ahead_priority",
    "operator",
    "programme_facts",
    "publish_curtailment",
    "publish_day",
    "settle_month",
]
