"""The Plan: tidy tables of a siting and dispatch solution, and who earns what.

A :class:`Plan` is what ``gridsurplus plan`` writes and what the report draws. It holds only
tables and plain values (no solver objects), so it can be written to a folder and read back:
``plan.json`` (the headline figures) and ``tables/*.csv``.

Units are in the column names. Money is USD unless the name ends in ``_local``: the dataset's
currency, named in the table's ``currency`` column (and ``plan.json``'s ``currency``). Power in
MW, energy in MWh or GWh as named, time in the dataset's local time.

Two lenses on the same solution are reported:

- ``marginal_cost``: compute pays the nodal marginal cost of each hour (the cost-reflective
  tariff that recovers fuel cost and subsidises no one);
- ``tariff``: compute pays a posted tariff, runs only in hours when its value covers the tariff,
  and the grid sells only where the tariff covers its marginal cost.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from gridsurplus.columns import TABLE_COLUMNS, TABLE_SCHEMA, Column, column

LENSES = ("marginal_cost", "tariff")


LENS_FIGURES = (
    "compute_energy_gwh",
    "grid_revenue_usd",
    "grid_revenue_local",
    "grid_fuel_cost_usd",
    "capacity_payment_recovered_usd",
    "capacity_payment_recovered_local",
    "capacity_payment_share",
    "average_price_usd_per_mwh",
    "operators_margin_usd",
    "operators_profit_usd",
    "btc_mined_per_year",
    "btc_value_usd",
    "foreign_exchange_gross_usd",
    "imported_fuel_usd",
    "imported_hardware_usd",
    "profit_repatriated_usd",
    "foreign_exchange_net_usd",
    "foreign_exchange_net_local",
    "unserved_change_gwh",
)


@dataclass(frozen=True)
class LensFigures:
    """The totals of one lens, built once from the P&L tables (:meth:`of_tables`).

    Money in USD per year, ``*_local`` in the dataset's currency, energy in GWh per year. The
    nation's figure is ``foreign_exchange_net_usd``: the gross revenue from abroad less the
    imported fuel, the imported hardware and the profit repatriated
    (:mod:`gridsurplus.economics.forex`).
    """

    compute_energy_gwh: float
    grid_revenue_usd: float
    grid_revenue_local: float
    grid_fuel_cost_usd: float
    capacity_payment_recovered_usd: float
    capacity_payment_recovered_local: float
    capacity_payment_share: float
    average_price_usd_per_mwh: float
    operators_margin_usd: float
    operators_profit_usd: float
    btc_mined_per_year: float
    btc_value_usd: float
    foreign_exchange_gross_usd: float
    imported_fuel_usd: float
    imported_hardware_usd: float
    profit_repatriated_usd: float
    foreign_exchange_net_usd: float
    foreign_exchange_net_local: float
    unserved_change_gwh: float

    @classmethod
    def of_tables(
        cls, grid: pd.DataFrame, nation: pd.DataFrame, operators: pd.DataFrame, lens: str
    ) -> LensFigures:
        """The lens's totals from ``pnl_grid``, ``pnl_nation`` and ``pnl_operators``."""
        g = grid.set_index("lens").loc[lens]
        n = nation.set_index("lens").loc[lens]
        o = operators[operators["lens"] == lens]
        return cls(
            compute_energy_gwh=float(n["compute_energy_gwh"]),
            grid_revenue_usd=float(g["revenue_usd"]),
            grid_revenue_local=float(g["revenue_local"]),
            grid_fuel_cost_usd=float(g["fuel_cost_usd"]),
            capacity_payment_recovered_usd=float(g["contribution_usd"]),
            capacity_payment_recovered_local=float(g["contribution_local"]),
            capacity_payment_share=float(g["capacity_payment_share"]),
            average_price_usd_per_mwh=float(g["average_price_usd_per_mwh"]),
            operators_margin_usd=float(o["margin_usd"].sum()),
            operators_profit_usd=float(o["profit_usd"].sum()),
            btc_mined_per_year=float(n["btc_mined_per_year"]),
            btc_value_usd=float(n["btc_value_usd"]),
            foreign_exchange_gross_usd=float(n["foreign_exchange_gross_usd"]),
            imported_fuel_usd=float(n["imported_fuel_usd"]),
            imported_hardware_usd=float(n["imported_hardware_usd"]),
            profit_repatriated_usd=float(n["profit_repatriated_usd"]),
            foreign_exchange_net_usd=float(n["foreign_exchange_net_usd"]),
            foreign_exchange_net_local=float(n["foreign_exchange_net_local"]),
            unserved_change_gwh=float(g["unserved_change_gwh"]),
        )

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LensFigures:
        """Read back from ``plan.json`` (missing figures are NaN)."""
        return cls(**{k: _number(d.get(k)) for k in LENS_FIGURES})

    def to_dict(self) -> dict[str, float]:
        """The figures as ``plan.json`` holds them."""
        return asdict(self)


@dataclass(frozen=True)
class Headline:
    """The headline of a plan, typed: what the report and any reader of ``plan.json`` use.

    Attributes
    ----------
    dataset, reference_year : str
        Which dataset and year.
    currency : str
        The dataset's currency (``*_local`` figures are in it).
    exchange_rate : float
        Dataset currency per USD.
    btc_price_usd : float
        BTC price of the plan's first year [USD/BTC] (NaN if not given).
    tariff_name, tariff_unit : str
        The posted tariff of the second lens.
    tariff_mean_usd_per_mwh : float
        Its mean [USD/MWh].
    programme_mw, sited_mw : float
        The national cap and the MW sited [MW].
    headline_lens : str
        The lens whose figures the headline repeats at its top level.
    lenses : dict of str to LensFigures
        The totals under each lens.
    """

    dataset: str
    reference_year: str
    currency: str
    exchange_rate: float
    btc_price_usd: float
    tariff_name: str
    tariff_unit: str
    tariff_mean_usd_per_mwh: float
    programme_mw: float
    sited_mw: float
    headline_lens: str
    lenses: dict[str, LensFigures]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Headline:
        """Read ``plan.json``'s figures (keys a plan lacks come back empty or NaN)."""
        tariff = d.get("tariff") or {}
        return cls(
            dataset=str(d.get("dataset", "")),
            reference_year=str(d.get("reference_year", "")),
            currency=str(d.get("currency", "")),
            exchange_rate=_number(d.get("exchange_rate")),
            btc_price_usd=_number(d.get("btc_price_usd")),
            tariff_name=str(tariff.get("name") or ""),
            tariff_unit=str(tariff.get("unit") or ""),
            tariff_mean_usd_per_mwh=_number(tariff.get("mean_usd_per_mwh")),
            programme_mw=_number(d.get("programme_mw")),
            sited_mw=_number(d.get("sited_mw")),
            headline_lens=str(d.get("headline_lens", "marginal_cost")),
            lenses={
                name: LensFigures.from_dict(figures)
                for name, figures in (d.get("lenses") or {}).items()
            },
        )

    @property
    def foreign_exchange_net_usd(self) -> float:
        """The nation's headline figure: net foreign exchange under the headline lens [USD/yr]."""
        figures = self.lenses.get(self.headline_lens)
        return figures.foreign_exchange_net_usd if figures else float("nan")


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return float("nan")
    return float(value)


@dataclass
class Plan:
    """A solved plan: headline figures and tidy tables.

    Attributes
    ----------
    headline : dict
        What ``plan.json`` holds: at least ``objective_usd``, ``sited_mw_by_region_and_tech``,
        ``compute_energy_gwh``, ``grid_revenue_usd``, ``capacity_payment_recovered_usd``,
        ``btc_mined_per_year``, ``solve_seconds``, ``build_seconds``, ``method``,
        ``iterations``, plus ``lenses`` (the same figures under each lens), the tariff, the
        programme size and the dataset.
    tables : dict of str to pandas.DataFrame
        The tables named in :data:`TABLE_COLUMNS`.
    """

    headline: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def summary(self) -> Headline:
        """The headline, typed (:class:`Headline`)."""
        return Headline.from_dict(self.headline)

    def write(self, folder: str | Path) -> None:
        """Write ``plan.json`` and ``tables/NAME.csv`` into ``folder``."""
        folder = Path(folder)
        (folder / "tables").mkdir(parents=True, exist_ok=True)
        (folder / "plan.json").write_text(
            json.dumps(self.headline, indent=2, default=_json), encoding="utf-8"
        )
        for name, table in self.tables.items():
            table.to_csv(folder / "tables" / f"{name}.csv", index=False)

    @classmethod
    def read(cls, folder: str | Path) -> Plan:
        """Read a plan written by :meth:`write`."""
        folder = Path(folder)
        headline = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
        tables = {}
        for path in sorted((folder / "tables").glob("*.csv")):
            table = pd.read_csv(path)
            if "time" in table.columns:
                table["time"] = pd.to_datetime(table["time"])
            tables[path.stem] = table
        return cls(headline=headline, tables=tables)


def _json(value: Any) -> Any:
    import numpy as np

    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    return str(value)


def check_tables(plan: Plan) -> list[str]:
    """List the tables or columns a plan lacks (empty when complete)."""
    missing = []
    for name, columns in TABLE_COLUMNS.items():
        if name not in plan.tables:
            missing.append(f"table {name}")
            continue
        missing += [f"{name}.{c}" for c in columns if c not in plan.tables[name].columns]
    return missing


__all__ = [
    "LENSES",
    "TABLE_SCHEMA",
    "Column",
    "column",
    "LENS_FIGURES",
    "TABLE_COLUMNS",
    "Headline",
    "LensFigures",
    "Plan",
    "check_tables",
]
