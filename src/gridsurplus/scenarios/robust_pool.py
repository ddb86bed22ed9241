"""Every (scenario, month) model of a robust plan, kept warm, here or on worker processes.

A local process pool (``fork``; one process per core): each worker builds its share of the
(scenario, month) models once (:class:`gridsurplus.model.decompose.pool.MonthGroup`, one group
per scenario) and re-solves them warm round after round, only the builds and shares changing.
Pairs are dealt round-robin, so every worker holds months of every scenario. The same models
on Dask workers: :mod:`~gridsurplus.scenarios.robust_dask`.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.model.decompose.kept import structure_key
from gridsurplus.model.decompose.month import MonthModel
from gridsurplus.model.decompose.pool import MonthGroup, MonthPool, serve_commands
from gridsurplus.model.inputs import ModelInputs

Result = tuple[float, np.ndarray, np.ndarray, np.ndarray]


class ScenarioGroups:
    """Month models of several scenarios in this process."""

    def __init__(self, problems: list[ModelInputs], pairs: list[tuple[int, str]]):
        by_scenario: dict[int, list[str]] = {}
        for s, month in pairs:
            by_scenario.setdefault(s, []).append(month)
        # every scenario's months copied from the first scenario's of the same structure
        # (only numbers differ between scenarios): one linopy build per month, not per pair
        templates: dict[str, dict[str, MonthModel]] = {}
        self.groups = {
            s: MonthGroup(problems[s], months, templates.setdefault(structure_key(problems[s]), {}))
            for s, months in by_scenario.items()
        }
        self.order = answer_order(pairs)

    def handle(self, command: str, payload: Any) -> Any:
        """``solve`` (payload: per scenario build, uptime and limit shares) or ``solution``."""
        out: list[Any] = []
        for s, group in self.groups.items():
            if command == "solve":
                build, uptime, limits = payload[s]
                out.extend(group.handle("solve", (build, uptime, limits, 1.0)))
            else:
                out.extend(group.handle(command, None))
        return out


def answer_order(pairs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The order in which :class:`ScenarioGroups` answers for its pairs: by scenario."""
    by_scenario: dict[int, list[str]] = {}
    for s, month in pairs:
        by_scenario.setdefault(s, []).append(month)
    return [(s, m) for s, months in by_scenario.items() for m in months]


def payloads_by_share(
    shares: list[list[tuple[int, str]]], months: list[str], points: list[dict[str, np.ndarray]]
) -> list[dict[int, tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]]]:
    """Each share's ``solve`` payload: per scenario its builds, and its months' shares."""
    index = {m: i for i, m in enumerate(months)}
    payloads = []
    for share in shares or [[]]:
        by_s: dict[int, tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]] = {}
        for s, m in share:
            p = points[s]
            entry = by_s.setdefault(s, (p["build"], [], []))
            entry[1].append(p["uptime"][index[m]])
            entry[2].append(p["limits"][index[m]])
        payloads.append(by_s)
    return payloads


def _serve(conn: Any, problems: list[ModelInputs], pairs: list[tuple[int, str]]) -> None:
    serve_commands(conn, lambda: ScenarioGroups(problems, pairs))


class ScenarioPool:
    """The (scenario, month) models of a robust plan, split over ``workers`` processes."""

    def __init__(self, problems: list[ModelInputs], workers: int = 1):
        self.months = list(pd.unique(problems[0].month))
        pairs = [(s, m) for s in range(len(problems)) for m in self.months]
        workers = max(1, min(workers, len(pairs)))
        self.shares: list[list[tuple[int, str]]] = [pairs[i::workers] for i in range(workers)]
        self._local: ScenarioGroups | None = None
        self._procs: list[tuple[Any, Any]] = []
        if workers == 1:
            self._local = ScenarioGroups(problems, pairs)
            self.order = self._local.order
            return
        ctx = mp.get_context("fork")
        self.order = []
        for share in self.shares:
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(child, problems, share), daemon=True)
            proc.start()
            self._procs.append((parent, proc))
            self.order.extend(answer_order(share))
        for parent, _ in self._procs:
            MonthPool._expect(parent)

    def _call(self, command: str, payloads: list[Any]) -> dict[tuple[int, str], Any]:
        if self._local is not None:
            out = self._local.handle(command, payloads[0])
        else:
            for (parent, _), payload in zip(self._procs, payloads, strict=True):
                parent.send((command, payload))
            out = []
            for parent, _ in self._procs:
                out.extend(MonthPool._expect(parent))
        return dict(zip(self.order, out, strict=True))

    def solve(self, points: list[dict[str, np.ndarray]]) -> dict[tuple[int, str], Result]:
        """Solve every (scenario, month) at its scenario's point; results by (scenario, month)."""
        payloads = payloads_by_share(self.shares, self.months, points)
        if self._local is not None:
            payloads = [{k: v for d in payloads for k, v in d.items()}]
        return self._call("solve", payloads)

    def solutions(self) -> dict[tuple[int, str], Any]:
        """Each (scenario, month)'s solution at the last values solved."""
        return self._call("solution", [None] * max(1, len(self._procs)))

    def close(self) -> None:
        """Stop the workers."""
        for parent, proc in self._procs:
            with contextlib.suppress(BrokenPipeError, OSError):
                parent.send(("stop", None))
            proc.join(timeout=5)
        self._procs = []

    def __enter__(self) -> ScenarioPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
