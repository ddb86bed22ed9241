"""What ``gridsurplus serve`` serves: the VTN with the operator's console mounted at ``/``.

The VTN (:func:`gridsurplus.server.app.create_app`) knows nothing of the console; the console
acts through the operations stage, which talks to a VTN. This module sits above both and puts
them together, so imports run one way: console -> operations -> VTN.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

ENV_DB = "GRIDSURPLUS_VTN_DB"
ENV_RATE = "GRIDSURPLUS_VTN_RATE"


def create_site(
    db_url: str | None = None, *, dataset: str | Path | None = None, **limits: Any
) -> FastAPI:
    """The VTN on ``db_url`` with the console at ``/`` (``limits`` as :func:`create_app`).

    Parameters
    ----------
    db_url : str, optional
        Database URL (default: the SQLite file of :func:`gridsurplus.server.db.resolve_url`).
    dataset : str or Path, optional
        Dataset folder the console publishes schedules on (see
        :func:`gridsurplus.server.console.mount_console`).
    **limits
        Passed to :func:`gridsurplus.server.app.create_app`.
    """
    from gridsurplus.server.app import create_app
    from gridsurplus.server.console import mount_console

    app = create_app(db_url, **limits)
    mount_console(app, dataset)
    return app


def site_from_env() -> FastAPI:
    """:func:`create_site` with the URL and rate in ``$GRIDSURPLUS_VTN_DB``/``_RATE``.

    The factory each uvicorn worker process calls when ``gridsurplus serve --workers N``; like
    ``serve`` with one process, it calls :func:`freeze_heap` once the site is built.
    """
    rate = os.environ.get(ENV_RATE)
    limits: dict[str, Any] = {"rate_per_s": float(rate)} if rate else {}
    site = create_site(os.environ.get(ENV_DB) or None, **limits)
    freeze_heap()
    return site


def freeze_heap() -> None:
    """Keep the objects alive now out of every later garbage collection (``gc.freeze``).

    The server process holds what it imported (FastAPI, SQLAlchemy, pydantic, the console's
    pandas): a full collection walked all of it, about 90 ms with every request stopped, every
    few seconds under load. Those objects live as long as the process, so collections need not
    look at them again. Called by the server process only, once its site is built (a test or
    a program that builds sites in its own process keeps collecting as usual).
    """
    import gc

    gc.collect()
    gc.freeze()


__all__ = ["ENV_DB", "ENV_RATE", "create_site", "freeze_heap", "site_from_env"]
