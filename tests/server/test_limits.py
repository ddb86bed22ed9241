"""Limits: body size (413), request rate per client (429); one client's burst spares others."""

from __future__ import annotations

from pathlib import Path

from vtn_harness import Vtn


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


def test_streamed_oversized_body_and_nul_characters(tmp_path: Path) -> None:
    vtn = Vtn(f"sqlite:///{tmp_path / 'vtn.sqlite'}", max_body_bytes=2000)
    try:
        bl = vtn.caller("operator", "bl")

        def chunks(text: str):  # no Content-Length: the body arrives in pieces
            data = text.encode()
            for i in range(0, len(data), 500):
                yield data[i : i + 500]

        big = (
            '{"programName": "p", "attributes": [{"type": "N", "values": ["' + "x" * 3000 + '"]}]}'
        )
        response = bl.http.post("/openadr3/3.1.0/programs", content=chunks(big),
                                headers={"Content-Type": "application/json"})  # fmt: skip
        assert response.status_code == 413
        assert bl.get("/programs").json() == []  # nothing was written
        nul = bl.post("/programs", {"programName": "a\x00b"})
        assert nul.status_code == 400 and "NUL" in nul.json()["detail"]
        assert bl.get("/reports", params={"clientName": "a\x00"}).status_code == 400
        assert bl.get("/programs").json() == []
    finally:
        vtn.close()
