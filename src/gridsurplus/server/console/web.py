"""What the console's routes share: state, templates, cookies, the session, refusals.

Pages are rendered with Jinja2 (autoescaped) and sent with a strict Content-Security-Policy:
scripts, styles, pictures and requests from this server only, no inline script or style.
Cookies are ``HttpOnly``, ``SameSite=Strict``, and ``Secure`` when the request came over https.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import numpy as np
from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from gridsurplus.server.console import session
from gridsurplus.server.console.paths import TEMPLATES

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
    _operator_app: Any = None
    _outlines: dict[str, Sequence[np.ndarray]] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def outlines(self) -> Mapping[str, Sequence[np.ndarray]]:
        """The region outlines of the dataset the console schedules (empty when it has none)."""
        from gridsurplus.dataset.io import default_dataset_path
        from gridsurplus.dataset.presentation import load_presentation

        folder = self.dataset if self.dataset is not None else default_dataset_path()
        if self._outlines is None:
            self._outlines = dict(load_presentation(folder).outlines)
        return self._outlines

    def operator_app(self, serving: Any) -> Any:
        """The VTN application the console's actions call, in this process.

        A second application on the same database, made once, with the rate limit lifted (the
        operator's own actions): the serving application's request slots and event loop are
        never entered from inside one of its own requests. An in-memory database has no second
        connection, so there the serving application itself is used.
        """
        if self.engine.url.database in (None, "", ":memory:"):
            return serving
        with self._lock:
            if self._operator_app is None:
                from gridsurplus.server.app import create_app

                url = self.engine.url.render_as_string(hide_password=False)
                self._operator_app = create_app(url, rate_per_s=1e9, rate_burst=10**9)
            return self._operator_app

    def close(self) -> None:
        """Dispose of the actions' application's database connections (if it was made)."""
        with self._lock:
            if self._operator_app is not None:
                self._operator_app.state.vtn.engine.dispose()
                self._operator_app = None


def state_of(request: Request) -> ConsoleState:
    """The console state of the application serving ``request``."""
    state = request.app.state.console
    assert isinstance(state, ConsoleState)
    return state


def templates() -> Any:
    """The Jinja2 environment of the console (autoescaped), made once."""
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


def html_page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A template rendered as an HTML response with the security headers."""
    text = templates().get_template(name).render(**context)
    return HTMLResponse(text, status_code=status, headers=SECURITY_HEADERS)


def set_cookie(response: Response, request: Request, name: str, value: str, age: int) -> None:
    """Set an ``HttpOnly``, ``SameSite=Strict`` cookie, ``Secure`` over https [age in s]."""
    response.set_cookie(
        name,
        value,
        max_age=age,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )


def signed_in(request: Request) -> session.Session | None:
    """The request's valid session, else None."""
    state = state_of(request)
    return session.read_session(
        state.key,
        request.cookies.get(session.SESSION_COOKIE),
        lambda cid: session.operator_digest(state.engine, cid),
    )


async def read_form(request: Request) -> dict[str, str]:
    """The URL-encoded form of a POST (last value of each field)."""
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}


def refused(status: int, detail: str) -> HTMLResponse:
    """The page saying why a request was refused."""
    return html_page("refused.html.j2", status=status, detail=detail, title="Refused")


def go(to: str, flash: str | None = None, request: Request | None = None) -> RedirectResponse:
    """A 303 redirect, with a one-minute message cookie for the next page if ``flash``."""
    response = RedirectResponse(to, status_code=303, headers=SECURITY_HEADERS)
    if flash is not None and request is not None:
        set_cookie(response, request, FLASH_COOKIE, quote(flash), 60)
    return response


def base_context(
    request: Request, who: session.Session, title: str, **extra: Any
) -> dict[str, Any]:
    """What every signed-in page needs: title, who, CSRF token, message, poll period."""
    from urllib.parse import unquote

    return {
        "title": title,
        "who": who.client_id,
        "csrf": session.csrf_token(state_of(request).key, who.sid),
        "flash": unquote(request.cookies.get(FLASH_COOKIE, "")) or None,
        "poll_ms": 1000 * state_of(request).poll_seconds,
        **extra,
    }


def page_done(response: HTMLResponse, request: Request) -> HTMLResponse:
    """Clear the message cookie once a page has shown it."""
    if request.cookies.get(FLASH_COOKIE):
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


async def checked_post(request: Request) -> tuple[session.Session | None, dict[str, str], Any]:
    """The session and form of a POST, or the refusal to send."""
    who = signed_in(request)
    form = await read_form(request)
    if who is None:
        return None, form, refused(401, "Sign in first.")
    if not session.check_csrf(state_of(request).key, who.sid, form.get("csrf")):
        return None, form, refused(403, "This form did not come from your session (CSRF token).")
    return who, form, None


def live_unchanged(request: Request, who: session.Session | None, stamp: str) -> Response | None:
    """401 without a session, 204 when nothing changed since the page's stamp, else None."""
    if who is None:
        return JSONResponse({"detail": "sign in first"}, status_code=401, headers=SECURITY_HEADERS)
    if request.query_params.get("stamp") == stamp:
        return Response(status_code=204, headers=SECURITY_HEADERS)
    return None


__all__ = [
    "FLASH_COOKIE",
    "SECURITY_HEADERS",
    "ConsoleState",
    "base_context",
    "checked_post",
    "go",
    "html_page",
    "live_unchanged",
    "page_done",
    "read_form",
    "refused",
    "set_cookie",
    "signed_in",
    "state_of",
    "templates",
]
