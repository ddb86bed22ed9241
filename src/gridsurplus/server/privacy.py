"""OpenADR 3.1 object privacy, written as query clauses (never as filtering after loading).

- ven, resource, report and subscription objects: a VEN sees only those whose ``clientID`` is
  its own (another's by id is 404, lists leave it out); BL sees all.
- program and event objects: an object without targets is visible to every client; an object
  with targets is visible to a VEN only if one of its targets is *granted* to that VEN, i.e.
  written by BL on the VEN's ven objects or on their resources. When the VEN's request names
  targets, the granted set is first intersected with them (a logical AND), as Definition.md
  asks. An event is visible only if its program is visible too.
- Target hiding: a VEN is shown only those targets of a program or event that are in that set.

Examples
--------
>>> effective_targets({"north", "site-7"}, ["site-7", "south"])
{'site-7'}
>>> sorted(effective_targets({"north", "site-7"}, None))
['north', 'site-7']
>>> hide_targets(["north", "site-7", "site-9"], {"site-7"})
['site-7']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import Session

    from gridsurplus.server.auth import Principal


def request_targets(values: Iterable[str] | None) -> list[str] | None:
    """The ``targets`` query parameter, empty strings dropped; None when absent or empty."""
    cleaned = [v for v in values or () if v]
    return cleaned or None


def granted_targets(session: Session, client_id: str) -> set[str]:
    """Targets BL granted to ``client_id`` on its ven objects and their resources."""
    from sqlalchemy import text

    return set(session.scalars(text(_GRANTED), {"c": client_id}))


# one hot query per VEN read, written once in SQL (the ORM would rebuild it each time)
_GRANTED = (
    "SELECT vt.target FROM ven_target vt JOIN ven v ON v.id = vt.ven_id WHERE v.client_id = :c "
    "UNION SELECT rt.target FROM resource_target rt JOIN resource r ON r.id = rt.resource_id "
    "JOIN ven v2 ON v2.id = r.ven_id WHERE v2.client_id = :c"
)


def effective_targets(granted: set[str], requested: list[str] | None) -> set[str]:
    """The targets a VEN reads with: those granted, ANDed with those it requested."""
    return granted if requested is None else granted & set(requested)


def hide_targets(targets: list[str] | None, shown: set[str] | None) -> list[str] | None:
    """``targets`` restricted to ``shown`` (None: no hiding, the caller is BL)."""
    if targets is None or shown is None:
        return targets
    return [t for t in targets if t in shown] or None


class TargetScope:
    """How one request reads targeted objects (programs, events).

    Parameters
    ----------
    session : Session
        The request's session (used once, to load the VEN's granted targets).
    caller : Principal
        Who asks.
    requested : list of str or None
        The request's ``targets`` query parameter.
    """

    def __init__(self, session: Session, caller: Principal, requested: list[str] | None) -> None:
        self.requested = requested
        self.is_bl = caller.is_bl
        self.shown: set[str] | None = None
        self.granted: set[str] | None = None
        if not caller.is_bl:
            self.granted = granted_targets(session, caller.client_id)
            self.shown = effective_targets(self.granted, requested)

    def clause(
        self, target_table: Any, fk: Any, object_id: Any, many: bool = False
    ) -> ColumnElement[bool]:
        """WHERE clause: the object (``object_id``) may be read through this scope.

        ``target_table`` is the object's target model and ``fk`` its column naming the object.
        ``many``: the query lists objects, so the objects carrying one of the targets are found
        once, through the index on targets (``object_id IN (SELECT fk ...)``), instead of
        probed for object by object (``EXISTS``, best when one object is looked up by id).
        Both forms select the same objects.
        """
        from sqlalchemy import and_, exists, not_, or_, select, true

        def has(targets: set[str] | list[str]) -> ColumnElement[bool]:
            listed = sorted(targets)
            if many:
                return object_id.in_(select(fk).where(target_table.target.in_(listed)))
            return exists(
                select(target_table.target).where(
                    and_(fk == object_id, target_table.target.in_(listed))
                )
            )

        if self.is_bl:
            return true() if self.requested is None else has(self.requested)
        assert self.shown is not None
        if self.requested is None:
            untargeted = not_(exists(select(target_table.target).where(fk == object_id)))
            return or_(has(self.shown), untargeted)
        return has(self.shown)

    def program_clause(self, program_id: Any) -> ColumnElement[bool]:
        """WHERE clause: the program ``program_id`` is visible (request targets not applied)."""
        from sqlalchemy import exists, not_, or_, select, true

        from gridsurplus.server.db.models import ProgramTarget

        if self.is_bl:
            return true()
        assert self.granted is not None
        fk = ProgramTarget.program_id
        untargeted = not_(exists(select(ProgramTarget.target).where(fk == program_id)))
        granted = exists(
            select(ProgramTarget.target).where(
                fk == program_id, ProgramTarget.target.in_(sorted(self.granted))
            )
        )
        return or_(untargeted, granted)


def owned(caller: Principal, client_column: Any) -> ColumnElement[bool]:
    """WHERE clause for VEN objects: all for BL, the caller's own for a VEN."""
    from sqlalchemy import true

    return true() if caller.is_bl else client_column == caller.client_id
