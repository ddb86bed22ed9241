"""Behaviour kept: re-run the golden runs and compare them to the saved files, 1e-9 relative.

The files are written by ``tests/golden/make_golden.py`` (see its docstring for the runs).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
sys.path.insert(0, str(GOLDEN))

import make_golden  # noqa: E402

RENAMED = "_pkr"
"""Meant changes since the golden files were written: money in the dataset's currency is named
``*_local`` (was ``*_pkr``), and the tables that carry it gained a ``currency`` column."""
ADDED = {"btc_price_usd", "base_unserved_gwh", "base_shedding", "sites_held_back"}
"""Keys ``plan.json`` gained (the BTC price the report used to re-derive; demand first: what the
base dispatch sheds and the AI sites held back)."""
ADDED_COLUMNS = {"unserved_mw", "base_unserved_mw"}
"""Columns tables gained (``dispatch_region``: the plan's and the base's unserved demand)."""
RTOL = 1e-9
ATOL = 1e-6  # [the column's unit]: values that are zero up to the solver's round-off


def _local(name: str) -> str:
    return name[: -len(RENAMED)] + "_local" if name.endswith(RENAMED) else name


def _same(a: Any, b: Any, where: str) -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        b = {_local(k): v for k, v in b.items()}
        a = {k: v for k, v in a.items() if k in b or k not in ADDED}
        if set(a) != set(b):
            return [f"{where}: keys {sorted(set(a) ^ set(b))} differ"]
        return [d for k in a for d in _same(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items against {len(b)}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _same(x, y, f"{where}[{i}]")
        ]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if math.isnan(a) and math.isnan(b):
            return []
        if math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL):
            return []
        return [f"{where}: {a!r} against golden {b!r}"]
    return [] if a == b else [f"{where}: {a!r} against golden {b!r}"]


def _compare(out: Path, golden: Path) -> list[str]:
    diffs = _same(
        json.loads(next(out.glob("*.json")).read_text(encoding="utf-8")),
        json.loads(next(golden.glob("*.json")).read_text(encoding="utf-8")),
        "json",
    )
    names = sorted(p.name for p in (golden / "tables").glob("*.csv.gz"))
    got = sorted(p.name for p in (out / "tables").glob("*.csv.gz"))
    if names != got:
        diffs.append(f"tables {sorted(set(names) ^ set(got))} differ")
    for name in set(names) & set(got):
        new = pd.read_csv(out / "tables" / name)
        old = pd.read_csv(golden / "tables" / name).rename(columns=_local)
        if "currency" in new.columns and "currency" not in old.columns:
            new = new.drop(columns="currency")
        new = new.drop(columns=[c for c in ADDED_COLUMNS if c in new and c not in old])
        if list(new.columns) != list(old.columns) or len(new) != len(old):
            diffs.append(f"{name}: columns or rows differ")
            continue
        for col in old.columns:
            a, b = new[col], old[col]
            if pd.api.types.is_numeric_dtype(b) and pd.api.types.is_numeric_dtype(a):
                ok = np.isclose(
                    a.to_numpy(float), b.to_numpy(float), rtol=RTOL, atol=ATOL, equal_nan=True
                )
                if not ok.all():
                    i = int(np.argmin(ok))
                    diffs.append(
                        f"{name}.{col} row {i}: {a.iloc[i]!r} against golden {b.iloc[i]!r}"
                    )
            elif not a.fillna("").astype(str).equals(b.fillna("").astype(str)):
                diffs.append(f"{name}.{col}: text differs")
    return diffs


@pytest.mark.parametrize(
    "run",
    [
        "toy_free",
        pytest.param("pakistan_window", marks=pytest.mark.slow),
        pytest.param("surplus", marks=pytest.mark.slow),
    ],
)
def test_run_matches_its_golden_files(run: str, tmp_path: Path) -> None:
    make_golden.RUNS[run](tmp_path / run)
    assert _compare(tmp_path / run, GOLDEN / run) == []
