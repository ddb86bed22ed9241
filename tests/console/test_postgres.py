"""The console on PostgreSQL: its key kept in the database, sign-in, an enrolled programme.

PostgreSQL comes as for the VTN's tests: ``GRIDSURPLUS_TEST_PG``, else a throwaway cluster of
Debian's ``postgresql`` started under a temporary folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.console.programme import add, enroll_in
from tests.console.test_http import client, sign_in, token_in


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from tests.server.vtn_pg import Cluster

    c = Cluster()
    yield c
    c.stop()


def test_the_console_on_postgresql(cluster: Any, tmp_path: Path) -> None:
    from gridsurplus.server.site import create_site as create_app

    url = cluster.new_database()
    app = create_app(url)
    again = create_app(url)
    try:
        assert again.state.console.key == app.state.console.key
        bl_id, bl_secret = add(app, "control room", "bl")
        ven_id, ven_secret = add(app, "a site", "ven")
        c = client(app)
        assert sign_in(c, ven_id, ven_secret).status_code == 401
        assert sign_in(c, bl_id, bl_secret + "x").status_code == 401
        assert sign_in(c, bl_id, bl_secret).status_code == 303
        assert "No programme yet" in c.get("/").text

        enroll_in(app, c)
        page = c.get("/").text
        assert sorted(re.findall(r'<tr data-site="([^"]+)"', page)) == [
            "ai@LESCO", "btc@KE", "btc@LESCO"]  # fmt: skip
        assert page.count("Not published yet.") == 2
        site = c.get("/console/sites/btc@KE").text
        assert "No event covers this day yet." in site
        assert c.get("/console/sites/nowhere").status_code == 404
        r = c.post("/console/settlement", data={"csrf": token_in(page), "month": "2026-12"})
        assert r.status_code == 303  # back to the overview, which says why
        assert "there is nothing to bill" in c.get("/").text
    finally:
        for a in (app, again):
            a.state.console.close()
            a.state.vtn.engine.dispose()
