"""The OpenADR 3.1.0 VTN: the grid operator's server that sites (VENs) talk to.

Layout: :mod:`~gridsurplus.server.app` builds the FastAPI application; :mod:`.auth` issues
and checks OAuth2 client-credential tokens; :mod:`.privacy` writes the 3.1 object-privacy
rules as query clauses; one module per resource under :mod:`.routes`; :mod:`.db` holds the
typed ORM models, the engine set-up (SQLite with WAL, or PostgreSQL) and the versioned SQL
migrations applied at start-up. Nothing here plans or re-plans: the server only stores and
serves what the business logic (BL) and the sites write.
"""

from __future__ import annotations

BASE_PATH = "/openadr3/3.1.0"
"""Every OpenADR route lives under this prefix."""
