"""Fixtures of the economics tests (builders live in economics_helpers.py)."""

from __future__ import annotations

import pytest
from economics_helpers import (
    AI,
    MINING_AIR,
    MINING_HYDRO,
    SIMPLE_MARKETS,
    FakeDataset,
    typed,
)

from gridsurplus.dataset.schema import COMPUTE_TECHS, MARKETS


@pytest.fixture
def make_dataset():
    def make(
        techs=(MINING_AIR, MINING_HYDRO, AI), markets=SIMPLE_MARKETS, regions=("NORTH", "SOUTH")
    ):
        tables = {"compute_techs": typed(list(techs), COMPUTE_TECHS)}
        if markets is not None:
            tables["markets"] = typed(list(markets), MARKETS)
        return FakeDataset(tables, list(regions))

    return make
