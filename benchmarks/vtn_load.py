"""Load test of the VTN: many simulated sites polling events and posting hourly usage reports.

    PYTHONPATH=src python benchmarks/vtn_load.py                      # SQLite, 1,000 sites
    PYTHONPATH=src python benchmarks/vtn_load.py --postgres           # a throwaway PostgreSQL
    PYTHONPATH=src python benchmarks/vtn_load.py --db postgresql://... # a given database

Set-up (not timed): the surplus-power program, one VEN client, ven and resource per site and
one day-ahead event per site, written through the VTN's own routes in this process. Then
``gridsurplus serve`` runs in its own process on 127.0.0.1 and an open-loop load generator
(asyncio + httpx) sends, at a fixed rate: one token request per site, then for each simulated
hour one ``GET /events`` and one ``POST /reports`` (one hourly ``USAGE`` interval) per site.
Bounded in count (sites x (1 + 2 x hours) requests) and in time (``--max-seconds``).

Printed: requests per second achieved, p50/p99 latency (all, and per kind), errors (non-2xx
or transport failures) and lost reports (acknowledged with 201 but absent from the database
after the server is stopped). Target: p99 below 100 ms at 200 requests/s on SQLite, none lost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
BASE = "/openadr3/3.1.0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_postgres(folder: Path) -> tuple[str, list[str]]:
    """initdb and pg_ctl a cluster under ``folder`` (as postgres when run as root)."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not initdb or not pg_ctl:
        sys.exit("PostgreSQL's initdb/pg_ctl not found: apt-get install postgresql")
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", free_port()
    subprocess.run([*as_user, initdb, "-D", str(data), "-U", "vtn", "--auth=trust"],
                   check=True, capture_output=True)  # fmt: skip
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-o", options, "-w", "-l",
                    str(folder / "log"), "start"], check=True, capture_output=True)  # fmt: skip
    stop = [*as_user, pg_ctl, "-D", str(data), "-m", "fast", "stop"]
    return f"postgresql://vtn@127.0.0.1:{port}/postgres", stop


def wait_for(url: str, server: subprocess.Popen, log: Path) -> None:
    """Wait until the server answers (it may take a while to start on a busy machine)."""
    import httpx

    for _ in range(600):
        if server.poll() is not None:
            sys.exit(f"the server stopped: {log.read_text()[-2000:]}")
        try:
            if httpx.get(url + BASE + "/auth/server", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    sys.exit("the server did not answer within 60 s")


def set_up(db: str, n: int, day: str) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Program, n sites (clients, vens, resources) and one event each; returns credentials."""
    from sqlalchemy.orm import Session

    from gridsurplus.operations.enroll import PROGRAM_TARGET, program_body, site_targets
    from gridsurplus.operations.vtn_client import VtnClient
    from gridsurplus.server.clients import add_client
    from gridsurplus.server.db import open_engine

    engine = open_engine(db)
    creds: dict[str, tuple[str, str]] = {}
    with Session(engine) as session:
        session.connection(execution_options={"gridsurplus_write": True})
        bl_id, bl_secret = add_client(session, "load-test operator", "bl")
        for i in range(n):
            creds[f"site-{i:04d}"] = add_client(session, f"load-test site {i}", "ven")
        session.commit()
    engine.dispose()
    bl = VtnClient.in_process(db, bl_id, bl_secret)
    program = bl.post("/programs", program_body({"currency": "PKR"}, "Asia/Karachi"))
    assert PROGRAM_TARGET in program["targets"]
    events = {}
    for i, (site, (client_id, _)) in enumerate(creds.items()):
        row = {"site": site, "region": f"R{i % 10}", "kind": "mining" if i % 3 else "ai"}
        ven = bl.post("/vens", {"objectType": "BL_VEN_REQUEST", "clientID": client_id,
                                "venName": site, "targets": site_targets(row)})  # fmt: skip
        bl.post("/resources", {"objectType": "BL_RESOURCE_REQUEST", "clientID": client_id,
                               "resourceName": site, "venID": ven["id"],
                               "targets": site_targets(row)})  # fmt: skip
        event = bl.post("/events", {
            "programID": program["id"], "eventName": f"day-ahead {day} {site}", "priority": 100,
            "targets": [f"site:{site}"],
            "intervalPeriod": {"start": f"{day}T00:00:00Z", "duration": "PT1H"},
            "intervals": [{"id": h, "payloads": [
                {"type": "IMPORT_CAPACITY_LIMIT", "values": [1000.0]},
                {"type": "PRICE", "values": [25.0]}]} for h in range(24)],
        })  # fmt: skip
        events[site] = event["id"]
    bl.close()
    return creds, events


async def load(url: str, creds, events, hours: int, rate: float, max_s: float, connections: int):
    import httpx

    sites = list(creds)
    n = len(sites)
    plan = [("token", s, 0) for s in sites]
    for h in range(hours):
        for s in sites:
            plan += [("events", s, h), ("report", s, h)]
    lat: dict[str, list[float]] = {"token": [], "events": [], "report": []}
    errors: list[str] = []
    acked: list[str] = []
    tokens: dict[str, asyncio.Future[str]] = {}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=url + BASE, limits=limits, timeout=30.0) as http:
        loop = asyncio.get_running_loop()
        for s in sites:
            tokens[s] = loop.create_future()

        async def one(kind: str, site: str, hour: int) -> None:
            t0 = time.perf_counter()
            try:
                if kind == "token":
                    r = await http.post("/auth/token", auth=creds[site],
                                        data={"grant_type": "client_credentials"})  # fmt: skip
                    if r.status_code == 200:
                        tokens[site].set_result(r.json()["access_token"])
                else:
                    auth = {"Authorization": f"Bearer {await tokens[site]}"}
                    t0 = time.perf_counter()
                    if kind == "events":
                        r = await http.get("/events", headers=auth, params={"limit": 50})
                    else:
                        body = {"eventID": events[site], "clientName": site, "resources": [{
                            "resourceName": site, "intervals": [{"id": hour, "payloads": [
                                {"type": "USAGE", "values": [980.0 + hour]}]}]}]}  # fmt: skip
                        r = await http.post("/reports", headers=auth, json=body)
                        if r.status_code == 201:
                            acked.append(r.json()["id"])
                lat[kind].append(time.perf_counter() - t0)
                if r.status_code >= 300:
                    errors.append(f"{kind} {r.status_code} {r.text[:120]}")
                    if kind == "token":
                        tokens[site].cancel()
            except (httpx.HTTPError, asyncio.CancelledError) as exc:
                errors.append(f"{kind} {type(exc).__name__}")
                if kind == "token" and not tokens[site].done():
                    tokens[site].cancel()

        start = time.perf_counter()
        tasks = []
        for i, step in enumerate(plan):
            due = start + i / rate
            if due - start > max_s:
                break
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(*step)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    return len(tasks), elapsed, lat, errors, acked, n


def report(label: str, sent: int, elapsed: float, lat, errors, acked, present: set[str]) -> None:
    allv = np.array([x for v in lat.values() for x in v]) * 1000
    print(f"\n== {label}")
    print(f"requests {sent} in {elapsed:.1f} s: {sent / elapsed:.1f} req/s")
    print(
        f"latency all: p50 {np.percentile(allv, 50):.1f} ms, p99 {np.percentile(allv, 99):.1f} ms"
    )
    for kind, values in lat.items():
        v = np.array(values) * 1000
        if len(v):
            print(f"  {kind:7s} n={len(v):5d} p50 {np.percentile(v, 50):6.1f} ms "
                  f"p99 {np.percentile(v, 99):6.1f} ms max {v.max():6.1f} ms")  # fmt: skip
    print(f"errors {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    lost = [r for r in acked if r not in present]
    print(f"reports acknowledged {len(acked)}, lost {len(lost)}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    p.add_argument("--postgres", action="store_true", help="start a throwaway PostgreSQL")
    p.add_argument("--sites", type=int, default=1000)
    p.add_argument("--hours", type=int, default=3, help="simulated hours (1 poll + 1 report)")
    p.add_argument("--rate", type=float, default=200.0, help="requests per second offered")
    p.add_argument("--max-seconds", type=float, default=120.0)
    p.add_argument("--connections", type=int, default=16, help="concurrent connections")
    p.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    args = p.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="vtn-load-"))
    stop_pg = None
    db = args.db
    if args.postgres:
        db, stop_pg = start_postgres(folder)
    db = db or f"sqlite:///{folder / 'vtn.sqlite'}"
    engine_name = "PostgreSQL" if db.startswith("postgres") else "SQLite"
    label = (
        f"{engine_name}, {args.sites} sites, {args.hours} h, {args.rate:g} req/s offered, "
        f"{args.workers} server process(es)"
    )
    day = "2026-12-01"
    server = None
    try:
        t0 = time.perf_counter()
        creds, events = set_up(db, args.sites, day)
        print(
            f"set-up: {args.sites} sites enrolled with events in {time.perf_counter() - t0:.1f} s"
        )
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        server = subprocess.Popen(
            [sys.executable, "-c", "from gridsurplus.cli import main; main()", "serve",
             "--db", db, "--port", str(port), "--rate", "1000", "--workers", str(args.workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=open(folder / "server.log", "w"),  # noqa: SIM115
            start_new_session=True,  # its own process group: workers are killed with it
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        wait_for(url, server, folder / "server.log")
        sent, elapsed, lat, errors, acked, _ = asyncio.run(
            load(url, creds, events, args.hours, args.rate, args.max_seconds, args.connections)
        )
        os.killpg(server.pid, signal.SIGKILL)  # no graceful shutdown: acknowledged must be durable
        server.wait()
        server = None
        from sqlalchemy import text

        from gridsurplus.server.db import open_engine

        engine = open_engine(db)
        with engine.connect() as conn:
            present = {r[0] for r in conn.execute(text("SELECT id FROM report"))}
        engine.dispose()
        report(label, sent, elapsed, lat, errors, acked, present)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGKILL)
        if stop_pg:
            subprocess.run(stop_pg, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
