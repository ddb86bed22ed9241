"""Signing in to the console: operator (BL) credentials, signed session cookies, CSRF tokens.

An operator signs in with the client id and secret of a BL client of the VTN (``gridsurplus
operate client add NAME --role bl``). The secret is checked against the server's stored digest
in constant time, and an unknown client id costs the same comparison, so timing tells nothing.
A VEN's credentials, even right ones, do not get in.

The session is a cookie ``gs_session`` holding the client id, a random session id and an expiry,
signed with HMAC-SHA256 under the console's key and the client's stored secret digest: a new
secret (or a deleted client) ends every session of that client. The key lives in the VTN's
database (table ``console_key``, made on first use), so sessions survive a restart and are valid
on every worker; ``GRIDSURPLUS_CONSOLE_KEY`` overrides it. The cookie is ``HttpOnly``,
``SameSite=Strict``, and ``Secure`` when the console is served over https.

Every form carries a CSRF token derived from the session id (or, on the sign-in form, from a
short-lived signed cookie ``gs_signin``): a post without it, or with another session's, is
refused.

Examples
--------
>>> key = b"k" * 32
>>> cookie = make_session(key, "bl_1", "sha256$ab", now=1000.0, hours=8.0)
>>> read_session(key, cookie, {"bl_1": "sha256$ab"}.get, now=2000.0).client_id
'bl_1'
>>> read_session(key, cookie, {"bl_1": "sha256$new"}.get, now=2000.0) is None
True
>>> read_session(key, cookie, {"bl_1": "sha256$ab"}.get, now=1000.0 + 9 * 3600) is None
True
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gridsurplus.server.clients import check_secret, hash_secret

if TYPE_CHECKING:
    from sqlalchemy import Engine

SESSION_COOKIE = "gs_session"
SIGNIN_COOKIE = "gs_signin"
SESSION_HOURS = 8.0
"""How long a session lasts [h]: one control-room shift."""
ENV_KEY = "GRIDSURPLUS_CONSOLE_KEY"
_DUMMY = hash_secret(secrets.token_urlsafe(32))
REFUSED = "Unknown client id or wrong secret."
NOT_OPERATOR = "These are a site's (VEN) credentials: only the operator's BL clients may sign in."


@dataclass(frozen=True)
class Session:
    """A signed-in operator: client id, session id (for CSRF) and expiry [s since epoch]."""

    client_id: str
    sid: str
    expires: float


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, *parts: str) -> str:
    return _b64(hmac.new(key, "|".join(parts).encode("utf-8"), hashlib.sha256).digest())


def make_session(
    key: bytes, client_id: str, secret_hash: str, now: float | None = None, hours: float = 8.0
) -> str:
    """The value of a new session cookie for ``client_id``.

    Parameters
    ----------
    key : bytes
        The console's signing key.
    client_id : str
        The signed-in BL client.
    secret_hash : str
        The client's stored secret digest (binds the session to the current secret).
    now : float, optional
        Current time [s since epoch]; default the clock.
    hours : float
        Lifetime [h].
    """
    now = time.time() if now is None else now
    payload = _b64(
        json.dumps(
            {"c": client_id, "s": secrets.token_urlsafe(16), "x": round(now + hours * 3600.0)},
            separators=(",", ":"),
        ).encode("utf-8")
    )
    return f"{payload}.{_mac(key, 'session', payload, secret_hash)}"


def read_session(
    key: bytes,
    cookie: str | None,
    secret_hash_of: Callable[[str], str | None],
    now: float | None = None,
) -> Session | None:
    """The session in a cookie, or None if it is missing, forged, expired or revoked.

    ``secret_hash_of(client_id)`` gives the client's stored digest if it is still a BL client,
    else None.
    """
    if not cookie or cookie.count(".") != 1:
        return None
    payload, mac = cookie.split(".")
    try:
        data = json.loads(_unb64(payload))
        client_id, sid, expires = str(data["c"]), str(data["s"]), float(data["x"])
    except (ValueError, KeyError, TypeError):
        return None
    stored = secret_hash_of(client_id)
    expected = _mac(key, "session", payload, stored or _DUMMY)
    if stored is None or not hmac.compare_digest(mac, expected):
        return None
    if (time.time() if now is None else now) >= expires:
        return None
    return Session(client_id, sid, expires)


def csrf_token(key: bytes, sid: str) -> str:
    """The CSRF token of the forms of a session (or of a sign-in nonce)."""
    return _mac(key, "csrf", sid)


def check_csrf(key: bytes, sid: str | None, token: str | None) -> bool:
    """Whether a form's token belongs to the session ``sid`` (constant-time compare)."""
    if not sid or not token:
        return False
    return hmac.compare_digest(csrf_token(key, sid), token)


def make_signin_nonce(key: bytes, now: float | None = None) -> str:
    """A signed nonce for the sign-in form's cookie, valid for one hour."""
    now = time.time() if now is None else now
    payload = f"{secrets.token_urlsafe(16)}~{round(now + 3600)}"
    return f"{payload}.{_mac(key, 'signin', payload)}"


def read_signin_nonce(key: bytes, cookie: str | None, now: float | None = None) -> str | None:
    """The nonce of a valid sign-in cookie, else None."""
    if not cookie or cookie.count(".") != 1:
        return None
    payload, mac = cookie.split(".")
    if not hmac.compare_digest(mac, _mac(key, "signin", payload)):
        return None
    _, _, expiry = payload.partition("~")
    try:
        if (time.time() if now is None else now) >= float(expiry):
            return None
    except ValueError:
        return None
    return payload


def verify_operator(engine: Engine, client_id: str, secret: str) -> tuple[str | None, str]:
    """Check sign-in credentials against the VTN's clients.

    Returns
    -------
    (str or None, str)
        The client's stored digest if it may sign in (else None), and the reason if not.
    """
    from sqlalchemy.orm import Session as DbSession

    from gridsurplus.server.db.models import Client

    with DbSession(engine) as db:
        client = db.get(Client, client_id) if client_id else None
        stored = client.secret_hash if client is not None else _DUMMY
        role = client.role if client is not None else ""
    matches = check_secret(secret, stored)  # always one compare, known client or not
    if client is None or not matches:
        return None, REFUSED
    if role != "bl":
        return None, NOT_OPERATOR
    return stored, ""


def operator_digest(engine: Engine, client_id: str) -> str | None:
    """The stored digest of a BL client, None if it is gone or not BL."""
    from sqlalchemy.orm import Session as DbSession

    from gridsurplus.server.db.models import Client

    with DbSession(engine) as db:
        client = db.get(Client, client_id)
        if client is None or client.role != "bl":
            return None
        return client.secret_hash


def console_key(engine: Engine) -> bytes:
    """The console's signing key: ``$GRIDSURPLUS_CONSOLE_KEY``, else kept in the database."""
    from sqlalchemy import Column, Integer, MetaData, String, Table, select
    from sqlalchemy.exc import IntegrityError

    if os.environ.get(ENV_KEY):
        return hashlib.sha256(os.environ[ENV_KEY].encode("utf-8")).digest()
    table = Table(
        "console_key",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("key_hex", String(64), nullable=False),
    )
    table.metadata.create_all(engine, checkfirst=True)
    for _ in range(2):
        with engine.connect() as conn:
            found = conn.scalar(select(table.c.key_hex).where(table.c.id == 1))
        if found:
            return bytes.fromhex(found)
        try:
            with engine.connect().execution_options(gridsurplus_write=True) as conn, conn.begin():
                conn.execute(table.insert().values(id=1, key_hex=secrets.token_hex(32)))
        except IntegrityError:  # another worker made it first: read theirs
            continue
    raise RuntimeError("the console's key could not be stored in the database")


__all__ = [
    "NOT_OPERATOR",
    "REFUSED",
    "SESSION_COOKIE",
    "SESSION_HOURS",
    "SIGNIN_COOKIE",
    "Session",
    "check_csrf",
    "console_key",
    "csrf_token",
    "make_session",
    "make_signin_nonce",
    "operator_digest",
    "read_session",
    "read_signin_nonce",
    "verify_operator",
]
