"""A small OpenADR 3.1 client of the VTN over HTTP, for the operator (BL) and for sites (VEN).

It fetches a token with client credentials (HTTP Basic), renews it on 401, waits and retries
on 429 as the server's ``Retry-After`` says, and pages lists with ``skip``/``limit``. It reaches
a server by URL, or the VTN of a database in this process (:meth:`VtnClient.in_process`): the
operator's commands then go through the same routes, checks and privacy rules as any client.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from gridsurplus.errors import GridsurplusError, InputError

if TYPE_CHECKING:
    import httpx

BASE_PATH = "/openadr3/3.1.0"
PAGE = 50


class VtnError(GridsurplusError):
    """The VTN refused a request; the message carries its status and problem detail."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class NotEnrolledError(VtnError, InputError):
    """The VTN has no programme yet: ``gridsurplus operate enroll`` comes first (exit 2)."""


class VtnClient:
    """An authenticated client of one VTN.

    Parameters
    ----------
    base_url : str
        Server root, e.g. ``http://127.0.0.1:8080`` (the OpenADR prefix is added), or a URL
        already ending in ``/openadr3/3.1.0``.
    client_id, client_secret : str
        OAuth2 client credentials.
    http : httpx.Client, optional
        The HTTP client to use (default: a new one with a 30 s timeout).
    """

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        http: httpx.Client | None = None,
    ) -> None:
        import httpx

        root = base_url.rstrip("/")
        self.base = root if root.endswith(BASE_PATH) else root + BASE_PATH
        self.client_id = client_id
        self._secret = client_secret
        self.http = http if http is not None else httpx.Client(timeout=30.0)
        self._token: str | None = None
        self._expires = 0.0
        self.retries_429 = 0
        self._engine: Any = None

    @classmethod
    def in_process(cls, db_url: str | None, client_id: str, client_secret: str) -> VtnClient:
        """A client of the VTN on ``db_url`` run inside this process (no network).

        The server's per-client rate limit is lifted for it: it is the operator's own process.
        """
        from gridsurplus.server.app import create_app

        app = create_app(db_url, rate_per_s=1e9, rate_burst=10**9)
        with warnings.catch_warnings():  # starlette asks for httpx2 on import; httpx serves
            warnings.filterwarnings("ignore", message=".*starlette.testclient.*")
            from fastapi.testclient import TestClient

            http = TestClient(app, base_url="http://vtn.local")
        client = cls("http://vtn.local", client_id, client_secret, http=http)
        client._engine = app.state.vtn.engine
        return client

    def close(self) -> None:
        """Close the HTTP connection pool (and the in-process VTN's database connections)."""
        self.http.close()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> VtnClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ transport

    def token(self) -> str:
        """A live bearer token, fetched with client credentials when needed."""
        if self._token is None or time.monotonic() > self._expires - 30:
            response = self._send(
                "POST",
                "/auth/token",
                auth=(self.client_id, self._secret),
                data={"grant_type": "client_credentials"},
            )
            if response.status_code != 200:
                raise VtnError(
                    f"the VTN refused the credentials of {self.client_id}: "
                    f"{response.status_code} {response.text[:200]}",
                    response.status_code,
                )
            body = response.json()
            self._token = str(body["access_token"])
            self._expires = time.monotonic() + float(body.get("expires_in", 3600))
        return self._token

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        for _ in range(20):
            response = self.http.request(method, self.base + path, **kwargs)
            if response.status_code != 429:
                return response
            self.retries_429 += 1
            time.sleep(min(5.0, float(response.headers.get("Retry-After", "1"))))
        return response

    def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        params: dict[str, Any] | None = None,
        ok: tuple[int, ...] = (200, 201, 204),
    ) -> Any:
        """Send one request with the bearer token; return the parsed JSON body.

        Raises
        ------
        VtnError
            If the status is not in ``ok``.
        """
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {self.token()}"}
            response = self._send(method, path, json=json, params=params, headers=headers)
            if response.status_code == 401 and attempt == 0:
                self._token = None
                continue
            break
        if response.status_code not in ok:
            try:
                problem = response.json()
                detail = problem.get("detail") or problem.get("title") or problem
            except ValueError:
                detail = response.text[:300]
            raise VtnError(
                f"{method} {path}: {response.status_code} {detail}", response.status_code
            )
        return response.json() if response.content else None

    # ------------------------------------------------------------------ resources

    def get(self, path: str, **params: Any) -> Any:
        """GET one object or one page."""
        return self.request("GET", path, params=params or None)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """Create an object and return the server's representation."""
        return dict(self.request("POST", path, json=body))

    def put(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """Replace an object and return the server's representation."""
        return dict(self.request("PUT", path, json=body))

    def all(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every object of a list, page by page (``skip``/``limit``)."""
        skip = 0
        while True:
            page = self.request("GET", path, params={**params, "skip": skip, "limit": PAGE})
            yield from page
            if len(page) < PAGE:
                return
            skip += len(page)


__all__ = ["BASE_PATH", "VtnClient", "VtnError"]
