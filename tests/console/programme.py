"""A running programme for the console's tests: a real ``gridsurplus serve`` process on SQLite,
three enrolled Pakistan sites, today's schedule published, and an operator (BL) client."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from typer.testing import CliRunner

SITES = pd.DataFrame(
    {
        "site": ["btc@KE", "ai@LESCO", "btc@LESCO"],
        "region": ["KE", "LESCO", "LESCO"],
        "tech": ["btc", "ai", "btc"],
        "kind": ["mining", "ai", "mining"],
        "mw": [40.0, 20.0, 30.0],
    }
)
TZ = "Asia/Karachi"


def run(*args: object) -> str:
    from gridsurplus.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def write_plan(folder: Path) -> Path:
    (folder / "tables").mkdir(parents=True)
    (folder / "plan.json").write_text(
        json.dumps({"dataset": "Pakistan", "currency": "PKR", "exchange_rate": 281.0})
    )
    SITES.to_csv(folder / "tables" / "sites.csv", index=False)
    return folder


@dataclass
class Programme:
    """Where the programme runs and who may act on it."""

    root: str
    db: str
    credentials: Path
    operator_id: str
    operator_secret: str
    ven_id: str
    ven_secret: str
    today: dt.date

    @property
    def tomorrow(self) -> dt.date:
        return self.today + dt.timedelta(days=1)


def start_programme(folder: Path) -> tuple[Programme, object]:
    """Enrol, publish today, start the server; returns the programme and the server."""
    from tests.server.vtn_live import LiveServer

    db = f"sqlite:///{folder / 'vtn.sqlite'}"
    plan = write_plan(folder / "plan")
    creds = folder / "sites.json"
    run("operate", "enroll", plan, "--db", db, "--credentials", creds, "--json")
    today = pd.Timestamp.now(tz=TZ).date()
    run("operate", "schedule", "--day", today.isoformat(), "--db", db)
    op = json.loads(run("operate", "client", "add", "control room", "--role", "bl", "--db", db,
                        "--json"))  # fmt: skip
    site = next(iter(json.loads(creds.read_text())["sites"].values()))  # any site's credentials
    server = LiveServer(db).start()
    root = f"http://127.0.0.1:{server.port}"
    programme = Programme(
        root, db, creds, op["client_id"], op["client_secret"], site["client_id"],
        site["client_secret"], today,
    )  # fmt: skip
    return programme, server


def simulate(programme: Programme, day: dt.date, seed: int = 0) -> dict:
    """The sites of the credentials file play ``day`` and report every hour of it."""
    from gridsurplus.operations.simulate import run_sites

    return run_sites(programme.credentials, programme.root, day, tz=TZ, seed=seed)


def enroll_in(app: Any, http: Any) -> None:
    """Enrol the test's sites through the app's own routes (its engine, disposed by the test)."""
    from gridsurplus.operations import audit
    from gridsurplus.operations.enroll import enroll
    from gridsurplus.operations.vtn_client import VtnClient

    bl_id, bl_secret = add(app, "enrolment", "bl")
    engine = app.state.vtn.engine
    audit.ensure(engine)
    bl = VtnClient("http://testserver", bl_id, bl_secret, http=http)
    headline = {"dataset": "Pakistan", "currency": "PKR", "exchange_rate": 281.0}
    enroll(bl, SITES, headline, "Asia/Karachi", lambda n, r: add(app, n, r), engine)


def add(app: Any, name: str, role: str) -> tuple[str, str]:
    from sqlalchemy.orm import Session

    from gridsurplus.server.clients import add_client

    with Session(app.state.vtn.engine) as db:
        made = add_client(db, name, role)
        db.commit()
    return made
