"""Errors that say what is wrong, where, and what would fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    Parameters
    ----------
    file : str
        The file the problem is in (a name inside the dataset folder).
    message : str
        What is wrong and what is expected.
    row : int or None
        1-based data row (the header is not counted), if the problem is in a row.
    column : str or None
        The column, if the problem is in a column.
    key : str or None
        The row's identifier (for example a plant id), to find it quickly.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row} (line {self.row + 1})")
        if self.key is not None:
            where.append(f"'{self.key}'")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class GridsurplusError(Exception):
    """Base class of the errors gridsurplus raises on purpose."""


class InputError(GridsurplusError):
    """Input a user can fix (a dataset, a file, an option, an argument); nothing was solved.

    The command line exits with status 2 on it (1 on any other error).
    """


class DatasetError(InputError):
    """A dataset failed validation; ``problems`` lists every problem found.

    Examples
    --------
    >>> err = DatasetError([Problem("plants.csv", "expected a number >= 0, got '-5'",
    ...                             row=3, column="capacity_mw", key="GAS-X")])
    >>> print(err)
    1 problem in the dataset:
      - plants.csv, row 3 (line 4), 'GAS-X', column 'capacity_mw': expected a number >= 0, got '-5'
    """

    def __init__(self, problems: list[Problem], path: str | None = None):
        self.problems = list(problems)
        self.path = path
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the dataset"
        if path:
            head += f" at {path}"
        lines = [head + ":"] + [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class InfeasibleError(GridsurplusError):
    """The model has no solution; the message names where the balance fails and a fix."""


class SolverError(GridsurplusError):
    """The solver stopped without an optimal solution for a reason other than infeasibility."""
