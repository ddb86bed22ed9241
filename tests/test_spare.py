"""Spare capacity by min-cut, checked by hand and against a linear program."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gridsurplus.model.inputs import model_inputs
from gridsurplus.profiles import build_profiles
from gridsurplus.surplus.dispatch import run_dispatch
from gridsurplus.surplus.spare import max_new_load, spare_capacity


def test_max_new_load_on_a_triangle_by_hand() -> None:
    # a has 100 spare, b 0, c 20; arcs a->b 30, b->c 25, a->c 10 (and nothing backwards)
    head = np.array([[100.0], [0.0], [20.0]])
    arcs = [(0, 1), (1, 0), (1, 2), (2, 1), (0, 2), (2, 0)]
    res = np.array([[30.0], [0.0], [25.0], [0.0], [10.0], [0.0]])
    out = max_new_load(head, res, arcs, ["a", "b", "c"])
    # to a: all 100 of a (c cannot send back); to b: only via a->b = 30;
    # to c: own 20 + a->c 10 + a->b->c min(30, 25) = 55
    assert out[:, 0].tolist() == [100.0, 30.0, 55.0]


def test_spare_capacity_agrees_with_a_linear_program(toy_dataset) -> None:
    """For sample hours, the largest extra load a region can take, solved as an LP."""
    import linopy

    from gridsurplus.dataset import load_dataset

    ds = load_dataset(toy_dataset)
    inp = model_inputs(ds, build_profiles(ds))
    week = inp.select(slice("2025-01-06", "2025-01-06 23:00"))
    base = run_dispatch(ds, inputs=week).solution
    spare = spare_capacity(week, base)
    head = (week.p_max.transpose("time", "gen").to_pandas() - base.generation).clip(lower=0)
    head.loc[:, "NORTH-hydro"] = 0.0  # reservoir water already allotted
    for hour in (0, 9, 19):
        t = week.snapshots[hour]
        for region in week.regions:
            m = linopy.Model()
            extra_gen = m.add_variables(lower=0, upper=head.loc[t].to_xarray(), name="x")
            # extra flow on top of the base flow, within each link's ratings
            flow = m.add_variables(
                lower=-(week.links["capacity_reverse_mw"] + base.flow.loc[t]).to_xarray(),
                upper=(week.links["capacity_mw"] - base.flow.loc[t]).to_xarray(),
                name="f",
            )
            load = m.add_variables(lower=0, name="load")
            for r in week.regions:
                gens = list(week.gens.index[week.gens["region"] == r])
                into = [lk for lk, row in week.links.iterrows() if row["to_region"] == r]
                out = [lk for lk, row in week.links.iterrows() if row["from_region"] == r]
                expr = (
                    extra_gen.sel(gen=gens).sum()
                    + flow.sel(link=into).sum()
                    - flow.sel(link=out).sum()
                )
                if r == region:
                    expr = expr - load
                m.add_constraints(expr == 0, name=f"bal_{r}")
            reserve_units = list(week.gens.index[week.gens["counts_for_reserve"]])
            spare_res = float(
                (week.p_max.sel(time=t).to_pandas() - base.generation.loc[t])[reserve_units].sum()
            )
            m.add_constraints(
                extra_gen.sel(gen=reserve_units).sum()
                <= spare_res - float(week.reserve.sel(time=t)),
                name="reserve",
            )
            m.add_objective(-1 * load)
            m.solve(solver_name="highs", output_flag=False, progress=False)
            assert float(load.solution) == pytest.approx(spare.loc[t, region], abs=1e-6), (
                t,
                region,
            )


def test_spare_at_a_lower_price_is_never_more(toy_dataset) -> None:
    from gridsurplus.dataset import load_dataset

    ds = load_dataset(toy_dataset)
    d = run_dispatch(ds)
    by_cost = spare_capacity(d.inputs, d.solution, [0.0, 30.0, 100.0, np.inf])
    for low, high in ((0.0, 30.0), (30.0, 100.0), (100.0, np.inf)):
        assert (by_cost[low] <= by_cost[high] + 1e-9).all().all()
    assert isinstance(by_cost.columns, pd.MultiIndex)
