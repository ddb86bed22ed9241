"""SQLite writers of one process queue on a lock: each write still commits on its own, none is
lost, and the lock is given back however a transaction ends."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gridsurplus.server.db import open_engine
from gridsurplus.server.db.writers import QueuedWriterConnection, write_lock


def _writer(engine: Engine) -> Engine:
    return engine.execution_options(gridsurplus_write=True)


def _lock(engine: Engine) -> threading.Lock:
    with engine.connect() as conn:
        dbapi = conn.connection.dbapi_connection
        assert isinstance(dbapi, QueuedWriterConnection)
        return dbapi.write_lock


def test_engines_on_one_file_share_its_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'vtn.sqlite'}"
    first, second = open_engine(url), open_engine(url)
    try:
        assert _lock(first) is _lock(second) is write_lock(str(tmp_path / "vtn.sqlite"))
        assert _lock(first) is not write_lock(str(tmp_path / "other.sqlite"))
        assert not _lock(first).locked()  # migrations gave it back
    finally:
        first.dispose()
        second.dispose()


def test_the_lock_is_held_from_begin_to_commit_or_rollback(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'vtn.sqlite'}")
    lock = _lock(engine)
    try:
        with Session(engine) as reader:  # reads never take it
            reader.execute(text("SELECT COUNT(*) FROM client"))
            assert not lock.locked()
        with Session(_writer(engine)) as session:
            assert not lock.locked()  # nothing begun yet
            session.execute(text("SELECT COUNT(*) FROM client"))
            assert lock.locked()
            session.execute(
                text("INSERT INTO client VALUES ('c1', 'one', 'ven', 'sha256$x', 'now')")
            )
            session.commit()
            assert not lock.locked()
            with pytest.raises(IntegrityError):
                session.execute(
                    text("INSERT INTO client VALUES ('c1', 'dup', 'ven', 'sha256$x', 'now')")
                )
            assert lock.locked()  # the failed write's transaction is still open
            session.rollback()
            assert not lock.locked()
            session.execute(
                text("INSERT INTO client VALUES ('c2', 'two', 'ven', 'sha256$x', 'now')")
            )
            assert lock.locked()
        assert not lock.locked()  # closed without commit: rolled back, lock given back
        with Session(engine) as reader:
            names = reader.execute(text("SELECT name FROM client")).scalars().all()
        assert names == ["one"]
    finally:
        engine.dispose()


def test_concurrent_writers_all_commit(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'vtn.sqlite'}", pool_size=8)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(40):
                with Session(_writer(engine)) as session:
                    count = session.execute(text("SELECT COUNT(*) FROM client")).scalar_one()
                    session.execute(
                        text("INSERT INTO client VALUES (:id, :name, 'ven', 'sha256$x', :n)"),
                        {"id": f"c{worker}-{i}", "name": f"site {worker}/{i}", "n": str(count)},
                    )
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        assert not errors, errors[0]
        with Session(engine) as reader:
            seen = reader.execute(text("SELECT created FROM client")).scalars().all()
        # 320 rows, and each write saw all those before it: the writes were serialised
        assert sorted(int(n) for n in seen) == list(range(320))
        assert not _lock(engine).locked()
    finally:
        engine.dispose()
