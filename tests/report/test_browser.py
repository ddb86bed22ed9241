"""The report in headless Chromium with the network blocked: no request leaves the page, no
console error, and every chart and the map have drawn.

Needs Debian's Chromium (``apt-get install -y chromium``); Playwright's own browser download is
not used. Set ``GRIDSURPLUS_REPORT_SCREENSHOT=/path/shot.png`` to keep a full-page screenshot at
laptop width.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from gridsurplus.results import Plan

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("GRIDSURPLUS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 768}
HOW_TO_INSTALL = (
    f"Chromium not found at {CHROMIUM}. The report's browser test opens report.html in Debian's "
    "Chromium: install it with `apt-get install -y chromium` (as root), or point "
    "GRIDSURPLUS_CHROMIUM at a Chromium binary. Playwright's own browser download is not used. "
    "Skip these tests explicitly with `-m 'not browser'`."
)

PLOTS_JS = """
() => Array.from(document.querySelectorAll('div.plotly-graph-div')).map(gd => {
  const box = gd.getBoundingClientRect();
  const fills = Array.from(gd.querySelectorAll('.scatterlayer path.js-fill'))
    .filter(p => (p.getAttribute('d') || '').length > 20);
  return {
    id: gd.id,
    drawn: !!gd._fullLayout && !!gd.querySelector('.main-svg'),
    width: box.width,
    height: box.height,
    traces: (gd.data || []).length,
    // painted marks: trace paths with a real outline, heatmap images with real pixels
    marks: Array.from(gd.querySelectorAll('.trace path')).filter(
        p => (p.getAttribute('d') || '').length > 10).length
      + Array.from(gd.querySelectorAll('.trace image, .hm image')).filter(
        i => (i.getAttribute('href') || '').startsWith('data:image') &&
             i.getAttribute('href').length > 200).length,
    annotations: Array.from(gd.querySelectorAll('.annotation-text')).map(a => a.textContent),
    regions: (gd.data || []).filter(t => (t.name || '').startsWith('region:')).length,
    regionFills: fills.map(p => p.style.fill),
  };
})
"""
DRAWN_COUNT_JS = """
() => Array.from(document.querySelectorAll('div.plotly-graph-div')).filter(
  gd => gd._fullLayout && gd.querySelector(':scope > .plot-container .main-svg')).length
"""
ALL_DRAWN_JS = """
() => {
  const plots = document.querySelectorAll('div.plotly-graph-div');
  return plots.length > 0 && Array.from(plots).every(
    gd => gd._fullLayout && gd.querySelector('.main-svg'));
}
"""


@dataclass
class Loaded:
    """A report opened in the browser, with what it asked for and what it complained of."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def plots(self) -> dict[str, dict[str, Any]]:
        return {p["id"]: p for p in self.page.evaluate(PLOTS_JS)}


def _chromium_path() -> str | None:
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    return shutil.which("chromium") if "GRIDSURPLUS_CHROMIUM" not in os.environ else None


def test_chromium_is_installed() -> None:
    if _chromium_path() is None:
        pytest.fail(HOW_TO_INSTALL, pytrace=False)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium_path()
    if executable is None:
        pytest.fail(HOW_TO_INSTALL, pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        pytest.fail("The browser test needs playwright: pip install '.[test]'", pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=ARGS)
        yield chromium
        chromium.close()


def open_report(browser: Any, path: Path) -> Iterator[Loaded]:
    """Open a report offline; every request but the file itself is recorded and aborted."""
    context = browser.new_context(viewport=LAPTOP, offline=True)
    page = context.new_page()
    loaded = Loaded(page=page, url=path.resolve().as_uri())

    def route(route: Any) -> None:
        if route.request.url == loaded.url:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    page.on("request", lambda r: loaded.requests.append(r.url))
    page.on("console", lambda m: loaded.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: loaded.errors.append(str(e)))
    page.goto(loaded.url, wait_until="load", timeout=60_000)
    page.wait_for_function(ALL_DRAWN_JS, timeout=60_000)
    page.wait_for_timeout(300)
    yield loaded
    context.close()


@pytest.fixture(scope="module")
def report(browser: Any, report_path: Path) -> Iterator[Loaded]:
    yield from open_report(browser, report_path)


@pytest.fixture(scope="module")
def empty_report(browser: Any, empty_report_path: Path) -> Iterator[Loaded]:
    yield from open_report(browser, empty_report_path)


def _outside(loaded: Loaded) -> list[str]:
    return [u for u in loaded.requests if u != loaded.url and not u.startswith(("data:", "blob:"))]


def test_no_request_leaves_the_page_and_no_console_error(report: Loaded) -> None:
    assert _outside(report) == []
    assert report.requests[0] == report.url
    assert report.errors == []


def _expected_ids(plan: Plan) -> set[str]:
    from gridsurplus.report.figures import all_figures

    return {f"fig-{key}" for key in all_figures(plan)}


def test_every_chart_has_drawn(report: Loaded, plan: Plan) -> None:
    plots = report.plots()
    assert set(plots) == _expected_ids(plan) and len(plots) == 12
    assert report.page.evaluate(DRAWN_COUNT_JS) == len(plots)
    for key, plot in plots.items():
        assert plot["drawn"], key
        assert plot["width"] > 300 and plot["height"] > 250, (key, plot["width"], plot["height"])
        assert plot["traces"] > 0, key
        # something was painted, not an empty frame
        assert plot["marks"] >= 1, key


def test_the_map_draws_every_region_polygon(report: Loaded) -> None:
    plot = report.plots()["fig-map"]
    assert plot["regions"] == 10
    assert len(plot["regionFills"]) >= 10
    assert all(fill and fill != "none" for fill in plot["regionFills"])


def test_the_season_buttons_recolour_the_map(report: Loaded) -> None:
    before = report.plots()["fig-map"]["regionFills"]
    report.page.locator("#fig-map .updatemenu-button").nth(1).click()
    report.page.wait_for_timeout(300)
    after = report.plots()["fig-map"]["regionFills"]
    report.page.locator("#fig-map .updatemenu-button").nth(0).click()
    assert after != before
    assert report.errors == []


def test_laptop_width_has_no_horizontal_scroll(report: Loaded) -> None:
    width = report.page.evaluate("document.documentElement.scrollWidth")
    assert width <= LAPTOP["width"]
    shot = os.environ.get("GRIDSURPLUS_REPORT_SCREENSHOT")
    if shot:
        report.page.screenshot(path=shot, full_page=True)


def test_a_plan_with_nothing_sited_says_so(empty_report: Loaded, nothing_sited: Plan) -> None:
    assert _outside(empty_report) == []
    assert empty_report.errors == []
    plots = empty_report.plots()
    assert set(plots) == _expected_ids(nothing_sited)
    assert empty_report.page.evaluate(DRAWN_COUNT_JS) == len(plots)
    for key, plot in plots.items():
        assert plot["drawn"], key
        assert plot["traces"] > 0 or plot["annotations"], key
    assert any("No mining site" in a for a in plots["fig-breakeven"]["annotations"])
    assert plots["fig-map"]["regions"] == 10


def test_the_guard_sees_a_request_and_a_console_error(
    browser: Any, report_path: Path, tmp_path: Path
) -> None:
    html = report_path.read_text(encoding="utf-8")
    tampered = tmp_path / "tampered.html"
    tampered.write_text(
        html.replace(
            "</body>",
            '<img src="https://example.invalid/tile.png"><script>console.error("boom")</script>'
            "</body>",
        ),
        encoding="utf-8",
    )
    for loaded in open_report(browser, tampered):
        assert _outside(loaded) == ["https://example.invalid/tile.png"]
        assert "boom" in loaded.errors
