"""The robust plan decomposed beside its extensive form in one LP, on the same scenarios.

    python benchmarks/robust.py [--scenarios 4] [--start 2025-01-01] [--end 2025-01-31]
                                [--workers 1 2] [--pool local dask] [--risk expected]
                                [--no-extensive]

Draws N scenarios of the dataset's scenario file (Pakistan by default), builds each one's
siting problem over the window (:func:`gridsurplus.scenarios.robust_plan.scenario_problems`,
hashprice factor 1), then solves the robust plan:

1. *decomposed*: :func:`gridsurplus.scenarios.robust.solve_robust`, the (scenario, month)
   models on a local process pool (``local``) and on the actors of a Dask LocalCluster
   (``dask``, as ``gridsurplus plan --scenarios`` runs them) of each ``--workers`` count
   (model build, cluster start included, and solve timed apart);
2. *extensive*: :func:`gridsurplus.scenarios.extensive.solve_extensive`, every scenario's
   whole model stacked in one LP for HiGHS.

PyPSA's stochastic networks are not run: our export (:mod:`gridsurplus.model.pypsa`) states one
deterministic year with the AI sites fixed (PyPSA has no uptime constraint), so its scenarios
would not be the same problem; stating them is left for later. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=4)
    parser.add_argument("--start", default="2025-01-01")
    parser.add_argument("--end", default="2025-01-31")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--pool", nargs="+", choices=("local", "dask"), default=["local", "dask"])
    parser.add_argument("--risk", default="expected")
    parser.add_argument("--dataset", type=Path, default=None)
    parser.add_argument("--spec", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--no-extensive", action="store_true")
    args = parser.parse_args()

    import numpy as np

    from gridsurplus.dataset import load_dataset
    from gridsurplus.planning import PlanOptions
    from gridsurplus.scenarios.appliers import Inputs, check_appliers
    from gridsurplus.scenarios.risk import Risk
    from gridsurplus.scenarios.robust import solve_robust
    from gridsurplus.scenarios.robust_plan import scenario_problems
    from gridsurplus.scenarios.sample import draw
    from gridsurplus.scenarios.spec import dataset_spec_path, read_spec

    ds = load_dataset(args.dataset)
    spec = read_spec(args.spec or dataset_spec_path(ds))
    check_appliers(spec)
    table = draw(spec, args.scenarios, args.seed)
    risk = Risk.parse(args.risk)
    options = PlanOptions(window=slice(args.start, args.end), sensitivity="off", workers=1)
    t0 = time.perf_counter()
    problems = scenario_problems(Inputs(ds, {}, options), spec, table)
    out: dict[str, object] = {
        "dataset": ds.name,
        "scenarios": len(problems),
        "window": [args.start, args.end],
        "hours": len(problems[0].snapshots),
        "months": len(set(problems[0].month)),
        "sites": len(problems[0].compute.sites),  # type: ignore[union-attr]
        "risk": risk.label,
        "inputs_s": round(time.perf_counter() - t0, 2),
    }
    objectives = []
    runs = [(kind, w) for kind in args.pool for w in args.workers if not (kind == "dask" and w < 2)]
    for kind, workers in runs:
        t = time.perf_counter()
        with pool_of(kind, problems, workers) as pool:
            built = time.perf_counter() - t
            result = solve_robust(problems, risk=risk, pool=pool)
        out[f"decomposed_{kind}_w{workers}"] = {
            "build_s": round(built, 2),
            "solve_s": round(result.solve_seconds, 2),
            "rounds": result.iterations,
            "gap": result.gap,
            "objective_usd": result.objective_usd,
            "built_mw": round(float(result.build.sum()), 1),
        }
        objectives.append(result.objective_usd)
    if not args.no_extensive:
        from gridsurplus.scenarios.extensive import solve_extensive

        ext = solve_extensive(problems, risk=risk)
        out["extensive"] = {
            "build_s": round(ext.build_seconds, 2),
            "solve_s": round(ext.solve_seconds, 2),
            "objective_usd": ext.objective_usd,
            "built_mw": round(float(ext.build.sum()), 1),
        }
        objectives.append(ext.objective_usd)
    spread = float(np.ptp(objectives)) if objectives else float("nan")
    out["objective_spread_usd"] = spread
    out["pypsa"] = "skipped: the export states one deterministic year with AI builds fixed"
    print(json.dumps(out))


@contextmanager
def pool_of(kind: str, problems: list, workers: int) -> Iterator[object]:
    """The (scenario, month) models on a local process pool or on Dask actors."""
    from gridsurplus.scenarios.robust_pool import ScenarioPool

    if kind == "local":
        with ScenarioPool(problems, workers) as pool:
            yield pool
        return
    from gridsurplus.scenarios.robust_dask import DaskScenarioPool
    from gridsurplus.scenarios.runner import open_client

    with open_client(workers) as client, DaskScenarioPool(problems, client) as pool:
        yield pool


if __name__ == "__main__":
    main()
