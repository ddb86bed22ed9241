"""``GET /auth/server``, ``POST /auth/token`` and ``GET /notifiers``.

Webhooks are not advertised (``"WEBHOOK": false``): subscriptions are stored, listed and kept
private like any VEN object, and their callback URLs must be HTTPS, but this VTN sends no
notifications (and so does not run the echo challenge); sites poll.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from gridsurplus.server.auth import issue_token
from gridsurplus.server.deps import Ctx, context, open_session, state_of
from gridsurplus.server.problems import ApiProblem

router = APIRouter(tags=["auth"])


@router.get("/auth/server")
def auth_server(request: Request) -> dict[str, str]:
    """The token endpoint's URL (``authServerInfo``)."""
    return {"tokenURL": str(request.url_for("fetch_token"))}


@router.post("/auth/token", name="fetch_token")
async def fetch_token(request: Request) -> dict[str, Any]:
    """Trade client credentials for a bearer token (``clientCredentialResponse``)."""
    from starlette.concurrency import run_in_threadpool

    body = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    state = state_of(request)

    def work() -> dict[str, Any]:
        with open_session(request) as session:
            claimed = headers.get("authorization", "")[:64] or body[:256].decode("latin-1")
            if not state.rate.allow("token:" + claimed):
                raise ApiProblem(429, "too many token requests; slow down", {"Retry-After": "1"})
            response = issue_token(session, headers, body, state.limits.token_lifetime_s)
            session.commit()
            return response

    return await run_in_threadpool(work)


@router.get("/notifiers")
def notifiers(ctx: Annotated[Ctx, Depends(context)]) -> dict[str, Any]:
    """Notifier bindings: none (no webhooks sent, no MQTT); sites poll."""
    return {"WEBHOOK": False}
