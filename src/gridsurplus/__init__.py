"""gridsurplus: sell a grid's surplus electricity to Bitcoin miners and AI data centres.

The public API. Each stage is a plain function of the one before it::

    ds = load_dataset()                 # the embedded Pakistan dataset
    prof = build_profiles(ds)           # 8760-hour demand, hydro, wind, solar, temperature
    result = assess_surplus(ds)         # base dispatch, spare capacity, marginal cost, headroom

Heavy libraries (linopy, HiGHS, plotly) are imported only when a stage needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gridsurplus.dataset import Dataset, load_dataset
from gridsurplus.errors import DatasetError, InfeasibleError, SolverError

__version__ = "0.1.0"

_LAZY = {
    "build_profiles": "gridsurplus.profiles",
    "assess_surplus": "gridsurplus.surplus",
    "run_dispatch": "gridsurplus.surplus.dispatch",
    "curtailment_headroom": "gridsurplus.surplus.headroom",
    "plan": "gridsurplus.planning.run",
    "sweep": "gridsurplus.scenarios.runner",
}

if TYPE_CHECKING:  # pragma: no cover
    pass


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'gridsurplus' has no attribute '{name}'")


__all__ = [
    "Dataset",
    "DatasetError",
    "InfeasibleError",
    "SolverError",
    "__version__",
    "load_dataset",
    *_LAZY,
]
