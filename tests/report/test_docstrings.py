"""The examples in the report modules' docstrings stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "gridsurplus.report.build_regions",
    "gridsurplus.report.geometry",
    "gridsurplus.report.formatting",
    "gridsurplus.report.theme",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
