"""The Typer application every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="gridsurplus",
    help="Find a grid's surplus electricity and plan Bitcoin mining and AI data centres on it, "
    "demand first.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main_options(
    debug: bool = typer.Option(
        False, "--debug", help="Show the full traceback of any error (for reporting a bug)."
    ),
) -> None:
    """Find a grid's surplus electricity and plan Bitcoin mining and AI data centres on it.

    Exit status: 0 success, 2 bad input (nothing written), 1 anything else.
    """


dataset_app = typer.Typer(help="Check and summarise dataset folders.", no_args_is_help=True)
app.add_typer(dataset_app, name="dataset")
