"""Real-world load files (EIA-930 style) read into clean hourly load, on files made here.

The series is the hand case of ``tests/test_headroom.py``: 2023, 100 MW base, 1000 MW peaks on
15 Jan and 15 Jul at 12:00, and 12 blocks of 8 h at 987 MW. Both seasonal thresholds are
1000 MW; for 13 < L < 900 MW the curtailed energy is ``98 L - 1248`` MWh, so at 1 % over 8760 h
``L = 1248 / (98 - 87.6) = 120`` MW exactly. Each mess below is made from it, and the cleaning
must give back that answer (or the answer worked by hand for the hours that remain).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from gridsurplus.cli import app
from gridsurplus.dataset.load_series import (
    LoadSeriesError,
    Notice,
    fill_gaps,
    read_load_csv,
)
from gridsurplus.surplus.headroom import curtailment_headroom

REL = 1e-9


def spiky_year(tz: str | None = None) -> pd.Series:
    idx = pd.date_range("2023-01-01", "2023-12-31 23:00", freq="h", tz=tz)
    load = pd.Series(100.0, index=idx, name="load_mw")
    for month in range(1, 13):
        load[f"2023-{month:02d}-05 10:00" : f"2023-{month:02d}-05 17:00"] = 987.0
    load["2023-01-15 12:00"] = load["2023-07-15 12:00"] = 1000.0
    return load


def lines(load: pd.Series, fmt: str = "%Y-%m-%dT%H:%M", value: str = "{:g}") -> list[str]:
    return [f"{t.strftime(fmt)},{value.format(v)}" for t, v in load.items()]


def write(path: Path, rows: list[str], header: str = "timestamp,load_mw") -> Path:
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def run(*args: str):
    return CliRunner().invoke(app, ["headroom", *args])


def headroom_1pct(load: pd.Series, **kwargs) -> float:
    return curtailment_headroom(load, [1.0], **kwargs).rates[0].headroom_mw


def codes(notices: tuple[Notice, ...]) -> list[str]:
    return [n.code for n in notices]


# ---------------------------------------------------------------------------------------------
# each mess alone


def test_blank_rows_at_both_ends_are_trimmed_and_said(tmp_path) -> None:
    load = spiky_year()
    unpublished = pd.date_range("2024-01-01", periods=30, freq="h")
    rows = [",", "2022-12-31T23:00,"]  # 2 leading rows with no load
    rows += lines(load) + [f"{t:%Y-%m-%dT%H:%M}," for t in unpublished] + ["", ","]
    read = read_load_csv(write(tmp_path / "eia.csv", rows))
    pd.testing.assert_series_equal(read.load_mw, load, check_freq=False)
    assert [n.message for n in read.notices] == [
        "trimmed 2 leading rows with no load (rows 1-2, 2022-12-31T23:00): blank lines",
        "trimmed 32 trailing rows with no load (rows 8763-8794, 2024-01-01T00:00 to "
        "2024-01-02T05:00): hours not yet published, or blank lines",
    ]
    assert headroom_1pct(read.load_mw) == pytest.approx(120.0, rel=REL)


def test_a_two_day_gap_under_each_policy(tmp_path) -> None:
    load = spiky_year()
    gap = slice(1900, 1948)  # 2023-03-21 04:00 + 48 h, all at the 100 MW base
    path = write(tmp_path / "gap.csv", lines(load.drop(load.index[gap])))

    skipped = read_load_csv(path)  # the default
    assert skipped.gap_policy == "skip"
    assert skipped.load_mw.size == 8712
    assert skipped.gaps.skipped_hours == 48
    assert [n.message for n in skipped.notices] == [
        "48 missing hours in 1 long gap (2023-03-21 04:00 (48 h)) skipped: those hours are left "
        "out of every rate and per-year figure (--gaps skip, the default: a straight line "
        "across a day or more would invent a flat load with no daily peaks; --gaps interpolate "
        "fills them instead)"
    ]
    # the same 98 L - 1248 MWh curtailed, over 8712 h: 98 L - 1248 = 87.12 L -> L = 1248 / 10.88
    result = curtailment_headroom(skipped.load_mw, [1.0], gaps="skip")
    assert result.hours == 8712
    assert result.skipped_hours == 48
    assert result.rates[0].headroom_mw == pytest.approx(1248 / 10.88, rel=REL)
    assert result.rates[0].mean_event_hours == pytest.approx(98 / 14)  # events unchanged

    # interpolated: the gap is flat 100 MW, so the original series comes back
    filled = read_load_csv(path, gaps="interpolate")
    pd.testing.assert_series_equal(filled.load_mw, load, check_freq=False)
    assert filled.notices[0].message.startswith(
        "48 missing hours in 1 long gap (2023-03-21 04:00 (48 h)) filled by linear interpolation"
    )
    assert headroom_1pct(filled.load_mw) == pytest.approx(120.0, rel=REL)

    with pytest.raises(LoadSeriesError) as err:
        read_load_csv(path, gaps="error")
    assert str(err.value) == (
        f"{path}: 48 missing hours from 2023-03-21 04:00:00 (at most 6 are filled by "
        "interpolation); supply those hours, or pass --gaps skip or --gaps interpolate"
    )


def test_short_gaps_are_interpolated_under_every_policy(tmp_path) -> None:
    load = spiky_year()
    path = write(tmp_path / "short.csv", lines(load.drop(load.index[[30, 31, 500]])))
    for policy in ("skip", "interpolate", "error"):
        read = read_load_csv(path, gaps=policy)
        pd.testing.assert_series_equal(read.load_mw, load, check_freq=False)
        assert [n.message for n in read.notices] == [
            "3 missing hours in 2 short gaps (at most 6 h) filled by interpolation"
        ]


def test_daylight_saving_repeat_suggests_tz_and_tz_reads_it(tmp_path) -> None:
    load = spiky_year("America/New_York")  # 8759 local hours: 02:00 on 12 Mar never happens
    path = write(tmp_path / "local.csv", lines(load))  # local clock times, no offset
    with pytest.raises(LoadSeriesError) as err:
        read_load_csv(path)
    # 2023-11-05 01:00 comes twice: 308 days of 24 h less the skipped hour in March come
    # before 5 November, so 00:00 is row 7392 and 01:00 rows 7393 and 7394
    assert str(err.value) == (
        f"{path}, row 7394 (line 7395), column 'timestamp': 2023-11-05 01:00:00 is also in row "
        "7393; if the times are local clock times, daylight saving repeats an hour in autumn: "
        "pass --tz with the zone (e.g. --tz America/New_York) or give UTC offsets"
    )
    read = read_load_csv(path, tz="America/New_York")
    assert read.notices == ()
    pd.testing.assert_series_equal(read.load_mw, load, check_freq=False)
    assert headroom_1pct(read.load_mw) == pytest.approx(headroom_1pct(load), rel=REL)

    result = run("--load-csv", str(path), "--tz", "America/New_York", "--rates", "1", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"][0]["headroom_mw"] == pytest.approx(
        headroom_1pct(load), rel=REL
    )


def test_spring_forward_hour_missing_is_filled_and_tz_is_suggested(tmp_path) -> None:
    load = spiky_year("America/New_York")[:"2023-03-31 23:00"]  # January to March, local
    read = read_load_csv(write(tmp_path / "spring.csv", lines(load)))
    assert codes(read.notices) == ["gaps", "dst", "short"]
    assert read.notices[1].message == (
        "the missing hour 2023-03-12 02:00 (a Sunday night in spring) looks like a "
        "daylight-saving change; if the times are local clock times, pass --tz with the zone"
    )
    assert read.gaps.filled_hours == 1


def test_fifteen_minute_data_is_averaged_to_hours(tmp_path) -> None:
    load = spiky_year()
    quarter = pd.Series(
        np.repeat(load.to_numpy(), 4) + np.tile([-3.0, 1.0, 1.0, 1.0], load.size),
        index=pd.date_range("2023-01-01", periods=4 * load.size, freq="15min"),
    )
    read = read_load_csv(write(tmp_path / "q.csv", lines(quarter)))
    assert [n.message for n in read.notices] == [
        "15-minute data (35,040 readings) averaged to 8,760 hourly means [MW]"
    ]
    pd.testing.assert_series_equal(read.load_mw, load, check_freq=False, check_index_type=False)
    assert headroom_1pct(read.load_mw) == pytest.approx(120.0, rel=REL)


def test_thousands_separators_are_read(tmp_path) -> None:
    load = 10 * spiky_year()  # 1,000 MW base, 10,000 MW peaks, 9,870 MW blocks
    rows = lines(load, value='"{:,.0f}"')
    assert rows[0] == '2023-01-01T00:00,"1,000"'
    read = read_load_csv(write(tmp_path / "sep.csv", rows))
    assert [n.message for n in read.notices] == [
        "8,760 values with thousands separators (e.g. '1,000') read without them"
    ]
    pd.testing.assert_series_equal(read.load_mw, load, check_freq=False)
    assert headroom_1pct(read.load_mw) == pytest.approx(1200.0, rel=REL)  # 10 x 120


def test_values_in_gw_are_flagged_and_converted(tmp_path) -> None:
    path = write(tmp_path / "gw.csv", lines(spiky_year() / 1000))
    read = read_load_csv(path)
    assert [n.message for n in read.notices] == [
        "peak load is only 1 MW (row 349); if the values are GW, as for a national or regional "
        "grid, pass --unit GW (the headroom in % of peak is the same either way)"
    ]
    converted = read_load_csv(path, unit="GW")
    assert [n.message for n in converted.notices] == ["values read as GW and converted to MW"]
    assert headroom_1pct(converted.load_mw) == pytest.approx(120.0, rel=REL)


def test_values_in_kw_are_refused_with_the_fix(tmp_path) -> None:
    path = write(tmp_path / "kw.csv", lines(spiky_year() * 10_000))  # a 10 GW grid in kW
    result = run("--load-csv", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {path}, row 349 (line 350), column 'load_mw': peak 10,000,000 MW is larger "
        "than any grid's; the values look like kW: pass --unit kW (or --unit GW / MW if that "
        "is what they are)\n"
    )
    read = read_load_csv(path, unit="kW")
    assert headroom_1pct(read.load_mw) == pytest.approx(1200.0, rel=REL)


def test_three_months_warn_that_per_year_figures_are_extrapolated(tmp_path) -> None:
    load = spiky_year()[:"2023-03-31 23:00"]
    path = write(tmp_path / "q1.csv", lines(load))
    read = read_load_csv(path)
    assert [n.message for n in read.notices] == [
        "only 2,160 h (90 days) of data: per-year figures (h/yr, MWh/yr) are extrapolated to "
        "8760 h, and the thresholds come from the months covered"
    ]
    result = run("--load-csv", str(path), "--rates", "1", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [n["code"] for n in out["notices"]] == ["short"]
    # winter threshold 1000 MW; 1 peak hour and 3 blocks of 8 h at slack 13 MW, over 2160 h:
    # L + 24 (L - 13) = 21.6 L  ->  L = 312 / 3.4
    assert out["results"][0]["headroom_mw"] == pytest.approx(312 / 3.4, rel=REL)
    assert out["results"][0]["curtailed_hours_per_year"] == pytest.approx(25 * 8760 / 2160)


def test_eia930_balance_layout(tmp_path) -> None:
    load = spiky_year("UTC")
    ending = load.index + pd.Timedelta(hours=1)  # EIA-930 stamps the end of the hour
    rows = [
        f'PJM,{t:%m/%d/%Y},{t:%m/%d/%Y %I:%M:%S %p},"{v:,.0f}","{v * 1.1:,.0f}"'
        for t, v in zip(ending, load.to_numpy(), strict=True)
    ]
    header = (
        "Balancing Authority,Data Date,UTC Time at End of Hour,Demand (MW),Demand Forecast (MW)"
    )
    assert rows[0] == 'PJM,01/01/2023,01/01/2023 01:00:00 AM,"100","110"'
    read = read_load_csv(write(tmp_path / "EIA930_BALANCE.csv", rows, header))
    assert [n.message for n in read.notices][0] == (
        "read time from 'UTC Time at End of Hour', hour ending moved to hour beginning, and load "
        "from 'Demand (MW)'"
    )
    pd.testing.assert_series_equal(read.load_mw, load, check_freq=False)

    two = rows + [r.replace("PJM", "MISO") for r in rows[:3]]
    with pytest.raises(LoadSeriesError, match=r"holds 2 balancing authorities \(MISO, PJM\)"):
        read_load_csv(write(tmp_path / "two.csv", two, header))


# ---------------------------------------------------------------------------------------------
# everything at once


def test_every_problem_is_reported_at_once_and_nothing_is_printed(tmp_path) -> None:
    rows = [
        "2023-01-01T00:00,100",
        "2023-01-01T01:00,lots",  # row 2: not a number
        "2023-01-0x,100",  # row 3: not a time
        "2023-01-01T03:00,-5",  # row 4: negative
        ",250",  # row 5: a load with no time
        "2023-01-01T05:00,100",
        "2023-01-01T05:00,101",  # row 7: repeated
        "2023-01-01T06:30,100",  # row 8: off the hourly steps
        "2023-01-01T07:00,100",
    ]
    path = write(tmp_path / "messy.csv", rows)
    result = run("--load-csv", str(path), "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert isinstance(result.exception, SystemExit)  # no traceback
    where = f"{path}, row"
    assert result.stderr.splitlines() == [
        "error: 6 problems, nothing computed:",
        f"  - {where} 2 (line 3), column 'load_mw': expected a number >= 0 [MW] (or empty for "
        "a missing hour), got 'lots'",
        f"  - {where} 3 (line 4), column 'timestamp': '2023-01-0x' is not an ISO 8601 time "
        "(e.g. 2024-01-31T13:00+05:00)",
        f"  - {where} 4 (line 5), column 'load_mw': expected a number >= 0 [MW] (or empty for "
        "a missing hour), got '-5'",
        f"  - {where} 5 (line 6), column 'timestamp': no time for this row's load; give its hour "
        "(e.g. 2024-01-31T13:00+05:00) or delete it",
        f"  - {where} 7 (line 8), column 'timestamp': 2023-01-01 05:00:00 is also in row 6; if "
        "the times are local clock times, daylight saving repeats an hour in autumn: pass --tz "
        "with the zone (e.g. --tz America/New_York) or give UTC offsets",
        f"  - {where} 8 (line 9), column 'timestamp': 2023-01-01 06:30:00 is not on the file's "
        "hourly steps from 2023-01-01 00:00:00",
    ]


def test_many_bad_rows_are_counted_after_the_first_twenty(tmp_path) -> None:
    load = spiky_year()[:100]
    rows = lines(load)
    for i in range(10, 60):
        rows[i] = rows[i].split(",")[0] + ",n/a?"
    with pytest.raises(LoadSeriesError) as err:
        read_load_csv(write(tmp_path / "many.csv", rows))
    problems = err.value.problems
    assert len(problems) == 21
    assert [p.row for p in problems[:20]] == list(range(11, 31))
    assert problems[20].message == "30 more rows with values that are not a load: rows 31-60"


def test_bad_options_are_all_reported(tmp_path) -> None:
    path = write(tmp_path / "ok.csv", lines(spiky_year()[:48]))
    result = run("--load-csv", str(path), "--gaps", "guess", "--unit", "TW", "--tz", "Mars/Base")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: 3 problems, nothing computed:",
        f"  - {path}: --gaps: expected one of skip, interpolate, error, got 'guess'",
        f"  - {path}: --unit: expected one of MW, GW, kW, got 'TW'",
        f"  - {path}: unknown time zone 'Mars/Base' (expected e.g. Asia/Karachi, UTC)",
    ]


def test_a_file_with_every_mess_gives_the_clean_answer(tmp_path) -> None:
    """Trailing blanks, thousands separators, 15-minute readings, a 2-day gap, in GW."""
    load = 10 * spiky_year()  # 1,000 MW base
    stamps = pd.date_range("2023-01-01", periods=4 * load.size, freq="15min")
    gw = np.repeat(load.to_numpy(), 4) / 1000
    rows = [f"{t:%Y-%m-%dT%H:%M},{v:g}" for t, v in zip(stamps, gw, strict=True)]
    del rows[4 * 1900 : 4 * 1948]  # 48 h missing at the 1 GW base
    rows += ["2024-01-01T00:00,", "2024-01-01T00:15,", ""]
    path = write(tmp_path / "all.csv", rows)
    result = run("--load-csv", str(path), "--unit", "GW", "--rates", "1", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [n["code"] for n in out["notices"]] == ["trimmed", "units", "resampled", "gaps"]
    assert out["gap_policy"] == "skip"
    assert out["skipped_hours"] == 48
    assert out["hours"] == 8712
    # as test_a_two_day_gap_under_each_policy, 10 times the load: L = 12480 / 10.88
    assert out["results"][0]["headroom_mw"] == pytest.approx(12480 / 10.88, rel=REL)

    text = run("--load-csv", str(path), "--unit", "GW", "--rates", "1")
    assert text.exit_code == 0, text.output
    assert "no missing hours filled, 48 skipped (--gaps skip)" in text.stdout
    assert "  note        15-minute data (34,848 readings) averaged to 8,712 hourly means" in (
        text.stdout
    )


# ---------------------------------------------------------------------------------------------
# the gap policy on a series in memory


def test_fill_gaps_skip_is_idempotent_and_keeps_events_apart() -> None:
    idx = pd.date_range("2024-03-01", periods=24, freq="h")
    load = pd.Series(100.0, index=idx)
    holed = load.drop(idx[4:12])  # 8 h missing
    once, report = fill_gaps(holed, gaps="skip")
    assert [(g.start, g.hours, g.action) for g in report.gaps] == [(idx[4], 8, "skipped")]
    twice, _ = fill_gaps(once, gaps="skip")
    pd.testing.assert_series_equal(once, twice)
    # curtailed hours 3 and 12 sit either side of the skipped hours: two events, not one
    slack = pd.Series(1000.0, index=once.index)
    slack[[idx[3], idx[12]]] = 0.0
    (res,) = curtailment_headroom(once, [20.0], threshold_mw=once + slack, gaps="skip").rates
    # 2 L + 14 (L - 1000) = 20 % x 16 L  ->  L = 14000 / 12.8, and every hour is curtailed:
    # hours 0-3 and 12-23 are two events of 4 and 12 h, not one of 16 h
    assert res.headroom_mw == pytest.approx(14000 / 12.8, rel=REL)
    assert res.curtailed_hours_per_year == pytest.approx(8760)
    assert res.mean_event_hours == 8.0


def test_daily_data_is_refused_and_half_past_hours_are_kept(tmp_path) -> None:
    days = pd.Series(100.0, index=pd.date_range("2023-01-01", periods=60, freq="D"))
    with pytest.raises(LoadSeriesError) as err:
        read_load_csv(write(tmp_path / "daily.csv", lines(days)))
    assert str(err.value) == (
        f"{tmp_path / 'daily.csv'}, column 'timestamp': no two times are an hour or less "
        "apart (the closest: 1 days 00:00:00); expected hourly or finer (5, 15, 30-minute) load"
    )
    load = spiky_year()
    half = load.set_axis(load.index + pd.Timedelta(minutes=30))  # hour centres
    read = read_load_csv(write(tmp_path / "half.csv", lines(half)))
    assert read.notices == ()
    pd.testing.assert_series_equal(read.load_mw, half, check_freq=False)
    assert headroom_1pct(read.load_mw) == pytest.approx(120.0, rel=REL)
