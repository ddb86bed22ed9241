"""``/programs``: BL writes, everyone reads what targeting lets them see."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from gridsurplus.server.db import utc_now_text
from gridsurplus.server.db.models import Program, ProgramTarget
from gridsurplus.server.privacy import TargetScope, hide_targets, request_targets
from gridsurplus.server.problems import ApiProblem
from gridsurplus.server.routes.common import (
    AnyCaller,
    BlCaller,
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
from gridsurplus.server.schemas import ProgramIn, ProgramOut

router = APIRouter(tags=["programs"])


def _render(row: Program, scope: TargetScope | None) -> dict[str, Any]:
    import json

    targets = json.loads(row.body).get("targets")
    return render(ProgramOut, row, targets=hide_targets(targets, scope.shown if scope else None))


def _visible(ctx: AnyCaller, program_id: str) -> tuple[Program, TargetScope]:
    scope = TargetScope(ctx.session, ctx.caller, None)
    stmt = select(Program).where(
        Program.id == program_id, scope.clause(ProgramTarget, ProgramTarget.program_id, Program.id)
    )
    row = ctx.session.scalars(stmt).first()
    if row is None:
        raise not_found("program", program_id)
    return row, scope


def _check_name(ctx: AnyCaller, name: str, own_id: str | None = None) -> None:
    other = ctx.session.scalar(select(Program.id).where(Program.program_name == name))
    if other is not None and other != own_id:
        raise ApiProblem(409, f"a program named '{name}' exists already (id '{other}')")


@router.get("/programs")
def search_programs(
    ctx: AnyCaller, targets: Targets = None, skip: Skip = 0, limit: Limit = None
) -> list[dict[str, Any]]:
    """Programs the caller may see, filtered by targets."""
    scope = TargetScope(ctx.session, ctx.caller, request_targets(targets))
    stmt = select(Program).where(
        scope.clause(ProgramTarget, ProgramTarget.program_id, Program.id, many=True)
    )
    return [_render(row, scope) for row in page(ctx, stmt, Program, skip, limit)]


@router.post("/programs", status_code=201)
def create_program(request: ProgramIn, ctx: BlCaller) -> dict[str, Any]:
    """Create a program (BL); ``programName`` must be new (else 409)."""
    _check_name(ctx, request.programName)
    now = utc_now_text()
    row = Program(
        id=new_id(),
        created=now,
        modified=now,
        program_name=request.programName,
        body=body_json(request),
    )
    ctx.session.add(row)
    replace_targets(ctx.session, ProgramTarget, "program_id", row.id, request.targets)
    commit(ctx.session, f"a program named '{request.programName}' exists already")
    return _render(row, None)


@router.get("/programs/{programID}")
def get_program(programID: str, ctx: AnyCaller) -> dict[str, Any]:  # noqa: N803
    """One program, if the caller may see it (else 404)."""
    row, scope = _visible(ctx, programID)
    return _render(row, scope)


@router.put("/programs/{programID}")
def update_program(programID: str, request: ProgramIn, ctx: BlCaller) -> dict[str, Any]:  # noqa: N803
    """Replace a program's content (BL); its id and creation time stay."""
    row = ctx.session.get(Program, programID)
    if row is None:
        raise not_found("program", programID)
    _check_name(ctx, request.programName, own_id=row.id)
    row.program_name = request.programName
    row.body = body_json(request)
    row.modified = utc_now_text()
    replace_targets(ctx.session, ProgramTarget, "program_id", row.id, request.targets)
    commit(ctx.session, f"a program named '{request.programName}' exists already")
    return _render(row, None)


@router.delete("/programs/{programID}")
def delete_program(programID: str, ctx: BlCaller) -> dict[str, Any]:  # noqa: N803
    """Delete a program and its events (BL); 409 if reports refer to them (reports are kept)."""
    row = ctx.session.get(Program, programID)
    if row is None:
        raise not_found("program", programID)
    shown = _render(row, None)
    ctx.session.delete(row)
    commit(ctx.session, f"program '{programID}' has reports, which are never deleted with it")
    return shown
