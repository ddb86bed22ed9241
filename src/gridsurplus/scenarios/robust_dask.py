"""The (scenario, month) models of a robust plan on Dask workers, kept warm between rounds.

One Dask actor per worker (:class:`distributed.Actor`) holds that worker's share of the
(scenario, month) models (:class:`~gridsurplus.scenarios.robust_pool.ScenarioGroups`) for the
whole robust plan: built once, then re-solved warm round after round; every round sends each
actor its scenarios' builds and shares and gets back the months' optima and slopes. The same
interface as :class:`~gridsurplus.scenarios.robust_pool.ScenarioPool` (``solve``,
``solutions``, ``close``), so the decomposition does not know where its months run. On a
LocalCluster of the sweep's kind (one single-threaded worker per core,
:func:`gridsurplus.scenarios.runner.open_client`) or any scheduler by address.

Pairs are dealt round-robin over the workers, so every worker holds months of every scenario
(the months of one scenario differ in size: winter months solve faster than summer ones).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.model.inputs import ModelInputs
from gridsurplus.scenarios.robust_pool import (
    Result,
    ScenarioGroups,
    answer_order,
    payloads_by_share,
)


class ScenarioActor:
    """A Dask actor: this worker's (scenario, month) models (see the module)."""

    def __init__(self, problems: dict[int, ModelInputs], pairs: list[tuple[int, str]]):
        ordered = [problems.get(s) for s in range(max(problems) + 1)]
        self.groups = ScenarioGroups(ordered, pairs)  # type: ignore[arg-type]

    def handle(self, command: str, payload: Any) -> list[Any]:
        """Solve, or return the solutions, of every pair here (by scenario: ``answer_order``)."""
        return list(self.groups.handle(command, payload))


class DaskScenarioPool:
    """The (scenario, month) models of a robust plan on the workers of a Dask client."""

    def __init__(self, problems: list[ModelInputs], client: Any):
        workers = sorted(client.scheduler_info()["workers"])
        if not workers:
            raise RuntimeError("the Dask cluster has no workers")
        self.months = list(pd.unique(problems[0].month))
        pairs = [(s, m) for s in range(len(problems)) for m in self.months]
        n = max(1, min(len(workers), len(pairs)))
        self.shares: list[list[tuple[int, str]]] = [pairs[i::n] for i in range(n)]
        futures, scattered = [], []
        for address, share in zip(workers, self.shares, strict=False):
            needed = sorted({s for s, _ in share})
            # each scenario's inputs (some 11 MB a year) go to the worker as data, not as
            # part of the task
            data = client.scatter([problems[s] for s in needed], workers=[address], hash=False)
            scattered.extend(data)
            futures.append(
                client.submit(
                    ScenarioActor,
                    dict(zip(needed, data, strict=True)),
                    share,
                    actor=True,
                    workers=[address],
                    allow_other_workers=False,
                    pure=False,
                )
            )
        self.actors = [f.result() for f in futures]
        for f in scattered:  # the actors hold the inputs now
            f.release()
        self._futures = futures
        self.order = [pair for share in self.shares for pair in answer_order(share)]

    def _call(self, command: str, payloads: list[Any]) -> dict[tuple[int, str], Any]:
        calls = [a.handle(command, p) for a, p in zip(self.actors, payloads, strict=True)]
        out: list[Any] = []
        for call in calls:
            out.extend(call.result())
        return dict(zip(self.order, out, strict=True))

    def solve(self, points: list[dict[str, np.ndarray]]) -> dict[tuple[int, str], Result]:
        """Solve every (scenario, month) at its scenario's point; results by (scenario, month)."""
        return self._call("solve", payloads_by_share(self.shares, self.months, points))

    def solutions(self) -> dict[tuple[int, str], Any]:
        """Each (scenario, month)'s solution at the last values solved."""
        return self._call("solution", [None] * len(self.actors))

    def close(self) -> None:
        """Let the actors go (their workers free the models)."""
        for f in self._futures:
            f.release()
        self.actors, self._futures = [], []

    def __enter__(self) -> DaskScenarioPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["DaskScenarioPool", "ScenarioActor"]
