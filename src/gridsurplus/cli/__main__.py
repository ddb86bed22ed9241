"""``python -m gridsurplus.cli``: the same as the ``gridsurplus`` command."""

from gridsurplus.cli import main

if __name__ == "__main__":
    main()
