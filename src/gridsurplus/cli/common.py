"""Small helpers shared by the commands: error reporting and output folders."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer

from gridsurplus.errors import GridsurplusError

T = TypeVar("T")


def fail(message: str, code: int = 1) -> None:
    """Print an error to stderr and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn gridsurplus' own errors into a clear message and exit status 1 (no traceback)."""
    try:
        yield
    except GridsurplusError as exc:
        fail(str(exc))


def print_json(obj: Any) -> None:
    """Print one JSON object on stdout."""
    typer.echo(json.dumps(obj, indent=2, default=_json_default))


def _json_default(value: Any) -> Any:
    import numpy as np

    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def progress(message: str, quiet: bool = False) -> None:
    """Report a step of a long run on stderr (stdout stays clean for --json)."""
    if not quiet:
        typer.echo(message, err=True)


def write_atomically(out_dir: Path, writer: Callable[[Path], T]) -> T:
    """Write into a temporary folder next to ``out_dir`` and move it into place at the end.

    Nothing is left half-written if ``writer`` fails: the temporary folder is removed and
    ``out_dir`` keeps whatever it held before.
    """
    import shutil
    import tempfile

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        result = writer(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    out_dir.mkdir(exist_ok=True)
    for item in tmp.iterdir():
        target = out_dir / item.name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        shutil.move(str(item), str(target))
    shutil.rmtree(tmp, ignore_errors=True)
    return result


def warn_shedding(unserved: Any) -> None:
    """Warn on stderr when the grid sheds demand even without compute, naming where and when."""
    from gridsurplus.surplus.shedding import shedding_warning

    text = shedding_warning(unserved)
    if text:
        typer.echo(text, err=True)


def stderr_is_terminal() -> bool:
    """Whether stderr is an interactive terminal."""
    return sys.stderr.isatty()
