"""``gridsurplus operate``: run the programme on the VTN.

Clients here; enrolment, the day-ahead schedule, curtailment and settlement join them.
"""

from __future__ import annotations

import typer

from gridsurplus.cli.app import app
from gridsurplus.cli.common import print_json, user_errors

operate_app = typer.Typer(
    help="Run the programme: clients, enrolment, day-ahead schedule, curtailment, settlement.",
    no_args_is_help=True,
)
app.add_typer(operate_app, name="operate")
client_app = typer.Typer(help="OAuth2 clients of the VTN (BL and VEN).", no_args_is_help=True)
operate_app.add_typer(client_app, name="client")

DB_HELP = "Database URL (default: vtn.sqlite in the data folder, as for `gridsurplus serve`)."


@client_app.command("add")
def client_add(
    name: str = typer.Argument(..., help="Unique name of the client, e.g. the site's name."),
    role: str = typer.Option(..., "--role", help="bl (the operator's business logic) or ven."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print {client_id, client_secret}."),
) -> None:
    """Create a client and print its id and secret once (the secret is stored hashed)."""
    from gridsurplus.server.clients import create_client

    with user_errors():
        client_id, secret = create_client(db, name, role)
    if as_json:
        print_json({"client_id": client_id, "client_secret": secret})
    else:
        typer.echo(f"client_id:     {client_id}")
        typer.echo(f"client_secret: {secret}")
        typer.echo("The secret is shown only now; keep it safe.", err=True)
