"""The VTN database for the programme's end-to-end tests: SQLite, and PostgreSQL."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "server"))


@pytest.fixture(scope="session")
def ops_pg_cluster() -> Iterator[Any]:
    from vtn_pg import Cluster  # the server tests' throwaway cluster (or GRIDSURPLUS_TEST_PG)

    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ops_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'vtn.sqlite'}"
    return str(request.getfixturevalue("ops_pg_cluster").new_database())
