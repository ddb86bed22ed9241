"""The database's clock: now in UTC as fixed-width text that sorts as it compares."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now_text() -> str:
    """Now in UTC as fixed-width text, ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (sorts as it compares)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


__all__ = ["utc_now_text"]
