"""The month models of a problem, on worker processes (or here, with one worker)."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from gridsurplus.errors import GridsurplusError, InfeasibleError, SolverError
from gridsurplus.model.decompose.month import MonthModel, MonthUpdate
from gridsurplus.model.inputs import ModelInputs
from gridsurplus.model.solve import Solution


class MonthGroup:
    """Month models in this process.

    ``templates`` (by month) are models of the same structure to copy instead of building
    (:meth:`~gridsurplus.model.decompose.month.MonthModel.copy_for`); the months built here
    are added to it, for the next group.
    """

    def __init__(
        self,
        inp: ModelInputs,
        months: Sequence[str],
        templates: dict[str, MonthModel] | None = None,
    ):
        self.models = []
        for m in months:
            if templates is not None and m in templates:
                self.models.append(templates[m].copy_for(inp))
                continue
            model = MonthModel(inp, m)
            if templates is not None:
                templates[m] = model
            self.models.append(model)

    def handle(self, command: str, payload: Any) -> Any:
        """Run ``solve``, ``solution``, ``update`` or ``rebase`` on every month here."""
        if command == "solve":
            build, uptime, limits, factor = payload
            out = []
            for mm, e, f in zip(self.models, uptime, limits, strict=True):
                mm.scale_mining(factor)
                out.append(mm.solve(build, e, f))
            return out
        if command == "solution":
            return [mm.solution() for mm in self.models]
        if command == "update":
            for mm in self.models:
                mm.update(payload)
            return [None] * len(self.models)
        if command == "rebase":
            for mm in self.models:
                mm.rebase(payload)
            return [None] * len(self.models)
        if command == "forget":
            for mm in self.models:
                mm.forget_basis()
            return [None] * len(self.models)
        raise ValueError(command)


def serve_commands(conn: Any, build: Callable[[], Any]) -> None:
    """A worker process's loop: ``build()`` its models, then answer commands until ``stop``.

    ``build`` returns an object with ``handle(command, payload)``; every answer, and any
    error raised building or handling, goes back to the parent over ``conn``.
    """
    try:
        here = build()
        conn.send(("ready", None))
        while True:
            command, payload = conn.recv()
            if command == "stop":
                break
            conn.send(("ok", here.handle(command, payload)))
    except Exception as exc:  # noqa: BLE001 - sent to the parent, which raises it
        conn.send(("error", (type(exc).__name__, str(exc))))
    finally:
        conn.close()


def serve_months(conn: Any, inp: ModelInputs, months: Sequence[str]) -> None:
    """A worker process: build the months, then answer commands until ``stop``."""
    serve_commands(conn, lambda: MonthGroup(inp, months))


class MonthPool:
    """The months of a problem, split over worker processes (or kept here with one worker)."""

    def __init__(self, inp: ModelInputs, workers: int = 1):
        self.months = list(pd.unique(inp.month))
        workers = max(1, min(workers, len(self.months)))
        # give each worker a balanced share of hours
        self.groups: list[list[str]] = [[] for _ in range(workers)]
        for i, month in enumerate(self.months):
            self.groups[i % workers].append(month)
        self.order = [m for group in self.groups for m in group]
        self._local: MonthGroup | None = None
        self._procs: list[tuple[Any, Any]] = []
        if workers == 1:
            self._local = MonthGroup(inp, self.groups[0])
            return
        ctx = mp.get_context("fork")
        for group in self.groups:
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=serve_months, args=(child, inp, group), daemon=True)
            proc.start()
            self._procs.append((parent, proc))
        for parent, _ in self._procs:
            self._expect(parent)

    @staticmethod
    def _expect(conn: Any) -> Any:
        status, payload = conn.recv()
        if status == "error":
            kind, message = payload
            known = {"InfeasibleError": InfeasibleError, "SolverError": SolverError}
            if kind in known:
                raise known[kind](message)
            raise GridsurplusError(f"a month worker failed: {kind}: {message}")
        return payload

    def _call(self, command: str, per_group: list[Any]) -> list[Any]:
        if self._local is not None:
            return self._local.handle(command, per_group[0])
        for (parent, _), payload in zip(self._procs, per_group, strict=True):
            parent.send((command, payload))
        out: list[Any] = []
        for parent, _ in self._procs:
            out.extend(self._expect(parent))
        return out

    def solve(
        self,
        build: np.ndarray,
        uptime: dict[str, np.ndarray],
        limits: dict[str, np.ndarray],
        factor: float = 1.0,
    ) -> dict[str, tuple[float, np.ndarray, np.ndarray, np.ndarray]]:
        """Solve every month at the master's values; results by month."""
        payloads = [
            (build, [uptime[m] for m in group], [limits[m] for m in group], factor)
            for group in self.groups
        ]
        results = self._call("solve", payloads)
        return dict(zip(self.order, results, strict=True))

    def update(self, update: MonthUpdate) -> None:
        """Change values in every month (see :class:`MonthUpdate`), models kept warm."""
        self._call("update", [update] * max(1, len(self._procs)))

    def rebase(self, inp: ModelInputs) -> None:
        """Give every month another year's numbers, same structure (see :mod:`.kept`)."""
        self._call("rebase", [inp] * max(1, len(self._procs)))

    def forget_basis(self) -> None:
        """Every month solves the next time from cold, as if built afresh."""
        self._call("forget", [None] * max(1, len(self._procs)))

    def solutions(self) -> dict[str, Solution]:
        """Each month's solution at the last values solved."""
        results = self._call("solution", [None] * max(1, len(self._procs)))
        return dict(zip(self.order, results, strict=True))

    def close(self) -> None:
        """Stop the workers."""
        for parent, proc in self._procs:
            with contextlib.suppress(BrokenPipeError, OSError):
                parent.send(("stop", None))
            proc.join(timeout=5)
        self._procs = []

    def __enter__(self) -> MonthPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
