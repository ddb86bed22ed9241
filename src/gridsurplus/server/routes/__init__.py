"""One router per resource; :data:`ROUTERS` lists them in the order they are mounted."""

from __future__ import annotations

from gridsurplus.server.routes import auth

ROUTERS = [auth.router]
