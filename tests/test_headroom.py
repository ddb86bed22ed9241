"""Curtailment-enabled headroom (Norris et al. 2025) on series whose answers are worked by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from gridsurplus.cli import app
from gridsurplus.dataset.load_series import LoadSeriesError, fill_gaps, read_load_csv
from gridsurplus.surplus.headroom import (
    HeadroomError,
    curtailment_headroom,
    curtailment_rate,
    seasonal_thresholds,
)

REL = 1e-9


def year_of(value: float, year: int = 2023, tz: str | None = None) -> pd.Series:
    idx = pd.date_range(f"{year}-01-01", f"{year}-12-31 23:00", freq="h", tz=tz)
    return pd.Series(value, index=idx, name="load_mw")


def spiky_year() -> pd.Series:
    """2023 (8760 h): 100 MW base, 1000 MW peaks on 15 Jan and 15 Jul at 12:00, and 12 blocks
    of 8 h at 987 MW (the 5th of each month, 10:00-17:00).

    Both seasonal thresholds are 1000 MW, so the slack (threshold - load) is 0 in the 2 peak
    hours, 13 MW in the 96 block hours and 900 MW in the other 8662 hours.
    """
    load = year_of(100.0)
    for month in range(1, 13):
        load[f"2023-{month:02d}-05 10:00" : f"2023-{month:02d}-05 17:00"] = 987.0
    load["2023-01-15 12:00"] = load["2023-07-15 12:00"] = 1000.0
    return load


# ---------------------------------------------------------------------------------------------
# the rate and the solve


def test_curtailment_rate_by_hand() -> None:
    # L = 20 MW over slacks 0, 10, 100, 100 MW: curtailed 20 + 10 + 0 + 0 = 30 MWh of 4 x 20
    assert curtailment_rate(np.array([0.0, 10.0, 100.0, 100.0]), 20.0) == 0.375
    # a slack below 0 (load above threshold) loses the whole L, never more: 20 of 20 x 1
    assert curtailment_rate(np.array([-50.0]), 20.0) == 1.0


def test_headroom_exact_on_flat_load_with_spikes() -> None:
    result = curtailment_headroom(spiky_year())
    assert result.thresholds["summer_mw"] == result.thresholds["winter_mw"] == 1000.0
    assert result.hours == 8760
    assert result.hours_at_threshold == 2
    by_rate = {r.rate_pct: r for r in result.rates}

    # 13 < L < 900: curtailed = 2 L + 96 (L - 13) = 98 L - 1248 MWh; rate = that / (8760 L).
    # 1 %: 98 L - 1248 = 87.6 L  ->  L = 1248 / 10.4 = 120 MW exactly.
    one = by_rate[1.0]
    assert one.headroom_mw == pytest.approx(120.0, rel=REL)
    assert one.curtailed_hours_per_year == 98  # 2 peaks + 96 block hours, one full year
    assert one.mean_event_hours == pytest.approx(98 / 14)  # 2 single hours + 12 blocks of 8
    assert one.hours_half_served_per_year == 0  # blocks lose 107 of 120 MW, peaks all of it
    assert one.curtailed_mwh_per_year == pytest.approx(0.01 * 120 * 8760)  # 10,512 MWh
    assert one.headroom_pct_of_peak == pytest.approx(12.0)  # 120 of 1000 MW

    # 0.25 %: L = 1248 / (98 - 21.9) = 16.399... MW; blocks lose 3.4 MW <= L / 2: half served
    quarter = by_rate[0.25]
    assert quarter.headroom_mw == pytest.approx(1248 / 76.1, rel=REL)
    assert quarter.hours_half_served_per_year == 96
    # 0.5 %: L = 1248 / (98 - 43.8)
    assert by_rate[0.5].headroom_mw == pytest.approx(1248 / 54.2, rel=REL)

    # 5 % needs L > 900: 98 L - 1248 + 8662 (L - 900) = 438 L -> L = 7,797,048 / 8,322
    five = by_rate[5.0]
    assert five.headroom_mw == pytest.approx(7_797_048 / 8_322, rel=REL)
    assert five.curtailed_hours_per_year == 8760
    assert five.mean_event_hours == 8760  # every hour curtailed: one event
    # the year's rate at each L is the limit itself (one year, weight 1)
    assert result.years["weight"].tolist() == [1.0]
    assert result.rates_by_year.loc[2023].tolist() == pytest.approx([0.25, 0.5, 1.0, 5.0])


def test_seasonal_thresholds_apply_april_october_and_november_march() -> None:
    load = year_of(100.0)
    load["2023-07-15 15:00"] = 300.0  # summer peak -> summer threshold 300 MW
    load["2023-01-15 18:00"] = 200.0  # winter peak -> winter threshold 200 MW
    load["2023-10-10 12:00"] = 250.0  # October: summer threshold, slack 50 (winter would be -50)
    load["2023-11-10 12:00"] = 190.0  # November: winter threshold, slack 10 (summer would be 110)
    load["2023-04-10 12:00"] = 195.0  # April: summer threshold, slack 105 (winter would be 5)
    threshold, info = seasonal_thresholds(load)
    assert (info["summer_mw"], info["winter_mw"]) == (300.0, 200.0)
    assert info["summer_peak_at"] == pd.Timestamp("2023-07-15 15:00")
    assert info["winter_peak_at"] == pd.Timestamp("2023-01-15 18:00")
    assert threshold["2023-03-31 23:00"] == 200.0
    assert threshold["2023-04-01 00:00"] == 300.0
    assert threshold["2023-10-31 23:00"] == 300.0
    assert threshold["2023-11-01 00:00"] == 200.0

    # 10 < L < 50: curtailed = L (Jul) + L (Jan) + (L - 10) (Nov) = 3 L - 10;
    # 0.03 %: 3 L - 10 = 0.0003 x 8760 L = 2.628 L  ->  L = 10 / 0.372 = 26.88 MW
    (res,) = curtailment_headroom(load, [0.03]).rates
    assert res.headroom_mw == pytest.approx(10 / 0.372, rel=REL)
    assert res.curtailed_hours_per_year == 3  # Oct (slack 50) and Apr (slack 105) are not
    assert res.mean_event_hours == 1.0


# ---------------------------------------------------------------------------------------------
# year weighting: mid-year start, time zones


def test_partial_year_weighted_by_its_hours() -> None:
    # 2021-07-01 .. 2022-12-31: 2021 covers 184 days = 4416 h, 2022 all 8760 h; 13,176 h in all.
    idx = pd.date_range("2021-07-01", "2022-12-31 23:00", freq="h")
    load = pd.Series(100.0, index=idx)
    load.iloc[[i * 100 for i in range(40)]] = 990.0  # 40 hours in 2021 (up to hour 3900)
    load.iloc[[5000 + i * 400 for i in range(20)]] = 990.0  # 20 hours in 2022
    capacity = pd.Series(1000.0, index=idx)  # slack 10 MW in those 60 hours, 900 elsewhere
    result = curtailment_headroom(load, [0.25], threshold_mw=capacity)

    # weights 4416 / 13176 and 8760 / 13176; the weighted mean of r_y = C_y / (L H_y) is
    # sum C / (L x 13176): 60 (L - 10) = 0.0025 x 13176 L = 32.94 L  ->  L = 600 / 27.06
    assert result.years["hours"].tolist() == [4416, 8760]
    assert result.years["weight"].tolist() == pytest.approx([4416 / 13176, 8760 / 13176])
    assert result.years["coverage"].tolist() == pytest.approx([4416 / 8760, 1.0])
    headroom = result.rates[0].headroom_mw
    assert headroom == pytest.approx(600 / 27.06, rel=REL)
    rates = result.rates_by_year[0.25]
    assert rates.tolist() == pytest.approx(
        [
            100 * 40 * (headroom - 10) / (4416 * headroom),  # 0.497 %
            100 * 20 * (headroom - 10) / (8760 * headroom),  # 0.125 %
        ]
    )
    assert (rates * result.years["weight"]).sum() == pytest.approx(0.25, rel=REL)
    # an unweighted mean of the two years would give another answer: the weights matter
    assert rates.mean() != pytest.approx(0.25, rel=1e-3)
    # curtailed hours per 8760 h of series: 60 x 8760 / 13176
    assert result.rates[0].curtailed_hours_per_year == pytest.approx(60 * 8760 / 13176)


def random_series(seed: int = 7) -> pd.Series:
    """Mid-March 2021 to late September 2023 in UTC (partial first and last years), daily cycle
    plus noise, with equal 1000 MW peaks mid-January and mid-July: both seasonal thresholds are
    1000 MW, so which month a boundary hour falls in cannot change its threshold."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2021-03-10 05:00", "2023-09-20 17:00", freq="h", tz="UTC")
    t = np.arange(idx.size)
    load = pd.Series(600 + 200 * np.sin(2 * np.pi * t / 24) + rng.normal(0, 40, idx.size), idx)
    load[(idx.month == 7) & (idx.day == 15) & (idx.hour == 12)] = 1000.0
    load[(idx.month == 1) & (idx.day == 15) & (idx.hour == 12)] = 1000.0
    return load


@pytest.mark.parametrize("zone", ["Asia/Karachi", "Pacific/Kiritimati", "America/New_York"])
def test_same_hours_in_another_time_zone_give_the_same_headroom(zone: str) -> None:
    load = random_series()
    base = curtailment_headroom(load)
    moved = curtailment_headroom(load.tz_convert(zone))
    # calendar years cut the series elsewhere ...
    assert moved.years["hours"].tolist() != base.years["hours"].tolist()
    # ... but every result is the same
    for a, b in zip(base.rates, moved.rates, strict=True):
        assert b.headroom_mw == pytest.approx(a.headroom_mw, rel=REL)
        assert b.curtailed_hours_per_year == a.curtailed_hours_per_year
        assert b.hours_half_served_per_year == a.hours_half_served_per_year
        assert b.mean_event_hours == pytest.approx(a.mean_event_hours)
    # and naive local times (Karachi has no DST) read the same
    if zone == "Asia/Karachi":
        naive = curtailment_headroom(load.tz_convert(zone).tz_localize(None))
        assert naive.rates[2].headroom_mw == pytest.approx(base.rates[2].headroom_mw, rel=REL)


def test_capacity_threshold_is_time_zone_invariant_too() -> None:
    load = random_series(3)
    rng = np.random.default_rng(4)
    capacity = pd.Series(900 + rng.normal(0, 30, load.size), index=load.index)
    base = curtailment_headroom(load, threshold_mw=capacity)
    zone = "Asia/Karachi"
    moved = curtailment_headroom(load.tz_convert(zone), threshold_mw=capacity.tz_convert(zone))
    assert [r.headroom_mw for r in moved.rates] == pytest.approx(
        [r.headroom_mw for r in base.rates], rel=REL
    )


# ---------------------------------------------------------------------------------------------
# threshold given (available capacity), load above it, event lengths


def test_capacity_threshold_by_hand() -> None:
    load = year_of(100.0)
    capacity = year_of(150.0)
    # slack 50 MW every hour: rate = (L - 50) / L = 1 %  ->  L = 50 / 0.99
    result = curtailment_headroom(load, [1.0], threshold_mw=capacity)
    assert result.thresholds == {
        "kind": "given",
        "min_mw": 150.0,
        "mean_mw": 150.0,
        "max_mw": 150.0,
    }
    assert result.rates[0].headroom_mw == pytest.approx(50 / 0.99, rel=REL)
    assert result.rates[0].curtailed_hours_per_year == 8760


def test_load_above_capacity_caps_curtailment_at_the_new_load() -> None:
    load = year_of(100.0)
    capacity = year_of(150.0)
    capacity.iloc[:100] = 90.0  # 100 h of shortage: slack -10 MW, any new load fully curtailed
    result = curtailment_headroom(load, threshold_mw=capacity)
    assert result.hours_at_threshold == 100
    # a tiny L already loses 100 / 8760 = 1.14 % of its energy: more than 0.25, 0.5, 1 %
    for res in result.rates[:3]:
        assert res.headroom_mw == 0.0
        assert "no headroom" in res.note
        assert "100 of 8760 h" in res.note
        assert math.isnan(res.mean_event_hours)
        assert res.curtailed_hours_per_year == 0
    # 5 %, L > 50: 100 L + 8660 (L - 50) = 438 L  ->  L = 433,000 / 8,322
    five = result.rates[3]
    assert five.headroom_mw == pytest.approx(433_000 / 8_322, rel=REL)
    assert five.note == ""
    # uncapped (100 (L + 10) + 8660 (L - 50)) would give 432,000 / 8,322 instead
    assert five.headroom_mw != pytest.approx(432_000 / 8_322, rel=1e-6)
    json.dumps(result.to_dict(), allow_nan=False)  # NaN became None


def test_event_lengths_and_hour_counts_on_two_days() -> None:
    idx = pd.date_range("2024-03-01", periods=48, freq="h")
    load = pd.Series(100.0, index=idx)
    slack = np.full(48, 1000.0)
    slack[0:3] = 0.0  # event 1: 3 h at the very start
    slack[9] = 10.0  # event 2: 1 h
    slack[46:48] = 30.0  # event 3: 2 h at the very end
    capacity = load + slack
    # L > 30: curtailed 3 L + (L - 10) + 2 (L - 30) = 6 L - 70 = 10 % x 48 L -> L = 70 / 1.2
    (res,) = curtailment_headroom(load, [10.0], threshold_mw=capacity).rates
    assert res.headroom_mw == pytest.approx(70 / 1.2, rel=REL)  # 58.33 MW
    per_year = 8760 / 48
    assert res.curtailed_hours_per_year == pytest.approx(6 * per_year)  # 1095 h/yr
    assert res.mean_event_hours == 2.0  # 6 h in 3 events
    # half served: L - slack <= L / 2 only where slack >= 29.17, i.e. the 2 hours at slack 30
    assert res.hours_half_served_per_year == pytest.approx(2 * per_year)  # 365 h/yr
    assert res.curtailed_mwh_per_year == pytest.approx(280 * per_year)  # 6 L - 70 = 280 MWh


def test_flat_load_has_no_headroom_against_its_own_peak() -> None:
    (res,) = curtailment_headroom(year_of(500.0), [5.0]).rates
    assert res.headroom_mw == 0.0
    assert "8760 of 8760 h" in res.note


# ---------------------------------------------------------------------------------------------
# gaps and bad series


def test_short_gaps_are_filled_and_counted() -> None:
    load = spiky_year()
    holed = load.drop(load.index[1000:1003])  # 3 absent hours
    holed.iloc[5000] = np.nan  # and 1 NaN
    filled, report = fill_gaps(holed)
    assert report.filled_hours == 4
    assert [(g.start, g.hours) for g in report.gaps] == [
        (load.index[1000], 3),
        (load.index[5003], 1),  # iloc 5000 of the holed series is hour 5003
    ]
    pd.testing.assert_series_equal(filled, load, check_freq=False, check_names=False)
    result = curtailment_headroom(holed)
    assert result.filled_hours == 4
    assert result.rates[2].headroom_mw == pytest.approx(120.0, rel=REL)


def test_long_gap_is_an_error() -> None:
    load = spiky_year()
    holed = load.drop(load.index[1000:1007])  # 7 hours > 6
    with pytest.raises(HeadroomError, match=r"7 missing hours from 2023-02-11 16:00:00"):
        curtailment_headroom(holed)
    assert curtailment_headroom(holed, [1.0], max_gap_hours=7).filled_hours == 7


@pytest.mark.parametrize(
    ("series", "message"),
    [
        (pd.Series([1.0, 2.0]), "expected a DatetimeIndex"),
        (
            pd.Series([1.0, 2.0], index=pd.date_range("2023-07-01", periods=2, freq="30min")),
            "whole-hour steps",
        ),
        (
            pd.Series(1.0, index=pd.DatetimeIndex(["2023-07-01 00:00", "2023-07-01 00:00"])),
            "appears twice",
        ),
        (pd.Series(-1.0, index=pd.date_range("2023-07-01", periods=3, freq="h")), ">= 0"),
        (
            pd.Series(1.0, index=pd.date_range("2023-04-01", periods=24, freq="h")),
            "none in June-August",
        ),
    ],
)
def test_bad_series_are_refused(series: pd.Series, message: str) -> None:
    with pytest.raises(HeadroomError, match=message):
        curtailment_headroom(series)


@pytest.mark.parametrize("rate", [0.0, 100.0, -1.0, float("nan")])
def test_bad_rates_are_refused(rate: float) -> None:
    with pytest.raises(HeadroomError, match="rates_pct"):
        curtailment_headroom(spiky_year(), [rate])


def test_threshold_must_cover_the_load_hours() -> None:
    load = year_of(100.0)
    with pytest.raises(HeadroomError, match="no value for 2023-12-31 23:00"):
        curtailment_headroom(load, threshold_mw=year_of(150.0).iloc[:-1])
    with pytest.raises(HeadroomError, match="time zone"):
        curtailment_headroom(load, threshold_mw=year_of(150.0, tz="UTC"))


def test_to_frame_and_to_dict() -> None:
    result = curtailment_headroom(spiky_year(), [1.0])
    frame = result.to_frame()
    assert frame.index.name == "rate_pct"
    assert frame.loc[1.0, "headroom_mw"] == pytest.approx(120.0)
    out = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert out["results"][0]["rate_pct"] == 1.0
    assert out["thresholds"]["summer_peak_at"] == "2023-07-15T12:00:00"
    assert out["years"][0]["rate_pct_by_limit"]["1"] == pytest.approx(1.0)


# ---------------------------------------------------------------------------------------------
# the CSV reader and the command


def write_csv(path, load: pd.Series, fmt: str = "%Y-%m-%dT%H:%M:%S%z") -> None:
    stamps = load.index.strftime(fmt)
    if load.index.tz is not None:  # +0500 -> +05:00
        stamps = [s[:-2] + ":" + s[-2:] for s in stamps]
    values = ["" if math.isnan(v) else f"{v:g}" for v in load.to_numpy()]
    text = "timestamp,load_mw\n" + "".join(
        f"{t},{v}\n" for t, v in zip(stamps, values, strict=True)
    )
    path.write_text(text)


def run(*args: str):
    return CliRunner().invoke(app, ["headroom", *args])


def test_read_load_csv_fills_and_reports(tmp_path) -> None:
    load = spiky_year().tz_localize("Asia/Karachi")
    holed = load.drop(load.index[200:202])
    holed.iloc[300] = np.nan  # an empty cell
    path = tmp_path / "load.csv"
    write_csv(path, holed)
    read = read_load_csv(path)
    series = read.load_mw
    assert read.gaps.filled_hours == 3
    assert str(series.index.tz) == "UTC+05:00"  # the file's own offset is kept
    assert series.size == 8760
    assert series.name == "load_mw"
    assert (series.to_numpy() == load.to_numpy()).all()


def test_naive_csv_in_a_zone_with_daylight_saving(tmp_path) -> None:
    path = tmp_path / "dst.csv"
    path.write_text(
        "timestamp,load_mw\n2023-11-05 00:00,1\n2023-11-05 01:00,2\n2023-11-05 01:00,3\n"
        "2023-11-05 02:00,4\n"
    )
    read = read_load_csv(path, tz="America/New_York")
    assert read.load_mw.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert read.gaps.filled_hours == 0
    with pytest.raises(LoadSeriesError, match=r"dst.csv, row 3 \(line 4\), column 'timestamp'"):
        read_load_csv(path)  # without the zone, 01:00 appears twice


def test_cli_json_on_the_hand_case(tmp_path) -> None:
    path = tmp_path / "load.csv"
    load = spiky_year()
    write_csv(path, load.drop(load.index[4000:4002]), fmt="%Y-%m-%d %H:%M")
    result = run("--load-csv", str(path), "--rates", "1,5", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [r["rate_pct"] for r in out["results"]] == [1.0, 5.0]
    assert out["results"][0]["headroom_mw"] == pytest.approx(120.0, rel=REL)
    assert out["results"][0]["mean_event_hours"] == pytest.approx(7.0)
    assert out["filled_hours"] == 2
    assert out["gaps"] == [
        {"start": load.index[4000].isoformat(), "hours": 2, "action": "interpolated"}
    ]
    assert out["gap_policy"] == "skip"
    assert out["skipped_hours"] == 0
    assert out["file"] == str(path)


def test_cli_table(tmp_path) -> None:
    path = tmp_path / "load.csv"
    load = spiky_year()
    write_csv(path, load.drop(load.index[10:13]))
    result = run("--load-csv", str(path))
    assert result.exit_code == 0, result.output
    assert "3 missing hours filled by interpolation (1 gap) (--gaps skip)" in result.stdout
    assert "summer 1,000 MW" in result.stdout
    row = next(line for line in result.stdout.splitlines() if line.strip().startswith("1 "))
    assert "120.0" in row


def test_cli_time_zone_gives_the_same_headroom(tmp_path) -> None:
    path = tmp_path / "utc.csv"
    write_csv(path, random_series().iloc[:12000])
    outs = []
    for extra in ([], ["--tz", "Asia/Karachi"], ["--tz", "America/Los_Angeles"]):
        result = run("--load-csv", str(path), "--json", *extra)
        assert result.exit_code == 0, result.output
        outs.append(json.loads(result.stdout))
    assert outs[1]["tz"] == "Asia/Karachi"
    assert [y["hours"] for y in outs[0]["years"]] != [y["hours"] for y in outs[2]["years"]]
    for out in outs[1:]:
        assert [r["headroom_mw"] for r in out["results"]] == pytest.approx(
            [r["headroom_mw"] for r in outs[0]["results"]], rel=REL
        )


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("time,load_mw\n2023-01-01T00:00,1\n", [], "column 'timestamp': missing column"),
        ("timestamp,load\n2023-01-01T00:00,1\n", [], "column 'load_mw': missing column"),
        (
            "timestamp,load_mw\n2023-01-01T00:00,1\n2023-01-01T0x:00,2\n",
            [],
            "row 2 (line 3), column 'timestamp': '2023-01-01T0x:00' is not an ISO 8601 time",
        ),
        (
            "timestamp,load_mw\n2023-01-01T00:00,1\n2023-01-01T01:00,lots\n",
            [],
            "row 2 (line 3), column 'load_mw': expected a number >= 0 [MW] (or empty for a "
            "missing hour), got 'lots'",
        ),
        (
            "timestamp,load_mw\n2023-01-01T00:00+05:00,1\n2023-01-01T01:00,2\n",
            [],
            "row 2 (line 3), column 'timestamp': '2023-01-01T01:00' has no UTC offset",
        ),
        (
            "timestamp,load_mw\n2023-01-01T00:00,1\n2023-01-01T08:00,2\n",
            ["--gaps", "error"],
            "7 missing hours from 2023-01-01 01:00:00",
        ),
        ("timestamp,load_mw\n2023-01-01T00:00,1\n", ["--rates", "1,abc"], "--rates"),
        ("timestamp,load_mw\n2023-01-01T00:00,1\n", ["--rates", "0"], "--rates"),
        ("timestamp,load_mw\n2023-01-01T00:00,1\n", ["--tz", "Mars/Olympus"], "unknown time zone"),
        ("", [], "cannot be read as CSV"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, text: str, args: list[str], message: str):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    result = run("--load-csv", str(path), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert isinstance(result.exception, SystemExit)  # no traceback
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert message in lines[0]
    if not args or args[0] in ("--tz", "--gaps"):
        assert str(path) in lines[0] or "time zone" in lines[0]


def test_cli_missing_file(tmp_path) -> None:
    result = run("--load-csv", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.csv'}: no such file"
