"""Shared fixtures: a tiny valid dataset written to a temporary folder, and a copy of Pakistan."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from toy_dataset_files import write_toy_dataset

from gridsurplus.dataset import default_dataset_path


@pytest.fixture
def toy_dataset(tmp_path: Path) -> Path:
    """Path of a fresh copy of the toy dataset."""
    return write_toy_dataset(tmp_path / "toy")


@pytest.fixture
def toy_with_compute(toy_dataset: Path) -> Path:
    """The toy dataset with Pakistan's compute technologies and markets."""
    for name in ("compute_techs.csv", "markets.csv"):
        shutil.copy(default_dataset_path() / name, toy_dataset / name)
    return toy_dataset


@pytest.fixture
def pakistan_copy(tmp_path: Path) -> Path:
    """Path of a writable copy of the embedded Pakistan dataset."""
    target = tmp_path / "pakistan"
    shutil.copytree(default_dataset_path(), target)
    return target
