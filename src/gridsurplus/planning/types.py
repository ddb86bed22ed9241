"""What a plan is asked and what it keeps: options, lenses, the run (imports no sibling)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import xarray as xr

from gridsurplus.dataset import Dataset
from gridsurplus.errors import InputError
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import Solution

DEFAULT_PROGRAMME_MW = 2000.0
"""Pakistan's first phase (Finance Ministry, May 2025)."""
METHODS = ("decomposed", "monolithic")
SENSITIVITY_MODES = ("fixed", "free", "off")
UPTIME_PERIODS = ("month", "year")
FLEET_TOLERANCE = 0.005
"""Stop iterating the fleet's own effect when the mining MW change by less than this share."""


class PlanError(InputError):
    """A plan cannot be made with these options; the message says which and why."""


@dataclass
class PlanOptions:
    """How to plan.

    Attributes
    ----------
    tariff : Tariff or None
        Posted tariff for the second lens (default: the dataset's ``tariff_flat`` market row,
        Rs 23/kWh for Pakistan).
    programme_mw : float or None
        National cap on all compute [MW] (default ``dataset.yaml: programme_mw`` or 2,000).
    techs : list of str or None
        Compute technologies to consider (default: every row of ``compute_techs``).
    method : {"decomposed", "monolithic"}
        Month-by-month Benders decomposition (default), or one LP for all hours.
    workers : int
        Processes solving months in parallel.
    markets : dict or None
        Overrides of market inputs, as :func:`compute_values` takes them.
    sensitivity : {"fixed", "free", "off"}
        Re-solve each sensitivity case with the sites fixed at the plan's (fast) or sited
        afresh, or skip the sensitivity table.
    sensitivity_ranges : dict or None
        Low and high value of each sensitivity parameter (see
        :mod:`gridsurplus.planning.sensitivity`).
    solver_name : str
        Solver for the monolithic method (the decomposition uses HiGHS).
    tol : float
        Relative gap at which the decomposition stops.
    uptime_period : {"month", "year"}
        Keep the AI tiers' uptime every month (as service-level agreements measure it, the
        default) or over the year.
    mining_reserve_share : float
        Share of the operating reserve that interruptible mining may provide (0 by default:
        the reserve is kept by plants alone).
    window : slice or None
        Plan only these hours of the reference year, e.g. ``slice("2025-01-01",
        "2025-02-28")`` (:meth:`ModelInputs.select`: monthly budgets pro rata); default the
        whole year. For tests and quick looks.
    fixed_mw : pandas.Series or None
        MW built per site (index ``tech@region``; sites left out build nothing): the plan
        keeps these sites and solves only how they run (the fleet effect and both lenses as
        usual). Default None: the plan sites compute itself.
    """

    tariff: Any = None
    programme_mw: float | None = None
    techs: list[str] | None = None
    method: str = "decomposed"
    workers: int = field(default_factory=lambda: min(2, os.cpu_count() or 1))
    markets: dict[str, Any] | None = None
    sensitivity: str = "fixed"
    sensitivity_ranges: dict[str, tuple[float, float]] | None = None
    solver_name: str = "highs"
    tol: float = 1e-6
    uptime_period: str = "month"
    mining_reserve_share: float = 0.0
    window: slice | None = None
    fixed_mw: pd.Series | None = None


@dataclass
class Lens:
    """A solution seen under one pricing lens."""

    name: str
    solution: Solution
    price_usd_per_mwh: pd.DataFrame  # [time x region] what compute pays
    value_usd_per_mwh: pd.DataFrame  # [time x site] what compute earns per MWh


@dataclass
class PlanRun:
    """Everything a plan computed, before it is turned into tables."""

    ds: Dataset
    options: PlanOptions
    inputs: ModelInputs  # with compute, builds free
    values: xr.Dataset
    base: Solution
    optimum: Solution
    lenses: dict[str, Lens]
    fleet_factor: float
    fleet_iterations: list[dict[str, float]]
    tariff_usd_per_mwh: pd.DataFrame  # [time x region]
    seconds: dict[str, float]
    method_info: dict[str, Any]
    sensitivity: pd.DataFrame | None = None
    profiles: xr.Dataset | None = None
