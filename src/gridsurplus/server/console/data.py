"""What the console shows, read straight from the VTN's database (read-only).

The pages read the program, the enrolled sites (ven objects with their ``SITE_*``
attributes), the events aimed at each site (``site:<name>`` targets) and the sites' usage
reports, and hand them to the operations stage's own functions: which event binds when
(:func:`gridsurplus.operations.timeline.minute_grid`), which reading counts
(:func:`gridsurplus.operations.settle.usage_readings`), and the bill
(:func:`gridsurplus.operations.settle.settle`). Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from sqlalchemy import Engine

FLEET_COLUMNS = ["site", "region", "tech", "kind", "mw", "client_id", "ven_id"]


@dataclass
class Programme:
    """The programme as the database holds it now.

    Attributes
    ----------
    program : dict or None
        The surplus-power program (None before enrolment).
    tz, currency : str
        The programme's time zone and currency.
    fleet : pandas.DataFrame
        Enrolled sites: :data:`FLEET_COLUMNS` (``mw`` [MW]).
    events : dict
        Events aimed at each site, oldest first.
    """

    program: dict[str, Any] | None
    tz: str
    currency: str
    fleet: pd.DataFrame
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def sites(self) -> list[str]:
        """The enrolled sites' names, sorted."""
        return sorted(self.fleet["site"])

    def site_row(self, site: str) -> dict[str, Any] | None:
        """One site's fleet row, None if it is not enrolled."""
        rows = self.fleet[self.fleet["site"] == site]
        return None if rows.empty else dict(rows.iloc[0])

    def local_day(self, now: pd.Timestamp | None = None) -> dt.date:
        """Today in the programme's time zone."""
        now = pd.Timestamp.now(tz="UTC") if now is None else now
        return now.tz_convert(self.tz).date()

    def day_start(self, day: dt.date) -> pd.Timestamp:
        """Local midnight of ``day`` as UTC."""
        return pd.Timestamp(day).tz_localize(self.tz).tz_convert("UTC")


def _object(row: Any) -> dict[str, Any]:
    body = json.loads(row.body)
    body.update(
        {"id": row.id, "createdDateTime": row.created, "modificationDateTime": row.modified}
    )
    return body


def _attribute(obj: dict[str, Any], name: str, default: Any = None) -> Any:
    from gridsurplus.operations.enroll import attribute

    return attribute(obj, name, default)


EVENT_MARGIN = pd.Timedelta(days=10)
"""How far back the overview looks for a site's last report."""


def load_programme(engine: Engine, since: pd.Timestamp | None = None) -> Programme:
    """The program, the enrolled fleet and every site's events.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The VTN database.
    since : pandas.Timestamp, optional
        Only events that end after this time (UTC), or whose end the server does not know; all
        if None. Pages pass the first hour they show, so a long-running programme's past events
        are not read on every refresh.
    """
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from gridsurplus.operations.enroll import PROGRAM_NAME
    from gridsurplus.server.db.models import Event, EventTarget, Program, Ven

    with Session(engine) as db:
        prow = db.scalars(select(Program).where(Program.program_name == PROGRAM_NAME)).first()
        program = _object(prow) if prow is not None else None
        ven_rows = list(db.scalars(select(Ven).order_by(Ven.created, Ven.id)))
        vens = [_object(v) for v in ven_rows]
        client_of = {v.id: v.client_id for v in ven_rows}
        rows = []
        for v in vens:
            kind = _attribute(v, "SITE_KIND")
            if kind not in ("mining", "ai"):
                continue
            rows.append(
                {
                    "site": v["venName"],
                    "region": str(_attribute(v, "SITE_REGION", "")),
                    "tech": str(_attribute(v, "SITE_TECH", "")),
                    "kind": kind,
                    "mw": float(_attribute(v, "SITE_MW", 0.0)),
                    "client_id": client_of[v["id"]],
                    "ven_id": v["id"],
                }
            )
        events: dict[str, list[dict[str, Any]]] = {r["site"]: [] for r in rows}
        if program is not None:
            found = db.execute(
                select(Event, EventTarget.target)
                .join(EventTarget, EventTarget.event_id == Event.id)
                .where(Event.program_id == program["id"], EventTarget.target.like("site:%"))
                .where(Event.ends.is_(None) | (Event.ends > _text(since)))
                .order_by(Event.created, Event.id)
            ).all()
            for event, target in found:
                events.setdefault(target[5:], []).append(_object(event))
    tz = str(_attribute(program, "TIMEZONE", "UTC")) if program else "UTC"
    currency = str(_attribute(program, "CURRENCY", "PKR")) if program else "PKR"
    fleet = pd.DataFrame(rows, columns=FLEET_COLUMNS)
    return Programme(program, tz, currency, fleet, events)


def _text(when: pd.Timestamp | None) -> str:
    """A UTC time as the database writes it (fixed width, so text order is time order)."""
    if when is None:
        return ""
    return when.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def load_readings(
    engine: Engine,
    programme: Programme,
    sites: Iterable[str] | None = None,
    since: pd.Timestamp | None = None,
    newest_only: bool = False,
) -> pd.DataFrame:
    """The usage readings that count (latest received wins), of some sites or all.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The VTN database.
    programme : Programme
        From :func:`load_programme`.
    sites : iterable of str, optional
        Only these sites' reports (default all).
    since : pandas.Timestamp, optional
        Only reports received from this time on (UTC).
    newest_only : bool
        Only each site's most recently received report (the overview's "last reported use").

    Returns
    -------
    pandas.DataFrame
        :func:`gridsurplus.operations.settle.usage_readings`' columns.
    """
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from gridsurplus.operations.settle import usage_readings
    from gridsurplus.server.db.models import Event, Report

    wanted = set(programme.sites if sites is None else sites)
    client_site = {
        r["client_id"]: r["site"] for r in programme.fleet.to_dict("records") if r["site"] in wanted
    }
    events = {e["id"]: e for s in wanted for e in programme.events.get(s, [])}
    if programme.program is None or not client_site:
        return _typed(usage_readings([], {}, {}))
    mine = (
        (Report.program_id == programme.program["id"])
        & Report.client_id.in_(list(client_site))
        & (Report.created >= _text(since))
    )
    query = select(Report).where(mine)
    if newest_only:
        newest = (
            select(Report.client_id, func.max(Report.modified).label("modified"))
            .where(mine)
            .group_by(Report.client_id)
            .subquery()
        )
        query = query.join(
            newest,
            (Report.client_id == newest.c.client_id) & (Report.modified == newest.c.modified),
        )
    with Session(engine) as db:
        rows = db.scalars(query.order_by(Report.modified, Report.id)).all()
        reports = []
        for r in rows:
            obj = _object(r)
            obj["clientID"] = r.client_id  # the server's stamp, never the site's own word
            reports.append(obj)
        # only the events that place a report's intervals by id (most carry their own periods)
        needed = {str(r["eventID"]) for r in reports if _placed_by_event(r)}
        missing = needed - set(events)
        if missing:  # older events that reports still name
            for e in db.scalars(select(Event).where(Event.id.in_(list(missing)))):
                events[e.id] = _object(e)
    placing = {k: v for k, v in events.items() if k in needed}
    return _typed(usage_readings(reports, client_site, placing))


def _placed_by_event(report: dict[str, Any]) -> bool:
    """Whether some interval of a report has no time of its own (it is the event's by id)."""
    for res in report.get("resources") or []:
        if (res.get("intervalPeriod") or {}).get("start"):
            continue
        for interval in res.get("intervals") or []:
            if not (interval.get("intervalPeriod") or {}).get("start"):
                return True
    return False


def _typed(readings: pd.DataFrame) -> pd.DataFrame:
    """Readings with UTC times even when there are none (settlement's hour grouping needs it)."""
    for column in ("start", "end"):
        readings[column] = pd.to_datetime(readings[column], utc=True)
    readings["usage_kwh"] = readings["usage_kwh"].astype(float)
    return readings


def changes_stamp(engine: Engine) -> str:
    """A short text that changes whenever an event or a report is written."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from gridsurplus.server.db.models import Event, Report

    with Session(engine) as db:
        parts = [
            db.execute(select(func.count(), func.max(m.modified))).one() for m in (Event, Report)
        ]
    return "|".join(f"{n}@{m}" for n, m in parts)


__all__ = [
    "EVENT_MARGIN",
    "FLEET_COLUMNS",
    "Programme",
    "changes_stamp",
    "load_programme",
    "load_readings",
]
