"""The operator's account: one compute site's year, shared by the plan and the business case.

>>> a = operator_account(
...     revenue_usd=1000.0, power_cost_usd=600.0, mw=2.0, fixed_om_usd_per_mw_year=50.0,
...     annuity_usd_per_mw_year=150.0, capex_usd_per_mw=400.0,
... )
>>> a.margin_usd, a.capex_annuity_usd, a.profit_usd, a.payback_years
(300.0, 200.0, 100.0, 2.6666666666666665)
>>> operator_account(
...     revenue_usd=0.0, power_cost_usd=0.0, mw=1.0, fixed_om_usd_per_mw_year=1.0,
...     annuity_usd_per_mw_year=2.0, capex_usd_per_mw=3.0,
... ).payback_years
inf
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class OperatorAccount:
    """A site's year [USD/yr, capex in USD, payback in years].

    Attributes
    ----------
    revenue_usd, power_cost_usd, fixed_om_usd : float
        What compute earned, what it paid for power, and fixed O&M.
    margin_usd : float
        ``revenue - power cost - fixed O&M``.
    capex_annuity_usd : float
        The capital's yearly annuity (the technology's annuity net of fixed O&M).
    profit_usd : float
        ``margin - capex annuity``.
    capex_usd : float
        Capital cost of the site [USD].
    payback_years : float
        ``capex / margin`` [years]; infinite if the margin is not positive (it never pays
        back).
    """

    revenue_usd: float
    power_cost_usd: float
    fixed_om_usd: float
    margin_usd: float
    capex_annuity_usd: float
    profit_usd: float
    capex_usd: float
    payback_years: float


def operator_account(
    *,
    revenue_usd: float,
    power_cost_usd: float,
    mw: float,
    fixed_om_usd_per_mw_year: float,
    annuity_usd_per_mw_year: float,
    capex_usd_per_mw: float,
) -> OperatorAccount:
    """The year of a site of ``mw`` that earned ``revenue_usd`` and paid ``power_cost_usd``.

    ``annuity_usd_per_mw_year`` is the technology's full yearly cost of capacity (capital
    annuity plus fixed O&M), as :func:`gridsurplus.economics.values.compute_values` gives it.
    """
    fixed_om = fixed_om_usd_per_mw_year * mw
    annuity = annuity_usd_per_mw_year * mw - fixed_om
    capex = capex_usd_per_mw * mw
    margin = revenue_usd - power_cost_usd - fixed_om
    return OperatorAccount(
        revenue_usd=revenue_usd,
        power_cost_usd=power_cost_usd,
        fixed_om_usd=fixed_om,
        margin_usd=margin,
        capex_annuity_usd=annuity,
        profit_usd=margin - annuity,
        capex_usd=capex,
        payback_years=capex / margin if margin > 0 else math.inf,
    )


def runs(value_usd_per_mwh: np.ndarray, price_usd_per_mwh: np.ndarray) -> np.ndarray:
    """Hours in which an interruptible load runs: its value covers the price (``>=``).

    At equality running earns nothing and costs nothing; the siting LP is indifferent there,
    so the plan's tariff lens allows it and the business case counts it the same way.

    >>> runs(np.array([10.0, 20.0, 30.0]), np.array([20.0, 20.0, 20.0])).tolist()
    [False, True, True]
    """
    return np.asarray(value_usd_per_mwh) >= np.asarray(price_usd_per_mwh)
