"""The day-ahead schedule: demand first, miners before AI, re-derived from the solution."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from gridsurplus.operations.events import day_ahead_event
from gridsurplus.operations.schedule import (
    ScheduleError,
    read_demand_forecast,
    reference_hours,
    schedule_inputs,
    solve_schedule,
)
from gridsurplus.operations.timeline import event_intervals
from tests.model.tiny import tiny_inputs

FLEET = pd.DataFrame(
    {
        "site": ["m@A", "a@A"],
        "region": ["A", "A"],
        "tech": ["m", "a"],
        "kind": ["mining", "ai"],
        "mw": [30.0, 20.0],
    }
)


def tiny_day():
    demand = [50.0, 90.0, 100.0, 120.0] + [60.0] * 44
    base = tiny_inputs({"A": demand}, [{"name": "g", "region": "A", "cost": 10.0, "cap": 100.0}])
    return base


def test_hand_day_demand_first_and_miners_before_ai():
    base = tiny_day()
    inp = schedule_inputs(base, FLEET, base.snapshots)
    s = solve_schedule(inp, FLEET, dt.date(2026, 1, 5), "UTC", exchange_rate=280.0, currency="PKR")
    a = s.allowance_kw
    # spare 50: both full; spare 10: AI only; no spare: nothing; shedding: nothing; spare 40
    assert a["a@A"].iloc[:5].tolist() == [20000.0, 10000.0, 0.0, 0.0, 20000.0]
    assert a["m@A"].iloc[:5].tolist() == [30000.0, 0.0, 0.0, 0.0, 20000.0]
    assert float(s.unserved_mw["A"].iloc[3]) == pytest.approx(20.0)
    # price: the plant's cost 10 USD/MWh = 2.8 PKR/kWh, capped when a bid sets the price
    assert s.price["m@A"].iloc[0] == pytest.approx(2.8)
    assert s.price["a@A"].iloc[1] == pytest.approx(2.8)
    assert s.hours_utc[0] == pd.Timestamp("2026-01-05", tz="UTC")


def test_day_ahead_event_round_trips_through_the_interval_reader():
    base = tiny_day()
    s = solve_schedule(
        schedule_inputs(base, FLEET, base.snapshots),
        FLEET,
        dt.date(2026, 1, 5),
        "Asia/Karachi",
        280.0,
        "PKR",
    )
    ev = day_ahead_event("p1", "m@A", s, priority=99)
    assert ev["targets"] == ["site:m@A"] and ev["priority"] == 99
    assert ev["intervalPeriod"]["start"] == "2026-01-04T19:00:00Z"
    assert ev["reportDescriptors"][0]["payloadType"] == "USAGE"
    ivs = event_intervals({**ev, "createdDateTime": "2026-01-01T00:00:00Z"})
    assert len(ivs) == 24 and ivs[1].values["IMPORT_CAPACITY_LIMIT"] == 0.0
    assert ivs[23].end == pd.Timestamp("2026-01-05 19:00", tz="UTC")


def test_bids_must_keep_demand_first():
    base = tiny_day()
    with pytest.raises(ScheduleError, match="value of lost load"):
        schedule_inputs(base, FLEET, base.snapshots, mining_bid=10.0, ai_bid=5000.0)


def test_reference_hours_wrap_the_year_and_forecast_errors_name_row_and_column(tmp_path):
    idx = pd.date_range("2024-07-01", "2025-06-30 23:00", freq="h")
    h = reference_hours(idx, dt.date(2028, 2, 29))
    assert str(h[0]) == "2025-02-28 00:00:00" and str(h[24]) == "2025-03-01 00:00:00"
    f = tmp_path / "f.csv"
    f.write_text("time,A\n2026-01-05 00:00,10\n2026-01-05 01:00,-3\n")
    with pytest.raises(ScheduleError, match=r"row 3, column A"):
        read_demand_forecast(f, ["A"], dt.date(2026, 1, 5), "UTC")
    f.write_text("time,A\n2026-01-05 00:00,10\n2026-01-05T06:00:00+05:00,15\n")
    d = read_demand_forecast(f, ["A"], dt.date(2026, 1, 5), "Asia/Karachi")
    assert d["A"].to_dict() == {0: 10.0, 6: 15.0}


def test_forecast_replaces_the_profile():
    base = tiny_day()
    demand = pd.DataFrame({"A": [95.0]}, index=[0])  # hour 0 now leaves 5 MW spare
    s = solve_schedule(
        schedule_inputs(base, FLEET, base.snapshots, demand=demand),
        FLEET,
        dt.date(2026, 1, 5),
        "UTC",
        280.0,
        "PKR",
    )
    assert s.allowance_kw.iloc[0].to_dict() == {"m@A": 0.0, "a@A": 5000.0}


def test_pakistan_day_re_derived():
    """On the embedded dataset: no allowance where a region sheds, miners cut before AI."""
    from gridsurplus import load_dataset
    from gridsurplus.model.inputs import model_inputs
    from gridsurplus.profiles import build_profiles

    ds = load_dataset()
    base = model_inputs(ds, build_profiles(ds))
    fleet = pd.DataFrame(
        {
            "site": ["btc@KE", "ai@KE", "btc@LESCO", "ai@IESCO", "btc@QESCO"],
            "region": ["KE", "KE", "LESCO", "IESCO", "QESCO"],
            "tech": ["btc", "ai", "btc", "ai", "btc"],
            "kind": ["mining", "ai", "mining", "ai", "mining"],
            "mw": [3000.0, 1500.0, 4000.0, 2000.0, 1500.0],
        }
    )
    day = dt.date(2026, 6, 20)
    hours = reference_hours(base.snapshots, day)
    inp = schedule_inputs(base, fleet, hours)
    s = solve_schedule(inp, fleet, day, ds.meta["timezone"], ds.meta["exchange_rate"], "PKR")
    consume = s.consume_mw
    unserved = s.unserved_mw
    region = fleet.set_index("site")["region"]
    mw = fleet.set_index("site")["mw"]
    for t in range(len(consume)):
        for r in unserved.columns:
            here = region.index[region == r]
            if unserved.iloc[t][r] > 1e-6:
                assert consume.iloc[t][here].sum() < 1e-6, (t, r)
            kinds = fleet.set_index("site").loc[here, "kind"] if len(here) else []
            ai = [s_ for s_ in here if kinds[s_] == "ai"]
            mining = [s_ for s_ in here if kinds[s_] == "mining"]
            if ai and mining and consume.iloc[t][ai].sum() < mw[ai].sum() - 1e-3:
                assert consume.iloc[t][mining].sum() < 1e-3, (t, r)
    # the nation: compute never takes more than the capacity left after demand and reserve
    p_max = inp.p_max.sum("gen").to_numpy()
    d = inp.demand.sum("region").to_numpy()
    assert np.all(consume.sum(axis=1).to_numpy() <= p_max - d + 1e-3)
    assert (s.allowance_kw.to_numpy() >= 0).all() and len(s.allowance_kw) == 24
