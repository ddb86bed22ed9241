"""A Dask sweep beside a serial loop of cold plans, on the same scenarios, in one run.

    python benchmarks/sweep.py [--scenarios 4] [--sites fixed|free] [--dataset PATH] [--seed S]
                               [--serial N]

1. *serial*: every scenario (or the first ``--serial N``, its time scaled to all) planned one
   after another in this process, each plan cold (its month models built afresh), one month
   process (as in a Dask task);
2. *dask, 1 worker* and *dask, 2 workers*: ``run_sweep`` on a LocalCluster of that many
   single-threaded workers (cluster start included), into a fresh folder each: each worker
   keeps its month models from one scenario to the next, warm, in the sweep's order.

Dask's own cost is the share of the 1-worker run not spent in scenarios,
``1 - sum(task seconds) / wall seconds`` (the cluster start counted apart); each run's busy
share is ``sum(task seconds) / (wall seconds x workers)``. The mean task seconds of each run
beside the serial loop's show how much the workers slow each other (two plans on two cores
share memory bandwidth, and any other load on the machine).
The objectives of the three runs are compared. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=4)
    parser.add_argument("--sites", choices=("fixed", "free"), default="fixed")
    parser.add_argument("--dataset", type=Path, default=None)
    parser.add_argument("--spec", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument(
        "--serial", type=int, default=None, help="Cold plans in the serial loop (default: all)."
    )
    args = parser.parse_args()

    import pandas as pd

    from gridsurplus.dataset import load_dataset
    from gridsurplus.scenarios.appliers import Inputs
    from gridsurplus.scenarios.evaluate import base_options, evaluate
    from gridsurplus.scenarios.runner import default_fixed_sites, open_client, run_sweep
    from gridsurplus.scenarios.sample import draw
    from gridsurplus.scenarios.spec import dataset_spec_path, read_spec

    ds = load_dataset(args.dataset)
    spec = read_spec(args.spec or dataset_spec_path(ds))
    scenarios = draw(spec, args.scenarios, args.seed)
    options = base_options()
    fixed = None
    if args.sites == "fixed":
        fixed = default_fixed_sites(ds, options)  # not timed: the sites every run keeps
    base = Inputs(ds, {}, options)

    t0 = time.perf_counter()
    serial = {}
    serial_table = scenarios if args.serial is None else scenarios.iloc[: args.serial]
    for sid, row in serial_table.iterrows():
        out, _ = evaluate(str(sid), row.to_dict(), spec, base, fixed)
        serial[sid] = out
    # the serial loop's seconds scaled to every scenario, when it ran only some of them
    serial_seconds = (time.perf_counter() - t0) * len(scenarios) / len(serial_table)

    t0 = time.perf_counter()
    with open_client(workers=1):
        pass
    start_seconds = time.perf_counter() - t0

    runs = {}
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            summary = run_sweep(
                spec,
                Path(tmp) / "sweep",
                ds=ds,
                samples=args.scenarios,
                seed=args.seed,
                sites=args.sites,
                fixed_mw=fixed,
                options=options,
                workers=workers,
                progress=False,
            )
            wall = time.perf_counter() - t0
        runs[workers] = (wall, summary.set_index("scenario_id"))

    def max_rel_diff(summary: pd.DataFrame) -> float:
        worst = 0.0
        for sid, row in serial.items():
            a, b = row.get("objective_usd"), summary.loc[sid, "objective_usd"]
            if a is None or pd.isna(a) or pd.isna(b):
                continue
            worst = max(worst, abs(a - b) / max(abs(a), 1.0))
        return worst

    result = {
        "dataset": ds.name,
        "scenarios": len(scenarios),
        "sites": args.sites,
        "failed": int(sum(r["status"] != "ok" for r in serial.values())),
        "serial_cold_scenarios": len(serial_table),
        "serial_cold_seconds": round(serial_seconds, 1),
        "serial_seconds_per_scenario": round(serial_seconds / len(scenarios), 2),
        "cluster_start_seconds": round(start_seconds, 2),
    }
    for workers, (wall, summary) in runs.items():
        task = float(summary["seconds"].sum())
        result[f"dask_{workers}_worker_seconds"] = round(wall, 1)
        result[f"dask_{workers}_task_seconds_mean"] = round(task / len(summary), 2)
        # the workers' share of the run spent in scenarios (the rest: Dask, the driver's
        # writes and, with 2 workers, a worker idle at the end)
        result[f"dask_{workers}_busy_share"] = round(task / ((wall - start_seconds) * workers), 4)
        result[f"dask_{workers}_objective_max_rel_diff"] = max_rel_diff(summary)
    one_wall, one = runs[1]
    result["dask_overhead_share"] = round(
        max(0.0, 1.0 - float(one["seconds"].sum()) / (one_wall - start_seconds)), 4
    )
    result["speedup_2_workers_over_1"] = round(
        runs[1][0] / runs[2][0] if runs[2][0] > 0 else float("nan"), 2
    )
    result["speedup_2_workers_over_serial"] = round(serial_seconds / runs[2][0], 2)
    per = runs[2][0] / len(scenarios)
    result["dask_2_seconds_per_scenario"] = round(per, 2)
    result["extrapolated_1000_scenarios_minutes"] = round(1000 * per / 60, 1)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
