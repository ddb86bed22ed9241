from __future__ import annotations

import numpy as np
import pytest

from gridsurplus.economics.datacenter import pue
from gridsurplus.economics.errors import EconomicsInputError
from gridsurplus.economics.heat import (
    CoolingDesign,
    check_temperature,
    cooling_design,
    cooling_designs,
    cooling_overhead,
    hashrate_derating,
)

GRID = np.linspace(-30, 65, 951)


@pytest.mark.parametrize("cooling", ["air", "hydro", "immersion"])
def test_derating_never_rises_with_temperature(cooling):
    d = hashrate_derating(GRID, cooling)
    assert (np.diff(d) <= 1e-12).all()
    assert d.min() >= 0
    assert d.max() <= 1
    assert d[0] == 1.0
    assert d[-1] == 0.0


@pytest.mark.parametrize("cooling", ["air", "hydro", "immersion"])
def test_cooling_overhead_never_falls_with_temperature(cooling):
    o = cooling_overhead(GRID, cooling)
    assert (np.diff(o) >= -1e-12).all()
    assert o.min() >= 1
    assert o.max() == pytest.approx(cooling_design("mining", cooling).overhead_max)


@pytest.mark.parametrize("cooling", ["air", "liquid"])
def test_pue_never_falls_with_temperature(cooling):
    p = pue(GRID, cooling)
    assert (np.diff(p) >= -1e-12).all()
    assert p.min() >= 1


def test_air_derating_by_hand():
    # 1 up to 40 C, linear to 0.5 at 47 C, 0 above: 43.5 C -> 1 - 0.5 * 3.5/7 = 0.75
    assert hashrate_derating([25, 40, 43.5, 47, 47.01], "air").tolist() == pytest.approx(
        [1.0, 1.0, 0.75, 0.5, 0.0]
    )


def test_hydro_overhead_by_hand():
    # 1.04 up to 25 C, +0.003 per C, capped at 1.10: 35 C -> 1.07, 60 C -> 1.10
    assert cooling_overhead([10, 35, 60], "hydro").tolist() == pytest.approx([1.04, 1.07, 1.10])


def test_jacobabad_june_day_hurts_air_more_than_hydro():
    # a June day in Jacobabad: 30 C at dawn, 50 C at 15 h (mean daily max 45 C, records above 50)
    hours = np.arange(24)
    day = 40 + 10 * np.cos(2 * np.pi * (hours - 15) / 24)
    air, hydro = hashrate_derating(day, "air"), hashrate_derating(day, "hydro")
    assert air.mean() < hydro.mean() < 1.0
    assert air.min() == 0.0  # the afternoon trips air-cooled machines
    # a Gilgit winter day loses nothing
    assert hashrate_derating(day - 40, "air").min() == 1.0


def test_karachi_summer_pue_above_gilgit_winter():
    karachi_summer, gilgit_winter = 34.0, 2.0
    assert pue(karachi_summer, "air") > pue(gilgit_winter, "air") == pytest.approx(1.30)


@pytest.mark.parametrize("bad", [[300.0], [-80.0], [np.nan]])
def test_temperature_in_kelvin_or_missing_is_refused(bad):
    with pytest.raises(EconomicsInputError):
        check_temperature(bad)


def test_unknown_cooling_design():
    with pytest.raises(EconomicsInputError, match="no cooling design 'liquid' for mining"):
        hashrate_derating([20], "liquid")
    assert {(d.kind, d.cooling) for d in cooling_designs()} >= {("mining", "air"), ("ai", "liquid")}


def test_every_packaged_design_says_where_its_figures_come_from():
    for design in cooling_designs():
        assert design.source.startswith(("derating", "PUE")), design


def test_a_design_of_ones_own():
    mine = CoolingDesign(
        "mining", "pads", derate_start_c=44, derate_end_c=50, derate_end_fraction=0.6
    )
    assert hashrate_derating([44, 47, 50, 51], mine).tolist() == pytest.approx([1.0, 0.8, 0.6, 0.0])
    with pytest.raises(EconomicsInputError, match="derate_start_c"):
        CoolingDesign("mining", "bad", derate_start_c=50, derate_end_c=40)
    with pytest.raises(EconomicsInputError, match="overhead_min"):
        CoolingDesign("ai", "bad", overhead_min=0.9, overhead_max=1.2)
