"""Read a dataset folder into a typed, validated :class:`Dataset`."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from gridsurplus.dataset.checks import check_semantics
from gridsurplus.dataset.hourly import check_hourly_demand
from gridsurplus.dataset.meta import coerce_meta
from gridsurplus.dataset.schema import (
    DEFAULT_VOLL_USD_PER_MWH,
    DEMAND_HOURLY_NAME,
    GENERATING_STATUSES,
    TABLES,
)
from gridsurplus.dataset.validate import check_references, coerce_table
from gridsurplus.errors import DatasetError, Problem


def default_dataset_path() -> Path:
    """Path of the embedded Pakistan dataset shipped with the package."""
    return Path(str(resources.files("gridsurplus") / "data" / "pakistan"))


@dataclass(frozen=True)
class Dataset:
    """A validated dataset: metadata and one typed table per component.

    Attributes
    ----------
    meta : dict
        Contents of ``dataset.yaml``.
    tables : dict of str to pandas.DataFrame
        One frame per table present, declared columns typed, defaults filled.
    demand_hourly : pandas.DataFrame or None
        Hourly demand [MW] by region, if the dataset gives it hourly.
    path : pathlib.Path or None
        Folder the dataset was read from.
    """

    meta: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    demand_hourly: pd.DataFrame | None = None
    path: Path | None = None
    files: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """Dataset name."""
        return str(self.meta["name"])

    @property
    def currency(self) -> str:
        """Currency of money columns, e.g. ``PKR``."""
        return str(self.meta["currency"])

    @property
    def exchange_rate(self) -> float:
        """Units of the dataset currency per USD."""
        return float(self.meta["exchange_rate"])

    @property
    def voll_usd_per_mwh(self) -> float:
        """Value of lost load [USD/MWh]."""
        return float(self.meta.get("voll_usd_per_mwh", DEFAULT_VOLL_USD_PER_MWH))

    @property
    def reference_label(self) -> str:
        """Label of the reference year, e.g. ``FY2024-25``."""
        ref = self.meta["reference_year"]
        return str(ref.get("label", ref["start"]))

    @property
    def snapshots(self) -> pd.DatetimeIndex:
        """Every hour of the reference year (local time, naive timestamps)."""
        start = pd.Timestamp(str(self.meta["reference_year"]["start"]))
        end = start + pd.DateOffset(years=1)
        return pd.date_range(start, end, freq="h", inclusive="left", name="time")

    @property
    def regions(self) -> pd.DataFrame:
        """The regions table, indexed by region id."""
        return self.tables["regions"].set_index("region")

    @property
    def fuels(self) -> pd.DataFrame:
        """The fuels table, indexed by fuel id."""
        return self.tables["fuels"].set_index("fuel")

    @property
    def links(self) -> pd.DataFrame:
        """The links table, indexed by link id, reverse capacity filled in."""
        links = self.tables["links"].set_index("link").copy()
        links["capacity_reverse_mw"] = links["capacity_reverse_mw"].fillna(links["capacity_mw"])
        return links

    def plants(self, generating_only: bool = False) -> pd.DataFrame:
        """Plants with fuel defaults applied and the marginal cost in USD/MWh.

        Parameters
        ----------
        generating_only : bool
            Keep only plants that generate in the reference year (in the merit pool, with an
            operating status and capacity above zero).

        Returns
        -------
        pandas.DataFrame
            Indexed by plant, with ``marginal_cost_usd_per_mwh``, ``availability``,
            ``must_run``, ``profile``, ``counts_for_reserve`` and ``mix_group`` resolved.
        """
        plants = self.tables["plants"].set_index("plant").copy()
        fuels = self.fuels
        fuel_of = plants["fuel"]
        cost_local = plants["marginal_cost_per_kwh"].fillna(
            fuel_of.map(fuels["marginal_cost_per_kwh"])
        )
        plants["marginal_cost_usd_per_mwh"] = cost_local / self.exchange_rate * 1000.0
        plants["availability"] = plants["availability"].fillna(fuel_of.map(fuels["availability"]))
        profile = plants["profile"].where(plants["profile"] != "", fuel_of.map(fuels["profile"]))
        plants["profile"] = profile
        for col in ("must_run", "counts_for_reserve", "mix_group", "color"):
            plants[col] = fuel_of.map(fuels[col])
        if generating_only:
            keep = (
                plants["in_merit_pool"].astype(bool)
                & plants["status"].isin(GENERATING_STATUSES)
                & (plants["capacity_mw"] > 0)
            )
            plants = plants[keep]
        return plants

    def table(self, name: str) -> pd.DataFrame:
        """Return a table, or raise a clear error if the dataset lacks it."""
        if name not in self.tables:
            raise DatasetError(
                [
                    Problem(
                        f"{name}.csv", f"this dataset has no '{name}' table, which this step needs"
                    )
                ],
                str(self.path or ""),
            )
        return self.tables[name]

    def to_usd(self, amount: float) -> float:
        """Convert an amount in the dataset currency to USD."""
        return amount / self.exchange_rate


class _MetaLoader(yaml.SafeLoader):
    """YAML's safe loader, leaving dates as text.

    An impossible date such as 2024-02-30 is then reported by the schema check instead of
    crashing the reader.
    """


_MetaLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def _read_table(folder: Path, stem: str) -> tuple[pd.DataFrame | None, str, list[Problem]]:
    csv, parquet = folder / f"{stem}.csv", folder / f"{stem}.parquet"
    if csv.exists():
        try:
            df = pd.read_csv(csv, dtype=str, keep_default_na=False, skipinitialspace=True)
        except pd.errors.EmptyDataError:
            columns = ", ".join(c.name for c in TABLES[stem].columns) if stem in TABLES else ""
            return (
                None,
                csv.name,
                [Problem(csv.name, f"the file is empty: write at least its header ({columns})")],
            )
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            return None, csv.name, [Problem(csv.name, f"cannot be read as CSV: {exc}")]
        df.columns = [str(c).strip() for c in df.columns]
        return df, csv.name, []
    if parquet.exists():
        try:
            df = pd.read_parquet(parquet)
        except Exception as exc:  # noqa: BLE001 - any reader failure is the user's file
            return None, parquet.name, [Problem(parquet.name, f"cannot be read as Parquet: {exc}")]
        return df.reset_index(drop=True).astype(object), parquet.name, []
    return None, csv.name, []


def load_dataset(path: str | Path | None = None) -> Dataset:
    """Read and validate a dataset folder.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Dataset folder; the embedded Pakistan dataset when omitted.

    Returns
    -------
    Dataset
        The typed dataset.

    Raises
    ------
    DatasetError
        If anything is wrong; ``.problems`` lists every problem found in every file.

    Examples
    --------
    >>> ds = load_dataset()
    >>> ds.name
    'Pakistan'
    >>> load_dataset("/nonexistent")
    Traceback (most recent call last):
    ...
    gridsurplus.errors.DatasetError: 1 problem in the dataset at /nonexistent:
      - /nonexistent: no such folder: give the path of a dataset folder (with dataset.yaml)
    """
    folder = Path(path) if path is not None else default_dataset_path()
    if not folder.is_dir():
        raise DatasetError(
            [
                Problem(
                    str(folder),
                    "no such folder: give the path of a dataset folder (with dataset.yaml)",
                )
            ],
            str(folder),
        )
    problems: list[Problem] = []
    meta: dict[str, Any] = {}
    meta_file = folder / "dataset.yaml"
    if not meta_file.exists():
        problems.append(
            Problem(
                "dataset.yaml",
                "missing: every dataset folder needs a dataset.yaml "
                "with name, reference_year, currency and exchange_rate",
            )
        )
    else:
        try:
            loaded = yaml.load(meta_file.read_text(encoding="utf-8"), Loader=_MetaLoader) or {}
            if not isinstance(loaded, dict):
                raise yaml.YAMLError("the top level must be a mapping of fields")
            meta = loaded
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            problems.append(Problem("dataset.yaml", f"cannot be read as YAML: {exc}"))
        else:
            meta, meta_problems = coerce_meta(meta)
            problems += meta_problems
    start = None
    if meta and not any(
        p.file == "dataset.yaml" and p.column in ("reference_year", "reference_year.start")
        for p in problems
    ):
        start = pd.Timestamp(meta["reference_year"]["start"])

    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    for name, table in TABLES.items():
        raw, fname, read_problems = _read_table(folder, name)
        problems += read_problems
        if raw is None:
            if table.required and not read_problems:
                problems.append(
                    Problem(
                        fname, f"missing: the dataset needs a '{name}' table ({table.description})"
                    )
                )
            continue
        typed, table_problems = coerce_table(raw, table, fname)
        problems += table_problems
        tables[name] = typed
        files[name] = fname

    hourly_raw, hourly_file, read_problems = _read_table(folder, DEMAND_HOURLY_NAME)
    problems += read_problems
    if hourly_raw is not None:
        files[DEMAND_HOURLY_NAME] = hourly_file
    elif "demand_monthly" not in tables or "load_shape" not in tables:
        problems.append(
            Problem(
                "demand_monthly.csv",
                "no demand: give demand_monthly.csv with load_shape.csv, or demand_hourly.csv",
            )
        )

    problems += check_references(tables, files)
    problems += check_semantics(tables, files, start, meta)

    demand_hourly = None
    if hourly_raw is not None and start is not None and "regions" in tables:
        snapshots = pd.date_range(start, start + pd.DateOffset(years=1), freq="h", inclusive="left")
        demand_hourly, hourly_problems = check_hourly_demand(
            hourly_raw, hourly_file, snapshots, tables["regions"]["region"].astype(str)
        )
        problems += hourly_problems

    if problems:
        raise DatasetError(problems, str(folder))
    return Dataset(meta=meta, tables=tables, demand_hourly=demand_hourly, path=folder, files=files)
