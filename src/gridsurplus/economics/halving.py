"""The block subsidy schedule: halvings, block heights in time, the mean subsidy of a year.

Everything here is a plain function of numbers; nothing reads files.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

from gridsurplus.economics.errors import EconomicsInputError, require_positive

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

HALVING_4_HEIGHT = 840_000
"""Height of the fourth halving (3.125 BTC from this block)."""
HALVING_4_TIME = datetime(2024, 4, 20, 0, 9, tzinfo=UTC)
"""Time of block 840,000 (mined by ViaBTC) [UTC]."""


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
