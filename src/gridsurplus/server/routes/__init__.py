"""One router per resource; :data:`ROUTERS` lists them in the order they are mounted."""

from __future__ import annotations

from gridsurplus.server.routes import (
    auth,
    events,
    programs,
    reports,
    resources,
    subscriptions,
    vens,
)

ROUTERS = [
    auth.router,
    programs.router,
    events.router,
    reports.router,
    subscriptions.router,
    vens.router,
    resources.router,
]
