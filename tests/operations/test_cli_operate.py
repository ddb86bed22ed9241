"""The operate commands: clear errors on bad input, and simulated sites over real HTTP."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time

import pytest
from typer.testing import CliRunner

from gridsurplus.cli import app
from tests.operations.test_end_to_end import plan_dir, run  # noqa: F401 (fixture)


def fails(*args) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 2, result.output
    return result.output


def test_bad_input_gets_a_clear_message(tmp_path, plan_dir):  # noqa: F811
    db = f"sqlite:///{tmp_path / 'vtn.sqlite'}"
    out = fails(
        "operate", "enroll", tmp_path / "nowhere", "--db", db, "--credentials", tmp_path / "c.json"
    )
    assert "plan.json is missing" in out
    assert "run gridsurplus operate enroll first" in fails(
        "operate", "schedule", "--day", "2026-12-05", "--db", db
    )
    assert "not YYYY-MM-DD" in fails("operate", "schedule", "--day", "5 Dec", "--db", db)
    assert "exactly one of --region and --site" in fails(
        "operate", "curtail", "--limit-mw", 1, "--hours", 1, "--db", db
    )
    run("operate", "enroll", plan_dir, "--db", db, "--credentials", tmp_path / "c.json")
    assert "no enrolled site in region 'XX'" in fails(
        "operate", "curtail", "--region", "XX", "--limit-mw", 1, "--hours", 1, "--db", db
    )
    bad = tmp_path / "f.csv"
    bad.write_text("time,NOWHERE\n2026-12-05 00:00,1\n")
    out = fails("operate", "schedule", "--day", "2026-12-05", "--db", db, "--demand-forecast", bad)
    assert "columns ['NOWHERE'] are not regions" in out


def test_simulated_sites_over_http(tmp_path, plan_dir):  # noqa: F811
    import uvicorn

    from gridsurplus.server.app import create_app

    db = f"sqlite:///{tmp_path / 'vtn.sqlite'}"
    creds = tmp_path / "c.json"
    run("operate", "enroll", plan_dir, "--db", db, "--credentials", creds)
    day = dt.date.today() + dt.timedelta(days=2)
    run("operate", "schedule", "--day", day, "--db", db)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        out = json.loads(
            run(
                "operate",
                "simulate-sites",
                "--credentials",
                creds,
                "--url",
                url,
                "--day",
                day,
                "--n",
                2,
                "--seed",
                4,
                "--json",
            )
        )
        again = json.loads(
            run(
                "operate",
                "simulate-sites",
                "--credentials",
                creds,
                "--url",
                url,
                "--day",
                day,
                "--n",
                2,
                "--seed",
                4,
                "--json",
            )
        )
    finally:
        server.should_exit = True
        thread.join(10)
        server.config.app.state.vtn.engine.dispose()
    assert sorted(out) == ["ai@KE", "btc@KE"] and out == again  # deterministic for a seed
    assert out["ai@KE"]["usage_kwh"] == pytest.approx(0.95 * 100_000 * 24)
    assert all(r["reports"] == 24 for r in out.values())
