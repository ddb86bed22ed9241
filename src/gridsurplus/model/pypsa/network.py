"""The recipe run in order: :func:`to_pypsa`, the inputs as one PyPSA network."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from gridsurplus.model.build import check_coords
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.pypsa.components import (
    add_carriers,
    add_fuel_meters,
    add_generators,
    add_regions,
    add_reserve,
    add_transmission,
)
from gridsurplus.model.pypsa.compute import add_compute
from gridsurplus.model.pypsa.layout import (
    plan_layout,
)

if TYPE_CHECKING:
    import pypsa


@contextlib.contextmanager
def pypsa_options() -> Iterator[None]:
    """Run PyPSA quietly: its string handling kept explicitly, INFO messages held back.

    PyPSA 1.4 warns that it converts pandas 3 strings unless told to; its and linopy's
    progress messages go to the root logger at INFO, which PyPSA configures itself.
    """
    import pypsa

    loggers = [logging.getLogger(name) for name in ("pypsa", "linopy")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    try:
        with pypsa.option_context("api.legacy_string_dtype", True):
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def to_pypsa(
    inp: ModelInputs, fixed_ai_mw: Mapping[str, float] | pd.Series | None = None
) -> pypsa.Network:
    """Write the model of ``inp`` as a PyPSA network with the same optimum.

    Parameters
    ----------
    inp : ModelInputs
        What to model (the base dispatch, or with compute sites).
    fixed_ai_mw : mapping or pandas.Series, optional
        Built MW of the compute sites with an uptime requirement [MW], e.g. the plan's optimal
        builds. Required for every such site unless the inputs give the requirement as energy
        (``uptime_energy_mwh``) or fix every build already (``fixed_mw``).

    Returns
    -------
    pypsa.Network
        Not solved; ``n.meta["gridsurplus"]`` records the window and the fixed MW.

    Raises
    ------
    PypsaExportError
        If AI sites lack fixed MW, or the inputs cannot be met.
    PypsaExportUnsupported
        If the programme cap spans two kinds of compute that are both sited freely, or a
        fuel limit repeats with penalties.

    Examples
    --------
    >>> from gridsurplus.model.examples import two_hours
    >>> inp = two_hours()
    >>> n = to_pypsa(inp)
    >>> sorted(n.generators.index), list(n.loads.index)
    (['coal', 'unserved A'], ['demand A'])
    >>> to_pypsa(two_hours(ai=True))
    Traceback (most recent call last):
    ...
    gridsurplus.model.pypsa.layout.PypsaExportError: compute site(s) dc@A have an uptime ...
    >>> n = to_pypsa(two_hours(ai=True), fixed_ai_mw={"dc@A": 10.0})
    >>> site = n.links.loc["dc@A"]
    >>> site["bus0"], site["bus1"], float(site["p_nom_min"]), float(site["p_nom_max"])
    ('A', 'dc@A uptime', 10.0, 10.0)
    """
    import pypsa

    check_coords(inp)
    layout = plan_layout(inp, fixed_ai_mw)
    with pypsa_options():
        n = pypsa.Network(name="gridsurplus")
        n.set_snapshots(inp.snapshots)
        add_carriers(n, inp)
        add_regions(n, inp)
        add_transmission(n, inp)
        add_reserve(n, inp, layout)
        add_fuel_meters(n, inp, layout)
        add_generators(n, inp, layout)
        add_compute(n, inp, layout)
    n.meta = {
        "gridsurplus": {
            "objective": "n.objective + n.objective_constant = fuel cost + VOLL * unserved "
            "+ annuities - value of compute + VOLL * shortfall [USD]",
            "start": str(inp.snapshots[0]),
            "end": str(inp.snapshots[-1]),
            "fixed_mw": {str(k): float(v) for k, v in layout.fixed_mw.items()},
        }
    }
    return n
