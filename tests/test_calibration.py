"""The base dispatch of Pakistan reproduces FY2024-25 (full-year solves: marked slow).

Local gas and local coal run under monthly supply caps and RLNG under a yearly take-or-pay
floor, each derived from its FY25 output (energy_budgets.csv says so row by row); those three
shares are therefore met by construction once the network can carry them. The independent
checks are the annual total against the monthly demand, every month, imported coal, RFO and
'other' (solar, bagasse), and that nothing goes unserved.
"""

from __future__ import annotations

import pytest

from gridsurplus.dataset import load_dataset
from gridsurplus.surplus.dispatch import calibration, run_dispatch

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def calib():
    ds = load_dataset()
    result = run_dispatch(ds)
    return result, calibration(ds, result)


def test_annual_generation_within_3_percent(calib) -> None:
    _, c = calib
    assert c["annual"]["published_gwh"] == pytest.approx(127158.0)  # months sum (published 127,159)
    assert abs(c["annual"]["model_gwh"] / 127159.0 - 1.0) < 0.03


def test_every_month_within_5_percent(calib) -> None:
    _, c = calib
    for month, row in c["monthly"].items():
        assert abs(row["error_pct"]) < 5.0, month


def test_mix_within_5_points_of_fy2024_25(calib) -> None:
    _, c = calib
    published = {
        "hydel": 31.44,
        "nuclear": 17.66,
        "rlng": 17.48,
        "coal_local": 12.23,
        "gas_local": 8.82,
        "coal_imported": 7.13,
        "wind": 3.02,
    }
    for group, pct in published.items():
        assert c["mix"][group]["published_pct"] == pytest.approx(pct)
        assert abs(c["mix"][group]["difference_pp"]) < 5.0, (group, c["mix"][group])


def test_no_demand_is_shed_and_the_reserve_is_kept(calib) -> None:
    result, _ = calib
    sol = result.solution
    assert float(sol.unserved.to_numpy().sum()) == pytest.approx(0.0, abs=1e-3)
    inp = result.inputs
    units = inp.gens.index[inp.gens["counts_for_reserve"]]
    spare = inp.p_max.sel(gen=units).sum("gen").to_pandas() - sol.generation[units].sum(axis=1)
    assert (spare >= inp.reserve.to_pandas() - 1e-4).all()


def test_energy_balance_of_every_region_and_hour(calib) -> None:
    from energy_balance import balance_residual

    result, _ = calib
    assert balance_residual(result.inputs, result.solution) < 1e-5
