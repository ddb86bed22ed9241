"""The packaged reference catalogues (``data/compute``): ASIC models, GPU systems, cooling designs.

The economics layer computes with these tables but never opens a file: the reading is here.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

ASIC_MODELS_FILE = "asic_models.csv"
GPU_SYSTEMS_FILE = "gpu_systems.csv"
COOLING_DESIGNS_FILE = "cooling.csv"


def reference_path(name: str) -> Path:
    """Path of a file in the package's ``data/compute`` folder.

    Parameters
    ----------
    name : str
        File name, e.g. ``asic_models.csv``.

    Returns
    -------
    pathlib.Path
        Its path inside the installed package.

    Examples
    --------
    >>> reference_path(ASIC_MODELS_FILE).name
    'asic_models.csv'
    """
    return Path(str(resources.files("gridsurplus") / "data" / "compute" / name))


def read_asic_models() -> pd.DataFrame:
    """The packaged ASIC catalogue as it is written (one row per model)."""
    return pd.read_csv(reference_path(ASIC_MODELS_FILE))


def read_user_table(path: str | Path) -> pd.DataFrame:
    """A user's CSV table, e.g. more ASIC models.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    return pd.read_csv(path)


def read_gpu_systems() -> pd.DataFrame:
    """GPU systems with their power per GPU, indexed by ``system``."""
    return pd.read_csv(reference_path(GPU_SYSTEMS_FILE)).set_index("system")


@cache
def read_cooling_designs() -> tuple[dict[str, str], ...]:
    """The packaged cooling designs, one dict of text cells per row (parsed by the caller).

    >>> sorted({row["kind"] for row in read_cooling_designs()})
    ['ai', 'mining']
    """
    frame = pd.read_csv(
        reference_path(COOLING_DESIGNS_FILE), dtype=str, keep_default_na=False, encoding="utf-8"
    )
    return tuple(frame.to_dict("records"))
