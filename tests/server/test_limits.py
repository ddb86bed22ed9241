"""Limits: body size (413), request rate per client (429); one client's burst spares others."""

from __future__ import annotations

from pathlib import Path

from conftest import Vtn


def test_body_size_and_rate_limits(tmp_path: Path) -> None:
    vtn = Vtn(f"sqlite:///{tmp_path / 'vtn.sqlite'}", max_body_bytes=2000, rate_per_s=0.5,
              rate_burst=5)  # fmt: skip
    try:
        bl = vtn.caller("operator", "bl")
        ven = vtn.caller("site-1", "ven")
        big = {"programName": "p", "attributes": [{"type": "NOTE", "values": ["x" * 3000]}]}
        response = bl.post("/programs", big)
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        statuses = [bl.get("/programs").status_code for _ in range(6)]
        assert statuses[:4] == [200] * 4 and statuses[-1] == 429  # the 413 used one request
        limited = bl.get("/programs")
        assert limited.headers["retry-after"] == "1" and limited.json()["status"] == 429
        assert ven.get("/programs").status_code == 200  # the other client is not slowed
    finally:
        vtn.close()


def test_page_size_cannot_exceed_the_spec(tmp_path: Path) -> None:
    import pytest

    with pytest.raises(ValueError, match="above the spec's 50"):
        Vtn(f"sqlite:///{tmp_path / 'vtn.sqlite'}", max_page=100)
