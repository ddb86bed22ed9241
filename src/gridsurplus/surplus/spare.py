"""Spare capacity a new load could use, per region and hour, after demand and reserve.

Given a solved base dispatch, each plant class has headroom (available output it does not
use). A new load in region ``r`` can draw on headroom anywhere the links' unused capacity can
carry it. That amount is a maximum flow from the headroom to ``r``; by the max-flow/min-cut
theorem it equals the smallest cut:

``spare[r, t] = min over node sets B containing r of
(sum_{n in B} headroom[n, t] + sum_{links a -> b, a not in B, b in B} residual[a -> b, t])``

With ten or so regions every cut can be enumerated, and all hours are evaluated at once as two
matrix products, so the exact answer costs a second or two for a year.

Headroom counts only where energy is available: plants of a fuel whose monthly cap binds, and
reservoir hydro whose water is already allotted, add nothing. The operating reserve stays
untouched: reserve-capable plants give at most their spare above the reserve requirement.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import Solution

MAX_REGIONS_FOR_CUTS = 16


def usable_headroom(inp: ModelInputs, sol: Solution) -> pd.DataFrame:
    """Headroom [MW] of each generator class that a new load could use, hour by hour.

    Returns
    -------
    pandas.DataFrame
        ``[time x gen]``: ``p_max - generation`` where the class has energy to spare, else 0.
    """
    p_max = inp.p_max.transpose("time", "gen").to_pandas()
    head = (p_max - sol.generation).clip(lower=0.0)
    budgeted = [
        g for g in inp.budget.coords["gen"].values if bool(inp.budget.sel(gen=g).notnull().any())
    ]
    head[budgeted] = 0.0
    months = pd.Series(inp.month, index=inp.snapshots)
    for row in inp.fuel_limits[inp.fuel_limits["sense"] == "<="].itertuples(index=False):
        gens = list(inp.gens.index[inp.gens["fuel"] == row.fuel])
        hours = (
            inp.snapshots
            if row.period == "year"
            else inp.snapshots[months.to_numpy() == row.period]
        )
        used = float(sol.generation.loc[hours, gens].to_numpy().sum())
        if used >= row.energy_mwh * (1.0 - 1e-6):
            head.loc[hours, gens] = 0.0
    return head


def _cuts(regions: list[str], sink: str) -> np.ndarray:
    """All node sets containing ``sink`` as a boolean matrix ``[cut, region]``."""
    others = [r for r in regions if r != sink]
    rows = []
    for bits in itertools.product((False, True), repeat=len(others)):
        member = dict(zip(others, bits, strict=True))
        member[sink] = True
        rows.append([member[r] for r in regions])
    return np.array(rows, dtype=bool)


def residual_capacity(inp: ModelInputs, sol: Solution) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Unused link capacity [MW] per direction and hour.

    Returns
    -------
    tuple
        ``residual[arc, time]`` and the arcs as ``(from_index, to_index)`` into ``inp.regions``.
        A link's two directions are two arcs; moving more power against the present flow first
        undoes that flow, so it may use the flow plus the reverse rating.
    """
    regions = inp.regions
    arcs, res = [], []
    for link, row in inp.links.iterrows():
        a, b = regions.index(row["from_region"]), regions.index(row["to_region"])
        f = sol.flow[link].to_numpy()
        loss = float(row["loss_fraction"])
        arcs.append((a, b))
        res.append(np.clip(row["capacity_mw"] - f, 0.0, None) * (1.0 - loss))
        arcs.append((b, a))
        res.append(np.clip(row["capacity_reverse_mw"] + f, 0.0, None) * (1.0 - loss))
    return np.array(res), arcs


def max_new_load(
    headroom_by_region: np.ndarray,
    residual: np.ndarray,
    arcs: list[tuple[int, int]],
    regions: list[str],
) -> np.ndarray:
    """Largest new load each region could take alone, hour by hour [MW].

    Parameters
    ----------
    headroom_by_region : numpy.ndarray
        ``[region, time]`` spare generation in each region [MW], or ``[level, region, time]``
        for several headroom cases over the same network (e.g. several cost thresholds).
    residual : numpy.ndarray
        ``[arc, time]`` unused capacity of each directed arc [MW].
    arcs : list of (int, int)
        ``(from, to)`` region indices of each arc.
    regions : list of str
        Region ids (the order of the region axis).

    Returns
    -------
    numpy.ndarray
        Same shape as ``headroom_by_region``: maximum flow from all headroom to each region.

    Examples
    --------
    Two regions, 100 MW spare in ``a``, 10 MW in ``b``, a 30 MW link ``a -> b``:

    >>> max_new_load(np.array([[100.0], [10.0]]), np.array([[30.0], [0.0]]), [(0, 1), (1, 0)],
    ...              ["a", "b"])
    array([[100.],
           [ 40.]])
    """
    if len(regions) > MAX_REGIONS_FOR_CUTS:
        raise ValueError(
            f"spare capacity by enumeration of cuts handles up to {MAX_REGIONS_FOR_CUTS} "
            f"regions, this network has {len(regions)}"
        )
    stacked = headroom_by_region if headroom_by_region.ndim == 3 else headroom_by_region[None]
    out = np.empty_like(stacked)
    for k, sink in enumerate(regions):
        cuts = _cuts(regions, sink)
        crossing = np.array(
            [[(not cut[a]) and cut[b] for a, b in arcs] for cut in cuts], dtype=float
        )
        links = crossing @ residual
        members = cuts.astype(float)
        for level in range(stacked.shape[0]):
            out[level, k] = (members @ stacked[level] + links).min(axis=0)
    return out if headroom_by_region.ndim == 3 else out[0]


def spare_capacity(
    inp: ModelInputs, sol: Solution, max_cost_usd_per_mwh: float | list[float] = np.inf
) -> pd.DataFrame:
    """Spare capacity [MW] per region and hour from plants costing at most ``max_cost``.

    Parameters
    ----------
    inp : ModelInputs
        Inputs of the base dispatch.
    sol : Solution
        Its solution.
    max_cost_usd_per_mwh : float or list of float
        Only headroom of plants with a marginal cost at or below this counts [USD/MWh]; a list
        evaluates several thresholds at once.

    Returns
    -------
    pandas.DataFrame
        ``[time x region]`` the largest new load each region could take alone, and a
        ``national`` column: the most the whole country could take if the load sat where the
        spare is. With a list of costs, the columns carry a first level ``max_cost``.
    """
    scalar = isinstance(max_cost_usd_per_mwh, (int, float))
    levels: list[float] = (
        [float(max_cost_usd_per_mwh)] if scalar else [float(x) for x in max_cost_usd_per_mwh]  # type: ignore[arg-type, union-attr]
    )
    head = usable_headroom(inp, sol)
    gens = inp.gens
    res_units = gens["counts_for_reserve"].to_numpy()
    reserve = inp.reserve.to_pandas().reindex(inp.snapshots).to_numpy()
    p_max = inp.p_max.transpose("time", "gen").to_pandas()
    reserve_headroom = (
        (p_max - sol.generation).clip(lower=0.0).loc[:, res_units].sum(axis=1).to_numpy()
    )
    above_reserve = np.clip(reserve_headroom - reserve, 0.0, None)
    stacked, nationals = [], []
    for level in levels:
        cheap = (gens["cost_usd_per_mwh"] <= level).to_numpy()
        h_res = head.loc[:, cheap & res_units].sum(axis=1).to_numpy()
        h_free = head.loc[:, cheap & ~res_units].sum(axis=1).to_numpy()
        nationals.append(np.minimum(h_res, above_reserve) + h_free)
        masked = head.loc[:, cheap]
        by_region = (
            masked.T.groupby(gens.loc[cheap, "region"]).sum().reindex(inp.regions).fillna(0.0)
        )
        stacked.append(by_region.to_numpy())
    residual, arcs = residual_capacity(inp, sol)
    regional = max_new_load(np.stack(stacked), residual, arcs, inp.regions)
    frames = []
    for i, national in enumerate(nationals):
        frame = pd.DataFrame(
            np.minimum(regional[i], national[None, :]).T, index=inp.snapshots, columns=inp.regions
        )
        frame["national"] = national
        frames.append(frame)
    if scalar:
        return frames[0]
    return pd.concat(frames, axis=1, keys=levels, names=["max_cost", "region"])
