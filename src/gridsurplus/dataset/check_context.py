"""What every cross-table check sees: :class:`CheckContext`, and the :data:`Check` type."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from gridsurplus.errors import Problem


@dataclass(frozen=True)
class CheckContext:
    """What the cross-table checks see.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        The typed tables present.
    files : dict of str to str
        File name of each table (``regions.csv``, ``plants.parquet``).
    start : pandas.Timestamp or None
        First hour of the reference year (None if ``dataset.yaml`` has no valid one).
    meta : dict
        ``dataset.yaml`` as typed by :func:`~gridsurplus.dataset.meta.coerce_meta`.
    """

    tables: dict[str, pd.DataFrame]
    files: dict[str, str]
    start: pd.Timestamp | None
    meta: dict[str, Any] = field(default_factory=dict)

    def number(self, key: str, default: float | None = None) -> float | None:
        """A positive finite number of ``dataset.yaml``, or None if absent or invalid."""
        value = self.meta.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return float(value) if math.isfinite(value) and value > 0 else None

    def get(self, name: str, *columns: str) -> pd.DataFrame | None:
        """The table ``name`` if present with every column in ``columns`` fully typed."""
        df = self.tables.get(name)
        if df is None or any(
            c not in df.columns or df[c].isna().all() and len(df) for c in columns
        ):
            return None
        return df

    @property
    def year_months(self) -> list[str]:
        """The reference year's months as ``YYYY-MM`` (empty without a start)."""
        if self.start is None:
            return []
        return [p.strftime("%Y-%m") for p in pd.period_range(self.start, periods=12, freq="M")]


Check = Callable[[CheckContext], list[Problem]]


__all__ = ["Check", "CheckContext"]
