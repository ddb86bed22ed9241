"""One self-contained HTML report of a Plan: pictures first, numbers second, works offline.

:func:`write_report` renders ``templates/report.html.j2`` with plotly.js inlined once, every
figure of :mod:`gridsurplus.report.figures` as a div, the summary cards and the tables. The
file makes no request of its own: no CDN, no web fonts, no MathJax, no map tiles (the map is
drawn from inlined outlines, see :mod:`gridsurplus.report.geometry`).

The plotly.js inlined is plotly's own cartesian partial bundle (``assets/plotly-cartesian.min.js``,
1.5 MB instead of the full library's 4.8 MB; ``assets/README.md`` says where it comes from). It
draws every trace type in :data:`BUNDLE_TRACES`; a figure of any other type is refused before
anything is written, rather than drawing blank in the browser.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from gridsurplus.dataset.presentation import Presentation, find_presentation
from gridsurplus.report import summary, tables, theme, views
from gridsurplus.results import Plan

TEMPLATES = Path(__file__).with_name("templates")
ASSETS = Path(__file__).with_name("assets")
PLOTLY_BUNDLE = ASSETS / "plotly-cartesian.min.js"
"""plotly.js's cartesian partial bundle, vendored unchanged from npm (see ``assets/README.md``)."""
BUNDLE_TRACES = frozenset(
    {
        "bar",
        "box",
        "contour",
        "heatmap",
        "histogram",
        "histogram2d",
        "histogram2dcontour",
        "image",
        "pie",
        "scatter",
        "scatterternary",
        "violin",
    }
)
"""The trace types the inlined bundle can draw."""
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
    "forex": "The nation's foreign exchange per year under the headline lens: the BTC mined and "
    "the AI services sold (gross), less the imported fuel burned to serve compute, the "
    "imported machines and equipment (paid as annuities at each technology's cost of capital) "
    "and the operators' profit owned abroad: net.",
    "tornado": "Each result when one input moves to its low or its high case, the others held at "
    "the base case (black line). Pick the result from the menu.",
    "breakeven": "The BTC price at which each mining site's margin covers its costs, against the "
    "plan's BTC price and the range the sensitivity runs cover.",
}
"""What each figure shows, printed beneath it."""


def plotly_bundle() -> str:
    """The plotly.js inlined into every report: the vendored cartesian bundle [text]."""
    return PLOTLY_BUNDLE.read_text(encoding="utf-8")


def bundle_version(text: str | None = None) -> str:
    """The plotly.js version of the vendored bundle, read from its banner.

    Examples
    --------
    >>> bundle_version("/** plotly.js (cartesian - minified) v4.1.1 */")
    '4.1.1'
    """
    head = (text if text is not None else plotly_bundle())[:300]
    match = re.search(r"plotly\.js \(cartesian[^)]*\) v(\d+\.\d+\.\d+)", head)
    if match is None:
        raise ValueError(f"{PLOTLY_BUNDLE} does not start with a plotly.js cartesian banner")
    return match.group(1)


def check_trace_types(figures: dict[str, Any]) -> None:
    """Refuse a figure the inlined bundle cannot draw.

    Raises
    ------
    ValueError
        Naming the figure and its trace types outside :data:`BUNDLE_TRACES`.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> check_trace_types({"ok": go.Figure(go.Bar(x=[1], y=[2]))})
    >>> check_trace_types({"globe": go.Figure(go.Scattergeo(lon=[70], lat=[30]))})
    Traceback (most recent call last):
    ...
    ValueError: figure 'globe' draws scattergeo, which the report's plotly.js (cartesian bundle) \
cannot draw; draw it with scatter, bar or heatmap traces
    """
    for key, fig in figures.items():
        missing = sorted({trace.type for trace in fig.data} - BUNDLE_TRACES)
        if missing:
            raise ValueError(
                f"figure '{key}' draws {', '.join(missing)}, which the report's plotly.js "
                "(cartesian bundle) cannot draw; draw it with scatter, bar or heatmap traces"
            )


def figure_html(key: str, fig: Any) -> str:
    """One figure as an HTML fragment for a page that inlines plotly.js once."""
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
        "demand_first": demand_first_sentence(h),
    }


def demand_first_sentence(h: dict[str, Any]) -> str:
    """What the plan can say about demand (never "served" when the base itself sheds load).

    >>> demand_first_sentence({"base_unserved_gwh": 0.0})
    'Households and industry are served first in every hour.'
    >>> demand_first_sentence({"base_unserved_gwh": 1.25, "base_shedding": [{"region": "PORT"}]})
    'The grid cannot serve all its demand even without compute (1.2 GWh unserved, in PORT); \
compute never adds to it and never runs where demand is shed.'
    """
    gwh = h.get("base_unserved_gwh")
    if not isinstance(gwh, (int, float)) or gwh <= 1e-9:
        return "Households and industry are served first in every hour."
    regions = ", ".join(str(r.get("region")) for r in h.get("base_shedding") or [])
    where = f", in {regions}" if regions else ""
    held = "; ".join(
        f"{s.get('site')} ({s.get('region')}, {s.get('hours_shed')} h shed)"
        for s in h.get("sites_held_back") or []
    )
    held_text = (
        f" AI sites held back, their uptime not to be met without shedding: {held}." if held else ""
    )
    return (
        f"The grid cannot serve all its demand even without compute ({gwh:,.1f} GWh unserved"
        f"{where}); compute never adds to it and never runs where demand is shed.{held_text}"
    )


def _version() -> str:
    try:
        from gridsurplus import __version__

        return str(__version__)
    except ImportError:  # pragma: no cover
        return "unknown"


def render_report(plan: Plan, presentation: Presentation | None = None) -> str:
    """The report of a plan as one HTML string.

    Parameters
    ----------
    plan : Plan
        A solved plan; missing tables make their figures say so instead of failing.
    presentation : Presentation, optional
        How the plan's dataset is drawn (region outlines, generation colours); by default
        :func:`presentation_of_plan`.

    Returns
    -------
    str
        A complete HTML document with plotly.js inlined once.
    """
    import jinja2

    from gridsurplus.report.figures import all_figures
    from gridsurplus.report.robust_tables import robust_section

    drawn = all_figures(plan, presentation or presentation_of_plan(plan))
    check_trace_types(drawn)
    figures = {key: figure_html(key, fig) for key, fig in drawn.items()}
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
        plotlyjs=plotly_bundle(),
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


def presentation_of_plan(plan: Plan) -> Presentation:
    """How to draw a plan's dataset when the caller does not say.

    The folder the headline's ``dataset_path`` names, when it has one and it exists; else the
    embedded dataset's when the headline's ``dataset`` is its name; else neutral (schematic map,
    neutral palette). A caller that holds the dataset should pass
    ``gridsurplus.dataset.presentation.presentation_of(ds)`` instead.
    """
    path = plan.headline.get("dataset_path")
    name = plan.headline.get("dataset")
    return find_presentation(str(name) if name else None, str(path) if path else None)


def write_report(plan: Plan, path: str | Path, presentation: Presentation | None = None) -> Path:
    """Write the self-contained HTML report of a plan.

    Parameters
    ----------
    plan : Plan
        The plan to report.
    path : str or pathlib.Path
        The file to write (``report.html`` beside ``plan.json`` by convention); a folder gets
        ``report.html`` inside it.
    presentation : Presentation, optional
        How the plan's dataset is drawn; by default :func:`presentation_of_plan`.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(plan, presentation), encoding="utf-8")
    return path


__all__ = [
    "BUNDLE_TRACES",
    "CAPTIONS",
    "PLOTLY_BUNDLE",
    "bundle_version",
    "check_trace_types",
    "figure_html",
    "plotly_bundle",
    "presentation_of_plan",
    "render_report",
    "write_report",
]
