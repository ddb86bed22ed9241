"""Helpers for the bad-input tests: break one thing in a copy of a dataset, run validate."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from gridsurplus.cli import app


def edit_yaml(folder: Path, old: str, new: str) -> None:
    """Replace one piece of ``dataset.yaml`` text (it must be there exactly once)."""
    path = folder / "dataset.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in dataset.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_table(folder: Path, table: str, fn) -> None:  # type: ignore[no-untyped-def]
    """Apply ``fn`` to a table read as text; ``fn`` edits in place or returns the new frame."""
    path = folder / f"{table}.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    new = fn(df)
    (df if new is None else new).to_csv(path, index=False)


def header_only(folder: Path, table: str) -> None:
    """Keep a table's header and drop every row."""
    path = folder / f"{table}.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def validate(folder: Path) -> tuple[int, list[str], str]:
    """Run ``gridsurplus dataset validate``: exit code, the problems listed, the whole output.

    Asserts that no traceback was printed and nothing but a clean exit ended the command.
    """
    result = CliRunner().invoke(app, ["dataset", "validate", str(folder)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    problems = [line[4:] for line in result.output.splitlines() if line.startswith("  - ")]
    return result.exit_code, problems, result.output
