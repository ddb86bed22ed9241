"""The sweep's offline HTML page: ``gridsurplus sweep report DIR`` writes ``DIR/report.html``.

Like the plan's report it inlines plotly.js once and embeds each figure with the plan report's
own helper (:func:`gridsurplus.report.html.figure_html`), so it opens from disk with no
network: the distributions of welfare, grid contribution and foreign exchange, the
probability that each technology pays against the BTC and GPU-hour prices, the inputs that
move the outcomes most, the sites chosen, the inputs' sources, and the failed scenarios.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import pandas as pd

from gridsurplus.scenarios import analysis, figures
from gridsurplus.scenarios.store import Store

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 0; color: #1f2933; line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }}
header {{ background: #102a43; color: #f0f4f8; padding: 22px 0 16px; }}
header h1 {{ margin: 0 0 6px; font-size: 26px; }} header p {{ margin: 0; color: #bcccdc; }}
.wrap {{ max-width: 1240px; margin: 0 auto; padding: 0 24px; }}
section {{ padding: 22px 0 8px; border-bottom: 1px solid #d9e2ec; }}
h2 {{ font-size: 21px; margin: 0 0 6px; }} p.lead {{ color: #52606d; max-width: 85ch; }}
.pair {{ display: grid; grid-template-columns: minmax(0,1fr) minmax(0,1fr); gap: 20px; }}
@media (max-width: 1000px) {{ .pair {{ grid-template-columns: minmax(0,1fr); }} }}
.table-wrap {{ overflow-x: auto; margin: 6px 0 14px; }}
table {{ border-collapse: collapse; font-size: 13.5px; width: 100%;
  font-variant-numeric: tabular-nums; }}
th, td {{ padding: 5px 9px; border-bottom: 1px solid #d9e2ec; text-align: left;
  vertical-align: top; }}
th {{ background: #f5f7fa; }} td.num {{ text-align: right; }}
</style>
<script>{plotlyjs}</script>
</head><body>
<header><div class="wrap"><h1>{title}</h1><p>{subtitle}</p></div></header>
<main class="wrap">
{sections}
</main>
<footer class="wrap"><p class="lead">gridsurplus {version}, generated {generated}.</p></footer>
</body></html>
"""


def _section(title: str, lead: str, body: str) -> str:
    return f"<section><h2>{html.escape(title)}</h2><p class='lead'>{lead}</p>{body}</section>"


def _number(value: float) -> str:
    if value != value:
        return ""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.3g}"


def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p class='lead'>None.</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for value in row:
            if isinstance(value, float):
                cells.append(f"<td class='num'>{_number(value)}</td>")
            else:
                cells.append(f"<td>{html.escape(str(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        "<div class='table-wrap'><table><thead><tr>"
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )


def render_report(folder: str | Path) -> str:
    """The report of a sweep folder as one HTML string."""
    from gridsurplus import __version__
    from gridsurplus.report.html import figure_html, plotly_bundle

    store = Store(folder)
    manifest = store.manifest()
    summary = store.summary()
    sites = store.sites()
    inputs = list(manifest.get("inputs", {}))
    ok = analysis.ok_rows(summary)
    n_failed = len(summary) - len(ok)
    fx_col, fx_label = analysis.foreign_exchange_column(summary)
    outcomes = {
        "welfare_gain_usd": analysis.OUTCOMES["welfare_gain_usd"],
        "capacity_payment_recovered_usd": analysis.OUTCOMES["capacity_payment_recovered_usd"],
        fx_col: fx_label,
    }
    techs = sorted(sites["tech"].unique()) if not sites.empty else []
    kinds = sites.drop_duplicates("tech").set_index("tech")["kind"] if techs else pd.Series()
    mining = [t for t in techs if kinds.get(t) == "mining"]
    ai = [t for t in techs if kinds.get(t) == "ai"]

    def fig(key: str, figure: Any) -> str:
        return f"<figure class='chart'>{figure_html(key, figure)}</figure>"

    sections = []
    cdfs = "".join(
        fig(f"cdf-{i}", figures.outcome_cdf(summary, col, label))
        for i, (col, label) in enumerate(outcomes.items())
    )
    quantiles = analysis.outcome_quantiles(summary, [*outcomes, "sited_mw", "mining_mw", "ai_mw"])
    quantiles.insert(0, "outcome", [analysis.OUTCOMES.get(c, c) for c in quantiles.index])
    sections.append(
        _section(
            "How the outcomes are distributed",
            f"{len(ok)} scenarios solved, {n_failed} failed, of "
            f"{manifest.get('scenarios', len(summary))} (sites {manifest.get('sites')}). "
            "Each curve gives the share of scenarios at or below a value; P5, P50 and P95 "
            "are marked. The grid contribution is what compute pays above the extra fuel it "
            "makes the grid burn, at marginal-cost pricing."
            + (
                " Foreign exchange is gross (revenue from abroad): the net figure is not yet "
                "computed by the plans."
                if fx_col.endswith("gross_usd")
                else ""
            ),
            f"<div class='pair'>{cdfs}</div>" + _table(quantiles.reset_index(drop=True)),
        )
    )
    sections.append(
        _section(
            "What pays, against the price that drives it",
            "A technology pays in a scenario when it is built and its operators' profit (after "
            "the capital annuity) is at least zero. Scenarios are binned by the price in the "
            "plan's first year.",
            "<div class='pair'>"
            + fig(
                "pays-btc",
                figures.pays_figure(
                    summary, sites, "btc_price_usd_start", mining, "Mining against the BTC price"
                ),
            )
            + fig(
                "pays-gpu",
                figures.pays_figure(
                    summary, sites, "gpu_hour_usd_start", ai, "AI against the GPU-hour price"
                ),
            )
            + "</div>",
        )
    )
    sections.append(
        _section(
            "Which inputs decide it",
            "Rank correlation of each sampled input with the outcome over the solved scenarios: "
            "the longer the bar, the more the outcome's rank follows the input's. Pick the "
            "outcome from the menu.",
            fig("tornado", figures.tornado(summary, inputs, outcomes)),
        )
    )
    chosen = analysis.sites_chosen(sites)
    sections.append(
        _section(
            "Where compute goes",
            "Share of the solved scenarios in which each site is built (with sites fixed, the "
            "plan's sites are built in every scenario).",
            fig("sites", figures.sites_figure(sites)) + _table(chosen),
        )
    )
    declared = pd.DataFrame(
        [{"input": k, **v} for k, v in manifest.get("inputs", {}).items()],
        columns=["input", "unit", "status", "distribution"],
    )
    sections.append(
        _section(
            "The inputs",
            "Every sampled input, its unit, distribution and whether its range is sourced, "
            "derived or estimated (the scenario file holds each source text: "
            f"{html.escape(str(manifest.get('scenario_file') or 'in memory'))}).",
            _table(declared),
        )
    )
    failed = summary[summary["status"] != "ok"] if len(summary) else summary
    sections.append(
        _section(
            "Failed scenarios",
            "Scenarios without a solution, with the reason.",
            _table(failed[["scenario_id", "reason"]] if len(failed) else pd.DataFrame()),
        )
    )
    return _PAGE.format(
        title=html.escape(f"Sweep: {manifest.get('name', '')} on {manifest.get('dataset', '')}"),
        subtitle=html.escape(
            f"{manifest.get('scenarios')} scenarios, seed {manifest.get('seed')}, "
            f"sites {manifest.get('sites')}"
        ),
        plotlyjs=plotly_bundle(),
        sections="\n".join(sections),
        version=__version__,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    )


def write_report(folder: str | Path, path: str | Path | None = None) -> Path:
    """Write a sweep's report (default ``DIR/report.html``) and return its path."""
    target = Path(path) if path is not None else Path(folder) / "report.html"
    target.write_text(render_report(folder), encoding="utf-8")
    return target
