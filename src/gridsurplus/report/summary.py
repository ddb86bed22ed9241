"""The summary at the top of the report: headline cards and the two-lens comparison.

Everything is read from the plan's tables (``pnl_grid``, ``pnl_operators``, ``pnl_nation``,
``sites``, ``regions``) and headline; the summary only sums over sites and picks lenses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.report import formatting as fmt
from gridsurplus.report import theme, views
from gridsurplus.results import Plan


@dataclass(frozen=True)
class Card:
    """A headline figure: what it is, its value under the tariff, and at marginal cost."""

    label: str
    value: str
    detail: str
    kind: str = ""


def _lens_value(frame: pd.DataFrame, lens: str, column: str) -> float:
    if frame.empty or lens not in frame.index or column not in frame.columns:
        return float("nan")
    value = frame.loc[lens, column]
    return float(value.sum()) if isinstance(value, pd.Series) else float(value)


def _operators(plan: Plan, lens: str) -> dict[str, float]:
    ops = views.table(plan, "pnl_operators")
    if ops.empty or "lens" not in ops.columns:
        return {}
    part = ops[ops["lens"] == lens]
    out = {c: float(part[c].sum()) for c in part.columns if c.endswith(("_usd", "_local"))}
    payback = pd.to_numeric(part.get("payback_years", pd.Series(dtype=float)), errors="coerce")
    payback = payback.replace([np.inf, -np.inf], np.nan).dropna()
    out["payback_min"] = float(payback.min()) if not payback.empty else float("nan")
    out["payback_max"] = float(payback.max()) if not payback.empty else float("nan")
    out["sites_paying_back"] = float(len(payback))
    out["sites"] = float(part["site"].nunique()) if "site" in part.columns else 0.0
    return out


def _payback(ops: dict[str, float]) -> str:
    lo, hi = ops.get("payback_min", np.nan), ops.get("payback_max", np.nan)
    if np.isnan(lo):
        return "no site pays back" if ops.get("sites") else fmt.DASH
    text = fmt.years(lo) if abs(hi - lo) < 0.05 else f"{lo:.1f}-{hi:.1f} years"
    missing = int(ops.get("sites", 0) - ops.get("sites_paying_back", 0))
    return text + (f" ({missing} site(s) never)" if missing > 0 else "")


def lens_figures(plan: Plan, lens: str) -> dict[str, float | str]:
    """The figures of one lens, raw numbers plus the payback text."""
    grid = views.by_lens(plan, "pnl_grid")
    nation = views.by_lens(plan, "pnl_nation")
    ops = _operators(plan, lens)
    return {
        "compute_energy_gwh": _lens_value(nation, lens, "compute_energy_gwh"),
        "energy_otherwise_unused_gwh": _lens_value(nation, lens, "energy_otherwise_unused_gwh"),
        "energy_sold_gwh": _lens_value(grid, lens, "energy_sold_gwh"),
        "grid_revenue_usd": _lens_value(grid, lens, "revenue_usd"),
        "grid_revenue_local": _lens_value(grid, lens, "revenue_local"),
        "fuel_cost_usd": _lens_value(grid, lens, "fuel_cost_usd"),
        "capacity_payments_recovered_usd": _lens_value(grid, lens, "contribution_usd"),
        "capacity_payments_recovered_local": _lens_value(grid, lens, "contribution_local"),
        "capacity_payment_share": _lens_value(grid, lens, "capacity_payment_share"),
        "operators_revenue_usd": ops.get("revenue_usd", np.nan),
        "operators_margin_usd": ops.get("margin_usd", np.nan),
        "operators_margin_local": ops.get("margin_local", np.nan),
        "operators_profit_usd": ops.get("profit_usd", np.nan),
        "capex_usd": ops.get("capex_usd", np.nan),
        "payback": _payback(ops),
        "btc_mined_per_year": _lens_value(nation, lens, "btc_mined_per_year"),
        "btc_value_usd": _lens_value(nation, lens, "btc_value_usd"),
        "ai_revenue_usd": _lens_value(nation, lens, "ai_revenue_usd"),
        **{
            key: _lens_value(nation, lens, key)
            for key in (
                "foreign_exchange_gross_usd",
                "imported_fuel_usd",
                "imported_hardware_usd",
                "profit_repatriated_usd",
                "foreign_exchange_net_usd",
                "foreign_exchange_net_local",
            )
        },
    }


COMPARISON: list[tuple[str, str, Callable[[Any], str]]] = [
    ("Compute energy", "compute_energy_gwh", fmt.gwh),
    (
        "Surplus energy put to use (would otherwise go unused)",
        "energy_otherwise_unused_gwh",
        fmt.gwh,
    ),
    ("Energy the grid sells", "energy_sold_gwh", fmt.gwh),
    ("Grid revenue", "grid_revenue_usd", fmt.usd),
    ("Grid revenue (PKR)", "grid_revenue_local", fmt.pkr),
    ("Fuel cost of that energy", "fuel_cost_usd", fmt.usd),
    (
        "Capacity payments recovered (revenue minus extra fuel)",
        "capacity_payments_recovered_usd",
        fmt.usd,
    ),
    ("... in PKR", "capacity_payments_recovered_local", fmt.pkr),
    ("... share of the year's capacity payments", "capacity_payment_share", fmt.share),
    ("Operators' revenue", "operators_revenue_usd", fmt.usd),
    ("Operators' margin (after power and O&M)", "operators_margin_usd", fmt.usd),
    ("Operators' profit (after capital cost)", "operators_profit_usd", fmt.usd),
    ("Operators' capex", "capex_usd", fmt.usd),
    ("Payback", "payback", str),
    ("BTC mined per year", "btc_mined_per_year", fmt.btc),
    ("Value of BTC mined", "btc_value_usd", fmt.usd),
    ("AI revenue", "ai_revenue_usd", fmt.usd),
    ("Foreign exchange earned, gross (BTC and AI sold)", "foreign_exchange_gross_usd", fmt.usd),
    ("... less imported fuel burned", "imported_fuel_usd", fmt.usd),
    ("... less imported hardware (annuity)", "imported_hardware_usd", fmt.usd),
    ("... less profit repatriated", "profit_repatriated_usd", fmt.usd),
    ("Foreign exchange earned, net", "foreign_exchange_net_usd", fmt.usd),
    ("Foreign exchange earned, net (PKR)", "foreign_exchange_net_local", fmt.pkr),
]
"""Rows of the two-lens comparison: label, key of :func:`lens_figures`, formatter."""


def comparison(plan: Plan) -> dict[str, Any]:
    """The two-lens table: ``columns`` (lens labels) and ``rows`` (label, values...)."""
    lenses = views.lenses(plan)
    figures = {lens: lens_figures(plan, lens) for lens in lenses}
    rows = [
        [label, *[formatter(figures[lens][key]) for lens in lenses]]
        for label, key, formatter in COMPARISON
        if any(not _blank(figures[lens][key]) for lens in lenses)
    ]
    return {"columns": [theme.LENS_LABELS.get(lens, lens) for lens in lenses], "rows": rows}


def _blank(value: Any) -> bool:
    return isinstance(value, float) and np.isnan(value)


def cards(plan: Plan) -> list[Card]:
    """Headline cards: the headline lens's figure large, the other lens's beneath."""
    sited = views.sited_mw(plan)
    total = float(sited.to_numpy().sum())
    mining, ai = float(sited["mining"].sum()), float(sited["ai"].sum())
    n_regions = int((sited.sum(axis=1) > 0).sum())
    out = [
        Card(
            "Compute sited",
            fmt.mw(total),
            f"mining {fmt.mw(mining)} · AI {fmt.mw(ai)} · in {n_regions} region(s)",
            "sited",
        )
    ]
    lenses = views.lenses(plan)
    if not lenses:
        return out
    main, other = lenses[0], (lenses[1] if len(lenses) > 1 else None)
    a = lens_figures(plan, main)
    b = lens_figures(plan, other) if other else {}
    other_text = f"{theme.LENS_LABELS.get(other, other)}: " if other else ""

    def detail(key: str, formatter: Callable[[Any], str]) -> str:
        return other_text + formatter(b[key]) if other else ""

    out += [
        Card(
            "Net foreign exchange per year",
            fmt.usd(a["foreign_exchange_net_usd"]),
            f"gross {fmt.usd(a['foreign_exchange_gross_usd'])} · "
            + detail("foreign_exchange_net_usd", fmt.usd),
        ),
        Card(
            "Surplus energy put to use",
            fmt.gwh(a["energy_otherwise_unused_gwh"]),
            detail("energy_otherwise_unused_gwh", fmt.gwh),
        ),
        Card(
            "Grid revenue per year",
            fmt.usd(a["grid_revenue_usd"]),
            f"{fmt.pkr(a['grid_revenue_local'])} · " + detail("grid_revenue_usd", fmt.usd),
        ),
        Card(
            "Capacity payments recovered",
            fmt.usd(a["capacity_payments_recovered_usd"]),
            f"{fmt.share(a['capacity_payment_share'])} of the year's total · "
            + detail("capacity_payments_recovered_usd", fmt.usd),
        ),
        Card(
            "Operators' margin per year",
            fmt.usd(a["operators_margin_usd"]),
            f"payback {a['payback']} · " + detail("operators_margin_usd", fmt.usd),
        ),
        Card(
            "BTC mined per year",
            fmt.btc(a["btc_mined_per_year"]),
            detail("btc_mined_per_year", fmt.btc),
        ),
    ]
    return out


def lens_note(plan: Plan) -> str:
    """One sentence saying which lens the cards show large and which beneath."""
    lenses = views.lenses(plan)
    if not lenses:
        return "All figures are per year."
    text = f"Large figures are {theme.LENS_LABELS.get(lenses[0], lenses[0])}"
    if len(lenses) > 1:
        text += f"; beneath each, the same figure {theme.LENS_LABELS.get(lenses[1], lenses[1])}"
    return text + ". All figures are per year."


def sited_table(plan: Plan) -> dict[str, Any]:
    """MW sited by region and technology, with a total row and column."""
    sited = views.sited_by_tech(plan)
    names = views.tech_names(plan)
    rows = [
        [
            str(region),
            *[fmt.number(v) for v in sited.loc[region]],
            fmt.number(sited.loc[region].sum()),
        ]
        for region in sited.index
    ]
    totals = sited.sum()
    rows.append(["total", *[fmt.number(v) for v in totals], fmt.number(totals.sum())])
    return {
        "columns": ["region", *[f"{names.get(t, t)} (MW)" for t in sited.columns], "total (MW)"],
        "rows": rows,
        "numeric": [False, *[True] * (sited.shape[1] + 1)],
    }


__all__ = [
    "COMPARISON",
    "Card",
    "cards",
    "comparison",
    "lens_figures",
    "lens_note",
    "sited_table",
]
