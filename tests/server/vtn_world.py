"""A small world on the VTN: one program and event granted to site-1 only, and the objects
site-1 owns (ven, resource, report, subscription). Shared by the privacy and route tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class World:
    program: dict[str, Any]
    public_program: dict[str, Any]
    event: dict[str, Any]
    ven: dict[str, Any]
    resource: dict[str, Any]
    report: dict[str, Any]
    subscription: dict[str, Any]


def usage_report(event_id: str, kwh: float = 100.0) -> dict[str, Any]:
    return {
        "eventID": event_id,
        "clientName": "site-1",
        "payloadDescriptors": [{"objectType": "REPORT_PAYLOAD_DESCRIPTOR",
                                "payloadType": "USAGE", "units": "KWH"}],
        "resources": [{"resourceName": "miners", "intervals": [
            {"id": 0, "payloads": [{"type": "USAGE", "values": [kwh]}]}]}],
    }  # fmt: skip


def build(bl: Any, ven1: Any) -> World:
    def ok(response: Any, status: int = 201) -> dict[str, Any]:
        assert response.status_code == status, response.text
        return response.json()

    program = ok(bl.post("/programs", {"programName": "surplus", "targets": ["site-1", "north"]}))
    public = ok(bl.post("/programs", {"programName": "tariff"}))
    ven = ok(ven1.post("/vens", {"objectType": "VEN_VEN_REQUEST", "venName": "site-1"}))
    ven = ok(bl.put(f"/vens/{ven['id']}", {**ven, "targets": ["site-1"]}), 200)
    resource = ok(ven1.post("/resources", {"objectType": "VEN_RESOURCE_REQUEST",
                                           "resourceName": "miners", "venID": ven["id"]}))  # fmt: skip
    event = ok(bl.post("/events", {
        "programID": program["id"], "eventName": "day-ahead", "priority": 10,
        "targets": ["site-1", "north"],
        "intervalPeriod": {"start": "2026-12-01T00:00:00Z", "duration": "PT1H"},
        "intervals": [{"id": 0, "payloads": [{"type": "IMPORT_CAPACITY_LIMIT", "values": [500]}]}],
    }))  # fmt: skip
    report = ok(ven1.post("/reports", usage_report(event["id"])))
    subscription = ok(ven1.post("/subscriptions", {
        "clientName": "site-1", "programID": program["id"],
        "objectOperations": [{"objects": ["EVENT"], "operations": ["CREATE"],
                              "callbackUrl": "https://site-1.example/cb"}],
    }))  # fmt: skip
    return World(program, public, event, ven, resource, report, subscription)
