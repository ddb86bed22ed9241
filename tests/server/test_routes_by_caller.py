"""Every route as BL, as the owning VEN (site-1) and as another VEN (site-2), on both databases.

The expected status of each (route, caller) is written out in one table: 2xx where the caller
may act, 403 where its role may not, 404 where the object is another VEN's or not granted.
"""

from __future__ import annotations

from typing import Any

import pytest
from vtn_world import build, usage_report

# (method, path template, body maker, expected status for bl, owner VEN, other VEN)
# Write rows are run in this order on one world, so deletions come last.
READS = [
    ("GET", "/programs/{program}", None, 200, 200, 404),
    ("GET", "/programs/{public}", None, 200, 200, 200),
    ("GET", "/events/{event}", None, 200, 200, 404),
    ("GET", "/vens/{ven}", None, 200, 200, 404),
    ("GET", "/resources/{resource}", None, 200, 200, 404),
    ("GET", "/reports/{report}", None, 200, 200, 404),
    ("GET", "/subscriptions/{subscription}", None, 200, 200, 404),
    ("GET", "/notifiers", None, 200, 200, 200),
]


def _ids(world: Any) -> dict[str, str]:
    return {
        "program": world.program["id"], "public": world.public_program["id"],
        "event": world.event["id"], "ven": world.ven["id"], "resource": world.resource["id"],
        "report": world.report["id"], "subscription": world.subscription["id"],
    }  # fmt: skip


@pytest.mark.parametrize("route", READS, ids=lambda r: f"{r[0]} {r[1]}")
def test_reads_by_caller(route: tuple, bl: Any, ven1: Any, ven2: Any) -> None:
    method, template, _, *expected = route
    path = template.format(**_ids(build(bl, ven1)))
    got = [caller.http.request(method, "/openadr3/3.1.0" + path).status_code
           for caller in (bl, ven1, ven2)]  # fmt: skip
    assert got == expected


def test_lists_by_caller(bl: Any, ven1: Any, ven2: Any) -> None:
    world = build(bl, ven1)
    counts = {}
    for name, caller in (("bl", bl), ("owner", ven1), ("other", ven2)):
        counts[name] = [len(caller.get(p).json()) for p in
                        ("/programs", "/events", "/vens", "/resources", "/reports",
                         "/subscriptions")]  # fmt: skip
    assert counts == {
        "bl": [2, 1, 1, 1, 1, 1],
        "owner": [2, 1, 1, 1, 1, 1],
        "other": [1, 0, 0, 0, 0, 0],  # only the untargeted program
    }
    assert world.public_program["id"] == ven2.get("/programs").json()[0]["id"]


def _writes(world: Any) -> list[tuple[str, str, Any, int, int, int]]:
    ids = _ids(world)
    program_body = {"programName": "surplus", "targets": ["site-1", "north"]}
    event_body = {"programID": ids["program"], "targets": ["site-1"], "priority": 5}
    ven_body = {"objectType": "VEN_VEN_REQUEST", "venName": "site-1"}
    res_body = {"objectType": "VEN_RESOURCE_REQUEST", "resourceName": "miners",
                "venID": ids["ven"]}  # fmt: skip
    sub_body = {
        "clientName": "x",
        "objectOperations": [
            {"objects": ["PROGRAM"], "operations": ["UPDATE"], "callbackUrl": "https://x.example/c"}
        ],
    }
    # PUT of VEN objects by BL needs clientID (BlVenRequest / BlResourceRequest)
    owner_id = world.ven["clientID"]
    return [
        ("POST", "/programs", {"programName": "new"}, 201, 403, 403),
        ("PUT", f"/programs/{ids['program']}", program_body, 200, 403, 403),
        ("POST", "/events", event_body, 201, 403, 403),
        ("PUT", f"/events/{ids['event']}", event_body, 200, 403, 403),
        ("POST", "/reports", usage_report(ids["event"]), 403, 201, 404),
        ("PUT", f"/reports/{ids['report']}", usage_report(ids["event"], 90.0), 403, 200, 404),
        ("POST", "/subscriptions", sub_body, 201, 201, 201),
        ("PUT", f"/subscriptions/{ids['subscription']}", sub_body, 200, 200, 404),
        (
            "PUT",
            f"/vens/{ids['ven']}",
            {**ven_body, "clientID": owner_id, "targets": ["site-1"]},
            200,
            200,
            404,
        ),
        ("PUT", f"/resources/{ids['resource']}", {**res_body, "clientID": owner_id}, 200, 200, 404),
    ]


def test_writes_by_caller(bl: Any, ven1: Any, ven2: Any) -> None:
    world = build(bl, ven1)
    got, expected = [], []
    for method, path, body, *want in _writes(world):
        for caller in (ven2, ven1, bl):  # the other VEN first: its attempts must change nothing
            # a second POST of the same programName would be 409, so vary it per caller
            payload = dict(body)
            if path == "/programs":
                payload["programName"] = f"new-{caller.name}"
            got.append((method, path, caller.name,
                        caller.http.request(method, "/openadr3/3.1.0" + path, json=payload)
                        .status_code))  # fmt: skip
        expected += [(method, path, name, status) for name, status in
                     zip(("site-2", "site-1", "operator"), want[::-1], strict=True)]  # fmt: skip
    assert got == expected


@pytest.mark.parametrize("kind", ["subscription", "report", "resource", "ven"])
def test_delete_by_caller(kind: str, bl: Any, ven1: Any, ven2: Any) -> None:
    world = build(bl, ven1)
    path = f"/{kind}s/{getattr(world, kind)['id']}"
    assert ven2.delete(path).status_code == 404
    if kind == "report":  # only VENs write reports, BL included in "write"
        assert bl.delete(path).status_code == 403
        assert ven1.delete(path).status_code == 200
    else:
        assert ven1.delete(path).status_code == 200
    assert bl.get(path).status_code == 404


def test_delete_program_and_event(bl: Any, ven1: Any, ven2: Any) -> None:
    world = build(bl, ven1)
    event_path = f"/events/{world.event['id']}"
    for caller in (ven1, ven2):
        assert caller.delete(event_path).status_code == 403
        assert caller.delete(f"/programs/{world.public_program['id']}").status_code == 403
    # reports are never lost by deleting what they report on
    assert bl.delete(event_path).status_code == 409
    assert bl.delete(f"/programs/{world.program['id']}").status_code == 409
    assert ven1.delete(f"/reports/{world.report['id']}").status_code == 200
    assert bl.delete(event_path).json()["id"] == world.event["id"]
    assert bl.delete(f"/programs/{world.public_program['id']}").status_code == 200
    assert [p["programName"] for p in bl.get("/programs").json()] == ["surplus"]
