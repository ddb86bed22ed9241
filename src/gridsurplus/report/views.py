"""Views of a Plan's tables that the figures and the summary share.

Selection, reshaping and aggregation only: nothing here prices energy or values compute. The
numbers come from the plan stage; a view picks, sums or averages them for a chart or a card.
Missing tables or columns give empty frames, so the report draws what a plan has and says what
it lacks.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.calendar import HOURS_PER_YEAR, MONTH_NAMES, SEASON_MONTHS
from gridsurplus.results import TABLE_COLUMNS, Plan


def table(plan: Plan, name: str) -> pd.DataFrame:
    """A table of the plan, or an empty one with the contract's columns when it is missing."""
    frame = plan.tables.get(name)
    if frame is None:
        return pd.DataFrame(columns=TABLE_COLUMNS.get(name, []))
    if "time" in frame.columns and not pd.api.types.is_datetime64_any_dtype(frame["time"]):
        frame = frame.assign(time=pd.to_datetime(frame["time"]))
    return frame


def hourly(plan: Plan, name: str) -> pd.DataFrame:
    """A wide hourly table (``dispatch``, ``flows``, ``spare``) indexed by time."""
    frame = table(plan, name)
    if "time" not in frame.columns or frame.empty:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="time"))
    return frame.set_index("time").sort_index()


def spare_areas(plan: Plan) -> pd.DataFrame:
    """Spare capacity [MW] per area, ``national`` first, then the regions in the plan's order."""
    spare = hourly(plan, "spare").select_dtypes("number")
    if spare.empty:
        return spare
    regions = [r for r in region_order(plan) if r in spare.columns]
    regions += [c for c in spare.columns if c not in regions and c != "national"]
    if "national" not in spare.columns:
        spare = spare.assign(national=spare[regions].sum(axis=1))
    return spare[["national", *regions]]


def region_order(plan: Plan) -> list[str]:
    """Region ids in the order of the ``regions`` table."""
    regions = table(plan, "regions")
    return [str(r) for r in regions["region"]] if "region" in regions.columns else []


def built_sites(plan: Plan) -> pd.DataFrame:
    """Sites with capacity built (``mw > 0``)."""
    sites = table(plan, "sites")
    if sites.empty or "mw" not in sites.columns:
        return sites.iloc[0:0]
    return sites[sites["mw"] > 1e-6].reset_index(drop=True)


def site_label(row: Any) -> str:
    """``HESCO - Bitcoin mining (S21 XP Hyd)`` from a row of ``sites``."""
    label = getattr(row, "label", None)
    if not isinstance(label, str) or not label:
        label = str(getattr(row, "tech", ""))
    return f"{row.region} - {label}"


def sited_mw(plan: Plan) -> pd.DataFrame:
    """MW sited ``[region x kind]`` (kinds ``mining``, ``ai``), regions in the plan's order."""
    built = built_sites(plan)
    kinds = ["mining", "ai"]
    if built.empty:
        return pd.DataFrame(0.0, index=pd.Index(region_order(plan), name="region"), columns=kinds)
    out = built.pivot_table(
        index="region", columns="kind", values="mw", aggfunc="sum", fill_value=0.0
    )
    order = region_order(plan) or list(out.index)
    return out.reindex(index=order, columns=kinds, fill_value=0.0).fillna(0.0)


def tech_names(plan: Plan) -> dict[str, str]:
    """Short name of each tech of the ``sites`` table: its label up to any bracket.

    A label that only repeats the tech id gets the kind in front (``AI data centres: ai_h100``).
    """
    sites = table(plan, "sites")
    names: dict[str, str] = {}
    kinds = {"mining": "Bitcoin mining", "ai": "AI data centres"}
    for row in sites.itertuples(index=False):
        tech = str(row.tech)
        label = getattr(row, "label", None)
        if isinstance(label, str) and label and label != tech:
            names.setdefault(tech, label.split(" (")[0].strip())
        else:
            kind = kinds.get(str(getattr(row, "kind", "")), "")
            names.setdefault(tech, f"{kind}: {tech}" if kind else tech)
    return names


def sited_by_tech(plan: Plan) -> pd.DataFrame:
    """MW sited ``[region x tech]``, mining techs first, only techs with something built."""
    built = built_sites(plan)
    if built.empty:
        return pd.DataFrame(index=pd.Index(region_order(plan), name="region"))
    out = built.pivot_table(
        index="region", columns="tech", values="mw", aggfunc="sum", fill_value=0.0
    )
    kind = built.groupby("tech")["kind"].first()
    techs = sorted(out.columns, key=lambda t: (kind.get(t) != "mining", str(t)))
    order = region_order(plan) or list(out.index)
    return out.reindex(index=order, columns=techs, fill_value=0.0).fillna(0.0)


def by_lens(plan: Plan, name: str) -> pd.DataFrame:
    """A one-row-per-lens table (``pnl_grid``, ``pnl_nation``) indexed by lens."""
    frame = table(plan, name)
    if frame.empty or "lens" not in frame.columns:
        return pd.DataFrame()
    return frame.set_index("lens")


def lenses(plan: Plan) -> list[str]:
    """The lenses the plan reports: the headline's ``headline_lens`` first, else the tariff."""
    found: list[str] = []
    for name in ("pnl_grid", "pnl_nation", "pnl_operators"):
        frame = table(plan, name)
        if "lens" in frame.columns:
            found += [str(v) for v in frame["lens"].unique() if str(v) not in found]
    first = str(plan.headline.get("headline_lens", "tariff"))
    order = [first, *(lens for lens in ("tariff", "marginal_cost") if lens != first)]
    return sorted(found, key=lambda lens: order.index(lens) if lens in order else len(order))


def exchange_rate(plan: Plan) -> float | None:
    """Dataset currency per USD, as the plan's headline gives it."""
    rate = plan.summary.exchange_rate
    return rate if rate > 0 else None


def headline_number(plan: Plan, *keys: str) -> float | None:
    """The first of ``keys`` the headline holds as a number (``a.b`` walks nested dicts)."""
    for key in keys:
        value: Any = plan.headline
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


def tariff_usd_per_mwh(plan: Plan) -> float | None:
    """The posted tariff [USD/MWh] the plan was run with, if the headline names it."""
    return headline_number(
        plan, "tariff_usd_per_mwh", "tariff.mean_usd_per_mwh", "tariff.usd_per_mwh"
    )


def btc_price_usd(plan: Plan) -> float | None:
    """The BTC price [USD] of the plan's first year, as the plan's headline gives it."""
    price = plan.summary.btc_price_usd
    return price if price == price else None


def hours_in_year(plan: Plan) -> int:
    """Hours of the plan's year: the length of the hourly dispatch, else 8760."""
    dispatch = table(plan, "dispatch")
    return len(dispatch) if len(dispatch) >= 24 * 365 else int(HOURS_PER_YEAR)


def season_mask(index: pd.DatetimeIndex, season: str) -> np.ndarray:
    """Boolean mask of the hours of a season."""
    return np.isin(index.month, SEASON_MONTHS[season])


def month_order(index: pd.DatetimeIndex) -> list[int]:
    """Months in the order they first appear (a fiscal year runs Jul-Jun)."""
    return list(dict.fromkeys(index.month.tolist()))


def month_hour_mean(series: pd.Series) -> pd.DataFrame:
    """Mean of an hourly series ``[month x hour]``, months in the data's order."""
    frame = pd.DataFrame(
        {"month": series.index.month, "hour": series.index.hour, "value": series.to_numpy()}
    )
    grid = frame.pivot_table(index="month", columns="hour", values="value", aggfunc="mean")
    return grid.reindex(index=month_order(series.index), columns=range(24))


def peak_week(index: pd.DatetimeIndex, load: pd.Series, season: str) -> pd.DatetimeIndex:
    """The Monday-to-Sunday week of a season that holds the season's highest load hour.

    Falls back to the first 168 hours of the season, or of the data, when the season is absent.
    """
    mask = season_mask(index, season)
    if not mask.any():
        return index[: 7 * 24]
    peak = load[mask].idxmax()
    start = peak.normalize() - pd.Timedelta(days=peak.day_of_week)
    start = max(start, index[0])
    end = start + pd.Timedelta(days=7)
    if end > index[-1]:
        end = index[-1] + pd.Timedelta(hours=1)
        start = end - pd.Timedelta(days=7)
    return index[(index >= start) & (index < end)]


__all__ = [
    "MONTH_NAMES",
    "SEASON_MONTHS",
    "btc_price_usd",
    "built_sites",
    "by_lens",
    "exchange_rate",
    "headline_number",
    "hourly",
    "hours_in_year",
    "lenses",
    "month_hour_mean",
    "month_order",
    "peak_week",
    "region_order",
    "season_mask",
    "site_label",
    "sited_by_tech",
    "sited_mw",
    "spare_areas",
    "table",
    "tariff_usd_per_mwh",
    "tech_names",
]
