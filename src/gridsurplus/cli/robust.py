"""``gridsurplus plan --scenarios``: the robust plan, called from the plan command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def robust_plan(
    ds: Any,
    options: Any,
    scenarios: str,
    *,
    samples: int | None,
    seed: int | None,
    risk: str,
    say: Callable[[str], None],
    scheduler: str | None = None,
) -> Any:
    """The point-forecast plan with the robust plan attached (``headline['robust']``, tables).

    ``scenarios`` is a scenario file in the sweep's format or ``default`` (the dataset's own).
    """
    from dataclasses import replace

    from gridsurplus.scenarios.appliers import Inputs, check_appliers
    from gridsurplus.scenarios.risk import Risk
    from gridsurplus.scenarios.robust_plan import attach, plan_robust
    from gridsurplus.scenarios.sample import draw
    from gridsurplus.scenarios.spec import dataset_spec_path, read_spec

    parsed = Risk.parse(risk)
    spec = read_spec(dataset_spec_path(ds) if scenarios == "default" else Path(scenarios))
    check_appliers(spec)
    table = draw(spec, samples, seed)
    say(f"{len(table)} scenarios from {spec.path or scenarios}")
    workers = options.workers
    base = Inputs(ds, {}, replace(options, sensitivity="off"))
    run = plan_robust(
        base,
        spec,
        table,
        risk=parsed,
        method=options.method,
        workers=workers,
        scheduler=scheduler,
        progress=say,
    )
    return attach(run)


def robust_text(h: dict[str, Any]) -> str:
    """The robust plan's lines of the printed summary."""
    r = h.get("robust")
    if not r:
        return ""
    sites = sorted(set(r["robust_mw_by_site"]) | set(r["point_mw_by_site"]))
    lines = [
        "",
        f"Robust plan over {r['scenarios']} scenarios ({r['risk']}, {r['method']}, "
        f"{r['iterations']} rounds, gap {r['gap']:.1e}):",
        f"  {'site':<22}{'point forecast [MW]':>20}{'robust [MW]':>14}",
    ]
    for s in sites:
        lines.append(
            f"  {s:<22}{r['point_mw_by_site'].get(s, 0.0):>20,.0f}"
            f"{r['robust_mw_by_site'].get(s, 0.0):>14,.0f}"
        )
    lines += [
        f"  expected welfare added [M USD]: robust {r['expected_welfare_usd'] / 1e6:,.2f}, "
        f"point forecast's sites {r['expected_welfare_point_usd'] / 1e6:,.2f}",
        f"  value of the stochastic solution {r['vss_usd'] / 1e6:,.3f} M USD; "
        f"of perfect information {r['evpi_usd'] / 1e6:,.3f} M USD",
    ]
    return "\n".join(lines)
