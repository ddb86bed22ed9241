"""``gridsurplus plan --start --end``: any plan restricted to a window, annuities prorated."""

from __future__ import annotations

import json

import pandas as pd
from typer.testing import CliRunner

from gridsurplus.cli import app


def test_plan_over_a_week(toy_with_compute, tmp_path) -> None:
    out = tmp_path / "week"
    result = CliRunner().invoke(
        app,
        [
            "plan", "--dataset", str(toy_with_compute), "--start", "2024-07-01",
            "--end", "2024-07-07", "--sensitivity", "off", "--workers", "1", "--no-report",
            "--out", str(out), "--quiet",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    dispatch = pd.read_csv(out / "tables" / "dispatch.csv", parse_dates=["time"])
    assert len(dispatch) == 7 * 24
    assert dispatch["time"].min() == pd.Timestamp("2024-07-01 00:00")
    assert dispatch["time"].max() == pd.Timestamp("2024-07-07 23:00")
    headline = json.loads((out / "plan.json").read_text())
    assert "robust" not in headline
    assert headline["period"] == {
        "start": "2024-07-01T00:00:00",
        "end": "2024-07-07T23:00:00",
        "hours": 168,
        "year_share": 168 / 8760,
    }
    result = CliRunner().invoke(
        app,
        [
            "plan", "--dataset", str(toy_with_compute), "--start", "2024-07-01",
            "--end", "2024-07-07", "--sensitivity", "off", "--workers", "1", "--no-report",
            "--out", str(out), "--quiet", "--json",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
