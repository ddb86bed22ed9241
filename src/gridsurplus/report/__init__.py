"""The report of a plan: plotly figures and one self-contained, offline HTML file.

``write_report(plan, path)`` writes ``report.html``; :mod:`gridsurplus.report.figures` holds
one function per figure. Plotly and Jinja2 are imported only when a report is drawn.
"""

from __future__ import annotations

from typing import Any

__all__ = ["render_report", "write_report"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from gridsurplus.report import html

        return getattr(html, name)
    raise AttributeError(f"module 'gridsurplus.report' has no attribute '{name}'")
