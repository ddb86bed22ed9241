"""The console's figures on a hand-made day: surplus, short hours, a site's day, the cut shown
before a curtailment is sent. Every number here is worked out by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from gridsurplus.dataset.presentation import find_presentation
from gridsurplus.server.console import actions, svg, views
from gridsurplus.server.console.data import FLEET_COLUMNS, Programme

DAY = dt.date(2026, 3, 2)
FLEET = pd.DataFrame(
    [
        ["ai@A", "A", "ai", "ai", 20.0, "c1", "v1"],
        ["m@A", "A", "btc", "mining", 30.0, "c2", "v2"],
        ["m@B", "B", "btc", "mining", 10.0, "c3", "v3"],
    ],
    columns=FLEET_COLUMNS,
)


def day_ahead(site: str, limits_mw: list[float], priority: int = 100) -> dict[str, Any]:
    return {
        "id": f"da-{site}",
        "eventName": f"day-ahead {DAY} {site}",
        "priority": priority,
        "createdDateTime": "2026-03-01T12:00:00Z",  # the day before: binds from the start
        "targets": [f"site:{site}"],
        "intervalPeriod": {"start": "2026-03-02T00:00:00Z", "duration": "PT1H"},
        "intervals": [
            {"id": h, "payloads": [{"type": "IMPORT_CAPACITY_LIMIT", "values": [v * 1000.0]},
                                   {"type": "PRICE", "values": [10.0]}]}
            for h, v in enumerate(limits_mw)
        ],
    }  # fmt: skip


def programme() -> Programme:
    events = {
        "ai@A": [day_ahead("ai@A", [20.0] * 24)],
        "m@A": [day_ahead("m@A", [30.0] * 12 + [15.0] * 6 + [0.0] * 6)],
        "m@B": [day_ahead("m@B", [10.0] * 18 + [0.0] * 6)],
    }
    return Programme({"id": "p1"}, "UTC", "PKR", FLEET.copy(), events)


def readings(site: str, kwh: dict[int, float]) -> pd.DataFrame:
    start = pd.Timestamp("2026-03-02", tz="UTC")
    rows = [
        {"site": site, "start": start + pd.Timedelta(hours=h),
         "end": start + pd.Timedelta(hours=h + 1), "usage_kwh": v, "report": "r", "corrected": 0}
        for h, v in kwh.items()
    ]  # fmt: skip
    columns = ["site", "start", "end", "usage_kwh", "report", "corrected"]
    return pd.DataFrame(rows, columns=columns)


def test_the_fleets_surplus_short_and_dry_hours() -> None:
    s = views.day_surplus(programme(), DAY)
    assert s.published and s.fleet_mw == 60.0
    assert s.mw[:12].tolist() == [60.0] * 12
    assert s.mw[12:18].tolist() == [45.0] * 6  # miner at A halved
    assert s.mw[18:].tolist() == [20.0] * 6  # only the AI site
    assert s.mwh == 12 * 60 + 6 * 45 + 6 * 20
    assert views.hours_text(s.short_hours) == "12-24"
    assert s.dry_hours == []
    nothing = views.day_surplus(programme(), DAY + dt.timedelta(days=1))
    assert not nothing.published and nothing.dry_hours == list(range(24))


def test_a_sites_day_overshoot_and_its_bill() -> None:
    p = programme()
    used = readings("m@A", {11: 29_000.0, 12: 16_000.0, 20: 500.0})
    hours = views.site_day(p, used, "m@A", DAY)
    assert len(hours) == 24
    assert hours.loc[11, "usage_kwh"] == 29_000.0 and hours.loc[11, "overshoot_kwh"] == 0.0
    assert hours.loc[12, "overshoot_kwh"] == 1_000.0  # 16 MWh against 15
    assert hours.loc[20, "overshoot_kwh"] == 500.0  # nothing allowed after 18:00
    assert hours["reported"].sum() == 3
    assert hours.loc[5, "day_ahead_kwh"] == 30_000.0
    bill = views.month_bill(p, used, "m@A", DAY)
    # 45.5 MWh at 10 PKR/kWh; 1.5 MWh over at twice the price
    assert bill["energy_charge_pkr"] == pytest.approx(455_000.0)
    assert bill["penalty_pkr"] == pytest.approx(30_000.0)
    assert bill["hours_over"] == 2 and bill["month"] == "2026-03"


def test_the_sites_now_and_their_last_report() -> None:
    p = programme()
    now = pd.Timestamp("2026-03-02 19:30", tz="UTC")
    rows = {r["site"]: r for r in views.site_now(p, readings("m@B", {18: 900.0, 17: 9_000.0}), now)}
    assert rows["ai@A"]["allowance_kw"] == 20_000.0 and rows["ai@A"]["last_kw"] is None
    assert rows["m@A"]["allowance_kw"] == 0.0
    assert rows["m@B"]["last_kw"] == 900.0 and rows["m@B"]["over"]  # 900 kWh where 0 allowed
    assert rows["m@B"]["last_at"] == "02 Mar 18:00"


def test_the_confirmation_shows_the_cut_ai_first() -> None:
    p = programme()
    form = {"scope": "region", "target": "A", "limit_mw": "5", "start": "2026-03-02T10:00",
            "hours": "3"}  # fmt: skip
    req = actions.parse_curtailment(form, p)
    assert req.start == pd.Timestamp("2026-03-02 10:00", tz="UTC")
    preview = {r["site"]: r for r in actions.curtailment_preview(p, req)}
    assert set(preview) == {"ai@A", "m@A"}
    ai, miner = preview["ai@A"]["hours"], preview["m@A"]["hours"]
    assert [h["new_kw"] for h in ai] == [5000.0] * 3  # AI gets the 5 MW first
    assert [h["now_kw"] for h in miner] == [30000.0, 30000.0, 15000.0]
    assert [h["cut_kw"] for h in miner] == [30000.0, 30000.0, 15000.0]
    assert preview["ai@A"]["cut_mwh"] == 45.0 and preview["m@A"]["cut_mwh"] == 75.0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("scope", "nation", "region or a site"),
        ("target", "C", "no enrolled region 'C'"),
        ("limit_mw", "-1", "0 MW or more"),
        ("limit_mw", "lots", "number of MW"),
        ("hours", "0", "1 to 48 hours"),
        ("start", "yesterday", "neither 'now' nor a local time"),
    ],
)
def test_a_bad_curtailment_form_says_what_to_fix(field: str, value: str, message: str) -> None:
    form = {"scope": "region", "target": "A", "limit_mw": "5", "start": "now", "hours": "2"}
    with pytest.raises(actions.ActionError, match=message):
        actions.parse_curtailment({**form, field: value}, programme())


def test_the_pictures_carry_their_data() -> None:
    chart = svg.site_day_chart([10.0, 30.0] + [0.0] * 22, [True, True] + [False] * 22,
                               [20.0] * 24, [20.0] * 24)  # fmt: skip
    assert chart.count('class="usage-bar') == 2 and chart.count('class="usage-bar over"') == 1
    assert 'data-kwh="30.000"' in chart and "style=" not in chart
    rows = views.site_now(
        programme(), readings("m@A", {}), pd.Timestamp("2026-03-02 01:00", tz="UTC")
    )
    outlines = find_presentation("Pakistan").outlines
    drawn = svg.site_map(rows, outlines)
    assert drawn.count('class="site-marker"') == 0 and drawn.count("<polygon") >= 10
    assert "style=" not in drawn and "Not on the map (no outline): ai@A, m@A, m@B" in drawn
    on_map = svg.site_map(
        [{**rows[0], "region": "KE"}, {**rows[1], "region": "LESCO"}], outlines
    )
    assert svg.site_map(rows, {}) == ""
    assert on_map.count('class="site-marker"') == 2 and "Not on the map" not in on_map
    assert 'href="/console/sites/m@A"' in on_map
    surplus = svg.surplus_chart(np.array([60.0] * 12 + [0.0] * 12), 60.0)
    assert surplus.count('class="surplus-bar"') == 24
