"""Every figure draws data from a full plan, and says why when there is nothing to draw."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gridsurplus.dataset import default_dataset_path
from gridsurplus.dataset.presentation import NEUTRAL_PALETTE, Presentation, load_presentation
from gridsurplus.report import figures, views
from gridsurplus.report.figures.regionmap import SCHEMATIC_NOTE
from gridsurplus.results import Plan

from .synthetic_plan import REGIONS

FIGURES = {
    "map": lambda p: figures.region_map(p, load_presentation(default_dataset_path())),
    "surplus-heatmap": figures.surplus_heatmap,
    "duration-curves": figures.duration_curves,
    "supply-curve": figures.supply_curve,
    "dispatch-winter": lambda p: figures.dispatch_week(p, "winter"),
    "dispatch-summer": lambda p: figures.dispatch_week(p, "summer"),
    "site-hours": figures.site_hours,
    "curtailment": figures.curtailment_heatmap,
    "pnl": figures.pnl_bars,
    "forex": figures.forex_bridge,
    "tornado": figures.tornado,
    "breakeven": figures.breakeven,
}


def _values(trace) -> list[np.ndarray]:
    out = []
    for attr in ("x", "y", "z"):
        value = getattr(trace, attr, None)
        if value is not None:
            out.append(np.asarray(value, dtype=object))
    return out


@pytest.mark.parametrize("key", list(FIGURES))
def test_each_figure_has_data(plan: Plan, key: str) -> None:
    fig = FIGURES[key](plan)
    assert len(fig.data) > 0, key
    assert any(v.size > 0 for trace in fig.data for v in _values(trace)), key
    assert fig.layout.title.text
    assert fig.layout.height and fig.layout.height >= 260


def test_all_figures_are_the_reports_in_order(plan: Plan) -> None:
    assert list(figures.all_figures(plan)) == list(FIGURES)


def test_map_draws_every_region_and_link(plan: Plan, pakistan: Presentation) -> None:
    fig = figures.region_map(plan, pakistan)
    regions = [t for t in fig.data if (t.name or "").startswith("region:")]
    assert sorted(t.name.removeprefix("region:") for t in regions) == sorted(REGIONS["region"])
    for trace in regions:
        assert trace.fill == "toself" and len(trace.x) >= 6 and trace.fillcolor
    links = [t for t in fig.data if (t.name or "").startswith("link:")]
    assert len(links) == len(plan.tables["links"])
    sited = [t for t in fig.data if t.name in ("Bitcoin mining", "AI data centres")]
    assert {t.name for t in sited} == {"Bitcoin mining", "AI data centres"}
    # winter and summer buttons restyle every region polygon
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["winter surplus", "summer surplus"]
    assert all(len(b.args[0]["fillcolor"]) == len(regions) for b in buttons)
    assert any("approximate" in (a.text or "") for a in fig.layout.annotations)
    # no geo layer: nothing to fetch
    assert not any(t.type in ("scattergeo", "choropleth", "scattermap") for t in fig.data)


def _outlined(fig) -> dict[str, np.ndarray]:
    return {
        t.name.removeprefix("region:"): np.array([t.x, t.y], dtype=float).T
        for t in fig.data
        if (t.name or "").startswith("region:")
    }


def test_map_draws_the_datasets_outlines(plan: Plan, pakistan: Presentation) -> None:
    shapes = _outlined(figures.region_map(plan, pakistan))
    for region, rings in pakistan.outlines.items():
        assert np.allclose(shapes[region], rings[0]), region


def test_map_without_outlines_is_schematic(plan: Plan) -> None:
    from gridsurplus.dataset.presentation import contains

    fig = figures.region_map(plan)  # no presentation: a dataset without outlines
    shapes = _outlined(fig)
    regions = plan.tables["regions"].set_index("region")
    assert sorted(shapes) == sorted(regions.index)
    squeeze = np.cos(np.radians(regions["lat"].mean()))
    sites = np.column_stack([regions["lon"] * squeeze, regions["lat"]])
    for region, ring in shapes.items():
        own = regions.index.get_loc(region)
        assert contains(ring, regions.loc[region, "lon"], regions.loc[region, "lat"]), region
        # every corner of a region's cell is as near its own coordinates as to any other's:
        # the cells tile without overlapping
        corners = np.column_stack([ring[:, 0] * squeeze, ring[:, 1]])
        gaps = np.hypot(*(corners[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
        assert (gaps[:, own] <= gaps.min(axis=1) + 1e-9).all(), region
    captions = [a.text or "" for a in fig.layout.annotations]
    assert SCHEMATIC_NOTE.format(missing="the dataset has no region outlines") in captions
    assert not any("approximate" in c for c in captions)
    assert [len(b.args[0]["fillcolor"]) for b in fig.layout.updatemenus[0].buttons] == [10, 10]


def test_map_of_a_region_without_outline_goes_schematic_and_says_which(
    plan: Plan, pakistan: Presentation
) -> None:
    tables = dict(plan.tables)
    extra = pd.DataFrame([{"region": "NEW", "name": "New", "lat": 30.0, "lon": 70.0}])
    tables["regions"] = pd.concat([plan.tables["regions"], extra], ignore_index=True)
    fig = figures.region_map(Plan(headline=plan.headline, tables=tables), pakistan)
    assert any(a.text == "<b>NEW</b>" for a in fig.layout.annotations)
    assert len(_outlined(fig)) == 11
    why = "the dataset has no outline for NEW"
    assert SCHEMATIC_NOTE.format(missing=why) in [a.text for a in fig.layout.annotations]


def test_dispatch_colours_and_order_come_from_the_dataset(
    plan: Plan, pakistan: Presentation
) -> None:
    week = figures.dispatch_week(plan, "winter", pakistan)
    stacked = [t for t in week.data if t.stackgroup == "gen"]
    groups = [c.removeprefix("gen_") for c in plan.tables["dispatch"] if c.startswith("gen_")]
    names = [t.name for t in stacked]
    assert len(names) >= 6
    assert names == [pakistan.label(g) for g in pakistan.group_order if pakistan.label(g) in names]
    for trace in stacked:
        group = next(g for g in groups if pakistan.label(g) == trace.name)
        if group in pakistan.group_colors:
            assert trace.fillcolor == pakistan.group_colors[group]


def test_dispatch_of_a_dataset_without_colours_is_neutral(plan: Plan) -> None:
    stacked = [t for t in figures.dispatch_week(plan, "winter").data if t.stackgroup == "gen"]
    summer = [t for t in figures.dispatch_week(plan, "summer").data if t.stackgroup == "gen"]
    assert {t.fillcolor for t in stacked} <= set(NEUTRAL_PALETTE)
    assert len({t.fillcolor for t in stacked}) == len(stacked)  # a colour each
    # a group keeps its colour from one week to the other
    assert all(t.fillcolor == s.fillcolor for t in stacked for s in summer if t.name == s.name)


def test_dispatch_week_is_a_week_of_its_season(plan: Plan) -> None:
    for season, months in (("winter", {12, 1, 2}), ("summer", {6, 7, 8})):
        fig = figures.dispatch_week(plan, season)
        x = pd.to_datetime(fig.data[0].x)
        assert len(x) == 168
        assert set(x.month) <= months | {m % 12 + 1 for m in months} | {
            (m - 2) % 12 + 1 for m in months
        }
        assert x[0].day_of_week == 0
        names = {t.name for t in fig.data}
        assert {"demand", "demand + compute", "Bitcoin mining", "AI data centres"} <= names
        assert sum(1 for t in fig.data if t.legendgroup == "flows") == 4


def test_peak_week_holds_the_peak() -> None:
    index = pd.date_range("2024-07-01", periods=8760, freq="h")
    load = pd.Series(np.ones(len(index)), index=index)
    load[pd.Timestamp("2025-01-15 19:00")] = 5.0
    week = views.peak_week(index, load, "winter")
    assert len(week) == 168 and pd.Timestamp("2025-01-15 19:00") in week
    assert week[0] == pd.Timestamp("2025-01-13")  # the Monday before


def test_nothing_sited_is_said_not_drawn_blank(nothing_sited: Plan) -> None:
    messages = {
        figures.site_hours: "No mining or AI site",
        figures.curtailment_heatmap: "nothing is curtailed",
        figures.breakeven: "No mining site",
        figures.tornado: "no sensitivity runs",
        figures.pnl_bars: "no compute is sited",
    }
    for function, message in messages.items():
        fig = function(nothing_sited)
        assert len(fig.data) == 0
        assert message in fig.layout.annotations[0].text, function.__name__
    assert any(
        "No compute sited" in (a.text or "")
        for a in figures.region_map(nothing_sited).layout.annotations
    )
    week = figures.dispatch_week(nothing_sited, "winter")
    assert any("no compute sited" in (a.text or "") for a in week.layout.annotations)


def test_a_plan_without_tables_still_draws_every_figure() -> None:
    bare = Plan(headline={"dataset": "bare"})
    for key, fig in figures.all_figures(bare).items():
        assert len(fig.layout.annotations) >= 1, key
        assert len(fig.data) == 0, key


def test_figures_from_a_plan_read_back_from_disk(plan: Plan, tmp_path: Path) -> None:
    small = Plan(
        headline=plan.headline,
        tables={k: v for k, v in plan.tables.items() if k != "dispatch_region"},
    )
    small.write(tmp_path)
    again = Plan.read(tmp_path)
    for key, fig in figures.all_figures(again).items():
        assert len(fig.data) > 0, key


def test_tornado_orders_parameters_by_swing_and_offers_each_result(plan: Plan) -> None:
    fig = figures.tornado(plan)
    order = list(fig.layout.yaxis.categoryarray)
    assert order[-1].startswith("BTC price")  # the widest bar on top
    labels = [b.label for b in fig.layout.updatemenus[0].buttons]
    assert labels[:4] == ["national welfare gain", "operators' profit", "MW sited", "grid revenue"]
    assert "60,000 / 130,000 USD" in order[-1]


def test_pnl_switches_between_usd_and_pkr(plan: Plan) -> None:
    fig = figures.pnl_bars(plan)
    usd, pkr = fig.layout.updatemenus[0].buttons
    assert (usd.label, pkr.label) == ("USD", "PKR")
    rate = plan.headline["exchange_rate"]
    # grid revenue under the tariff: million USD vs billion PKR
    assert pkr.args[0]["y"][0][0] == pytest.approx(usd.args[0]["y"][0][0] * rate / 1000)


def test_breakeven_marks_the_plans_btc_price(plan: Plan) -> None:
    fig = figures.breakeven(plan)
    assert sorted(fig.data[0].x) == sorted(plan.tables["breakeven"]["breakeven_btc_price_usd"])
    assert fig.data[0].name == "sited"
    assert any(s.x0 == plan.tables["breakeven"]["btc_price_usd"].iloc[0] for s in fig.layout.shapes)


def test_without_an_order_the_steadiest_group_stacks_lowest() -> None:
    time = pd.date_range("2024-07-01", periods=8760, freq="h")
    evening = np.where(time.hour >= 18, 1.0, 0.0)
    dispatch = pd.DataFrame(
        {
            "time": time,
            "demand_mw": 1000.0 + 300.0 * evening,
            "gen_peaker": 10.0 + 300.0 * evening,  # runs in the evenings only
            "gen_base": np.full(len(time), 600.0),  # flat
            "gen_mid": 390.0 + 20.0 * evening,
        }
    )
    fig = figures.dispatch_week(Plan(headline={}, tables={"dispatch": dispatch}), "winter")
    assert [t.name for t in fig.data if t.stackgroup == "gen"] == ["Base", "Mid", "Peaker"]


def test_forex_bridge_floats_each_outflow_from_gross_down_to_net(plan: Plan) -> None:
    fig = figures.forex_bridge(plan)
    (bars,) = fig.data
    assert bars.type == "bar"  # the cartesian bundle has no waterfall trace
    nation = plan.tables["pnl_nation"].set_index("lens").loc["marginal_cost"]
    gross = nation["foreign_exchange_gross_usd"] / 1e6
    # shares of gross in the synthetic plan: fuel 0.1, hardware 0.4, profit 0.05, net 0.45
    assert list(bars.base) == pytest.approx([0.0, 0.9 * gross, 0.5 * gross, 0.45 * gross, 0.0])
    assert list(bars.y) == pytest.approx(
        [gross, 0.1 * gross, 0.4 * gross, 0.05 * gross, 0.45 * gross]
    )
    assert list(bars.customdata) == pytest.approx(
        [gross, -0.1 * gross, -0.4 * gross, -0.05 * gross, 0.45 * gross]
    )


def test_forex_bridge_of_an_empty_plan_says_so(nothing_sited: Plan) -> None:
    fig = figures.forex_bridge(nothing_sited)
    assert "no compute" in fig.layout.annotations[0].text
