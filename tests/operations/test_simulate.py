"""Simulated sites: miners follow within minutes and sometimes overshoot; AI runs flat."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gridsurplus.operations import simulate
from gridsurplus.operations.simulate import day_usage, hourly_usage, site_minutes, usage_report
from tests.operations.test_settle_by_hand import M1_DA


def test_miner_follows_a_drop_within_the_lag():
    limit = np.array([1000.0] * 60 + [200.0] * 60)
    draw = site_minutes("mining", 2.0, limit, np.random.default_rng(1))
    # before the drop: 98 % of 1000 kW (or 10 % above in an overshooting hour)
    assert min(abs(draw[0] - 980.0), abs(draw[0] - 1078.0)) < 1e-9
    lagged = int((draw[60:] > 250.0).sum())
    assert 1 <= lagged <= simulate.MINER_MAX_LAG_MIN
    assert draw[60 + simulate.MINER_MAX_LAG_MIN :].max() <= 200.0 * 1.1 + 1e-9


def test_ai_runs_flat_and_overshoot_is_rare_and_bounded():
    ai = site_minutes("ai", 3.0, np.zeros(600), np.random.default_rng(0))
    assert np.all(ai == 2850.0)
    limit = np.full(60 * 2000, 500.0)
    draw = site_minutes("mining", 1.0, limit, np.random.default_rng(7))
    hours = hourly_usage(draw)
    over = hours > 500.0
    assert 0.02 < over.mean() < 0.09  # about 5 % of hours
    assert hours.max() == pytest.approx(min(1000.0, 500.0 * 1.1))
    with pytest.raises(ValueError, match="neither mining nor ai"):
        site_minutes("oven", 1.0, limit[:60], np.random.default_rng(0))


def test_day_usage_is_deterministic_for_a_seed_and_the_report_is_placed_by_its_own_periods():
    start = pd.Timestamp("2026-03-02", tz="UTC")
    a = day_usage("mining", 1.0, [M1_DA], start, seed=3)
    b = day_usage("mining", 1.0, [M1_DA], start, seed=3)
    assert np.array_equal(a, b) and len(a) == 24
    assert a[:12].min() >= 980.0 - 1e-9  # hours at 1000 kW: 98 %
    hours = list(pd.date_range(start, periods=2, freq="h"))
    r = usage_report(M1_DA, "m1", hours, [1.0, 2.0])
    iv = r["resources"][0]["intervals"][1]
    assert iv["intervalPeriod"] == {"start": "2026-03-02T01:00:00Z", "duration": "PT1H"}
    assert r["eventID"] == "ev-m1"
