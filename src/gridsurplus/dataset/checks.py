"""Checks that span rows and tables, one small named function each.

Every check takes a :class:`CheckContext` (the typed tables, their file names and the first
day of the reference year) and returns the :class:`~gridsurplus.errors.Problem` objects it
finds; :data:`CHECKS` lists them in the order they run and :func:`check_semantics` runs them
all. A check whose tables are absent or whose columns failed to type returns nothing: those
problems are already reported cell by cell.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gridsurplus.dataset.check_context import Check, CheckContext
from gridsurplus.dataset.checks_calendar import (
    budget_months_in_the_year,
    climate_has_every_month,
    demand_covers_the_year,
    load_shape_covers_every_month_once,
    monthly_factors_have_every_month,
    water_budgets_cover_the_year,
)
from gridsurplus.dataset.schema import (
    DEFAULT_VOLL_USD_PER_MWH,
    DEMAND_HOURLY_NAME,
    GENERATING_STATUSES,
)
from gridsurplus.errors import Problem


def demand_shares_sum_to_one(ctx: CheckContext) -> list[Problem]:
    """With monthly demand, every region needs a share and the shares sum to 1."""
    regions = ctx.get("regions", "demand_share")
    if regions is None or DEMAND_HOURLY_NAME in ctx.files or regions.empty:
        return []
    shares = regions["demand_share"]
    if shares.isna().any():
        return [
            Problem(
                ctx.files["regions"],
                "a demand share is required when demand is given monthly "
                "(demand_monthly + load_shape)",
                row=int(i) + 1,
                column="demand_share",
                key=str(regions.loc[i, "region"]),
            )
            for i in shares.index[shares.isna()]
        ]
    if abs(float(shares.sum()) - 1.0) > 1e-3:
        return [
            Problem(
                ctx.files["regions"],
                f"demand shares must sum to 1, they sum to {shares.sum():.4f}: scale them",
                column="demand_share",
            )
        ]
    return []


def links_join_two_regions(ctx: CheckContext) -> list[Problem]:
    """A link's two ends are different regions."""
    links = ctx.get("links", "from_region", "to_region")
    if links is None:
        return []
    return [
        Problem(
            ctx.files["links"],
            f"a link must join two different regions, both ends are '{row['from_region']}'",
            row=int(i) + 1,
            column="to_region",
            key=str(row["link"]),
        )
        for i, row in links.iterrows()
        if row["from_region"] is not None and row["from_region"] == row["to_region"]
    ]


def load_shape_has_every_hour(ctx: CheckContext) -> list[Problem]:
    """Each season of the load shape has one row for each hour 0-23."""
    shape = ctx.get("load_shape", "season", "hour")
    if shape is None:
        return []
    problems = []
    for season, group in shape.groupby("season", sort=False):
        hours = sorted(int(h) for h in group["hour"].dropna())
        if hours == list(range(24)):
            continue
        missing = sorted(set(range(24)) - set(hours))
        problems.append(
            Problem(
                ctx.files["load_shape"],
                f"season '{season}' must have one row for each hour 0-23; missing hours {missing}"
                if missing
                else f"season '{season}' repeats hours: keep one row per hour",
                column="hour",
            )
        )
    return problems


def load_shape_days_have_load(ctx: CheckContext) -> list[Problem]:
    """Each season's factors add up to more than zero (the shape is scaled to its mean)."""
    shape = ctx.get("load_shape", "season", "factor")
    if shape is None:
        return []
    return [
        Problem(
            ctx.files["load_shape"],
            f"season '{season}' has no load in any hour (its factors add up to 0): give each "
            "hour its load over the day's mean (they average 1)",
            column="factor",
            key=str(season),
        )
        for season, group in shape.groupby("season", sort=False)
        if not group["factor"].fillna(0.0).sum() > 0
    ]


def costs_below_the_value_of_lost_load(ctx: CheckContext) -> list[Problem]:
    """No marginal cost above the value of lost load: the model would shed demand instead.

    Such a cost is almost always a price per MWh written in a per-kWh column.
    """
    rate = ctx.number("exchange_rate")
    voll = ctx.number("voll_usd_per_mwh", DEFAULT_VOLL_USD_PER_MWH)
    currency = str(ctx.meta.get("currency", "currency"))
    if rate is None or voll is None:
        return []
    problems = []
    for name, key in (("fuels", "fuel"), ("plants", "plant")):
        df = ctx.get(name, key, "marginal_cost_per_kwh")
        if df is None:
            continue
        usd_per_mwh = df["marginal_cost_per_kwh"] * 1000.0 / rate
        for i in df.index[usd_per_mwh > voll]:
            cost = float(df.loc[i, "marginal_cost_per_kwh"])
            problems.append(
                Problem(
                    ctx.files[name],
                    f"a marginal cost of {cost:g} {currency}/kWh is "
                    f"{float(usd_per_mwh[i]):,.0f} USD/MWh, above the value of lost load "
                    f"({voll:,.0f} USD/MWh), so demand would be shed rather than served: give "
                    f"the cost per kWh (a price per MWh is 1000 times too large)",
                    row=int(i) + 1,
                    column="marginal_cost_per_kwh",
                    key=str(df.loc[i, key]),
                )
            )
    return problems


def profiles_have_monthly_factors(ctx: CheckContext) -> list[Problem]:
    """Generating plants on a wind, solar or 'monthly' profile find their monthly factors.

    Without them the plant's availability would be blank in every hour.
    """
    plants = ctx.get("plants", "fuel", "profile", "status", "in_merit_pool", "capacity_mw")
    fuels = ctx.get("fuels", "fuel", "profile")
    if plants is None or fuels is None:
        return []
    factors = ctx.tables.get("monthly_factors")
    have = set() if factors is None else set(factors["profile"].dropna().astype(str))
    fuel_profile = dict(zip(fuels["fuel"], fuels["profile"], strict=True))
    problems = []
    needed: dict[str, str] = {}
    generating = plants[
        plants["in_merit_pool"].astype(bool)
        & plants["status"].isin(GENERATING_STATUSES)
        & (plants["capacity_mw"] > 0)
    ]
    for _, row in generating.iterrows():
        profile = row["profile"] or fuel_profile.get(row["fuel"], "")
        key = {"wind": "wind", "solar": "solar", "monthly": str(row["fuel"])}.get(profile)
        if key is not None and key not in have:
            needed.setdefault(key, str(row["plant"]))
    for key, plant in needed.items():
        problems.append(
            Problem(
                ctx.files.get("monthly_factors", "monthly_factors.csv"),
                f"no monthly factors for profile '{key}', which plant '{plant}' (and maybe "
                f"others) follows: add 12 rows 'profile={key}, month=1..12, value=...'",
                column="profile",
            )
        )
    return problems


CHECKS: tuple[Check, ...] = (
    demand_shares_sum_to_one,
    links_join_two_regions,
    load_shape_has_every_hour,
    load_shape_days_have_load,
    load_shape_covers_every_month_once,
    demand_covers_the_year,
    budget_months_in_the_year,
    water_budgets_cover_the_year,
    climate_has_every_month,
    monthly_factors_have_every_month,
    profiles_have_monthly_factors,
    costs_below_the_value_of_lost_load,
)
"""Every cross-row check, in the order they run."""


def check_semantics(
    tables: dict[str, pd.DataFrame],
    files: dict[str, str],
    start: pd.Timestamp | None,
    meta: dict[str, Any] | None = None,
) -> list[Problem]:
    """Run every check of :data:`CHECKS` and return all their problems."""
    ctx = CheckContext(tables, files, start, meta or {})
    return [problem for check in CHECKS for problem in check(ctx)]


__all__ = ["CHECKS", "Check", "CheckContext", "check_semantics"]
