"""``/subscriptions``: stored and kept private like other VEN objects; no webhooks are sent.

The VTN does not advertise webhooks (``GET /notifiers`` answers ``"WEBHOOK": false``), so it
does not call callback URLs nor run the echo challenge; it still applies the spec's rule that a
callback URL must be HTTPS, so a subscription stored today stays valid if delivery comes later.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from gridsurplus.server.db import utc_now_text
from gridsurplus.server.db.models import Program, ProgramTarget, Subscription, SubscriptionTarget
from gridsurplus.server.deps import Ctx
from gridsurplus.server.privacy import TargetScope, owned
from gridsurplus.server.problems import ApiProblem
from gridsurplus.server.routes.common import (
    AnyCaller,
    Limit,
    Skip,
    body_json,
    commit,
    new_id,
    not_found,
    page,
    render,
    replace_targets,
)
from gridsurplus.server.schemas import SubscriptionIn, SubscriptionOut

router = APIRouter(tags=["subscriptions"])


def _render(row: Subscription) -> dict[str, Any]:
    return render(SubscriptionOut, row, clientID=row.client_id, programID=row.program_id)


def _owned(ctx: Ctx, subscription_id: str) -> Subscription:
    row = ctx.session.scalars(
        select(Subscription).where(
            Subscription.id == subscription_id, owned(ctx.caller, Subscription.client_id)
        )
    ).first()
    if row is None:
        raise not_found("subscription", subscription_id)
    return row


def _check(ctx: Ctx, request: SubscriptionIn) -> str:
    """Check the program and callback URLs; return the ``objects`` column's text."""
    if request.programID is not None:
        scope = TargetScope(ctx.session, ctx.caller, None)
        visible = ctx.session.scalar(
            select(Program.id).where(
                Program.id == request.programID,
                scope.clause(ProgramTarget, ProgramTarget.program_id, Program.id),
            )
        )
        if visible is None:
            raise not_found("program", request.programID)
    for operation in request.objectOperations:
        if not operation.callbackUrl.lower().startswith("https://"):
            raise ApiProblem(400, f"callbackUrl '{operation.callbackUrl}' must use https")
    kinds = sorted({kind for op in request.objectOperations for kind in op.objects})
    return "," + ",".join(kinds) + ","


@router.get("/subscriptions")
def search_subscriptions(
    ctx: AnyCaller,
    programID: Annotated[str | None, Query()] = None,  # noqa: N803
    clientName: Annotated[str | None, Query()] = None,  # noqa: N803
    objects: Annotated[list[str] | None, Query()] = None,
    skip: Skip = 0,
    limit: Limit = None,
) -> list[dict[str, Any]]:
    """Subscriptions the caller may see (BL: all; VEN: its own), filters ANDed."""
    from sqlalchemy import or_

    stmt = select(Subscription).where(owned(ctx.caller, Subscription.client_id))
    if programID is not None:
        stmt = stmt.where(Subscription.program_id == programID)
    if clientName is not None:
        stmt = stmt.where(Subscription.client_name == clientName)
    kinds = [kind for kind in objects or () if kind]
    if kinds:
        stmt = stmt.where(or_(*(Subscription.objects.contains(f",{k},") for k in kinds)))
    return [_render(row) for row in page(ctx, stmt, Subscription, skip, limit)]


@router.post("/subscriptions", status_code=201)
def create_subscription(request: SubscriptionIn, ctx: AnyCaller) -> dict[str, Any]:
    """Store a subscription for the caller."""
    objects = _check(ctx, request)
    now = utc_now_text()
    row = Subscription(
        id=new_id(), created=now, modified=now, client_id=ctx.caller.client_id,
        client_name=request.clientName, program_id=request.programID, objects=objects,
        body=body_json(request, drop={"clientID", "programID"}),
    )  # fmt: skip
    ctx.session.add(row)
    replace_targets(ctx.session, SubscriptionTarget, "subscription_id", row.id, request.targets)
    commit(ctx.session, f"program '{request.programID}' was deleted meanwhile")
    return _render(row)


@router.get("/subscriptions/{subscriptionID}")
def get_subscription(subscriptionID: str, ctx: AnyCaller) -> dict[str, Any]:  # noqa: N803
    """One subscription, if the caller may see it (else 404)."""
    return _render(_owned(ctx, subscriptionID))


@router.put("/subscriptions/{subscriptionID}")
def update_subscription(
    subscriptionID: str,  # noqa: N803
    request: SubscriptionIn,
    ctx: AnyCaller,
) -> dict[str, Any]:
    """Replace one of the caller's subscriptions (BL: any)."""
    row = _owned(ctx, subscriptionID)
    row.objects = _check(ctx, request)
    row.client_name = request.clientName
    row.program_id = request.programID
    row.body = body_json(request, drop={"clientID", "programID"})
    row.modified = utc_now_text()
    replace_targets(ctx.session, SubscriptionTarget, "subscription_id", row.id, request.targets)
    commit(ctx.session, f"program '{request.programID}' was deleted meanwhile")
    return _render(row)


@router.delete("/subscriptions/{subscriptionID}")
def delete_subscription(subscriptionID: str, ctx: AnyCaller) -> dict[str, Any]:  # noqa: N803
    """Delete one of the caller's subscriptions (BL: any)."""
    row = _owned(ctx, subscriptionID)
    shown = _render(row)
    ctx.session.delete(row)
    commit(ctx.session, f"subscription '{subscriptionID}' could not be deleted")
    return shown
