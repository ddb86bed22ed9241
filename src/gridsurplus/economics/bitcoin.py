"""Bitcoin mining revenue: hashprice, revenue per MWh and the fleet's own effect.

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

import re
from dataclasses import asdict, dataclass

from gridsurplus.economics.errors import EconomicsInputError, require_fraction, require_positive
from gridsurplus.economics.halving import (
    BLOCKS_PER_DAY,
    HALVING_4_HEIGHT,
    HALVING_4_TIME,
    HALVING_INTERVAL,
    INITIAL_SUBSIDY_SAT,
    SAT_PER_BTC,
    TARGET_SPACING_S,
    block_subsidy_btc,
    halving_height,
    height_at,
    mean_subsidy_btc,
    mean_subsidy_in_year,
)
from gridsurplus.economics.mining import (  # the per-MWh formulas, also reached from here
    J_PER_TH_RANGE,
    MWH_PER_PH_DAY_PER_J_PER_TH,
    breakeven_usd_per_kwh,
    btc_per_mwh,
    check_efficiency_j_per_th,
    fleet_correction,
    fleet_hashrate_eh_s,
    hashcost_usd_per_ph_day,
    margin_usd_per_mwh,
    revenue_usd_per_mwh,
)

HASHES_PER_DIFFICULTY = 2**32
"""Expected hashes per block per unit of difficulty (approximation of 2**48/65535)."""
PH = 1e15
"""Hashes per second in one PH/s."""


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


__all__ = [
    "BLOCKS_PER_DAY",
    "HALVING_4_HEIGHT",
    "HALVING_4_TIME",
    "HALVING_INTERVAL",
    "HASHES_PER_DIFFICULTY",
    "INITIAL_SUBSIDY_SAT",
    "J_PER_TH_RANGE",
    "MWH_PER_PH_DAY_PER_J_PER_TH",
    "PH",
    "SAT_PER_BTC",
    "TARGET_SPACING_S",
    "Hashprice",
    "block_reward_btc",
    "block_subsidy_btc",
    "breakeven_usd_per_kwh",
    "btc_per_mwh",
    "check_efficiency_j_per_th",
    "difficulty_from_hashrate",
    "fleet_correction",
    "fleet_hashrate_eh_s",
    "halving_height",
    "hashcost_usd_per_ph_day",
    "hashprice",
    "hashprice_btc_per_ph_day",
    "height_at",
    "margin_usd_per_mwh",
    "mean_subsidy_btc",
    "mean_subsidy_in_year",
    "network_hashrate_eh_s",
    "parse_difficulty",
    "revenue_usd_per_mwh",
]
