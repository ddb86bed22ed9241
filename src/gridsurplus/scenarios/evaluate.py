"""One scenario's plan and its summary row: the only module of the sweep that calls the planner.

:func:`evaluate` applies a scenario's values to the base inputs, plans it and turns the plan's
headline into one flat row (inputs, MW by site, energy, the grid's, the operators' and the
nation's accounts, solve seconds) plus a small table of every candidate site. It never raises:
a scenario that fails (infeasible, solver error, an input the planner lacks) comes back with
``status = "failed"`` and its reason.

Sites free: the whole plan (:func:`gridsurplus.plan`). Sites fixed: the plan's stages with the
builds fixed at given MW (:func:`plan_fixed_sites`, the sensitivity's re-solve with the sites
fixed), so only their operation is solved. Both run the months in one process (Dask workers
are daemons and cannot start the plan's own month pool).
"""

from __future__ import annotations

import time
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.dataset import Dataset
from gridsurplus.scenarios.appliers import Inputs, apply_scenario
from gridsurplus.scenarios.spec import ScenarioError, ScenarioSpec

SITES_MODES = ("fixed", "free")


def base_options(**overrides: Any) -> Any:
    """Plan options for a scenario: one month process, no sensitivity cases."""
    from gridsurplus.planning import PlanOptions

    return replace(PlanOptions(workers=1, sensitivity="off"), **overrides)


def read_plan_sites(plan_dir: str | Path) -> pd.Series:
    """MW built per site (``tech@region``) from a plan folder's ``tables/sites.csv``."""
    path = Path(plan_dir) / "tables" / "sites.csv"
    if not path.exists():
        raise ScenarioError(
            f"{path} not found: --plan must name a folder written by gridsurplus plan"
        )
    sites = pd.read_csv(path)
    for col in ("site", "mw"):
        if col not in sites.columns:
            raise ScenarioError(f"{path}: no '{col}' column; is it a plan's sites table?")
    return sites.set_index("site")["mw"].astype(float)


def plan_fixed_sites(
    ds: Dataset, options: Any, fixed_mw: pd.Series, models: Any = None, tables: str = "all"
) -> Any:
    """A plan whose builds are fixed at ``fixed_mw`` [MW per site]: only operation is solved.

    :func:`gridsurplus.plan` with ``fixed_mw`` set: the fleet's own effect on difficulty is
    iterated the same way, and the tariff lens runs on the same sites.
    """
    import gridsurplus
    from gridsurplus.planning import PlanError

    try:
        return gridsurplus.plan(
            ds, replace(options, fixed_mw=fixed_mw), models=models, tables=tables
        )
    except PlanError as exc:
        raise ScenarioError(str(exc)) from exc


def run_plan_for(
    inp: Inputs, fixed_mw: pd.Series | None, models: Any = None, tables: str = "all"
) -> Any:
    """Plan a scenario's inputs: from scratch (``fixed_mw`` None) or with the sites fixed.

    ``models`` (:class:`~gridsurplus.model.decompose.kept.KeptModels`) are month models kept
    from the scenario before; ``tables="accounts"`` skips the tables a sweep does not read.
    """
    options = replace(inp.options, markets={**(inp.options.markets or {}), **inp.markets})
    if fixed_mw is None:
        import gridsurplus

        return gridsurplus.plan(inp.ds, options, models=models, tables=tables)
    return plan_fixed_sites(inp.ds, options, fixed_mw, models, tables)


def _start_prices(inp: Inputs) -> dict[str, float]:
    from gridsurplus.economics.markets import Markets

    m = Markets.from_dataset(inp.ds, {**(inp.options.markets or {}), **inp.markets})
    start = m.plan_start_year()
    out = {"btc_price_usd_start": float("nan"), "gpu_hour_usd_start": float("nan")}
    if m.has("btc_price_usd"):
        out["btc_price_usd_start"] = m.level("btc_price_usd", start)
    if m.has("gpu_hour_usd"):
        out["gpu_hour_usd_start"] = m.level("gpu_hour_usd", start)
    return out


def summarise(plan: Any) -> tuple[dict[str, Any], pd.DataFrame]:
    """A plan's summary row (outputs only) and its per-site table."""
    h = plan.headline
    tariff = h.get("lenses", {}).get("tariff", {})
    sites = plan.tables["sites"][["site", "region", "tech", "kind", "mw", "energy_gwh"]].copy()
    ops = plan.tables["pnl_operators"]
    ops = ops[ops["lens"] == h.get("headline_lens", "marginal_cost")].set_index("site")
    sites["profit_usd"] = sites["site"].map(ops["profit_usd"]).fillna(0.0).astype(float)
    sites["revenue_usd"] = sites["site"].map(ops["revenue_usd"]).fillna(0.0).astype(float)
    sites["pays"] = (sites["mw"] > 1e-6) & (sites["profit_usd"] >= 0.0)
    gross = h.get("foreign_exchange_gross_usd", h.get("foreign_exchange_usd", np.nan))
    row: dict[str, Any] = {
        "objective_usd": float(h["objective_usd"]),
        "sited_mw": float(h["sited_mw"]),
        "mining_mw": float(sites.loc[sites["kind"] == "mining", "mw"].sum()),
        "ai_mw": float(sites.loc[sites["kind"] == "ai", "mw"].sum()),
        "compute_energy_gwh": float(h["compute_energy_gwh"]),
        "grid_revenue_usd": float(h["grid_revenue_usd"]),
        "capacity_payment_recovered_usd": float(h["capacity_payment_recovered_usd"]),
        "grid_revenue_tariff_usd": float(tariff.get("grid_revenue_usd", np.nan)),
        "capacity_payment_recovered_tariff_usd": float(
            tariff.get("capacity_payment_recovered_usd", np.nan)
        ),
        "welfare_gain_usd": float(h["welfare_gain_usd"]),
        "operators_profit_usd": float(h["operators_profit_usd"]),
        "btc_mined_per_year": float(h["btc_mined_per_year"]),
        "foreign_exchange_gross_usd": float(gross),
        "foreign_exchange_net_usd": float(h.get("foreign_exchange_net_usd", np.nan)),
        "fleet_factor": float(h.get("fleet_factor", 1.0)),
    }
    for _, s in sites.iterrows():
        row[f"mw:{s['site']}"] = float(s["mw"])
    for tech, group in sites.groupby("tech"):
        row[f"profit_usd:{tech}"] = float(group["profit_usd"].sum())
    return row, sites


def evaluate(
    scenario_id: str,
    values: dict[str, float],
    spec: ScenarioSpec,
    base: Inputs,
    fixed_mw: pd.Series | None = None,
    models: Any = None,
) -> tuple[dict[str, Any], pd.DataFrame | None]:
    """Plan one scenario and summarise it; a failure is returned, not raised.

    Parameters
    ----------
    scenario_id : str
        Its id (``s00042``).
    values : dict
        Sampled value of each enabled parameter [the parameter's unit].
    spec : ScenarioSpec
        The scenario file (how each value is applied).
    base : Inputs
        Dataset, market overrides and plan options before the scenario.
    fixed_mw : pandas.Series, optional
        MW per site to keep (sites fixed); None plans the sites afresh.
    models : KeptModels, optional
        Month models kept from the scenarios this process planned before (a sweep's worker);
        None builds them for this scenario alone.

    Returns
    -------
    tuple
        The summary row (``scenario_id``, ``status`` ``ok`` or ``failed``, ``reason``, every
        input value, the outputs of :func:`summarise`, ``seconds``) and the per-site table
        (None when the scenario failed).
    """
    t0 = time.perf_counter()
    row: dict[str, Any] = {"scenario_id": scenario_id, "status": "ok", "reason": ""}
    row.update({k: float(v) for k, v in values.items()})
    sites = None
    try:
        inp = apply_scenario(base, spec, values)
        row.update(_start_prices(inp))
        if fixed_mw is None and models is not None:
            # sites free: every scenario starts from cold on the kept models (only their build
            # is saved), so that it is solved exactly as a plan of its own, ties between sites
            # of equal welfare broken alike; a warm start on the siting LP (three times the
            # rows of a fixed-sites one) was slower than cold, and could keep the last sites
            models.forget_basis()
        plan = run_plan_for(inp, fixed_mw, models, tables="accounts")
        outputs, sites = summarise(plan)
        row.update(outputs)
        if fixed_mw is not None:
            # the plan models only the sites built; the others stand at 0 MW, earning nothing
            for site, mw in fixed_mw.items():
                row.setdefault(f"mw:{site}", float(mw))
                row.setdefault(f"profit_usd:{str(site).split('@')[0]}", 0.0)
    except Exception as exc:  # noqa: BLE001 - a failed scenario is recorded, the sweep goes on
        row["status"] = "failed"
        last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
        where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
        row["reason"] = f"{type(exc).__name__}: {exc}"[:2000] + where
    row["seconds"] = time.perf_counter() - t0
    if sites is not None:
        sites.insert(0, "scenario_id", scenario_id)
    return row, sites
