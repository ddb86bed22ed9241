"""The schema of a plan's tables: every column with its unit and meaning.

The report, the docs and any reader of ``tables/*.csv`` take units from here rather than from
the column names alone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of a plan's table: its name, unit and meaning."""

    name: str
    unit: str
    description: str


def _c(name: str, unit: str, description: str) -> Column:
    return Column(name, unit, description)


LOCAL = "local currency"
"""Unit of ``*_local`` money: the dataset's currency, named in the table's ``currency``."""
TIME = _c("time", "local time", "hour starting")
LENS = _c("lens", "", "pricing lens: marginal_cost or tariff")
SITE = _c("site", "", "compute site, tech@region")
REGION = _c("region", "", "region id")
TECH = _c("tech", "", "compute technology id")
KIND = _c("kind", "", "mining or ai")
CURRENCY = _c("currency", "", "the dataset's currency, unit of the *_local columns")

TABLE_SCHEMA: dict[str, tuple[Column, ...]] = {
    "sites": (
        SITE,
        REGION,
        TECH,
        KIND,
        _c("label", "", "technology's name"),
        _c("mw", "MW", "built"),
        _c("energy_gwh", "GWh/yr", "energy used at marginal cost"),
        _c("hours_run", "h/yr", "hours drawing power at marginal cost"),
        _c("hours_curtailed", "h/yr", "hours below full available power at marginal cost"),
        _c("capacity_factor", "fraction", "energy over built MW times hours"),
        _c("energy_gwh_tariff", "GWh/yr", "energy used under the posted tariff"),
        _c("hours_run_tariff", "h/yr", "hours drawing power under the posted tariff"),
    ),
    "dispatch": (
        TIME,
        _c("demand_mw", "MW", "national demand"),
        _c("unserved_mw", "MW", "demand not served"),
        _c("mining_mw", "MW", "mining load"),
        _c("ai_mw", "MW", "AI load"),
    ),
    "dispatch_region": (
        TIME,
        REGION,
        _c("demand_mw", "MW", "demand"),
        _c("generation_mw", "MW", "generation in the region"),
        _c("mining_mw", "MW", "mining load"),
        _c("ai_mw", "MW", "AI load"),
        _c("net_import_mw", "MW", "net flow into the region"),
        _c("unserved_mw", "MW", "demand not served in the plan"),
        _c("base_unserved_mw", "MW", "demand not served without compute (never exceeded)"),
        _c("price_usd_per_mwh", "USD/MWh", "nodal marginal cost of the plan"),
        _c("base_price_usd_per_mwh", "USD/MWh", "nodal marginal cost without compute"),
    ),
    "flows": (TIME,),  # one column per link [MW], positive from its from_region
    "prices": (TIME,),  # one column per region [USD/MWh], the plan's nodal marginal cost
    "pnl_grid": (
        LENS,
        _c("energy_sold_gwh", "GWh/yr", "energy sold to compute"),
        _c("revenue_usd", "USD/yr", "what compute paid"),
        _c("revenue_local", LOCAL, "what compute paid"),
        _c("fuel_cost_usd", "USD/yr", "extra fuel burned for compute"),
        _c("fuel_cost_local", LOCAL, "extra fuel burned for compute"),
        _c("contribution_usd", "USD/yr", "revenue less extra fuel"),
        _c("contribution_local", LOCAL, "revenue less extra fuel"),
        _c("capacity_payments_usd", "USD/yr", "the year's fixed capacity payments"),
        _c("capacity_payment_share", "fraction", "contribution over capacity payments"),
        CURRENCY,
    ),
    "pnl_operators": (
        SITE,
        LENS,
        REGION,
        TECH,
        KIND,
        _c("mw", "MW", "built"),
        _c("energy_gwh", "GWh/yr", "energy used"),
        _c("revenue_usd", "USD/yr", "value of the compute sold"),
        _c("power_cost_usd", "USD/yr", "paid for power"),
        _c("fixed_om_usd", "USD/yr", "fixed operation and maintenance"),
        _c("margin_usd", "USD/yr", "revenue less power and fixed O&M"),
        _c("capex_annuity_usd", "USD/yr", "capital annuity"),
        _c("profit_usd", "USD/yr", "margin less the capital annuity"),
        _c("capex_usd", "USD", "capital cost"),
        _c("payback_years", "years", "capex over margin (inf: never)"),
        _c("revenue_local", LOCAL, "value of the compute sold"),
        _c("power_cost_local", LOCAL, "paid for power"),
        _c("margin_local", LOCAL, "revenue less power and fixed O&M"),
        _c("profit_local", LOCAL, "margin less the capital annuity"),
        CURRENCY,
    ),
    "pnl_nation": (
        LENS,
        _c("compute_energy_gwh", "GWh/yr", "energy used by compute"),
        _c("btc_mined_per_year", "BTC/yr", "bitcoin mined"),
        _c("btc_value_usd", "USD/yr", "bitcoin mined at the first year's price"),
        _c("ai_revenue_usd", "USD/yr", "AI services sold"),
        _c("energy_otherwise_unused_gwh", "GWh/yr", "compute energy that displaced no demand"),
        _c("btc_price_usd", "USD/BTC", "BTC price of the plan's first year"),
        _c("foreign_exchange_gross_usd", "USD/yr", "BTC and AI services sold abroad"),
        _c("foreign_exchange_gross_local", LOCAL, "BTC and AI services sold abroad"),
        _c("imported_fuel_usd", "USD/yr", "imported fuel burned to serve compute"),
        _c("imported_hardware_usd", "USD/yr", "annuity of the imported machines and equipment"),
        _c("profit_repatriated_usd", "USD/yr", "operators' profit owned abroad"),
        _c("foreign_exchange_net_usd", "USD/yr", "gross less fuel, hardware and profit abroad"),
        _c("foreign_exchange_net_local", LOCAL, "gross less fuel, hardware and profit abroad"),
        CURRENCY,
    ),
    "forex_bridge": (
        LENS,
        _c("step", "", "order of the step, gross first and net last"),
        _c("term", "", "the figure: foreign_exchange_gross_usd, an outflow, or net"),
        _c("label", "", "how the report names the step"),
        _c("usd", "USD/yr", "gross and net as totals, outflows negative"),
        _c("local", LOCAL, "the same in the dataset's currency"),
        CURRENCY,
    ),
    "sensitivity": (
        _c("parameter", "", "the input changed"),
        _c("case", "", "base, low or high"),
        _c("value", "see unit", "the input's value"),
        _c("unit", "", "the input's unit"),
        _c("sites", "count", "sites built"),
        _c("objective_usd", "USD", "the case's LP objective"),
        _c("sited_mw", "MW", "built"),
        _c("mining_mw", "MW", "mining built"),
        _c("ai_mw", "MW", "AI built"),
        _c("compute_energy_gwh", "GWh/yr", "energy used under the posted tariff"),
        _c("grid_revenue_usd", "USD/yr", "what compute paid under the posted tariff"),
        _c("capacity_payment_recovered_usd", "USD/yr", "revenue less extra fuel"),
        _c("btc_mined_per_year", "BTC/yr", "bitcoin mined"),
        _c("operators_profit_usd", "USD/yr", "operators' profit"),
        _c("welfare_gain_usd", "USD/yr", "value of compute less extra fuel and capital"),
    ),
    "breakeven": (
        SITE,
        REGION,
        TECH,
        _c("breakeven_btc_price_usd", "USD/BTC", "price at which one more MW pays for itself"),
    ),
    "assumptions": (
        _c("group", "", "kind of input"),
        _c("item", "", "the input"),
        _c("value", "see unit", "its value"),
        _c("unit", "", "its unit"),
        _c("status", "", "sourced, estimated or scenario"),
        _c("source", "", "where it comes from"),
    ),
    "regions": (
        REGION,
        _c("name", "", "region's name"),
        _c("lat", "degrees", "latitude"),
        _c("lon", "degrees", "longitude"),
        _c("spare_winter_mw", "MW", "mean spare capacity Dec-Feb at the tariff's price"),
        _c("spare_summer_mw", "MW", "mean spare capacity Jun-Aug at the tariff's price"),
        _c("sited_mw", "MW", "compute built"),
    ),
    "links": (
        _c("link", "", "link id"),
        _c("from_region", "", "one end"),
        _c("to_region", "", "the other end"),
        _c("capacity_mw", "MW", "rating from from_region"),
        _c("capacity_reverse_mw", "MW", "rating towards from_region"),
        _c("mean_use_share", "fraction", "mean flow over the rating"),
        _c("hours_congested", "h/yr", "hours at the rating"),
    ),
    "spare": (TIME,),  # one column per region and national [MW] at the tariff's price
    "supply_curve": (
        _c("area", "", "region or national"),
        _c("season", "", "winter, spring, summer, autumn or year"),
        _c("max_cost_usd_per_mwh", "USD/MWh", "plants costing at most this"),
        _c("energy_gwh", "GWh", "spare energy available"),
    ),
}
"""Every table's columns with unit and meaning (tables may add more columns)."""

TABLE_COLUMNS: dict[str, list[str]] = {
    name: [c.name for c in columns] for name, columns in TABLE_SCHEMA.items()
}
"""The columns every table carries at least (tables may add more)."""


def column(table: str, name: str) -> Column | None:
    """The schema of a table's column, if declared.

    >>> column("pnl_grid", "revenue_local").unit
    'local currency'
    """
    return next((c for c in TABLE_SCHEMA.get(table, ()) if c.name == name), None)


__all__ = ["LOCAL", "TABLE_COLUMNS", "TABLE_SCHEMA", "Column", "column"]
