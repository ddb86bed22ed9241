"""The FastAPI application of the VTN: ``create_app(db_url)`` and nothing global.

Examples
--------
>>> app = create_app("sqlite://")
>>> sorted(path for path in app.openapi()["paths"] if "auth" in path)
['/openadr3/3.1.0/auth/server', '/openadr3/3.1.0/auth/token']
>>> app.state.vtn.engine.dispose()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gridsurplus.server import BASE_PATH

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(db_url: str | None = None, **limits: Any) -> FastAPI:
    """Build the VTN application on the database at ``db_url``.

    The database is opened (created, migrated) here, so a bad URL fails at once.

    Parameters
    ----------
    db_url : str or None
        SQLAlchemy URL (``sqlite:///PATH``, ``postgresql://...``); None for the default SQLite
        file in the data folder (see :func:`gridsurplus.server.db.default_db_url`).
    **limits
        Fields of :class:`gridsurplus.server.limits.Limits`: ``max_body_bytes``, ``max_page``,
        ``rate_per_s``, ``rate_burst``, ``token_lifetime_s``.

    Returns
    -------
    fastapi.FastAPI
        The application; serve it with uvicorn (``gridsurplus serve`` does).
    """
    from fastapi import FastAPI

    from gridsurplus.server.auth import TokenCache
    from gridsurplus.server.db import open_engine
    from gridsurplus.server.deps import VtnState
    from gridsurplus.server.limits import Limits, RateLimiter, RequestGuard
    from gridsurplus.server.problems import install_problem_handlers
    from gridsurplus.server.routes import ROUTERS

    settings = Limits(**limits)
    if settings.max_page > 50:
        raise ValueError(f"max_page {settings.max_page} is above the spec's 50")
    engine = open_engine(db_url, pool_size=settings.max_concurrent)
    app = FastAPI(
        title="gridsurplus VTN (OpenADR 3.1.0)",
        version="3.1.0",
        openapi_url=f"{BASE_PATH}/openapi.json",
        docs_url=None,  # Swagger UI loads from a CDN; everything here stays offline
        swagger_ui_oauth2_redirect_url=None,
        redoc_url=None,
    )
    app.state.vtn = VtnState(
        engine=engine,
        limits=settings,
        rate=RateLimiter(settings.rate_per_s, settings.rate_burst),
        tokens=TokenCache(),
    )
    install_problem_handlers(app)
    for router in ROUTERS:
        app.include_router(router, prefix=BASE_PATH)
    app.add_middleware(
        RequestGuard,  # type: ignore[arg-type]
        max_bytes=settings.max_body_bytes,
        max_concurrent=settings.max_concurrent,
    )
    return app
