"""Lenient in, strict out; paging, filters, unique names; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from typing import Any

import pytest

RFC3339_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def _walk(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value, *[x for v in value.values() for x in _walk(v)]]
    if isinstance(value, list):
        return [x for v in value for x in _walk(v)]
    return [value]


def test_explicit_nulls_and_unknown_members_are_accepted(bl: Any) -> None:
    program = bl.post("/programs", {
        "programName": "surplus", "intervalPeriod": None, "payloadDescriptors": None,
        "programLongName": "a 3.0 member", "targets": None, "attributes": None,
    }).json()  # fmt: skip
    event = bl.post("/events", {
        "programID": program["id"], "duration": None, "intervalPeriod": None,
        "payloadDescriptors": None, "eventName": None,
        "intervals": [{"id": 0, "intervalPeriod": None,
                       "payloads": [{"type": "PRICE", "values": [21.5]}]}],
    })  # fmt: skip
    assert event.status_code == 201, event.text
    body = event.json()
    assert None not in _walk(body)
    assert "programLongName" not in program and "duration" not in body
    assert body["intervals"][0] == {"id": 0, "payloads": [{"type": "PRICE", "values": [21.5]}]}


def test_times_leave_in_utc_with_z(bl: Any) -> None:
    program = bl.post("/programs", {"programName": "p", "intervalPeriod": {
        "start": "2026-12-01T05:00:00+05:00", "duration": "P1D"}}).json()  # fmt: skip
    assert program["intervalPeriod"] == {"start": "2026-12-01T00:00:00Z", "duration": "P1D"}
    for key in ("createdDateTime", "modificationDateTime"):
        assert RFC3339_Z.match(program[key]), program[key]


@pytest.mark.parametrize(
    "body",
    [
        {},  # programName is required
        {"programName": ""},
        {"programName": "p", "intervalPeriod": {"duration": "1 day"}},
        {"programName": "p", "intervalPeriod": {"start": "yesterday"}},
        {"programName": "p", "targets": "not-a-list"},
        ["not", "an", "object"],
    ],
)
def test_bad_bodies_are_400_problems(bl: Any, body: Any) -> None:
    response = bl.post("/programs", body)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 400 and response.json()["detail"]


def test_program_name_is_unique(bl: Any) -> None:
    first = bl.post("/programs", {"programName": "surplus"}).json()
    assert bl.post("/programs", {"programName": "surplus"}).status_code == 409
    other = bl.post("/programs", {"programName": "other"}).json()
    assert bl.put(f"/programs/{other['id']}", {"programName": "surplus"}).status_code == 409
    renamed = bl.put(f"/programs/{first['id']}", {"programName": "surplus", "targets": ["a"]})
    assert renamed.status_code == 200
    assert renamed.json()["createdDateTime"] == first["createdDateTime"]
    assert renamed.json()["modificationDateTime"] > first["modificationDateTime"]


def test_paging_is_stable_and_capped(bl: Any) -> None:
    ids = [bl.post("/programs", {"programName": f"p{i:02d}"}).json()["id"] for i in range(53)]
    assert [p["id"] for p in bl.get("/programs").json()] == ids[:50]  # default page: 50
    pages = [bl.get("/programs", params={"skip": s, "limit": 20}).json() for s in (0, 20, 40)]
    assert [p["id"] for page in pages for p in page] == ids
    assert bl.get("/programs", params={"limit": 51}).status_code == 400
    assert bl.get("/programs", params={"skip": -1}).status_code == 400
    assert bl.get("/programs", params={"limit": 0}).json() == []


def test_filters_are_anded(bl: Any, ven1: Any) -> None:
    a = bl.post("/programs", {"programName": "a"}).json()["id"]
    b = bl.post("/programs", {"programName": "b"}).json()["id"]
    for program, targets in ((a, ["x"]), (a, ["y"]), (b, ["x"])):
        assert bl.post("/events", {"programID": program, "targets": targets}).status_code == 201
    found = bl.get("/events", params={"programID": a, "targets": ["x"]}).json()
    assert [(e["programID"], e["targets"]) for e in found] == [(a, ["x"])]
    assert len(bl.get("/events", params={"programID": a}).json()) == 2
    assert bl.get("/events", params={"programID": "nope"}).json() == []


def test_event_needs_an_existing_program(bl: Any) -> None:
    response = bl.post("/events", {"programID": "missing"})
    assert response.status_code == 404 and "missing" in response.json()["detail"]


def test_subscription_callback_must_be_https(ven1: Any) -> None:
    body = {
        "clientName": "s",
        "objectOperations": [
            {"objects": ["EVENT"], "operations": ["CREATE"], "callbackUrl": "http://x.example/cb"}
        ],
    }
    assert ven1.post("/subscriptions", body).status_code == 400
    body["objectOperations"][0]["callbackUrl"] = "https://x.example/cb"
    made = ven1.post("/subscriptions", body)
    assert made.status_code == 201 and made.json()["clientID"] == ven1.client_id
    assert len(ven1.get("/subscriptions", params={"objects": ["EVENT"]}).json()) == 1
    assert ven1.get("/subscriptions", params={"objects": ["REPORT"]}).json() == []


def test_notifiers_do_not_advertise_webhooks(ven1: Any) -> None:
    assert ven1.get("/notifiers").json() == {"WEBHOOK": False}


def test_unknown_url_is_a_404_problem(bl: Any) -> None:
    response = bl.get("/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_ven_names_unique_and_resource_names_unique_per_ven(bl: Any, ven1: Any, ven2: Any) -> None:
    a = ven1.post("/vens", {"venName": "site-1"}).json()
    assert ven2.post("/vens", {"venName": "site-1"}).status_code == 409
    b = ven2.post("/vens", {"venName": "site-2"}).json()
    assert ven1.post("/resources", {"resourceName": "m", "venID": a["id"]}).status_code == 201
    assert ven1.post("/resources", {"resourceName": "m", "venID": a["id"]}).status_code == 409
    assert ven2.post("/resources", {"resourceName": "m", "venID": b["id"]}).status_code == 201
    # a VEN cannot add a resource to another's ven: it does not exist for it
    assert ven2.post("/resources", {"resourceName": "n", "venID": a["id"]}).status_code == 404
    found = bl.get("/resources", params={"venID": a["id"], "resourceName": "m"}).json()
    assert [(r["venID"], r["clientID"]) for r in found] == [(a["id"], ven1.client_id)]


def test_active_leaves_out_events_that_are_over(bl: Any, ven1: Any) -> None:
    program = bl.post("/programs", {"programName": "p"}).json()["id"]
    hourly = [{"id": h, "payloads": [{"type": "PRICE", "values": [1.0]}]} for h in range(24)]
    bodies = {
        "past": {"intervalPeriod": {"start": "2020-01-01T00:00:00Z", "duration": "PT1H"},
                 "intervals": hourly},
        "future": {"intervalPeriod": {"start": "2099-01-01T00:00:00Z", "duration": "PT1H"},
                   "intervals": hourly},
        "open-ended": {"intervalPeriod": {"start": "2020-01-01T00:00:00Z", "duration": "P9999Y"},
                       "intervals": hourly[:1]},
        "now": {"intervalPeriod": {"start": "0001-01-01T00:00:00Z", "duration": "PT1H"},
                "intervals": hourly[:1]},
    }  # fmt: skip
    for name, body in bodies.items():
        made = bl.post("/events", {"programID": program, "eventName": name, **body})
        assert made.status_code == 201, made.text
    active = [e["eventName"] for e in ven1.get("/events", params={"active": "true"}).json()]
    assert active == ["future", "open-ended", "now"]
    assert len(ven1.get("/events", params={"active": "false"}).json()) == 4
