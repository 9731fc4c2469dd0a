"""Uploaded leads spreadsheets (the web page's upload box): the same store as `POST /api/files`."""

from __future__ import annotations

from pathlib import Path

import typer

from elinara.cli.common import console, print_json, settings, store
from elinara.cli.owner import resolve_user
from elinara.errors import BadInput

app = typer.Typer(help="Uploaded leads spreadsheets (for tasks).", no_args_is_help=True)

USER_OPT = typer.Option(
    None, "--user", help="Owner's e-mail (default: the only user or the first admin)."
)


@app.command()
def upload(
    path: Path = typer.Argument(..., help="An .xlsx, .xls, .xlsm or .csv file."),
    user: str | None = USER_OPT,
) -> None:
    """Upload a spreadsheet; its stored name is what 'elinara agent task' takes."""
    from elinara.agent import uploads

    if not path.is_file():
        raise BadInput(f"{path} is not a file.")
    owner = resolve_user(store(), user)
    with path.open("rb") as data:
        saved = uploads.save_upload(settings(), owner.id, path.name, data)
    typer.echo(f"uploaded {saved['name']} ({saved['size']} bytes) for {owner.email}")


@app.command("list")
def list_files(
    user: str | None = USER_OPT,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """A user's uploads, newest first."""
    from elinara.agent import uploads

    found = uploads.list_uploads(settings(), resolve_user(store(), user).id)
    if as_json:
        print_json(found)
        return
    from rich.table import Table

    table = Table("name", "size", "uploaded")
    for f in found:
        table.add_row(f["name"], str(f["size"]), f["uploaded_at"][:19])
    console().print(table)


@app.command()
def delete(name: str = typer.Argument(..., metavar="NAME"), user: str | None = USER_OPT) -> None:
    """Delete an upload."""
    from elinara.agent import uploads

    deleted = uploads.delete_upload(settings(), resolve_user(store(), user).id, name)
    typer.echo(f"deleted {deleted}")
