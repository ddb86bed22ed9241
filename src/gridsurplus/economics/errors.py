"""Errors of the economics layer: impossible or implausible inputs, said plainly."""

from __future__ import annotations

from gridsurplus.errors import InputError


class EconomicsInputError(InputError, ValueError):
    """An economic input is impossible or in the wrong unit (the message says which and why).

    It is both a :class:`~gridsurplus.errors.GridsurplusError` (so the command line prints it
    as a one-line error) and a :class:`ValueError` (so plain Python callers can catch it as one).
    """


class UnknownAsicError(EconomicsInputError):
    """An ASIC model that is not in the catalogue (the message lists the closest names)."""


def require_positive(value: float, name: str, unit: str = "") -> float:
    """Return ``value`` as a float if it is a finite number above zero, else raise.

    Parameters
    ----------
    value : float
        The number to check [any unit].
    name : str
        What the number is, for the message.
    unit : str
        Its unit, for the message.

    Returns
    -------
    float
        ``value``.

    Raises
    ------
    EconomicsInputError
        If ``value`` is not a finite number above zero.

    Examples
    --------
    >>> require_positive(-3, "BTC price", "USD")
    Traceback (most recent call last):
    ...
    gridsurplus.economics.errors.EconomicsInputError: BTC price must be above zero, got -3 USD
    """
    number = _finite(value, name)
    if number <= 0:
        raise EconomicsInputError(
            f"{name} must be above zero, got {value:g}{' ' + unit if unit else ''}"
        )
    return number


def require_fraction(value: float, name: str, *, upper_open: bool = False) -> float:
    """Return ``value`` if it lies in [0, 1] ([0, 1) with ``upper_open``), else raise.

    Parameters
    ----------
    value : float
        The share to check [fraction].
    name : str
        What the share is, for the message.
    upper_open : bool
        Whether 1 itself is impossible (a fee share of 1 would mean an infinite reward).

    Returns
    -------
    float
        ``value``.
    """
    number = _finite(value, name)
    too_high = number >= 1 if upper_open else number > 1
    if number < 0 or too_high:
        upper = "below 1" if upper_open else "at most 1"
        hint = " (give a fraction: 0.02 for 2 %)" if number > 1 else ""
        raise EconomicsInputError(
            f"{name} must be a fraction from 0 to {upper}, got {value:g}{hint}"
        )
    return number


def _finite(value: float, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise EconomicsInputError(f"{name} must be a number, got {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise EconomicsInputError(f"{name} must be a finite number, got {value!r}")
    return number
