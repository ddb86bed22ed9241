"""The yearly business case of one compute technology in one region under a tariff.

It reads the hourly values and availability from :func:`gridsurplus.economics.values.compute_values`
and prices the energy with a :class:`~gridsurplus.economics.tariffs.Tariff`:

* a **mining** site runs in the hours its value beats the tariff (it is interruptible and
  curtails itself otherwise), at its availability;
* an **AI** site runs in every hour at its availability (firm load; its Uptime tier allows no
  economic curtailment).

Yearly figures: energy [MWh], revenue, power cost, fixed O&M, operating margin (revenue - power
- fixed O&M), capex and its annuity, profit (operating margin - capex annuity), simple payback
(capex / operating margin) and the NPV over the facility's life with machines renewed at the same
cost (``(operating margin - capex annuity) / annuity factor``). Values cover a whole year; a
shorter sample of hours is scaled to 8,760 h.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from gridsurplus.calendar import HOURS_PER_YEAR
from gridsurplus.economics.account import operator_account, runs
from gridsurplus.economics.errors import EconomicsInputError, require_positive
from gridsurplus.economics.finance import present_value_factor

if TYPE_CHECKING:
    import xarray as xr

    from gridsurplus.economics.tariffs import Tariff


@dataclass(frozen=True)
class BusinessCase:
    """A year of one technology in one region (money in USD, energy in MWh).

    Attributes
    ----------
    tech, region, kind : str
        What and where.
    capacity_mw : float
        Grid connection built [MW].
    energy_mwh : float
        Grid energy used in the year [MWh].
    hours_run : float
        Hours with any consumption [h].
    revenue_usd, power_cost_usd, fixed_om_usd, operating_margin_usd : float
        Yearly revenue, power bill, fixed O&M and their balance [USD/yr].
    capex_usd, capex_annuity_usd, profit_usd : float
        Capex [USD], its yearly annuity [USD/yr] and the profit after it [USD/yr].
    payback_years : float
        ``capex / operating margin`` [years] (inf if the margin is not positive).
    npv_usd : float
        NPV over the facility life [USD].
    value_usd_per_mwh, tariff_usd_per_mwh : float
        Energy-weighted mean value and tariff [USD/MWh].
    valuation : str
        How the values were computed (levelised or a year).
    """

    tech: str
    region: str
    kind: str
    capacity_mw: float
    energy_mwh: float
    hours_run: float
    revenue_usd: float
    power_cost_usd: float
    fixed_om_usd: float
    operating_margin_usd: float
    capex_usd: float
    capex_annuity_usd: float
    profit_usd: float
    payback_years: float
    npv_usd: float
    value_usd_per_mwh: float
    tariff_usd_per_mwh: float
    valuation: str

    def to_dict(self) -> dict[str, float | str]:
        """Return the fields as a plain dict."""
        return asdict(self)


def business_case(
    values: xr.Dataset,
    tech: str,
    region: str,
    tariff: Tariff,
    *,
    capacity_mw: float = 1.0,
    exchange_rate: float | None = None,
    life_facility_years: float | None = None,
) -> BusinessCase:
    """Yearly business case of ``tech`` in ``region`` under ``tariff``.

    Parameters
    ----------
    values : xarray.Dataset
        From :func:`gridsurplus.economics.values.compute_values`.
    tech, region : str
        Technology and region ids.
    tariff : Tariff
        What the site pays for power.
    capacity_mw : float
        Grid connection built [MW].
    exchange_rate : float, optional
        Tariff currency per USD; defaults to the dataset's rate recorded in ``values``.
    life_facility_years : float, optional
        Horizon of the NPV [years]; the technology's facility life by default.

    Returns
    -------
    BusinessCase
        The yearly figures.
    """
    import numpy as np

    for name, label in (("tech", tech), ("region", region)):
        if label not in values[name].values:
            raise EconomicsInputError(
                f"unknown {name} {label!r}; known: {', '.join(map(str, values[name].values))}"
            )
    cap = require_positive(capacity_mw, "capacity", "MW")
    rate = exchange_rate if exchange_rate is not None else values.attrs.get("exchange_rate")
    sel = values.sel(tech=tech, region=region)
    value = sel["value_usd_per_mwh"].to_numpy()
    avail = sel["availability"].to_numpy()
    price = tariff.usd_per_mwh(values["time"].to_numpy(), region, exchange_rate=rate)
    kind = str(sel["kind"].item())
    run = runs(value, price) if kind == "mining" else np.ones_like(value, dtype=bool)
    energy = np.where(run, avail * cap, 0.0)
    scale = HOURS_PER_YEAR / len(value) if len(value) < HOURS_PER_YEAR else 1.0

    energy_mwh = float(energy.sum()) * scale
    revenue = float((energy * value).sum()) * scale
    power_cost = float((energy * price).sum()) * scale
    account = operator_account(
        revenue_usd=revenue,
        power_cost_usd=power_cost,
        mw=cap,
        fixed_om_usd_per_mw_year=float(sel["fixed_om_usd_per_mw_year"]),
        annuity_usd_per_mw_year=float(sel["annuity_usd_per_mw_year"]),
        capex_usd_per_mw=float(sel["capex_usd_per_mw"]),
    )
    discount = (
        float(sel["discount_rate"])
        if "discount_rate" in sel
        else float(values.attrs.get("discount_rate", 0.0))
    )
    life = life_facility_years
    if life is None:
        life = (
            float(sel["life_facility_years"])
            if "life_facility_years" in sel
            else float(sel["life_it_years"])
        )
    npv_usd = account.profit_usd * present_value_factor(discount, life)
    return BusinessCase(
        tech=tech,
        region=region,
        kind=kind,
        capacity_mw=cap,
        energy_mwh=energy_mwh,
        hours_run=float((energy > 0).sum()) * scale,
        revenue_usd=revenue,
        power_cost_usd=power_cost,
        fixed_om_usd=account.fixed_om_usd,
        operating_margin_usd=account.margin_usd,
        capex_usd=account.capex_usd,
        capex_annuity_usd=account.capex_annuity_usd,
        profit_usd=account.profit_usd,
        payback_years=account.payback_years,
        npv_usd=npv_usd,
        value_usd_per_mwh=revenue / energy_mwh if energy_mwh > 0 else float("nan"),
        tariff_usd_per_mwh=power_cost / energy_mwh if energy_mwh > 0 else float("nan"),
        valuation=str(values.attrs.get("valuation", "")),
    )
