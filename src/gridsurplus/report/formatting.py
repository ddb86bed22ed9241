"""How numbers are written in the report: money in USD and PKR, MW, GWh, shares.

Examples
--------
>>> usd(968_756_248.0)
'$969 M'
>>> pkr(272_026_754_441.0)
'Rs 272 bn'
>>> mw(1500.0)
'1,500 MW'
>>> share(0.0566)
'5.7%'
"""

from __future__ import annotations

import math
from typing import Any

DASH = "–"
"""Shown for a missing value."""


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def _scaled(value: float, units: tuple[tuple[float, str], ...]) -> str:
    for size, suffix in units:
        if abs(value) >= size:
            scaled = value / size
            digits = 2 if abs(scaled) < 10 else (1 if abs(scaled) < 100 else 0)
            return f"{scaled:,.{digits}f} {suffix}".strip()
    return f"{value:,.0f}"


def usd(value: Any) -> str:
    """Dollars, scaled to k, M or bn."""
    if _missing(value):
        return DASH
    text = _scaled(float(value), ((1e9, "bn"), (1e6, "M"), (1e3, "k")))
    return f"-${text[1:]}" if text.startswith("-") else f"${text}"


def pkr(value: Any) -> str:
    """Rupees, scaled to M, bn or trillion."""
    if _missing(value):
        return DASH
    return "Rs " + _scaled(float(value), ((1e12, "trillion"), (1e9, "bn"), (1e6, "M")))


def mw(value: Any) -> str:
    """Megawatts, whole."""
    return DASH if _missing(value) else f"{float(value):,.0f} MW"


def gwh(value: Any) -> str:
    """Gigawatt-hours, whole; TWh above 10,000 GWh."""
    if _missing(value):
        return DASH
    v = float(value)
    return f"{v / 1000:,.1f} TWh" if abs(v) >= 10_000 else f"{v:,.0f} GWh"


def share(value: Any, digits: int = 1) -> str:
    """A fraction as a percentage."""
    return DASH if _missing(value) else f"{100 * float(value):.{digits}f}%"


def years(value: Any) -> str:
    """A duration in years."""
    return DASH if _missing(value) else f"{float(value):.1f} years"


def number(value: Any, digits: int = 0) -> str:
    """A number with thousands separators, words for billions; text passes through.

    Examples
    --------
    >>> number(1234.5), number(2.1e12), number(0.012, 2), number(280.8, 2), number("n/a")
    ('1,234', '2.1 trillion', '0.012', '280.8', 'n/a')
    """
    if isinstance(value, str):
        return value
    if _missing(value):
        return DASH
    v = float(value)
    if abs(v) >= 1e9:
        size, suffix = (1e12, "trillion") if abs(v) >= 1e12 else (1e9, "bn")
        return f"{v / size:,.4g} {suffix}"
    if digits and not v.is_integer() and abs(v) < 1e6:
        return f"{v:,.{digits + 2}g}" if abs(v) < 1 else f"{v:,.{max(digits, 1)}f}".rstrip("0")
    return f"{v:,.{0 if v.is_integer() else digits}f}"


def btc(value: Any) -> str:
    """Bitcoin per year."""
    return DASH if _missing(value) else f"{float(value):,.0f} BTC"


__all__ = ["DASH", "btc", "gwh", "mw", "number", "pkr", "share", "usd", "years"]
