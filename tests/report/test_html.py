"""The HTML report: one file, plotly.js (cartesian bundle) inlined once, nothing fetched, every
section present, under 3 MB."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from gridsurplus.report import render_report, summary, write_report
from gridsurplus.report.html import (
    BUNDLE_TRACES,
    PLOTLY_BUNDLE,
    bundle_version,
    check_trace_types,
    plotly_bundle,
)
from gridsurplus.results import Plan

SECTIONS = ("summary", "surplus", "operation", "money", "robustness", "assumptions")
MAX_MB = 3.0


def test_plotly_js_is_inlined_once_and_nothing_is_fetched(report_path: Path) -> None:
    from plotly.offline import get_plotlyjs

    html = report_path.read_text(encoding="utf-8")
    bundle = plotly_bundle()
    assert html.count(bundle) == 1
    assert get_plotlyjs()[:300] not in html  # not the full library
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert not re.search(r"<img[^>]+src=\"?https?:", html)
    assert "@import" not in html and "url(http" not in html
    assert "MathJax.Hub" not in html.replace(bundle, "")


def test_the_bundle_is_plotly_js_of_the_installed_plotly_py() -> None:
    from plotly.offline import get_plotlyjs_version

    # plotly.py writes figures for its own plotly.js; the vendored bundle must read them
    # (assets/README.md says how to update the bundle when plotly.py moves on)
    installed = get_plotlyjs_version().split(".")
    vendored = bundle_version().split(".")
    assert vendored[:1] == installed[:1], (bundle_version(), get_plotlyjs_version())
    assert PLOTLY_BUNDLE.stat().st_size < 2e6
    assert (PLOTLY_BUNDLE.parent / "plotly.js-LICENSE.txt").read_text().startswith("MIT License")
    readme = (PLOTLY_BUNDLE.parent / "README.md").read_text(encoding="utf-8")
    assert f"| version | {bundle_version()}" in readme


def test_every_trace_type_of_the_report_is_in_the_bundle(plan: Plan, nothing_sited: Plan) -> None:
    from gridsurplus.report.figures import all_figures

    used = {
        trace.type
        for p in (plan, nothing_sited, Plan(headline={}))
        for fig in all_figures(p).values()
        for trace in fig.data
    }
    assert used == {"scatter", "bar", "heatmap"}
    assert used <= BUNDLE_TRACES


def test_a_figure_the_bundle_cannot_draw_is_refused() -> None:
    import plotly.graph_objects as go

    with pytest.raises(ValueError, match="figure 'globe' draws scattergeo"):
        check_trace_types({"globe": go.Figure(go.Scattergeo(lon=[70.0], lat=[30.0]))})


def test_every_section_and_figure_is_there(report_path: Path, plan: Plan) -> None:
    from gridsurplus.report.figures import all_figures

    html = report_path.read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f'<section id="{section}">' in html
    for key in all_figures(plan):
        assert f'id="fig-{key}"' in html
    assert html.count("Plotly.newPlot(") == len(all_figures(plan))
    assert '"displaylogo": false' in html
    # numbers second: the tables are there, the estimates flagged
    assert "Break-even" in html or "break-even" in html
    assert html.count('status-estimated">estimated') == 7
    assert "approximate" in html


def test_report_is_small_enough_to_mail(report_path: Path) -> None:
    assert report_path.stat().st_size < MAX_MB * 1e6
    assert report_path.stat().st_size < len(plotly_bundle()) + 1e6


def test_summary_cards_read_the_tables(plan: Plan) -> None:
    cards = {c.label: c for c in summary.cards(plan)}
    assert cards["Compute sited"].value == "1,950 MW"
    assert "mining 1,500 MW" in cards["Compute sited"].detail
    grid = plan.tables["pnl_grid"].set_index("lens")
    assert cards["Capacity payments recovered"].value.startswith("$")
    share = grid.loc["marginal_cost", "capacity_payment_share"]
    assert f"{100 * share:.1f}%" in cards["Capacity payments recovered"].detail
    # the headline lens (marginal cost) large, the tariff beneath
    nation = plan.tables["pnl_nation"].set_index("lens")
    assert (
        cards["BTC mined per year"].value
        == f"{nation.loc['marginal_cost', 'btc_mined_per_year']:,.0f} BTC"
    )
    assert "under the tariff" in cards["BTC mined per year"].detail
    table = summary.comparison(plan)
    assert table["columns"] == ["at marginal-cost pricing", "under the tariff"]
    tariff_first = Plan(headline={**plan.headline, "headline_lens": "tariff"}, tables=plan.tables)
    assert summary.comparison(tariff_first)["columns"][0] == "under the tariff"
    assert len(table["rows"]) >= 15


def test_write_report_into_a_folder(plan: Plan, tmp_path: Path) -> None:
    out = write_report(plan, tmp_path)
    assert out == tmp_path / "report.html" and out.stat().st_size > 1e6


def test_a_plan_with_nothing_sited_renders(empty_report_path: Path) -> None:
    html = empty_report_path.read_text(encoding="utf-8")
    assert "No mining site in this plan" in html
    assert "0 MW" in html


def test_a_bare_plan_renders() -> None:
    html = render_report(Plan(headline={}))
    assert "The plan has no regions table to map." in html


def test_importing_gridsurplus_loads_no_plotting_library() -> None:
    code = (
        "import sys, gridsurplus, gridsurplus.report, gridsurplus.report.geometry; "
        "heavy = [m for m in ('plotly', 'jinja2') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
