"""What the sweep report says, on a synthetic sweep folder whose answers are known by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from gridsurplus.cli import app
from gridsurplus.scenarios import analysis
from gridsurplus.scenarios.store import Store, summary_columns

SITES = ["btc_air@N", "ai@N", "ai@S"]


def synthetic_sweep(folder) -> Store:
    """Ten scenarios: mining pays iff BTC >= 100k; AI at N always, at S iff GPU >= 2.5; one fails."""
    store = Store(folder)
    ids = [f"s{i:05d}" for i in range(10)]
    btc = np.linspace(50_000, 140_000, 10)
    gpu = np.array([2.0, 3.0] * 5)
    scenarios = pd.DataFrame(
        {"btc_price_usd": btc, "gpu_hour_usd": gpu}, index=pd.Index(ids, name="scenario_id")
    )
    manifest = {
        "digest": "x", "seed": 1, "samples": 10, "scenarios": 10, "sites": "free", "name": "synthetic",
        "dataset": "Toy", "inputs": {"btc_price_usd": {"unit": "USD/BTC", "status": "sourced", "distribution": "lognormal"},
                                     "gpu_hour_usd": {"unit": "USD/GPU-h", "status": "sourced", "distribution": "lognormal"}},
    }  # fmt: skip
    store.open(manifest, scenarios)
    columns = summary_columns(["btc_price_usd", "gpu_hour_usd"], SITES, ["btc_air", "ai"])
    for i, sid in enumerate(ids):
        if i == 9:
            store.write(
                {"scenario_id": sid, "status": "failed", "reason": "InfeasibleError: no"},
                None,
                columns,
            )
            continue
        mining = 100.0 if btc[i] >= 100_000 else 0.0
        ai_s = 50.0 if gpu[i] >= 2.5 else 0.0
        sites = pd.DataFrame(
            {
                "scenario_id": sid, "site": SITES, "region": ["N", "N", "S"], "tech": ["btc_air", "ai", "ai"],
                "kind": ["mining", "ai", "ai"], "mw": [mining, 100.0, ai_s], "energy_gwh": 1.0,
                "profit_usd": [1.0 if mining else 0.0, 5.0, 2.0 if ai_s else 0.0], "revenue_usd": 1.0,
                "pays": [bool(mining), True, bool(ai_s)],
            }
        )  # fmt: skip
        row = {
            "scenario_id": sid, "status": "ok", "reason": "", "btc_price_usd": btc[i], "gpu_hour_usd": gpu[i],
            "btc_price_usd_start": btc[i], "gpu_hour_usd_start": gpu[i],
            "welfare_gain_usd": 1e8 * (i + 1), "capacity_payment_recovered_usd": 5e7 - 1e6 * i,
            "foreign_exchange_gross_usd": 2e9, "sited_mw": 100 + mining + ai_s, "mining_mw": mining,
            "ai_mw": 100 + ai_s,
        }  # fmt: skip
        store.write(row, sites, columns)
    return store


def test_store_gives_one_row_per_scenario_with_one_schema(tmp_path) -> None:
    store = synthetic_sweep(tmp_path / "sweep")
    summary = pd.read_parquet(tmp_path / "sweep" / "summary")
    assert len(summary) == 10 and summary["scenario_id"].is_unique
    failed = summary[summary["status"] == "failed"]
    assert failed["reason"].tolist() == ["InfeasibleError: no"]
    assert np.isnan(failed["welfare_gain_usd"].iloc[0])
    assert summary["welfare_gain_usd"].dtype == float and "mw:ai@S" in summary
    assert store.done() == {f"s{i:05d}" for i in range(10)}
    assert not list((tmp_path / "sweep" / "summary").glob(".*"))  # no temporary files left


def test_quantiles_importance_and_what_pays_by_hand(tmp_path) -> None:
    store = synthetic_sweep(tmp_path / "sweep")
    summary, sites = store.summary(), store.sites()
    q = analysis.outcome_quantiles(summary, ["welfare_gain_usd"])
    assert (
        q.loc["welfare_gain_usd", "p50"] == pytest.approx(5e8)
        and q.loc["welfare_gain_usd", "scenarios"] == 9
    )
    imp = analysis.rank_importance(
        summary,
        ["btc_price_usd", "gpu_hour_usd"],
        ["welfare_gain_usd", "capacity_payment_recovered_usd"],
    )
    assert imp.loc["btc_price_usd", "welfare_gain_usd"] == pytest.approx(1.0)
    assert imp.loc["btc_price_usd", "capacity_payment_recovered_usd"] == pytest.approx(-1.0)
    pays = analysis.pays_by_driver(summary, sites, "btc_price_usd_start", ["btc_air"], bins=3)
    # btc 50k..130k over 9 solved scenarios: the top third all >= 100k, the bottom third none
    assert pays["btc_air"].tolist()[0] == 0.0 and pays["btc_air"].tolist()[-1] == 1.0
    chosen = analysis.sites_chosen(sites).set_index("site")
    assert chosen.loc["ai@N", "share_built"] == 1.0
    assert chosen.loc["ai@S", "share_built"] == pytest.approx(4 / 9)  # gpu 3.0 at odd i < 9
    assert chosen.loc["btc_air@N", "share_built"] == pytest.approx(4 / 9)  # 100k-130k
    assert analysis.foreign_exchange_column(summary)[0] == "foreign_exchange_gross_usd"


def test_sweep_report_is_one_offline_page(tmp_path) -> None:
    synthetic_sweep(tmp_path / "sweep")
    result = CliRunner().invoke(app, ["sweep", "report", str(tmp_path / "sweep")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "sweep" / "report.html").read_text()
    for text in (
        "How the outcomes are distributed",
        "Gross foreign exchange",
        "the net figure is not yet computed",
        "What pays",
        "Which inputs decide it",
        "Sites chosen across scenarios",
        "InfeasibleError: no",
        "9 scenarios solved, 1 failed",
    ):
        assert text in page
    assert "<script src=" not in page and "cdn.plot.ly" not in page.split("</script>", 1)[1]
    assert page.count('class="plotly-graph-div"') == 7


def test_sweep_command_explains_bad_use(tmp_path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["sweep", "report"])
    assert result.exit_code == 2 and "usage: gridsurplus sweep report DIR" in result.output
    result = runner.invoke(app, ["sweep", "x.yaml"])
    assert result.exit_code == 2 and "give --out DIR" in result.output
    result = runner.invoke(
        app, ["sweep", str(tmp_path / "none.yaml"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2 and "none.yaml not found" in result.output
    result = runner.invoke(
        app, ["sweep", "--out", str(tmp_path / "o"), "--workers", "2", "--scheduler", "tcp://x:1"]
    )
    assert result.exit_code == 2 and "not both" in result.output
    result = runner.invoke(app, ["sweep", "report", str(tmp_path)])
    assert result.exit_code == 2 and "not a sweep folder" in result.output


def test_progress_line_says_done_failed_rate_and_time_left() -> None:
    import io

    from gridsurplus.scenarios.runner import Progress

    stream = io.StringIO()
    bar = Progress(10, already=2, stream=stream, every=0.0)
    bar.start -= 60.0  # a minute ago
    bar.update(failed=True)
    bar.update()
    line = stream.getvalue().splitlines()[-1]
    # 2 new scenarios in a minute: 2.0/min, 6 left -> 3 minutes
    assert "4/10 done, 1 failed, 2.0/min, 3m00s left" in line
    assert line.startswith("[#########")
