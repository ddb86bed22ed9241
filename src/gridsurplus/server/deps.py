"""What every route gets: one database session per request and the authenticated caller.

Requests that may write (POST, PUT, DELETE) open their transaction for writing (``BEGIN
IMMEDIATE`` on SQLite), so concurrent writers queue instead of failing; a route commits before
it answers, so a 2xx is only ever sent for a durable write. The transaction begins at the
route's first statement, not before: the caller is authenticated first (from the token cache,
else in a read transaction of its own), so a write transaction, and the file's write lock,
is held only while the route runs, never while the request waits for its next thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import Request

from gridsurplus.server.auth import Principal, TokenCache, authenticate, cached_caller
from gridsurplus.server.limits import Limits, RateLimiter
from gridsurplus.server.problems import ApiProblem

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session


@dataclass
class VtnState:
    """The server's process state: the engine, the limits, the rate buckets, recent tokens.

    ``writer`` is ``engine`` with the ``gridsurplus_write`` option: its transactions write.
    """

    engine: Engine
    limits: Limits
    rate: RateLimiter
    tokens: TokenCache
    writer: Engine = field(init=False)

    def __post_init__(self) -> None:
        self.writer = self.engine.execution_options(gridsurplus_write=True)


@dataclass
class Ctx:
    """One request's session, caller and limits."""

    session: Session
    caller: Principal
    limits: Limits

    def require_bl(self, action: str) -> None:
        """Raise 403 unless the caller has the BL role."""
        if not self.caller.is_bl:
            raise ApiProblem(403, f"only the business logic (BL role) may {action}")

    def require_ven(self, action: str) -> None:
        """Raise 403 unless the caller has the VEN role."""
        if self.caller.is_bl:
            raise ApiProblem(403, f"only VENs may {action}")

    def page(self, skip: int, limit: int | None) -> tuple[int, int]:
        """Checked ``(skip, limit)``; ``limit`` defaults to and may not exceed the page size."""
        size = self.limits.max_page
        if limit is None:
            return skip, size
        if limit > size:
            raise ApiProblem(400, f"limit {limit} is above the largest page, {size}")
        return skip, limit


def state_of(request: Request) -> VtnState:
    """The :class:`VtnState` of the application serving ``request``."""
    state = request.app.state.vtn
    assert isinstance(state, VtnState)
    return state


def open_session(request: Request) -> Session:
    """A session on the VTN database, writing unless the request is a GET or HEAD.

    No transaction is begun yet: the first statement begins it (``BEGIN IMMEDIATE`` for a
    writing session, so everything it reads stays true until it commits).
    """
    from sqlalchemy.orm import Session

    state = state_of(request)
    engine = state.engine if request.method in ("GET", "HEAD") else state.writer
    return Session(engine, expire_on_commit=False, autoflush=False)


async def context(request: Request) -> AsyncIterator[Ctx]:
    """FastAPI dependency: the request's :class:`Ctx` (401 without a valid token, 429 if fast).

    Asynchronous, so that a request whose token is in the cache reaches its route without an
    extra trip through the thread pool; a token not in the cache is looked up in a thread.
    """
    state = state_of(request)
    caller = cached_caller(request, state.tokens)
    if caller is None:
        from starlette.concurrency import run_in_threadpool

        caller = await run_in_threadpool(_authenticate, state, request)
    if not state.rate.allow(caller.client_id):
        raise ApiProblem(
            429,
            f"more than {state.limits.rate_per_s:g} requests/s from this client; slow down",
            {"Retry-After": "1"},
        )
    session = open_session(request)
    try:
        yield Ctx(session=session, caller=caller, limits=state.limits)
    finally:
        session.close()  # the route committed; this ends a read or a failed write at once


def _authenticate(state: VtnState, request: Request) -> Principal:
    from sqlalchemy.orm import Session

    with Session(state.engine) as reader:
        return authenticate(reader, request, state.tokens)
