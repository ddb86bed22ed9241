"""Solve, write and read a PyPSA network of the inputs (netCDF, PyPSA's format)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from gridsurplus.errors import SolverError
from gridsurplus.model.pypsa.network import pypsa_options

if TYPE_CHECKING:
    import pypsa


def pypsa_objective(n: pypsa.Network) -> float:
    """Objective of a solved network on our convention [USD].

    Fuel cost + VOLL * unserved + annuities - value of compute (+ VOLL * shortfall):
    ``n.objective + n.objective_constant``, plus the capital cost of non-extendable
    components, which PyPSA leaves out of its objective (a network from :func:`to_pypsa` has
    none: its fixed capacities are pinned extendables).

    Raises
    ------
    ValueError
        If the network has not been solved.
    """
    if getattr(n, "_objective", None) is None:
        raise ValueError("the network has not been solved: call n.optimize() first")
    total = float(n.objective or 0.0) + float(n.objective_constant or 0.0)
    for static in (n.generators, n.links):
        if static.empty:
            continue
        fixed = ~static["p_nom_extendable"].astype(bool)
        total += float((static["capital_cost"] * static["p_nom"])[fixed].sum())
    return total


def solve_pypsa(n: pypsa.Network, solver_name: str = "highs", **solver_options: Any) -> float:
    """Solve a network with PyPSA alone, quietly, and return :func:`pypsa_objective` [USD].

    PyPSA's own defaults otherwise (``n.optimize()``: the LP goes to HiGHS through a file);
    ``solver_options`` go to ``n.optimize`` (e.g. ``io_api="direct"``).

    Raises
    ------
    SolverError
        If PyPSA finds no optimum.
    """
    from gridsurplus.model.solve import solver_output_to_stderr

    options: dict[str, Any] = {"log_to_console": False, "progress": False}
    options.update(solver_options)
    with pypsa_options(), solver_output_to_stderr():
        status, condition = n.optimize(
            solver_name=solver_name, include_objective_constant=False, **options
        )
    if status != "ok":
        raise SolverError(f"PyPSA found no optimum: status {status}, condition {condition}")
    return pypsa_objective(n)


def write_netcdf(n: pypsa.Network, path: str | Path) -> Path:
    """Write a network to a netCDF file (PyPSA's own format) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    deprecation = getattr(pd.errors, "Pandas4Warning", FutureWarning)
    with pypsa_options(), warnings.catch_warnings():
        # PyPSA 1.4 sets pandas' deprecated 'future.infer_string' option while it writes
        warnings.filterwarnings(
            "ignore", message="The 'future.infer_string' option is deprecated", category=deprecation
        )
        n.export_to_netcdf(path)
    return path


def read_netcdf(path: str | Path) -> pypsa.Network:
    """Read a network written by :func:`write_netcdf` (or any PyPSA netCDF file)."""
    import pypsa

    with pypsa_options(), warnings.catch_warnings():
        # PyPSA 1.4 reads with pandas' deprecated set_index(inplace=True)
        warnings.filterwarnings(
            "ignore", message="The inplace keyword in DataFrame.set_index is deprecated"
        )
        return pypsa.Network(Path(path))
