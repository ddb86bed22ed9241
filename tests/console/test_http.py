"""The console over plain HTTP: who gets in, cookies, CSRF on every form, security headers."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gridsurplus.server.console import session
from tests.console.programme import add


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    from gridsurplus.server.site import create_site as create_app

    application = create_app(f"sqlite:///{tmp_path / 'vtn.sqlite'}")
    yield application
    application.state.console.close()
    application.state.vtn.engine.dispose()


def client(app: Any, base: str = "http://testserver") -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient

        return TestClient(app, base_url=base, follow_redirects=False)


def token_in(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def sign_in(c: Any, client_id: str, secret: str, csrf: str | None = "from-form") -> Any:
    form = {"client_id": client_id, "client_secret": secret}
    page = c.get("/")
    if csrf == "from-form":
        form["csrf"] = token_in(page.text)
    elif csrf is not None:
        form["csrf"] = csrf
    return c.post("/console/signin", data=form)


def cookie_header(response: Any, name: str) -> str:
    for value in response.headers.get_list("set-cookie"):
        if value.startswith(name + "="):
            return value
    raise AssertionError(f"no {name} cookie in {response.headers.get_list('set-cookie')}")


def test_an_operator_signs_in_with_a_strict_httponly_cookie_and_signs_out(app: Any) -> None:
    cid, secret = add(app, "control room", "bl")
    c = client(app)
    first = c.get("/")
    assert first.status_code == 200 and 'name="client_secret"' in first.text
    assert "Content-Security-Policy" in first.headers
    assert "script-src 'self'" in first.headers["Content-Security-Policy"]
    r = sign_in(c, cid, secret)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = cookie_header(r, session.SESSION_COOKIE).lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    page = c.get("/")
    assert f"Signed in as <code>{cid}</code>" in page.text
    assert "No programme yet" in page.text  # nothing enrolled on this server
    out = c.post("/console/signout", data={"csrf": token_in(page.text)})
    assert out.status_code == 303
    assert 'name="client_secret"' in c.get("/").text


def test_the_cookie_is_secure_over_https(app: Any) -> None:
    cid, secret = add(app, "control room", "bl")
    c = client(app, "https://console.example")
    r = sign_in(c, cid, secret)
    assert r.status_code == 303
    assert "secure" in cookie_header(r, session.SESSION_COOKIE).lower()


@pytest.mark.parametrize("who", ["wrong secret", "unknown id", "ven", "empty"])
def test_wrong_secrets_and_a_vens_credentials_do_not_get_in(app: Any, who: str) -> None:
    bl_id, bl_secret = add(app, "control room", "bl")
    ven_id, ven_secret = add(app, "site btc@KE", "ven")
    cid, secret, message = {
        "wrong secret": (bl_id, bl_secret + "x", session.REFUSED),
        "unknown id": ("bl_nobody", bl_secret, session.REFUSED),
        "ven": (ven_id, ven_secret, session.NOT_OPERATOR),
        "empty": ("", "", session.REFUSED),
    }[who]
    c = client(app)
    r = sign_in(c, cid, secret)
    assert r.status_code == 401
    assert message.replace("'", "&#39;") in r.text
    assert session.SESSION_COOKIE not in r.headers.get("set-cookie", "")
    assert 'name="client_secret"' in c.get("/").text


def test_the_sign_in_form_needs_its_own_csrf_token(app: Any) -> None:
    cid, secret = add(app, "control room", "bl")
    c = client(app)
    assert sign_in(c, cid, secret, csrf=None).status_code == 403
    assert sign_in(c, cid, secret, csrf="forged").status_code == 403
    other = client(app)  # a token from another browser's form does not fit this cookie
    stolen = token_in(other.get("/").text)
    assert sign_in(c, cid, secret, csrf=stolen).status_code == 403
    assert sign_in(c, cid, secret).status_code == 303


@pytest.mark.parametrize(
    "path",
    ["/console/publish", "/console/curtail/preview", "/console/curtail", "/console/settlement",
     "/console/signout"],
)  # fmt: skip
def test_every_form_post_without_the_sessions_token_is_refused(app: Any, path: str) -> None:
    cid, secret = add(app, "control room", "bl")
    c = client(app)
    assert sign_in(c, cid, secret).status_code == 303
    page = c.get("/")
    assert c.post(path, data={"month": "2026-12"}).status_code == 403
    assert c.post(path, data={"csrf": "forged", "month": "2026-12"}).status_code == 403
    other = client(app)
    assert sign_in(other, cid, secret).status_code == 303
    foreign = token_in(other.get("/").text)  # the same operator's other session
    assert c.post(path, data={"csrf": foreign, "month": "2026-12"}).status_code == 403
    assert f"Signed in as <code>{cid}</code>" in c.get("/").text  # still signed in
    assert token_in(page.text) != foreign


def test_without_a_session_nothing_is_shown_or_done(app: Any) -> None:
    c = client(app)
    assert c.post("/console/publish", data={"csrf": "x"}).status_code == 401
    assert c.get("/console/live").status_code == 401
    assert c.get("/console/sites/btc@KE/live").status_code == 401
    r = c.get("/console/sites/btc@KE")
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_a_forged_cookie_or_a_new_secret_ends_the_session(app: Any) -> None:
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from gridsurplus.server.clients import hash_secret
    from gridsurplus.server.db.models import Client

    cid, secret = add(app, "control room", "bl")
    c = client(app)
    sign_in(c, cid, secret)
    value = c.cookies.get(session.SESSION_COOKIE)
    payload, mac = value.split(".")
    c.cookies.set(session.SESSION_COOKIE, payload + "." + mac[:-2] + "AA")
    assert 'name="client_secret"' in c.get("/").text
    c.cookies.set(session.SESSION_COOKIE, value)
    assert "Signed in as" in c.get("/").text
    with Session(app.state.vtn.engine) as db:
        db.execute(update(Client).where(Client.client_id == cid).values(
            secret_hash=hash_secret("rotated")))  # fmt: skip
        db.commit()
    assert 'name="client_secret"' in c.get("/").text


def test_static_files_are_served_by_the_server(app: Any) -> None:
    c = client(app)
    for name, kind in [
        ("console.js", "javascript"),
        ("console.css", "css"),
        ("favicon.svg", "svg"),
    ]:
        r = c.get(f"/console/static/{name}")
        assert r.status_code == 200 and kind in r.headers["content-type"]
    assert "http" not in c.get("/console/static/console.js").text.replace("https://", "")


def test_the_key_is_kept_in_the_database(app: Any, tmp_path: Path) -> None:
    from gridsurplus.server.site import create_site as create_app

    again = create_app(f"sqlite:///{tmp_path / 'vtn.sqlite'}")
    try:
        assert again.state.console.key == app.state.console.key
    finally:
        again.state.vtn.engine.dispose()


def test_past_events_are_not_read_but_still_place_the_reports_that_name_them(app: Any) -> None:
    import json

    import pandas as pd
    from sqlalchemy.orm import Session

    from gridsurplus.server.console.data import load_programme, load_readings
    from gridsurplus.server.db.models import Event, EventTarget, Report
    from tests.console.programme import enroll_in

    enroll_in(app, client(app))
    engine = app.state.vtn.engine
    program = load_programme(engine).program
    assert program is not None
    site_client = load_programme(engine).fleet.set_index("site")["client_id"]["btc@KE"]
    old = {"programID": program["id"], "eventName": "old", "priority": 100,
           "targets": ["site:btc@KE"],
           "intervalPeriod": {"start": "2026-01-01T00:00:00Z", "duration": "PT1H"},
           "intervals": [{"id": 0, "payloads": [{"type": "IMPORT_CAPACITY_LIMIT", "values": [5.0]}]}]}  # fmt: skip
    report = {"eventID": "ev-old", "clientName": "btc@KE", "resources": [{"resourceName": "btc@KE",
              "intervals": [{"id": 0, "payloads": [{"type": "USAGE", "values": [4.5]}]}]}]}  # fmt: skip
    with Session(engine) as db:
        t_old, t_new = "2026-01-01T00:00:00.000000Z", "2026-11-30T00:00:00.000000Z"
        db.add(Event(id="ev-old", created=t_old, modified=t_old, body=json.dumps(old),
                     program_id=program["id"], ends="2026-01-01T01:00:00.000000Z"))  # fmt: skip
        db.flush()
        db.add(EventTarget(event_id="ev-old", target="site:btc@KE"))
        db.add(Report(id="rp-1", created=t_new, modified=t_new, body=json.dumps(report),
                      client_id=site_client, client_name="btc@KE", program_id=program["id"],
                      event_id="ev-old"))  # fmt: skip
        db.commit()
    since = pd.Timestamp("2026-11-01", tz="UTC")
    recent = load_programme(engine, since)
    assert recent.events["btc@KE"] == [] and len(load_programme(engine).events["btc@KE"]) == 1
    readings = load_readings(engine, recent, since=since)
    assert readings[["site", "usage_kwh"]].values.tolist() == [["btc@KE", 4.5]]
    assert readings["start"].iloc[0] == pd.Timestamp("2026-01-01", tz="UTC")
    assert load_readings(engine, recent, since=pd.Timestamp("2026-12-01", tz="UTC")).empty


def test_the_live_part_answers_204_until_something_changes(app: Any) -> None:
    import json

    from sqlalchemy.orm import Session

    from gridsurplus.server.db.models import Event, Report
    from tests.console.programme import enroll_in

    enroll_in(app, client(app))
    cid, secret = add(app, "control room", "bl")
    c = client(app)
    sign_in(c, cid, secret)
    page = c.get("/").text
    stamp = re.search(r'data-stamp="([^"]+)"', page).group(1)
    assert c.get("/console/live", params={"stamp": stamp}).status_code == 204
    with Session(app.state.vtn.engine) as db:  # a site reports (straight into the table)
        from gridsurplus.server.console.data import load_programme

        prog = load_programme(app.state.vtn.engine)
        site_client = prog.fleet.set_index("site")["client_id"]["btc@KE"]
        body = {"eventID": "e", "clientName": "btc@KE", "resources": [{"resourceName": "btc@KE",
                "intervals": [{"id": 0, "intervalPeriod": {"start": "2026-11-30T10:00:00Z",
                "duration": "PT1H"}, "payloads": [{"type": "USAGE", "values": [1234.0]}]}]}]}  # fmt: skip
        t = "2026-11-30T11:00:00.000000Z"
        event = {"programID": prog.program["id"], "eventName": "e", "intervals": []}
        db.add(Event(id="e", created=t, modified=t, body=json.dumps(event), ends=t,
                     program_id=prog.program["id"]))  # fmt: skip
        db.flush()
        db.add(Report(id="r1", created=t, modified=t, body=json.dumps(body), client_id=site_client,
                      client_name="btc@KE", program_id=prog.program["id"], event_id="e"))  # fmt: skip
        db.commit()
    fresh = c.get("/console/live", params={"stamp": stamp})
    assert fresh.status_code == 200 and fresh.json()["stamp"] != stamp
    row = re.search(r'<tr data-site="btc@KE">(.*?)</tr>', fresh.json()["html"], re.S).group(1)
    assert "1.23" in row  # 1,234 kWh in the hour: 1.23 MW
    assert 'href="/console/sites/btc@KE"' in fresh.json()["html"]
