"""The database: default location, migrations, ORM models matching the schema, SQLite pragmas."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from gridsurplus.server.db import data_dir, default_db_url, open_engine, resolve_url
from gridsurplus.server.db.migrate import current_version, migrate, migrations
from gridsurplus.server.db.models import Base


def test_default_database_lives_in_the_data_folder(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:  # fmt: skip
    monkeypatch.setenv("GRIDSURPLUS_HOME", str(tmp_path / "home"))
    assert data_dir() == tmp_path / "home"
    assert default_db_url() == f"sqlite:///{tmp_path / 'home' / 'vtn.sqlite'}"
    assert resolve_url(None) == default_db_url()
    monkeypatch.delenv("GRIDSURPLUS_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "gridsurplus"
    engine = open_engine(None)
    engine.dispose()
    assert (tmp_path / "xdg" / "gridsurplus" / "vtn.sqlite").exists()


def test_migrations_apply_once_and_match_the_models(db_url: str) -> None:
    engine = open_engine(db_url)
    try:
        newest = max(number for number, _, _ in migrations())
        assert current_version(engine) == newest
        assert migrate(engine) == newest  # a second start changes nothing
        inspector = inspect(engine)
        for table in Base.metadata.sorted_tables:
            columns = {c["name"] for c in inspector.get_columns(table.name)}
            assert columns == {c.name for c in table.columns}, table.name
        with engine.connect() as conn:
            count = conn.execute(text("SELECT COUNT(*) FROM schema_version")).scalar()
        assert count == len(migrations())
    finally:
        engine.dispose()


def test_sqlite_runs_with_wal_and_full_sync(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'vtn.sqlite'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_bad_url_is_a_clear_error() -> None:
    from gridsurplus.server.db import DatabaseError

    with pytest.raises(DatabaseError, match="unsupported database URL"):
        open_engine("mysql://x/y")
    with pytest.raises(DatabaseError, match="cannot open the database"):
        open_engine("postgresql://nobody@127.0.0.1:1/none")


def test_an_old_database_is_upgraded_in_place(db_url: str) -> None:
    """A database at migration 1 (events without an end) opens at the newest version, data kept."""
    from sqlalchemy import create_engine

    from gridsurplus.server.db import normalise_url

    old = create_engine(normalise_url(db_url))
    try:
        assert migrate(old, target=1) == 1
        with old.begin() as conn:
            conn.execute(text("INSERT INTO program (id, created, modified, program_name, body) "
                              "VALUES ('p', 't', 't', 'surplus', '{}')"))  # fmt: skip
            conn.execute(text("INSERT INTO event (id, created, modified, program_id, body) "
                              "VALUES ('e', 't', 't', 'p', '{\"programID\": \"p\"}')"))  # fmt: skip
        assert "ends" not in {c["name"] for c in inspect(old).get_columns("event")}
    finally:
        old.dispose()
    upgraded = open_engine(db_url)
    try:
        with upgraded.connect() as conn:
            rows = conn.execute(text("SELECT id, ends FROM event")).all()
        assert [tuple(r) for r in rows] == [("e", None)]
        assert current_version(upgraded) == max(n for n, _, _ in migrations())
    finally:
        upgraded.dispose()
