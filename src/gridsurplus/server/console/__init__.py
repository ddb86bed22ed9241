"""The operator's console: the programme, live, in the browser, served by the VTN itself.

``gridsurplus serve`` serves it at ``/``. The grid operator's control room signs in with a BL
client's id and secret (:mod:`.session`), sees today and tomorrow at a glance (a map of the sites
on the dataset's region outlines, each site's allowance now and last reported use, the fleet's
surplus and its short hours), opens a site's day (allowance against usage, events, compliance,
the month's bill so far), and acts: publishes tomorrow's schedule, curtails a region or a site
after a confirmation that shows the cut, downloads a month's settlement (:mod:`.actions`).
Pages refresh their figures by polling (``static/console.js``). Every script, style and picture
comes from this server: the charts and the map are inline SVG drawn here (:mod:`.svg`), so the
console works with no network beyond the server, and a strict Content-Security-Policy holds.

Layout: :mod:`.data` reads the VTN's database; :mod:`.views` computes the figures with the
operations stage's own functions; :mod:`.svg` draws; :mod:`.pages` are the routes and
:mod:`.web` what they share (state, templates, cookies, refusals).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

from gridsurplus.server.console.paths import ENV_DATASET, STATIC, TEMPLATES


def mount_console(app: FastAPI, dataset: str | Path | None = None) -> None:
    """Add the console's pages at ``/`` and its static files at ``/console/static``.

    Parameters
    ----------
    app : fastapi.FastAPI
        The VTN application (its ``state.vtn`` holds the database engine).
    dataset : str or Path, optional
        Dataset folder for publishing schedules; default ``$GRIDSURPLUS_DATASET``, else the
        embedded dataset. ``app.state.console.dataset`` may be changed afterwards.
    """
    import os

    from fastapi.staticfiles import StaticFiles

    from gridsurplus.server.console.pages import router
    from gridsurplus.server.console.session import console_key
    from gridsurplus.server.console.web import ConsoleState

    engine = app.state.vtn.engine
    chosen = dataset if dataset is not None else (os.environ.get(ENV_DATASET) or None)
    app.state.console = ConsoleState(engine=engine, key=console_key(engine), dataset=chosen)
    app.include_router(router)
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")


__all__ = ["ENV_DATASET", "STATIC", "TEMPLATES", "mount_console"]
