"""The append-only audit log of the programme: every event version and every report version.

A bill is reproduced from this log alone: settlement reads the events and the report versions
recorded here, never the server's current objects (a report the server stores is overwritten by
an update; here every version stays). The log lives in the VTN's database, in its own table
``operations_audit``, written only by :func:`append`, which never updates or deletes.

Each row carries ``digest = sha256(previous digest + kind + object id + body)``, a hash chain:
:func:`verify` recomputes it, so a row edited or removed afterwards is found. A version whose
body is already recorded for the same object is not recorded again (the same report sent
twice is one row). Writers take turns (SQLite's ``BEGIN IMMEDIATE``, a table lock on
PostgreSQL), so two runs appending at once still make one chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine, Table

KINDS = ("program", "ven", "event", "report", "bill")
_TABLE: dict[str, Table] = {}


def table() -> Table:
    """The SQLAlchemy table ``operations_audit`` (created on first use)."""
    if "audit" not in _TABLE:
        from sqlalchemy import Column, Integer, MetaData, String, Table, Text, UniqueConstraint

        meta = MetaData()
        _TABLE["audit"] = Table(
            "operations_audit",
            meta,
            Column("seq", Integer, primary_key=True, autoincrement=True),
            Column("recorded", String(32), nullable=False),
            Column("kind", String(16), nullable=False),
            Column("object_id", String(128), nullable=False),
            Column("actor", String(128), nullable=False),
            Column("body_sha", String(64), nullable=False),
            Column("digest", String(64), nullable=False),
            Column("body", Text, nullable=False),
            UniqueConstraint("kind", "object_id", "body_sha", name="operations_audit_once"),
        )
    return _TABLE["audit"]


def ensure(engine: Engine) -> None:
    """Create the audit table if the database lacks it."""
    table().metadata.create_all(engine, checkfirst=True)


def _canonical(body: Mapping[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _digest(previous: str, kind: str, object_id: str, body: str) -> str:
    text = "\n".join((previous, kind, object_id, body))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(
    engine: Engine, kind: str, object_id: str, body: Mapping[str, Any], actor: str = ""
) -> bool:
    """Record one version of an object, unless this exact version is recorded already.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The VTN database.
    kind : str
        One of :data:`KINDS`.
    object_id : str
        The object's id on the server (a site's name for bills).
    body : dict
        The object as the server returned it.
    actor : str
        Client id that caused the version (the operator's, or the site's for reports).

    Returns
    -------
    bool
        True if a new row was written.
    """
    from sqlalchemy import select

    if kind not in KINDS:
        raise ValueError(f"unknown audit kind '{kind}': use one of {KINDS}")
    t = table()
    text = _canonical(body)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with engine.connect().execution_options(gridsurplus_write=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":  # one writer at a time keeps the chain a chain
            conn.exec_driver_sql("LOCK TABLE operations_audit IN EXCLUSIVE MODE")
        seen = conn.scalar(
            select(t.c.seq).where(
                (t.c.kind == kind) & (t.c.object_id == object_id) & (t.c.body_sha == sha)
            )
        )
        if seen is not None:
            return False
        previous = conn.scalar(select(t.c.digest).order_by(t.c.seq.desc()).limit(1)) or ""
        conn.execute(
            t.insert().values(
                recorded=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                kind=kind,
                object_id=object_id,
                actor=actor,
                body_sha=sha,
                digest=_digest(previous, kind, object_id, text),
                body=text,
            )
        )
    return True


def records(engine: Engine, kind: str | None = None) -> Iterator[dict[str, Any]]:
    """The recorded versions, in the order recorded.

    Each is a dict of ``seq``, ``recorded``, ``kind``, ``object_id``, ``actor`` and ``body``
    (the object, parsed).
    """
    from sqlalchemy import select

    t = table()
    query = select(t.c.seq, t.c.recorded, t.c.kind, t.c.object_id, t.c.actor, t.c.body)
    if kind is not None:
        query = query.where(t.c.kind == kind)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(t.c.seq)).all()
    for seq, recorded, k, object_id, actor, body in rows:
        yield {
            "seq": seq,
            "recorded": recorded,
            "kind": k,
            "object_id": object_id,
            "actor": actor,
            "body": json.loads(body),
        }


def verify(engine: Engine) -> list[int]:
    """Recompute the hash chain; return the ``seq`` of every row that does not match."""
    from sqlalchemy import select

    t = table()
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.c.seq, t.c.kind, t.c.object_id, t.c.body, t.c.digest).order_by(t.c.seq)
        ).all()
    bad = []
    previous = ""
    for seq, kind, object_id, body, digest in rows:
        if _digest(previous, kind, object_id, body) != digest:
            bad.append(seq)
        previous = digest
    return bad


__all__ = ["KINDS", "append", "ensure", "records", "table", "verify"]
