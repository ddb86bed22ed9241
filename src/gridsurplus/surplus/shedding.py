"""Where and when the grid itself cannot serve its demand (the base dispatch sheds load).

Every command that solves the grid says so on stderr and keeps going: a region with demand
and no plants or links, links at 0 MW, or demand far above capacity all leave demand unserved
before any compute is built. Compute never adds to it (see :mod:`gridsurplus.model.build`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gridsurplus.model.build import SHED_MW

WORST_HOURS = 3
"""How many of the worst hours a warning names."""


@dataclass(frozen=True)
class RegionShedding:
    """Demand one region cannot serve in the base dispatch.

    Attributes
    ----------
    region : str
        The region.
    hours : int
        Hours in which it sheds demand [h].
    energy_gwh : float
        Demand left unserved [GWh].
    worst : list of tuple
        The worst hours, as (hour, unserved MW), largest first.
    """

    region: str
    hours: int
    energy_gwh: float
    worst: list[tuple[pd.Timestamp, float]]

    def to_dict(self) -> dict[str, object]:
        """As ``plan.json`` holds it."""
        return {
            "region": self.region,
            "hours": self.hours,
            "energy_gwh": self.energy_gwh,
            "worst_hours": [{"time": str(t), "unserved_mw": mw} for t, mw in self.worst],
        }


def shedding_by_region(unserved: pd.DataFrame) -> list[RegionShedding]:
    """The regions that shed demand, from an hourly ``[time x region]`` unserved table [MW].

    >>> idx = pd.date_range("2025-01-01", periods=3, freq="h")
    >>> u = pd.DataFrame({"A": [0.0, 5.0, 2.0], "B": [0.0, 0.0, 0.0]}, index=idx)
    >>> [(s.region, s.hours, s.energy_gwh) for s in shedding_by_region(u)]
    [('A', 2, 0.007)]
    """
    out = []
    for region in unserved.columns:
        mw = unserved[region]
        shed = mw[mw > SHED_MW]
        if shed.empty:
            continue
        worst = shed.sort_values(ascending=False).head(WORST_HOURS)
        out.append(
            RegionShedding(
                region=str(region),
                hours=len(shed),
                energy_gwh=float(shed.sum()) / 1000.0,
                worst=[(pd.Timestamp(t), round(float(v), 1)) for t, v in worst.items()],
            )
        )
    return out


def shedding_warning(unserved: pd.DataFrame) -> str | None:
    """A warning naming the regions, hours and GWh the grid cannot serve (None if none).

    >>> idx = pd.date_range("2025-01-01", periods=2, freq="h")
    >>> print(shedding_warning(pd.DataFrame({"A": [0.0, 5.0]}, index=idx)))
    warning: the grid cannot serve all its demand even without compute (0.005 GWh unserved in \
the base dispatch); compute is never run where it sheds:
      A: 1 h, 0.005 GWh; worst 2025-01-01 01:00 (5.0 MW)
    """
    return warning_text([r.to_dict() for r in shedding_by_region(unserved)])


def warning_text(regions: list[dict[str, object]]) -> str | None:
    """:func:`shedding_warning` from the regions as ``plan.json`` holds them (``base_shedding``)."""
    if not regions:
        return None
    total = sum(float(r["energy_gwh"]) for r in regions)  # type: ignore[arg-type,misc]
    lines = [
        "warning: the grid cannot serve all its demand even without compute "
        f"({total:,.3f} GWh unserved in the base dispatch); compute is never run where it sheds:"
    ]
    for r in regions:
        worst = ", ".join(
            f"{str(w['time'])[:16]} ({float(w['unserved_mw']):,.1f} MW)"
            for w in r["worst_hours"]  # type: ignore[attr-defined]
        )
        lines.append(
            f"  {r['region']}: {int(r['hours']):,} h, {float(r['energy_gwh']):,.3f} GWh; "  # type: ignore[call-overload,arg-type]
            f"worst {worst}"
        )
    return "\n".join(lines)
