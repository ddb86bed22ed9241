"""What every route gets: one database session per request and the authenticated caller.

Requests that may write (POST, PUT, DELETE) open their transaction for writing at once
(``BEGIN IMMEDIATE`` on SQLite), so concurrent writers queue instead of failing; a route
commits before it answers, so a 2xx is only ever sent for a durable write.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import Request

from gridsurplus.server.auth import Principal, TokenCache, authenticate
from gridsurplus.server.limits import Limits, RateLimiter
from gridsurplus.server.problems import ApiProblem

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session


@dataclass
class VtnState:
    """The server's process state: the engine, the limits, the rate buckets, recent tokens."""

    engine: Engine
    limits: Limits
    rate: RateLimiter
    tokens: TokenCache


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
    """A session on the VTN database, opened for writing unless the request is a GET."""
    from sqlalchemy.orm import Session

    session = Session(state_of(request).engine, expire_on_commit=False, autoflush=False)
    if request.method not in ("GET", "HEAD"):
        session.connection(execution_options={"gridsurplus_write": True})
    return session


def context(request: Request) -> Iterator[Ctx]:
    """FastAPI dependency: the request's :class:`Ctx` (401 without a valid token, 429 if fast)."""
    state = state_of(request)
    with open_session(request) as session:
        caller = authenticate(session, request, state.tokens)
        if not state.rate.allow(caller.client_id):
            raise ApiProblem(
                429,
                f"more than {state.limits.rate_per_s:g} requests/s from this client; slow down",
                {"Retry-After": "1"},
            )
        yield Ctx(session=session, caller=caller, limits=state.limits)
