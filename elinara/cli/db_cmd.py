from __future__ import annotations

import typer

from elinara.cli.common import console, print_json, settings
from elinara.store import open_store

app = typer.Typer(help="Database: migrations and information.", no_args_is_help=True)


@app.command()
def migrate() -> None:
    """Apply pending schema migrations (also done automatically at start-up)."""
    store = open_store(settings().database_url, migrate_now=False)
    applied = store.migrate()
    if applied:
        for name in applied:
            typer.echo(f"applied: {name}")
    else:
        typer.echo("schema is up to date")


@app.command()
def info(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Backend, URL (password masked), schema version and documents per collection."""
    store = open_store(settings().database_url)
    data = store.info()
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    out = console()
    out.print(f"backend: {data['backend']}")
    out.print(f"url: {data['url']}")
    out.print(f"schema version: {data['schema_version']}")
    table = Table("collection", "documents")
    for name, count in data["collections"].items():
        table.add_row(name, str(count))
    out.print(table)


@app.command()
def purge() -> None:
    """Delete stored events older than ELINARA_EVENTS_KEEP_DAYS and expired token revocations
    (the server does this hourly by itself)."""
    cfg = settings()
    removed = open_store(cfg.database_url).purge(cfg.events_keep_days)
    typer.echo(f"removed {removed['events']} events, {removed['revoked_tokens']} revocations")
