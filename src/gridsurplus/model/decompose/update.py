"""New values for a month model: what changes between solves of the same problem."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True)
class MonthUpdate:
    """New values for every month, each array over the whole year (None: unchanged).

    Attributes
    ----------
    value : numpy.ndarray or None
        ``[time, site]`` compute value [USD/MWh], before the mining factor.
    allowed : numpy.ndarray or None
        ``[time, site]`` whether a site may draw power that hour.
    gen_cost : numpy.ndarray or None
        ``[gen]`` variable cost [USD/MWh].
    demand : numpy.ndarray or None
        ``[time, region]`` demand [MW].
    unserved_max : numpy.ndarray or None
        ``[time, region]`` most demand that may go unserved [MW] (the base dispatch's; ``inf``:
        no bound); compute draws nothing where it is above zero.
    """

    value: np.ndarray | None = None
    allowed: np.ndarray | None = None
    gen_cost: np.ndarray | None = None
    demand: np.ndarray | None = None
    unserved_max: np.ndarray | None = None

    def items(self) -> list[tuple[str, np.ndarray]]:
        """The fields given, as (name, array)."""
        given = [(f.name, getattr(self, f.name)) for f in fields(self)]
        return [(name, value) for name, value in given if value is not None]


__all__ = ["MonthUpdate"]
