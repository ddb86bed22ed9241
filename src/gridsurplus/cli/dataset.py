"""``gridsurplus dataset validate|show|schema``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from gridsurplus.cli.app import dataset_app
from gridsurplus.cli.common import fail, print_json, user_errors

PathArg = typer.Argument(None, help="Dataset folder (default: the embedded Pakistan dataset).")


BAD_INPUT = 2
"""Exit status of a command given bad input (nothing solved, nothing written)."""


@contextmanager
def bad_input() -> Iterator[None]:
    """Report a bad dataset (a :class:`~gridsurplus.errors.DatasetError`) with exit status 2."""
    from gridsurplus.errors import DatasetError

    try:
        yield
    except DatasetError as exc:
        fail(str(exc), code=BAD_INPUT)


@dataset_app.command("validate")
def validate(path: Path = typer.Argument(..., help="Dataset folder to check.")) -> None:
    """Check a dataset folder and list every problem (file, row, column, what is expected).

    Exits with status 0 when the dataset is valid and 2 when it has problems.
    """
    from gridsurplus.dataset import load_dataset
    from gridsurplus.dataset.presentation import presentation_of

    with bad_input():
        ds = load_dataset(path)
        presentation_of(ds)
    n_rows = sum(len(df) for df in ds.tables.values())
    typer.echo(f"ok: {ds.name} ({len(ds.tables)} tables, {n_rows} rows) is valid")


@dataset_app.command("show")
def show(
    path: Path | None = PathArg,
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object."),
) -> None:
    """Summarise a dataset: regions, capacity by fuel and region, annual demand, links."""
    from gridsurplus.dataset import load_dataset
    from gridsurplus.dataset.summary import summarise, summary_text

    with bad_input():
        ds = load_dataset(path)
    with user_errors():
        summary = summarise(ds)
    if as_json:
        print_json(summary)
    else:
        typer.echo(summary_text(summary))


@dataset_app.command("schema")
def schema() -> None:
    """Print the dataset format: every table and column with type, unit, default and meaning."""
    from gridsurplus.dataset.schema import schema_markdown

    typer.echo(schema_markdown())
