"""Where the economics layer finds its packaged reference tables (``data/compute``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_path(name: str) -> Path:
    """Path of a file in the package's ``data/compute`` folder.

    Parameters
    ----------
    name : str
        File name, e.g. ``asic_models.csv``.

    Returns
    -------
    pathlib.Path
        Its path inside the installed package.
    """
    return Path(str(resources.files("gridsurplus") / "data" / "compute" / name))
