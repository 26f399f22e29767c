"""`serve`: the auditor's web view over a store, read-only, until stopped (ADR 0035).

The web framework and the server are imported only here, when `serve` runs, so that no
other command pays for them at start-up.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import StoreOption, TzOption, open_ledger, parse_zone_option
from ledger.clock import HOME_ZONE
from ledger.errors import InvalidInput

THREADS = 8


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    store: StoreOption = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; 0.0.0.0 only behind a proxy that authenticates.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port to listen on.")] = 8000,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Serve the read-only web view of every report, figure and event (no login of its own:
    put it behind a reverse proxy that authenticates); prints its URL, runs until stopped."""
    from ledger.store.url import resolve_store_url

    parse_zone_option(tz)
    url = resolve_store_url(store)
    with open_ledger(url, read_only=True):
        pass  # a missing store, or one without a ledger, is refused here (exit 2)
    if not 0 < port < 65536:
        raise InvalidInput(f"--port {port}: give a TCP port, 1 to 65535")
    from waitress.server import create_server

    from cli.web.site import create_app

    try:
        server = create_server(create_app(url, tz), host=host, port=port, threads=THREADS, ident="kuntaledger")
    except OSError as error:
        raise InvalidInput(f"--port {port}: cannot listen on {host}:{port} ({error.strerror or error})") from None
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"kuntaledger serve: http://{shown}:{port}/ (read-only; Ctrl-C stops)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
