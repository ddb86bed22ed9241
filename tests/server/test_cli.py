"""``gridsurplus operate client add`` and ``gridsurplus serve``'s start-up message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gridsurplus.cli import app


def test_client_add_prints_credentials_that_work(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from gridsurplus.server.app import create_app

    url = f"sqlite:///{tmp_path / 'vtn.sqlite'}"
    result = CliRunner().invoke(app, ["operate", "client", "add", "site-1", "--role", "ven",
                                      "--db", url, "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    creds = json.loads(result.stdout)
    assert set(creds) == {"client_id", "client_secret"}
    again = CliRunner().invoke(app, ["operate", "client", "add", "site-1", "--role", "ven",
                                     "--db", url])  # fmt: skip
    assert again.exit_code == 1 and "exists already" in again.output
    bad = CliRunner().invoke(app, ["operate", "client", "add", "x", "--role", "root", "--db", url])
    assert bad.exit_code == 1 and "unknown role" in bad.output
    application = create_app(url)
    try:
        token = TestClient(application).post(
            "/openadr3/3.1.0/auth/token", auth=(creds["client_id"], creds["client_secret"])
        )
        assert token.status_code == 200
    finally:
        application.state.vtn.engine.dispose()


def test_serve_names_its_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    calls = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: calls.update(kw))
    monkeypatch.setenv("GRIDSURPLUS_HOME", str(tmp_path))
    result = CliRunner().invoke(app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert f"database: sqlite:///{tmp_path / 'vtn.sqlite'}" in result.stderr
    assert "http://127.0.0.1:8123/openadr3/3.1.0" in result.stderr
    assert calls == {"host": "127.0.0.1", "port": 8123, "log_level": "warning"}


def test_serve_with_two_worker_processes(tmp_path: Path) -> None:
    import httpx
    from vtn_live import LiveServer

    from gridsurplus.server.clients import create_client

    url = f"sqlite:///{tmp_path / 'vtn.sqlite'}"
    client_id, secret = create_client(url, "operator", "bl")
    server = LiveServer(url, workers=2).start()
    try:
        with httpx.Client(timeout=10) as http:
            token = http.post(server.base + "/auth/token", auth=(client_id, secret)).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            made = [http.post(server.base + "/programs", json={"programName": f"p{i}"},
                              headers=headers).status_code for i in range(10)]  # fmt: skip
            listed = http.get(server.base + "/programs", headers=headers).json()
        assert made == [201] * 10 and len(listed) == 10
    finally:
        server.stop()
