"""The examples in the economics docstrings stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "gridsurplus.economics.errors",
    "gridsurplus.economics.bitcoin",
    "gridsurplus.economics.asics",
    "gridsurplus.economics.heat",
    "gridsurplus.economics.datacenter",
    "gridsurplus.economics.finance",
    "gridsurplus.economics.tariffs",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
