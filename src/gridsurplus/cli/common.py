"""Small helpers shared by the commands: error reporting, output folders and dates.

Exit status, the same for every command: 0 success; 2 bad input a user can fix (a dataset, a
file, an option: :class:`~gridsurplus.errors.InputError`), found before anything is solved,
and nothing is written; 1 anything else. No traceback unless the global ``--debug`` is given.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from gridsurplus.errors import GridsurplusError, InputError

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")

BAD_INPUT = 2
"""Exit status for input the user can fix (nothing solved, nothing written)."""
FAILED = 1
"""Exit status for anything else that went wrong."""


def fail(message: str, code: int = BAD_INPUT) -> NoReturn:
    """Print an error to stderr and exit with ``code`` (by default: bad input, 2)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def debugging() -> bool:
    """Whether the global ``--debug`` option was given (then errors keep their traceback)."""
    try:  # Typer carries its own copy of click since 0.2x; older ones use click itself
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover
        from click import get_current_context  # type: ignore[no-redef]
    ctx = get_current_context(silent=True)
    return bool(ctx is not None and ctx.find_root().params.get("debug"))


@contextmanager
def stdout_for_results() -> Iterator[None]:
    """Send everything written to stdout meanwhile to stderr, at the file-descriptor level.

    Wrapped round a command's work, it keeps stdout for the result alone (``--json`` parses):
    HiGHS prints its banner from C, also in the month workers, which inherit the descriptor.
    """
    from gridsurplus.model.solve import solver_output_to_stderr

    with solver_output_to_stderr():
        yield


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn errors into one clear message on stderr and an exit status, without a traceback.

    :class:`~gridsurplus.errors.InputError` (a bad dataset, file, option) exits with 2, any other
    error of gridsurplus' own or of the system with 1. ``--debug`` re-raises instead.
    """
    try:
        yield
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except InputError as exc:
        if debugging():
            raise
        fail(str(exc), BAD_INPUT)
    except GridsurplusError as exc:
        if debugging():
            raise
        fail(str(exc), FAILED)
    except Exception as exc:
        if debugging():
            raise
        fail(f"{type(exc).__name__}: {exc} (run with --debug for the traceback)", FAILED)


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


OUTPUT_MARKERS = ("plan.json", "surplus.json")
"""Files that mark a folder as an earlier gridsurplus output, which a new run may replace."""


def check_output_folder(out_dir: Path) -> None:
    """Refuse, before anything is solved, an output folder that cannot be written or replaced.

    It must be a folder or not exist yet; the folder it would be made in must be writable; an
    existing folder is replaced whole, so it must be empty or an earlier output of gridsurplus
    (holding ``plan.json`` or ``surplus.json``), and not the working folder or one above it.
    """
    out_dir = Path(out_dir)
    where = f"--out {out_dir}"
    if out_dir.exists() and not out_dir.is_dir():
        fail(f"{where} is a file; give a folder (it is created, or replaced whole)")
    resolved = out_dir.resolve()
    cwd = Path.cwd().resolve()
    if resolved == cwd or resolved in cwd.parents:
        fail(f"{where} is the working folder or above it; give a folder of its own")
    parent = resolved.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        fail(f"{where}: {parent} is a file, so the folder cannot be made there")
    if not os.access(parent, os.W_OK | os.X_OK):
        fail(f"{where}: cannot write in {parent} (permission denied); give another folder")
    if out_dir.is_dir():
        entries = sorted(p.name for p in out_dir.iterdir())
        if entries and not set(entries) & set(OUTPUT_MARKERS):
            more = ", ..." if len(entries) > 3 else ""
            fail(
                f"{where} holds other files ({', '.join(entries[:3])}{more}); give a new or "
                "empty folder, or an earlier output of gridsurplus, which is replaced whole"
            )


def check_output_file(path: Path, option: str = "--out") -> None:
    """Refuse, before anything is solved, an output file that cannot be written."""
    path = Path(path)
    if path.is_dir():
        fail(f"{option} {path} is a folder; give a file name")
    parent = path.resolve().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        fail(f"{option} {path}: cannot write in {parent}; give another place")


def write_atomically(out_dir: Path, writer: Callable[[Path], T]) -> T:
    """Write a whole output folder into a sibling temporary folder, then swap it into place.

    ``out_dir`` ends up holding exactly what ``writer`` wrote, never a mix with an earlier run;
    if ``writer`` fails, ``out_dir`` keeps what it held before and no temporary folder is left.
    """
    import shutil
    import tempfile

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    old: Path | None = None
    try:
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # a folder like any other, not mkdtemp's private one
        result = writer(tmp)
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-old-", dir=out_dir.parent))
            os.rmdir(old)
            os.rename(out_dir, old)
        try:
            os.rename(tmp, out_dir)
        except BaseException:
            if old is not None:
                os.rename(old, out_dir)
                old = None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return result


def write_file_atomically(path: Path, writer: Callable[[Path], T]) -> T:
    """Write one file next to its place under a hidden name, then move it into place.

    A failed write leaves ``path`` as it was and no temporary file behind.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}-{os.getpid()}-new{path.suffix}")
    try:
        result = writer(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return result


def iso_date(value: str | None, option: str) -> pd.Timestamp | None:
    """Read a date (or date and hour) given on the command line: ISO 8601 only.

    ``2025-03-01`` or ``2025-03-01T06:00`` (or ``2025-03-01 06:00``); ``01/03/2025`` and
    other forms are refused (exit status 2) rather than guessed at, naming the option and the
    format expected. Times are the dataset's local time, without a zone.

    >>> iso_date("2025-03-01", "--start")
    Timestamp('2025-03-01 00:00:00')
    """
    import datetime as dt
    import re

    import pandas as pd

    if value is None:
        return None
    text = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ]\d{2}(:\d{2}(:\d{2})?)?)?", text):
        fail(
            f"{option} '{value}' is not an ISO 8601 date: give YYYY-MM-DD (e.g. 2025-03-01) "
            "or YYYY-MM-DDTHH:MM"
        )
    try:
        if len(text) == 13:  # date and hour only
            text += ":00"
        parsed = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        fail(f"{option} '{value}' is not a real date ({exc}); give YYYY-MM-DD")
    return pd.Timestamp(parsed)


def check_window(
    start: pd.Timestamp | None, end: pd.Timestamp | None, hours: pd.DatetimeIndex, label: str
) -> None:
    """Refuse, before solving, a window that is reversed or holds no hour of the dataset's year.

    ``end`` given as a date (midnight) includes its whole day.
    """
    if start is None and end is None:
        return
    first, last = hours[0], hours[-1]
    stop = None if end is None else window_end(end)
    if start is not None and stop is not None and stop < start:
        fail(f"--end {end:%Y-%m-%d %H:%M} is before --start {start:%Y-%m-%d %H:%M}")
    lo = first if start is None else start
    hi = last if stop is None else stop
    if hi < first or lo > last:
        fail(
            f"the window {lo:%Y-%m-%d %H:%M} to {hi:%Y-%m-%d %H:%M} holds no hour of {label} "
            f"({first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M}); give dates inside it"
        )


def window_end(end: pd.Timestamp) -> pd.Timestamp:
    """The last hour a window's ``--end`` includes (a date: its whole day)."""
    import pandas as pd

    if end == end.normalize():
        return end + pd.Timedelta(hours=23)
    return end


def warn_shedding(unserved: Any) -> None:
    """Warn on stderr when the grid sheds demand even without compute, naming where and when."""
    from gridsurplus.surplus.shedding import shedding_warning

    text = shedding_warning(unserved)
    if text:
        typer.echo(text, err=True)


def stderr_is_terminal() -> bool:
    """Whether stderr is an interactive terminal."""
    return sys.stderr.isatty()
