"""``gridsurplus serve``: run the OpenADR 3.1.0 VTN."""

from __future__ import annotations

import typer

from gridsurplus.cli.app import app
from gridsurplus.cli.common import user_errors


@app.command("serve")
def serve(
    db: str | None = typer.Option(
        None,
        "--db",
        help="Database URL: sqlite:///PATH or postgresql://USER:PASSWORD@HOST/NAME "
        "(default: vtn.sqlite in the data folder, $GRIDSURPLUS_HOME or "
        "~/.local/share/gridsurplus).",
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8080, "--port", help="TCP port to listen on.", min=1, max=65535),
    rate: float = typer.Option(
        50.0,
        "--rate",
        help="Sustained requests per second allowed per client (per worker process).",
        min=0.1,
    ),
    workers: int = typer.Option(
        1, "--workers", help="Server processes (one per CPU core is a good start).", min=1
    ),
) -> None:
    """Serve OpenADR 3.1.0 under /openadr3/3.1.0 until stopped with Ctrl-C."""
    import uvicorn

    from gridsurplus.server import BASE_PATH
    from gridsurplus.server.db import describe_url, resolve_url
    from gridsurplus.server.site import create_site

    with user_errors():
        url = resolve_url(db)
        application = create_site(url, rate_per_s=rate)  # opens and migrates the database once
    typer.echo(f"database: {describe_url(url)}", err=True)
    typer.echo(f"OpenADR 3.1.0 VTN on http://{host}:{port}{BASE_PATH}", err=True)
    typer.echo(f"operator's console on http://{host}:{port}/", err=True)
    if workers == 1:
        from gridsurplus.server.site import freeze_heap

        freeze_heap()
        uvicorn.run(application, host=host, port=port, log_level="warning")
        return
    import os

    from gridsurplus.server.site import ENV_DB, ENV_RATE

    application.state.vtn.engine.dispose()
    os.environ[ENV_DB], os.environ[ENV_RATE] = url, str(rate)
    uvicorn.run(
        "gridsurplus.server.site:site_from_env",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
    )
