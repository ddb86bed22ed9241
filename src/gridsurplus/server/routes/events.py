"""``/events``: BL writes; a VEN reads an event only if it may see the event and its program."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from gridsurplus.server.db import utc_now_text
from gridsurplus.server.db.models import Event, EventTarget, Program
from gridsurplus.server.privacy import TargetScope, hide_targets, request_targets
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
from gridsurplus.server.schemas import EventIn, EventOut
from gridsurplus.server.timing import event_end

router = APIRouter(tags=["events"])


def _render(row: Event, scope: TargetScope | None) -> dict[str, Any]:
    targets = json.loads(row.body).get("targets")
    return render(EventOut, row, targets=hide_targets(targets, scope.shown if scope else None))


def _where(scope: TargetScope, many: bool = False) -> Any:
    from sqlalchemy import and_

    return and_(
        scope.clause(EventTarget, EventTarget.event_id, Event.id, many=many),
        scope.program_clause(Event.program_id),
    )


def _require_program(ctx: AnyCaller, program_id: str) -> None:
    if ctx.session.get(Program, program_id) is None:
        raise not_found("program", program_id)


@router.get("/events")
def search_events(
    ctx: AnyCaller,
    programID: Annotated[str | None, Query()] = None,  # noqa: N803
    targets: Targets = None,
    skip: Skip = 0,
    limit: Limit = None,
    active: Annotated[bool | None, Query(description="Leave out events that are over.")] = None,
) -> list[dict[str, Any]]:
    """Events the caller may see, filtered by program, targets and activity (ANDed)."""
    from sqlalchemy import or_

    scope = TargetScope(ctx.session, ctx.caller, request_targets(targets))
    stmt = select(Event).where(_where(scope, many=True))
    if programID is not None:
        stmt = stmt.where(Event.program_id == programID)
    if active:
        stmt = stmt.where(or_(Event.ends.is_(None), Event.ends > utc_now_text()))
    return [_render(row, scope) for row in page(ctx, stmt, Event, skip, limit)]


@router.post("/events", status_code=201)
def create_event(request: EventIn, ctx: BlCaller) -> dict[str, Any]:
    """Create an event of an existing program (BL)."""
    _require_program(ctx, request.programID)
    now = utc_now_text()
    body = body_json(request)
    row = Event(
        id=new_id(), created=now, modified=now, program_id=request.programID, body=body,
        ends=event_end(json.loads(body)),
    )  # fmt: skip
    ctx.session.add(row)
    replace_targets(ctx.session, EventTarget, "event_id", row.id, request.targets)
    commit(ctx.session, f"program '{request.programID}' was deleted meanwhile")
    return _render(row, None)


@router.get("/events/{eventID}")
def get_event(eventID: str, ctx: AnyCaller) -> dict[str, Any]:  # noqa: N803
    """One event, if the caller may see it (else 404)."""
    scope = TargetScope(ctx.session, ctx.caller, None)
    row = ctx.session.scalars(select(Event).where(Event.id == eventID, _where(scope))).first()
    if row is None:
        raise not_found("event", eventID)
    return _render(row, scope)


@router.put("/events/{eventID}")
def update_event(eventID: str, request: EventIn, ctx: BlCaller) -> dict[str, Any]:  # noqa: N803
    """Replace an event's content (BL)."""
    row = ctx.session.get(Event, eventID)
    if row is None:
        raise not_found("event", eventID)
    _require_program(ctx, request.programID)
    if request.programID != row.program_id:  # its reports follow it to the new program
        from sqlalchemy import update

        from gridsurplus.server.db.models import Report

        ctx.session.execute(
            update(Report).where(Report.event_id == eventID).values(program_id=request.programID)
        )
    row.program_id = request.programID
    row.body = body_json(request)
    row.ends = event_end(json.loads(row.body))
    row.modified = utc_now_text()
    replace_targets(ctx.session, EventTarget, "event_id", row.id, request.targets)
    commit(ctx.session, f"program '{request.programID}' was deleted meanwhile")
    return _render(row, None)


@router.delete("/events/{eventID}")
def delete_event(eventID: str, ctx: BlCaller) -> dict[str, Any]:  # noqa: N803
    """Delete an event (BL); 409 if reports refer to it (reports are kept)."""
    row = ctx.session.get(Event, eventID)
    if row is None:
        raise not_found("event", eventID)
    shown = _render(row, None)
    ctx.session.delete(row)
    commit(ctx.session, f"event '{eventID}' has reports, which are never deleted with it")
    return shown
