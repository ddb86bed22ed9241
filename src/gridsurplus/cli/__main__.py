"""``python -m gridsurplus.cli``: the same as the ``gridsurplus`` command."""

from gridsurplus.cli import main

main()
