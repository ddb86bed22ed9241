"""Fixtures of the report tests: a synthetic plan, an empty one, and their reports on disk.

The full plan's report is drawn with Pakistan's presentation (outlines, colours); the empty
plan's with none, as a dataset without presentation files is drawn (schematic, neutral).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gridsurplus.dataset import default_dataset_path
from gridsurplus.dataset.presentation import Presentation, load_presentation
from gridsurplus.results import Plan

from .synthetic_plan import empty_plan, synthetic_plan


@pytest.fixture(scope="session")
def plan() -> Plan:
    return synthetic_plan()


@pytest.fixture(scope="session")
def nothing_sited() -> Plan:
    return empty_plan()


@pytest.fixture(scope="session")
def pakistan() -> Presentation:
    return load_presentation(default_dataset_path())


@pytest.fixture(scope="session")
def report_path(
    plan: Plan, pakistan: Presentation, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    from gridsurplus.report import write_report

    return write_report(plan, tmp_path_factory.mktemp("report") / "report.html", pakistan)


@pytest.fixture(scope="session")
def empty_report_path(nothing_sited: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gridsurplus.report import write_report

    return write_report(nothing_sited, tmp_path_factory.mktemp("empty") / "report.html")
