"""A throwaway PostgreSQL cluster for the server tests (Debian's postgresql package).

``GRIDSURPLUS_TEST_PG`` (a ``postgresql://`` URL to a server where the user may create
databases, e.g. the one ``.ci/run`` starts) is used when set; otherwise a cluster is created
with ``initdb`` under a temporary folder and started with ``pg_ctl`` (as the ``postgres`` user
when the tests run as root, since PostgreSQL refuses to run as root). If neither works the
tests fail with the reason: nothing is skipped silently.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if candidates:
        return candidates[-1]
    raise RuntimeError(
        f"PostgreSQL's {name} not found: install Debian's postgresql package "
        "(apt-get install -y postgresql) or set GRIDSURPLUS_TEST_PG to a server URL"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A running PostgreSQL server we may create databases on."""

    def __init__(self) -> None:
        self.url = os.environ.get("GRIDSURPLUS_TEST_PG", "")
        self._folder: Path | None = None
        self._as: list[str] = []
        if not self.url:
            self._start()

    def _start(self) -> None:
        initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        self._folder = Path(tempfile.mkdtemp(prefix="gridsurplus-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self._folder, "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]
        data = self._folder / "data"
        port = _free_port()
        run = [*self._as, initdb, "-D", str(data), "-U", "vtn", "--auth=trust", "-E", "UTF8"]
        subprocess.run(run, check=True, capture_output=True, text=True)
        options = f"-p {port} -k {self._folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = [*self._as, pg_ctl, "-D", str(data), "-o", options, "-w", "-t", "60",
                 "-l", str(self._folder / "log"), "start"]  # fmt: skip
        result = subprocess.run(start, capture_output=True, text=True)
        if result.returncode != 0:
            log = (self._folder / "log").read_text() if (self._folder / "log").exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {result.stderr}\n{log}")
        self.url = f"postgresql://vtn@127.0.0.1:{port}/postgres"

    def new_database(self) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + "/" + name

    def drop_database(self, url: str) -> None:
        """Drop a database made by :meth:`new_database` (connections to it are closed)."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the cluster we started (nothing if it was given)."""
        if self._folder is None:
            return
        pg_ctl = _pg_bin("pg_ctl")
        subprocess.run(
            [*self._as, pg_ctl, "-D", str(self._folder / "data"), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self._folder, ignore_errors=True)
