"""The plan stage: where compute goes, how it runs, who earns what, and how robust it is.

Modules, imports running one way (each imports only those above it):

- :mod:`~gridsurplus.planning.types`: :class:`PlanOptions`, :class:`Lens`, :class:`PlanRun`,
  :class:`PlanError` (imports no sibling);
- :mod:`~gridsurplus.planning.sites`: candidate sites, their values and the posted tariff;
- :mod:`~gridsurplus.planning.solver`: one problem solved again and again, months kept warm;
- :mod:`~gridsurplus.planning.fleet`: the mining fleet's own effect, to a fixed point;
- :mod:`~gridsurplus.planning.pnl`: who earns what (the grid, the operators, the nation);
- :mod:`~gridsurplus.planning.assumptions`, :mod:`~gridsurplus.planning.tables`: the
  :class:`~gridsurplus.results.Plan`'s tables and headline;
- :mod:`~gridsurplus.planning.sensitivity`: the tornado's cases, one function per parameter;
- :mod:`~gridsurplus.planning.run`: :func:`plan` and :func:`run_plan`, the stages in order;
- :mod:`~gridsurplus.planning.export`: the plan's final problem, for PyPSA.

The package is ``planning`` rather than ``plan`` so that ``gridsurplus.plan`` stays the public
function: Python binds an imported subpackage as an attribute of its parent, which would
replace ``gs.plan`` by the package.
"""

from __future__ import annotations

from gridsurplus.planning.run import final_problem, plan, run_plan
from gridsurplus.planning.types import (
    DEFAULT_PROGRAMME_MW,
    METHODS,
    Lens,
    PlanError,
    PlanOptions,
    PlanRun,
)

__all__ = [
    "DEFAULT_PROGRAMME_MW",
    "METHODS",
    "Lens",
    "PlanError",
    "PlanOptions",
    "PlanRun",
    "final_problem",
    "plan",
    "run_plan",
]
