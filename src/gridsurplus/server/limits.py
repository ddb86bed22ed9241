"""Limits that keep one client from starving the rest: body size, page size, request rate.

Examples
--------
>>> bucket = RateLimiter(rate_per_s=1.0, burst=2)
>>> [bucket.allow("ven_a", now=0.0) for _ in range(3)]
[True, True, False]
>>> bucket.allow("ven_b", now=0.0), bucket.allow("ven_a", now=1.0)
(True, True)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable


@dataclass(frozen=True)
class Limits:
    """The server's limits.

    Parameters
    ----------
    max_body_bytes : int
        Largest request body accepted [bytes]; larger bodies get 413.
    max_page : int
        Largest ``limit`` a list request may ask for [objects]; the spec caps it at 50.
    rate_per_s : float
        Sustained requests per client [1/s]; above it 429 with ``Retry-After``.
    rate_burst : int
        Requests a client may send at once before the sustained rate applies [requests].
    token_lifetime_s : int
        Lifetime of an access token [s].
    max_concurrent : int
        Requests served at once [requests]; more wait their turn. Kept at or below the
        database pool size, so a request that started always gets a connection (no request
        holds a connection while waiting for a worker thread another one needs).
    """

    max_body_bytes: int = 1_048_576
    max_page: int = 50
    rate_per_s: float = 50.0
    rate_burst: int = 200
    token_lifetime_s: int = 3600
    max_concurrent: int = 24


class RateLimiter:
    """A token bucket per client, in memory (limits are per server process)."""

    def __init__(self, rate_per_s: float, burst: int) -> None:
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Take one request from ``key``'s bucket; False if it is empty."""
        import time

        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate_per_s)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1.0, now)
            return True


class RequestGuard:
    """ASGI middleware: 413 for bodies above ``max_bytes``, 400 for NUL characters.

    NUL (``%00`` in the URL, its JSON escape in a body) is refused up front: PostgreSQL cannot
    store it in text and no OpenADR string needs it.
    """

    def __init__(
        self, app: Callable[..., Awaitable[None]], max_bytes: int, max_concurrent: int
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_concurrent = max_concurrent
        self._slots: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:  # noqa: D102
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url = scope.get("raw_path", b"") + b"?" + scope.get("query_string", b"")
        if b"%00" in url or b"\x00" in url:
            await self._refuse(scope, receive, send, 400, _NUL)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._refuse(scope, receive, send, 413, self._too_large)
                return
        seen = 0
        tail = b""
        refused: tuple[int, str] | None = None

        async def checked_receive() -> Any:
            # on a violation the app gets an unparseable end of body, and its answer is
            # replaced by ours in guarded_send
            nonlocal seen, tail, refused
            message = await receive()
            if message["type"] == "http.request" and refused is None:
                chunk = message.get("body", b"")
                seen += len(chunk)
                if seen > self.max_bytes:
                    refused = (413, self._too_large)
                elif b"\\u0000" in tail + chunk:
                    refused = (400, _NUL)
                tail = chunk[-5:]
                if refused is not None:
                    return {"type": "http.request", "body": b"\x00", "more_body": False}
            return message

        async def guarded_send(message: Any) -> None:
            if refused is None:
                await send(message)
            elif message["type"] == "http.response.start":
                await self._refuse(scope, receive, send, *refused)

        if self._slots is None:
            import anyio

            self._slots = anyio.Semaphore(self.max_concurrent)
        async with self._slots:
            await self.app(scope, checked_receive, guarded_send)

    @property
    def _too_large(self) -> str:
        return f"request body larger than {self.max_bytes} bytes; send less per request"

    async def _refuse(self, scope: Any, receive: Any, send: Any, status: int, detail: str) -> None:
        from gridsurplus.server.problems import problem_response

        await problem_response(status, detail)(scope, receive, send)


_NUL = "NUL characters (\\u0000, %00) are not accepted"
