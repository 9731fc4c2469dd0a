from __future__ import annotations

import typer

from elinara import accounts
from elinara.cli.common import console, print_json, settings, store
from elinara.views import user_view

app = typer.Typer(help="User accounts.", no_args_is_help=True)


@app.command()
def create(
    email: str = typer.Argument(..., help="E-mail address (also the login)."),
    username: str | None = typer.Option(None, "--username", help="Default: from the e-mail."),
    password: str | None = typer.Option(
        None, "--password", help="Default: asked for at the prompt (hidden)."
    ),
    admin: bool = typer.Option(False, "--admin", help="Make the user an administrator."),
) -> None:
    """Create a user. The password needs 8+ characters, lower and upper case, a digit, a symbol."""
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = accounts.create_user(store(), email, password, username=username, is_administrator=admin)
    typer.echo(
        f"created user {user.id} {user.username} <{user.email}>" + (" (admin)" if admin else "")
    )


@app.command("list")
def list_users(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """All users."""
    st = store()
    users = [user_view(st, u) for u in st.users.list()]
    if as_json:
        print_json(users)
        return
    from rich.table import Table

    table = Table("id", "username", "email", "role", "created")
    for u in users:
        table.add_row(str(u["id"]), u["username"], u["email"], u["role"], u["created_at"][:19])
    console().print(table)


@app.command("set-admin")
def set_admin(
    email: str = typer.Argument(...),
    off: bool = typer.Option(False, "--off", help="Remove the administrator role instead."),
) -> None:
    """Give (or with --off, take away) the administrator role."""
    st = store()
    user = accounts.get_user_by_email(st, email)
    st.users.update(user.id, {"is_administrator": not off})
    typer.echo(f"{user.email} is {'no longer ' if off else 'now '}an administrator")


@app.command()
def delete(
    email: str = typer.Argument(...),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete a user with their agents, data sources, settings, tasks and matches."""
    st = store()
    user = accounts.get_user_by_email(st, email)
    if not yes:
        typer.confirm(f"Delete {user.email} and everything they own?", abort=True)
    from elinara.agent.events import EventBus
    from elinara.agent.lifecycle import delete_user

    delete_user(st, settings(), EventBus(st), user.id)
    typer.echo(f"deleted {user.email}")


@app.command("connection-emails")
def connection_emails(
    email: str = typer.Argument(..., help="The user's e-mail."),
    set_to: str | None = typer.Option(
        None, "--set", help="Replace the list: comma-separated addresses ('' empties it)."
    ),
) -> None:
    """Show (or with --set, replace) a user's connection e-mails."""
    st = store()
    user = accounts.get_user_by_email(st, email)
    emails = (
        list(user.connection_emails)
        if set_to is None
        else accounts.set_connection_emails(st, user, set_to)
    )
    typer.echo(", ".join(emails) if emails else "(none)")
