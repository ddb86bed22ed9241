"""The examples in docstrings across the package stay true (economics has its own module)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "gridsurplus.errors",
    "gridsurplus.dataset.io",
    "gridsurplus.dataset.validate",
    "gridsurplus.profiles.temperature",
    "gridsurplus.spare",
    "gridsurplus.surplus",
    "gridsurplus.headroom",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


def test_import_gridsurplus_is_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, gridsurplus; heavy = [m for m in ('linopy', 'highspy', 'plotly', 'pvlib', "
        "'xarray', 'jinja2', 'pypsa') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
