"""The console's actions, done by the operations stage as the signed-in operator.

Publishing, curtailing and settling go through the VTN's own routes, like ``gridsurplus
operate``, but as the operator who signed in (so the audit log names who acted): a short-lived
bearer token is issued to that BL client in the database, and an in-process client reaches the
same application that serves the console.

The curtailment is shown before it is sent: :func:`curtailment_preview` builds the very
event bodies :func:`gridsurplus.operations.programme.publish_curtailment` would publish and
sets each hour's new limit beside what the schedule allows now.
"""

from __future__ import annotations

import datetime as dt
import secrets
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from gridsurplus.errors import GridsurplusError
from gridsurplus.operations.curtail import curtailment_events
from gridsurplus.operations.timeline import minute_grid
from gridsurplus.operations.vtn_client import VtnClient
from gridsurplus.server.console.data import Programme

if TYPE_CHECKING:
    from fastapi import FastAPI
    from sqlalchemy import Engine

TOKEN_MINUTES = 10
"""Lifetime of the token an action runs with [min]."""


class ActionError(ValueError):
    """An action cannot be done as asked (the message says why, for the page)."""


def mint_token(engine: Engine, client_id: str, minutes: int = TOKEN_MINUTES) -> str:
    """Issue a bearer token to a BL client directly in the database (stored as its SHA-256)."""
    from sqlalchemy import delete
    from sqlalchemy.orm import Session

    from gridsurplus.server.clients import hash_secret
    from gridsurplus.server.db import utc_now_text
    from gridsurplus.server.db.models import AccessToken

    token = secrets.token_urlsafe(32)
    expires = (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with Session(engine) as db:
        db.connection(execution_options={"gridsurplus_write": True})
        db.execute(
            delete(AccessToken).where(
                AccessToken.client_id == client_id, AccessToken.expires < utc_now_text()
            )
        )
        db.add(AccessToken(token_hash=hash_secret(token)[7:], client_id=client_id, expires=expires))
        db.commit()
    return token


class OperatorClient(VtnClient):
    """A VTN client of the application ``app`` in this process, as a signed-in BL client."""

    def __init__(self, app: FastAPI, engine: Engine, client_id: str) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            from fastapi.testclient import TestClient

            http = TestClient(app, base_url="http://console.local")
        super().__init__("http://console.local", client_id, "", http=http)
        self._token = mint_token(engine, client_id)
        self._expires = float("inf")


@dataclass(frozen=True)
class CurtailRequest:
    """A curtailment as the form asks it."""

    scope: str
    target: str
    limit_mw: float
    start: pd.Timestamp
    hours: int

    def kwargs(self) -> dict[str, str]:
        """``region=`` or ``site=`` for the operations functions."""
        return {self.scope: self.target}


def parse_curtailment(form: dict[str, str], programme: Programme) -> CurtailRequest:
    """Read and check the curtailment form.

    Fields: ``scope`` (``region`` or ``site``), ``target``, ``limit_mw`` [MW], ``hours`` [h] and
    ``start``: ``now``, a local ``YYYY-MM-DDTHH:MM`` in the programme's zone, or RFC 3339.
    """
    scope = form.get("scope", "")
    if scope not in ("region", "site"):
        raise ActionError("choose whether to curtail a region or a site")
    target = form.get("target", "").strip()
    known = set(programme.fleet["region"] if scope == "region" else programme.fleet["site"])
    if target not in known:
        raise ActionError(f"no enrolled {scope} '{target}'; enrolled: {', '.join(sorted(known))}")
    try:
        limit_mw = float(form.get("limit_mw", ""))
    except ValueError:
        raise ActionError("the limit must be a number of MW, e.g. 2.5") from None
    if not np.isfinite(limit_mw) or limit_mw < 0:
        raise ActionError(f"the limit must be 0 MW or more, got {form.get('limit_mw')}")
    try:
        hours = int(form.get("hours", ""))
    except ValueError:
        raise ActionError("the duration must be a whole number of hours, 1 to 48") from None
    if not 1 <= hours <= 48:
        raise ActionError(f"the duration must be 1 to 48 hours, got {hours}")
    text = form.get("start", "now").strip() or "now"
    if text == "now":
        start = pd.Timestamp.now(tz="UTC").floor("min")
    else:
        try:
            stamp = pd.Timestamp(text)
            if stamp.tzinfo is None:
                stamp = stamp.tz_localize(programme.tz)
            start = stamp.tz_convert("UTC").floor("min")
        except (ValueError, TypeError):
            raise ActionError(
                f"start '{text}' is neither 'now' nor a local time YYYY-MM-DDTHH:MM"
            ) from None
    return CurtailRequest(scope, target, limit_mw, start, hours)


def curtailment_preview(programme: Programme, req: CurtailRequest) -> list[dict[str, Any]]:
    """What a curtailment will cut, site by site and hour by hour.

    Returns
    -------
    list of dict
        Per site: ``site``, ``kind``, ``hours`` (rows of local ``start``, ``now_kw`` (the
        schedule's average limit in the hour), ``new_kw``, ``cut_kw``), and ``cut_mwh`` [MWh].
    """
    if programme.program is None:
        raise ActionError("no programme is enrolled on this server yet")
    try:
        bodies = curtailment_events(
            programme.program["id"],
            programme.fleet,
            programme.events,
            req.limit_mw,
            req.start,
            req.hours,
            programme.currency,
            **req.kwargs(),
        )
    except ValueError as exc:
        raise ActionError(str(exc)) from exc
    kind = programme.fleet.set_index("site")["kind"]
    out = []
    for site, body in bodies.items():
        grid = minute_grid(programme.events.get(site, []), req.start, 60 * req.hours)
        now_kw = grid["limit_kw"].groupby(np.arange(len(grid)) // 60).mean().to_numpy()
        rows = []
        for h, iv in enumerate(body["intervals"]):
            new_kw = float(iv["payloads"][0]["values"][0])
            rows.append(
                {
                    "start": (req.start + pd.Timedelta(hours=h))
                    .tz_convert(programme.tz)
                    .strftime("%d %b %H:%M"),
                    "now_kw": float(now_kw[h]),
                    "new_kw": new_kw,
                    "cut_kw": max(0.0, float(now_kw[h]) - new_kw),
                }
            )
        out.append(
            {
                "site": site,
                "kind": str(kind.get(site, "")),
                "hours": rows,
                "cut_mwh": sum(r["cut_kw"] for r in rows) / 1000.0,
            }
        )
    return out


def publish(
    app: FastAPI, engine: Engine, client_id: str, day: dt.date, dataset: str | Path | None
) -> dict[str, Any]:
    """Publish the day-ahead schedule of ``day`` (operations' :func:`publish_day`)."""
    from gridsurplus.operations import audit
    from gridsurplus.operations.programme import publish_day

    audit.ensure(engine)
    with OperatorClient(app, engine, client_id) as bl:
        try:
            return publish_day(bl, engine, day, dataset)
        except (ValueError, GridsurplusError) as exc:
            raise ActionError(str(exc)) from exc


def curtail(app: FastAPI, engine: Engine, client_id: str, req: CurtailRequest) -> dict[str, Any]:
    """Publish a confirmed curtailment (operations' :func:`publish_curtailment`)."""
    from gridsurplus.operations import audit
    from gridsurplus.operations.programme import publish_curtailment

    audit.ensure(engine)
    with OperatorClient(app, engine, client_id) as bl:
        try:
            return publish_curtailment(
                bl, engine, req.limit_mw, req.start, req.hours, **req.kwargs()
            )
        except (ValueError, GridsurplusError) as exc:
            raise ActionError(str(exc)) from exc


def settlement_csv(app: FastAPI, engine: Engine, client_id: str, month: str) -> str:
    """The month's bills as CSV, from the audit log after collecting what the server holds.

    The same bills as ``gridsurplus operate settle --month``: :func:`collect` records every
    event and report version in the audit log, and :func:`bill_from_audit` bills from it.
    """
    from gridsurplus.operations import audit
    from gridsurplus.operations.programme import bill_from_audit, collect

    try:
        dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        raise ActionError(f"month '{month}' is not YYYY-MM") from None
    audit.ensure(engine)
    with OperatorClient(app, engine, client_id) as bl:
        try:
            collect(bl, engine)
            if next(audit.records(engine, "report"), None) is None:
                raise ActionError("no usage report has been received yet: there is nothing to bill")
            bills = bill_from_audit(engine, month)
        except (ValueError, GridsurplusError) as exc:
            raise ActionError(str(exc)) from exc
    return str(bills.to_csv(index=False))


__all__ = [
    "ActionError",
    "CurtailRequest",
    "OperatorClient",
    "curtail",
    "curtailment_preview",
    "mint_token",
    "parse_curtailment",
    "publish",
    "settlement_csv",
]
