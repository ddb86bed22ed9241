"""``/vens``: BL and VENs write; a VEN sees only its own ven objects.

BL gives ``clientID`` (whose VEN the object is) and may grant targets; a VEN's ``clientID`` is
stamped from its token and it may not write targets (it may send back the ones it was granted,
unchanged, as clients do when they PUT what they read).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from gridsurplus.server.db import utc_now_text
from gridsurplus.server.db.models import Ven, VenTarget
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
    unique_targets,
)
from gridsurplus.server.schemas import VenIn, VenOut

router = APIRouter(tags=["vens"])


def _render(row: Ven) -> dict[str, Any]:
    return render(VenOut, row, clientID=row.client_id)


def owned_ven(ctx: Ctx, ven_id: str) -> Ven:
    """The ven ``ven_id`` if the caller may see it, else 404."""
    row = ctx.session.scalars(
        select(Ven).where(Ven.id == ven_id, owned(ctx.caller, Ven.client_id))
    ).first()
    if row is None:
        raise not_found("ven", ven_id)
    return row


def check_ven_writes(
    ctx: Ctx, client_id: str | None, targets: list[str] | None, granted: list[str]
) -> str:
    """The clientID to store; 400/403 for what the caller may not write.

    A VEN may not name another client nor change its targets; BL must name the client.
    """
    if ctx.caller.is_bl:
        if not client_id:
            raise ApiProblem(400, "clientID is required when BL writes a ven or resource")
        return client_id
    if client_id and client_id != ctx.caller.client_id:
        raise ApiProblem(403, "a VEN may not write another client's clientID")
    if set(unique_targets(targets)) != set(granted) and targets:
        raise ApiProblem(403, "only BL may write targets of vens and resources")
    return ctx.caller.client_id


def _check_name(ctx: Ctx, name: str, own_id: str | None = None) -> None:
    other = ctx.session.scalar(select(Ven.id).where(Ven.ven_name == name))
    if other is not None and other != own_id:
        raise ApiProblem(409, f"a ven named '{name}' exists already")


@router.get("/vens")
def search_vens(
    ctx: AnyCaller,
    venName: Annotated[str | None, Query()] = None,  # noqa: N803
    targets: Targets = None,
    skip: Skip = 0,
    limit: Limit = None,
) -> list[dict[str, Any]]:
    """Ven objects the caller may see (BL: all; VEN: its own), filtered by name and targets."""
    from sqlalchemy import exists

    stmt = select(Ven).where(owned(ctx.caller, Ven.client_id))
    if venName is not None:
        stmt = stmt.where(Ven.ven_name == venName)
    wanted = request_targets(targets)
    if wanted is not None:
        stmt = stmt.where(
            exists(select(VenTarget.target).where(
                VenTarget.ven_id == Ven.id, VenTarget.target.in_(wanted)))
        )  # fmt: skip
    return [_render(row) for row in page(ctx, stmt, Ven, skip, limit)]


@router.post("/vens", status_code=201)
def create_ven(request: VenIn, ctx: AnyCaller) -> dict[str, Any]:
    """Create a ven object (BL for any client, a VEN for itself); ``venName`` unique."""
    client_id = check_ven_writes(ctx, request.clientID, request.targets, [])
    _check_name(ctx, request.venName)
    now = utc_now_text()
    targets = request.targets if ctx.caller.is_bl else None
    row = Ven(
        id=new_id(), created=now, modified=now, client_id=client_id,
        ven_name=request.venName, body=_body(request, targets),
    )  # fmt: skip
    ctx.session.add(row)
    replace_targets(ctx.session, VenTarget, "ven_id", row.id, targets)
    commit(ctx.session, f"a ven named '{request.venName}' exists already")
    return _render(row)


def _body(request: VenIn, targets: list[str] | None) -> str:
    return body_json(request.model_copy(update={"targets": targets}), drop={"clientID"})


@router.get("/vens/{venID}")
def get_ven(venID: str, ctx: AnyCaller) -> dict[str, Any]:  # noqa: N803
    """One ven object, if the caller may see it (else 404)."""
    return _render(owned_ven(ctx, venID))


@router.put("/vens/{venID}")
def update_ven(venID: str, request: VenIn, ctx: AnyCaller) -> dict[str, Any]:  # noqa: N803
    """Replace a ven object's content; a VEN keeps the targets BL granted it."""
    row = owned_ven(ctx, venID)
    granted = json.loads(row.body).get("targets") or []
    client_id = check_ven_writes(ctx, request.clientID, request.targets, granted)
    _check_name(ctx, request.venName, own_id=row.id)
    targets = request.targets if ctx.caller.is_bl else granted
    row.client_id = client_id
    row.ven_name = request.venName
    row.body = _body(request, targets)
    row.modified = utc_now_text()
    replace_targets(ctx.session, VenTarget, "ven_id", row.id, targets)
    if ctx.caller.is_bl:  # its resources belong to the same client
        from sqlalchemy import update

        from gridsurplus.server.db.models import Resource

        ctx.session.execute(
            update(Resource).where(Resource.ven_id == row.id).values(client_id=client_id)
        )
    commit(ctx.session, f"a ven named '{request.venName}' exists already")
    return _render(row)


@router.delete("/vens/{venID}")
def delete_ven(venID: str, ctx: AnyCaller) -> dict[str, Any]:  # noqa: N803
    """Delete a ven object and its resources (BL, or the VEN that owns it)."""
    row = owned_ven(ctx, venID)
    shown = _render(row)
    ctx.session.delete(row)
    commit(ctx.session, f"ven '{venID}' could not be deleted")
    return shown
