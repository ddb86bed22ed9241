"""Every example in the package's docstrings stays true, and the package imports light."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import gridsurplus

MODULES = sorted(m.name for m in pkgutil.walk_packages(gridsurplus.__path__, "gridsurplus."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_examples_are_many() -> None:
    # the examples are part of the documentation: most public modules carry some
    with_examples = [
        name for name in MODULES
        if doctest.DocTestFinder().find(importlib.import_module(name)) and any(
            t.examples for t in doctest.DocTestFinder().find(importlib.import_module(name)))
    ]  # fmt: skip
    assert len(with_examples) >= 15


def test_import_gridsurplus_is_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, gridsurplus; heavy = [m for m in ('linopy', 'highspy', 'plotly', 'pvlib', "
        "'xarray', 'jinja2', 'pypsa') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
