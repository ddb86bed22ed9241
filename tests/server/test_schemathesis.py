"""schemathesis against the spec's own openadr3.yaml: no server error, spec-valid responses.

Cases are generated once, with a fixed seed (hypothesis ``derandomize``) and a fixed number of
examples per operation, and each is sent to the VTN on SQLite and on PostgreSQL, as BL and as a
VEN; a case with an object id in its path is sent a second time with the id of a real object
(the generated ids almost never exist). Allowlisted, because the YAML itself is wrong there
(see issue 12):

- ``ven`` and ``resource`` responses are not checked against their schemas: ``allOf`` of
  ``objectMetadata`` (objectType VEN/RESOURCE) and ``BlVenRequest`` (objectType BL_VEN_REQUEST)
  can never be satisfied;
- error bodies are problem objects sent as ``application/problem+json`` (RFC 9457, as
  Definition.md describes them), where the YAML declares ``application/json``: only the absence
  of server errors is checked on 4xx;
- the MQTT topic routes are not served (no MQTT notifier is advertised): 404.
Negative (schema-violating) requests are checked only for "no server error".
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from vtn_harness import SPEC
from vtn_live import LiveServer

from gridsurplus.server.clients import create_client

EXAMPLES = {"positive": 6, "negative": 3}  # per operation
UNSATISFIABLE_RESPONSE_SCHEMAS = ("/vens", "/resources")


class Target:
    """One live VTN with a BL token, a VEN token and ids of real objects."""

    def __init__(self, db_url: str) -> None:
        bl = create_client(db_url, "operator", "bl")
        ven = create_client(db_url, "site-1", "ven")
        self.server = LiveServer(db_url).start()
        base = self.server.base
        self.tokens = {role: {"Authorization": "Bearer " + httpx.post(
            base + "/auth/token", auth=creds, timeout=10).json()["access_token"]}
            for role, creds in (("bl", bl), ("ven", ven))}  # fmt: skip

        def post(role: str, path: str, body: dict[str, Any]) -> str:
            answer = httpx.post(base + path, json=body, headers=self.tokens[role], timeout=10)
            assert answer.status_code == 201, answer.text
            return str(answer.json()["id"])

        program = post("bl", "/programs", {"programName": "surplus"})
        event = post("bl", "/events", {"programID": program, "intervals": [
            {"id": 0, "payloads": [{"type": "PRICE", "values": [23.0]}]}]})  # fmt: skip
        ven_id = post("ven", "/vens", {"objectType": "VEN_VEN_REQUEST", "venName": "site-1"})
        self.ids = {
            "programID": program, "eventID": event, "venID": ven_id,
            "resourceID": post("ven", "/resources", {"resourceName": "m", "venID": ven_id}),
            "reportID": post("ven", "/reports", {"eventID": event, "clientName": "site-1",
                                                 "resources": []}),
            "subscriptionID": post("ven", "/subscriptions", {"clientName": "site-1",
                "objectOperations": [{"objects": ["EVENT"], "operations": ["CREATE"],
                                      "callbackUrl": "https://site-1.example/cb"}]}),
        }  # fmt: skip


@pytest.fixture
def targets(tmp_path: Path, pg_cluster: Any) -> Iterator[list[Target]]:
    made: list[Target] = []
    pg_url = pg_cluster.new_database()
    try:
        for url in (f"sqlite:///{tmp_path / 'vtn.sqlite'}", pg_url):
            made.append(Target(url))
        yield made
    finally:
        for target in made:
            target.server.stop()
        pg_cluster.drop_database(pg_url)


def _checks(label: str, status: int) -> list[Any]:
    from schemathesis.checks import not_a_server_error, response_schema_conformance

    path = label.split(" ", 1)[1]
    if status >= 400 or path.startswith(UNSATISFIABLE_RESPONSE_SCHEMAS):
        return [not_a_server_error]
    return [not_a_server_error, response_schema_conformance]


def _send(case: Any, target: Target, mode: str, statuses: dict[int, int],
          failures: list[str]) -> None:  # fmt: skip
    for role, headers in target.tokens.items():
        response = case.call(base_url=target.server.base, headers=headers, timeout=10)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        checks = _checks(case.operation.label, response.status_code)
        try:
            case.validate_response(response, checks=checks if mode == "positive" else checks[:1])
        except Exception as exc:  # collected, all reported at the end
            failures.append(f"{role} {case.operation.label} ({mode}): {exc}"[:800])


def _fuzz(operation: Any, mode: str, targets: list[Target], statuses: dict[int, int],
          failures: list[str]) -> None:  # fmt: skip
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode

    generation = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
    real_ids = [name for name in targets[0].ids if "{" + name + "}" in operation.path]

    @settings(max_examples=EXAMPLES[mode], derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=operation.as_strategy(generation_mode=generation))
    def run(case: Any) -> None:
        for target in targets:
            _send(case, target, mode, statuses, failures)
            if real_ids and case.path_parameters:
                generated = dict(case.path_parameters)
                case.path_parameters.update({n: target.ids[n] for n in real_ids})
                _send(case, target, mode, statuses, failures)
                case.path_parameters.clear()
                case.path_parameters.update(generated)

    try:
        run()
    except Unsatisfiable:  # no way to violate the schema of an operation without inputs
        assert mode == "negative", operation.label


@pytest.mark.slow
def test_schemathesis_finds_no_server_error(targets: list[Target]) -> None:
    import schemathesis

    schema = schemathesis.openapi.from_path(SPEC)
    statuses: dict[int, int] = {}
    failures: list[str] = []
    started = time.monotonic()
    for result in schema.get_all_operations():
        for mode in EXAMPLES:
            _fuzz(result.ok(), mode, targets, statuses, failures)
    elapsed = time.monotonic() - started
    assert not failures, "\n".join(failures[:10])
    assert not any(status >= 500 for status in statuses), statuses
    assert statuses.get(200, 0) + statuses.get(201, 0) > 300, statuses  # real code paths reached
    assert elapsed < 150, f"schemathesis took {elapsed:.0f} s"
