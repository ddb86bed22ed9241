"""Small builders shared by the sweep tests."""

from __future__ import annotations


def param(distribution: str, unit: str = "-", **fields) -> dict:
    """A scenario-file entry with a unit, status and source."""
    return {
        "distribution": distribution,
        "unit": unit,
        "status": "estimated",
        "source": "test",
        **fields,
    }
