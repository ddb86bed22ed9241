"""What a sweep says: distributions of the outcomes, what pays, which inputs matter, where.

Plain functions of the store's tables (:mod:`gridsurplus.scenarios.store`), used by the sweep
report and callable from a notebook. Only scenarios that solved (``status == "ok"``) count.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

OUTCOMES: dict[str, str] = {
    "welfare_gain_usd": "National welfare gain [USD/yr]",
    "capacity_payment_recovered_usd": "Grid contribution to capacity payments [USD/yr]",
    "foreign_exchange_net_usd": "Net foreign exchange [USD/yr]",
    "foreign_exchange_gross_usd": "Gross foreign exchange [USD/yr]",
    "operators_profit_usd": "Operators' profit [USD/yr]",
    "sited_mw": "Compute sited [MW]",
    "mining_mw": "Bitcoin mining sited [MW]",
    "ai_mw": "AI data centres sited [MW]",
    "compute_energy_gwh": "Compute energy [GWh/yr]",
}
"""Outcomes the report reads, with their labels."""
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def ok_rows(summary: pd.DataFrame) -> pd.DataFrame:
    """The scenarios that solved."""
    if summary.empty:
        return summary
    return summary[summary["status"] == "ok"]


def foreign_exchange_column(summary: pd.DataFrame) -> tuple[str, str]:
    """The foreign-exchange column to show: net where the plans give it, else gross."""
    ok = ok_rows(summary)
    net = ok.get("foreign_exchange_net_usd")
    if net is not None and net.notna().any():
        return "foreign_exchange_net_usd", OUTCOMES["foreign_exchange_net_usd"]
    return (
        "foreign_exchange_gross_usd",
        "Gross foreign exchange [USD/yr]",
    )


def outcome_quantiles(summary: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Mean and quantiles (P5, P25, P50, P75, P95) of outcomes over the solved scenarios.

    Examples
    --------
    >>> s = pd.DataFrame({"status": ["ok"] * 5, "x": [1.0, 2.0, 3.0, 4.0, 5.0]})
    >>> outcome_quantiles(s, ["x"]).loc["x", ["mean", "p50"]].tolist()
    [3.0, 3.0]
    """
    ok = ok_rows(summary)
    rows = {}
    for col in columns:
        values = ok[col].dropna() if col in ok else pd.Series(dtype=float)
        row: dict[str, Any] = {"scenarios": int(values.size), "mean": values.mean()}
        for q in QUANTILES:
            row[f"p{round(q * 100)}"] = values.quantile(q) if values.size else np.nan
        rows[col] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def ecdf(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Sorted values and their cumulative probability ``i / n``."""
    x = np.sort(values.dropna().to_numpy(float))
    return x, np.arange(1, x.size + 1) / max(x.size, 1)


def rank_importance(summary: pd.DataFrame, inputs: list[str], outcomes: list[str]) -> pd.DataFrame:
    """Spearman rank correlation of every input with every outcome ``[input x outcome]``.

    Inputs that do not vary over the solved scenarios are left out; an outcome that does not
    vary gets zeros.

    Examples
    --------
    >>> s = pd.DataFrame({"status": "ok", "a": [1, 2, 3, 4], "b": [4, 3, 2, 1],
    ...                   "y": [10, 20, 30, 45]})
    >>> rank_importance(s, ["a", "b"], ["y"])["y"].tolist()
    [1.0, -1.0]
    """
    ok = ok_rows(summary)
    varying = [c for c in inputs if c in ok and ok[c].nunique() > 1]
    out = pd.DataFrame(0.0, index=varying, columns=outcomes)
    ranks = ok[varying + [o for o in outcomes if o in ok]].rank()
    for o in outcomes:
        if o not in ranks or ranks[o].nunique() <= 1:
            continue
        for c in varying:
            out.loc[c, o] = float(np.corrcoef(ranks[c], ranks[o])[0, 1])
    return out


def tech_pays(sites: pd.DataFrame) -> pd.DataFrame:
    """Whether each technology pays in each scenario: some MW built and a profit >= 0.

    Returns
    -------
    pandas.DataFrame
        ``[scenario_id x tech]`` of booleans.
    """
    if sites.empty:
        return pd.DataFrame()
    return sites.groupby(["scenario_id", "tech"])["pays"].any().unstack("tech").fillna(False)


def pays_by_driver(
    summary: pd.DataFrame, sites: pd.DataFrame, driver: str, techs: list[str], bins: int = 8
) -> pd.DataFrame:
    """Probability that each technology pays, by bins of a driver (BTC or GPU-hour price).

    Returns
    -------
    pandas.DataFrame
        One row per bin: ``low``, ``high``, ``mid``, ``scenarios`` and one column per tech
        [probability, 0-1].
    """
    ok = ok_rows(summary).set_index("scenario_id")
    pays = tech_pays(sites).reindex(ok.index).fillna(False)
    if driver not in ok or ok[driver].nunique() < 2 or pays.empty:
        return pd.DataFrame()
    x = ok[driver].astype(float)
    edges = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1)))
    which = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
    rows = []
    for b in range(len(edges) - 1):
        members = ok.index[which == b]
        row = {
            "low": edges[b],
            "high": edges[b + 1],
            "mid": float(x[members].median()) if len(members) else np.nan,
            "scenarios": len(members),
        }
        for tech in techs:
            col = pays[tech] if tech in pays else pd.Series(False, index=ok.index)
            row[tech] = float(col[members].mean()) if len(members) else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def sites_chosen(sites: pd.DataFrame) -> pd.DataFrame:
    """How often each site is built across the solved scenarios, and how big.

    Returns
    -------
    pandas.DataFrame
        One row per site built at least once: ``site``, ``region``, ``tech``, ``kind``,
        ``share_built`` [fraction of scenarios], ``mean_mw_when_built``, ``share_paying``.
    """
    if sites.empty:
        return pd.DataFrame(
            columns=["site", "region", "tech", "kind", "share_built", "mean_mw_when_built"]
        )
    n = sites["scenario_id"].nunique()
    built = sites[sites["mw"] > 1e-6]
    grouped = built.groupby(["site", "region", "tech", "kind"])
    out = pd.DataFrame(
        {
            "share_built": grouped.size() / n,
            "mean_mw_when_built": grouped["mw"].mean(),
            "share_paying": grouped["pays"].sum() / n,
        }
    ).reset_index()
    return out.sort_values(["share_built", "mean_mw_when_built"], ascending=False)
