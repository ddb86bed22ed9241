"""Versioned SQL migrations, applied in order at start-up.

Each file ``migrations/NNNN_name.sql`` is portable SQL (the same text runs on SQLite and
PostgreSQL); it is applied once, in one transaction together with its row in ``schema_version``.
Plain SQL rather than alembic: the server upgrades itself when it starts (an operator only runs
``gridsurplus serve``), there is no alembic.ini or env.py to ship, and a reviewer reads the whole
schema in one file. On PostgreSQL an advisory lock keeps two starting servers from migrating at
once; on SQLite ``BEGIN IMMEDIATE`` does the same.

Examples
--------
>>> [name for _, name, _ in migrations()][:2]
['0001_initial.sql', '0002_event_end.sql']
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

_LOCK_KEY = 7_300_310  # PostgreSQL advisory lock id for migrations ("VTN 3.1")


def migrations() -> list[tuple[int, str, str]]:
    """All migrations as (version, file name, SQL text), oldest first."""
    folder = resources.files("gridsurplus.server.db") / "migrations"
    found = []
    for item in folder.iterdir():
        if item.name.endswith(".sql"):
            found.append((int(item.name.split("_", 1)[0]), item.name, item.read_text("utf-8")))
    return sorted(found)


def _statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def current_version(engine: Engine) -> int:
    """The newest migration applied to the database (0 for an empty database)."""
    from sqlalchemy import inspect, text

    if not inspect(engine).has_table("schema_version"):
        return 0
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar() or 0)


def migrate(engine: Engine, target: int | None = None) -> int:
    """Apply every migration newer than the database's version, up to ``target`` (default: all).

    Returns
    -------
    int
        The database's version afterwards.
    """
    from sqlalchemy import text

    from gridsurplus.server.db.clock import utc_now_text

    with engine.connect().execution_options(gridsurplus_write=True) as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, name VARCHAR(128) NOT NULL, "
                "applied VARCHAR(32) NOT NULL)"
            )
        )
    version = current_version(engine)
    for number, name, sql in migrations():
        if number <= version or (target is not None and number > target):
            continue
        with engine.connect().execution_options(gridsurplus_write=True) as conn, conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
            done = conn.execute(
                text("SELECT COUNT(*) FROM schema_version WHERE version = :v"), {"v": number}
            ).scalar()
            if done:
                continue
            for statement in _statements(sql):
                conn.exec_driver_sql(statement)
            conn.execute(
                text("INSERT INTO schema_version (version, name, applied) VALUES (:v, :n, :t)"),
                {"v": number, "n": name, "t": utc_now_text()},
            )
        version = number
    return version
