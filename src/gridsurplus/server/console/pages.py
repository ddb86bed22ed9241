"""The console's routes: sign-in and out, the overview, a site's page, the actions, live data.

Every page but the sign-in form needs a valid session; every POST needs the form's CSRF token.
Handlers read the form themselves (URL-encoded) and run database work in the thread pool.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from gridsurplus.errors import GridsurplusError
from gridsurplus.operations.timeline import GRACE_MINUTES
from gridsurplus.server.console import actions, session, svg, views, web
from gridsurplus.server.console.data import (
    EVENT_MARGIN,
    changes_stamp,
    load_programme,
    load_readings,
)

router = APIRouter(include_in_schema=False)


# ---------------------------------------------------------------- sign-in


def _signin_page(
    request: Request, error: str | None = None, status: int = 200, client_id: str = ""
) -> HTMLResponse:
    key = web.state_of(request).key
    cookie = session.make_signin_nonce(key)
    nonce = session.read_signin_nonce(key, cookie)
    assert nonce is not None
    response = web.html_page(
        "signin.html.j2",
        status=status,
        title="Sign in",
        csrf=session.csrf_token(key, nonce),
        error=error,
        client_id=client_id,
    )
    web.set_cookie(response, request, session.SIGNIN_COOKIE, cookie, 3600)
    return response


@router.post("/console/signin")
async def sign_in(request: Request) -> Response:
    """Check the form's BL client id and secret; on success set the session cookie."""
    state = web.state_of(request)
    form = await web.read_form(request)
    nonce = session.read_signin_nonce(state.key, request.cookies.get(session.SIGNIN_COOKIE))
    if not session.check_csrf(state.key, nonce, form.get("csrf")):
        return web.refused(403, "The sign-in form has expired or did not come from this console.")
    client_id = form.get("client_id", "").strip()
    digest, reason = await run_in_threadpool(
        session.verify_operator, state.engine, client_id, form.get("client_secret", "")
    )
    if digest is None:
        return _signin_page(request, reason, status=401, client_id=client_id)
    response = web.go("/")
    cookie = session.make_session(state.key, client_id, digest, hours=session.SESSION_HOURS)
    web.set_cookie(
        response, request, session.SESSION_COOKIE, cookie, int(session.SESSION_HOURS * 3600)
    )
    response.delete_cookie(session.SIGNIN_COOKIE, path="/")
    return response


@router.post("/console/signout")
async def sign_out(request: Request) -> Response:
    """End the session (the form's CSRF token is required)."""
    who = web.signed_in(request)
    form = await web.read_form(request)
    if who is None:
        return web.go("/")
    if not session.check_csrf(web.state_of(request).key, who.sid, form.get("csrf")):
        return web.refused(403, "This form did not come from your session (CSRF token missing).")
    response = web.go("/")
    response.delete_cookie(session.SESSION_COOKIE, path="/")
    return response


# ---------------------------------------------------------------- overview


def _overview_context(state: web.ConsoleState) -> dict[str, Any]:
    now = pd.Timestamp.now(tz="UTC")
    programme = load_programme(state.engine, now - pd.Timedelta(days=2))  # today's, local
    readings = load_readings(state.engine, programme, since=now - EVENT_MARGIN, newest_only=True)
    today = programme.local_day(now)
    start = programme.day_start(today)
    grid = views.fleet_grid(
        programme,
        start,
        int((programme.day_start(today + dt.timedelta(days=2)) - start).total_seconds() // 60),
    )
    sites = views.site_now(programme, readings, now, grid)
    days = []
    for day in (today, today + dt.timedelta(days=1)):
        s = views.day_surplus(programme, day, grid)
        days.append(
            {
                "label": "Today" if day == today else "Tomorrow",
                "day": day.isoformat(),
                "surplus": s,
                "short": views.hours_text(s.short_hours),
                "dry": views.hours_text(s.dry_hours),
                "chart": svg.surplus_chart(s.mw, s.fleet_mw),
            }
        )
    return {
        "programme": programme,
        "sites": sites,
        "map": svg.site_map(sites, state.outlines()) if sites else "",
        "days": days,
        "now": now.tz_convert(programme.tz).strftime("%d %b %Y %H:%M"),
        "stamp": changes_stamp(state.engine),
        "regions": sorted(set(programme.fleet["region"])),
        "grace": GRACE_MINUTES,
    }


@router.get("/", response_class=HTMLResponse)
async def overview(request: Request) -> Response:
    """The sign-in form, or today and tomorrow at a glance."""
    who = web.signed_in(request)
    if who is None:
        return _signin_page(request)
    context = await run_in_threadpool(_overview_context, web.state_of(request))
    month = context["programme"].local_day().strftime("%Y-%m")
    base = web.base_context(request, who, "Overview", live_url="/console/live", month=month)
    return web.page_done(web.html_page("overview.html.j2", **base, **context), request)


@router.get("/console/live")
async def overview_live(request: Request) -> Response:
    """The overview's live part as HTML in JSON; 204 when nothing changed since ``stamp``."""
    who = web.signed_in(request)
    state = web.state_of(request)
    stamp = await run_in_threadpool(changes_stamp, state.engine)
    early = web.live_unchanged(request, who, stamp)
    if early is not None:
        return early
    context = await run_in_threadpool(_overview_context, state)
    html = web.templates().get_template("overview_live.html.j2").render(**context)
    return JSONResponse({"stamp": context["stamp"], "html": html}, headers=web.SECURITY_HEADERS)


# ---------------------------------------------------------------- a site


def _site_context(
    state: web.ConsoleState, site: str, day_text: str | None
) -> dict[str, Any] | None:
    now = pd.Timestamp.now(tz="UTC")
    try:
        asked = dt.date.fromisoformat(day_text) if day_text else None
    except ValueError:
        asked = None
    # events and reports from the month's start (less a day for the time zone)
    month = (asked or now.date()).replace(day=1)
    since = pd.Timestamp(month, tz="UTC") - pd.Timedelta(days=1)
    programme = load_programme(state.engine, since)
    row = programme.site_row(site)
    if row is None:
        return None
    day = asked or programme.local_day(now)
    readings = load_readings(state.engine, programme, [site], since=since)
    hours = views.site_day(programme, readings, site, day)
    bill = views.month_bill(programme, readings, site, day)
    over = [int(h) for h in hours.index[hours["overshoot_kwh"] > 1e-9]]
    chart = svg.site_day_chart(
        hours["usage_kwh"].tolist(),
        hours["reported"].tolist(),
        hours["allowance_kwh"].tolist(),
        hours["day_ahead_kwh"].tolist(),
    )
    return {
        "programme": programme,
        "site": row,
        "day": day,
        "prev": (day - dt.timedelta(days=1)).isoformat(),
        "next": (day + dt.timedelta(days=1)).isoformat(),
        "hours": hours.to_dict("records"),
        "chart": chart,
        "over_hours": views.hours_text(over),
        "over_kwh": float(hours["overshoot_kwh"].sum()),
        "used_kwh": float(hours["usage_kwh"].sum()),
        "allowed_kwh": float(hours["allowance_kwh"].sum()),
        "events": views.event_rows(programme, site, programme.day_start(day)),
        "bill": bill,
        "stamp": changes_stamp(state.engine),
    }


@router.get("/console/sites/{site}", response_class=HTMLResponse)
async def site_page(request: Request, site: str) -> Response:
    """A site's day: allowance against usage, events, compliance, the month's bill so far."""
    who = web.signed_in(request)
    if who is None:
        return web.go("/")
    day = request.query_params.get("day")
    context = await run_in_threadpool(_site_context, web.state_of(request), site, day)
    if context is None:
        return web.refused(404, f"No enrolled site '{site}'.")
    live = f"/console/sites/{quote(site, safe='')}/live?day={context['day'].isoformat()}"
    base = web.base_context(request, who, site, live_url=live)
    return web.page_done(web.html_page("site.html.j2", **base, **context), request)


@router.get("/console/sites/{site}/live")
async def site_live(request: Request, site: str) -> Response:
    """The site page's live part as HTML in JSON; 204 when nothing changed since ``stamp``."""
    who = web.signed_in(request)
    state = web.state_of(request)
    stamp = await run_in_threadpool(changes_stamp, state.engine)
    early = web.live_unchanged(request, who, stamp)
    if early is not None:
        return early
    day = request.query_params.get("day")
    context = await run_in_threadpool(_site_context, state, site, day)
    if context is None:
        return JSONResponse({"detail": f"no site '{site}'"}, status_code=404)
    html = web.templates().get_template("site_live.html.j2").render(**context)
    return JSONResponse({"stamp": context["stamp"], "html": html}, headers=web.SECURITY_HEADERS)


# ---------------------------------------------------------------- actions


_FAILED = (actions.ActionError, GridsurplusError, ValueError)


@router.post("/console/publish")
async def publish(request: Request) -> Response:
    """Publish the day-ahead schedule of a day (tomorrow unless the form says otherwise)."""
    who, form, refused = await web.checked_post(request)
    if who is None:
        return refused
    state = web.state_of(request)
    vtn = await run_in_threadpool(state.operator_app, request.app)
    programme = await run_in_threadpool(
        load_programme, state.engine, pd.Timestamp.now(tz="UTC") - pd.Timedelta(days=2)
    )
    try:
        day = dt.date.fromisoformat(form.get("day") or "")
    except ValueError:
        day = programme.local_day() + dt.timedelta(days=1)
    try:
        result = await run_in_threadpool(
            actions.publish,
            vtn,
            state.engine,
            who.client_id,
            day,
            state.dataset,
        )
    except _FAILED as exc:
        return web.go("/", f"Could not publish {day}: {exc}", request)
    n = len(result["events"])
    mwh = sum(result["allowed_mwh"].values())
    return web.go("/", f"Published {day}: {n} day-ahead events, {mwh:,.1f} MWh allowed.", request)


@router.post("/console/curtail/preview", response_class=HTMLResponse)
async def curtail_preview(request: Request) -> Response:
    """The confirmation step: what the curtailment will cut, site by site, hour by hour."""
    who, form, refused = await web.checked_post(request)
    if who is None:
        return refused
    state = web.state_of(request)
    programme = await run_in_threadpool(
        load_programme, state.engine, pd.Timestamp.now(tz="UTC") - pd.Timedelta(days=2)
    )
    try:
        req = actions.parse_curtailment(form, programme)
        preview = await run_in_threadpool(actions.curtailment_preview, programme, req)
    except _FAILED as exc:
        return web.go("/", f"Curtailment not sent: {exc}", request)
    context = {
        "req": req,
        "start_utc": req.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "start_local": req.start.tz_convert(programme.tz).strftime("%d %b %Y %H:%M"),
        "preview": preview,
        "cut_mwh": sum(p["cut_mwh"] for p in preview),
        "programme_tz": programme.tz,
    }
    return web.page_done(
        web.html_page(
            "confirm.html.j2", **web.base_context(request, who, "Confirm curtailment"), **context
        ),
        request,
    )


@router.post("/console/curtail")
async def curtail(request: Request) -> Response:
    """Publish a confirmed curtailment."""
    who, form, refused = await web.checked_post(request)
    if who is None:
        return refused
    state = web.state_of(request)
    vtn = await run_in_threadpool(state.operator_app, request.app)
    programme = await run_in_threadpool(
        load_programme, state.engine, pd.Timestamp.now(tz="UTC") - pd.Timedelta(days=2)
    )
    try:
        req = actions.parse_curtailment(form, programme)
        done = await run_in_threadpool(actions.curtail, vtn, state.engine, who.client_id, req)
    except _FAILED as exc:
        return web.go("/", f"Curtailment not sent: {exc}", request)
    return web.go(
        "/",
        f"Curtailment sent: {req.scope} {req.target} to {req.limit_mw:g} MW for {req.hours} h, "
        f"{len(done)} site(s).",
        request,
    )


@router.post("/console/settlement")
async def settlement(request: Request) -> Response:
    """A month's bills as a CSV download (collected into the audit log first)."""
    who, form, refused = await web.checked_post(request)
    if who is None:
        return refused
    state = web.state_of(request)
    vtn = await run_in_threadpool(state.operator_app, request.app)
    month = form.get("month", "")
    try:
        text = await run_in_threadpool(
            actions.settlement_csv,
            vtn,
            state.engine,
            who.client_id,
            month,
        )
    except _FAILED as exc:
        return web.go("/", f"No settlement for '{month}': {exc}", request)
    headers = {
        **web.SECURITY_HEADERS,
        "Content-Disposition": f'attachment; filename="bills-{quote(month)}.csv"',
    }
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


__all__ = ["router"]
