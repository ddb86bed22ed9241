"""Pydantic models of the OpenADR 3.1.0 schemas (``openadr3.yaml``): lenient in, strict out.

Requests ignore unknown members and accept explicit ``null`` for every optional member
(clients send ``"intervalPeriod": null`` and the like although the YAML does not allow it).
Responses are validated against the ``*Out`` models (unknown members forbidden) and written
without nulls; every time leaves the server in UTC as RFC 3339 with ``Z``.

Examples
--------
>>> Interval.model_validate({"id": 0, "intervalPeriod": None, "payloads": []}).id
0
>>> EventIn.model_validate({"programID": "p1", "duration": "PT1H"}).duration
'PT1H'
>>> EventIn.model_validate({"programID": "p1", "duration": "1 hour"})
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for EventIn
...
>>> IntervalPeriod.model_validate({"start": "2026-12-01T10:00:00+05:00"}).model_dump(mode="json")
{'start': '2026-12-01T05:00:00Z', 'duration': None, 'randomizeStart': None}
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    Tag,
)

DURATION_PATTERN = (
    r"^(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?"
    r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("time out of range once converted to UTC") from None


def format_time(value: datetime) -> str:
    """RFC 3339 in UTC with ``Z`` (four-digit year, fraction only when non-zero).

    Examples
    --------
    >>> format_time(datetime(1, 1, 1, tzinfo=UTC))
    '0001-01-01T00:00:00Z'
    """
    return value.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


DateTime = Annotated[
    datetime, AfterValidator(_to_utc), PlainSerializer(format_time, return_type=str)
]
Duration = Annotated[str, StringConstraints(pattern=DURATION_PATTERN)]
ObjectID = Annotated[
    str, StringConstraints(min_length=1, max_length=128, pattern=r"^[a-zA-Z0-9_-]*$")
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Uri = Annotated[str, StringConstraints(min_length=2, max_length=8000)]
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
ObjectType = Literal["PROGRAM", "EVENT", "REPORT", "SUBSCRIPTION", "VEN", "RESOURCE"]


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore", regex_engine="python-re")


class IntervalPeriod(_In):
    """Start, duration and randomisation of an interval or a set of intervals."""

    start: DateTime | None = None
    duration: Duration | None = None
    randomizeStart: Duration | None = None


class Point(_In):
    """A pair of floats."""

    x: float
    y: float


class ValuesMap(_In):
    """A type and its values (numbers, strings, booleans or points)."""

    type: Name
    values: list[StrictBool | StrictInt | StrictFloat | StrictStr | Point]


class Interval(_In):
    """One interval: an id, an optional period and its payloads."""

    id: Int32
    intervalPeriod: IntervalPeriod | None = None
    payloads: list[ValuesMap]


class EventPayloadDescriptor(_In):
    """Context of an event payload (units, currency)."""

    objectType: Literal["EVENT_PAYLOAD_DESCRIPTOR"] = "EVENT_PAYLOAD_DESCRIPTOR"
    payloadType: Name
    units: Name | None = None
    currency: str | None = None


class ReportPayloadDescriptor(_In):
    """Context of a report payload (reading type, units, accuracy, confidence)."""

    objectType: Literal["REPORT_PAYLOAD_DESCRIPTOR"] = "REPORT_PAYLOAD_DESCRIPTOR"
    payloadType: Name
    readingType: Name | None = None
    units: Name | None = None
    accuracy: float | None = None
    confidence: Annotated[int, Field(ge=0, le=100)] | None = None


def _descriptor_kind(value: Any) -> str:
    kind = value.get("objectType") if isinstance(value, dict) else getattr(value, "objectType", "")
    return "report" if kind == "REPORT_PAYLOAD_DESCRIPTOR" else "event"


AnyPayloadDescriptor = Annotated[
    Annotated[EventPayloadDescriptor, Tag("event")]
    | Annotated[ReportPayloadDescriptor, Tag("report")],
    Discriminator(_descriptor_kind),
]


class ReportDescriptor(_In):
    """A request, carried by an event, for reports from the VEN."""

    payloadType: Name
    readingType: Name | None = None
    units: Name | None = None
    targets: list[Name] | None = None
    aggregate: bool | None = None
    startInterval: Int32 | None = None
    numIntervals: Int32 | None = None
    historical: bool | None = None
    frequency: Int32 | None = None
    repeat: Int32 | None = None
    reportIntervals: Literal["INTERVALS", "SUB_INTERVALS", "OPEN_INTERVALS"] | None = None


class ProgramDescription(_In):
    """A link to a description of the program."""

    URL: Uri


class ProgramIn(_In):
    """``programRequest``."""

    programName: Name
    intervalPeriod: IntervalPeriod | None = None
    programDescriptions: list[ProgramDescription] | None = None
    payloadDescriptors: list[AnyPayloadDescriptor] | None = None
    attributes: list[ValuesMap] | None = None
    targets: list[Name] | None = None


class EventIn(_In):
    """``eventRequest``."""

    programID: ObjectID
    eventName: str | None = None
    duration: Duration | None = None
    priority: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None
    targets: list[Name] | None = None
    reportDescriptors: list[ReportDescriptor] | None = None
    payloadDescriptors: list[EventPayloadDescriptor] | None = None
    intervalPeriod: IntervalPeriod | None = None
    intervals: list[Interval] | None = None


class ReportResource(_In):
    """Report data of one resource."""

    resourceName: Name
    intervalPeriod: IntervalPeriod | None = None
    intervals: list[Interval]


class ReportIn(_In):
    """``reportRequest``."""

    eventID: ObjectID
    clientName: Name
    reportName: str | None = None
    payloadDescriptors: list[ReportPayloadDescriptor] | None = None
    resources: list[ReportResource]


class ObjectOperation(_In):
    """Objects and operations a subscription asks to be told about, and where."""

    objects: list[ObjectType]
    operations: list[Literal["READ", "CREATE", "UPDATE", "DELETE"]]
    callbackUrl: Uri
    bearerToken: str | None = None


class SubscriptionIn(_In):
    """``subscriptionRequest``."""

    clientName: Name
    programID: ObjectID | None = None
    objectOperations: list[ObjectOperation]
    targets: list[Name] | None = None


class VenIn(_In):
    """``venRequest``: ``BlVenRequest`` (BL) or ``VenVenRequest`` (VEN), told apart by role."""

    objectType: str | None = None
    clientID: Name | None = None
    venName: Name
    targets: list[Name] | None = None
    attributes: list[ValuesMap] | None = None


class ResourceIn(_In):
    """``resourceRequest``: ``BlResourceRequest`` or ``VenResourceRequest``, told apart by role."""

    objectType: str | None = None
    clientID: Name | None = None
    resourceName: Name
    venID: ObjectID
    targets: list[Name] | None = None
    attributes: list[ValuesMap] | None = None


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", regex_engine="python-re")

    id: ObjectID
    createdDateTime: DateTime
    modificationDateTime: DateTime


class ProgramOut(_Out, ProgramIn):
    """``program``."""

    objectType: Literal["PROGRAM"] = "PROGRAM"


class EventOut(_Out, EventIn):
    """``event``."""

    objectType: Literal["EVENT"] = "EVENT"


class ReportOut(_Out, ReportIn):
    """``report``."""

    objectType: Literal["REPORT"] = "REPORT"
    clientID: Name
    programID: ObjectID | None = None


class SubscriptionOut(_Out, SubscriptionIn):
    """``subscription``."""

    objectType: Literal["SUBSCRIPTION"] = "SUBSCRIPTION"
    clientID: Name


class VenOut(_Out, VenIn):
    """``ven`` (``objectType`` is ``VEN``: the YAML's allOf with BlVenRequest cannot hold)."""

    objectType: Literal["VEN"] = "VEN"  # type: ignore[assignment]
    clientID: Name


class ResourceOut(_Out, ResourceIn):
    """``resource`` (``objectType`` is ``RESOURCE``, as for ``ven``)."""

    objectType: Literal["RESOURCE"] = "RESOURCE"  # type: ignore[assignment]
    clientID: Name


def dump(model: BaseModel) -> dict[str, Any]:
    """JSON-ready dict of ``model`` with nulls left out."""
    return model.model_dump(mode="json", exclude_none=True)
