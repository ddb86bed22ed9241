"""Demand first, as the plan reports it: what the grid sheds, and the sites held back.

The model bounds the plan's unserved demand by the base dispatch's in every region and hour
and runs no compute where the base sheds (:mod:`gridsurplus.planning.solver`). An AI site must
run in a share of its hours; where its region sheds demand in more hours than its uptime
leaves free, it cannot be built at full size without shedding, so the plan builds it smaller
or not at all. :func:`held_back_sites` names those sites and why.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from gridsurplus.model.build import SHED_MW
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import Solution
from gridsurplus.planning.types import PlanRun
from gridsurplus.surplus.shedding import shedding_by_region


def base_unserved_bound(inp: ModelInputs, base: Solution) -> xr.DataArray:
    """``[time, region]`` the base dispatch's unserved demand, as the bound compute keeps [MW]."""
    unserved = base.unserved.reindex(index=inp.snapshots, columns=inp.regions).to_numpy(float)
    bound = np.where(unserved > SHED_MW, unserved, 0.0)
    return inp.demand.transpose("time", "region").copy(data=bound)


def base_shedding(run: PlanRun) -> list[dict[str, Any]]:
    """Regions whose demand the base dispatch cannot serve: hours, GWh and the worst hours."""
    return [r.to_dict() for r in shedding_by_region(run.base.unserved)]


def held_back_sites(run: PlanRun) -> list[dict[str, Any]]:
    """AI sites whose uptime cannot be met without shedding demand, with what was built.

    A site is held back when its region sheds demand in the base dispatch in more of some
    month's hours than its uptime leaves free (``hours_shed > (1 - uptime) * hours``): running
    at its uptime would take power from households and industry.

    Returns
    -------
    list of dict
        ``site``, ``region``, ``uptime`` [fraction], ``hours_shed`` (in the window) [h],
        ``worst_month``, ``mw_built``, ``mw_possible`` [MW] and ``why``.
    """
    c = run.inputs.compute
    if c is None:
        return []
    shed = run.base.unserved > SHED_MW
    months = pd.Series(np.asarray(run.inputs.month), index=run.inputs.snapshots)
    build = run.optimum.build
    out = []
    for site, row in c.sites[c.sites["uptime"] > 0].iterrows():
        region = row["region"]
        if region not in shed.columns or not shed[region].any():
            continue
        by_month = shed[region].groupby(months.to_numpy()).agg(["sum", "size"])
        free = (1.0 - float(row["uptime"])) * by_month["size"]
        over = by_month["sum"] > free + 1e-9
        if not over.any():
            continue
        worst = str((by_month["sum"] - free).idxmax())
        built = 0.0 if build is None else float(build.get(site, 0.0))
        n_shed = int(shed[region].sum())
        out.append(
            {
                "site": str(site),
                "region": str(region),
                "uptime": float(row["uptime"]),
                "hours_shed": n_shed,
                "worst_month": worst,
                "mw_built": round(max(built, 0.0), 3),
                "mw_possible": float(row["max_mw"]),
                "why": (
                    f"{region} sheds demand without compute in {n_shed} h "
                    f"({int(by_month.loc[worst, 'sum'])} h in {worst}); an uptime of "
                    f"{100 * float(row['uptime']):.2f}% cannot be met there without shedding, "
                    f"so {'it is not built' if built <= 1e-6 else f'only {built:,.0f} MW'}"
                ),
            }
        )
    return out
