"""The sweep's results on disk, one Parquet part per finished scenario, written atomically.

A sweep folder holds::

    sweep.json            what was run: scenario file digest, seed, samples, sites mode, columns
    scenarios.parquet     every scenario's input values (one row per scenario_id)
    fixed_sites.csv       the MW per site kept fixed (sites fixed only)
    summary/part-<id>.parquet   one row per finished scenario (ok or failed)
    sites/part-<id>.parquet     every candidate site of that scenario: MW, energy, profit

``pandas.read_parquet(DIR / "summary")`` gives one row per finished scenario. Every part has
the same columns and types (fixed when the sweep starts), and is written to a hidden temporary
file and renamed into place, so a killed sweep leaves whole parts only; the part's name is its
scenario, so a scenario is never recorded twice. The sites part is written before the summary
part: the summary part is what marks a scenario finished.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import pandas as pd

from gridsurplus.scenarios.spec import ScenarioError

TEXT_COLUMNS = ("scenario_id", "status", "reason")
OUTPUT_COLUMNS = (
    "btc_price_usd_start",
    "gpu_hour_usd_start",
    "objective_usd",
    "sited_mw",
    "mining_mw",
    "ai_mw",
    "compute_energy_gwh",
    "grid_revenue_usd",
    "capacity_payment_recovered_usd",
    "grid_revenue_tariff_usd",
    "capacity_payment_recovered_tariff_usd",
    "welfare_gain_usd",
    "operators_profit_usd",
    "btc_mined_per_year",
    "foreign_exchange_gross_usd",
    "foreign_exchange_net_usd",
    "fleet_factor",
    "seconds",
)
"""Outputs of every summary row, after the inputs; ``mw:<site>`` and ``profit_usd:<tech>``
columns follow."""
SITE_COLUMNS = (
    "scenario_id",
    "site",
    "region",
    "tech",
    "kind",
    "mw",
    "energy_gwh",
    "profit_usd",
    "revenue_usd",
    "pays",
)
MANIFEST_KEYS = ("digest", "seed", "samples", "scenarios", "sites")


def summary_columns(inputs: list[str], sites: list[str], techs: list[str]) -> list[str]:
    """Columns of a sweep's summary rows, in order."""
    return [
        *TEXT_COLUMNS,
        *inputs,
        *OUTPUT_COLUMNS,
        *[f"mw:{s}" for s in sites],
        *[f"profit_usd:{t}" for t in techs],
    ]


def _write_atomically(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    frame.to_parquet(tmp, index=False)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class Store:
    """A sweep folder (see the module).

    Parameters
    ----------
    folder : str or pathlib.Path
        The sweep's output folder.
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.summary_dir = self.folder / "summary"
        self.sites_dir = self.folder / "sites"

    @property
    def manifest_path(self) -> Path:
        """Path of ``sweep.json``."""
        return self.folder / "sweep.json"

    def open(self, manifest: dict[str, Any], scenarios: pd.DataFrame) -> None:
        """Start a sweep here, or check that the folder holds the same sweep (to resume it).

        Raises
        ------
        ScenarioError
            If the folder holds another sweep (other scenario file, seed, samples or sites).
        """
        self.summary_dir.mkdir(parents=True, exist_ok=True)
        self.sites_dir.mkdir(parents=True, exist_ok=True)
        if self.manifest_path.exists():
            old = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            differ = [k for k in MANIFEST_KEYS if old.get(k) != manifest.get(k)]
            if differ:
                raise ScenarioError(
                    f"{self.folder} holds another sweep (its {', '.join(differ)} differ): "
                    "resume it with the same command, or give another --out"
                )
            return
        _write_atomically(scenarios.reset_index(), self.folder / "scenarios.parquet")
        tmp = self.manifest_path.with_name(".sweep.json.tmp")
        tmp.write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
        os.replace(tmp, self.manifest_path)

    def manifest(self) -> dict[str, Any]:
        """The sweep's ``sweep.json``."""
        if not self.manifest_path.exists():
            raise ScenarioError(f"{self.folder} is not a sweep folder (no sweep.json)")
        return dict(json.loads(self.manifest_path.read_text(encoding="utf-8")))

    def done(self) -> set[str]:
        """Ids of the scenarios already recorded (ok or failed)."""
        if not self.summary_dir.exists():
            return set()
        return {p.stem[len("part-") :] for p in self.summary_dir.glob("part-*.parquet")}

    def write(self, row: dict[str, Any], sites: pd.DataFrame | None, columns: list[str]) -> None:
        """Record one finished scenario (its sites first, then its summary row)."""
        sid = str(row["scenario_id"])
        if sites is not None:
            frame = sites.reindex(columns=list(SITE_COLUMNS))
            frame["pays"] = frame["pays"].astype(bool)
            for col in ("mw", "energy_gwh", "profit_usd", "revenue_usd"):
                frame[col] = frame[col].astype(float)
            _write_atomically(frame, self.sites_dir / f"part-{sid}.parquet")
        extra = sorted(set(row) - set(columns) - {"scenario_id"})
        if extra and row.get("status") == "ok":
            row = {**row, "reason": f"not recorded (outside the sweep's columns): {extra}"}
        record: dict[str, Any] = {}
        for col in columns:
            value = row.get(col)
            if col in TEXT_COLUMNS:
                record[col] = "" if value is None else str(value)
            else:
                record[col] = float("nan") if value is None else float(value)
        frame = pd.DataFrame([record], columns=columns)
        _write_atomically(frame, self.summary_dir / f"part-{sid}.parquet")

    def summary(self) -> pd.DataFrame:
        """One row per finished scenario (empty frame if none)."""
        if not self.done():
            return pd.DataFrame()
        return pd.read_parquet(self.summary_dir).sort_values("scenario_id").reset_index(drop=True)

    def sites(self) -> pd.DataFrame:
        """Every candidate site of every finished scenario."""
        if not any(self.sites_dir.glob("part-*.parquet")):
            return pd.DataFrame(columns=list(SITE_COLUMNS))
        return pd.read_parquet(self.sites_dir)

    def scenarios(self) -> pd.DataFrame:
        """The sweep's scenarios (input values), indexed by ``scenario_id``."""
        return pd.read_parquet(self.folder / "scenarios.parquet").set_index("scenario_id")
