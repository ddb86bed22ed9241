"""Bitcoin mining revenue: block subsidy, hashprice, revenue per MWh and the fleet's own effect.

The formulas (``data/compute/SOURCES.md`` of the shared research, section 1):

* expected hashes per block ``= D * 2**32`` (the exact ``D * 2**48 / 65535`` is 0.0015 % larger);
* hashprice ``[BTC/PH/s/day] = 1e15 * 86400 * R / (D * 2**32)``, with ``R`` the block reward
  (subsidy + mean fees per block) [BTC]; times the BTC price it is ``[USD/PH/s/day]``;
* revenue per MWh ``[USD/MWh] = hashprice [USD/PH/day] / (0.024 * J/TH)``: 1 PH/s at ``e`` J/TH
  draws ``e`` kW, i.e. ``0.024 * e`` MWh a day;
* break-even power price ``[USD/kWh] = revenue per MWh / 1000``;
* a fleet of ``F`` EH/s joining a network of ``N`` EH/s lowers everyone's hashprice, its own
  included, by the factor ``N / (N + F)`` once difficulty has adjusted.

Everything here is a plain function of numbers; nothing reads files.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta

from gridsurplus.economics.errors import EconomicsInputError, require_fraction, require_positive

HALVING_INTERVAL = 210_000
"""Blocks between halvings of the subsidy [blocks]."""
INITIAL_SUBSIDY_SAT = 50 * 100_000_000
"""Subsidy of the first era [satoshi]."""
SAT_PER_BTC = 100_000_000
"""Satoshi in one bitcoin."""
TARGET_SPACING_S = 600
"""Target time between blocks [s]."""
BLOCKS_PER_DAY = 86_400 / TARGET_SPACING_S
"""Blocks per day at the target spacing [blocks/day] (144)."""
HASHES_PER_DIFFICULTY = 2**32
"""Expected hashes per block per unit of difficulty (approximation of 2**48/65535)."""
PH = 1e15
"""Hashes per second in one PH/s."""
MWH_PER_PH_DAY_PER_J_PER_TH = 0.024
"""Energy drawn by 1 PH/s for one day at 1 J/TH [MWh]: 1e15/1e12 * 86400 s / 3.6e9 J/MWh."""

HALVING_4_HEIGHT = 840_000
"""Height of the fourth halving (3.125 BTC from this block)."""
HALVING_4_TIME = datetime(2024, 4, 20, 0, 9, tzinfo=UTC)
"""Time of block 840,000 (mined by ViaBTC) [UTC]."""

J_PER_TH_RANGE = (5.0, 200.0)
"""Plausible efficiencies [J/TH]; outside it the figure is almost surely in another unit."""


def block_subsidy_btc(height: int) -> float:
    """Block subsidy at a block height, as Bitcoin Core's ``GetBlockSubsidy`` computes it.

    ``floor(50e8 >> (height // 210000))`` satoshi, zero after 64 halvings.

    Parameters
    ----------
    height : int
        Block height [blocks], 0 or more.

    Returns
    -------
    float
        Subsidy [BTC].

    Examples
    --------
    >>> block_subsidy_btc(839_999), block_subsidy_btc(840_000), block_subsidy_btc(1_050_000)
    (6.25, 3.125, 1.5625)
    >>> block_subsidy_btc(-1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gridsurplus.economics.errors.EconomicsInputError: block height must be a whole number >= 0, ...
    """
    if isinstance(height, bool) or int(height) != height or height < 0:
        raise EconomicsInputError(f"block height must be a whole number >= 0, got {height!r}")
    halvings = int(height) // HALVING_INTERVAL
    if halvings >= 64:
        return 0.0
    return (INITIAL_SUBSIDY_SAT >> halvings) / SAT_PER_BTC


def halving_height(n: int) -> int:
    """Height of the ``n``-th halving [blocks] (``n = 5`` is 1,050,000, expected ~April 2028)."""
    if n < 1:
        raise EconomicsInputError(f"halving number must be 1 or more, got {n}")
    return n * HALVING_INTERVAL


def _as_datetime(when: date | datetime | str) -> datetime:
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when)
        except ValueError:
            raise EconomicsInputError(f"cannot read {when!r} as a date (use YYYY-MM-DD)") from None
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when


def height_at(
    when: date | datetime | str,
    *,
    anchor_height: int = HALVING_4_HEIGHT,
    anchor_time: datetime = HALVING_4_TIME,
    blocks_per_day: float = BLOCKS_PER_DAY,
) -> float:
    """Estimated block height at a time, counting blocks from an anchor at a steady pace.

    Blocks come faster than every 600 s while hashrate grows, so the real height runs a little
    ahead; with the defaults block 1,050,000 falls on 2028-04-17, two days after Hashrate
    Index's estimate of 2028-04-15.

    Parameters
    ----------
    when : date, datetime or str
        The time (naive values are read as UTC).
    anchor_height : int
        A known block height [blocks].
    anchor_time : datetime
        When that block was mined [UTC].
    blocks_per_day : float
        Pace of blocks [blocks/day].

    Returns
    -------
    float
        Estimated height [blocks] (fractional; floor it for a block number).
    """
    require_positive(blocks_per_day, "blocks per day", "blocks/day")
    days = (_as_datetime(when) - anchor_time) / timedelta(days=1)
    return anchor_height + days * blocks_per_day


def mean_subsidy_btc(height_from: float, height_to: float) -> float:
    """Mean subsidy over the blocks in ``[height_from, height_to)``, halvings included.

    Parameters
    ----------
    height_from, height_to : float
        First and end block heights [blocks] (fractional heights are weighted pro rata).

    Returns
    -------
    float
        Block-weighted mean subsidy [BTC/block].

    Examples
    --------
    >>> mean_subsidy_btc(1_000_000, 1_100_000)  # half at 3.125, half at 1.5625
    2.34375
    """
    if height_to <= height_from:
        raise EconomicsInputError("the end height must lie after the start height")
    if height_from < 0:
        raise EconomicsInputError(f"block height must be >= 0, got {height_from:g}")
    total, h = 0.0, height_from
    while h < height_to:
        era_end = (math.floor(h / HALVING_INTERVAL) + 1) * HALVING_INTERVAL
        stop = min(era_end, height_to)
        total += (stop - h) * block_subsidy_btc(
            int(math.floor(h / HALVING_INTERVAL)) * HALVING_INTERVAL
        )
        h = stop
    return total / (height_to - height_from)


def mean_subsidy_in_year(year: int, **pace: float) -> float:
    """Block-weighted mean subsidy of a calendar year, from the estimated heights [BTC/block].

    Parameters
    ----------
    year : int
        Calendar year (UTC).
    **pace
        ``blocks_per_day``, ``anchor_height``, ``anchor_time`` as in :func:`height_at`.

    Returns
    -------
    float
        Mean subsidy [BTC/block]; 2028, the year of the fifth halving, is ~2.3 BTC.
    """
    h0 = height_at(date(year, 1, 1), **pace)  # type: ignore[arg-type]
    h1 = height_at(date(year + 1, 1, 1), **pace)  # type: ignore[arg-type]
    return mean_subsidy_btc(max(h0, 0.0), max(h1, 1.0))


_DIFFICULTY = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([kKmMgGtTpP]?)\s*$")
_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12, "p": 1e15}


def parse_difficulty(text: str | float) -> float:
    """Read a network difficulty written plainly or with a suffix (``110.57T``).

    Parameters
    ----------
    text : str or float
        Difficulty; suffixes K, M, G, T (1e12) and P are accepted.

    Returns
    -------
    float
        Difficulty [dimensionless].

    Examples
    --------
    >>> parse_difficulty("110.57T")
    110570000000000.0
    >>> parse_difficulty("0")
    Traceback (most recent call last):
    ...
    gridsurplus.economics.errors.EconomicsInputError: difficulty must be above zero, got 0
    """
    if isinstance(text, int | float):
        return require_positive(text, "difficulty")
    match = _DIFFICULTY.match(str(text))
    if not match:
        raise EconomicsInputError(
            f"cannot read difficulty {text!r}: give a number, optionally with a T suffix "
            "(for example 148.26T or 1.4826e14)"
        )
    value = float(match.group(1)) * _SUFFIX[match.group(2).lower()]
    return require_positive(value, "difficulty")


def network_hashrate_eh_s(difficulty: float) -> float:
    """Network hashrate implied by a difficulty, ``D * 2**32 / 600`` [EH/s].

    Parameters
    ----------
    difficulty : float
        Network difficulty [dimensionless].

    Returns
    -------
    float
        Hashrate [EH/s] (148.26T gives 1,061 EH/s).

    Examples
    --------
    >>> round(network_hashrate_eh_s(148.26e12))
    1061
    """
    return (
        require_positive(difficulty, "difficulty") * HASHES_PER_DIFFICULTY / TARGET_SPACING_S / 1e18
    )


def difficulty_from_hashrate(hashrate_eh_s: float) -> float:
    """Difficulty at which a network of ``hashrate_eh_s`` [EH/s] finds a block every 600 s."""
    return (
        require_positive(hashrate_eh_s, "network hashrate", "EH/s")
        * 1e18
        * TARGET_SPACING_S
        / HASHES_PER_DIFFICULTY
    )


def block_reward_btc(
    subsidy_btc: float, *, fees_btc_per_block: float | None = None, fee_share: float | None = None
) -> float:
    """Block reward: subsidy plus fees, with fees in BTC per block or as a share of the reward.

    Parameters
    ----------
    subsidy_btc : float
        Block subsidy [BTC].
    fees_btc_per_block : float, optional
        Mean transaction fees per block [BTC].
    fee_share : float, optional
        Fees as a share of the whole block reward [fraction], as Hashrate Index reports them
        (0.0055 for 0.55 %); the reward is then ``subsidy / (1 - share)``.

    Returns
    -------
    float
        Reward [BTC/block].

    Examples
    --------
    >>> block_reward_btc(3.125, fee_share=0.2)
    3.90625
    """
    if subsidy_btc < 0:
        raise EconomicsInputError(f"subsidy must be >= 0, got {subsidy_btc:g} BTC")
    if fees_btc_per_block is not None and fee_share is not None:
        raise EconomicsInputError(
            "give fees either in BTC per block or as a share of the reward, not both"
        )
    if fee_share is not None:
        return subsidy_btc / (1.0 - require_fraction(fee_share, "fee share", upper_open=True))
    fees = 0.0 if fees_btc_per_block is None else float(fees_btc_per_block)
    if fees < 0 or fees != fees:
        raise EconomicsInputError(f"fees must be >= 0 BTC per block, got {fees_btc_per_block!r}")
    return subsidy_btc + fees


def hashprice_btc_per_ph_day(difficulty: float, reward_btc: float) -> float:
    """Compute the BTC expected from 1 PH/s a day: ``1e15 * 86400 * R / (D * 2**32)``.

    Parameters
    ----------
    difficulty : float
        Network difficulty [dimensionless].
    reward_btc : float
        Block reward, subsidy plus fees [BTC/block].

    Returns
    -------
    float
        Hashprice [BTC/(PH/s)/day].
    """
    d = require_positive(difficulty, "difficulty")
    if reward_btc < 0:
        raise EconomicsInputError(f"block reward must be >= 0, got {reward_btc:g} BTC")
    return PH * 86_400 * reward_btc / (d * HASHES_PER_DIFFICULTY)


@dataclass(frozen=True)
class Hashprice:
    """Hashprice and the inputs behind it.

    Attributes
    ----------
    usd_per_ph_day : float
        Expected revenue of 1 PH/s for one day [USD/(PH/s)/day].
    btc_per_ph_day : float
        The same in bitcoin [BTC/(PH/s)/day].
    btc_price_usd : float
        BTC price [USD/BTC].
    difficulty : float
        Network difficulty [dimensionless].
    network_hashrate_eh_s : float
        Difficulty-implied network hashrate [EH/s].
    block_height : int
        Block height the subsidy was taken at [blocks].
    subsidy_btc : float
        Block subsidy [BTC].
    fees_btc_per_block : float
        Mean fees per block [BTC].
    fee_share : float
        Fees over the whole reward [fraction].
    """

    usd_per_ph_day: float
    btc_per_ph_day: float
    btc_price_usd: float
    difficulty: float
    network_hashrate_eh_s: float
    block_height: int
    subsidy_btc: float
    fees_btc_per_block: float
    fee_share: float

    @property
    def usd_per_th_day(self) -> float:
        """Hashprice per TH/s [USD/(TH/s)/day]."""
        return self.usd_per_ph_day / 1000.0

    def to_dict(self) -> dict[str, float | int]:
        """All fields and ``usd_per_th_day`` as a plain dict."""
        out: dict[str, float | int] = asdict(self)
        out["usd_per_th_day"] = self.usd_per_th_day
        return out


def hashprice(
    btc_price_usd: float,
    difficulty: float | str,
    *,
    fees_btc_per_block: float | None = None,
    fee_share: float | None = None,
    block_height: int = 900_000,
) -> Hashprice:
    """Hashprice in USD and BTC per PH/s per day from price, difficulty, subsidy and fees.

    Parameters
    ----------
    btc_price_usd : float
        BTC price [USD/BTC].
    difficulty : float or str
        Network difficulty [dimensionless]; text such as ``"148.26T"`` is accepted.
    fees_btc_per_block : float, optional
        Mean fees per block [BTC] (Hashrate Index uses a 144-block moving average).
    fee_share : float, optional
        Fees as a share of the whole block reward [fraction]. Give at most one of the two;
        with neither, fees are zero.
    block_height : int
        Height that sets the subsidy [blocks]; the default lies in the 3.125 BTC era.

    Returns
    -------
    Hashprice
        The USD and BTC hashprice and the inputs behind them.

    Examples
    --------
    Hashrate Index, 12 Jan 2026: BTC ~$91,132, difficulty 148.26T, fees 0.55 % of rewards
    (it reports $39.53; the formula gives 1.7 % less, within its ~2 % methodology gap):

    >>> hp = hashprice(91_132, "148.26T", fee_share=0.0055, block_height=930_000)
    >>> round(hp.usd_per_ph_day, 2), round(hp.btc_per_ph_day * 1e8)
    (38.85, 42636)
    >>> hashprice(-1, "148.26T")
    Traceback (most recent call last):
    ...
    gridsurplus.economics.errors.EconomicsInputError: BTC price must be above zero, got -1 USD/BTC
    """
    price = require_positive(btc_price_usd, "BTC price", "USD/BTC")
    d = parse_difficulty(difficulty)
    subsidy = block_subsidy_btc(block_height)
    reward = block_reward_btc(subsidy, fees_btc_per_block=fees_btc_per_block, fee_share=fee_share)
    btc = hashprice_btc_per_ph_day(d, reward)
    fees = reward - subsidy
    return Hashprice(
        usd_per_ph_day=btc * price,
        btc_per_ph_day=btc,
        btc_price_usd=price,
        difficulty=d,
        network_hashrate_eh_s=network_hashrate_eh_s(d),
        block_height=int(block_height),
        subsidy_btc=subsidy,
        fees_btc_per_block=fees,
        fee_share=fees / reward if reward > 0 else 0.0,
    )


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
