"""The robust plan in the report: its sites beside the point forecast's, and regret by scenario.

Read from ``plan.json``'s ``robust`` figures and the ``robust_sites`` and ``robust_regret``
tables that ``gridsurplus plan --scenarios`` adds; a plan without them shows nothing.
"""

from __future__ import annotations

from typing import Any

from gridsurplus.report import formatting as fmt
from gridsurplus.report.tables import frame_table
from gridsurplus.results import Plan


def _text(value: Any) -> str:
    return str(value)


def robust_section(plan: Plan) -> dict[str, Any] | None:
    """Figures and tables of the robust plan, or None when the plan has none."""
    r = plan.headline.get("robust")
    if not r or "robust_sites" not in plan.tables:
        return None
    sites = plan.tables["robust_sites"]
    sites = sites[
        (sites["point_mw"] > 1e-6) | (sites["robust_mw"] > 1e-6) | (sites["pays_share"] > 0)
    ]
    regret = plan.tables.get("robust_regret")
    return {
        "scenarios": r["scenarios"],
        "risk": r["risk"],
        "expected_welfare": fmt.usd(r["expected_welfare_usd"]),
        "expected_welfare_point": fmt.usd(r["expected_welfare_point_usd"]),
        "vss": fmt.usd(r["vss_usd"]),
        "evpi": fmt.usd(r["evpi_usd"]),
        "sites": frame_table(
            sites,
            [
                ("site", "site", _text),
                ("point_mw", "MW, point forecast", fmt.number),
                ("robust_mw", "MW, robust", fmt.number),
                ("pays_share", "share of scenarios it pays", fmt.share),
            ],
        ),
        "regret": frame_table(
            regret if regret is not None else sites.iloc[0:0],
            [
                ("scenario_id", "scenario", _text),
                ("welfare_robust_usd", "welfare, robust (USD)", fmt.usd),
                ("welfare_point_usd", "welfare, point forecast's sites (USD)", fmt.usd),
                ("welfare_best_usd", "welfare, its own best sites (USD)", fmt.usd),
                ("regret_robust_usd", "regret, robust (USD)", fmt.usd),
                ("regret_point_usd", "regret, point forecast's sites (USD)", fmt.usd),
            ],
        ),
    }
