"""Re-derive the energy balance of every region and hour from a solution, independently of the code."""

from __future__ import annotations

import numpy as np
import pandas as pd


def balance_residual(inp, sol) -> float:  # type: ignore[no-untyped-def]
    """Largest |generation + imports - exports + unserved - compute - demand| [MW]."""
    gen = (
        sol.generation.T.groupby(inp.gens["region"])
        .sum()
        .T.reindex(columns=inp.regions, fill_value=0.0)
    )
    net = gen * 0.0
    for link, row in inp.links.iterrows():
        f = sol.flow[link]
        loss = float(row["loss_fraction"])
        net[row["from_region"]] -= f.clip(lower=0) - (1 - loss) * (-f).clip(lower=0)
        net[row["to_region"]] += (1 - loss) * f.clip(lower=0) - (-f).clip(lower=0)
    compute = pd.DataFrame(0.0, index=gen.index, columns=inp.regions)
    if sol.consume is not None:
        c = sol.consume.T.groupby(inp.compute.sites["region"]).sum().T
        compute = c.reindex(columns=inp.regions, fill_value=0.0)
    demand = inp.demand.transpose("time", "region").to_pandas()
    return float(np.abs((gen + net + sol.unserved - compute - demand).to_numpy()).max())
