"""Curtailment shares (AI first, never above the schedule) and the audit log's hash chain."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from gridsurplus.operations import audit
from gridsurplus.operations.curtail import allocate, curtailment_events
from gridsurplus.operations.timeline import hourly_allowance, minute_grid
from tests.operations.test_settle_by_hand import A1_DA, M1_DA

FLEET = pd.DataFrame(
    {
        "site": ["m1", "a1", "x"],
        "region": ["R", "R", "S"],
        "kind": ["mining", "ai", "mining"],
        "mw": [1.0, 2.0, 5.0],
    }
)


def test_allocate_ai_first_then_miners_pro_rata():
    caps = pd.Series({"a": 100.0, "b": 300.0, "m": 500.0, "n": 500.0})
    kinds = pd.Series({"a": "ai", "b": "ai", "m": "mining", "n": "mining"})
    assert allocate(200.0, caps, kinds).to_dict() == {"a": 50.0, "b": 150.0, "m": 0.0, "n": 0.0}
    assert allocate(900.0, caps, kinds).to_dict() == {
        "a": 100.0,
        "b": 300.0,
        "m": 250.0,
        "n": 250.0,
    }
    assert allocate(5000.0, caps, kinds).to_dict() == caps.to_dict()
    with pytest.raises(ValueError, match=">= 0 kW"):
        allocate(-1.0, caps, kinds)


def test_region_curtailment_overrides_the_schedule_after_the_grace():
    start = pd.Timestamp("2026-03-02 11:00", tz="UTC")
    events = curtailment_events(
        "p", FLEET, {"m1": [M1_DA], "a1": [A1_DA]}, 2.2, start, 2, "PKR", region="R"
    )
    assert set(events) == {"m1", "a1"}
    a1, m1 = events["a1"], events["m1"]
    # hour 11: AI scheduled 2000 kW, miner 1000 -> AI 2000, miner 200; hour 12: miner 500 -> 200
    assert [iv["payloads"][0]["values"][0] for iv in a1["intervals"]] == [2000.0, 2000.0]
    assert [iv["payloads"][0]["values"][0] for iv in m1["intervals"]] == [200.0, 200.0]
    assert m1["priority"] == 0 and m1["targets"] == ["site:m1"]
    assert [iv["payloads"][1]["values"][0] for iv in m1["intervals"]] == [20.0, 30.0]
    published = {**m1, "id": "cut", "createdDateTime": "2026-03-02T11:00:00Z"}
    hours = hourly_allowance(minute_grid([M1_DA, published], start, 120))
    # 15 minutes of grace at 1000 kW, then 200 kW; next hour 200 kW
    assert hours["allowance_kwh"].tolist() == pytest.approx([250.0 + 150.0, 200.0])
    with pytest.raises(ValueError, match="no enrolled site"):
        curtailment_events("p", FLEET, {}, 1.0, start, 1, "PKR", region="Q")


def test_audit_log_keeps_every_version_once_and_detects_edits(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'a.sqlite'}")
    audit.ensure(engine)
    assert audit.append(engine, "report", "r1", {"v": 1}, actor="ven_a")
    assert not audit.append(engine, "report", "r1", {"v": 1}, actor="ven_a")  # same twice
    assert audit.append(engine, "report", "r1", {"v": 2}, actor="ven_a")  # a correction
    assert audit.append(engine, "event", "e1", {"p": 3})
    rows = list(audit.records(engine, "report"))
    assert [r["body"]["v"] for r in rows] == [1, 2]
    assert audit.verify(engine) == []
    with engine.begin() as conn:
        conn.execute(text("UPDATE operations_audit SET body = :b WHERE seq = 1"), {"b": '{"v":9}'})
    assert audit.verify(engine) == [1]
    with pytest.raises(ValueError, match="unknown audit kind"):
        audit.append(engine, "nope", "x", {})
    engine.dispose()
