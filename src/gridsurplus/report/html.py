"""One self-contained HTML report of a Plan: pictures first, numbers second, works offline.

:func:`write_report` renders ``templates/report.html.j2`` with plotly.js inlined once, every
figure of :mod:`gridsurplus.report.figures` as a div, the summary cards and the tables. The
file makes no request of its own: no CDN, no web fonts, no MathJax, no map tiles (the map is
drawn from inlined outlines, see :mod:`gridsurplus.report.geometry`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from gridsurplus.report import summary, tables, theme, views
from gridsurplus.results import Plan

TEMPLATES = Path(__file__).with_name("templates")
CAPTIONS = {
    "map": "Colour: the mean MW a new load in each region could draw in winter or summer (its "
    "own headroom plus what the links can bring, so neighbours' figures overlap and do not add "
    "up). Circles: MW of Bitcoin mining and AI data centres sited. Lines: the transmission "
    "links, as wide as their rating and as dark as their mean use. Hover for the figures.",
    "surplus-heatmap": "Spare capacity of the base year (no compute) below the surplus price, "
    "averaged by month and hour of day. Pick a region from the menu.",
    "duration-curves": "How many hours of the year at least so many MW are spare.",
    "supply-curve": "Energy per season (or year) available at or below each marginal cost. Below "
    "the tariff line the grid covers its fuel cost.",
    "dispatch-winter": "Generation by fuel serving demand and compute, compute consumption, and "
    "the flows on the main links, over the week of the winter peak.",
    "dispatch-summer": "The same for the week of the summer peak, when compute yields to demand.",
    "site-hours": "Hours each site runs at full output, at part output (curtailed in part) and "
    "not at all, under each lens. CF: capacity factor.",
    "curtailment": "Share of the sited MW that draws no power, by month and hour of day: "
    "curtailment, plus the share the sites' availability takes (heat derating, maintenance).",
    "pnl": "Annual accounts of the grid, of the operators (all sites) and of the nation under both "
    "lenses. Switch between USD and PKR.",
    "tornado": "Each result when one input moves to its low or its high case, the others held at "
    "the base case (black line). Pick the result from the menu.",
    "breakeven": "The BTC price at which each mining site's margin covers its costs, against the "
    "plan's BTC price and the range the sensitivity runs cover.",
}
"""What each figure shows, printed beneath it."""


def _figure_html(key: str, fig: Any) -> str:
    height = fig.layout.height or 420
    return fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        config=dict(theme.PLOT_CONFIG),
        div_id=f"fig-{key}",
        default_width="100%",
        default_height=f"{int(height)}px",
        validate=False,
    )


def _meta(plan: Plan) -> dict[str, Any]:
    h = plan.headline
    tariff_usd = views.tariff_usd_per_mwh(plan)
    tariff_pkr = views.headline_number(plan, "tariff_pkr_per_kwh", "tariff.pkr_per_kwh")
    name = h.get("tariff", {}).get("name") if isinstance(h.get("tariff"), dict) else None
    tariff = None
    if tariff_usd is not None:
        tariff = f"{tariff_usd:.1f} USD/MWh" + (" on average" if name and name != "flat" else "")
        if tariff_pkr is not None:
            tariff = f"Rs {tariff_pkr:g}/kWh ({tariff})"
        if name:
            tariff = f"{name}, {tariff}"
    programme = views.headline_number(plan, "programme_mw", "programme.mw")
    solve = views.headline_number(plan, "solve_seconds")
    build = views.headline_number(plan, "build_seconds")
    rate = views.exchange_rate(plan)
    return {
        "dataset": str(h.get("dataset") or h.get("dataset_name") or "gridsurplus plan"),
        "tariff": tariff,
        "programme": f"{programme:,.0f} MW" if programme is not None else None,
        "exchange_rate": f"{rate:,.1f} PKR/USD" if rate else None,
        "method": h.get("method"),
        "solve": (
            f"built in {build:.1f} s, solved in {solve:.1f} s"
            if solve is not None and build is not None
            else None
        ),
        "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "version": _version(),
    }


def _version() -> str:
    try:
        from gridsurplus import __version__

        return str(__version__)
    except ImportError:  # pragma: no cover
        return "unknown"


def render_report(plan: Plan) -> str:
    """The report of a plan as one HTML string.

    Parameters
    ----------
    plan : Plan
        A solved plan; missing tables make their figures say so instead of failing.

    Returns
    -------
    str
        A complete HTML document with plotly.js inlined once.
    """
    import jinja2
    from plotly.offline import get_plotlyjs

    from gridsurplus.report.figures import all_figures
    from gridsurplus.report.robust_tables import robust_section

    figures = {key: _figure_html(key, fig) for key, fig in all_figures(plan).items()}
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("report.html.j2")
    return template.render(
        meta=_meta(plan),
        plotlyjs=get_plotlyjs(),
        figures=figures,
        captions=CAPTIONS,
        cards=summary.cards(plan),
        lens_note=summary.lens_note(plan),
        comparison=summary.comparison(plan),
        sited=summary.sited_table(plan),
        tables={
            "regions": tables.regions(plan),
            "links": tables.links(plan),
            "sites": tables.sites(plan),
            "pnl_grid": tables.pnl_grid(plan),
            "pnl_nation": tables.pnl_nation(plan),
            "pnl_operators": tables.pnl_operators(plan),
            "sensitivity": tables.sensitivity(plan),
            "breakeven": tables.breakeven(plan),
            "assumptions": tables.assumptions(plan),
        },
        n_estimated=_count_estimated(plan),
        robust=robust_section(plan),
    )


def _count_estimated(plan: Plan) -> int:
    table = views.table(plan, "assumptions")
    if "status" not in table.columns:
        return 0
    return int(table["status"].astype(str).str.lower().str.startswith("estimated").sum())


def write_report(plan: Plan, path: str | Path) -> Path:
    """Write the self-contained HTML report of a plan.

    Parameters
    ----------
    plan : Plan
        The plan to report.
    path : str or pathlib.Path
        The file to write (``report.html`` beside ``plan.json`` by convention); a folder gets
        ``report.html`` inside it.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(plan), encoding="utf-8")
    return path


__all__ = ["CAPTIONS", "render_report", "write_report"]
