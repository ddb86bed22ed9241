"""Errors as RFC 9457 problem objects (``application/problem+json``), as the spec asks."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI, Request
    from starlette.responses import JSONResponse

PROBLEM_TYPE = "application/problem+json"
_log = logging.getLogger("gridsurplus.server")

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
}


class ApiProblem(Exception):
    """An error answered with a problem object.

    Parameters
    ----------
    status : int
        HTTP status code.
    detail : str
        What went wrong and, where it helps, what to do.
    headers : dict or None
        Extra response headers (e.g. ``WWW-Authenticate``, ``Retry-After``).
    extra : dict or None
        Extra members of the problem object (e.g. OAuth2's ``error``).
    """

    def __init__(
        self,
        status: int,
        detail: str,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers
        self.extra = extra or {}


def problem_body(status: int, detail: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The problem object for ``status`` with ``detail``.

    Examples
    --------
    >>> problem_body(404, "no program 'p1'")
    {'type': 'about:blank', 'title': 'Not Found', 'status': 404, 'detail': "no program 'p1'"}
    """
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    body.update(extra or {})
    return body


def problem_response(
    status: int,
    detail: str,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """A JSON response carrying a problem object."""
    from starlette.responses import JSONResponse

    return JSONResponse(
        problem_body(status, detail, extra), status, headers=headers, media_type=PROBLEM_TYPE
    )


def _describe_validation(errors: list[Any]) -> str:
    parts = []
    for error in errors[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error (ours, routing, validation, unexpected) with a problem object."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    async def on_problem(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiProblem)
        return problem_response(exc.status, exc.detail, exc.headers, exc.extra)

    async def on_http(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "")
        if exc.status_code == 404 and detail == "Not Found":
            detail = "no such URL on this VTN"
        return problem_response(exc.status_code, detail, dict(exc.headers or {}) or None)

    async def on_validation(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(400, _describe_validation(list(exc.errors())))

    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        _log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(500, "unexpected server error; the request was not applied")

    app.add_exception_handler(ApiProblem, on_problem)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_error)
