"""Finance: annuities, NPV, IRR, payback, levelising a path of values, and currency conversion.

Cash flows are yearly and end-of-year: ``cashflows[0]`` falls today (year 0, undiscounted),
``cashflows[k]`` at the end of year ``k``. Rates are fractions per year (0.10 for 10 %).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

from gridsurplus.economics.errors import EconomicsInputError, require_positive


def _check_rate(rate: float) -> float:
    r = float(rate)
    if not math.isfinite(r) or r <= -1:
        raise EconomicsInputError(f"discount rate must be a finite fraction above -1, got {rate!r}")
    if r > 1:
        raise EconomicsInputError(
            f"discount rate {r:g} is over 100 %/yr: give a fraction (0.10 for 10 %)"
        )
    return r


def annuity_factor(rate: float, years: float) -> float:
    """Capital recovery factor ``r / (1 - (1 + r)**-n)`` (``1 / n`` at ``r = 0``) [1/yr].

    Parameters
    ----------
    rate : float
        Discount rate [fraction/yr].
    years : float
        Life [years].

    Returns
    -------
    float
        Yearly payment per unit of capital [1/yr].

    Examples
    --------
    >>> round(annuity_factor(0.10, 10), 5)  # textbook: 0.16275
    0.16275
    """
    r = _check_rate(rate)
    n = require_positive(years, "life", "years")
    if r == 0:
        return 1.0 / n
    return r / (1.0 - (1.0 + r) ** -n)


def annuity(capex: float, rate: float, years: float) -> float:
    """Equal yearly payment that repays ``capex`` over ``years`` at ``rate`` [currency/yr].

    Parameters
    ----------
    capex : float
        Capital spent today [currency].
    rate : float
        Discount rate [fraction/yr].
    years : float
        Life [years].

    Returns
    -------
    float
        Yearly annuity [currency/yr].

    Examples
    --------
    >>> round(annuity(1000, 0.10, 10), 2)
    162.75
    """
    if capex < 0:
        raise EconomicsInputError(f"capex must be >= 0, got {capex:g}")
    return capex * annuity_factor(rate, years)


def present_value_factor(rate: float, years: float) -> float:
    """Present value of 1 a year for ``years`` years, ``1 / annuity_factor`` [yr]."""
    return 1.0 / annuity_factor(rate, years)


def npv(rate: float, cashflows: Sequence[float]) -> float:
    """Net present value of yearly cash flows, the first one today [currency].

    Parameters
    ----------
    rate : float
        Discount rate [fraction/yr].
    cashflows : sequence of float
        Cash flow of year 0, 1, 2, ... [currency].

    Returns
    -------
    float
        NPV [currency].

    Examples
    --------
    >>> round(npv(0.10, [-1000, 500, 500, 500]), 2)  # -1000 + 500 * 2.48685
    243.43
    """
    r = _check_rate(rate)
    return sum(float(c) / (1.0 + r) ** k for k, c in enumerate(cashflows))


def irr(cashflows: Sequence[float]) -> float:
    """Find the internal rate of return, the rate at which the NPV is zero [fraction/yr].

    Parameters
    ----------
    cashflows : sequence of float
        Cash flow of year 0, 1, 2, ... [currency]; needs at least one sign change.

    Returns
    -------
    float
        IRR [fraction/yr], searched between -99 % and +1000 %.

    Raises
    ------
    EconomicsInputError
        If the flows never change sign (no IRR) or no root lies in the range.

    Examples
    --------
    >>> round(irr([-100, 110]), 6)
    0.1
    >>> irr([100, 50])
    Traceback (most recent call last):
    ...
    gridsurplus.economics.errors.EconomicsInputError: no IRR: the cash flows never change sign
    """
    flows = [float(c) for c in cashflows]
    if not (any(c < 0 for c in flows) and any(c > 0 for c in flows)):
        raise EconomicsInputError("no IRR: the cash flows never change sign")
    from scipy.optimize import brentq

    def f(r: float) -> float:
        return sum(c / (1.0 + r) ** k for k, c in enumerate(flows))

    grid = [-0.99, -0.5, -0.2, 0.0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0]
    points = [(r, f(r)) for r in grid]
    for (a, fa), (b, fb) in pairwise(points):
        if fa == 0:
            return a
        if fa * fb < 0:
            return float(brentq(f, a, b, xtol=1e-12))
    raise EconomicsInputError("no IRR between -99 % and +1000 % a year")


def payback_years(cashflows: Sequence[float]) -> float:
    """Years until the cumulative (undiscounted) cash flow turns non-negative [years].

    Linear within the year it turns; ``inf`` if it never does.

    Parameters
    ----------
    cashflows : sequence of float
        Cash flow of year 0, 1, 2, ... [currency].

    Returns
    -------
    float
        Payback [years].

    Examples
    --------
    >>> payback_years([-1000, 400, 400, 400])  # 2 years + 200/400
    2.5
    """
    flows = [float(c) for c in cashflows]
    cum = 0.0
    for k, c in enumerate(flows):
        before = cum
        cum += c
        if cum >= 0 and (before < 0 or k == 0):
            return 0.0 if k == 0 else k - 1 + (-before / c)
    return math.inf


def discounted_payback_years(rate: float, cashflows: Sequence[float]) -> float:
    """Payback of the discounted cash flows [years] (``inf`` if they never pay back)."""
    r = _check_rate(rate)
    return payback_years([float(c) / (1.0 + r) ** k for k, c in enumerate(cashflows)])


def life_weights(rate: float, years: float) -> list[float]:
    """Discount weights of the years of a life, the first year undiscounted.

    A fractional life gives its last year a partial weight (4.5 years: ``[1, d, d2, d3, 0.5 d4]``).

    Parameters
    ----------
    rate : float
        Discount rate [fraction/yr].
    years : float
        Life [years].

    Returns
    -------
    list of float
        One weight per year started [dimensionless].
    """
    r = _check_rate(rate)
    n = require_positive(years, "life", "years")
    full = int(math.floor(n))
    weights = [(1.0 + r) ** -k for k in range(full)]
    if n > full:
        weights.append((n - full) * (1.0 + r) ** -full)
    return weights


def levelise(values: Sequence[float], rate: float) -> float:
    """Discount-weighted mean of yearly values (equal yearly quantities assumed).

    The single constant value whose present value over the years equals that of ``values``;
    weights are ``(1 + r)**-k`` for year ``k = 0, 1, ...``.

    Parameters
    ----------
    values : sequence of float
        Value in each year of the life [any unit].
    rate : float
        Discount rate [fraction/yr].

    Returns
    -------
    float
        Levelised value [same unit].

    Examples
    --------
    >>> round(levelise([100, 50], 0.10), 4)  # (100 + 50/1.1) / (1 + 1/1.1)
    76.1905
    """
    return levelise_weighted(values, [(1.0 + _check_rate(rate)) ** -k for k in range(len(values))])


def levelise_weighted(values: Sequence[float], weights: Sequence[float]) -> float:
    """Weighted mean of yearly values with the given (discount) weights."""
    if len(values) != len(weights) or not values:
        raise EconomicsInputError("need one weight per value and at least one value")
    total = sum(weights)
    return sum(v * w for v, w in zip(values, weights, strict=True)) / total


def to_usd(amount: float, exchange_rate: float) -> float:
    """Convert an amount in a local currency to USD: ``amount / exchange_rate``.

    Parameters
    ----------
    amount : float
        Amount [local currency].
    exchange_rate : float
        Local currency per USD [e.g. PKR/USD] (the dataset's ``exchange_rate``).

    Returns
    -------
    float
        Amount [USD].
    """
    return amount / require_positive(exchange_rate, "exchange rate", "currency per USD")


def from_usd(amount_usd: float, exchange_rate: float) -> float:
    """Convert USD into a local currency: ``amount * exchange_rate`` [local currency]."""
    return amount_usd * require_positive(exchange_rate, "exchange rate", "currency per USD")


def per_kwh_to_usd_per_mwh(price_per_kwh: float, exchange_rate: float = 1.0) -> float:
    """Turn a price per kWh in a currency into USD per MWh: ``price / rate * 1000``.

    Parameters
    ----------
    price_per_kwh : float
        Price [currency/kWh].
    exchange_rate : float
        Currency per USD (1 for a USD price).

    Returns
    -------
    float
        Price [USD/MWh].

    Examples
    --------
    >>> round(per_kwh_to_usd_per_mwh(23, 281), 2)  # Rs 23/kWh at 281 PKR/USD
    81.85
    """
    return to_usd(price_per_kwh, exchange_rate) * 1000.0


def usd_per_mwh_to_per_kwh(price_usd_per_mwh: float, exchange_rate: float = 1.0) -> float:
    """Turn USD per MWh into a price per kWh in a currency: ``price * rate / 1000``."""
    return from_usd(price_usd_per_mwh, exchange_rate) / 1000.0
