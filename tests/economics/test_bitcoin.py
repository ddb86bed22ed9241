from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gridsurplus.economics import bitcoin as btc
from gridsurplus.economics.errors import EconomicsInputError
from gridsurplus.errors import GridsurplusError

# --- halving schedule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("height", "subsidy"),
    [
        (0, 50.0),
        (209_999, 50.0),
        (210_000, 25.0),
        (839_999, 6.25),
        (840_000, 3.125),  # fourth halving, 2024-04-20
        (840_001, 3.125),
        (1_049_999, 3.125),
        (1_050_000, 1.5625),  # fifth halving, expected ~April 2028
        (1_050_001, 1.5625),
        (1_259_999, 1.5625),
        (1_260_000, 0.78125),
        (32 * 210_000, 1e-8),  # 50e8 >> 32 = 1 satoshi
        (33 * 210_000, 0.0),  # 50e8 >> 33 = 0
        (64 * 210_000, 0.0),
    ],
)
def test_subsidy_at_and_around_halvings(height, subsidy):
    assert btc.block_subsidy_btc(height) == subsidy


def test_halving_heights():
    assert btc.halving_height(4) == 840_000
    assert btc.halving_height(5) == 1_050_000
    with pytest.raises(EconomicsInputError):
        btc.halving_height(0)


@pytest.mark.parametrize("height", [-1, 1.5, True])
def test_impossible_block_height(height):
    with pytest.raises(EconomicsInputError, match="block height"):
        btc.block_subsidy_btc(height)


def test_height_estimate_puts_the_fifth_halving_in_april_2028():
    assert btc.height_at(btc.HALVING_4_TIME) == pytest.approx(840_000)
    # 210,000 blocks at 144 a day = 1458.33 days after 2024-04-20 00:09 -> 2028-04-17
    when = btc.HALVING_4_TIME + timedelta(days=210_000 / 144)
    assert (when.year, when.month, when.day) == (2028, 4, 17)
    assert btc.height_at(when) == pytest.approx(1_050_000)
    assert btc.height_at("2028-04-01") < 1_050_000 < btc.height_at("2028-05-01")


def test_mean_subsidy_of_a_halving_span_by_hand():
    # 50,000 blocks at 3.125 and 50,000 at 1.5625 -> 2.34375
    assert btc.mean_subsidy_btc(1_000_000, 1_100_000) == pytest.approx(2.34375)
    # inside one era it is the era's subsidy
    assert btc.mean_subsidy_btc(900_000, 950_000) == pytest.approx(3.125)


def test_mean_subsidy_of_2028_weights_blocks_before_and_after_the_halving():
    start = datetime(2028, 1, 1, tzinfo=UTC)
    end = datetime(2029, 1, 1, tzinfo=UTC)
    days_before = (btc.HALVING_4_TIME + timedelta(days=210_000 / 144) - start) / timedelta(days=1)
    days_after = (end - start) / timedelta(days=1) - days_before
    by_hand = (3.125 * days_before + 1.5625 * days_after) / (days_before + days_after)
    assert btc.mean_subsidy_in_year(2028) == pytest.approx(by_hand)
    assert btc.mean_subsidy_in_year(2027) == 3.125
    assert btc.mean_subsidy_in_year(2029) == 1.5625


# --- difficulty and hashprice -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("110.57T", 110.57e12),
        ("110.57t", 110.57e12),
        ("1.1057e14", 1.1057e14),
        (" 148.26 T ", 148.26e12),
    ],
)
def test_parse_difficulty(text, value):
    assert btc.parse_difficulty(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["0", "0T", -5.0, "abc", "12X"])
def test_impossible_difficulty(text):
    with pytest.raises(EconomicsInputError, match="difficulty"):
        btc.parse_difficulty(text)


def test_hashprice_by_hand():
    # D = 100T, reward = 3.125 + 0.125 = 3.25 BTC, P = 100,000 USD:
    # 1e15 * 86400 * 3.25 / (1e14 * 2**32) = 2,808,000 / 4,294,967,296 = 6.537884e-4 BTC/PH/day
    # times 100,000 = 65.3788 USD/PH/day
    hp = btc.hashprice(100_000, 100e12, fees_btc_per_block=0.125, block_height=900_000)
    assert hp.btc_per_ph_day == pytest.approx(2_808_000 / 4_294_967_296)
    assert hp.usd_per_ph_day == pytest.approx(65.37884, rel=1e-6)
    assert hp.usd_per_th_day == pytest.approx(hp.usd_per_ph_day / 1000)
    assert hp.subsidy_btc == 3.125
    assert hp.fees_btc_per_block == pytest.approx(0.125)
    assert hp.fee_share == pytest.approx(0.125 / 3.25)


def test_fee_share_is_a_share_of_the_whole_reward():
    # share 0.2 of the reward: reward = 3.125 / 0.8 = 3.90625, fees = 0.78125
    hp = btc.hashprice(50_000, "80T", fee_share=0.2, block_height=900_000)
    assert hp.fees_btc_per_block == pytest.approx(0.78125)
    assert hp.fee_share == pytest.approx(0.2)
    same = btc.hashprice(50_000, "80T", fees_btc_per_block=0.78125, block_height=900_000)
    assert same.usd_per_ph_day == pytest.approx(hp.usd_per_ph_day)


def test_hashprice_halves_at_the_halving_without_fees():
    before = btc.hashprice(90_000, "150T", block_height=1_049_999)
    after = btc.hashprice(90_000, "150T", block_height=1_050_000)
    assert after.usd_per_ph_day == pytest.approx(before.usd_per_ph_day / 2)


def test_hashprice_matches_hashrate_index_jan_2026_within_its_methodology_gap():
    # Hashrate Index, 12 Jan 2026: BTC ~91,132 USD, difficulty 148.26T, fees 0.55 % of rewards,
    # hashprice 39.53 USD/PH/day and 0.00043143 BTC/PH/day (144-block fee SMA, live price).
    hp = btc.hashprice(91_132, "148.26T", fee_share=0.0055, block_height=930_000)
    assert hp.usd_per_ph_day == pytest.approx(39.53, rel=0.02)
    assert hp.btc_per_ph_day == pytest.approx(0.00043143, rel=0.02)


def test_hashprice_equals_144_blocks_of_reward_over_network_hashrate():
    # hashprice = 144 * R * P / H_network (H in PH/s)
    hp = btc.hashprice(91_132, "148.26T", fees_btc_per_block=0.02, block_height=930_000)
    network_ph_s = hp.network_hashrate_eh_s * 1000
    assert hp.usd_per_ph_day == pytest.approx(144 * 3.145 * 91_132 / network_ph_s)


def test_network_hashrate_from_difficulty():
    # 148.26e12 * 2**32 / 600 = 1.0613e21 H/s = 1,061.29 EH/s
    assert btc.network_hashrate_eh_s(148.26e12) == pytest.approx(1061.2864, rel=1e-6)
    assert btc.difficulty_from_hashrate(btc.network_hashrate_eh_s(148.26e12)) == pytest.approx(
        148.26e12
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"btc_price_usd": -1}, "BTC price"),
        ({"btc_price_usd": 0}, "BTC price"),
        ({"difficulty": 0}, "difficulty"),
        ({"fees_btc_per_block": -0.1}, "fees"),
        ({"fee_share": 1.0}, "fee share"),
        ({"fee_share": 55}, "fraction"),
        ({"fee_share": 0.1, "fees_btc_per_block": 0.1}, "not both"),
        ({"block_height": -3}, "block height"),
    ],
)
def test_impossible_hashprice_inputs(kwargs, match):
    args = {"btc_price_usd": 90_000, "difficulty": "148.26T", **kwargs}
    with pytest.raises(EconomicsInputError, match=match) as info:
        btc.hashprice(**args)
    assert isinstance(info.value, GridsurplusError)
    assert isinstance(info.value, ValueError)


# --- per-MWh identities -----------------------------------------------------------------------


@pytest.mark.parametrize("j_per_th", [9.5, 13.5, 17.5, 29.5])
@pytest.mark.parametrize("hashprice", [20.0, 39.53, 54.3])
def test_revenue_breakeven_margin_identities(j_per_th, hashprice):
    revenue = btc.revenue_usd_per_mwh(hashprice, j_per_th)
    assert revenue == pytest.approx(hashprice / (0.024 * j_per_th))
    assert btc.breakeven_usd_per_kwh(hashprice, j_per_th) == pytest.approx(revenue / 1000)
    assert btc.margin_usd_per_mwh(hashprice, j_per_th, 0.05) == pytest.approx(revenue - 50)
    # at the break-even power price the margin is zero and the hashcost equals the hashprice
    be = btc.breakeven_usd_per_kwh(hashprice, j_per_th)
    assert btc.margin_usd_per_mwh(hashprice, j_per_th, be) == pytest.approx(0, abs=1e-9)
    assert btc.hashcost_usd_per_ph_day(j_per_th, be * 1000) == pytest.approx(hashprice)


def test_pool_fee_scales_revenue():
    assert btc.revenue_usd_per_mwh(40, 13.5, pool_fee=0.02) == pytest.approx(
        40 / (0.024 * 13.5) * 0.98
    )


@pytest.mark.parametrize(
    ("j_per_th", "hri"),
    [(17.5, 0.13), (18.5, 0.12), (21.5, 0.10), (22.0, 0.10), (29.5, 0.075)],
)
def test_breakevens_reproduce_hashrate_index_april_2024(j_per_th, hri):
    # HRI 1 Apr 2024 at 54.3 USD/PH/day: S21 0.13, M60S 0.12, S19 XP / M50S++ 0.10,
    # S19j Pro 0.075 USD/kWh, shown in whole or half cents; e.g. S21: 54.3 / (0.024*17.5) / 1000
    # = 0.1293, S19 XP: 54.3 / (0.024*21.5) / 1000 = 0.1052 (shown as 0.10)
    assert btc.breakeven_usd_per_kwh(54.3, j_per_th) == pytest.approx(hri, abs=0.006)


@pytest.mark.parametrize(("j_per_th", "tier"), [(17.0, 97), (22.0, 75), (32.3, 51)])
def test_revenue_reproduces_hashrate_index_jan_2026_tiers(j_per_th, tier):
    # 39.53 / (0.024 * 17.0) = 96.9 -> HRI "$97 per MWh"
    assert round(btc.revenue_usd_per_mwh(39.53, j_per_th)) == tier


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (0.0135, "J/GH or W/GH; multiply by 1000"),  # W/GH given
        (13_500, "J/PH or W/PH; divide by 1000"),  # J/PH given
        (3.0, "not plausible"),
        (500, "not plausible"),
        (0, "above zero"),
        (-13.5, "above zero"),
    ],
)
def test_efficiency_in_the_wrong_unit(value, match):
    with pytest.raises(EconomicsInputError, match=match):
        btc.revenue_usd_per_mwh(40, value)


def test_impossible_power_price_and_pool_fee():
    with pytest.raises(EconomicsInputError, match="USD per kWh"):
        btc.margin_usd_per_mwh(40, 13.5, 80)  # USD/MWh given as USD/kWh
    with pytest.raises(EconomicsInputError, match="power price"):
        btc.margin_usd_per_mwh(40, 13.5, -0.01)
    with pytest.raises(EconomicsInputError, match="pool fee"):
        btc.revenue_usd_per_mwh(40, 13.5, pool_fee=2)
    with pytest.raises(EconomicsInputError, match="hashprice"):
        btc.revenue_usd_per_mwh(-1, 13.5)


# --- the fleet's own effect -------------------------------------------------------------------


def test_fleet_hashrate_and_correction_for_a_2000_mw_programme():
    # 2,000 MW at 13.5 J/TH: 2e9 W / 13.5 W per TH/s = 148.15e6 TH/s = 148.15 EH/s
    fleet = btc.fleet_hashrate_eh_s(2000, 13.5)
    assert fleet == pytest.approx(2e9 / 13.5 / 1e6)
    network = btc.network_hashrate_eh_s(148.26e12)
    factor = btc.fleet_correction(network, fleet)
    assert factor == pytest.approx(1061.2864 / (1061.2864 + 148.148), rel=1e-5)
    assert 0.85 < factor < 0.9  # about a tenth of the network, about an eighth off the hashprice
    assert btc.fleet_correction(network, 0) == 1.0


def test_fleet_correction_fixed_point_converges():
    # a toy siting rule: build MW in proportion to the margin over a 60 USD/MWh power price
    network, hp0, e = 1000.0, 40.0, 13.5

    def built_mw(factor):
        margin = btc.revenue_usd_per_mwh(hp0 * factor, e) - 60
        return max(0.0, margin) * 40  # MW per USD/MWh of margin

    factor = 1.0
    for _ in range(100):
        new = btc.fleet_correction(network, btc.fleet_hashrate_eh_s(built_mw(factor), e))
        if abs(new - factor) < 1e-12:
            break
        factor = 0.5 * (factor + new)
    fleet = btc.fleet_hashrate_eh_s(built_mw(factor), e)
    assert factor == pytest.approx(network / (network + fleet), abs=1e-9)
    assert factor < 1.0


def test_impossible_fleet_inputs():
    with pytest.raises(EconomicsInputError):
        btc.fleet_correction(0, 10)
    with pytest.raises(EconomicsInputError):
        btc.fleet_correction(1000, -1)
    with pytest.raises(EconomicsInputError):
        btc.fleet_hashrate_eh_s(-5, 13.5)
