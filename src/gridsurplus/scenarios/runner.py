"""Run every scenario's plan on Dask and stream the results into the store.

One Dask task per scenario (:func:`distributed.Client.submit`), collected with
:func:`distributed.as_completed`; the driver writes each result as it arrives, so a sweep
killed at any moment and started again with the same command runs only what is not recorded.
A LocalCluster on this machine by default (one single-threaded worker process per core), or
any Dask scheduler by address. The workers run each plan's months in their own process
(``workers=1``): Dask's worker processes are daemons and cannot start the plan's month pool.

Dask's Nanny sets ``MALLOC_TRIM_THRESHOLD_`` in the workers' environment, which multiplied
page faults 11-22x on these plans and made Dask lose to a plain process pool (issue 10);
:data:`DASK_CONFIG` unsets it for the workers a LocalCluster spawns.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from gridsurplus.dataset import Dataset
from gridsurplus.scenarios.appliers import Inputs, apply_scenario, check_appliers
from gridsurplus.scenarios.order import warm_order
from gridsurplus.scenarios.sample import draw
from gridsurplus.scenarios.spec import ScenarioError, ScenarioSpec
from gridsurplus.scenarios.store import Store, summary_columns

DASK_CONFIG: dict[str, Any] = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}
"""Dask settings of every sweep (see the module)."""


@dataclass(frozen=True)
class SweepContext:
    """What every task needs besides its scenario: the spec, base inputs and fixed sites."""

    spec: ScenarioSpec
    base: Inputs
    fixed_mw: pd.Series | None
    key: str = ""


WORKER_MODELS: dict[str, Any] = {}
"""This process's kept month models, by sweep (a Dask worker plans scenario after scenario)."""


def worker_models(sweep_key: str) -> Any:
    """The month models this process keeps for a sweep (one sweep's at a time)."""
    from gridsurplus.model.decompose.kept import KeptModels

    if sweep_key not in WORKER_MODELS:
        for old in WORKER_MODELS.values():
            old.close()
        WORKER_MODELS.clear()
        WORKER_MODELS[sweep_key] = KeptModels()
    return WORKER_MODELS[sweep_key]


def run_scenario(scenario_id: str, values: dict[str, float], ctx: SweepContext) -> Any:
    """The Dask task: plan one scenario (see :func:`gridsurplus.scenarios.evaluate.evaluate`).

    The worker keeps its month models from one scenario to the next (only numbers change),
    so a scenario is solved warm from the last one's basis.
    """
    from gridsurplus.scenarios.evaluate import evaluate

    models = worker_models(ctx.key)
    return evaluate(scenario_id, values, ctx.spec, ctx.base, ctx.fixed_mw, models)


class Progress:
    """A progress line on stderr: done/total, failed, rate and time left."""

    def __init__(self, total: int, already: int = 0, stream: Any = None, every: float = 2.0):
        self.total, self.done, self.failed = total, already, 0
        self.already = already
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.perf_counter()
        self.every, self.last = every, 0.0

    def line(self) -> str:
        """The progress line."""
        elapsed = time.perf_counter() - self.start
        new = self.done - self.already
        rate = new / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        width = 24
        filled = int(width * self.done / max(self.total, 1))
        eta = "--" if left != left else _duration(left)
        return (
            f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} done, "
            f"{self.failed} failed, {rate * 60:.1f}/min, {eta} left"
        )

    def update(self, failed: bool = False, force: bool = False) -> None:
        """Count one finished scenario and redraw (at most every ``every`` seconds off a tty)."""
        self.done += 1
        self.failed += int(failed)
        self.show(force or self.done == self.total)

    def show(self, force: bool = False) -> None:
        """Draw the line."""
        now = time.perf_counter()
        if self.tty:
            self.stream.write("\r" + self.line())
            if self.done >= self.total:
                self.stream.write("\n")
        elif force or now - self.last >= self.every:
            self.stream.write(self.line() + "\n")
            self.last = now
        self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s"


def _same_sites(a: pd.Series, b: pd.Series) -> bool:
    a, b = a[a > 1e-9], b[b > 1e-9]
    return set(a.index) == set(b.index) and bool(((a - b.reindex(a.index)).abs() <= 1e-6).all())


def candidate_sites(ds: Dataset) -> tuple[list[str], list[str]]:
    """Every ``tech@region`` a scenario may build on the dataset, and the technologies."""
    techs = [str(t) for t in ds.table("compute_techs")["tech"]]
    regions = [str(r) for r in ds.regions.index]
    return [f"{t}@{r}" for t in techs for r in regions], techs


def default_fixed_sites(ds: Dataset, options: Any) -> pd.Series:
    """MW per site of the dataset's default plan (the sites a fixed-sites sweep keeps)."""
    from dataclasses import replace

    from gridsurplus.scenarios.evaluate import run_plan_for

    opts = replace(options, workers=min(2, os.cpu_count() or 1))
    plan = run_plan_for(Inputs(ds, {}, opts), None)
    return plan.tables["sites"].set_index("site")["mw"].astype(float)


@contextmanager
def open_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A Dask client: of the scheduler at ``scheduler``, or of a new LocalCluster.

    The LocalCluster has ``workers`` single-threaded worker processes (default one per core)
    spawned under :data:`DASK_CONFIG`; both are closed on leaving.
    """
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set(DASK_CONFIG):
        if scheduler:
            client = Client(scheduler)
            try:
                yield client
            finally:
                client.close()
            return
        cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        )
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()


def run_sweep(
    spec: ScenarioSpec,
    out: str | Path,
    *,
    ds: Dataset | None = None,
    samples: int | None = None,
    seed: int | None = None,
    sites: str = "free",
    fixed_mw: pd.Series | None = None,
    options: Any = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    say: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Plan every scenario of a spec on Dask and record each in ``out`` as it finishes.

    Parameters
    ----------
    spec : ScenarioSpec
        The scenario file.
    out : str or pathlib.Path
        The sweep folder (see :mod:`gridsurplus.scenarios.store`); an existing folder of the
        same sweep is resumed.
    ds : Dataset, optional
        The dataset (default: the embedded Pakistan dataset).
    samples, seed : int, optional
        Random draws and seed (default: the scenario file's).
    sites : {"free", "fixed"}
        Plan each scenario's sites afresh, or keep ``fixed_mw`` (default: the default plan's
        sites) and solve only their operation.
    fixed_mw : pandas.Series, optional
        MW per site to keep when ``sites="fixed"``.
    options : PlanOptions, optional
        Base plan options (default: one month process, no sensitivity cases).
    workers : int, optional
        Local worker processes (default: one per core); ignored with ``scheduler``.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``) instead of a LocalCluster.
    progress : bool
        Draw the progress line on stderr.
    say : callable, optional
        Receives a line per stage.

    Returns
    -------
    pandas.DataFrame
        The summary: one row per recorded scenario.
    """
    from distributed import as_completed

    from gridsurplus.dataset import load_dataset
    from gridsurplus.scenarios.evaluate import SITES_MODES, base_options

    say = say or (lambda _msg: None)
    if sites not in SITES_MODES:
        raise ScenarioError(f"--sites must be one of {', '.join(SITES_MODES)}, got '{sites}'")
    ds = ds if ds is not None else load_dataset()
    options = options if options is not None else base_options()
    check_appliers(spec)
    scenarios = draw(spec, samples, seed)
    base = Inputs(ds, {}, options)
    apply_scenario(base, spec, scenarios.iloc[0].to_dict())  # refuse inputs the planner lacks
    store = Store(out)
    site_names, techs = candidate_sites(ds)
    columns = summary_columns(list(scenarios.columns), site_names, techs)
    manifest = {
        "digest": spec.digest(),
        "seed": spec.seed if seed is None else int(seed),
        "samples": spec.samples if samples is None else int(samples),
        "scenarios": len(scenarios),
        "sites": sites,
        "scenario_file": spec.path,
        "name": spec.name,
        "dataset": ds.name,
        "inputs": {
            p.name: {"unit": p.unit, "status": p.status, "distribution": p.distribution}
            for p in spec.active
        },
        "columns": columns,
    }
    store.open(manifest, scenarios)
    if sites == "fixed":
        fixed_path = store.folder / "fixed_sites.csv"
        if fixed_path.exists():
            kept = pd.read_csv(fixed_path).set_index("site")["mw"].astype(float)
            if fixed_mw is not None and not _same_sites(kept, fixed_mw):
                raise ScenarioError(
                    f"{store.folder} was swept with other fixed sites ({fixed_path.name}): "
                    "resume it with the same --plan, or give another --out"
                )
            fixed_mw = kept
        if fixed_mw is None:
            say("planning the default plan for its sites (sites fixed) ...")
            fixed_mw = default_fixed_sites(ds, options)
        if not fixed_path.exists():
            fixed_mw.rename("mw").rename_axis("site").reset_index().to_csv(fixed_path, index=False)
    else:
        fixed_mw = None
    done = store.done()
    todo = [sid for sid in scenarios.index if sid not in done]
    bar = Progress(len(scenarios), already=len(scenarios) - len(todo))
    if not todo:
        say(f"all {len(scenarios)} scenarios are recorded in {store.folder}")
        return store.summary()
    ctx = SweepContext(spec, base, fixed_mw, key=f"{spec.digest()}:{sites}:{store.folder}")
    order = warm_order(scenarios.loc[todo])
    with open_client(workers, scheduler) as client:
        # the context (dataset included) goes to every worker once, not with every task
        shared = client.scatter(ctx, broadcast=True, hash=False)
        say(
            f"{len(todo)} of {len(scenarios)} scenarios to plan on "
            f"{len(client.scheduler_info()['workers'])} Dask worker(s), sites {sites}"
        )
        if progress:
            bar.show(force=True)
        in_flight = max(4, 2 * len(client.scheduler_info()["workers"]))
        queue = iter(order)
        futures = {}

        def submit_next() -> Any:
            sid = next(queue, None)
            if sid is None:
                return None
            fut = client.submit(
                run_scenario,
                sid,
                scenarios.loc[sid].to_dict(),
                shared,
                key=f"scenario-{spec.digest()}-{sid}",
                pure=False,
            )
            futures[fut.key] = sid
            return fut

        first = [f for f in (submit_next() for _ in range(in_flight)) if f is not None]
        pending = as_completed(first, with_results=False)
        for fut in pending:
            sid = futures.pop(fut.key)
            try:
                row, site_table = fut.result()
            except Exception as exc:  # noqa: BLE001 - a lost task is recorded, not fatal
                row = {
                    "scenario_id": sid,
                    "status": "failed",
                    "reason": f"{type(exc).__name__}: {exc}"[:2000],
                    **scenarios.loc[sid].to_dict(),
                }
                site_table = None
            fut.release()
            store.write(row, site_table, columns)
            if progress:
                bar.update(failed=row.get("status") != "ok")
            nxt = submit_next()
            if nxt is not None:
                pending.add(nxt)
    return store.summary()


def sweep(
    scenarios: str | Path | ScenarioSpec | None = None,
    out: str | Path = "sweep",
    *,
    ds: Dataset | str | Path | None = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """Plan every scenario of a scenario file on Dask (``gridsurplus sweep`` from Python).

    Parameters
    ----------
    scenarios : str, pathlib.Path or ScenarioSpec, optional
        A scenario file, or one already read; default the dataset's own ``scenarios.yaml``.
    out : str or pathlib.Path
        The sweep folder; an existing folder of the same sweep is resumed.
    ds : Dataset or path, optional
        The dataset (default: the embedded Pakistan dataset).
    **kwargs
        As :func:`run_sweep` (``samples``, ``seed``, ``sites``, ``workers``, ``scheduler``...).

    Returns
    -------
    pandas.DataFrame
        One row per recorded scenario (``pandas.read_parquet(out / "summary")``).
    """
    from gridsurplus.dataset import load_dataset
    from gridsurplus.scenarios.spec import dataset_spec_path, read_spec

    data = ds if isinstance(ds, Dataset) else load_dataset(ds)
    if not isinstance(scenarios, ScenarioSpec):
        scenarios = read_spec(scenarios if scenarios is not None else dataset_spec_path(data))
    return run_sweep(scenarios, out, ds=data, **kwargs)
