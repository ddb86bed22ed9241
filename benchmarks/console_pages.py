"""How fast the operator's console answers, on a served programme of N sites.

    PYTHONPATH=src python benchmarks/console_pages.py --sites 3
    PYTHONPATH=src python benchmarks/console_pages.py --sites 60

Set-up (not timed): a plan of N sites (miners and AI data centres of 5 to 20 MW spread over
Pakistan's regions) enrolled on SQLite, today's schedule published, the simulated sites'
24 hourly reports of today posted, ``gridsurplus serve`` in its own process, an operator signed
in over HTTP. Then each page is fetched ``--repeat`` times in a row; printed: p50 and max
latency of the overview, its live refresh when something changed and when nothing did (the
every-5-seconds poll), a site's page, and the curtailment's confirmation.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REGIONS = ["KE", "LESCO", "IESCO", "FESCO", "GEPCO", "MEPCO", "PESCO", "QESCO", "HESCO", "SEPCO"]


def fleet(n: int) -> pd.DataFrame:
    rows = []
    for i in range(n):
        kind = "ai" if i % 3 == 1 else "mining"
        region = REGIONS[i % len(REGIONS)]
        rows.append({"site": f"{'ai' if kind == 'ai' else 'btc'}{i}@{region}", "region": region,
                     "tech": kind, "kind": kind, "mw": 5.0 + (i % 4) * 5.0})  # fmt: skip
    return pd.DataFrame(rows)


def timed(get, url: str, repeat: int, **kw) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    seconds = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = get(url, **kw)
        seconds.append(time.perf_counter() - t0)
        assert r.status_code in (200, 204), (url, r.status_code, r.text[:300])
    return 1000 * statistics.median(seconds), 1000 * max(seconds)


def main() -> None:
    import httpx

    from tests.console import programme as prog

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="console-bench-"))
    prog.SITES = fleet(args.sites)  # the test programme, with this fleet
    t0 = time.perf_counter()
    programme, server = prog.start_programme(folder)
    prog.simulate(programme, programme.today)
    print(f"set-up: {args.sites} sites enrolled, today published and reported "
          f"in {time.perf_counter() - t0:.0f} s")  # fmt: skip
    try:
        with httpx.Client(base_url=programme.root, timeout=120) as c:
            csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/").text).group(1)  # type: ignore[union-attr]
            form = {"csrf": csrf, "client_id": programme.operator_id,
                    "client_secret": programme.operator_secret}  # fmt: skip
            assert c.post("/console/signin", data=form).status_code == 303
            page = c.get("/").text
            stamp = re.search(r'data-stamp="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            site = prog.SITES["site"].iloc[0]
            cases = {
                "overview": ("/", {}),
                "live, changed": ("/console/live", {"params": {"stamp": "old"}}),
                "live, unchanged (poll)": ("/console/live", {"params": {"stamp": stamp}}),
                "site page": (f"/console/sites/{site}", {}),
            }
            print(f"{'page':28s} {'p50 [ms]':>9s} {'max [ms]':>9s}")
            for name, (url, kw) in cases.items():
                p50, worst = timed(c.get, url, args.repeat, **kw)
                print(f"{name:28s} {p50:9.1f} {worst:9.1f}")
            form = {"csrf": token, "scope": "region", "target": "LESCO", "limit_mw": "5",
                    "start": "now", "hours": "4"}  # fmt: skip
            p50, worst = timed(c.post, "/console/curtail/preview", max(3, args.repeat // 4),
                               data=form)  # fmt: skip
            print(f"{'curtailment confirmation':28s} {p50:9.1f} {worst:9.1f}")
            print(json.dumps({"sites": args.sites, "overview_bytes": len(page)}))
    finally:
        server.stop()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
