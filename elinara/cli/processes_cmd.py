from __future__ import annotations

import typer

from elinara import agents
from elinara.cli.common import console, print_json, settings, store
from elinara.cli.owner import existing_process, resolve_user
from elinara.views import process_view

app = typer.Typer(help="Agents (processes).", no_args_is_help=True)


@app.command()
def create(
    name: str = typer.Argument(..., help="A name for the agent."),
    user: str | None = typer.Option(
        None, "--user", help="Owner's e-mail (default: the only user or the first admin)."
    ),
    trigger: str = typer.Option(
        "manual", "--trigger", help="manual, scheduled, interval or webhook."
    ),
) -> None:
    """Create an agent."""
    st = store()
    owner = resolve_user(st, user)
    process = agents.create_process(st, settings(), owner.id, name, trigger)
    typer.echo(f"created agent {process.id} {process.name!r} for {owner.email}")


@app.command("list")
def list_processes(
    user: str | None = typer.Option(None, "--user", help="Only this user's agents."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Agents and their status."""
    st = store()
    owner_id = resolve_user(st, user).id if user else None
    rows = [process_view(p) for p in st.processes.list(owner_id)]
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table("id", "name", "user", "status", "trigger", "created")
    for p in rows:
        table.add_row(
            str(p["id"]),
            p["name"],
            str(p["user_id"]),
            p["status"],
            p["trigger_type"],
            p["created_at"][:19],
        )
    console().print(table)


@app.command()
def delete(process_id: int = typer.Argument(..., metavar="N")) -> None:
    """Delete an agent with its data sources, settings, runs and matches."""
    from elinara.agent.control import delete_agent
    from elinara.agent.events import EventBus

    st = store()
    delete_agent(st, settings(), EventBus(st), existing_process(st, process_id))
    typer.echo(f"deleted agent {process_id}")
