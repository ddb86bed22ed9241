"""``/resources``: the resources of a ven (``venID``); private to the ven's client like vens."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from gridsurplus.server.db import utc_now_text
from gridsurplus.server.db.models import Resource, ResourceTarget
from gridsurplus.server.deps import Ctx
from gridsurplus.server.privacy import owned, request_targets
from gridsurplus.server.problems import ApiProblem
from gridsurplus.server.routes.common import (
    AnyCaller,
    Limit,
    Skip,
    Targets,
    body_json,
    commit,
    new_id,
    not_found,
    page,
    render,
    replace_targets,
)
from gridsurplus.server.routes.vens import check_ven_writes, owned_ven
from gridsurplus.server.schemas import ResourceIn, ResourceOut

router = APIRouter(tags=["resources"])


def _render(row: Resource) -> dict[str, Any]:
    return render(ResourceOut, row, clientID=row.client_id, venID=row.ven_id)


def _owned(ctx: Ctx, resource_id: str) -> Resource:
    row = ctx.session.scalars(
        select(Resource).where(Resource.id == resource_id, owned(ctx.caller, Resource.client_id))
    ).first()
    if row is None:
        raise not_found("resource", resource_id)
    return row


def _check_name(ctx: Ctx, ven_id: str, name: str, own_id: str | None = None) -> None:
    other = ctx.session.scalar(
        select(Resource.id).where(Resource.ven_id == ven_id, Resource.resource_name == name)
    )
    if other is not None and other != own_id:
        raise ApiProblem(409, f"ven '{ven_id}' has a resource named '{name}' already")


def _body(request: ResourceIn, targets: list[str] | None) -> str:
    return body_json(request.model_copy(update={"targets": targets}), drop={"clientID", "venID"})


@router.get("/resources")
def search_resources(
    ctx: AnyCaller,
    resourceName: Annotated[str | None, Query()] = None,  # noqa: N803
    venID: Annotated[str | None, Query()] = None,  # noqa: N803
    targets: Targets = None,
    skip: Skip = 0,
    limit: Limit = None,
) -> list[dict[str, Any]]:
    """Resources the caller may see, filtered by name, ven and targets (ANDed)."""
    from sqlalchemy import exists

    stmt = select(Resource).where(owned(ctx.caller, Resource.client_id))
    if resourceName is not None:
        stmt = stmt.where(Resource.resource_name == resourceName)
    if venID is not None:
        stmt = stmt.where(Resource.ven_id == venID)
    wanted = request_targets(targets)
    if wanted is not None:
        stmt = stmt.where(
            exists(select(ResourceTarget.target).where(
                ResourceTarget.resource_id == Resource.id, ResourceTarget.target.in_(wanted)))
        )  # fmt: skip
    return [_render(row) for row in page(ctx, stmt, Resource, skip, limit)]


@router.post("/resources", status_code=201)
def create_resource(request: ResourceIn, ctx: AnyCaller) -> dict[str, Any]:
    """Create a resource of a ven the caller may see; its clientID is the ven's."""
    ven = owned_ven(ctx, request.venID)
    check_ven_writes(ctx, request.clientID or ven.client_id, request.targets, [])
    _check_name(ctx, ven.id, request.resourceName)
    now = utc_now_text()
    targets = request.targets if ctx.caller.is_bl else None
    row = Resource(
        id=new_id(), created=now, modified=now, client_id=ven.client_id, ven_id=ven.id,
        resource_name=request.resourceName, body=_body(request, targets),
    )  # fmt: skip
    ctx.session.add(row)
    replace_targets(ctx.session, ResourceTarget, "resource_id", row.id, targets)
    commit(ctx.session, f"ven '{ven.id}' has a resource named '{request.resourceName}' already")
    return _render(row)


@router.get("/resources/{resourceID}")
def get_resource(resourceID: str, ctx: AnyCaller) -> dict[str, Any]:  # noqa: N803
    """One resource, if the caller may see it (else 404)."""
    return _render(_owned(ctx, resourceID))


@router.put("/resources/{resourceID}")
def update_resource(
    resourceID: str,  # noqa: N803
    request: ResourceIn,
    ctx: AnyCaller,
) -> dict[str, Any]:
    """Replace a resource's content; a VEN keeps the targets BL granted it."""
    row = _owned(ctx, resourceID)
    ven = owned_ven(ctx, request.venID)
    granted = json.loads(row.body).get("targets") or []
    check_ven_writes(ctx, request.clientID or ven.client_id, request.targets, granted)
    _check_name(ctx, ven.id, request.resourceName, own_id=row.id)
    targets = request.targets if ctx.caller.is_bl else granted
    row.ven_id = ven.id
    row.client_id = ven.client_id
    row.resource_name = request.resourceName
    row.body = _body(request, targets)
    row.modified = utc_now_text()
    replace_targets(ctx.session, ResourceTarget, "resource_id", row.id, targets)
    commit(ctx.session, f"ven '{ven.id}' has a resource named '{request.resourceName}' already")
    return _render(row)


@router.delete("/resources/{resourceID}")
def delete_resource(resourceID: str, ctx: AnyCaller) -> dict[str, Any]:  # noqa: N803
    """Delete a resource (BL, or the VEN that owns it)."""
    row = _owned(ctx, resourceID)
    shown = _render(row)
    ctx.session.delete(row)
    commit(ctx.session, f"resource '{resourceID}' could not be deleted")
    return shown
