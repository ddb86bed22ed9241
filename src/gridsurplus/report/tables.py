"""The report's tables of numbers: the plan's tables, chosen columns, written for reading.

Each function returns ``{"columns": [...], "rows": [[...]], "numeric": [...]}`` of strings for
the template; ``numeric`` marks the columns to right-align.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from gridsurplus.report import formatting as fmt
from gridsurplus.report import theme, views
from gridsurplus.results import Plan

Column = tuple[str, str, Callable[[Any], str]]
"""(column of the plan's table, header, formatter)."""


def _text(value: Any) -> str:
    return (
        fmt.DASH if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    )


def frame_table(frame: pd.DataFrame, columns: list[Column]) -> dict[str, Any]:
    """Format the chosen columns of a frame (those it has) for the template."""
    present = [c for c in columns if c[0] in frame.columns]
    rows = [
        [f(v) for (_, _, f), v in zip(present, row, strict=True)]
        for row in frame[[c[0] for c in present]].itertuples(index=False)
    ]
    numeric = [f is not _text for _, _, f in present]
    return {"columns": [h for _, h, _ in present], "rows": rows, "numeric": numeric}


def sites(plan: Plan) -> dict[str, Any]:
    """Sited compute: one row per site built."""
    built = views.built_sites(plan)
    built = built.assign(site_label=[views.site_label(r) for r in built.itertuples(index=False)])
    return frame_table(
        built,
        [
            ("site_label", "site", _text),
            ("mw", "MW", fmt.number),
            ("energy_gwh", "energy (GWh/yr)", fmt.number),
            ("hours_run", "hours run", fmt.number),
            ("hours_curtailed", "hours curtailed", fmt.number),
            ("capacity_factor", "capacity factor", fmt.share),
            ("energy_gwh_tariff", "energy under the tariff (GWh/yr)", fmt.number),
            ("hours_run_tariff", "hours run under the tariff", fmt.number),
            ("hours_curtailed_tariff", "hours curtailed under the tariff", fmt.number),
        ],
    )


def regions(plan: Plan) -> dict[str, Any]:
    """Each region's mean spare capacity by season and the MW sited there."""
    return frame_table(
        views.table(plan, "regions"),
        [
            ("region", "region", _text),
            ("spare_winter_mw", "spare, winter (MW)", fmt.number),
            ("spare_summer_mw", "spare, summer (MW)", fmt.number),
            ("sited_mw", "sited (MW)", fmt.number),
        ],
    )


def links(plan: Plan) -> dict[str, Any]:
    """The links: rating, mean use and hours congested."""
    table = views.table(plan, "links")
    if {"from_region", "to_region"} <= set(table.columns):
        table = table.assign(between=table["from_region"] + " - " + table["to_region"])
    return frame_table(
        table,
        [
            ("between", "link", _text),
            ("capacity_mw", "rating (MW)", fmt.number),
            ("mean_use_share", "mean use", fmt.share),
            ("hours_congested", "hours congested", fmt.number),
        ],
    )


def _transposed(plan: Plan, name: str, rows: list[Column]) -> dict[str, Any]:
    """A one-row-per-lens table as rows of items and a column per lens."""
    frame = views.by_lens(plan, name)
    lenses = [lens for lens in views.lenses(plan) if lens in frame.index]
    out = [
        [header, *[f(frame.loc[lens, col]) for lens in lenses]]
        for col, header, f in rows
        if col in frame.columns
    ]
    return {
        "columns": ["", *[theme.LENS_LABELS.get(lens, lens) for lens in lenses]],
        "rows": out,
        "numeric": [False, *[True] * len(lenses)],
    }


def pnl_grid(plan: Plan) -> dict[str, Any]:
    """The grid's account, per lens."""
    return _transposed(
        plan,
        "pnl_grid",
        [
            ("energy_sold_gwh", "energy sold (GWh/yr)", fmt.number),
            ("revenue_usd", "revenue (USD/yr)", fmt.usd),
            ("revenue_local", "revenue (PKR/yr)", fmt.pkr),
            ("fuel_cost_usd", "fuel cost (USD/yr)", fmt.usd),
            ("fuel_cost_local", "fuel cost (PKR/yr)", fmt.pkr),
            ("contribution_usd", "contribution: capacity payments recovered (USD/yr)", fmt.usd),
            ("contribution_local", "contribution: capacity payments recovered (PKR/yr)", fmt.pkr),
            ("capacity_payments_usd", "the year's capacity payments (USD)", fmt.usd),
            ("capacity_payment_share", "share recovered", fmt.share),
            ("average_price_usd_per_mwh", "average price (USD/MWh)", lambda v: fmt.number(v, 1)),
            ("unserved_change_gwh", "change in unserved energy (GWh)", lambda v: fmt.number(v, 1)),
        ],
    )


def pnl_nation(plan: Plan) -> dict[str, Any]:
    """The nation's account, per lens."""
    return _transposed(
        plan,
        "pnl_nation",
        [
            ("compute_energy_gwh", "compute energy (GWh/yr)", fmt.number),
            ("energy_otherwise_unused_gwh", "of which otherwise unused (GWh/yr)", fmt.number),
            ("btc_mined_per_year", "BTC mined per year", fmt.number),
            ("btc_value_usd", "value of BTC mined (USD/yr)", fmt.usd),
            ("ai_revenue_usd", "AI revenue (USD/yr)", fmt.usd),
            ("foreign_exchange_gross_usd", "foreign exchange, gross (USD/yr)", fmt.usd),
            ("imported_fuel_usd", "less imported fuel burned (USD/yr)", fmt.usd),
            ("imported_hardware_usd", "less imported hardware, annuity (USD/yr)", fmt.usd),
            ("profit_repatriated_usd", "less profit repatriated (USD/yr)", fmt.usd),
            ("foreign_exchange_net_usd", "foreign exchange, net (USD/yr)", fmt.usd),
            ("foreign_exchange_net_local", "foreign exchange, net (PKR/yr)", fmt.pkr),
        ],
    )


def pnl_operators(plan: Plan) -> dict[str, Any]:
    """The operators' accounts, per site and lens."""
    ops = views.table(plan, "pnl_operators")
    if not ops.empty and "lens" in ops.columns:
        order = {lens: k for k, lens in enumerate(views.lenses(plan))}
        ops = ops.assign(
            lens_label=ops["lens"].map(lambda v: theme.LENS_LABELS.get(v, v)),
            _order=ops["lens"].map(order),
        ).sort_values(["_order", "site"])
    return frame_table(
        ops,
        [
            ("site", "site", _text),
            ("lens_label", "lens", _text),
            ("mw", "MW", fmt.number),
            ("energy_gwh", "energy (GWh/yr)", fmt.number),
            ("revenue_usd", "revenue", fmt.usd),
            ("power_cost_usd", "power cost", fmt.usd),
            ("fixed_om_usd", "fixed O&M", fmt.usd),
            ("margin_usd", "margin", fmt.usd),
            ("capex_annuity_usd", "capex annuity", fmt.usd),
            ("profit_usd", "profit", fmt.usd),
            ("capex_usd", "capex", fmt.usd),
            ("payback_years", "payback", fmt.years),
            ("margin_local", "margin (PKR)", fmt.pkr),
            ("profit_local", "profit (PKR)", fmt.pkr),
        ],
    )


def sensitivity(plan: Plan) -> dict[str, Any]:
    """The sensitivity runs, one row per parameter and case."""
    return frame_table(
        views.table(plan, "sensitivity"),
        [
            ("parameter", "parameter", _text),
            ("case", "case", _text),
            ("value", "value", lambda v: fmt.number(v, 2)),
            ("unit", "unit", _text),
            ("sited_mw", "MW sited", fmt.number),
            ("mining_mw", "mining MW", fmt.number),
            ("ai_mw", "AI MW", fmt.number),
            ("compute_energy_gwh", "compute GWh/yr", fmt.number),
            ("welfare_gain_usd", "welfare gain (USD/yr)", fmt.usd),
            ("operators_profit_usd", "operators' profit (USD/yr)", fmt.usd),
            ("grid_revenue_usd", "grid revenue (USD/yr)", fmt.usd),
            ("capacity_payment_recovered_usd", "capacity payments recovered", fmt.usd),
            ("btc_mined_per_year", "BTC/yr", fmt.number),
        ],
    )


def breakeven(plan: Plan) -> dict[str, Any]:
    """Break-even BTC price of each mining site."""
    return frame_table(
        views.table(plan, "breakeven"),
        [
            ("site", "site", _text),
            ("region", "region", _text),
            ("tech", "tech", _text),
            ("breakeven_btc_price_usd", "break-even BTC price (USD)", fmt.number),
        ],
    )


def _value(value: Any) -> str:
    """A value of the assumptions table: numbers (also read back as text) written as numbers."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return value
    return fmt.number(value, 2)


def assumptions(plan: Plan) -> dict[str, Any]:
    """Every input that drove the result, with its source, in groups (``groups``: name, rows)."""
    table = views.table(plan, "assumptions")
    columns: list[Column] = [
        ("item", "item", _text),
        ("value", "value", _value),
        ("unit", "unit", _text),
        ("status", "status", _text),
        ("source", "source", _text),
    ]
    if "group" not in table.columns:
        return {**frame_table(table, columns), "groups": []}
    groups = [
        (str(group), frame_table(part, columns)["rows"])
        for group, part in table.groupby("group", sort=False)
    ]
    out = frame_table(table, columns)
    out["numeric"] = [False] * len(out["columns"])  # values are numbers and text alike
    return {**out, "groups": groups}


__all__ = [
    "assumptions",
    "breakeven",
    "frame_table",
    "links",
    "regions",
    "pnl_grid",
    "pnl_nation",
    "pnl_operators",
    "sensitivity",
    "sites",
]
