"""OAuth2 client credentials: Basic or form body, expires_in, many tokens, 401 and 403."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session
from vtn_harness import API

from gridsurplus.server.clients import add_client


def _client(vtn: Any, name: str, role: str) -> tuple[str, str]:
    with Session(vtn.app.state.vtn.engine) as session:
        created = add_client(session, name, role)
        session.commit()
    return created


def test_auth_server_names_the_token_endpoint(vtn: Any) -> None:
    response = vtn.anonymous.get(API + "/auth/server")
    assert response.status_code == 200
    assert response.json() == {"tokenURL": "http://testserver/openadr3/3.1.0/auth/token"}


def test_token_from_form_body_and_from_basic_header(vtn: Any) -> None:
    client_id, secret = _client(vtn, "site-9", "ven")
    form = vtn.anonymous.post(API + "/auth/token", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})  # fmt: skip
    basic = vtn.anonymous.post(
        API + "/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )
    for response in (form, basic):
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    # many live tokens per client: both work
    for response in (form, basic):
        headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
        assert vtn.anonymous.get(API + "/programs", headers=headers).status_code == 200
    assert form.json()["access_token"] != basic.json()["access_token"]


def test_secrets_and_tokens_are_stored_hashed(vtn: Any) -> None:
    client_id, secret = _client(vtn, "site-9", "ven")
    token = vtn.anonymous.post(API + "/auth/token", auth=(client_id, secret)).json()
    with vtn.app.state.vtn.engine.connect() as conn:
        stored = [str(v) for row in conn.execute(text("SELECT * FROM client")) for v in row]
        stored += [str(v) for row in conn.execute(text("SELECT * FROM access_token")) for v in row]
    assert not any(secret in v or token["access_token"] in v for v in stored)


@pytest.mark.parametrize(
    ("data", "auth", "status", "error"),
    [
        ({"grant_type": "client_credentials"}, ("nobody", "x"), 401, "invalid_client"),
        ({"grant_type": "client_credentials"}, None, 401, "invalid_client"),
        ({"grant_type": "password"}, "good", 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials"}, "wrong-secret", 401, "invalid_client"),
    ],
)
def test_bad_credentials(vtn: Any, data: dict, auth: Any, status: int, error: str) -> None:
    client_id, secret = _client(vtn, "site-9", "ven")
    if auth == "good":
        auth = (client_id, secret)
    elif auth == "wrong-secret":
        auth = (client_id, secret + "x")
    response = vtn.anonymous.post(API + "/auth/token", data=data, auth=auth)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["error"] == error and response.json()["status"] == status


ROUTES = ["/programs", "/events", "/reports", "/subscriptions", "/vens", "/resources",
          "/notifiers", "/programs/x", "/events/x", "/vens/x"]  # fmt: skip


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Basic abc", "Bearer "])
def test_missing_or_bad_token_is_401_everywhere(vtn: Any, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    for path in ROUTES:
        response = vtn.anonymous.get(API + path, headers=headers)
        assert response.status_code == 401, path
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"].startswith("Bearer")
    response = vtn.anonymous.post(API + "/programs", json={"programName": "p"}, headers=headers)
    assert response.status_code == 401


def test_expired_token_is_401(db_url: str) -> None:
    import time

    from vtn_harness import Vtn

    short = Vtn(db_url, token_lifetime_s=1)
    try:
        ven = short.caller("site-1", "ven")
        assert ven.get("/programs").status_code == 200  # checked, and now cached
        time.sleep(1.1)
        assert ven.get("/programs").status_code == 401
    finally:
        short.close()


def test_wrong_role_is_403_before_the_body_is_read(bl: Any, ven1: Any) -> None:
    # a VEN may not write programs or events, BL may not write reports: 403 even for bad bodies
    assert ven1.post("/programs", {"programName": "p"}).status_code == 403
    assert ven1.post("/programs", {"no": "name"}).status_code == 403
    assert ven1.post("/events", {"programID": "x"}).status_code == 403
    assert bl.post("/reports", {"eventID": "x"}).status_code == 403
    problem = ven1.post("/programs", {"programName": "p"}).json()
    assert problem["title"] == "Forbidden" and "BL" in problem["detail"]
