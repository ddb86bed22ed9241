"""Cross-table checks that every month of the reference year is covered, once."""

from __future__ import annotations

from gridsurplus.dataset.check_context import CheckContext
from gridsurplus.dataset.validate import show_value
from gridsurplus.errors import Problem


def load_shape_covers_every_month_once(ctx: CheckContext) -> list[Problem]:
    """Every month 1-12 is in exactly one season of the load shape."""
    shape = ctx.get("load_shape", "season", "months")
    if shape is None:
        return []
    file = ctx.files["load_shape"]
    problems = []
    seen: dict[int, str] = {}
    for season, group in shape.groupby("season", sort=False):
        for text in sorted(set(group["months"].dropna().astype(str))):
            try:
                months = [int(m) for m in text.replace(",", " ").split()]
            except ValueError:
                months = []
            if not months or any(not 1 <= m <= 12 for m in months):
                problems.append(
                    Problem(
                        file,
                        f"months must be numbers 1-12 separated by spaces, got {show_value(text)}",
                        column="months",
                        key=str(season),
                    )
                )
                continue
            for m in months:
                if m in seen and seen[m] != season:
                    problems.append(
                        Problem(
                            file,
                            f"month {m} is in two seasons ('{seen[m]}' and '{season}')",
                            column="months",
                        )
                    )
                seen[m] = str(season)
    missing = sorted(set(range(1, 13)) - set(seen))
    if missing and not problems:
        problems.append(
            Problem(
                file,
                f"months {missing} are in no season: every month needs a shape",
                column="months",
            )
        )
    return problems


def demand_covers_the_year(ctx: CheckContext) -> list[Problem]:
    """Monthly demand has every month of the reference year and no other."""
    demand = ctx.get("demand_monthly", "month")
    year = ctx.year_months
    if demand is None or not year:
        return []
    file = ctx.files["demand_monthly"]
    problems = []
    months = demand["month"].dropna().astype(str).tolist()
    absent = [m for m in year if m not in set(months)]
    if absent:
        problems.append(
            Problem(
                file,
                f"the demand series does not cover the reference year: months {absent} "
                f"are missing (the year runs {year[0]} to {year[-1]})",
                column="month",
            )
        )
    problems += [
        Problem(
            file,
            f"month {show_value(m)} is outside the reference year "
            f"({year[0]} to {year[-1]}, as YYYY-MM)",
            row=i + 1,
            column="month",
            key=m,
        )
        for i, m in enumerate(months)
        if m not in year
    ]
    return problems


def budget_months_in_the_year(ctx: CheckContext) -> list[Problem]:
    """Energy budgets name a month of the reference year or 'year'."""
    budgets = ctx.get("energy_budgets", "month")
    year = ctx.year_months
    if budgets is None or not year:
        return []
    return [
        Problem(
            ctx.files["energy_budgets"],
            f"month {show_value(m)} is outside the reference year: use YYYY-MM from "
            f"{year[0]} to {year[-1]}, or 'year' for the whole year",
            row=i + 1,
            column="month",
            key=str(budgets.iloc[i]["fuel"]),
        )
        for i, m in enumerate(budgets["month"])
        if m is not None and m not in year and m != "year"
    ]


def water_budgets_cover_the_year(ctx: CheckContext) -> list[Problem]:
    """A fuel with water budgets has one for every month of the reference year."""
    budgets = ctx.get("energy_budgets", "month", "kind", "fuel")
    year = ctx.year_months
    if budgets is None or not year:
        return []
    problems = []
    for fuel, group in budgets[budgets["kind"] == "water"].groupby("fuel"):
        absent = [m for m in year if m not in set(group["month"].astype(str))]
        if absent:
            problems.append(
                Problem(
                    ctx.files["energy_budgets"],
                    f"fuel '{fuel}' has no water budget for months {absent}: give all 12 months",
                    column="month",
                    key=str(fuel),
                )
            )
    return problems


def _every_month(ctx: CheckContext, table: str, by: str) -> list[Problem]:
    df = ctx.get(table, by, "month")
    if df is None:
        return []
    problems = []
    for name, group in df.groupby(by):
        got = {int(m) for m in group["month"].dropna()}
        if got != set(range(1, 13)):
            problems.append(
                Problem(
                    ctx.files[table],
                    f"{by} '{name}' needs all 12 months, missing {sorted(set(range(1, 13)) - got)}",
                    column="month",
                    key=str(name),
                )
            )
    return problems


def climate_has_every_month(ctx: CheckContext) -> list[Problem]:
    """Each climate station has all twelve months."""
    return _every_month(ctx, "climate", "station")


def monthly_factors_have_every_month(ctx: CheckContext) -> list[Problem]:
    """Each profile of the monthly factors has all twelve months."""
    return _every_month(ctx, "monthly_factors", "profile")
