"""Fixtures of the console's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.console.programme import Programme, start_programme


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Programme]:
    """A served programme (real process) with today published; stopped after the module."""
    prog, server = start_programme(tmp_path_factory.mktemp("console"))
    try:
        yield prog
    finally:
        server.stop()  # type: ignore[attr-defined]
