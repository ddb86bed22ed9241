"""A report acknowledged with 2xx is never lost: SIGKILL the server right after, restart, look."""

from __future__ import annotations

import threading
from typing import Any

import httpx
from vtn_live import LiveServer

from gridsurplus.server.clients import create_client


def _token(base: str, client_id: str, secret: str) -> dict[str, str]:
    response = httpx.post(base + "/auth/token", auth=(client_id, secret), timeout=10)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_acknowledged_reports_survive_sigkill(db_url: str) -> None:
    bl_creds = create_client(db_url, "operator", "bl")
    ven_creds = create_client(db_url, "site-1", "ven")
    server = LiveServer(db_url).start()
    acknowledged: list[str] = []
    try:
        bl = _token(server.base, *bl_creds)
        ven = _token(server.base, *ven_creds)
        program = httpx.post(server.base + "/programs", json={"programName": "surplus"},
                             headers=bl, timeout=10).json()  # fmt: skip
        event = httpx.post(server.base + "/events", json={"programID": program["id"]},
                           headers=bl, timeout=10).json()  # fmt: skip

        def post_reports(worker: int) -> None:
            with httpx.Client(headers=ven, timeout=10) as client:
                for i in range(1000):
                    body: dict[str, Any] = {
                        "eventID": event["id"], "clientName": f"site-1/{worker}/{i}",
                        "resources": [{"resourceName": "miners", "intervals": [
                            {"id": i, "payloads": [{"type": "USAGE", "values": [i]}]}]}],
                    }  # fmt: skip
                    try:
                        response = client.post(server.base + "/reports", json=body)
                    except httpx.TransportError:
                        return  # the server is gone
                    if response.status_code == 201:
                        acknowledged.append(response.json()["id"])
                    if len(acknowledged) >= 60 and worker == 0:
                        server.kill()  # right after a 2xx, with other writes in flight
                        return

        workers = [threading.Thread(target=post_reports, args=(w,)) for w in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=120)
        assert server.process is not None and server.process.returncode == -9
        assert len(acknowledged) >= 60
    finally:
        server.stop()
    restarted = LiveServer(db_url).start()
    try:
        bl = _token(restarted.base, *bl_creds)
        stored: set[str] = set()
        skip = 0
        while True:
            page = httpx.get(restarted.base + "/reports", params={"skip": skip, "limit": 50},
                             headers=bl, timeout=10).json()  # fmt: skip
            stored |= {r["id"] for r in page}
            if len(page) < 50:
                break
            skip += 50
        assert set(acknowledged) <= stored
    finally:
        restarted.stop()
