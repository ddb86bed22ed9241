"""The console's routes: sign-in and out, the overview, a site's page, the actions, live data.

Every page but the sign-in form needs a valid session; every POST needs the form's CSRF token.
Handlers read the form themselves (URL-encoded) and run database work in the thread pool.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from gridsurplus.errors import GridsurplusError
from gridsurplus.operations.timeline import GRACE_MINUTES
from gridsurplus.server.console import TEMPLATES, actions, session, svg, views
from gridsurplus.server.console.data import (
    changes_stamp,
    load_programme,
    load_readings,
)

router = APIRouter(include_in_schema=False)
POLL_SECONDS = 5
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
FLASH_COOKIE = "gs_flash"


@dataclass
class ConsoleState:
    """The console's process state: the database, the signing key, the dataset to schedule."""

    engine: Any
    key: bytes
    dataset: str | Path | None = None
    poll_seconds: int = POLL_SECONDS


def _state(request: Request) -> ConsoleState:
    state = request.app.state.console
    assert isinstance(state, ConsoleState)
    return state


def _templates() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    if "env" not in _ENV:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
        )
        env.filters["mw"] = lambda kw: "–" if kw is None else f"{kw / 1000.0:,.2f}"
        env.filters["num"] = lambda x, d=1: "–" if x is None else f"{x:,.{d}f}"
        env.filters["q"] = lambda s: quote(str(s), safe="")
        _ENV["env"] = env
    return _ENV["env"]


_ENV: dict[str, Any] = {}


def _html(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    text = _templates().get_template(name).render(**context)
    return HTMLResponse(text, status_code=status, headers=SECURITY_HEADERS)


def _cookie(response: Response, request: Request, name: str, value: str, age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=age,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )


def _signed_in(request: Request) -> session.Session | None:
    state = _state(request)
    return session.read_session(
        state.key,
        request.cookies.get(session.SESSION_COOKIE),
        lambda cid: session.operator_digest(state.engine, cid),
    )


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}


def _refused(status: int, detail: str) -> HTMLResponse:
    return _html("refused.html.j2", status=status, detail=detail, title="Refused")


def _go(to: str, flash: str | None = None, request: Request | None = None) -> RedirectResponse:
    response = RedirectResponse(to, status_code=303, headers=SECURITY_HEADERS)
    if flash is not None and request is not None:
        _cookie(response, request, FLASH_COOKIE, quote(flash), 60)
    return response


def _base(request: Request, who: session.Session, title: str, **extra: Any) -> dict[str, Any]:
    from urllib.parse import unquote

    return {
        "title": title,
        "who": who.client_id,
        "csrf": session.csrf_token(_state(request).key, who.sid),
        "flash": unquote(request.cookies.get(FLASH_COOKIE, "")) or None,
        "poll_ms": 1000 * _state(request).poll_seconds,
        **extra,
    }


def _page(response: HTMLResponse, request: Request) -> HTMLResponse:
    if request.cookies.get(FLASH_COOKIE):
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


# ---------------------------------------------------------------- sign-in


def _signin_page(
    request: Request, error: str | None = None, status: int = 200, client_id: str = ""
) -> HTMLResponse:
    key = _state(request).key
    cookie = session.make_signin_nonce(key)
    nonce = session.read_signin_nonce(key, cookie)
    assert nonce is not None
    response = _html(
        "signin.html.j2",
        status=status,
        title="Sign in",
        csrf=session.csrf_token(key, nonce),
        error=error,
        client_id=client_id,
    )
    _cookie(response, request, session.SIGNIN_COOKIE, cookie, 3600)
    return response


@router.post("/console/signin")
async def sign_in(request: Request) -> Response:
    """Check the form's BL client id and secret; on success set the session cookie."""
    state = _state(request)
    form = await _form(request)
    nonce = session.read_signin_nonce(state.key, request.cookies.get(session.SIGNIN_COOKIE))
    if not session.check_csrf(state.key, nonce, form.get("csrf")):
        return _refused(403, "The sign-in form has expired or did not come from this console.")
    client_id = form.get("client_id", "").strip()
    digest, reason = await run_in_threadpool(
        session.verify_operator, state.engine, client_id, form.get("client_secret", "")
    )
    if digest is None:
        return _signin_page(request, reason, status=401, client_id=client_id)
    response = _go("/")
    cookie = session.make_session(state.key, client_id, digest, hours=session.SESSION_HOURS)
    _cookie(response, request, session.SESSION_COOKIE, cookie, int(session.SESSION_HOURS * 3600))
    response.delete_cookie(session.SIGNIN_COOKIE, path="/")
    return response


@router.post("/console/signout")
async def sign_out(request: Request) -> Response:
    """End the session (the form's CSRF token is required)."""
    who = _signed_in(request)
    form = await _form(request)
    if who is None:
        return _go("/")
    if not session.check_csrf(_state(request).key, who.sid, form.get("csrf")):
        return _refused(403, "This form did not come from your session (CSRF token missing).")
    response = _go("/")
    response.delete_cookie(session.SESSION_COOKIE, path="/")
    return response


async def _checked_post(request: Request) -> tuple[session.Session | None, dict[str, str], Any]:
    """The session and form of a POST, or the refusal to send."""
    who = _signed_in(request)
    form = await _form(request)
    if who is None:
        return None, form, _refused(401, "Sign in first.")
    if not session.check_csrf(_state(request).key, who.sid, form.get("csrf")):
        return None, form, _refused(403, "This form did not come from your session (CSRF token).")
    return who, form, None


# ---------------------------------------------------------------- overview


def _overview_context(state: ConsoleState) -> dict[str, Any]:
    programme = load_programme(state.engine)
    now = pd.Timestamp.now(tz="UTC")
    readings = load_readings(state.engine, programme)
    sites = views.site_now(programme, readings, now)
    today = programme.local_day(now)
    days = []
    for day in (today, today + dt.timedelta(days=1)):
        s = views.day_surplus(programme, day)
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
        "map": svg.site_map(sites) if sites else "",
        "days": days,
        "now": now.tz_convert(programme.tz).strftime("%d %b %Y %H:%M"),
        "stamp": changes_stamp(state.engine),
        "regions": sorted(set(programme.fleet["region"])),
        "grace": GRACE_MINUTES,
    }


@router.get("/", response_class=HTMLResponse)
async def overview(request: Request) -> Response:
    """The sign-in form, or today and tomorrow at a glance."""
    who = _signed_in(request)
    if who is None:
        return _signin_page(request)
    context = await run_in_threadpool(_overview_context, _state(request))
    month = context["programme"].local_day().strftime("%Y-%m")
    base = _base(request, who, "Overview", live_url="/console/live", month=month)
    return _page(_html("overview.html.j2", **base, **context), request)


def _live(request: Request, who: session.Session | None, stamp: str) -> Response | None:
    if who is None:
        return JSONResponse({"detail": "sign in first"}, status_code=401, headers=SECURITY_HEADERS)
    if request.query_params.get("stamp") == stamp:
        return Response(status_code=204, headers=SECURITY_HEADERS)
    return None


@router.get("/console/live")
async def overview_live(request: Request) -> Response:
    """The overview's live part as HTML in JSON; 204 when nothing changed since ``stamp``."""
    who = _signed_in(request)
    state = _state(request)
    stamp = await run_in_threadpool(changes_stamp, state.engine)
    early = _live(request, who, stamp)
    if early is not None:
        return early
    context = await run_in_threadpool(_overview_context, state)
    html = _templates().get_template("overview_live.html.j2").render(**context)
    return JSONResponse({"stamp": context["stamp"], "html": html}, headers=SECURITY_HEADERS)


# ---------------------------------------------------------------- a site


def _site_context(state: ConsoleState, site: str, day_text: str | None) -> dict[str, Any] | None:
    programme = load_programme(state.engine)
    row = programme.site_row(site)
    if row is None:
        return None
    now = pd.Timestamp.now(tz="UTC")
    try:
        day = dt.date.fromisoformat(day_text) if day_text else programme.local_day(now)
    except ValueError:
        day = programme.local_day(now)
    readings = load_readings(state.engine, programme, [site])
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
    who = _signed_in(request)
    if who is None:
        return _go("/")
    day = request.query_params.get("day")
    context = await run_in_threadpool(_site_context, _state(request), site, day)
    if context is None:
        return _refused(404, f"No enrolled site '{site}'.")
    live = f"/console/sites/{quote(site, safe='')}/live?day={context['day'].isoformat()}"
    base = _base(request, who, site, live_url=live)
    return _page(_html("site.html.j2", **base, **context), request)


@router.get("/console/sites/{site}/live")
async def site_live(request: Request, site: str) -> Response:
    """The site page's live part as HTML in JSON; 204 when nothing changed since ``stamp``."""
    who = _signed_in(request)
    state = _state(request)
    stamp = await run_in_threadpool(changes_stamp, state.engine)
    early = _live(request, who, stamp)
    if early is not None:
        return early
    day = request.query_params.get("day")
    context = await run_in_threadpool(_site_context, state, site, day)
    if context is None:
        return JSONResponse({"detail": f"no site '{site}'"}, status_code=404)
    html = _templates().get_template("site_live.html.j2").render(**context)
    return JSONResponse({"stamp": context["stamp"], "html": html}, headers=SECURITY_HEADERS)


# ---------------------------------------------------------------- actions


_FAILED = (actions.ActionError, GridsurplusError, ValueError)


@router.post("/console/publish")
async def publish(request: Request) -> Response:
    """Publish the day-ahead schedule of a day (tomorrow unless the form says otherwise)."""
    who, form, refused = await _checked_post(request)
    if who is None:
        return refused
    state = _state(request)
    programme = await run_in_threadpool(load_programme, state.engine)
    try:
        day = dt.date.fromisoformat(form.get("day") or "")
    except ValueError:
        day = programme.local_day() + dt.timedelta(days=1)
    try:
        result = await run_in_threadpool(
            actions.publish, request.app, state.engine, who.client_id, day, state.dataset
        )
    except _FAILED as exc:
        return _go("/", f"Could not publish {day}: {exc}", request)
    n = len(result["events"])
    mwh = sum(result["allowed_mwh"].values())
    return _go("/", f"Published {day}: {n} day-ahead events, {mwh:,.1f} MWh allowed.", request)


@router.post("/console/curtail/preview", response_class=HTMLResponse)
async def curtail_preview(request: Request) -> Response:
    """The confirmation step: what the curtailment will cut, site by site, hour by hour."""
    who, form, refused = await _checked_post(request)
    if who is None:
        return refused
    state = _state(request)
    programme = await run_in_threadpool(load_programme, state.engine)
    try:
        req = actions.parse_curtailment(form, programme)
        preview = await run_in_threadpool(actions.curtailment_preview, programme, req)
    except _FAILED as exc:
        return _go("/", f"Curtailment not sent: {exc}", request)
    context = {
        "req": req,
        "start_utc": req.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "start_local": req.start.tz_convert(programme.tz).strftime("%d %b %Y %H:%M"),
        "preview": preview,
        "cut_mwh": sum(p["cut_mwh"] for p in preview),
        "programme_tz": programme.tz,
    }
    return _page(
        _html("confirm.html.j2", **_base(request, who, "Confirm curtailment"), **context), request
    )


@router.post("/console/curtail")
async def curtail(request: Request) -> Response:
    """Publish a confirmed curtailment."""
    who, form, refused = await _checked_post(request)
    if who is None:
        return refused
    state = _state(request)
    programme = await run_in_threadpool(load_programme, state.engine)
    try:
        req = actions.parse_curtailment(form, programme)
        done = await run_in_threadpool(
            actions.curtail, request.app, state.engine, who.client_id, req
        )
    except _FAILED as exc:
        return _go("/", f"Curtailment not sent: {exc}", request)
    return _go(
        "/",
        f"Curtailment sent: {req.scope} {req.target} to {req.limit_mw:g} MW for {req.hours} h, "
        f"{len(done)} site(s).",
        request,
    )


@router.post("/console/settlement")
async def settlement(request: Request) -> Response:
    """A month's bills as a CSV download (collected into the audit log first)."""
    who, form, refused = await _checked_post(request)
    if who is None:
        return refused
    state = _state(request)
    month = form.get("month", "")
    try:
        text = await run_in_threadpool(
            actions.settlement_csv, request.app, state.engine, who.client_id, month
        )
    except _FAILED as exc:
        return _go("/", f"No settlement for '{month}': {exc}", request)
    headers = {
        **SECURITY_HEADERS,
        "Content-Disposition": f'attachment; filename="bills-{quote(month)}.csv"',
    }
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


__all__ = ["ConsoleState", "router"]
