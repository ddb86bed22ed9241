"""Writers to one SQLite file queue in this process, so the next starts as the last one ends.

SQLite lets one transaction write at a time. A writer that finds the file locked is not woken
when the lock is freed: its busy handler sleeps and tries again, for 1, 2, 5, 10, 15, 20, 25 ...
then 100 ms at a time, so under concurrent writes a request may sleep for many times as long as
the writes it waits for take (a commit here takes well under a millisecond). The VTN's request
threads therefore take a lock of their own process first, one per database file, and start
their ``BEGIN IMMEDIATE`` only once they hold it: a waiting writer is woken the moment the
previous one commits or rolls back. Writers in other processes (``serve --workers N``, the CLI)
still meet SQLite's busy handler.

Each write is still its own transaction, committed with ``synchronous=FULL`` before the lock is
released; nothing is batched or deferred.

Examples
--------
>>> import sqlite3
>>> conn = sqlite3.connect(":memory:", factory=QueuedWriterConnection, isolation_level=None)
>>> conn.acquire_write_lock(timeout_s=1.0)
>>> conn.holds_write_lock, conn.write_lock.locked()
(True, True)
>>> _ = conn.execute("BEGIN IMMEDIATE")
>>> conn.commit()
>>> conn.holds_write_lock, conn.write_lock.locked()
(False, False)
>>> conn.close()
"""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import Any

_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def write_lock(database: str) -> threading.Lock:
    """The lock every connection of this process to the SQLite file ``database`` shares.

    An in-memory database (``:memory:``, ``""``) is private to its connection, and so is its
    lock.
    """
    if database in ("", ":memory:"):
        return threading.Lock()
    key = database if database.startswith("file:") else os.path.realpath(database)
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


class QueuedWriterConnection(sqlite3.Connection):
    """A ``sqlite3`` connection whose write transactions wait their turn on :func:`write_lock`.

    Used as ``sqlite3.connect(..., factory=QueuedWriterConnection)``. The caller takes the lock
    with :meth:`acquire_write_lock` right before ``BEGIN IMMEDIATE``; it is released as soon as
    that transaction is over: after ``commit()`` or ``rollback()`` (SQLAlchemy ends every
    transaction, and every pooled connection it takes back, with one of them) or ``close()``.
    """

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self.write_lock = write_lock(os.fsdecode(database))
        self.holds_write_lock = False

    def acquire_write_lock(self, timeout_s: float) -> None:
        """Wait up to ``timeout_s`` [s] for the file's write lock (OperationalError if not)."""
        if self.holds_write_lock:
            return
        if not self.write_lock.acquire(timeout=timeout_s):
            raise sqlite3.OperationalError(
                f"database is locked: another writer of this process held it for {timeout_s:g} s"
            )
        self.holds_write_lock = True

    def release_write_lock(self) -> None:
        """Release the write lock if this connection holds it and its transaction is over."""
        if self.holds_write_lock and not self.in_transaction:
            self.holds_write_lock = False
            self.write_lock.release()

    def commit(self) -> None:
        """Commit, then let the next writer in."""
        try:
            super().commit()
        finally:
            self.release_write_lock()

    def rollback(self) -> None:
        """Roll back, then let the next writer in."""
        try:
            super().rollback()
        finally:
            self.release_write_lock()

    def close(self) -> None:
        """Close (which ends any open transaction), then let the next writer in."""
        try:
            super().close()
        finally:
            if self.holds_write_lock:
                self.holds_write_lock = False
                self.write_lock.release()
