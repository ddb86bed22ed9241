"""A day settled by hand: exact bills from events, curtailment, duplicates and a correction."""

from __future__ import annotations

import pandas as pd
import pytest

from gridsurplus.operations.settle import Rules, settle, usage_readings
from gridsurplus.operations.timeline import hourly_allowance, minute_grid


def payload(limit=None, price=None):
    out = []
    if limit is not None:
        out.append({"type": "IMPORT_CAPACITY_LIMIT", "values": [limit]})
    if price is not None:
        out.append({"type": "PRICE", "values": [price]})
    return out


def day_ahead(eid, limits, prices, created="2026-03-01T10:00:00Z", priority=100):
    return {
        "id": eid,
        "createdDateTime": created,
        "priority": priority,
        "intervalPeriod": {"start": "2026-03-02T00:00:00Z", "duration": "PT1H"},
        "intervals": [
            {"id": h, "payloads": payload(limits[h], prices[h])} for h in range(len(limits))
        ],
    }


M1_DA = day_ahead("ev-m1", [1000.0] * 12 + [500.0] * 12, [20.0] * 12 + [30.0] * 12)
M1_CURTAIL = {
    "id": "ev-m1-cut",
    "createdDateTime": "2026-03-02T14:10:00Z",
    "priority": 0,
    "intervalPeriod": {"start": "2026-03-02T14:10:00Z", "duration": "PT1H"},
    "intervals": [
        {"id": 0, "payloads": payload(200.0, 30.0)},
        {"id": 1, "payloads": payload(200.0, 30.0)},
    ],
}
A1_DA = day_ahead("ev-a1", [2000.0] * 24, [25.0] * 24)

M1_USAGE = [1000.0] * 12 + [600.0, 700.0, 400.0, 200.0, 450.0] + [500.0] * 7


def m1_report(rid, hours, values):
    return {
        "id": rid,
        "clientID": "client-m1",
        "clientName": "m1",
        "eventID": "ev-m1",
        "resources": [
            {
                "resourceName": "m1",
                "intervals": [
                    {"id": h, "payloads": [{"type": "USAGE", "values": [v]}]}
                    for h, v in zip(hours, values, strict=True)
                ],
            }
        ],
    }


REPORTS = [
    m1_report("r1", range(12), M1_USAGE[:12]),
    m1_report("r1-again", range(12), M1_USAGE[:12]),  # the same report twice: counts once
    m1_report("r2", range(12, 24), M1_USAGE[12:]),  # hour 13 first reported as 700 kWh
    m1_report("r3", [13], [500.0]),  # the correction: 500 kWh
    {
        "id": "r4",
        "clientID": "client-a1",
        "clientName": "a1",
        "eventID": "ev-a1",
        "resources": [
            {
                "resourceName": "a1",
                "intervalPeriod": {"start": "2026-03-02T00:00:00Z", "duration": "PT1H"},
                "intervals": [
                    {"id": 100 + h, "payloads": [{"type": "USAGE", "values": [2000.0]}]}
                    for h in range(24)
                ],
            },
            {
                "resourceName": "a1",
                "intervals": [
                    {
                        "id": 0,
                        "intervalPeriod": {"start": "2026-03-03T00:00:00Z", "duration": "PT1H"},
                        "payloads": [{"type": "USAGE", "values": [100.0]}],
                    }
                ],
            },
        ],
    },
    {  # a client that is not enrolled: ignored
        "id": "r5",
        "clientID": "stranger",
        "clientName": "a1",
        "eventID": "ev-a1",
        "resources": [
            {
                "resourceName": "a1",
                "intervals": [{"id": 3, "payloads": [{"type": "USAGE", "values": [9e9]}]}],
            }
        ],
    },
]
EVENTS = {e["id"]: e for e in (M1_DA, M1_CURTAIL, A1_DA)}
CLIENTS = {"client-m1": "m1", "client-a1": "a1"}


def test_curtailment_binds_after_the_grace_period():
    grid = minute_grid([M1_DA, M1_CURTAIL], pd.Timestamp("2026-03-02 14:00", tz="UTC"), 180)
    hours = hourly_allowance(grid)
    # 14:00-14:25 at 500 kW, then 200 kW; 15:00-16:00 at 200; 16:00-16:10 at 200, then 500
    assert hours["allowance_kwh"].tolist() == pytest.approx([325.0, 200.0, 450.0])
    assert grid.loc[pd.Timestamp("2026-03-02 14:24", tz="UTC"), "event"] == "ev-m1"
    assert grid.loc[pd.Timestamp("2026-03-02 14:25", tz="UTC"), "event"] == "ev-m1-cut"


def test_readings_count_duplicates_once_and_keep_the_correction():
    r = usage_readings(REPORTS, CLIENTS, EVENTS)
    m1 = r[r["site"] == "m1"].set_index("start")
    assert len(m1) == 24
    h13 = m1.loc[pd.Timestamp("2026-03-02 13:00", tz="UTC")]
    assert h13["usage_kwh"] == 500.0 and h13["report"] == "r3" and h13["corrected"] == 1
    assert set(r["site"]) == {"m1", "a1"}
    assert r.loc[r["site"] == "a1", "usage_kwh"].sum() == 48100.0


def test_the_month_bill_worked_out_by_hand():
    readings = usage_readings(REPORTS, CLIENTS, EVENTS)
    bill = settle(
        readings, {"m1": [M1_DA, M1_CURTAIL], "a1": [A1_DA]}, "2026-03", rules=Rules(15, 2.0)
    ).set_index("site")
    m1 = bill.loc["m1"]
    # energy 12 x 1000 + 600 + 500 + 400 + 200 + 450 + 7 x 500
    assert m1["energy_kwh"] == 17650.0
    assert m1["allowance_kwh"] == pytest.approx(12 * 1000 + 500 + 500 + 325 + 200 + 450 + 7 * 500)
    # 12000 kWh at 20 + 5650 kWh at 30
    assert m1["energy_charge_pkr"] == 409500.0
    # hour 12: 600 - 500; hour 14: 400 - 325
    assert m1["overshoot_kwh"] == pytest.approx(175.0)
    assert m1["penalty_pkr"] == 175.0 * 2 * 30
    assert m1["total_pkr"] == 420000.0
    assert m1["hours_over"] == 2
    a1 = bill.loc["a1"]
    # 24 h x 2000 kWh at 25, plus 100 kWh in an hour no event covers: charged and penalised
    # at the site's highest price of the month (25)
    assert a1["energy_charge_pkr"] == 48100 * 25.0
    assert a1["overshoot_kwh"] == 100.0
    assert a1["penalty_pkr"] == 100 * 2 * 25.0
    assert a1["total_pkr"] == 1202500.0 + 5000.0


def test_month_is_read_in_the_programme_time_zone():
    readings = usage_readings(REPORTS, CLIENTS, EVENTS)
    # in Karachi (UTC+5), 2026-03-02 19:00Z onwards is already 3 March, still March: same total
    bill = settle(readings, {"m1": [M1_DA, M1_CURTAIL]}, "2026-03", tz="Asia/Karachi")
    assert bill.set_index("site").loc["m1", "energy_kwh"] == 17650.0
    # in February nothing
    feb = settle(readings, {"m1": [M1_DA, M1_CURTAIL]}, "2026-02").set_index("site")
    assert feb.loc["m1", "energy_kwh"] == 0.0
