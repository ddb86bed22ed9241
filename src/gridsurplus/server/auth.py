"""OAuth2 client credentials: tokens out at ``/auth/token``, tokens checked on every request.

Credentials come in the HTTP Basic header or in the form body (``client_id``,
``client_secret``); ``expires_in`` is always returned; a client may hold many live tokens (each
stored as its SHA-256 with its expiry). A missing, unknown or expired token is 401; a valid
token of the wrong role is 403.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from gridsurplus.server.clients import check_secret, hash_secret
from gridsurplus.server.problems import ApiProblem

if TYPE_CHECKING:
    from fastapi import Request
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Principal:
    """Who is calling: the client id from the token and its role (``bl`` or ``ven``)."""

    client_id: str
    role: str

    @property
    def is_bl(self) -> bool:
        """Whether the caller is the operator's business logic."""
        return self.role == "bl"


def _expiry_text(seconds: int) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _oauth_error(status: int, error: str, description: str) -> ApiProblem:
    headers = {"WWW-Authenticate": 'Basic realm="openadr3"'} if status == 401 else None
    return ApiProblem(
        status, description, headers, {"error": error, "error_description": description}
    )


def read_credentials(headers: dict[str, str], body: bytes) -> tuple[str, str, dict[str, str]]:
    """Client id and secret from the Basic header or the body, and the other form fields.

    Examples
    --------
    >>> read_credentials({}, b"grant_type=client_credentials&client_id=a&client_secret=b")
    ('a', 'b', {'grant_type': 'client_credentials', 'client_id': 'a', 'client_secret': 'b'})
    >>> basic = "Basic " + base64.b64encode(b"a:b").decode()
    >>> read_credentials({"authorization": basic}, b"grant_type=client_credentials")[:2]
    ('a', 'b')
    """
    fields: dict[str, str] = {}
    text = body.decode("utf-8", errors="replace").strip()
    if text.startswith("{"):
        try:
            loaded = json.loads(text)
        except ValueError:
            loaded = {}
        if isinstance(loaded, dict):
            fields = {k: str(v) for k, v in loaded.items() if v is not None}
    elif text:
        fields = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
    client_id, client_secret = fields.get("client_id", ""), fields.get("client_secret", "")
    header = headers.get("authorization", "")
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise _oauth_error(401, "invalid_client", "malformed Basic credentials") from None
        if ":" in decoded:
            from urllib.parse import unquote

            user, _, password = decoded.partition(":")
            client_id, client_secret = unquote(user), unquote(password)
    return client_id, client_secret, fields


def issue_token(session: Session, headers: dict[str, str], body: bytes, lifetime_s: int) -> dict:
    """Check client credentials and issue a bearer token (the caller commits).

    Returns
    -------
    dict
        ``clientCredentialResponse``: ``access_token``, ``token_type``, ``expires_in`` [s].
    """
    from sqlalchemy import delete

    from gridsurplus.server.db import utc_now_text
    from gridsurplus.server.db.models import AccessToken, Client

    client_id, client_secret, fields = read_credentials(headers, body)
    grant = fields.get("grant_type", "client_credentials")
    if grant != "client_credentials":
        raise _oauth_error(
            400, "unsupported_grant_type", f"grant_type '{grant}': only client_credentials"
        )
    if not client_id or not client_secret:
        raise _oauth_error(
            401,
            "invalid_client",
            "client_id and client_secret are required (Basic header or form body)",
        )
    client = session.get(Client, client_id)
    if client is None or not check_secret(client_secret, client.secret_hash):
        raise _oauth_error(401, "invalid_client", "unknown client_id or wrong client_secret")
    session.execute(
        delete(AccessToken).where(
            AccessToken.client_id == client_id, AccessToken.expires < utc_now_text()
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(
        AccessToken(
            token_hash=hash_secret(token)[7:],
            client_id=client_id,
            expires=_expiry_text(lifetime_s),
        )
    )
    response: dict[str, Any] = {
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": lifetime_s,
    }
    if fields.get("scope"):
        response["scope"] = fields["scope"]
    return response


class TokenCache:
    """Tokens seen lately, so most requests skip the token query.

    An entry is kept for at most ``ttl_s`` and never past the token's expiry (tokens cannot be
    revoked before they expire: there is no revocation endpoint), so the answer is the
    database's. Bounded to ``size`` entries; a full cache is simply emptied.
    """

    def __init__(self, ttl_s: float = 60.0, size: int = 100_000) -> None:
        self.ttl_s = ttl_s
        self.size = size
        self._entries: dict[str, tuple[Principal, str, float]] = {}

    def get(self, token_hash: str, now_text: str) -> Principal | None:
        """The cached caller of ``token_hash``, if still valid."""
        import time

        entry = self._entries.get(token_hash)
        if entry is None:
            return None
        principal, expires, kept_until = entry
        if expires <= now_text or time.monotonic() > kept_until:
            self._entries.pop(token_hash, None)
            return None
        return principal

    def put(self, token_hash: str, principal: Principal, expires: str) -> None:
        """Remember a token checked against the database."""
        import time

        if len(self._entries) >= self.size:
            self._entries.clear()
        self._entries[token_hash] = (principal, expires, time.monotonic() + self.ttl_s)


_BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="openadr3"'}
_TOKEN_QUERY = (
    "SELECT client.client_id, client.role, access_token.expires FROM access_token "
    "JOIN client ON client.client_id = access_token.client_id "
    "WHERE access_token.token_hash = :h AND access_token.expires > :now"
)


def bearer_hash(request: Request) -> str:
    """The stored form (SHA-256 hex) of the request's bearer token; ApiProblem 401 if none."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(401, "missing bearer token: POST /auth/token first", _BEARER_CHALLENGE)
    return hash_secret(token.strip())[7:]


def cached_caller(request: Request, cache: TokenCache) -> Principal | None:
    """The caller behind the request's bearer token if ``cache`` knows it (401 if no token)."""
    from gridsurplus.server.db import utc_now_text

    return cache.get(bearer_hash(request), utc_now_text())


def authenticate(session: Session, request: Request, cache: TokenCache | None = None) -> Principal:
    """The caller behind the request's bearer token; ApiProblem 401 if there is none."""
    from sqlalchemy import text

    from gridsurplus.server.db import utc_now_text

    token_hash, now = bearer_hash(request), utc_now_text()
    cached = cache.get(token_hash, now) if cache is not None else None
    if cached is not None:
        return cached
    row = session.execute(text(_TOKEN_QUERY), {"h": token_hash, "now": now}).first()
    if row is None:
        raise ApiProblem(401, "unknown or expired bearer token: get a new one", _BEARER_CHALLENGE)
    principal = Principal(client_id=row.client_id, role=row.role)
    if cache is not None:
        cache.put(token_hash, principal, row.expires)
    return principal
