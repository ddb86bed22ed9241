"""``gridsurplus serve`` as a real process on 127.0.0.1, for the tests that need a socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

SRC = Path(__file__).resolve().parents[2] / "src"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """A VTN process; ``base`` is its OpenADR base URL."""

    def __init__(self, db_url: str, port: int | None = None, workers: int = 1) -> None:
        self.db_url = db_url
        self.workers = workers
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}/openadr3/3.1.0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> LiveServer:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])])}  # fmt: skip
        code = "from gridsurplus.cli import main; main()"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, "serve", "--db", self.db_url, "--port", str(self.port),
             "--rate", "10000", "--workers", str(self.workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"the VTN exited at start-up: {err}")
            try:
                if httpx.get(self.base + "/auth/server", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("the VTN did not answer within 60 s")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flush, as in a crash."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
