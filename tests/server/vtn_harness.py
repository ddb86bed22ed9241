"""The VTN in-process for tests: a BL or VEN caller with its own token, on any database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

API = "/openadr3/3.1.0"
SPEC = Path(__file__).parent / "openadr3-3.1.0" / "openadr3.yaml"  # Apache-2.0, see NOTICE


@dataclass
class Caller:
    """A client of the VTN: its id, name, and a test client sending its token."""

    client_id: str
    name: str
    http: Any

    def get(self, path: str, **kw: Any) -> Any:
        return self.http.get(API + path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.http.post(API + path, json=json, **kw)

    def put(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.http.put(API + path, json=json, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.http.delete(API + path, **kw)


class Vtn:
    """The application on one database, and a way to make authenticated callers."""

    def __init__(self, db_url: str, **limits: Any) -> None:
        from fastapi.testclient import TestClient

        from gridsurplus.server.app import create_app

        self.db_url = db_url
        self.app = create_app(db_url, **limits)
        self.anonymous = TestClient(self.app)

    def caller(self, name: str, role: str) -> Caller:
        from fastapi.testclient import TestClient
        from sqlalchemy.orm import Session

        from gridsurplus.server.clients import add_client

        with Session(self.app.state.vtn.engine) as session:
            client_id, secret = add_client(session, name, role)
            session.commit()
        token = self.anonymous.post(
            API + "/auth/token",
            data={"grant_type": "client_credentials", "client_id": client_id,
                  "client_secret": secret},
        ).json()["access_token"]  # fmt: skip
        http = TestClient(self.app, headers={"Authorization": f"Bearer {token}"})
        return Caller(client_id, name, http)

    def close(self) -> None:
        self.app.state.vtn.engine.dispose()
