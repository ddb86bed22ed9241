"""``/reports``: VENs write reports about events they can see; BL reads all, a VEN its own."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from gridsurplus.server.db import utc_now_text
from gridsurplus.server.db.models import Event, EventTarget, Report
from gridsurplus.server.deps import Ctx
from gridsurplus.server.privacy import TargetScope, owned
from gridsurplus.server.routes.common import (
    AnyCaller,
    Limit,
    Skip,
    VenCaller,
    body_json,
    commit,
    new_id,
    not_found,
    page,
    render,
)
from gridsurplus.server.schemas import ReportIn, ReportOut

router = APIRouter(tags=["reports"])


def _render(row: Report) -> dict[str, Any]:
    return render(ReportOut, row, clientID=row.client_id, programID=row.program_id)


def _owned(ctx: Ctx, report_id: str) -> Report:
    row = ctx.session.scalars(
        select(Report).where(Report.id == report_id, owned(ctx.caller, Report.client_id))
    ).first()
    if row is None:
        raise not_found("report", report_id)
    return row


def _visible_event(ctx: Ctx, event_id: str) -> Event:
    """The event a report is about, if the reporting VEN may see it (else 404)."""
    from sqlalchemy import and_

    scope = TargetScope(ctx.session, ctx.caller, None)
    where = and_(
        Event.id == event_id,
        scope.clause(EventTarget, EventTarget.event_id, Event.id),
        scope.program_clause(Event.program_id),
    )
    row = ctx.session.scalars(select(Event).where(where)).first()
    if row is None:
        raise not_found("event", event_id)
    return row


@router.get("/reports")
def search_reports(
    ctx: AnyCaller,
    programID: Annotated[str | None, Query()] = None,  # noqa: N803
    eventID: Annotated[str | None, Query()] = None,  # noqa: N803
    clientName: Annotated[str | None, Query()] = None,  # noqa: N803
    skip: Skip = 0,
    limit: Limit = None,
) -> list[dict[str, Any]]:
    """Reports the caller may see (BL: all; VEN: its own), filters ANDed."""
    stmt = select(Report).where(owned(ctx.caller, Report.client_id))
    if programID is not None:
        stmt = stmt.where(Report.program_id == programID)
    if eventID is not None:
        stmt = stmt.where(Report.event_id == eventID)
    if clientName is not None:
        stmt = stmt.where(Report.client_name == clientName)
    return [_render(row) for row in page(ctx, stmt, Report, skip, limit)]


@router.post("/reports", status_code=201)
def create_report(request: ReportIn, ctx: VenCaller) -> dict[str, Any]:
    """Store a VEN's report; answered only once it is durable."""
    event = _visible_event(ctx, request.eventID)
    now = utc_now_text()
    row = Report(
        id=new_id(), created=now, modified=now, client_id=ctx.caller.client_id,
        client_name=request.clientName, program_id=event.program_id, event_id=event.id,
        body=body_json(request, drop={"clientID", "programID"}),
    )  # fmt: skip
    ctx.session.add(row)
    commit(ctx.session, f"event '{event.id}' was deleted meanwhile")
    return _render(row)


@router.get("/reports/{reportID}")
def get_report(reportID: str, ctx: AnyCaller) -> dict[str, Any]:  # noqa: N803
    """One report, if the caller may see it (else 404)."""
    return _render(_owned(ctx, reportID))


@router.put("/reports/{reportID}")
def update_report(reportID: str, request: ReportIn, ctx: VenCaller) -> dict[str, Any]:  # noqa: N803
    """Replace one of the VEN's own reports."""
    row = _owned(ctx, reportID)
    event = _visible_event(ctx, request.eventID)
    row.event_id = event.id
    row.program_id = event.program_id
    row.client_name = request.clientName
    row.body = body_json(request, drop={"clientID", "programID"})
    row.modified = utc_now_text()
    commit(ctx.session, f"event '{event.id}' was deleted meanwhile")
    return _render(row)


@router.delete("/reports/{reportID}")
def delete_report(reportID: str, ctx: VenCaller) -> dict[str, Any]:  # noqa: N803
    """Delete one of the VEN's own reports."""
    row = _owned(ctx, reportID)
    shown = _render(row)
    ctx.session.delete(row)
    commit(ctx.session, f"report '{reportID}' could not be deleted")
    return shown
