"""The plan's problem as an export: the final siting problem over a window, and its objective."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
import xarray as xr

from gridsurplus.dataset import Dataset
from gridsurplus.errors import GridsurplusError
from gridsurplus.model.inputs import ModelInputs, model_inputs
from gridsurplus.model.solve import solve_inputs
from gridsurplus.planning.run import final_problem, run_plan
from gridsurplus.planning.types import PlanOptions


@dataclass(frozen=True)
class ExportCase:
    """The problem to export and what our own solve of it reached.

    Attributes
    ----------
    inputs : ModelInputs
        The window's inputs, with compute sites (builds free) if the dataset has any.
    fixed_ai_mw : pandas.Series
        Built MW of the sites with an uptime requirement, fixed in the export [MW].
    objective_usd : float
        Objective of our solve of ``inputs``, which PyPSA should reach [USD].
    base_unserved : pandas.DataFrame or None
        ``[time x region]`` demand the grid cannot serve even without compute [MW].
    """

    inputs: ModelInputs
    fixed_ai_mw: pd.Series
    objective_usd: float
    base_unserved: pd.DataFrame | None = None


def compute_inputs_for_export(
    ds: Dataset,
    profiles: xr.Dataset,
    start: str | None = None,
    end: str | None = None,
    programme_mw: float | None = None,
    *,
    workers: int = 2,
    say: Callable[[str], None] | None = None,
) -> ExportCase:
    """The plan's problem, with the values of its final iteration, over a window.

    Runs :func:`gridsurplus.planning.run.run_plan` (sensitivity off) and takes its final siting
    problem: mining valued at the hashprice the fleet's own effect settled on, AI sites to be
    fixed at the MW the plan builds. For the whole year the objective PyPSA must reach is the
    plan's; for a window, our own solve of the window with the same AI builds.

    Parameters
    ----------
    ds : Dataset
        The dataset; without a ``compute_techs`` table the base dispatch is exported.
    profiles : xarray.Dataset
        :func:`gridsurplus.profiles.build_profiles` of ``ds``.
    start, end : str, optional
        First and last day (or hour) of the window, e.g. ``2025-01-01``; default: the year.
    programme_mw : float, optional
        National cap on all compute [MW] (default: the plan's).
    workers : int
        Processes for the plan's decomposition.
    say : callable, optional
        Progress messages.

    Returns
    -------
    ExportCase
        The inputs, the AI builds and the objective our solve reached.

    Raises
    ------
    GridsurplusError
        If the window holds no hour of the reference year.
    """
    whole_year = start is None and end is None
    fixed = pd.Series(dtype=float)
    base_unserved = None
    if "compute_techs" in ds.tables:
        run = run_plan(
            ds,
            PlanOptions(programme_mw=programme_mw, sensitivity="off", workers=workers),
            profiles=profiles,
            progress=say,
        )
        inp = final_problem(run)
        ai = inp.compute.sites.index[inp.compute.sites["uptime"] > 0]  # type: ignore[union-attr]
        assert run.optimum.build is not None
        fixed = run.optimum.build.reindex(ai).clip(lower=0.0) + 0.0  # no -0.0
        objective = run.optimum.objective_usd
        base_unserved = run.base.unserved
    else:
        inp = model_inputs(ds, profiles)
        objective = float("nan")
    if not whole_year:
        keep = inp.snapshots.slice_indexer(start, end)
        if keep.stop - keep.start <= 0:
            raise GridsurplusError(
                f"no hour of {ds.reference_label} ({inp.snapshots[0]:%Y-%m-%d} to "
                f"{inp.snapshots[-1]:%Y-%m-%d}) lies between --start {start} and --end {end}"
            )
        inp = inp.select(slice(start, end))
    if not whole_year or inp.compute is None:
        pinned = inp
        if inp.compute is not None and len(fixed):
            pinned = inp.with_compute(replace(inp.compute, fixed_mw=fixed))
        solved = solve_inputs(pinned)
        objective = solved.objective_usd
        if inp.compute is None:
            base_unserved = solved.unserved
    if base_unserved is not None:
        base_unserved = base_unserved.loc[base_unserved.index.isin(inp.snapshots)]
    return ExportCase(
        inputs=inp, fixed_ai_mw=fixed, objective_usd=objective, base_unserved=base_unserved
    )
