"""3.1 object privacy in detail: granting, ANDed request targets, target hiding, and what a VEN
may not write. Two VENs in every test."""

from __future__ import annotations

from typing import Any

from vtn_world import build


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [o.get("programName") or o.get("eventName") for o in response.json()]


def test_targets_granted_on_a_resource_count_too(bl: Any, ven1: Any, ven2: Any) -> None:
    build(bl, ven1)
    ven_b = ven2.post("/vens", {"objectType": "VEN_VEN_REQUEST", "venName": "site-2"}).json()
    res_b = ven2.post("/resources", {"resourceName": "gpu", "venID": ven_b["id"]}).json()
    assert _names(ven2.get("/programs")) == ["tariff"]
    # BL grants "north" on site-2's resource: the program (targets site-1, north) opens to it
    grant = {**res_b, "clientID": ven_b["clientID"], "targets": ["north"]}
    assert bl.put(f"/resources/{res_b['id']}", grant).status_code == 200
    programs = ven2.get("/programs").json()
    assert [p["programName"] for p in programs] == ["surplus", "tariff"]
    # target hiding: site-2 sees only the target granted to it, never "site-1"
    assert programs[0]["targets"] == ["north"]
    assert ven2.get("/events").json()[0]["targets"] == ["north"]
    assert ven1.get("/events").json()[0]["targets"] == ["site-1"]
    assert bl.get("/events").json()[0]["targets"] == ["site-1", "north"]


def test_request_targets_are_anded_with_the_granted_ones(bl: Any, ven1: Any, ven2: Any) -> None:
    build(bl, ven1)
    assert _names(ven1.get("/programs", params={"targets": ["site-1"]})) == ["surplus"]
    # asking for a target that was not granted gives nothing, even though the program has it
    assert _names(ven1.get("/programs", params={"targets": ["north"]})) == []
    assert _names(ven2.get("/programs", params={"targets": ["site-1"]})) == []
    assert _names(bl.get("/programs", params={"targets": ["north"]})) == ["surplus"]
    # unknown (3.0-style) query parameters are ignored
    assert _names(ven1.get("/programs", params={"targetType": "PROGRAM_NAME",
                                                "targetValues": "x"})) == ["surplus", "tariff"]  # fmt: skip


def test_an_event_is_hidden_when_its_program_is(bl: Any, ven1: Any, ven2: Any) -> None:
    world = build(bl, ven1)
    untargeted = bl.post("/events", {"programID": world.program["id"], "eventName": "open"})
    assert untargeted.status_code == 201
    assert _names(ven2.get("/events")) == []
    assert ven2.get(f"/events/{untargeted.json()['id']}").status_code == 404
    assert _names(ven1.get("/events")) == ["day-ahead", "open"]


def test_a_ven_cannot_write_targets_or_another_client_id(bl: Any, ven1: Any, ven2: Any) -> None:
    world = build(bl, ven1)
    ven = world.ven
    # granting itself a target: 403, and nothing changes
    assert (
        ven1.put(f"/vens/{ven['id']}", {**ven, "targets": ["site-1", "south"]}).status_code == 403
    )
    assert ven2.post("/vens", {"venName": "x", "targets": ["site-1"]}).status_code == 403
    assert ven2.post("/vens", {"venName": "x", "clientID": ven["clientID"]}).status_code == 403
    res = {"resourceName": "r2", "venID": ven["id"], "targets": ["south"]}
    assert ven1.post("/resources", res).status_code == 403
    # sending back what it read (targets granted by BL, its own clientID) is fine
    assert ven1.put(f"/vens/{ven['id']}", {**ven, "attributes": [
        {"type": "LOCATION", "values": [24.8, 67.0]}]}).status_code == 200  # fmt: skip
    assert bl.get(f"/vens/{ven['id']}").json()["targets"] == ["site-1"]


def test_client_id_and_metadata_come_from_the_vtn(bl: Any, ven1: Any, ven2: Any) -> None:
    world = build(bl, ven1)
    forged = {**world.report, "id": "mine", "createdDateTime": "2000-01-01T00:00:00Z",
              "objectType": "PROGRAM", "clientID": "someone-else"}  # fmt: skip
    report = ven1.post("/reports", forged).json()
    assert report["clientID"] == ven1.client_id
    assert report["id"] != "mine" and report["objectType"] == "REPORT"
    assert report["createdDateTime"] > "2020"
    # the ven object a VEN creates carries its clientID
    own = ven2.post("/vens", {"venName": "site-2"}).json()
    assert own["clientID"] == ven2.client_id
    # BL must say whose ven it creates
    assert bl.post("/vens", {"venName": "site-3"}).status_code == 400
    made = bl.post("/vens", {"venName": "site-3", "clientID": "ven_abc", "targets": ["t"]})
    assert made.status_code == 201 and made.json()["targets"] == ["t"]


def test_a_ven_reports_only_on_events_it_can_see(bl: Any, ven1: Any, ven2: Any) -> None:
    world = build(bl, ven1)
    from vtn_world import usage_report

    assert ven2.post("/reports", usage_report(world.event["id"])).status_code == 404
    assert ven2.get("/reports", params={"eventID": world.event["id"]}).json() == []
    assert len(bl.get("/reports", params={"eventID": world.event["id"]}).json()) == 1


def test_listing_and_lookup_by_id_agree(bl: Any, ven1: Any, ven2: Any) -> None:
    """Lists find targeted objects through the target index, lookups probe one object: the
    two query forms must select the same objects, with and without request targets."""
    world = build(bl, ven1)
    for name, targets in [("open", None), ("north", ["north"]), ("site-2", ["site-2"]),
                          ("both", ["site-1", "site-2"]), ("other", ["south"])]:  # fmt: skip
        body = {"programID": world.public_program["id"], "eventName": name}
        if targets:
            body["targets"] = targets
        assert bl.post("/events", body).status_code == 201
    body = {"programID": world.program["id"], "eventName": "untargeted, in a targeted program"}
    assert bl.post("/events", body).status_code == 201
    every = {e["id"]: e["eventName"] for e in bl.get("/events").json()}
    for client in (ven1, ven2, bl):
        for params in ({}, {"targets": ["site-1"]}, {"targets": ["north", "site-2"]}):
            listed = {e["id"] for e in client.get("/events", params=params).json()}
            if not params:
                found = {i for i in every if client.get(f"/events/{i}").status_code == 200}
                assert listed == found, sorted(every[i] for i in listed ^ found)
            assert listed <= set(every)
    assert {every[e["id"]] for e in ven1.get("/events").json()} == {
        "day-ahead", "open", "both", "untargeted, in a targeted program"}  # fmt: skip
    assert {every[e["id"]] for e in ven2.get("/events").json()} == {"open"}
