"""Load test of the VTN: many simulated sites polling events and posting hourly usage reports.

    PYTHONPATH=src python benchmarks/vtn_load.py                      # SQLite, 1,000 sites
    PYTHONPATH=src python benchmarks/vtn_load.py --postgres           # a throwaway PostgreSQL
    PYTHONPATH=src python benchmarks/vtn_load.py --db postgresql://... # a given database

Set-up (not timed): the surplus-power program, one VEN client, ven and resource per site and
one day-ahead event per site, written through the VTN's own routes in this process. Then
``gridsurplus serve`` runs in its own process on 127.0.0.1 and an open-loop load generator
(one asyncio loop, a lean HTTP/1.1 client on ``--connections`` keep-alive connections) sends,
at a fixed rate: one token request per site, then for each simulated hour one ``GET /events``
and one ``POST /reports`` (one hourly ``USAGE`` interval) per site. Bounded in count (sites x
(1 + 2 x hours) requests) and in time (``--max-seconds``).

Latency runs from the time a request is scheduled (for a poll or a report, from when its
site's token arrived, if later) until its whole answer is read: time spent waiting for a free
connection, or for the generator itself, counts.

Printed: requests per second achieved, p50/p99 latency (all, and per kind), how late the
generator started requests, errors (non-2xx or transport failures) and lost reports
(acknowledged with 201 but absent from the database after the server is SIGKILLed).
Target: p99 below 100 ms at 200 requests/s on SQLite, none lost.
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


class Http:
    """A lean HTTP/1.1 client: keep-alive connections, at most ``connections`` of them at once.

    httpx costs about a millisecond of CPU per request; at 200 requests/s that is a quarter of
    a core taken from the server it measures on a 2-core machine. This client writes the
    request line and headers itself and reads a ``Content-Length`` (or chunked) answer; a
    request waits for a free connection, and that wait counts in its latency.
    """

    def __init__(self, url: str, connections: int) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.free: asyncio.Queue = asyncio.Queue()
        for _ in range(connections):
            self.free.put_nowait(None)  # opened when first used

    async def request(self, method: str, path: str, headers: dict[str, str], body: bytes = b""):
        """``(status, body)`` of one request; OSError/ValueError/IncompleteReadError on failure."""
        conn = await self.free.get()
        try:
            if conn is None:
                conn = await asyncio.open_connection(self.host, self.port)
            reader, writer = conn
            lines = [
                f"{method} {BASE}{path} HTTP/1.1",
                f"Host: {self.host}:{self.port}",
                f"Content-Length: {len(body)}",
                *(f"{k}: {v}" for k, v in headers.items()),
            ]
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            status = int((await reader.readline()).split()[1])
            length, chunked, close = 0, False, False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                name, value = name.strip().lower(), value.strip().lower()
                length = int(value) if name == "content-length" else length
                chunked = chunked or (name == "transfer-encoding" and "chunked" in value)
                close = close or (name == "connection" and value == "close")
            data = b""
            if chunked:
                while size := int((await reader.readline()).split(b";")[0], 16):
                    data += (await reader.readexactly(size + 2))[:-2]
                await reader.readline()
            else:
                data = await reader.readexactly(length)
            if close:
                writer.close()
                conn = None
            return status, data
        except BaseException:
            if conn is not None:
                conn[1].close()
                conn = None
            raise
        finally:
            self.free.put_nowait(conn)


async def load(url: str, creds, events, hours: int, rate: float, max_s: float, connections: int):
    """Offer the plan at ``rate``; latency runs from each request's scheduled time (for a poll
    or report, from when its site's token arrived if that was later) to its full answer."""
    import base64
    import json

    sites = list(creds)
    plan = [("token", s, 0) for s in sites]
    for h in range(hours):
        for s in sites:
            plan += [("events", s, h), ("report", s, h)]
    lat: dict[str, list[float]] = {"token": [], "events": [], "report": []}
    lag: list[float] = []
    errors: list[str] = []
    acked: list[str] = []
    http = Http(url, connections)
    loop = asyncio.get_running_loop()
    tokens: dict[str, asyncio.Future[tuple[str, float]]] = {s: loop.create_future() for s in sites}
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    async def one(kind: str, site: str, hour: int, due: float) -> None:
        lag.append(time.perf_counter() - due)
        t0 = due
        try:
            if kind == "token":
                basic = base64.b64encode(":".join(creds[site]).encode()).decode()
                status, data = await asyncio.wait_for(http.request(
                    "POST", "/auth/token", {**form, "Authorization": f"Basic {basic}"},
                    b"grant_type=client_credentials"), 30.0)  # fmt: skip
                if status == 200:
                    tokens[site].set_result((json.loads(data)["access_token"], time.perf_counter()))
            else:
                token, ready = await tokens[site]
                t0 = max(due, ready)
                auth = {"Authorization": f"Bearer {token}"}
                if kind == "events":
                    request = http.request("GET", "/events?limit=50", auth)
                else:
                    body = {"eventID": events[site], "clientName": site, "resources": [{
                        "resourceName": site, "intervals": [{"id": hour, "payloads": [
                            {"type": "USAGE", "values": [980.0 + hour]}]}]}]}  # fmt: skip
                    request = http.request(
                        "POST",
                        "/reports",
                        {**auth, "Content-Type": "application/json"},
                        json.dumps(body).encode(),
                    )
                status, data = await asyncio.wait_for(request, 30.0)
                if status == 201:
                    acked.append(json.loads(data)["id"])
            lat[kind].append(time.perf_counter() - t0)
            if status >= 300:
                errors.append(f"{kind} {status} {data[:120]!r}")
                if kind == "token":
                    tokens[site].cancel()
        except (OSError, ValueError, IndexError, TimeoutError, asyncio.IncompleteReadError,
                asyncio.CancelledError) as exc:  # fmt: skip
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
        tasks.append(asyncio.create_task(one(*step, due)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    while not http.free.empty():
        conn = http.free.get_nowait()
        if conn is not None:
            conn[1].close()
    return len(tasks), elapsed, lat, errors, acked, lag


def report(
    label: str, sent: int, elapsed: float, lat, errors, acked, present: set[str], lag
) -> None:
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
    lag_ms = np.array(lag) * 1000
    print(f"generator lag (task start - scheduled time): p99 {np.percentile(lag_ms, 99):.1f} ms, "
          f"max {lag_ms.max():.1f} ms")  # fmt: skip
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
        sent, elapsed, lat, errors, acked, lag = asyncio.run(
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
        report(label, sent, elapsed, lat, errors, acked, present, lag)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGKILL)
        if stop_pg:
            subprocess.run(stop_pg, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
