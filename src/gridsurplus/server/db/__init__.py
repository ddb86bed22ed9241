"""The VTN's database: where it lives, how it is opened, and its schema.

With no URL the server keeps its state in ``vtn.sqlite`` inside the data folder
(``$GRIDSURPLUS_HOME``, else ``$XDG_DATA_HOME/gridsurplus``, else
``~/.local/share/gridsurplus``). A ``postgresql://`` URL runs on PostgreSQL through psycopg 3.

Examples
--------
>>> normalise_url("postgresql://vtn@db/vtn")
'postgresql+psycopg://vtn@db/vtn'
>>> normalise_url("sqlite:///tmp/x.sqlite")
'sqlite:///tmp/x.sqlite'
>>> normalise_url("mysql://db/vtn")
Traceback (most recent call last):
...
gridsurplus.server.db.DatabaseError: unsupported database URL 'mysql://db/vtn': use sqlite:///...
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from gridsurplus.errors import GridsurplusError
from gridsurplus.server.db.clock import utc_now_text as utc_now_text

if TYPE_CHECKING:
    from sqlalchemy import Engine

ENV_HOME = "GRIDSURPLUS_HOME"
"""Environment variable naming the data folder."""

BUSY_TIMEOUT_S = 30.0
"""How long a SQLite writer waits for the one before it before giving up [s]."""


class DatabaseError(GridsurplusError):
    """The database URL is unusable or the database cannot be opened."""


def data_dir() -> Path:
    """The folder where the server keeps its SQLite database by default.

    Returns
    -------
    Path
        ``$GRIDSURPLUS_HOME``, else ``$XDG_DATA_HOME/gridsurplus``, else
        ``~/.local/share/gridsurplus``.
    """
    if os.environ.get(ENV_HOME):
        return Path(os.environ[ENV_HOME]).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "gridsurplus"


def default_db_url() -> str:
    """URL of the default database: ``vtn.sqlite`` in :func:`data_dir`."""
    return f"sqlite:///{data_dir() / 'vtn.sqlite'}"


def resolve_url(db_url: str | None) -> str:
    """The URL to open: ``db_url`` normalised, or :func:`default_db_url` when it is None."""
    return normalise_url(db_url) if db_url else default_db_url()


def normalise_url(db_url: str) -> str:
    """Map ``postgresql://`` and ``postgres://`` to the psycopg 3 driver; check the scheme."""
    for prefix in ("postgresql://", "postgres://"):
        if db_url.startswith(prefix):
            return "postgresql+psycopg://" + db_url[len(prefix) :]
    if db_url.startswith(("postgresql+psycopg://", "sqlite://")):
        return db_url
    raise DatabaseError(
        f"unsupported database URL '{db_url}': use sqlite:///PATH or postgresql://USER@HOST/NAME"
    )


def describe_url(db_url: str) -> str:
    """The URL with any password masked, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(db_url).render_as_string(hide_password=True)


def open_engine(db_url: str | None = None, pool_size: int = 24) -> Engine:
    """Open (and create or upgrade) the VTN database.

    SQLite runs with WAL journaling and ``synchronous=FULL`` so that a committed write survives
    a SIGKILL (and a power cut); foreign keys are enforced; transactions that write start with
    ``BEGIN IMMEDIATE`` so two writers wait for each other instead of failing, and writers of
    this process queue on a lock first (:mod:`gridsurplus.server.db.writers`), so the next one
    starts as soon as the last one commits.

    Parameters
    ----------
    db_url : str or None
        SQLAlchemy URL; None for :func:`default_db_url`.
    pool_size : int
        Connections kept open [connections]; 4 more may open at busy moments.

    Returns
    -------
    sqlalchemy.Engine
        An engine whose schema is at the newest migration.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url

    from gridsurplus.server.db.migrate import migrate

    url = resolve_url(db_url)
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        if not database or database == ":memory:":
            from sqlalchemy.pool import StaticPool

            engine = create_engine(
                url, connect_args={"check_same_thread": False}, poolclass=StaticPool
            )
        else:
            from gridsurplus.server.db.writers import QueuedWriterConnection

            engine = create_engine(
                url,
                connect_args={"timeout": BUSY_TIMEOUT_S, "factory": QueuedWriterConnection},
                pool_size=pool_size,
                max_overflow=4,
            )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):  # type: ignore[no-untyped-def]
            if not connection.get_execution_options().get("gridsurplus_write", False):
                connection.exec_driver_sql("BEGIN")
                return
            dbapi_connection = connection.connection.dbapi_connection
            queued = hasattr(dbapi_connection, "acquire_write_lock")
            if queued:  # a file database (an in-memory one has a single connection)
                dbapi_connection.acquire_write_lock(BUSY_TIMEOUT_S)
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            except Exception:
                if queued:
                    dbapi_connection.release_write_lock()
                raise

    else:
        engine = create_engine(url, pool_size=pool_size, max_overflow=4, pool_pre_ping=True)
    try:
        migrate(engine)
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open the database {describe_url(url)}: {exc}") from exc
    return engine
