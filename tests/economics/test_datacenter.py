from __future__ import annotations

import numpy as np
import pytest

from gridsurplus.economics import datacenter as dc
from gridsurplus.economics.errors import EconomicsInputError


def test_value_per_mwh_by_hand():
    # 2.95 USD/GPU-h * 0.8 / 1.275 kW * 1000 = 1850.98 USD per MWh of IT
    assert dc.gpu_value_usd_per_mwh_it(2.95, 0.8, 1.275) == pytest.approx(1850.98, abs=0.01)
    # per MWh of grid energy at PUE 1.4: 1850.98 / 1.4 = 1322.13
    assert dc.gpu_value_usd_per_mwh(2.95, 0.8, 1.275, 1.4) == pytest.approx(1322.13, abs=0.01)
    hourly = dc.gpu_value_usd_per_mwh(2.95, 0.8, 1.275, np.array([1.3, 1.65]))
    assert hourly == pytest.approx([1850.98 / 1.3, 1850.98 / 1.65], abs=0.01)


def test_value_never_rises_as_pue_rises_with_heat():
    temps = np.linspace(-10, 55, 200)
    value = dc.gpu_value_usd_per_mwh(3.0, 0.8, 1.275, dc.pue(temps, "air"))
    assert (np.diff(value) <= 1e-9).all()


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((-2.0, 0.8, 1.275), "GPU-hour price"),
        ((2.0, 80, 1.275), "fraction"),  # utilisation in percent
        ((2.0, 0.8, 1275), "give kW, not W"),
        ((2.0, 0.8, 0.1), "server"),
        ((2000.0, 0.8, 1.275), "per GPU per hour"),
    ],
)
def test_impossible_gpu_inputs(args, match):
    with pytest.raises(EconomicsInputError, match=match):
        dc.gpu_value_usd_per_mwh_it(*args)


def test_pue_below_one_is_refused():
    with pytest.raises(EconomicsInputError, match="PUE"):
        dc.gpu_value_usd_per_mwh(2.0, 0.8, 1.275, 0.9)


def test_uptime_tiers_and_curtailable_hours():
    assert dc.uptime_for_tier("III") == 0.99982
    assert dc.uptime_for_tier(4) == dc.uptime_for_tier("Tier IV") == 0.99995
    # Tier I: (1 - 0.99671) * 8760 = 28.8 h; Tier IV: 0.00005 * 8760 h = 26.3 min
    assert dc.curtailable_hours(dc.uptime_for_tier("I")) == pytest.approx(28.82, abs=0.01)
    assert dc.curtailable_hours(dc.uptime_for_tier("IV")) * 60 == pytest.approx(26.28, abs=0.01)
    with pytest.raises(EconomicsInputError, match="tier"):
        dc.uptime_for_tier("V")


def test_gpu_systems():
    assert dc.kw_per_gpu_of("DGX H100") == pytest.approx(10.2 / 8)
    assert dc.kw_per_gpu_of("dgx b200") == pytest.approx(14.3 / 8)
    assert "source" in dc.load_gpu_systems().columns
    with pytest.raises(EconomicsInputError, match="unknown GPU system"):
        dc.kw_per_gpu_of("DGX Z9")


def test_grid_share_and_capex_per_mw_grid():
    # the grid connection is sized for the design-day PUE (1.65 for air): at 18 C, 1.30/1.65
    assert dc.grid_share_at_full_it([18.0], "air")[0] == pytest.approx(1.30 / 1.65)
    assert dc.design_pue("air") == 1.65
    # 11.7 M USD per MW of IT at design PUE 1.65 -> 7.09 M per MW of grid
    assert dc.capex_per_mw_grid(11.7e6, 1.65) == pytest.approx(7_090_909, abs=1)
    with pytest.raises(EconomicsInputError):
        dc.capex_per_mw_grid(1e6, 0.9)
