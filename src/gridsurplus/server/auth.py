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


def authenticate(session: Session, request: Request) -> Principal:
    """The caller behind the request's bearer token; ApiProblem 401 if there is none."""
    from sqlalchemy import select

    from gridsurplus.server.db import utc_now_text
    from gridsurplus.server.db.models import AccessToken, Client

    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="openadr3"'}
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(401, "missing bearer token: POST /auth/token first", challenge)
    row = session.execute(
        select(Client.client_id, Client.role)
        .join(AccessToken, AccessToken.client_id == Client.client_id)
        .where(
            AccessToken.token_hash == hash_secret(token.strip())[7:],
            AccessToken.expires > utc_now_text(),
        )
    ).first()
    if row is None:
        raise ApiProblem(401, "unknown or expired bearer token: get a new one", challenge)
    return Principal(client_id=row.client_id, role=row.role)
