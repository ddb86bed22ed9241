"""Fixtures: the VTN on SQLite and on PostgreSQL, with a BL client and two VEN clients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from vtn_harness import Caller, Vtn
from vtn_pg import Cluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'vtn.sqlite'}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.new_database()
    yield url
    cluster.drop_database(url)


@pytest.fixture
def vtn(db_url: str) -> Iterator[Vtn]:
    server = Vtn(db_url)
    yield server
    server.close()


@pytest.fixture
def bl(vtn: Vtn) -> Caller:
    return vtn.caller("operator", "bl")


@pytest.fixture
def ven1(vtn: Vtn) -> Caller:
    return vtn.caller("site-1", "ven")


@pytest.fixture
def ven2(vtn: Vtn) -> Caller:
    return vtn.caller("site-2", "ven")
