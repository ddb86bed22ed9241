"""A mining fleet per MWh: revenue, BTC, break-even, margin, and its own effect on difficulty.

* revenue per MWh ``[USD/MWh] = hashprice [USD/PH/day] / (0.024 * J/TH)``: 1 PH/s at ``e`` J/TH
  draws ``e`` kW, i.e. ``0.024 * e`` MWh a day;
* break-even power price ``[USD/kWh] = revenue per MWh / 1000``;
* a fleet of ``F`` EH/s joining a network of ``N`` EH/s lowers everyone's hashprice, its own
  included, by the factor ``N / (N + F)`` once difficulty has adjusted.

Everything here is a plain function of numbers; nothing reads files.
"""

from __future__ import annotations

from gridsurplus.economics.errors import EconomicsInputError, require_fraction, require_positive

MWH_PER_PH_DAY_PER_J_PER_TH = 0.024
"""Energy drawn by 1 PH/s for one day at 1 J/TH [MWh]: 1e15/1e12 * 86400 s / 3.6e9 J/MWh."""
J_PER_TH_RANGE = (5.0, 200.0)
"""Plausible efficiencies [J/TH]; outside it the figure is almost surely in another unit."""


def check_efficiency_j_per_th(j_per_th: float, what: str = "efficiency") -> float:
    """Return an ASIC efficiency if it is plausible in J/TH, else say which unit it looks like.

    Parameters
    ----------
    j_per_th : float
        Efficiency [J/TH] (= W per TH/s); today's machines lie between about 9 and 35.
    what : str
        What the figure belongs to, for the message.

    Returns
    -------
    float
        ``j_per_th``.

    Raises
    ------
    EconomicsInputError
        If the figure is not positive or lies outside 5-200 J/TH (J/GH and W/GH figures are
        1,000 times smaller, J/PH figures 1,000 times larger).

    Examples
    --------
    >>> check_efficiency_j_per_th(0.0135)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gridsurplus.economics.errors.EconomicsInputError: efficiency 0.0135 J/TH ... by 1000 ...
    """
    value = require_positive(j_per_th, what, "J/TH")
    low, high = J_PER_TH_RANGE
    if value < low:
        hint = (
            f"it looks like J/GH or W/GH; multiply by 1000 ({value:g} J/GH = {value * 1000:g} J/TH)"
            if value < low / 100
            else "no ASIC is that efficient; check the unit"
        )
        raise EconomicsInputError(
            f"{what} {value:g} J/TH is not plausible (expected {low:g}-{high:g} J/TH): {hint}"
        )
    if value > high:
        hint = (
            f"it looks like J/PH or W/PH; divide by 1000 ({value:g} J/PH = {value / 1000:g} J/TH)"
            if value > high * 20
            else "that is older than any machine worth siting; check the unit"
        )
        raise EconomicsInputError(
            f"{what} {value:g} J/TH is not plausible (expected {low:g}-{high:g} J/TH): {hint}"
        )
    return value


def revenue_usd_per_mwh(
    hashprice_usd_per_ph_day: float, j_per_th: float, pool_fee: float = 0.0
) -> float:
    """Mining revenue per MWh drawn by the ASICs: ``hashprice / (0.024 * J/TH) * (1 - pool_fee)``.

    Parameters
    ----------
    hashprice_usd_per_ph_day : float
        Hashprice [USD/(PH/s)/day].
    j_per_th : float
        ASIC efficiency [J/TH].
    pool_fee : float
        Pool fee taken from the payout [fraction] (FPPS pools: ~0.02).

    Returns
    -------
    float
        Revenue [USD/MWh].

    Examples
    --------
    >>> round(revenue_usd_per_mwh(39.53, 17.0), 1)  # Hashrate Index's "$97/MWh" tier
    96.9
    """
    if hashprice_usd_per_ph_day < 0:
        raise EconomicsInputError(
            f"hashprice must be >= 0, got {hashprice_usd_per_ph_day:g} USD/PH/day"
        )
    e = check_efficiency_j_per_th(j_per_th)
    fee = require_fraction(pool_fee, "pool fee", upper_open=True)
    return hashprice_usd_per_ph_day / (MWH_PER_PH_DAY_PER_J_PER_TH * e) * (1.0 - fee)


def btc_per_mwh(
    btc_per_ph_day: float, j_per_th: float, overhead: float = 1.0, pool_fee: float = 0.0
) -> float:
    """BTC a fleet earns per MWh of grid energy: ``1000 / (24 x overhead x J/TH)`` PH-days.

    One MWh drawn from the grid runs ``1 / overhead`` MWh of ASICs, which is
    ``1000 / (24 x overhead x J/TH)`` PH-days of hashing, each earning ``btc_per_ph_day``
    less the pool fee.

    Parameters
    ----------
    btc_per_ph_day : float
        Hashprice in BTC [BTC/(PH/s)/day].
    j_per_th : float
        ASIC efficiency [J/TH].
    overhead : float
        Grid energy per ASIC energy (cooling and other loads) [-].
    pool_fee : float
        Pool fee [fraction].

    Returns
    -------
    float
        [BTC/MWh].

    Examples
    --------
    >>> round(btc_per_mwh(0.0005, 15.0, 1.1), 6)
    0.001263
    """
    return 1000.0 / (24.0 * overhead * j_per_th) * btc_per_ph_day * (1.0 - pool_fee)


def breakeven_usd_per_kwh(
    hashprice_usd_per_ph_day: float, j_per_th: float, pool_fee: float = 0.0
) -> float:
    """Power price at which mining just pays for its energy: revenue per MWh / 1000 [USD/kWh].

    Parameters
    ----------
    hashprice_usd_per_ph_day : float
        Hashprice [USD/(PH/s)/day].
    j_per_th : float
        ASIC efficiency [J/TH].
    pool_fee : float
        Pool fee [fraction].

    Returns
    -------
    float
        Break-even power price [USD/kWh].
    """
    return revenue_usd_per_mwh(hashprice_usd_per_ph_day, j_per_th, pool_fee) / 1000.0


def margin_usd_per_mwh(
    hashprice_usd_per_ph_day: float,
    j_per_th: float,
    power_price_usd_per_kwh: float,
    pool_fee: float = 0.0,
) -> float:
    """Revenue per MWh less the power price [USD/MWh] (negative: mining loses money on energy).

    Parameters
    ----------
    hashprice_usd_per_ph_day : float
        Hashprice [USD/(PH/s)/day].
    j_per_th : float
        ASIC efficiency [J/TH].
    power_price_usd_per_kwh : float
        Price paid for power [USD/kWh].
    pool_fee : float
        Pool fee [fraction].

    Returns
    -------
    float
        Margin [USD/MWh].
    """
    if power_price_usd_per_kwh < 0 or power_price_usd_per_kwh != power_price_usd_per_kwh:
        raise EconomicsInputError(
            f"power price must be >= 0, got {power_price_usd_per_kwh!r} USD/kWh"
        )
    if power_price_usd_per_kwh > 5:
        raise EconomicsInputError(
            f"power price {power_price_usd_per_kwh:g} USD/kWh is implausible: give USD per kWh "
            "(0.08, not 80 USD/MWh or 23 PKR/kWh)"
        )
    revenue = revenue_usd_per_mwh(hashprice_usd_per_ph_day, j_per_th, pool_fee)
    return revenue - power_price_usd_per_kwh * 1000.0


def hashcost_usd_per_ph_day(j_per_th: float, power_price_usd_per_mwh: float) -> float:
    """Energy cost of running 1 PH/s for a day: ``0.024 * J/TH * USD/MWh`` [USD/(PH/s)/day]."""
    return (
        MWH_PER_PH_DAY_PER_J_PER_TH * check_efficiency_j_per_th(j_per_th) * power_price_usd_per_mwh
    )


def fleet_hashrate_eh_s(mw: float, j_per_th: float) -> float:
    """Hashrate of a fleet drawing ``mw`` at ``j_per_th``: ``mw * 1e6 / J/TH`` TH/s, in EH/s.

    Parameters
    ----------
    mw : float
        Power drawn by the ASICs [MW].
    j_per_th : float
        Efficiency [J/TH].

    Returns
    -------
    float
        Hashrate [EH/s] (2,000 MW at 13.5 J/TH is 148 EH/s).

    Examples
    --------
    >>> round(fleet_hashrate_eh_s(2000, 13.5), 1)
    148.1
    """
    if mw < 0:
        raise EconomicsInputError(f"fleet power must be >= 0, got {mw:g} MW")
    return mw * 1e6 / check_efficiency_j_per_th(j_per_th) / 1e6


def fleet_correction(network_eh_s: float, fleet_eh_s: float) -> float:
    """Share of the hashprice left once difficulty adjusts to a new fleet: ``N / (N + F)``.

    Difficulty retargets so that blocks come every 600 s again; the same reward is then shared
    by ``N + F`` instead of ``N``, so every PH/s earns ``N / (N + F)`` of what it earned before
    (competing hashrate and BTC price held fixed). The siting model multiplies its mining
    values by this factor and iterates: build, recompute ``F`` from the built MW with
    :func:`fleet_hashrate_eh_s`, recompute the factor, until it stops moving.

    Parameters
    ----------
    network_eh_s : float
        Network hashrate without the fleet [EH/s].
    fleet_eh_s : float
        The fleet's hashrate [EH/s].

    Returns
    -------
    float
        Correction factor in (0, 1].

    Examples
    --------
    >>> round(fleet_correction(1061, 148.1), 3)
    0.878
    """
    n = require_positive(network_eh_s, "network hashrate", "EH/s")
    if fleet_eh_s < 0:
        raise EconomicsInputError(f"fleet hashrate must be >= 0, got {fleet_eh_s:g} EH/s")
    return n / (n + fleet_eh_s)
