"""What the web page edits and the original command groups lacked: renaming an agent, showing
and changing one data source, a user's connection e-mails. Each calls the engine function its
API route calls; `register_*` adds them to their groups."""

from __future__ import annotations

import json

import typer

from elinara import accounts, agents
from elinara.cli.common import print_json, settings, store
from elinara.cli.owner import existing_process
from elinara.errors import BadInput, NotFound
from elinara.models import DataSource
from elinara.views import datasource_view


def register_processes(app: typer.Typer) -> None:
    app.command("update")(update_agent)


def register_datasources(app: typer.Typer) -> None:
    app.command("show")(show_source)
    app.command("update")(update_source)


def register_users(app: typer.Typer) -> None:
    app.command("connection-emails")(connection_emails)


def update_agent(
    process_id: int = typer.Argument(..., metavar="N"),
    name: str | None = typer.Option(None, "--name", help="A new name."),
    trigger: str | None = typer.Option(
        None, "--trigger", help="manual, scheduled, interval or webhook."
    ),
) -> None:
    """Rename an agent or change its trigger type."""
    if name is None and trigger is None:
        raise BadInput("Say what to change: --name and/or --trigger.")
    st = store()
    updated = agents.update_agent(
        st, existing_process(st, process_id), {"name": name, "trigger_type": trigger}
    )
    typer.echo(f"agent {updated.id}: name {updated.name!r}, trigger {updated.trigger_type}")


def _source(source_id: str) -> DataSource:
    found = store().datasources.get(source_id)
    if found is None:
        raise NotFound(f"Data source {source_id} does not exist; see 'elinara datasources list'.")
    return found


def show_source(source_id: str = typer.Argument(..., metavar="ID")) -> None:
    """One data source, as JSON."""
    source = _source(source_id)
    owner = store().processes.get(source.process_id)
    print_json(datasource_view(source, owner.name if owner else ""))


def update_source(
    source_id: str = typer.Argument(..., metavar="ID"),
    pairs: list[str] = typer.Argument(
        ...,
        metavar="KEY=VALUE...",
        help="resource_identifier, resource_name, resource_format, platform; config=JSON.",
    ),
) -> None:
    """Change a data source, e.g. `elinara datasources update ID resource_name=Leads`."""
    changes: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadInput(f"{pair!r} is not KEY=VALUE.")
        if key.strip() == "config":
            try:
                changes["config"] = json.loads(value)
            except json.JSONDecodeError:
                raise BadInput(
                    "config must be JSON, e.g. config='[{\"query_url\": ...}]'."
                ) from None
        else:
            changes[key.strip()] = value.strip()
    st = store()
    updated = agents.update_datasource(st, settings(), _source(source_id), changes)
    typer.echo(f"updated data source {updated.id} ({updated.platform}: {updated.resource_name})")


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
        else agents.set_connection_emails(st, user, set_to)
    )
    typer.echo(", ".join(emails) if emails else "(none)")
