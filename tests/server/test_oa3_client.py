"""python-oa3-client (on PyPI, written by others, speaks 3.1.0) drives the VTN as real VENs and
as BL over a real uvicorn on 127.0.0.1: registration, targeting, events, reports, privacy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from openadr3_client import BlClient, VenClient
from vtn_live import LiveServer

from gridsurplus.server.clients import create_client


@pytest.fixture
def server(db_url: str) -> Iterator[LiveServer]:
    live = LiveServer(db_url).start()
    yield live
    live.stop()


def _clients(db_url: str, base: str) -> tuple[Any, Any, Any]:
    def start(kind: type, name: str, role: str) -> Any:
        client_id, secret = create_client(db_url, name, role)
        return kind(url=base, client_id=client_id, client_secret=secret).start()

    return (start(BlClient, "operator", "bl"), start(VenClient, "site-a", "ven"),
            start(VenClient, "site-b", "ven"))  # fmt: skip


def test_a_day_with_python_oa3_client(db_url: str, server: LiveServer) -> None:
    bl, site_a, site_b = _clients(db_url, server.base)
    try:
        # sites register themselves (find-or-create by venName, idempotent)
        site_a.register("site-a")
        site_b.register("site-b")
        assert site_a.register("site-a").ven_id == site_a.ven_id
        # BL grants site-a its target on its ven object
        ven_a = bl.ven(site_a.ven_id)
        granted = {**ven_a._raw, "objectType": "BL_VEN_REQUEST", "targets": ["site-a"]}
        assert bl.update_ven(site_a.ven_id, granted).status_code == 200
        # BL publishes the programme and a day-ahead event for site-a only
        program = bl.create_program({
            "programName": "surplus-power", "targets": ["site-a"],
            "payloadDescriptors": [
                {"objectType": "EVENT_PAYLOAD_DESCRIPTOR", "payloadType": "IMPORT_CAPACITY_LIMIT",
                 "units": "KW"},
                {"objectType": "EVENT_PAYLOAD_DESCRIPTOR", "payloadType": "PRICE",
                 "units": "KWH", "currency": "PKR"}],
        })  # fmt: skip
        assert program.status_code == 201, program.text
        event = bl.create_event({
            "programID": program.json()["id"], "eventName": "2026-12-01", "priority": 10,
            "targets": ["site-a"],
            "intervalPeriod": {"start": "2026-12-01T00:00:00Z", "duration": "PT1H"},
            "reportDescriptors": [{"payloadType": "USAGE", "units": "KWH"}],
            "intervals": [{"id": h, "payloads": [
                {"type": "IMPORT_CAPACITY_LIMIT", "values": [5000 - 100 * h]},
                {"type": "PRICE", "values": [23.0]}]} for h in range(24)],
        })  # fmt: skip
        assert event.status_code == 201, event.text
        # site-a finds the program by name and reads its event, typed by the client library
        assert site_a.resolve_program_id("surplus-power") == program.json()["id"]
        events = site_a.events(programID=program.json()["id"])
        assert [e.event_name for e in events] == ["2026-12-01"]
        hours = events[0].resolved_intervals()
        assert len(hours) == 24 and hours[23].interval_period.start.hour == 23
        # site-b sees neither the program nor the event
        assert site_b.find_program_by_name("surplus-power") is None
        assert site_b.events() == []
        assert site_b.get_event_by_id(event.json()["id"]).status_code == 404
        # site-a reports its usage; BL reads it, site-b cannot
        report = site_a.create_report({
            "eventID": event.json()["id"], "clientName": "site-a",
            "resources": [{"resourceName": "miners", "intervals": [
                {"id": h, "payloads": [{"type": "USAGE", "values": [4000.0]}]}
                for h in range(24)]}],
        })  # fmt: skip
        assert report.status_code == 201, report.text
        [stored] = bl.reports(eventID=event.json()["id"])
        assert stored.client_id == site_a.client_id
        assert site_b.get_report_by_id(report.json()["id"]).status_code == 404
        assert site_b.reports() == []
        # each site sees only its own ven object
        assert [v.ven_name for v in site_b.vens()] == ["site-b"]
        assert sorted(v.ven_name for v in bl.vens()) == ["site-a", "site-b"]
        assert site_a.discover_notifiers() == {"WEBHOOK": False}
        assert not site_a.vtn_supports_mqtt()
    finally:
        for client in (bl, site_a, site_b):
            client.stop()
