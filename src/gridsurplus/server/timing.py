"""When an event is over: its intervals resolved as the User Guide describes, in UTC.

Each interval starts where the previous one ended unless it gives its own start; durations come
from the interval or from the event's ``intervalPeriod``. ISO 8601 years and months count as
365 and 30 days. The end is unknown (None: the event counts as active) when a start or a
duration is missing, the start is ``0001-01-01`` ("now"), or a duration is ``P9999Y``
(open-ended).

Examples
--------
>>> parse_duration("PT1H30M")
datetime.timedelta(seconds=5400)
>>> parse_duration("P1DT12H") == timedelta(days=1.5)
True
>>> parse_duration("P9999Y") is None
True
>>> event_end({"intervalPeriod": {"start": "2026-12-01T00:00:00Z", "duration": "PT1H"},
...            "intervals": [{"id": h, "payloads": []} for h in range(24)]})
'2026-12-02T00:00:00.000000Z'
>>> event_end({"intervals": [{"id": 0, "payloads": []}]}) is None
True
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

_DURATION = re.compile(
    r"^(?P<sign>-?)P(?:(?P<Y>\d+)Y)?(?:(?P<M>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_DAYS = {"Y": 365, "M": 30, "W": 7, "D": 1}
_OPEN_ENDED_YEARS = 9999


def parse_duration(text: str) -> timedelta | None:
    """An ISO 8601 duration as a timedelta; None if open-ended (``P9999Y``) or unreadable."""
    match = _DURATION.match(text)
    if not match:
        return None
    parts = {k: float(v) for k, v in match.groupdict().items() if v and k != "sign"}
    if parts.get("Y", 0) >= _OPEN_ENDED_YEARS:
        return None
    days = sum(parts.get(k, 0.0) * n for k, n in _DAYS.items())
    span = timedelta(
        days=days, hours=parts.get("h", 0.0), minutes=parts.get("m", 0.0),
        seconds=parts.get("s", 0.0),
    )  # fmt: skip
    return -span if match.group("sign") else span


def _start(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.year <= 1:  # 0001-01-01 stands for "now"
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def event_end(body: dict[str, Any]) -> str | None:
    """The end of the event whose stored (spec) body is ``body``, as fixed-width UTC text."""
    period = body.get("intervalPeriod") or {}
    default_duration = period.get("duration")
    try:
        cursor = _start(period.get("start"))
        if body.get("duration") and cursor is not None:
            span = parse_duration(body["duration"])
            return None if span is None else _text(cursor + span)
        end: datetime | None = None
        for interval in body.get("intervals") or []:
            own = interval.get("intervalPeriod") or {}
            start = _start(own.get("start")) if own.get("start") else cursor
            duration = own.get("duration") or default_duration
            span = parse_duration(duration) if duration else None
            if start is None or span is None:
                return None
            cursor = start + span
            end = cursor if end is None else max(end, cursor)
        if end is None and cursor is not None and default_duration:
            span = parse_duration(default_duration)
            end = None if span is None else cursor + span
        return None if end is None else _text(end)
    except (ValueError, OverflowError):
        return None


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
