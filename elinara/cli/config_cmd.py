from __future__ import annotations

import typer

from elinara.cli.common import console, print_json, settings

app = typer.Typer(help="Configuration.", no_args_is_help=True)


@app.command()
def show(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The effective settings and where each came from (default, file, env, flag)."""
    rows = settings().shown()
    if as_json:
        print_json(
            {key: {"env": env, "value": value, "source": src} for key, env, value, src in rows}
        )
        return
    from rich.table import Table

    table = Table("key", "environment variable", "value", "from")
    for row in rows:
        table.add_row(*row)
    console().print(table)
