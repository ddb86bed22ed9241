"""Where the console's files are, and the variable that names its dataset."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).with_name("static")
TEMPLATES = Path(__file__).with_name("templates")
ENV_DATASET = "GRIDSURPLUS_DATASET"
"""Environment variable naming the dataset folder the schedule is solved on (default: the
embedded Pakistan dataset)."""

__all__ = ["ENV_DATASET", "STATIC", "TEMPLATES"]
