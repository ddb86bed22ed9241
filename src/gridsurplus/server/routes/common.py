"""What the resource routers share: ids, paging, targets, conflicts, output validation."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BaseModel, ValidationError
from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gridsurplus.server.deps import Ctx, context
from gridsurplus.server.problems import ApiProblem
from gridsurplus.server.schemas import dump

Skip = Annotated[int, Query(ge=0, le=2**31 - 1, description="Objects to skip.")]
Limit = Annotated[int | None, Query(ge=0, description="Largest number of objects (max 50).")]
Targets = Annotated[list[str] | None, Query(description="Only objects with one of these targets.")]
AnyCaller = Annotated[Ctx, Depends(context)]

#: Members the VTN writes itself; ignored in POST and PUT bodies.
METADATA = {"id", "createdDateTime", "modificationDateTime", "objectType"}


async def bl_context(ctx: AnyCaller) -> Ctx:
    """FastAPI dependency: the request's context, 403 unless the caller is BL (no thread)."""
    ctx.require_bl("write this kind of object")
    return ctx


async def ven_context(ctx: AnyCaller) -> Ctx:
    """FastAPI dependency: the request's context, 403 unless the caller is a VEN (no thread)."""
    ctx.require_ven("write reports")
    return ctx


BlCaller = Annotated[Ctx, Depends(bl_context)]
VenCaller = Annotated[Ctx, Depends(ven_context)]


def new_id() -> str:
    """A fresh object id (URL safe)."""
    return str(uuid.uuid4())


def page(ctx: Ctx, stmt: Select[Any], entity: Any, skip: int, limit: int | None) -> list[Any]:
    """Rows of ``stmt`` in a stable order (created time, then id), ``skip``/``limit`` applied."""
    skip, limit = ctx.page(skip, limit)
    ordered = stmt.order_by(entity.created, entity.id).offset(skip).limit(limit)
    return list(ctx.session.scalars(ordered))


def unique_targets(targets: list[str] | None) -> list[str]:
    """Targets without repeats, in the order given."""
    return list(dict.fromkeys(targets or ()))


def replace_targets(
    session: Session, model: Any, fk: str, object_id: str, targets: list[str] | None
) -> None:
    """Make ``object_id``'s rows in the target table ``model`` exactly ``targets``."""
    from sqlalchemy import delete

    session.execute(delete(model).where(getattr(model, fk) == object_id))
    for target in unique_targets(targets):
        session.add(model(**{fk: object_id, "target": target}))


def body_json(request: BaseModel, drop: set[str] | None = None) -> str:
    """The stored body: the request's members without nulls, metadata or ``drop``."""
    data = dump(request)
    for key in METADATA | (drop or set()):
        data.pop(key, None)
    if "targets" in data:
        data["targets"] = unique_targets(data["targets"]) or None
        if data["targets"] is None:
            del data["targets"]
    return json.dumps(data, separators=(",", ":"))


def render(out_model: type[BaseModel], row: Any, **extra: Any) -> dict[str, Any]:
    """The response object for ``row``, validated against ``out_model`` (nulls left out)."""
    data = json.loads(row.body)
    data.update(
        {"id": row.id, "createdDateTime": row.created, "modificationDateTime": row.modified}
    )
    data.update({k: v for k, v in extra.items() if v is not None})
    for key in [k for k, v in extra.items() if v is None]:
        data.pop(key, None)
    try:
        return dump(out_model.model_validate(data))
    except ValidationError as exc:  # a stored object that no longer fits the spec
        raise ApiProblem(500, f"stored {out_model.__name__} {row.id} is not valid: {exc}") from exc


def commit(session: Session, conflict: str) -> None:
    """Commit, answering 409 with ``conflict`` when a uniqueness or reference rule stops it."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ApiProblem(409, conflict) from None


def not_found(kind: str, object_id: str) -> ApiProblem:
    """404 for an object that does not exist or that the caller may not see."""
    return ApiProblem(404, f"no {kind} with id '{object_id}'")
