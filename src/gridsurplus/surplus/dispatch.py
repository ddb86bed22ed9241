"""The base economic dispatch of the reference year, and how it compares with the real year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import xarray as xr

from gridsurplus.dataset import Dataset
from gridsurplus.model.inputs import ModelInputs, model_inputs
from gridsurplus.model.solve import DEFAULT_SOLVER, Solution, solve_inputs


def net_import_mw(links: pd.DataFrame, regions: list[str], flow: pd.DataFrame) -> pd.DataFrame:
    """Power each region receives over its links, net of what it sends [MW].

    Parameters
    ----------
    links : pandas.DataFrame
        ``from_region``, ``to_region`` and ``loss_fraction`` per link.
    regions : list of str
        Region ids (the columns of the result).
    flow : pandas.DataFrame
        ``[time x link]`` flows, positive from ``from_region`` to ``to_region`` [MW].

    Returns
    -------
    pandas.DataFrame
        ``[time x region]``; the receiving end gets ``1 - loss`` of what is sent.
    """
    net = pd.DataFrame(0.0, index=flow.index, columns=regions)
    for link, row in links.iterrows():
        forward, backward = flow[link].clip(lower=0.0), (-flow[link]).clip(lower=0.0)
        keep = 1.0 - float(row["loss_fraction"])
        net[row["from_region"]] += keep * backward - forward
        net[row["to_region"]] += keep * forward - backward
    return net


@dataclass
class DispatchResult:
    """A solved dispatch with the inputs it was solved for."""

    inputs: ModelInputs
    solution: Solution

    def generation_by(self, column: str = "mix_group") -> pd.DataFrame:
        """Hourly generation [MW] summed by a column of the generator table (fuel, region, ...)."""
        gens = self.inputs.gens
        return self.solution.generation.T.groupby(gens[column]).sum().T

    def annual_gwh_by(self, column: str = "mix_group") -> pd.Series:
        """Energy generated in the window [GWh] by a column of the generator table."""
        return self.generation_by(column).sum() / 1000.0

    def monthly_gwh(self) -> pd.Series:
        """Energy generated per month [GWh]."""
        total = self.solution.generation.sum(axis=1)
        return total.groupby(self.inputs.month).sum() / 1000.0

    @property
    def total_gwh(self) -> float:
        """Energy generated in the window [GWh]."""
        return float(self.solution.generation.to_numpy().sum() / 1000.0)

    @property
    def fuel_cost_usd(self) -> float:
        """Fuel (variable) cost of the dispatch [USD]."""
        cost = self.inputs.gens["cost_usd_per_mwh"]
        return float((self.solution.generation.sum() * cost).sum())


def run_dispatch(
    ds: Dataset,
    profiles: xr.Dataset | None = None,
    *,
    inputs: ModelInputs | None = None,
    solver_name: str = DEFAULT_SOLVER,
    **solver_options: Any,
) -> DispatchResult:
    """Solve the base economic dispatch (no compute) of the dataset's reference year.

    Parameters
    ----------
    ds : Dataset
        The dataset.
    profiles : xarray.Dataset, optional
        Its hourly profiles (built if not given).
    inputs : ModelInputs, optional
        Model inputs to use instead of building them (e.g. a window of the year).
    solver_name : str
        Solver (default HiGHS).
    **solver_options
        Passed to the solver.

    Returns
    -------
    DispatchResult
        Generation, flows, unserved demand and nodal marginal costs, hour by hour.
    """
    if inputs is None:
        if profiles is None:
            from gridsurplus.profiles import build_profiles

            profiles = build_profiles(ds)
        inputs = model_inputs(ds, profiles)
    solution = solve_inputs(inputs.with_compute(None), solver_name, **solver_options)
    return DispatchResult(inputs=inputs, solution=solution)


def calibration(ds: Dataset, result: DispatchResult) -> dict[str, Any]:
    """Compare the base dispatch with the published figures of the reference year.

    Returns
    -------
    dict
        ``annual`` (model and published GWh, error %), ``monthly`` (per month: model,
        published, error %), ``mix`` (per group: model and published share %, difference in
        percentage points). Published figures come from the dataset's ``demand_monthly`` and
        ``reference_mix`` tables.
    """
    published = ds.table("demand_monthly").set_index("month")["energy_gwh"]
    model_monthly = result.monthly_gwh().reindex(published.index)
    monthly = pd.DataFrame({"model_gwh": model_monthly, "published_gwh": published})
    monthly["error_pct"] = 100.0 * (monthly["model_gwh"] / monthly["published_gwh"] - 1.0)
    by_group = result.annual_gwh_by("mix_group")
    share = 100.0 * by_group / by_group.sum()
    out: dict[str, Any] = {
        "annual": {
            "model_gwh": result.total_gwh,
            "published_gwh": float(published.sum()),
            "error_pct": 100.0 * (result.total_gwh / float(published.sum()) - 1.0),
        },
        "monthly": monthly.round(3).to_dict(orient="index"),
    }
    if "reference_mix" in ds.tables:
        ref = ds.table("reference_mix").set_index("mix_group")["share_pct"]
        groups = sorted(set(ref.index) | set(share.index))
        mix = pd.DataFrame(
            {"model_pct": share.reindex(groups).fillna(0.0), "published_pct": ref.reindex(groups)}
        )
        mix["difference_pp"] = mix["model_pct"] - mix["published_pct"]
        out["mix"] = mix.round(3).to_dict(orient="index")
    return out
