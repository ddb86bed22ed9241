"""Sweeps on Dask give the plans a serial loop gives; failures are recorded; kills resume."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import yaml

import gridsurplus
from gridsurplus.scenarios.appliers import Inputs, apply_scenario
from gridsurplus.scenarios.evaluate import base_options
from gridsurplus.scenarios.runner import open_client, run_sweep
from gridsurplus.scenarios.sample import draw
from gridsurplus.scenarios.spec import ScenarioError, parse_spec, read_spec
from gridsurplus.scenarios.store import Store

from .helpers import param

SRC = str(Path(gridsurplus.__file__).resolve().parents[1])
GRID = {
    "parameters": {
        "btc_price_usd": param("grid", "USD/BTC", values=[80_000, 120_000]),
        "programme_mw": param("grid", "MW", values=[-1, 300]),
        "gpu_hour_usd": param("fixed", "USD/GPU-h", value=2.5),
    }
}


@pytest.fixture(scope="module")
def grid_spec():
    return parse_spec(GRID, "grid.yaml")


@pytest.fixture(scope="module")
def serial(sweep_toy, grid_spec):
    """The same scenarios planned one by one in this process, without Dask or the store."""
    out = {}
    base = Inputs(sweep_toy, {}, base_options())
    for sid, row in draw(grid_spec).iterrows():
        if row["programme_mw"] < 0:
            continue
        inp = apply_scenario(base, grid_spec, row.to_dict())
        plan = gridsurplus.plan(inp.ds, replace(inp.options, markets=inp.markets))
        out[sid] = plan.headline["objective_usd"]
    return out


def check_against_serial(summary: pd.DataFrame, serial: dict) -> None:
    assert len(summary) == 4 and summary["scenario_id"].is_unique
    ok = summary[summary["status"] == "ok"].set_index("scenario_id")
    assert set(ok.index) == set(serial)
    for sid, objective in serial.items():
        assert ok.loc[sid, "objective_usd"] == pytest.approx(objective, rel=1e-6)
    failed = summary[summary["status"] == "failed"]
    assert len(failed) == 2 and (failed["programme_mw"] == -1).all()
    assert failed["reason"].str.contains("PlanError: programme_mw must be a number >= 0").all()
    assert failed["objective_usd"].isna().all()


@pytest.mark.slow
def test_local_cluster_sweep_equals_a_serial_loop_and_records_failures(
    sweep_toy, grid_spec, serial, tmp_path
) -> None:
    summary = run_sweep(grid_spec, tmp_path / "sweep", ds=sweep_toy, workers=2, progress=False)
    check_against_serial(summary, serial)
    read = pd.read_parquet(tmp_path / "sweep" / "summary")
    assert len(read) == 4 and {"btc_price_usd", "mw:ai_h100_t3@NORTH", "seconds"} <= set(read)
    sites = pd.read_parquet(tmp_path / "sweep" / "sites")
    assert len(sites) == 2 * 9  # two ok scenarios x (3 techs x 3 regions)
    ok = read[read["status"] == "ok"].set_index("scenario_id")
    by_site = sites.pivot_table(index="scenario_id", columns="site", values="mw")
    for site in by_site.columns:
        pd.testing.assert_series_equal(
            by_site[site], ok[f"mw:{site}"].rename(site), check_names=False, check_index_type=False
        )
    # a second run with the same command has nothing left to do and changes nothing
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "sweep" / "summary").iterdir()}
    again = run_sweep(grid_spec, tmp_path / "sweep", ds=sweep_toy, workers=2, progress=False)
    assert len(again) == 4
    assert before == {
        p.name: p.stat().st_mtime_ns for p in (tmp_path / "sweep" / "summary").iterdir()
    }


def test_local_workers_run_without_the_nannys_malloc_trim_setting() -> None:
    os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    with open_client(workers=1) as client:
        seen = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
        threads = client.nthreads()
    assert list(seen.values()) == [None]
    assert list(threads.values()) == [1]


def test_a_folder_of_another_sweep_is_refused(sweep_toy, grid_spec, tmp_path) -> None:
    store = Store(tmp_path / "s")
    store.open(
        {"digest": "other", "seed": 0, "samples": 1, "scenarios": 4, "sites": "free"},
        draw(grid_spec),
    )
    with pytest.raises(ScenarioError, match="holds another sweep \\(its digest, samples differ"):
        run_sweep(grid_spec, tmp_path / "s", ds=sweep_toy, progress=False)


def test_a_bad_input_stops_the_sweep_before_it_starts(sweep_toy, tmp_path) -> None:
    spec = parse_spec(
        {
            "parameters": {
                "discount_rate_mining": param(
                    "uniform", "fraction/yr", low=0.1, high=0.2,
                    applier="discount_rate_by_tech", options={"tech": "minnig"},
                )
            }
        }
    )  # fmt: skip
    with pytest.raises(ScenarioError, match="'minnig' is neither a technology nor a kind"):
        run_sweep(spec, tmp_path / "s", ds=sweep_toy, progress=False)
    assert not (tmp_path / "s").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}


def _wait_for(predicate, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.mark.slow
def test_scheduler_and_two_workers_as_processes_equal_a_serial_loop(
    sweep_toy, grid_spec, serial, tmp_path
) -> None:
    dask_cli = shutil.which("dask") or pytest.fail("the 'dask' command is not installed")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [
        subprocess.Popen(
            [dask_cli, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    ]
    try:
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [dask_cli, "worker", address, "--nthreads", "1", "--nworkers", "1",
                     "--no-dashboard", "--host", "127.0.0.1"],
                    env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )  # fmt: skip
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        summary = run_sweep(
            grid_spec, tmp_path / "sweep", ds=sweep_toy, scheduler=address, progress=False
        )
        check_against_serial(summary, serial)
        # the robust plan's (scenario, month) models on the same cluster's workers (actors)
        from gridsurplus.planning import PlanOptions
        from gridsurplus.scenarios.robust_plan import plan_robust

        from .test_robust_plan import SPEC, WEEK

        spec = parse_spec(SPEC, "robust.yaml")
        base = Inputs(sweep_toy, {}, PlanOptions(window=WEEK, sensitivity="off", workers=1))
        table = draw(spec).iloc[:2]
        remote = plan_robust(base, spec, table, scheduler=address).robust
        local = plan_robust(base, spec, table, workers=1).robust
        scale = 1e-6 * max(1.0, abs(local.objective_usd))
        assert abs(remote.objective_usd - local.objective_usd) <= scale
        assert remote.build.to_numpy() == pytest.approx(local.build.to_numpy(), abs=1e-3)
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


KILL_SPEC = {
    "name": "kill test",
    "parameters": {
        "btc_price_usd": param("grid", "USD/BTC", values=[60_000, 70_000, 80_000, 90_000]),
        "gpu_hour_usd": param("uniform", "USD/GPU-h", low=2.0, high=3.0),
    },
}


def _sweep_command(spec: Path, dataset: Path, out: Path, workers: int) -> list[str]:
    return [
        sys.executable, "-c", "from gridsurplus.cli import main; main()", "sweep", str(spec),
        "--dataset", str(dataset), "--out", str(out), "--workers", str(workers), "--samples", "1",
        "--quiet",
    ]  # fmt: skip


def _parts(out: Path) -> dict[str, int]:
    folder = out / "summary"
    if not folder.exists():
        return {}
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("part-*.parquet")}


def _finish(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # what is left of the killed run (its workers)
    proc.wait()
    if proc.stderr is not None:
        proc.stderr.close()


@pytest.mark.slow
def test_sigkill_of_the_driver_then_the_same_command_finishes_the_rest_once(
    sweep_toy_path, tmp_path
) -> None:
    spec = tmp_path / "kill.yaml"
    spec.write_text(yaml.safe_dump(KILL_SPEC))
    out = tmp_path / "sweep"
    cmd = _sweep_command(spec, sweep_toy_path, out, workers=1)
    proc = subprocess.Popen(cmd, env=_env(), start_new_session=True, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: len(_parts(out)) >= 1, 180, "a first scenario")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        _finish(proc)
    before = _parts(out)
    assert 1 <= len(before) < 4
    rerun = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    after = _parts(out)
    assert len(after) == 4
    assert {k: after[k] for k in before} == before  # nothing finished was redone
    summary = pd.read_parquet(out / "summary")
    assert sorted(summary["scenario_id"]) == ["s00000", "s00001", "s00002", "s00003"]
    assert (summary["status"] == "ok").all()
    expected = draw(read_spec(spec), 1)
    assert sorted(summary["btc_price_usd"]) == sorted(expected["btc_price_usd"])


@pytest.mark.slow
def test_sigkill_of_a_worker_is_survived(sweep_toy_path, tmp_path) -> None:
    import psutil

    spec = tmp_path / "kill.yaml"
    spec.write_text(yaml.safe_dump(KILL_SPEC))
    out = tmp_path / "sweep"
    proc = subprocess.Popen(
        _sweep_command(spec, sweep_toy_path, out, workers=2), env=_env(), start_new_session=True,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        driver = psutil.Process(proc.pid)

        def workers() -> list:
            return [
                p for p in driver.children(recursive=True)
                if "spawn_main" in " ".join(p.cmdline()) and "resource_tracker" not in " ".join(p.cmdline())
            ]  # fmt: skip

        _wait_for(lambda: len(workers()) == 2, 120, "two worker processes")
        _wait_for(lambda: os.path.exists(out / "summary"), 120, "the sweep to start")
        time.sleep(2.0)  # the workers hold a scenario each
        os.kill(workers()[0].pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    finally:
        _finish(proc)
    summary = pd.read_parquet(out / "summary")
    assert sorted(summary["scenario_id"]) == ["s00000", "s00001", "s00002", "s00003"]
    assert (summary["status"] == "ok").all()


@pytest.mark.slow
def test_sites_fixed_at_a_plans_sites_give_that_plan_and_a_sweep_keeps_them(
    sweep_toy, tmp_path
) -> None:
    from gridsurplus.scenarios.evaluate import evaluate, read_plan_sites

    plan = gridsurplus.plan(sweep_toy, base_options())
    plan.write(tmp_path / "plan")
    fixed = read_plan_sites(tmp_path / "plan")
    from gridsurplus.economics.markets import Markets

    rent = Markets.from_dataset(sweep_toy).gpu_hour_usd(2026)  # the plan's own GPU rent
    spec = parse_spec({"parameters": {"gpu_hour_usd": param("grid", "USD/GPU-h", values=[rent])}})
    row, sites = evaluate(
        "s0", {"gpu_hour_usd": rent}, spec, Inputs(sweep_toy, {}, base_options()), fixed
    )
    assert row["status"] == "ok", row["reason"]
    assert row["objective_usd"] == pytest.approx(plan.headline["objective_usd"], rel=1e-6)
    assert row["welfare_gain_usd"] == pytest.approx(plan.headline["welfare_gain_usd"], rel=1e-6)
    pd.testing.assert_series_equal(
        sites.set_index("site")["mw"], fixed.reindex(sites["site"]), check_names=False
    )
    # half the MW at the same sites: less welfare, and the sweep records exactly those MW
    summary = run_sweep(
        spec, tmp_path / "sweep", ds=sweep_toy, sites="fixed", fixed_mw=fixed / 2, workers=1,
        progress=False,
    )  # fmt: skip
    assert summary["status"].tolist() == ["ok"]
    assert summary["welfare_gain_usd"].iloc[0] < row["welfare_gain_usd"]
    for site, mw in fixed.items():
        assert summary[f"mw:{site}"].iloc[0] == pytest.approx(mw / 2)
    with pytest.raises(ScenarioError, match="other fixed sites"):
        run_sweep(
            spec, tmp_path / "sweep", ds=sweep_toy, sites="fixed", fixed_mw=fixed, progress=False
        )


def test_the_public_sweep_reads_a_scenario_file_and_records_it(sweep_toy_path, tmp_path) -> None:
    import yaml

    path = tmp_path / "s.yaml"
    spec = {"parameters": {"gpu_hour_usd": param("grid", "USD/GPU-h", values=[2.0, 3.0])}}
    path.write_text(yaml.safe_dump(spec))
    summary = gridsurplus.sweep(
        path, tmp_path / "out", ds=sweep_toy_path, workers=1, progress=False,
        options=base_options(),
    )  # fmt: skip
    assert sorted(summary["gpu_hour_usd"]) == [2.0, 3.0]
    assert (summary["status"] == "ok").all()
    assert len(pd.read_parquet(tmp_path / "out" / "summary")) == 2
