"""The surplus assessment: figures, files and the command."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from gridsurplus.cli import app
from gridsurplus.surplus.curves import firm_surplus, supply_curve

REQUIRED_KEYS = {
    "annual_generation_gwh",
    "generation_gwh_by_fuel",
    "surplus_gwh_by_region",
    "firm_surplus_mw",
    "headroom",
}


def test_firm_surplus_is_the_lower_quantile() -> None:
    spare = pd.DataFrame({"a": np.r_[np.zeros(10), np.full(990, 100.0)]})
    firm = firm_surplus(spare)
    # 99% of hours have 100 MW but 1% have none: firm at 90% and 99% is 100, at 99.9% it is 0
    assert firm.loc["a", 0.9] == 100.0
    assert firm.loc["a", 0.99] == pytest.approx(100.0)
    assert firm.loc["a", 0.999] == 0.0


def test_supply_curve_sums_by_season() -> None:
    time = pd.date_range("2025-01-01", periods=24 * 59, freq="h")  # Jan-Feb 2025: winter
    cols = pd.MultiIndex.from_product(
        [[10.0, 50.0], ["A", "national"]], names=["max_cost", "region"]
    )
    data = np.tile([1.0, 2.0, 3.0, 4.0], (len(time), 1))
    curve = supply_curve(pd.DataFrame(data, index=time, columns=cols))
    row = curve[
        (curve.area == "A") & (curve.season == "winter") & (curve.max_cost_usd_per_mwh == 50.0)
    ]
    assert row["energy_gwh"].item() == pytest.approx(3.0 * len(time) / 1000)
    assert set(curve.season) == {"winter", "year"}


def test_cli_surplus_on_the_toy_dataset(toy_dataset, tmp_path) -> None:
    out = tmp_path / "surplus"
    result = CliRunner().invoke(
        app, ["surplus", "--dataset", str(toy_dataset), "--out", str(out), "--json", "-q"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert set(summary) >= REQUIRED_KEYS
    assert (out / "surplus.json").exists()
    for name in (
        "spare_mw.csv",
        "marginal_cost_usd_per_mwh.csv",
        "supply_curve.csv",
        "firm_surplus_mw.csv",
    ):
        assert (out / "tables" / name).exists(), name
    spare = pd.read_csv(out / "tables" / "spare_mw.csv", index_col=0)
    assert len(spare) == 8760 and (spare >= -1e-6).all().all()
    # the toy's South has 700 MW of coal at 20 USD/MWh behind a 300 MW link to the North
    assert (
        summary["mean_marginal_cost_usd_per_mwh_by_region"]["SOUTH"]
        < summary["mean_marginal_cost_usd_per_mwh_by_region"]["NORTH"]
    )


@pytest.mark.slow
def test_cli_surplus_on_pakistan(tmp_path) -> None:
    out = tmp_path / "pk"
    result = CliRunner().invoke(app, ["surplus", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert "Surplus of Pakistan, FY2024-25" in result.output
    summary = json.loads((out / "surplus.json").read_text())
    assert set(summary) >= REQUIRED_KEYS
    winter = summary["winter_surplus_mw_by_region"]["national"]
    summer = summary["summer_surplus_mw_by_region"]["national"]
    # the Power Secretary: surplus 'mainly in winter', ~7,000 MW; hydro fills the summer
    assert winter > summer
    assert 4_000 < winter < 12_000
