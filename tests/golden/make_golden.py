"""Write the golden files the layout must keep: ``python tests/golden/make_golden.py``.

Three runs, each fast enough for the test suite:

- ``pakistan_window/``: the default plan of the embedded dataset over January and February
  (``PlanOptions.window``), sensitivity fixed: ``plan.json`` and ``tables/*.csv``;
- ``toy_free/``: the toy dataset with Pakistan's compute techs, sensitivity re-siting each case;
- ``surplus/``: ``gridsurplus surplus --json`` of the embedded dataset and its tables.

:mod:`test_golden` re-runs them and compares to 1e-9 relative. Re-write the files only when a
change of behaviour is meant, and say so in the commit.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

WINDOW = slice("2024-07-01", "2024-08-31")


def pakistan_window(out: Path) -> None:
    """The default plan of the embedded dataset over two months."""
    import gridsurplus as gs

    result = gs.plan(window=WINDOW, workers=1)
    _write_plan(result, out)


def toy_free(out: Path) -> None:
    """The toy dataset with compute, every sensitivity case sited afresh."""
    from toy_dataset_files import write_toy_dataset

    import gridsurplus as gs
    from gridsurplus.dataset import default_dataset_path, load_dataset

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_toy_dataset(Path(tmp) / "toy")
        for name in ("compute_techs.csv", "markets.csv"):
            shutil.copy(default_dataset_path() / name, folder / name)
        result = gs.plan(load_dataset(folder), workers=1, sensitivity="free")
    _write_plan(result, out)


def surplus(out: Path) -> None:
    """``gridsurplus surplus --json`` and its tables."""
    from typer.testing import CliRunner

    from gridsurplus.cli import app

    with tempfile.TemporaryDirectory() as tmp:
        res = CliRunner().invoke(app, ["surplus", "--out", tmp, "--json", "--quiet"])
        if res.exit_code != 0:
            raise RuntimeError(res.output)
        _replace(out)
        shutil.copytree(Path(tmp) / "tables", out / "tables")
        summary = json.loads(res.stdout)
    _gzip_tables(out)
    (out / "surplus.json").write_text(json.dumps(_strip(summary), indent=1), encoding="utf-8")


def _write_plan(result: Any, out: Path) -> None:
    _replace(out)
    result.write(out)
    _gzip_tables(out)
    headline = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    (out / "plan.json").write_text(json.dumps(_strip(headline), indent=1), encoding="utf-8")


def _gzip_tables(out: Path) -> None:
    """Keep the tables compressed (pandas reads ``.csv.gz`` as it is)."""
    for path in sorted((out / "tables").glob("*.csv")):
        with (
            open(path.with_suffix(".csv.gz"), "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f,
        ):
            f.write(path.read_bytes())
        path.unlink()


def _strip(obj: Any) -> Any:
    """Drop timings: they are not behaviour."""
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if "seconds" not in k}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def _replace(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)


RUNS = {"pakistan_window": pakistan_window, "toy_free": toy_free, "surplus": surplus}

if __name__ == "__main__":
    for name in sys.argv[1:] or list(RUNS):
        RUNS[name](HERE / name)
        print(f"wrote {HERE / name}")
