"""What a PyPSA network of the inputs needs besides one component per input row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.errors import GridsurplusError
from gridsurplus.model.inputs import ModelInputs

RESERVE_BUS = "reserve"
CREDIT_BUS = "reserve credit"
TIER_PORT = {"months": "3", "window": "4"}
NO_LIMIT = {
    "hours": 1,
    "cap": np.inf,
    "cap_penalty": np.nan,
    "floor": -np.inf,
    "floor_penalty": np.nan,
}  # a period without a limit on its meter


class PypsaExportError(GridsurplusError, ValueError):
    """The inputs cannot be written as a PyPSA network (the message says what to change)."""


class PypsaExportUnsupported(GridsurplusError, NotImplementedError):
    """The inputs use a model option the PyPSA export cannot encode exactly."""


@dataclass(frozen=True)
class Layout:
    """What the network needs besides one component per input row."""

    reserve_counts: pd.Index  # generator classes counting toward the reserve (empty: none)
    credit: bool  # mining load counts toward the reserve
    limits: pd.DataFrame  # fuel, period, tier, hours, cap, cap_penalty, floor, floor_penalty
    fixed_mw: pd.Series  # compute sites with fixed capacity [MW]
    energy_mwh: pd.Series  # compute sites with an energy requirement > 0 [MWh]


def plan_layout(inp: ModelInputs, fixed_ai_mw: Mapping[str, float] | pd.Series | None) -> Layout:
    """Check the inputs and gather what the network needs besides one component per row."""
    counts = inp.gens.index[inp.gens["counts_for_reserve"].to_numpy(dtype=bool)]
    if float(inp.reserve.max()) <= 0:
        counts = counts[:0]
    c = inp.compute
    credit = bool(
        len(counts)
        and c is not None
        and c.reserve_share > 0
        and (c.sites["kind"] == "mining").any()
    )
    fixed = _fixed_mw(inp, fixed_ai_mw)
    return Layout(
        reserve_counts=counts,
        credit=credit,
        limits=_fuel_limits(inp),
        fixed_mw=fixed,
        energy_mwh=_energy_mwh(inp, fixed),
    )


def _fixed_mw(inp: ModelInputs, fixed_ai_mw: Mapping[str, float] | pd.Series | None) -> pd.Series:
    """Built MW of the sites exported with fixed capacity [MW]."""
    c = inp.compute
    given = pd.Series(dict(fixed_ai_mw if fixed_ai_mw is not None else {}), dtype=float)
    if c is None:
        if len(given):
            raise PypsaExportError("fixed_ai_mw given, but the inputs have no compute sites")
        return given
    sites = c.sites
    if (sites["uptime"] > 1).any():
        raise PypsaExportError("an uptime requirement above 1 cannot be met")
    if c.fixed_mw is not None:
        if len(given):
            raise PypsaExportError(
                "the inputs fix every build already (compute.fixed_mw): leave fixed_ai_mw out"
            )
        fixed = c.fixed_mw.reindex(sites.index)
        if fixed.isna().any():
            free = ", ".join(fixed.index[fixed.isna()])
            raise PypsaExportError(
                f"the inputs fix some builds but leave {free} free (compute.fixed_mw); the export "
                "takes every build fixed, or none fixed with fixed_ai_mw for the AI sites"
            )
        return fixed.astype(float)
    ai = sites.index[sites["uptime"] > 0]
    extra = given.index.difference(ai)
    if len(extra):
        raise PypsaExportError(
            f"fixed_ai_mw names {', '.join(map(str, extra))}, which are not compute sites with "
            "an uptime requirement; only those are fixed, PyPSA sites the others"
        )
    missing = ai.difference(given.index)
    if len(missing) and getattr(c, "uptime_energy_mwh", None) is None:
        raise PypsaExportError(
            f"compute site(s) {', '.join(missing)} have an uptime requirement, which PyPSA "
            "cannot tie to an extendable capacity: pass their built MW as fixed_ai_mw "
            "(e.g. the plan's optimal builds)"
        )
    if given.isna().any() or (given < 0).any():
        raise PypsaExportError("fixed_ai_mw must be numbers >= 0 [MW]")
    over = given[given > sites.loc[given.index, "max_mw"] + 1e-6]
    if len(over):
        raise PypsaExportError(f"fixed_ai_mw exceeds max_mw for {', '.join(over.index)}")
    return given


def _energy_mwh(inp: ModelInputs, fixed: pd.Series) -> pd.Series:
    """Energy each site with an uptime requirement must draw or make up [MWh] (> 0 only)."""
    c = inp.compute
    if c is None:
        return pd.Series(dtype=float)
    sites = c.sites
    ai = sites.index[sites["uptime"] > 0]
    given = getattr(c, "uptime_energy_mwh", None)
    if given is not None:
        energy = given.reindex(ai).fillna(0.0).astype(float)
    else:
        avail = c.availability.sel(site=list(ai)).sum("time").to_series().reindex(ai)
        energy = sites.loc[ai, "uptime"].astype(float) * avail * fixed.reindex(ai)
    return energy[energy > 0]


def uptime_periods(
    inp: ModelInputs, site: str, energy: float, fixed: pd.Series
) -> dict[str, tuple[np.ndarray, float]]:
    """Hours and energy [MWh] of each period over which a site's uptime is kept.

    Monthly uptime (``uptime_period="month"``, the model's default) gives one requirement per
    month, ``uptime * sum_{t in m} availability * MW``; otherwise one over the whole window.
    """
    c = inp.compute
    assert c is not None
    if (
        getattr(c, "uptime_period", "year") != "month"
        or getattr(c, "uptime_energy_mwh", None) is not None
    ):
        return {"window": (np.ones(len(inp.snapshots), bool), energy)}
    avail = c.availability.sel(site=site).to_numpy()
    share = float(c.sites.loc[site, "uptime"]) * float(fixed[site])
    out = {}
    for month in pd.unique(inp.month):
        active = np.asarray(inp.month) == month
        out[str(month)] = (active, share * float(avail[active].sum()))
    return out


def _fuel_limits(inp: ModelInputs) -> pd.DataFrame:
    """One row per fuel and period with its cap and floor [MWh] and their penalties."""
    months = set(inp.month)
    fuels = set(inp.gens["fuel"])
    limits = inp.fuel_limits
    penalties = limits.get("penalty_usd_per_mwh", pd.Series(np.nan, index=limits.index))
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for row, penalty in zip(limits.itertuples(index=False), penalties, strict=True):
        fuel, period, energy = str(row.fuel), str(row.period), float(row.energy_mwh)
        penalty = float(penalty)
        kind = "cap" if row.sense == "<=" else "floor"
        if fuel not in fuels or (period != "year" and period not in months):
            # our model sums no generation here: 0 <= cap, or 0 >= floor
            if (kind == "cap" and energy >= 0) or (kind == "floor" and energy <= 0):
                continue
            if np.isnan(penalty):
                raise PypsaExportError(
                    f"the {fuel} {kind} of {energy:,.0f} MWh in {period} applies to no "
                    "generation modelled and cannot be met"
                )
            raise PypsaExportUnsupported(
                f"the priced {fuel} {kind} in {period} applies to no generation modelled: its "
                "penalty would be a constant, which a PyPSA network cannot carry"
            )
        entry = rows.setdefault(
            (fuel, period),
            {
                "fuel": fuel,
                "period": period,
                "tier": "window" if period == "year" else "months",
                "hours": len(inp.snapshots)
                if period == "year"
                else int((inp.month == period).sum()),
                "cap": np.inf,
                "cap_penalty": np.nan,
                "floor": -np.inf,
                "floor_penalty": np.nan,
            },
        )
        if np.isfinite(entry[kind]) and not (
            np.isnan(penalty) and np.isnan(entry[f"{kind}_penalty"])
        ):
            raise PypsaExportUnsupported(
                f"two {fuel} {kind}s in {period}, one of them priced: give one {kind} per "
                "fuel and period"
            )
        tighter = min if kind == "cap" else max
        entry[kind] = tighter(entry[kind], energy) if np.isfinite(entry[kind]) else energy
        entry[f"{kind}_penalty"] = penalty
    columns = ["fuel", "period", "tier", "hours", "cap", "cap_penalty", "floor", "floor_penalty"]
    return pd.DataFrame(list(rows.values()), columns=columns)
