from __future__ import annotations

import pandas as pd
import pytest

from gridsurplus.economics.errors import EconomicsInputError
from gridsurplus.economics.tariffs import Tariff, parse_hours, parse_months, parse_unit

WINDOWS = [("12 1 2", "17-21"), ("3 4 5 9 10 11", "18-22"), ("6 7 8", "19-23")]


def test_flat_tariff_in_pkr_converts_with_the_exchange_rate():
    t = Tariff.flat(23, "PKR/kWh")
    hours = pd.date_range("2027-01-01", periods=48, freq="h")
    usd = t.usd_per_mwh(hours, "LESCO", exchange_rate=281)
    assert usd == pytest.approx([23 / 281 * 1000] * 48)
    assert Tariff.flat(80, "USD/MWh").usd_per_mwh(hours)[0] == 80
    assert Tariff.flat(0.08, "USD/kWh").usd_per_mwh(hours)[0] == pytest.approx(80)


def test_time_of_use_by_season_and_hour():
    t = Tariff.time_of_use(23, 30, WINDOWS, "PKR/kWh")
    stamps = [
        "2027-01-15 16:00",  # winter, before the 17-21 window
        "2027-01-15 17:00",
        "2027-01-15 20:00",
        "2027-01-15 21:00",  # window ends at 21:00
        "2027-04-15 18:00",
        "2027-07-15 18:00",  # summer window starts at 19
        "2027-07-15 22:00",
    ]
    assert t.rate(stamps).tolist() == [23, 30, 30, 23, 30, 23, 30]


def test_peak_windows_per_region():
    t = Tariff.time_of_use(23, 30, [("all", "18-22")], "PKR/kWh", regions=["MEPCO"])
    assert t.rate(["2027-03-01 19:00"], "MEPCO")[0] == 30
    assert t.rate(["2027-03-01 19:00"], "LESCO")[0] == 23
    assert t.rate(["2027-03-01 19:00"])[0] == 23


def test_tariff_from_a_table():
    frame = pd.DataFrame(
        [
            {"region": "*", "months": "all", "hours": "all", "rate": 60, "unit": "USD/MWh"},
            {"region": "*", "months": "6-8", "hours": "19-23", "rate": 120, "unit": "USD/MWh"},
            {"region": "KE", "months": "all", "hours": "22-2", "rate": 40, "unit": "USD/MWh"},
        ]
    )
    t = Tariff.from_frame(frame)
    assert t.rate(["2027-07-01 20:00", "2027-01-01 20:00"], "LESCO").tolist() == [120, 60]
    assert t.rate(["2027-07-01 22:00", "2027-07-01 01:00", "2027-07-01 02:00"], "KE").tolist() == [
        40,
        40,
        60,
    ]


def test_month_and_hour_ranges_wrap():
    assert parse_months("11-2") == {11, 12, 1, 2}
    assert parse_months("all") == set(range(1, 13))
    assert parse_hours("22-2") == {22, 23, 0, 1}
    assert parse_hours("17-21") == {17, 18, 19, 20}
    assert parse_hours([0, 5]) == {0, 5}


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: parse_unit("PKR per kWh"), "unknown tariff unit"),
        (lambda: Tariff.flat(-1, "USD/MWh"), ">= 0"),
        (lambda: parse_months("13"), "out of range"),
        (lambda: parse_hours("x-y"), "cannot read"),
        (lambda: Tariff.flat(23, "PKR/kWh").usd_per_mwh(["2027-01-01"]), "exchange rate"),
    ],
)
def test_impossible_tariffs(call, match):
    with pytest.raises(EconomicsInputError, match=match):
        call()
