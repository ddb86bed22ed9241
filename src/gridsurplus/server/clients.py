"""OAuth2 clients of the VTN: the operator's business logic (BL) and the sites (VEN).

A client's secret is shown once, when it is created, and stored only as a SHA-256 digest: the
secrets are 256-bit random strings made here, never chosen by people, so a slow password hash
would add nothing but latency to every token request.

Examples
--------
>>> stored = hash_secret("s3cret")
>>> stored.startswith("sha256$") and check_secret("s3cret", stored)
True
>>> check_secret("wrong", stored)
False
>>> check_role("admin")
Traceback (most recent call last):
...
gridsurplus.server.clients.ClientError: unknown role 'admin': use 'bl' ... or 'ven' (a site)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

from gridsurplus.errors import GridsurplusError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ROLES = ("bl", "ven")
"""The two roles: ``bl`` (the grid operator's business logic) and ``ven`` (a site)."""


class ClientError(GridsurplusError):
    """A client cannot be created as asked."""


def hash_secret(secret: str) -> str:
    """The stored form of a client secret (or of a token): ``sha256$<hex digest>``."""
    return "sha256$" + hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_secret(secret: str, stored: str) -> bool:
    """Whether ``secret`` matches the stored digest (compared in constant time)."""
    return hmac.compare_digest(hash_secret(secret), stored)


def check_role(role: str) -> str:
    """Return ``role`` in lower case if it is one of :data:`ROLES`, else raise ClientError."""
    if role.lower() not in ROLES:
        raise ClientError(
            f"unknown role '{role}': use 'bl' (the operator's business logic) or 'ven' (a site)"
        )
    return role.lower()


def add_client(session: Session, name: str, role: str) -> tuple[str, str]:
    """Create a client in an open session (the caller commits).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the VTN database.
    name : str
        Unique human name of the client, e.g. the site's name [1-128 characters].
    role : str
        ``bl`` or ``ven``.

    Returns
    -------
    tuple of str
        ``(client_id, client_secret)``; the secret is not stored and cannot be shown again.
    """
    from sqlalchemy import select

    from gridsurplus.server.db import utc_now_text
    from gridsurplus.server.db.models import Client

    role = check_role(role)
    if not 1 <= len(name) <= 128:
        raise ClientError(f"client name must have 1 to 128 characters, got {len(name)}")
    if session.scalar(select(Client.client_id).where(Client.name == name)) is not None:
        raise ClientError(f"a client named '{name}' exists already: choose another name")
    client_id = f"{role}_{secrets.token_hex(8)}"
    secret = secrets.token_urlsafe(32)
    session.add(
        Client(
            client_id=client_id,
            name=name,
            role=role,
            secret_hash=hash_secret(secret),
            created=utc_now_text(),
        )
    )
    return client_id, secret


def create_client(db_url: str | None, name: str, role: str) -> tuple[str, str]:
    """Create a client in the database at ``db_url`` and commit it.

    Parameters
    ----------
    db_url : str or None
        Database URL; None for the default SQLite file.
    name : str
        Unique human name of the client.
    role : str
        ``bl`` or ``ven``.

    Returns
    -------
    tuple of str
        ``(client_id, client_secret)``.
    """
    from sqlalchemy.orm import Session

    from gridsurplus.server.db import open_engine

    engine = open_engine(db_url)
    try:
        with Session(engine) as session:
            session.connection(execution_options={"gridsurplus_write": True})
            created = add_client(session, name, role)
            session.commit()
        return created
    finally:
        engine.dispose()
