"""Fixtures of the sweep tests: the toy dataset with compute, markets and a solar profile."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from toy_dataset_files import write_toy_dataset

from gridsurplus.dataset import default_dataset_path, load_dataset


def write_toy_for_sweeps(folder: Path) -> Path:
    """The toy dataset with Pakistan's compute and markets and a flat clear-sky solar index."""
    write_toy_dataset(folder)
    for name in ("compute_techs.csv", "markets.csv"):
        shutil.copy(default_dataset_path() / name, folder / name)
    factors = pd.read_csv(folder / "monthly_factors.csv")
    solar = pd.DataFrame({"profile": ["solar"] * 12, "month": range(1, 13), "value": [0.9] * 12})
    pd.concat([factors, solar]).to_csv(folder / "monthly_factors.csv", index=False)
    return folder


@pytest.fixture(scope="session")
def sweep_toy_path(tmp_path_factory) -> Path:
    return write_toy_for_sweeps(tmp_path_factory.mktemp("sweep") / "toy")


@pytest.fixture(scope="session")
def sweep_toy(sweep_toy_path):
    return load_dataset(sweep_toy_path)
