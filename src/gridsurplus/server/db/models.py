"""Typed ORM models of the VTN's tables (the tables themselves come from ``migrations/``).

Each OpenADR object keeps its spec fields as JSON text in ``body``; the columns beside it are
those that queries filter, join or order on. ``tests/server/test_db.py`` checks that these models
and the migrated schema agree column by column.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the VTN's tables."""


class Client(Base):
    """An OAuth2 client: a site (VEN role) or the operator's business logic (BL role)."""

    __tablename__ = "client"
    client_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[str] = mapped_column(String(8))
    secret_hash: Mapped[str] = mapped_column(String(128))
    created: Mapped[str] = mapped_column(String(32))


class AccessToken(Base):
    """A live bearer token (stored as its SHA-256); a client may hold many."""

    __tablename__ = "access_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("client.client_id", ondelete="CASCADE"))
    expires: Mapped[str] = mapped_column(String(32))


class _Object:
    """Columns every OpenADR object has: id, creation and modification times, the body."""

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    created: Mapped[str] = mapped_column(String(32))
    modified: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)


class Program(_Object, Base):
    """A program (``programName`` unique on the VTN)."""

    __tablename__ = "program"
    program_name: Mapped[str] = mapped_column(String(128), unique=True)


class ProgramTarget(Base):
    """One target of a program."""

    __tablename__ = "program_target"
    program_id: Mapped[str] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True
    )
    target: Mapped[str] = mapped_column(String(128), primary_key=True)


class Event(_Object, Base):
    """An event of a program."""

    __tablename__ = "event"
    program_id: Mapped[str] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    ends: Mapped[str | None] = mapped_column(String(32))  # migration 0002; see server.timing


class EventTarget(Base):
    """One target of an event."""

    __tablename__ = "event_target"
    event_id: Mapped[str] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    target: Mapped[str] = mapped_column(String(128), primary_key=True)


class Ven(_Object, Base):
    """A ven object, owned by the client whose ``clientID`` it carries."""

    __tablename__ = "ven"
    client_id: Mapped[str] = mapped_column(String(128))
    ven_name: Mapped[str] = mapped_column(String(128), unique=True)


class VenTarget(Base):
    """One target granted to a ven by BL."""

    __tablename__ = "ven_target"
    ven_id: Mapped[str] = mapped_column(ForeignKey("ven.id", ondelete="CASCADE"), primary_key=True)
    target: Mapped[str] = mapped_column(String(128), primary_key=True)


class Resource(_Object, Base):
    """A resource of a ven (its ``clientID`` is always the ven's)."""

    __tablename__ = "resource"
    client_id: Mapped[str] = mapped_column(String(128))
    ven_id: Mapped[str] = mapped_column(ForeignKey("ven.id", ondelete="CASCADE"))
    resource_name: Mapped[str] = mapped_column(String(128))


class ResourceTarget(Base):
    """One target granted to a resource by BL."""

    __tablename__ = "resource_target"
    resource_id: Mapped[str] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True
    )
    target: Mapped[str] = mapped_column(String(128), primary_key=True)


class Report(_Object, Base):
    """A report sent by a VEN about an event (never deleted by deleting its event)."""

    __tablename__ = "report"
    client_id: Mapped[str] = mapped_column(String(128))
    client_name: Mapped[str] = mapped_column(String(128))
    program_id: Mapped[str] = mapped_column(ForeignKey("program.id"))
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"))


class Subscription(_Object, Base):
    """A subscription; ``objects`` holds its object types as ``,EVENT,PROGRAM,``."""

    __tablename__ = "subscription"
    client_id: Mapped[str] = mapped_column(String(128))
    client_name: Mapped[str] = mapped_column(String(128))
    program_id: Mapped[str | None] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    objects: Mapped[str] = mapped_column(String(128))


class SubscriptionTarget(Base):
    """One target of a subscription."""

    __tablename__ = "subscription_target"
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("subscription.id", ondelete="CASCADE"), primary_key=True
    )
    target: Mapped[str] = mapped_column(String(128), primary_key=True)
