"""gridsurplus against PyPSA on the same problem: the full default plan, both ways, in one run.

    python benchmarks/vs_pypsa.py [--workers 2] [--start YYYY-MM-DD --end YYYY-MM-DD]

1. *prepare* (not timed): solve the default plan and export its final problem with
   ``gridsurplus export-pypsa`` (mining valued at the hashprice of the last fleet iteration, AI
   fixed at the MW the plan builds, which PyPSA cannot tie to an uptime share of an
   extendable capacity).
2. *gridsurplus*: ``gridsurplus plan`` end to end (load, profiles, economics, base dispatch,
   siting with the fleet effect, the tariff lens, tables; no sensitivity, no report).
3. *pypsa*: ``pypsa.Network(FILE)`` and ``n.optimize()`` with HiGHS, model creation and solve
   timed apart.

Each side runs in its own process; its peak memory is the peak summed proportional set size
(PSS) of that process and its children (our month workers), sampled every 20 ms. Prints one
JSON line.

PyPSA's problem is the smaller of the two (the AI builds are fixed in it, and it does not solve
the base dispatch or the tariff lens), so the ratios favour PyPSA.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                out.append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return out


def _tree_pss_mb(pid: int) -> float:
    """Proportional set size of a process and its descendants [MB].

    PSS shares each page among the processes mapping it, so forked workers' copy-on-write
    pages are not counted twice (RSS would).
    """
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += float(line.split()[1]) / 1024.0
                        break
        except OSError:
            continue
        todo += _children(p)
    return total


def run_child(args: list[str]) -> tuple[dict, float, float]:
    """Run this script in child mode; return its JSON, wall seconds and peak tree PSS [MB]."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_pss_mb(proc.pid))
            time.sleep(0.02)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, _ = proc.communicate()
    stop.set()
    thread.join()
    if proc.returncode != 0:
        raise SystemExit(f"child {args[1]} failed with exit code {proc.returncode}")
    return json.loads(out.strip().splitlines()[-1]), time.perf_counter() - t0, peak


def child_prepare(nc: str, workers: int, start: str | None, end: str | None) -> dict:
    from gridsurplus.planning.export import compute_inputs_for_export
    from gridsurplus.dataset import load_dataset
    from gridsurplus.profiles import build_profiles
    from gridsurplus.model.pypsa import to_pypsa, write_netcdf

    ds = load_dataset()
    case = compute_inputs_for_export(ds, build_profiles(ds), start, end, workers=workers)
    n = to_pypsa(case.inputs, fixed_ai_mw=case.fixed_ai_mw if len(case.fixed_ai_mw) else None)
    write_netcdf(n, nc)
    return {"objective_usd": case.objective_usd, "hours": len(case.inputs.snapshots),
            "fixed_ai_mw": float(case.fixed_ai_mw.sum())}


def child_ours(workers: int) -> dict:
    from gridsurplus.planning import plan

    t0 = time.perf_counter()
    result = plan(sensitivity="off", workers=workers)
    h = result.headline
    return {"objective_usd": h["objective_usd"], "build_seconds": h["build_seconds"],
            "solve_seconds": h["solve_seconds"], "end_to_end_seconds": time.perf_counter() - t0,
            "method": h["method"]}


def child_pypsa(nc: str) -> dict:
    import logging
    import warnings

    logging.basicConfig(level=logging.WARNING)
    warnings.simplefilter("ignore")
    from gridsurplus.model.pypsa import pypsa_objective, read_netcdf

    t0 = time.perf_counter()
    n = read_netcdf(nc)
    t1 = time.perf_counter()
    n.optimize.create_model()
    t2 = time.perf_counter()
    status, condition = n.optimize.solve_model(solver_name="highs")
    t3 = time.perf_counter()
    return {"objective_usd": pypsa_objective(n), "status": f"{status}/{condition}", "load_seconds": t1 - t0,
            "build_seconds": t2 - t1, "solve_seconds": t3 - t2, "end_to_end_seconds": t3 - t0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--start")
    ap.add_argument("--end")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, *rest = args.child
        result = {"prepare": lambda: child_prepare(rest[0], args.workers, args.start, args.end),
                  "ours": lambda: child_ours(args.workers),
                  "pypsa": lambda: child_pypsa(rest[0])}[mode]()
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        nc = str(Path(tmp) / "plan.nc")
        window = [*(["--start", args.start] if args.start else []), *(["--end", args.end] if args.end else [])]
        common = ["--workers", str(args.workers), *window]
        prepared, _, _ = run_child([*common, "--child", "prepare", nc])
        ours, ours_wall, ours_mb = run_child([*common, "--child", "ours"])
        theirs, theirs_wall, theirs_mb = run_child([*common, "--child", "pypsa", nc])
    expected = prepared["objective_usd"]
    line = {
        "problem": f"default plan of the embedded Pakistan dataset, {prepared['hours']} hours",
        "objective_gridsurplus_usd": ours["objective_usd"],
        "objective_pypsa_usd": theirs["objective_usd"],
        "objective_relative_difference": abs(theirs["objective_usd"] - expected) / max(abs(expected), 1.0),
        "gridsurplus_method": ours["method"],
        "gridsurplus_build_seconds": round(ours["build_seconds"], 2),
        "gridsurplus_solve_seconds": round(ours["solve_seconds"], 2),
        "gridsurplus_end_to_end_seconds": round(ours_wall, 2),
        "pypsa_build_seconds": round(theirs["build_seconds"], 2),
        "pypsa_solve_seconds": round(theirs["solve_seconds"], 2),
        "pypsa_end_to_end_seconds": round(theirs_wall, 2),
        "gridsurplus_peak_memory_mb": round(ours_mb, 1),
        "pypsa_peak_memory_mb": round(theirs_mb, 1),
        "speedup_end_to_end": round(theirs_wall / ours_wall, 2),
        "memory_ratio_pypsa_over_gridsurplus": round(theirs_mb / ours_mb, 2),
        "workers": args.workers,
    }
    print(json.dumps(line))


if __name__ == "__main__":
    main()
