"""The order in which a sweep plans its scenarios: each next to one that differs little.

A worker keeps its month models and their basis from one scenario to the next
(:mod:`gridsurplus.model.decompose.kept`); the closer two consecutive scenarios, the fewer
simplex iterations the second takes. :func:`warm_order` chains the scenarios greedily, each
followed by the nearest one not yet planned, in the inputs scaled to their ranks (so a price
in USD and a share in percent count alike). The order changes only speed: every scenario is
planned to the same optimum whatever comes before it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def warm_order(scenarios: pd.DataFrame, weights: dict[str, float] | None = None) -> list[str]:
    """Scenario ids in a nearest-neighbour chain over their input values.

    Parameters
    ----------
    scenarios : pandas.DataFrame
        One row per scenario (index: scenario id), one column per input.
    weights : dict, optional
        Weight of an input in the distance (default 1 each; 0 leaves it out).

    Returns
    -------
    list of str
        The ids, starting from the scenario nearest the middle of all.

    >>> frame = pd.DataFrame({"x": [0.0, 10.0, 1.0, 9.0, 5.0]}, index=list("abcde"))
    >>> warm_order(frame)
    ['e', 'c', 'a', 'd', 'b']
    """
    ids = [str(i) for i in scenarios.index]
    if len(ids) <= 2:
        return ids
    numeric = scenarios.apply(pd.to_numeric, errors="coerce")
    ranks = numeric.rank(pct=True).fillna(0.5).to_numpy(float)
    w = np.array([(weights or {}).get(str(c), 1.0) for c in scenarios.columns], float)
    x = ranks * w[None, :]
    left = np.ones(len(ids), bool)
    current = int(np.argmin(((x - np.median(x, axis=0)) ** 2).sum(axis=1)))
    order = [current]
    left[current] = False
    for _ in range(len(ids) - 1):
        d = ((x - x[current]) ** 2).sum(axis=1)
        d[~left] = np.inf
        current = int(np.argmin(d))
        order.append(current)
        left[current] = False
    return [ids[i] for i in order]


__all__ = ["warm_order"]
