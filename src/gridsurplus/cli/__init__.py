"""The ``gridsurplus`` command line: thin commands that parse, call the API and print.

Each command lives in its own module and registers on :data:`gridsurplus.cli.app.app`.
"""

from __future__ import annotations

from gridsurplus.cli import dataset as _dataset  # noqa: F401
from gridsurplus.cli import export as _export  # noqa: F401
from gridsurplus.cli import hashprice as _hashprice  # noqa: F401
from gridsurplus.cli import headroom as _headroom  # noqa: F401
from gridsurplus.cli import operate as _operate  # noqa: F401
from gridsurplus.cli import operate_programme as _operate_programme  # noqa: F401
from gridsurplus.cli import plan as _plan  # noqa: F401
from gridsurplus.cli import serve as _serve  # noqa: F401
from gridsurplus.cli import surplus as _surplus  # noqa: F401
from gridsurplus.cli import sweep as _sweep  # noqa: F401
from gridsurplus.cli.app import app


def main() -> None:
    """Entry point of the ``gridsurplus`` command.

    An error no command expected still ends in one line and exit status 1, not a traceback,
    unless ``--debug`` is given.
    """
    import sys

    try:
        app()
    except Exception as exc:
        if "--debug" in sys.argv[1:]:
            raise
        sys.stderr.write(
            f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)\n"
        )
        raise SystemExit(1) from None


__all__ = ["app", "main"]
